package graphql_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
)

// FuzzQuery posts arbitrary operations and variables, as an admin (who may
// do everything), and checks that every answer is a GraphQL response: JSON
// with data or errors, never a server fault.
func FuzzQuery(f *testing.F) {
	for _, seed := range []struct{ query, vars string }{
		{`{ models { nodes { name version entities { name fields { name type } } } } }`, `{}`},
		{`query($n: String) { model(name: $n) { diff(from: 1) { op path } apps { name } } }`, `{"n": "TODO"}`},
		{`mutation($e: [ModelEditInput!]!) { editModel(name: "TODO", baseVersion: 1, edits: $e) { version } }`,
			`{"e": [{"op": "addField", "entity": "Task", "value": {"name": "x", "type": "string"}}]}`},
		{`mutation { addEntity(model: "TODO", baseVersion: 1, entity: {name: "Q", fields: []}) { version } }`, `null`},
		{`{ models(first: 1, after: "!!") { pageInfo { endCursor } } }`, `{}`},
		{`{ __schema { types { name } } }`, `{}`},
		{`{ a: me { id } b: me { id } ...F } fragment F on Query { apps { name } }`, `{}`},
		{`{`, `{`},
	} {
		f.Add(seed.query, seed.vars)
	}
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, query, vars string) {
		body, err := json.Marshal(map[string]any{"query": query, "variables": json.RawMessage(validOr(vars))})
		if err != nil {
			t.Skip()
		}
		req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/graphql", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+e.tokens[admin])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 500 {
			t.Fatalf("status %d for %q: %s", resp.StatusCode, query, out)
		}
		var r struct {
			Data   json.RawMessage   `json:"data"`
			Errors []json.RawMessage `json:"errors"`
		}
		if err := json.Unmarshal(out, &r); err != nil || (r.Data == nil && len(r.Errors) == 0) {
			t.Fatalf("not a GraphQL response for %q: %s", query, out)
		}
		if bytes.Contains(out, []byte(`"INTERNAL"`)) {
			t.Fatalf("internal error for %q with %s: %s", query, vars, out)
		}
	})
}

// validOr returns s when it is JSON, else null.
func validOr(s string) string {
	if json.Valid([]byte(s)) {
		return s
	}
	return "null"
}
