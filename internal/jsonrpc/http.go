package jsonrpc

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// ServeHTTP answers JSON-RPC over HTTP: a POST whose body is a request or a
// batch, with Content-Type application/json, is answered 200 with the
// response or the batch response, or 204 No Content when there is nothing to
// answer (only notifications). Other methods are answered 405 with an Allow
// header, other content types 415, and a body over MaxBodyBytes 413; those
// refusals carry a -32600 error object with id null.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.refuse(w, r, http.StatusMethodNotAllowed, CodeInvalidRequest, msgInvalidRequest+": send requests with POST")
		return
	}
	if !isJSON(r.Header.Get("Content-Type")) {
		s.refuse(w, r, http.StatusUnsupportedMediaType, CodeInvalidRequest, msgInvalidRequest+": Content-Type must be application/json")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			s.refuse(w, r, http.StatusRequestEntityTooLarge, CodeInvalidRequest, s.tooLarge("body"))
			return
		}
		s.logger.DebugContext(r.Context(), "jsonrpc read body", "err", err)
		s.refuse(w, r, http.StatusBadRequest, CodeParseError, msgParseError+": the body could not be read")
		return
	}

	answer := s.serve(r.Context(), body)
	if answer == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(answer)
}

// isJSON reports whether a Content-Type is application/json (in UTF-8, the
// only encoding JSON is exchanged in).
func isJSON(contentType string) bool {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil || mediaType != "application/json" {
		return false
	}
	charset, ok := params["charset"]
	return !ok || strings.EqualFold(charset, "utf-8")
}

func (s *Server) tooLarge(what string) string {
	return fmt.Sprintf("%s: the %s is larger than %d bytes", msgInvalidRequest, what, s.maxBody)
}

// refuse answers an HTTP request the protocol cannot get to, with one error
// response (id null).
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, status, code int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(s.errorResponse(r.Context(), null, &Error{Code: code, Message: message}))
}
