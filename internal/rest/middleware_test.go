package rest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/metrics"
)

func TestRecoverPanicBeforeWriting(t *testing.T) {
	s, logs := newTestServer(t)
	h := s.wrap("GET /boom", nil, func(w http.ResponseWriter, r *http.Request) {
		panic("kaboom")
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/boom", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", rec.Code)
	}
	if e := decodeError(t, rec.Body.Bytes()); e.Code != torque.EINTERNAL || e.Message != "internal error" {
		t.Errorf("body %+v", e)
	}
	for _, want := range []string{`"panic":"kaboom"`, `"method":"GET"`, `"path":"/boom"`, `"stack":`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %s: %s", want, logs)
		}
	}
	if strings.Contains(rec.Body.String(), "kaboom") {
		t.Error("panic value shown to the client")
	}
}

func TestRecoverPanicAfterWritingAbortsTheResponse(t *testing.T) {
	s, logs := newTestServer(t)
	h := s.wrap("GET /half", nil, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `{"items": [`)
		panic("midway")
	})
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler so the connection is cut", v)
		}
		if !strings.Contains(logs.String(), "midway") {
			t.Errorf("panic not logged: %s", logs)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/half", nil))
}

func TestRecoverCountsPanicsInMetrics(t *testing.T) {
	m := metrics.New(nil)
	s := newServer(Config{Metrics: m, Logger: discardLogger()})
	h := s.wrap("GET /boom", nil, func(w http.ResponseWriter, r *http.Request) { panic("x") })
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/boom", nil))
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if want := `torque_http_requests_total{code="500",method="GET",route="GET /boom"} 1`; !strings.Contains(rec.Body.String(), want) {
		t.Errorf("metrics lack %s", want)
	}
}

func TestRouting(t *testing.T) {
	s, _ := newTestServer(t)
	cases := []struct {
		method, target string
		status         int
		allow          string
		message        string
	}{
		{"GET", "/nowhere", 404, "", "no route for GET /nowhere"},
		{"GET", "/api/v1/models/", 404, "", "no route"},
		{"GET", "/api/v2/models", 404, "", "no route"},
		{"DELETE", "/api/v1/models", 405, "GET, HEAD, POST", "method DELETE is not allowed"},
		{"PATCH", "/api/v1/models/TODO", 405, "GET, HEAD, PUT, DELETE", "allowed: GET, HEAD, PUT, DELETE"},
		{"PUT", "/api/v1/apps/a/entities/Task/1", 405, "GET, HEAD, PATCH, DELETE", ""},
		{"POST", "/healthz", 405, "GET, HEAD", ""},
		{"OPTIONS", "/api/v1/apps", 405, "GET, HEAD, POST", ""},
		{"GET", "/healthz", 200, "", ""},
		{"GET", "/healthz?verbose=1", 400, "", "invalid query parameters"},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(c.method, c.target, nil))
		if rec.Code != c.status {
			t.Errorf("%s %s: status %d, want %d", c.method, c.target, rec.Code, c.status)
			continue
		}
		if got := rec.Header().Get("Allow"); got != c.allow {
			t.Errorf("%s %s: Allow %q, want %q", c.method, c.target, got, c.allow)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s %s: Content-Type %q", c.method, c.target, ct)
		}
		if c.status >= 400 {
			if e := decodeError(t, rec.Body.Bytes()); !strings.Contains(e.Message, c.message) {
				t.Errorf("%s %s: message %q lacks %q", c.method, c.target, e.Message, c.message)
			}
		}
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	s, _ := newTestServer(t)
	for _, target := range []string{"/healthz", "/nowhere", "/api/v1/openapi.json"} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" || rec.Header().Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: security headers missing: %v", target, rec.Header())
		}
	}
}

func TestHealthAndReadiness(t *testing.T) {
	var dbErr error
	s := newServer(Config{Logger: discardLogger(), Ready: func(ctx context.Context) error {
		if _, ok := ctx.Deadline(); !ok {
			t.Error("readiness check without a deadline")
		}
		return dbErr
	}})
	get := func(target string) (int, string) {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		return rec.Code, strings.TrimSpace(rec.Body.String())
	}
	if code, body := get("/healthz"); code != 200 || body != `{"status":"ok"}` {
		t.Errorf("healthz: %d %s", code, body)
	}
	if code, body := get("/readyz"); code != 200 || body != `{"status":"ready"}` {
		t.Errorf("readyz: %d %s", code, body)
	}
	dbErr = errors.New("database is locked")
	if code, body := get("/readyz"); code != 503 || body != `{"status":"unavailable","error":"database"}` {
		t.Errorf("readyz when the database fails: %d %s", code, body)
	}
}

func TestMetricsRouteOnlyWithMetrics(t *testing.T) {
	s, _ := newTestServer(t)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != 404 {
		t.Errorf("/metrics without metrics: %d", rec.Code)
	}
	s = newServer(Config{Metrics: metrics.New(nil), Logger: discardLogger()})
	s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/nowhere/else", nil))
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `torque_http_requests_total{code="404",method="GET",route="unmatched"} 1`) {
		t.Errorf("/metrics: %d %s", rec.Code, rec.Body)
	}
}
