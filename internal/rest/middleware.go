package rest

import (
	"context"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/torquehq/torque"
)

// wrap gives a handler everything every route needs, in one layer so that
// a request pays for one wrapped ResponseWriter: authentication (anonymous
// requests only reach public routes), the rate limit, the query-parameter
// check against allowed, recovery from panics (500, logged with the stack),
// and metrics under pattern.
func (s *server) wrap(pattern string, allowed []string, h http.HandlerFunc, public bool) http.Handler {
	rec := s.metrics.Route(pattern)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rw := &responseWriter{ResponseWriter: w}
		defer func() {
			abort := false
			if v := recover(); v != nil {
				abort = s.recovered(rw, r, v)
			}
			rec.Observe(r.Method, rw.Status(), time.Since(start))
			if abort {
				panic(http.ErrAbortHandler)
			}
		}()
		// A WebSocket upgrade lives as long as its connection. One of
		// /graphql may authenticate in its first message instead; one of
		// /rpc/ws authenticates here, like any request.
		upgrade := (pattern == graphqlGET || pattern == rpcWS) && isWebSocketUpgrade(r)
		if !upgrade {
			ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
			defer cancel()
			r = r.WithContext(ctx)
		}
		r, err := s.authenticate(r, public || (upgrade && pattern == graphqlGET), upgrade)
		if err == nil && s.limiter != nil {
			if ok, wait := s.limiter.Allow(s.rateKey(r)); !ok {
				err = &torque.Error{Code: torque.ETHROTTLED, Message: "too many requests: slow down", RetryAfter: wait}
			}
		}
		if err == nil && r.URL.RawQuery != "" && pattern != webAppRoute && pattern != editorRoute {
			_, err = checkQuery(r.URL.RawQuery, allowed)
		}
		if err != nil {
			s.writeError(rw, r, err)
			return
		}
		h(rw, r)
	})
}

// isWebSocketUpgrade reports whether r asks to become a WebSocket.
func isWebSocketUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// recovered handles a panic of a handler: it logs it with the stack and
// answers 500 when nothing was written yet. It reports whether the
// connection must be cut instead: the handler aborted on purpose
// (http.ErrAbortHandler) or the response had begun, and a client must not
// take a truncated answer for a whole one.
func (s *server) recovered(rw *responseWriter, r *http.Request, v any) (abort bool) {
	if v == http.ErrAbortHandler {
		return true
	}
	s.logger.ErrorContext(r.Context(), "panic serving request",
		"panic", fmt.Sprint(v), "method", r.Method, "path", r.URL.Path, "stack", string(debug.Stack()))
	if rw.wrote {
		rw.status = http.StatusInternalServerError
		return true
	}
	s.writeJSON(rw, http.StatusInternalServerError, errorBody{errorDetail{Code: torque.EINTERNAL, Message: "internal error"}})
	return false
}

// responseWriter remembers the status written through it.
type responseWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *responseWriter) WriteHeader(code int) {
	if !w.wrote && code >= 200 {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *responseWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

// Status returns the status written, 200 when nothing was.
func (w *responseWriter) Status() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// probeMethods are tried to tell an unknown path (404) from a known path
// asked with the wrong method (405).
var probeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// unmatched answers requests no route matched: 405 with Allow when the path
// exists under other methods, 404 otherwise.
func (s *server) unmatched(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range probeMethods {
		probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			allow = append(allow, m)
			if m == http.MethodGet {
				allow = append(allow, http.MethodHead)
			}
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		s.writeError(w, r, torque.Errorf(codeMethod, "method %s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, strings.Join(allow, ", ")))
		return
	}
	s.writeError(w, r, torque.Errorf(torque.ENOTFOUND, "no route for %s %s", r.Method, r.URL.Path))
}
