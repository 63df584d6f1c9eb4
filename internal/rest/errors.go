package rest

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/torquehq/torque"
)

// Error codes of refusals made by the transport itself, beside the torque
// codes the services use.
const (
	codeMethod    = "EMETHOD"    // the route exists, the method does not
	codeMediaType = "EMEDIATYPE" // a body that is not application/json
)

// statusOf is the one table from error codes to HTTP statuses.
var statusOf = map[string]int{
	torque.EINVALID:      http.StatusBadRequest,
	torque.EUNAUTHORIZED: http.StatusUnauthorized,
	torque.EFORBIDDEN:    http.StatusForbidden,
	torque.ENOTFOUND:     http.StatusNotFound,
	codeMethod:           http.StatusMethodNotAllowed,
	torque.ECONFLICT:     http.StatusConflict,
	torque.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	torque.ETIMEOUT:      http.StatusServiceUnavailable,
	torque.ETHROTTLED:    http.StatusTooManyRequests,
	codeMediaType:        http.StatusUnsupportedMediaType,
	torque.EINTERNAL:     http.StatusInternalServerError,
}

// statusClientClosed is recorded (in metrics) when the client went away
// before its answer was ready; nobody reads the body.
const statusClientClosed = 499

// bearerChallenge is the WWW-Authenticate header of 401 answers.
var bearerChallenge = []string{`Bearer realm="torque"`}

// errorBody is the JSON form of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	// Conflict, on a write based on a stale model version, holds the
	// current version and the changes since.
	Conflict *torque.Conflict `json:"conflict,omitempty"`
}

// writeError answers r with err. Internal errors (and codes missing from
// statusOf) are logged here, once, with their cause, and shown to the
// client only as "internal error".
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := torque.ErrorCode(err)
	status, known := statusOf[code]
	if !known || status == http.StatusInternalServerError {
		if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
			s.logger.DebugContext(r.Context(), "request canceled by the client", "method", r.Method, "path", r.URL.Path)
			s.writeJSON(w, statusClientClosed, errorBody{errorDetail{Code: torque.EINTERNAL, Message: "request canceled"}})
			return
		}
		s.logger.ErrorContext(r.Context(), "internal error", "err", err, "method", r.Method, "path", r.URL.Path)
		s.writeJSON(w, http.StatusInternalServerError, errorBody{errorDetail{Code: torque.EINTERNAL, Message: "internal error"}})
		return
	}
	switch code {
	case torque.EUNAUTHORIZED:
		w.Header()["Www-Authenticate"] = bearerChallenge
	case torque.ETHROTTLED:
		secs := int64((torque.ErrorRetryAfter(err) + time.Second - 1) / time.Second)
		w.Header()["Retry-After"] = []string{strconv.FormatInt(max(secs, 1), 10)}
	}
	s.writeJSON(w, status, errorBody{errorDetail{
		Code:     code,
		Message:  torque.ErrorMessage(err),
		Fields:   torque.ErrorFields(err),
		Conflict: torque.ErrorConflict(err),
	}})
}
