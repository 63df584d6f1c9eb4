// Package webapp serves Torque's React apps from the binary: the TorqueApp
// (web/app) under /app/ and the Model Editor (web/editor) under /editor/.
// Their built files are embedded from dist/app and dist/editor (written
// there by `make web`, i.e. `npm run build` in web). Under its prefix, each
// answers its assets by name and every other path with index.html, so that
// the app routes in the browser. The pages' Content-Security-Policy allows
// scripts, styles, images and connections (HTTP and WebSocket) of this
// origin only. docs/decisions/0004 and 0005 say why each is a single page.
package webapp

import (
	"embed"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// dist holds the builds of web/app and web/editor. In a fresh clone it
// holds only a placeholder; then the handlers say the app was not built.
//
//go:embed all:dist
var dist embed.FS

// CSP is the policy of the app's page and files. Mantine writes styles at
// run time (<style> elements for its CSS variables and responsive grid
// columns, and style attributes), hence 'unsafe-inline' for styles only;
// scripts come from this origin and nowhere else. connect-src 'self' covers
// fetch to /rpc and /api and the WebSocket to /rpc/ws of the same host
// (CSP Level 3 matches ws: and wss: of the page's own host).
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// The paths under which the apps are served.
const (
	AppPrefix    = "/app/"
	EditorPrefix = "/editor/"
)

// notBuilt is the answer when the embedded build has no index.html.
const notBuilt = "the web app was not built: run make build\n"

// Handler serves one app's files from a build.
type Handler struct {
	prefix string
	files  fs.FS
	index  []byte // nil: not built
}

// App returns the handler of the embedded TorqueApp, at /app/.
func App() *Handler { return embedded("app", AppPrefix) }

// Editor returns the handler of the embedded Model Editor, at /editor/.
func Editor() *Handler { return embedded("editor", EditorPrefix) }

func embedded(dir, prefix string) *Handler {
	sub, err := fs.Sub(dist, "dist/"+dir)
	if err != nil {
		panic(err) // a constant, valid path
	}
	return NewFS(sub, prefix)
}

// NewFS returns a handler serving under prefix (such as "/app/") the build
// in files (index.html and its assets at the root, as Vite writes them).
func NewFS(files fs.FS, prefix string) *Handler {
	h := &Handler{prefix: prefix, files: files}
	if b, err := fs.ReadFile(files, "index.html"); err == nil {
		h.index = b
	}
	return h
}

// Built reports whether the build holds the app.
func (h *Handler) Built() bool { return h.index != nil }

// ServeHTTP answers GET and HEAD requests under the handler's prefix.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", CSP)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hd.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if h.index == nil {
		hd.Set("Cache-Control", "no-store")
		http.Error(w, notBuilt, http.StatusServiceUnavailable)
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, h.prefix)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if isAsset(name) {
		h.serveAsset(w, r, name)
		return
	}
	// Any other path is a route of the app: the page routes in the browser.
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(h.index)
	}
}

// isAsset reports whether name (a path under the prefix) names a file of
// the build rather than a route of the app: the hashed files under
// assets/, and files at the root with an extension (favicon.svg). App
// names, model names and routes have no dots in their first segment.
func isAsset(name string) bool {
	if strings.HasPrefix(name, "assets/") {
		return true
	}
	return name != "" && !strings.Contains(name, "/") && strings.Contains(name, ".")
}

// serveAsset answers a file of the build, or 404: never index.html in place
// of a missing script.
func (h *Handler) serveAsset(w http.ResponseWriter, r *http.Request, name string) {
	if name == "index.html" || !fs.ValidPath(name) {
		http.NotFound(w, r)
		return
	}
	b, err := fs.ReadFile(h.files, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	hd := w.Header()
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	if path.Ext(name) == ".js" || path.Ext(name) == ".mjs" {
		ctype = "text/javascript; charset=utf-8" // whatever the system's mime table says
	}
	hd.Set("Content-Type", ctype)
	if strings.HasPrefix(name, "assets/") {
		// Vite names these by their content's hash: a new build has new names.
		hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		hd.Set("Cache-Control", "no-cache")
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(b)
	}
}
