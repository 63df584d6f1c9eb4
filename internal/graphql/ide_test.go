package graphql_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestIDE checks that the IDE page and its files are served, from the
// binary and under a strict policy, only when the IDE is on.
func TestIDE(t *testing.T) {
	html := map[string]string{"Accept": "text/html,application/xhtml+xml"}
	t.Run("off by default", func(t *testing.T) {
		e := newEnv(t)
		if a := e.send(admin, http.MethodGet, "/graphql", nil, html); strings.Contains(a.body, "<html") || a.status == http.StatusOK {
			t.Errorf("page served with the IDE off: %d %.200s", a.status, a.body)
		}
		for _, f := range []string{"/graphql/ide.js", "/graphql/ide.css", "/graphql/favicon.svg"} {
			if a := e.send(admin, http.MethodGet, f, nil, nil); a.status != http.StatusNotFound {
				t.Errorf("%s: status %d, want 404", f, a.status)
			}
		}
	})
	t.Run("on", func(t *testing.T) {
		e := newEnvWith(t, options{ide: true})
		a := e.send(admin, http.MethodGet, "/graphql", nil, html)
		if a.status != http.StatusOK || !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") {
			t.Fatalf("status %d, type %q", a.status, a.header.Get("Content-Type"))
		}
		if csp := a.header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'self'") {
			t.Errorf("Content-Security-Policy %q", csp)
		}
		for _, s := range []string{`<script src="/graphql/ide.js" defer></script>`, `<label for="query">`, `<label for="variables">`, `<button type="submit" id="run">Run</button>`, `role="status"`} {
			if !strings.Contains(a.body, s) {
				t.Errorf("page lacks %s", s)
			}
		}
		if strings.Contains(a.body, "<script>") || strings.Contains(a.body, "http://") || strings.Contains(a.body, "https://") || strings.Contains(a.body, " style=") {
			t.Errorf("page has an inline script, an inline style or a remote URL:\n%s", a.body)
		}
		js := e.send(admin, http.MethodGet, "/graphql/ide.js", nil, nil)
		if js.status != http.StatusOK || !strings.HasPrefix(js.header.Get("Content-Type"), "text/javascript") ||
			!strings.Contains(js.body, `credentials: "same-origin"`) || strings.Contains(js.body, "https://") {
			t.Errorf("ide.js: status %d, type %q", js.status, js.header.Get("Content-Type"))
		}
		if icon := e.send(admin, http.MethodGet, "/graphql/favicon.svg", nil, nil); icon.status != http.StatusOK || icon.header.Get("Content-Type") != "image/svg+xml" {
			t.Errorf("favicon.svg: status %d, type %q", icon.status, icon.header.Get("Content-Type"))
		}
		if css := e.send(admin, http.MethodGet, "/graphql/ide.css", nil, nil); css.status != http.StatusOK || !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") {
			t.Errorf("ide.css: status %d", css.status)
		}
		if a := e.send(admin, http.MethodGet, "/graphql/other.js", nil, nil); a.status != http.StatusNotFound {
			t.Errorf("other.js: status %d, want 404", a.status)
		}
		// The page needs a signed-in user like every route; queries still
		// run over GET.
		if a := e.send(anonymous, http.MethodGet, "/graphql", nil, html); a.status != http.StatusUnauthorized {
			t.Errorf("anonymous: status %d, want 401", a.status)
		}
		if a := e.send(admin, http.MethodGet, "/graphql?query=%7Bme%7Bemail%7D%7D", nil, html); !strings.Contains(a.body, `"admin@example.com"`) {
			t.Errorf("GET query with the IDE on: %d %s", a.status, a.body)
		}
	})
}
