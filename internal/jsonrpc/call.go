package jsonrpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// serve answers one message, a request or a batch, and returns the answer:
// a response, an array of responses, or nil when there is nothing to answer.
func (s *Server) serve(ctx context.Context, msg []byte) []byte {
	msg = trimSpace(msg)
	if !utf8.Valid(msg) || !json.Valid(msg) {
		return s.errorResponse(ctx, null, &Error{Code: CodeParseError, Message: msgParseError})
	}
	if msg[0] != '[' {
		return s.call(ctx, msg)
	}

	members := arrayElements(msg, s.maxBatch+1)
	switch {
	case len(members) == 0:
		return s.errorResponse(ctx, null, &Error{Code: CodeInvalidRequest, Message: msgInvalidRequest})
	case len(members) > s.maxBatch:
		return s.errorResponse(ctx, null, &Error{Code: CodeInvalidRequest,
			Message: fmt.Sprintf("%s: a batch holds at most %d requests", msgInvalidRequest, s.maxBatch)})
	}
	answers := make([][]byte, len(members))
	if len(members) == 1 {
		answers[0] = s.call(ctx, members[0])
	} else {
		// A few workers take the members in turn; each answer keeps the
		// place of its request.
		var next atomic.Int64
		var wg sync.WaitGroup
		for range min(batchWorkers, len(members)) {
			wg.Go(func() {
				for {
					i := int(next.Add(1) - 1)
					if i >= len(members) {
						return
					}
					answers[i] = s.call(ctx, members[i])
				}
			})
		}
		wg.Wait()
	}

	size := 1
	for _, a := range answers {
		size += len(a) + 1
	}
	out := make([]byte, 0, size)
	for _, a := range answers {
		if a == nil {
			continue
		}
		if len(out) == 0 {
			out = append(out, '[')
		} else {
			out = append(out, ',')
		}
		out = append(out, a...)
	}
	if len(out) == 0 {
		return nil // every member was a notification
	}
	return append(out, ']')
}

// call answers one member: a request object or anything else (a valid JSON
// value). It returns nil for a notification.
func (s *Server) call(ctx context.Context, b []byte) (answer []byte) {
	req, ok := parseRequest(b)
	if !ok {
		s.logger.DebugContext(ctx, "jsonrpc invalid request", "request", truncate(b, 200))
		return s.errorResponse(ctx, req.id, &Error{Code: CodeInvalidRequest, Message: msgInvalidRequest})
	}
	h := s.handler(req.method)
	if h == nil {
		if req.id == nil {
			return nil
		}
		return s.errorResponse(ctx, req.id, &Error{Code: CodeMethodNotFound, Message: msgMethodNotFound})
	}

	if s.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.timeout)
		defer cancel()
	}
	defer func() {
		// A panic in the handler or in encoding its result.
		if v := recover(); v != nil {
			s.logger.ErrorContext(ctx, "jsonrpc handler panic", "method", req.method, "panic", v, "stack", string(debug.Stack()))
			answer = nil
			if req.id != nil {
				answer = internalErrorResponse(req.id)
			}
		}
	}()
	result, err := h(ctx, req.params)
	if err != nil {
		e := s.errorFor(ctx, req.method, err)
		if req.id == nil {
			return nil
		}
		return s.errorResponse(ctx, req.id, e)
	}
	if req.id == nil {
		return nil
	}
	value, err := json.Marshal(result)
	if err != nil {
		s.logger.ErrorContext(ctx, "jsonrpc encode result", "method", req.method, "err", err)
		return internalErrorResponse(req.id)
	}
	return response(req.id, "result", value)
}

// errorFor maps an error a handler returned to its error object: *Error
// as it is, others through ErrorOf or else as internal errors.
func (s *Server) errorFor(ctx context.Context, method string, err error) *Error {
	var e *Error
	if errors.As(err, &e) && e != nil {
		return e
	}
	if s.errorOf != nil {
		if e := s.errorOf(ctx, err); e != nil {
			return e
		}
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded) && errors.Is(ctx.Err(), context.DeadlineExceeded):
		s.logger.WarnContext(ctx, "jsonrpc call timed out", "method", method, "timeout", s.timeout)
		return &Error{Code: CodeInternalError, Message: "request timed out"}
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		s.logger.DebugContext(ctx, "jsonrpc call canceled", "method", method)
		return &Error{Code: CodeInternalError, Message: "request canceled"}
	}
	s.logger.ErrorContext(ctx, "jsonrpc internal error", "method", method, "err", err)
	return &Error{Code: CodeInternalError, Message: msgInternalError}
}

// errorResponse encodes a response carrying e. An error whose data cannot
// be encoded is logged and answered as an internal error.
func (s *Server) errorResponse(ctx context.Context, id json.RawMessage, e *Error) []byte {
	value, err := json.Marshal(e)
	if err != nil {
		s.logger.ErrorContext(ctx, "jsonrpc encode error", "code", e.Code, "message", e.Message, "err", err)
		return internalErrorResponse(id)
	}
	return response(id, "error", value)
}

func internalErrorResponse(id json.RawMessage) []byte {
	return response(id, "error", []byte(`{"code":-32603,"message":"internal error"}`))
}

// response encodes a response object: id (valid JSON, as the request had
// it) and one member, "result" or "error".
func response(id json.RawMessage, member string, value []byte) []byte {
	b := make([]byte, 0, len(`{"jsonrpc":"2.0","id":,"result":}`)+len(id)+len(value))
	b = append(b, `{"jsonrpc":"2.0","id":`...)
	b = append(b, id...)
	b = append(b, `,"`...)
	b = append(b, member...)
	b = append(b, `":`...)
	b = append(b, value...)
	return append(b, '}')
}

// truncate returns the start of b for a log line.
func truncate(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "…"
}
