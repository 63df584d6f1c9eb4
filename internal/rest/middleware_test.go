package rest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/auth"
	"github.com/torquehq/torque/internal/metrics"
)

func TestRecoverPanicBeforeWriting(t *testing.T) {
	s, logs := newTestServer(t)
	h := s.wrap("GET /boom", nil, func(w http.ResponseWriter, r *http.Request) {
		panic("kaboom")
	}, true)
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
	}, true)
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
	h := s.wrap("GET /boom", nil, func(w http.ResponseWriter, r *http.Request) { panic("x") }, true)
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
		s.ServeHTTP(rec, authed(c.method, c.target))
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

// TestAnonymousRouting: without credentials only the public routes answer;
// everything else, known or not, is 401 with a Bearer challenge, so that
// anonymous callers learn nothing of the routes.
func TestAnonymousRouting(t *testing.T) {
	s, _ := newTestServer(t)
	cases := []struct {
		method, target, auth string
		status               int
	}{
		{"GET", "/healthz", "", 200},
		{"GET", "/readyz", "", 200},
		{"POST", "/api/v1/auth/logout", "", 204},
		{"GET", "/nowhere", "", 401},
		{"GET", "/api/v1/models", "", 401},
		{"DELETE", "/api/v1/models", "", 401},
		{"GET", "/api/v1/openapi.json", "", 401},
		{"GET", "/api/v1/apps/todo/entities/Task", "", 401},
		{"GET", "/api/v1/models", "Bearer tq_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", 401},
		{"GET", "/api/v1/models", "Basic YWRtaW46cGFzcw==", 401},
		{"GET", "/api/v1/models", "Bearer", 401},
		{"GET", "/healthz", "Bearer nonsense", 200},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		r := httptest.NewRequest(c.method, c.target, nil)
		if c.auth != "" {
			r.Header.Set("Authorization", c.auth)
		}
		s.ServeHTTP(rec, r)
		if rec.Code != c.status {
			t.Errorf("%s %s (%q): status %d, want %d: %s", c.method, c.target, c.auth, rec.Code, c.status, rec.Body)
			continue
		}
		if c.status == 401 {
			if got := rec.Header().Get("WWW-Authenticate"); got != `Bearer realm="torque"` {
				t.Errorf("%s %s: WWW-Authenticate %q", c.method, c.target, got)
			}
			if e := decodeError(t, rec.Body.Bytes()); e.Code != torque.EUNAUTHORIZED {
				t.Errorf("%s %s: code %s", c.method, c.target, e.Code)
			}
		}
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	s, _ := newTestServer(t)
	want := map[string]string{
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
		"X-Frame-Options":         "DENY",
	}
	for _, r := range []*http.Request{
		httptest.NewRequest(http.MethodGet, "/healthz", nil),
		httptest.NewRequest(http.MethodGet, "/api/v1/models", nil),
		authed(http.MethodGet, "/nowhere"),
		authed(http.MethodGet, "/api/v1/openapi.json"),
	} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		for k, v := range want {
			if got := rec.Header().Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", r.URL, k, got, v)
			}
		}
		if rec.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s: CORS header without cors_origins", r.URL)
		}
	}
}

func TestCORS(t *testing.T) {
	s := newServer(Config{Logger: discardLogger(), Auth: adminToken{}, CORSOrigins: []string{"https://app.example.com"}})
	preflight := func(origin, method string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodOptions, "/api/v1/models", nil)
		r.Header.Set("Origin", origin)
		r.Header.Set("Access-Control-Request-Method", method)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		return rec
	}
	rec := preflight("https://app.example.com", "POST")
	if rec.Code != 204 || rec.Header().Get("Access-Control-Allow-Origin") != "https://app.example.com" ||
		!strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("allowed preflight: %d %v", rec.Code, rec.Header())
	}
	if rec.Header().Get("Access-Control-Allow-Credentials") != "" {
		t.Error("credentials allowed cross-origin")
	}
	for _, m := range []string{"POS", "T", "post", "CONNECT"} {
		if rec := preflight("https://app.example.com", m); rec.Code != http.StatusForbidden {
			t.Errorf("preflight for method %q: %d, want 403", m, rec.Code)
		}
	}
	if rec := preflight("https://evil.example", "POST"); rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("foreign origin got CORS headers: %v", rec.Header())
	}
	r := authed(http.MethodGet, "/nowhere")
	r.Header.Set("Origin", "https://app.example.com")
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	if rec.Header().Get("Access-Control-Allow-Origin") != "https://app.example.com" || rec.Header().Get("Vary") != "Origin" {
		t.Errorf("simple request: %v", rec.Header())
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
	s.ServeHTTP(rec, authed(http.MethodGet, "/metrics"))
	if rec.Code != 404 {
		t.Errorf("/metrics without metrics: %d", rec.Code)
	}
	s = newServer(Config{Metrics: metrics.New(nil), Logger: discardLogger(), Auth: adminToken{}})
	s.ServeHTTP(httptest.NewRecorder(), authed(http.MethodGet, "/nowhere/else"))
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != 401 {
		t.Errorf("anonymous /metrics: %d", rec.Code)
	}
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, authed(http.MethodGet, "/metrics"))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `torque_http_requests_total{code="404",method="GET",route="unmatched"} 1`) {
		t.Errorf("/metrics: %d %s", rec.Code, rec.Body)
	}
}

func TestRateLimit(t *testing.T) {
	s := newServer(Config{Logger: discardLogger(), Auth: adminToken{}, RateLimit: 0.001, RateBurst: 2})
	send := func(r *http.Request) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		return rec
	}
	for i := 0; i < 2; i++ {
		if rec := send(authed(http.MethodGet, "/healthz")); rec.Code != 200 {
			t.Fatalf("request %d within the burst: %d", i+1, rec.Code)
		}
	}
	rec := send(authed(http.MethodGet, "/healthz"))
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("past the burst: %d, Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
	}
	if e := decodeError(t, rec.Body.Bytes()); e.Code != torque.ETHROTTLED {
		t.Errorf("code %s", e.Code)
	}
	// The token's limit is its own: an anonymous caller has its own bucket.
	if rec := send(httptest.NewRequest(http.MethodGet, "/healthz", nil)); rec.Code != 200 {
		t.Errorf("another caller: %d", rec.Code)
	}
}

// FuzzAuthenticate sends arbitrary Authorization and Cookie headers: the
// answer is 200 for the one valid token and 401 (or 403 for a cookie write
// from elsewhere) otherwise, never a panic or a 5xx.
func FuzzAuthenticate(f *testing.F) {
	for _, seed := range [][3]string{
		{"GET", "Bearer " + testToken, ""},
		{"GET", "bearer  " + testToken, ""},
		{"GET", "Bearer tq_short", ""},
		{"GET", "Basic dTpw", ""},
		{"POST", "", "torque_session=" + strings.Repeat("A", 43)},
		{"GET", "", "torque_session=\x00; other=1"},
		{"DELETE", "Bearer", "torque_session="},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	s := newServer(Config{Logger: discardLogger(), Auth: adminToken{}})
	f.Fuzz(func(t *testing.T, method, authorization, cookie string) {
		if method != "GET" && method != "POST" && method != "DELETE" {
			method = "GET"
		}
		r := httptest.NewRequest(method, "/nowhere", nil)
		r.Header["Authorization"] = []string{authorization}
		r.Header["Cookie"] = []string{cookie}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		switch rec.Code {
		case 404: // authenticated: only the valid token may get here
			if tok, ok := auth.ParseBearer(authorization); !ok || tok != testToken {
				t.Fatalf("authorization %q cookie %q reached the route", authorization, cookie)
			}
		case 401, 403:
		default:
			t.Fatalf("authorization %q cookie %q: status %d %s", authorization, cookie, rec.Code, rec.Body)
		}
	})
}

func TestClientIPBehindTrustedProxies(t *testing.T) {
	s := newServer(Config{Logger: discardLogger(), TrustedProxies: []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128"),
	}})
	cases := []struct {
		remote string
		xff    []string
		want   string
	}{
		{"192.0.2.7:5000", nil, "192.0.2.7"},
		{"192.0.2.7:5000", []string{"203.0.113.9"}, "192.0.2.7"}, // an untrusted peer's header is ignored
		{"10.1.2.3:5000", nil, "10.1.2.3"},
		{"10.1.2.3:5000", []string{"203.0.113.9"}, "203.0.113.9"},
		{"10.1.2.3:5000", []string{"198.51.100.1, 203.0.113.9, 10.9.9.9"}, "203.0.113.9"}, // the left one is the client's claim
		{"10.1.2.3:5000", []string{"198.51.100.1", "203.0.113.9"}, "203.0.113.9"},
		{"10.1.2.3:5000", []string{"not-an-ip, 10.9.9.9"}, "10.9.9.9"},
		{"10.1.2.3:5000", []string{"10.4.4.4"}, "10.4.4.4"},
		{"[::1]:5000", []string{"2001:db8::5"}, "2001:db8::5"},
	}
	for _, c := range cases {
		r := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		r.RemoteAddr = c.remote
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := s.clientIP(r); got != c.want {
			t.Errorf("%s with %q: got %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
	plain := newServer(Config{Logger: discardLogger()})
	r := httptest.NewRequest(http.MethodGet, "/healthz", nil)
	r.RemoteAddr = "10.1.2.3:5000"
	r.Header.Set("X-Forwarded-For", "203.0.113.9")
	if got := plain.clientIP(r); got != "10.1.2.3" {
		t.Errorf("without trusted proxies: got %s", got)
	}
}
