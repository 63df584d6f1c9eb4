package graphql

import (
	"embed"
	"net/http"
	"path"

	"github.com/torquehq/torque"
)

// ide holds the GraphQL IDE: a page, its script, styles and icon, all served
// from the binary (no CDN), under a Content-Security-Policy that allows
// nothing but this origin.
//
//go:embed ide/index.html ide/ide.js ide/ide.css ide/favicon.svg
var ide embed.FS

// ideCSP is the policy of the IDE's files: scripts, styles and requests
// from this origin only, no inline script, no framing.
const ideCSP = "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// ideAssets maps the IDE's files under /graphql/ to their content types.
var ideAssets = map[string]string{
	"ide.js":      "text/javascript; charset=utf-8",
	"ide.css":     "text/css; charset=utf-8",
	"favicon.svg": "image/svg+xml",
}

func (h *Handler) servePage(w http.ResponseWriter, r *http.Request) {
	h.serveFile(w, "index.html", "text/html; charset=utf-8")
}

// serveAsset answers /graphql/{file}: the IDE's script and styles when the
// IDE is on, 404 otherwise.
func (h *Handler) serveAsset(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.URL.Path)
	ctype, ok := ideAssets[name]
	if !h.ide || !ok || r.URL.Path != "/graphql/"+name || r.Method != http.MethodGet {
		writeError(w, http.StatusNotFound, codeOf[torque.ENOTFOUND], "no such file")
		return
	}
	h.serveFile(w, name, ctype)
}

func (h *Handler) serveFile(w http.ResponseWriter, name, ctype string) {
	b, err := ide.ReadFile("ide/" + name)
	if err != nil {
		h.logger.Error("read embedded IDE file", "file", name, "err", err)
		writeError(w, http.StatusInternalServerError, codeInternal, "internal error")
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", ctype)
	hd.Set("Content-Security-Policy", ideCSP)
	hd.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}
