package rest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/torquehq/torque/internal/metrics"
)

// openAPI is the part of an OpenAPI document the tests read.
type openAPI struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Parameters map[string]parameter `json:"parameters"`
	} `json:"components"`
}

type parameter struct {
	Ref  string `json:"$ref"`
	Name string `json:"name"`
	In   string `json:"in"`
}

type operation struct {
	OperationID string         `json:"operationId"`
	Parameters  []parameter    `json:"parameters"`
	Responses   map[string]any `json:"responses"`
}

func loadOpenAPI(t *testing.T) *openAPI {
	t.Helper()
	var doc openAPI
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	return &doc
}

func (d *openAPI) resolve(t *testing.T, p parameter) parameter {
	t.Helper()
	if p.Ref == "" {
		return p
	}
	name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/")
	q, found := d.Components.Parameters[name]
	if !ok || !found {
		t.Fatalf("unresolved parameter %s", p.Ref)
	}
	return q
}

// documented returns the operations of the document by mux pattern
// ("GET /api/v1/apps"), each with its query and path parameter names.
func (d *openAPI) documented(t *testing.T) map[string][2][]string {
	t.Helper()
	ops := map[string][2][]string{}
	for path, item := range d.Paths {
		var shared []parameter
		if raw, ok := item["parameters"]; ok {
			if err := json.Unmarshal(raw, &shared); err != nil {
				t.Fatalf("%s parameters: %v", path, err)
			}
		}
		for method, raw := range item {
			if method == "parameters" {
				continue
			}
			var op operation
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			if op.OperationID == "" || len(op.Responses) == 0 {
				t.Errorf("%s %s lacks an operationId or responses", method, path)
			}
			var query, pathParams []string
			for _, p := range append(slices.Clone(shared), op.Parameters...) {
				p = d.resolve(t, p)
				switch p.In {
				case "query":
					query = append(query, p.Name)
				case "path":
					pathParams = append(pathParams, p.Name)
				}
			}
			slices.Sort(query)
			slices.Sort(pathParams)
			ops[strings.ToUpper(method)+" "+path] = [2][]string{query, pathParams}
		}
	}
	return ops
}

var wildcard = regexp.MustCompile(`\{([^}]+)\}`)

// TestOpenAPIMatchesRoutes checks that every route registered in the mux is
// documented, with exactly its query and path parameters, and that every
// documented operation is a registered route.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	s := newServer(Config{Metrics: metrics.New(nil), Logger: discardLogger()})
	doc := loadOpenAPI(t)
	documented := doc.documented(t)
	registered := map[string]bool{}
	for _, rt := range s.routes() {
		registered[rt.pattern] = true
		method, path, _ := strings.Cut(rt.pattern, " ")

		// The route is really registered: the mux resolves a request for
		// it to this very pattern.
		target := wildcard.ReplaceAllString(path, "x")
		if _, pattern := s.mux.Handler(httptest.NewRequest(method, target, nil)); pattern != rt.pattern {
			t.Errorf("mux resolves %s %s to %q, want %q", method, target, pattern, rt.pattern)
		}

		params, ok := documented[rt.pattern]
		if !ok {
			t.Errorf("route %s is not documented in openapi.json", rt.pattern)
			continue
		}
		query := slices.Sorted(slices.Values(rt.query))
		if !slices.Equal(params[0], query) {
			t.Errorf("%s: documented query parameters %v, accepted %v", rt.pattern, params[0], query)
		}
		var pathParams []string
		for _, m := range wildcard.FindAllStringSubmatch(path, -1) {
			pathParams = append(pathParams, m[1])
		}
		slices.Sort(pathParams)
		if !slices.Equal(params[1], pathParams) {
			t.Errorf("%s: documented path parameters %v, pattern has %v", rt.pattern, params[1], pathParams)
		}
	}
	for op := range documented {
		if !registered[op] {
			t.Errorf("openapi.json documents %s, which is not a route", op)
		}
	}
}

// TestOpenAPIRefsResolve checks every $ref of the document points at
// something.
func TestOpenAPIRefsResolve(t *testing.T) {
	var doc any
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				if lookupPointer(doc, ref) == nil {
					t.Errorf("unresolved $ref %s", ref)
				}
			}
			for _, c := range v {
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	walk(doc)
}

// lookupPointer resolves a local "#/a/b" reference in doc, or returns nil.
func lookupPointer(doc any, ref string) any {
	ptr, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil
	}
	cur := doc
	for _, tok := range strings.Split(ptr, "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		if cur, ok = m[tok]; !ok {
			return nil
		}
	}
	return cur
}

func TestOpenAPIServed(t *testing.T) {
	s, _ := newTestServer(t)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, authed(http.MethodGet, "/api/v1/openapi.json"))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" || rec.Body.String() != string(openAPIDoc) {
		t.Errorf("openapi.json served as %d %q (%d bytes)", rec.Code, rec.Header().Get("Content-Type"), rec.Body.Len())
	}
}
