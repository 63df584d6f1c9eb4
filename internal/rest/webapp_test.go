package rest

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// webAppProbe stands for the TorqueApp's handler.
type webAppProbe struct{ reached bool }

func (p *webAppProbe) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.reached = true
	w.Header().Set("Content-Security-Policy", "default-src 'self'")
	w.WriteHeader(http.StatusOK)
}

// TestWebAppMount checks that the TorqueApp's page is served to anyone (the
// app signs in by itself), with its own policy and any query string, while
// what is not the app still needs credentials.
func TestWebAppMount(t *testing.T) {
	for _, tc := range []struct {
		name, method, target, cookie string
		status                       int
		reached                      bool
	}{
		{"the app's root, anonymous", "GET", "/app/", "", 200, true},
		{"a route of an app, anonymous", "GET", "/app/todo/tasks", "", 200, true},
		{"with a query string", "GET", "/app/todo/tasks?tab=2", "", 200, true},
		{"with an ended session", "GET", "/app/todo/", "bad-session", 200, true},
		{"signed in", "GET", "/app/todo/", "good-session", 200, true},
		{"not a GET", "POST", "/app/todo/", "", 401, false},
		{"not under /app/", "GET", "/apps/todo", "", 401, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			probe := &webAppProbe{}
			s := newServer(Config{Auth: sessionOrToken{}, Logger: discardLogger(), WebApp: probe})
			r := httptest.NewRequest(tc.method, tc.target, nil)
			if tc.cookie != "" {
				r.AddCookie(&http.Cookie{Name: "torque_session", Value: tc.cookie})
			}
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, r)
			if rec.Code != tc.status || probe.reached != tc.reached {
				t.Fatalf("got %d (reached %v), want %d (reached %v): %s", rec.Code, probe.reached, tc.status, tc.reached, rec.Body)
			}
			want := apiCSP[0]
			if tc.reached {
				want = "default-src 'self'"
			}
			if got := rec.Header().Get("Content-Security-Policy"); got != want {
				t.Errorf("CSP: got %q, want %q", got, want)
			}
		})
	}
	t.Run("without a web app, /app/ needs credentials", func(t *testing.T) {
		s := newServer(Config{Auth: sessionOrToken{}, Logger: discardLogger()})
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", "/app/todo/", nil))
		if rec.Code != http.StatusUnauthorized {
			t.Fatalf("got %d, want 401", rec.Code)
		}
	})
}
