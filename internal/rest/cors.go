package rest

import "net/http"

// CORS answers. Browsers on the configured origins may call the API with
// API tokens; credentials (cookies) are never allowed cross-origin.
var (
	corsMethods = []string{"GET, POST, PUT, PATCH, DELETE"}
	corsHeaders = []string{"Authorization, Content-Type"}
	corsExpose  = []string{"Location, Retry-After"}
	corsMaxAge  = []string{"600"}
	varyOrigin  = []string{"Origin"}
	corsAllowed = map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true}
)

// cors adds the CORS headers for an allowed Origin and answers preflight
// requests; it reports whether it answered r.
func (s *server) cors(w http.ResponseWriter, r *http.Request) bool {
	h := w.Header()
	h["Vary"] = varyOrigin
	origin := r.Header.Get("Origin")
	if origin == "" || !contains(s.corsOrigins, origin) {
		return false
	}
	h["Access-Control-Allow-Origin"] = []string{origin}
	h["Access-Control-Expose-Headers"] = corsExpose
	if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
		return false
	}
	h["Access-Control-Allow-Methods"] = corsMethods
	h["Access-Control-Allow-Headers"] = corsHeaders
	h["Access-Control-Max-Age"] = corsMaxAge
	if !corsAllowed[r.Header.Get("Access-Control-Request-Method")] {
		w.WriteHeader(http.StatusForbidden)
		return true
	}
	w.WriteHeader(http.StatusNoContent)
	return true
}
