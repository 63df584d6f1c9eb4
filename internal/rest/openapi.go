package rest

import (
	_ "embed"
	"net/http"
	"strconv"
)

// openAPIDoc is the OpenAPI 3.1 description of every route of routes().
//
//go:embed openapi.json
var openAPIDoc []byte

var openAPILength = []string{strconv.Itoa(len(openAPIDoc))}

func (s *server) openAPI(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Content-Type"] = jsonType
	h["Content-Length"] = openAPILength
	w.WriteHeader(http.StatusOK)
	w.Write(openAPIDoc)
}
