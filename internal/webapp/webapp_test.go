package webapp

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

var build = fstest.MapFS{
	"index.html":           {Data: []byte(`<!doctype html><script type="module" src="/app/assets/index-abc.js"></script>`)},
	"favicon.svg":          {Data: []byte(`<svg/>`)},
	"assets/index-abc.js":  {Data: []byte(`console.log(1)`)},
	"assets/index-abc.css": {Data: []byte(`body{}`)},
}

func TestHandler(t *testing.T) {
	h := NewFS(build, AppPrefix)
	tests := []struct {
		name, method, path string
		status             int
		ctype, cache, body string
	}{
		{"the app's root is the page", "GET", "/app/", 200, "text/html; charset=utf-8", "no-cache", "<!doctype html>"},
		{"a route of an app is the page", "GET", "/app/todo/tasks", 200, "text/html; charset=utf-8", "no-cache", "<!doctype html>"},
		{"an app without a route is the page", "GET", "/app/todo/", 200, "text/html; charset=utf-8", "no-cache", "<!doctype html>"},
		{"a hashed script is kept for a year", "GET", "/app/assets/index-abc.js", 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "console.log"},
		{"a hashed stylesheet", "GET", "/app/assets/index-abc.css", 200, "text/css; charset=utf-8", "public, max-age=31536000, immutable", "body"},
		{"a file at the root is checked each time", "GET", "/app/favicon.svg", 200, "image/svg+xml", "no-cache", "<svg/>"},
		{"a missing asset is 404, never the page", "GET", "/app/assets/nope.js", 404, "", "", "404"},
		{"index.html by name is not an asset", "GET", "/app/index.html", 404, "", "", "404"},
		{"HEAD has no body", "HEAD", "/app/todo/tasks", 200, "text/html; charset=utf-8", "no-cache", ""},
		{"writes are refused", "POST", "/app/todo/", 405, "", "", "method not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != tt.status {
				t.Fatalf("status: got %d, want %d", rec.Code, tt.status)
			}
			if got := rec.Header().Get("Content-Security-Policy"); got != CSP {
				t.Errorf("CSP: got %q, want %q", got, CSP)
			}
			if tt.ctype != "" && rec.Header().Get("Content-Type") != tt.ctype {
				t.Errorf("Content-Type: got %q, want %q", rec.Header().Get("Content-Type"), tt.ctype)
			}
			if tt.cache != "" && rec.Header().Get("Cache-Control") != tt.cache {
				t.Errorf("Cache-Control: got %q, want %q", rec.Header().Get("Cache-Control"), tt.cache)
			}
			if !strings.Contains(rec.Body.String(), tt.body) || (tt.body == "" && rec.Body.Len() > 0) {
				t.Errorf("body: got %q, want it to contain %q", rec.Body.String(), tt.body)
			}
		})
	}
}

func TestNotBuilt(t *testing.T) {
	h := NewFS(fstest.MapFS{".gitkeep": {}}, AppPrefix)
	if h.Built() {
		t.Fatal("Built: got true, want false")
	}
	for _, path := range []string{"/app/", "/app/todo/tasks", "/app/assets/index-abc.js"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "the web app was not built: run make build") {
			t.Errorf("%s: got %d %q, want 503 and the message", path, rec.Code, rec.Body.String())
		}
	}
}

func TestCSPAllowsOnlyThisOrigin(t *testing.T) {
	for _, want := range []string{"script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(CSP, want) {
			t.Errorf("CSP %q lacks %q", CSP, want)
		}
	}
	if strings.Contains(CSP, "unsafe-eval") || strings.Contains(strings.SplitN(CSP, "style-src", 2)[0], "unsafe-inline") {
		t.Errorf("CSP %q allows inline or evaluated script", CSP)
	}
}

func TestEditorPrefix(t *testing.T) {
	h := NewFS(build, EditorPrefix)
	for path, want := range map[string]int{
		"/editor/":                       200,
		"/editor/models/Todo/entities":   200,
		"/editor/assets/index-abc.js":    200,
		"/app/todo/":                     404, // another app's prefix
		"/editor/assets/missing-file.js": 404,
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != want {
			t.Errorf("%s: got %d, want %d", path, rec.Code, want)
		}
	}
}
