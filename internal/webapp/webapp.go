// Package webapp serves the TorqueApp, the React app of web/app, from the
// binary: its built files are embedded from dist (written there by
// `make web`, i.e. `npm run build` in web/app). Under /app/ it answers the
// app's assets by name and every other path, /app/{app}/{route...}, with
// index.html, so that the app routes in the browser. The page's
// Content-Security-Policy allows scripts, styles, images and connections
// (HTTP and WebSocket) of this origin only. docs/decisions/0004 says why the
// app is a single page on JSON-RPC.
package webapp

import (
	"embed"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

// dist holds the build of web/app. In a fresh clone it holds only a
// placeholder; then the handler says the app was not built.
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

// Prefix is the path under which the app is served.
const Prefix = "/app/"

// notBuilt is the answer when the embedded build has no index.html.
const notBuilt = "the web app was not built: run make build\n"

// Handler serves the app's files from a build.
type Handler struct {
	files fs.FS
	index []byte // nil: not built
}

// New returns the handler of the embedded build.
func New() *Handler {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // dist is embedded: it always exists
	}
	return NewFS(sub)
}

// NewFS returns a handler serving the build in files (index.html and its
// assets at the root, as Vite writes them).
func NewFS(files fs.FS) *Handler {
	h := &Handler{files: files}
	if b, err := fs.ReadFile(files, "index.html"); err == nil {
		h.index = b
	}
	return h
}

// Built reports whether the build holds the app.
func (h *Handler) Built() bool { return h.index != nil }

// ServeHTTP answers GET and HEAD requests under /app/.
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
	name, ok := strings.CutPrefix(r.URL.Path, Prefix)
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

// isAsset reports whether name (a path under /app/) names a file of the
// build rather than a route of the app: the hashed files under assets/,
// and files at the root with an extension (favicon.svg). App names and
// routes have no dots in their first segment.
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
