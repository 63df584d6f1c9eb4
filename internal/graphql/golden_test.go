package graphql_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/")

// step is one operation of a transcript.
type step struct {
	title string
	as    string // default admin
	query string
	vars  map[string]any
}

// Values that change from run to run, and what transcripts show instead.
var (
	uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	timeRE = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`)
)

func normalise(s string) string {
	return timeRE.ReplaceAllString(uuidRE.ReplaceAllString(s, "<id>"), "<time>")
}

// transcript runs steps on a fresh env and compares the requests and the
// answers with testdata/name.golden (go test -run Golden -update rewrites
// it).
func transcript(t *testing.T, name string, steps []step) {
	e := newEnv(t)
	var b bytes.Buffer
	for _, s := range steps {
		as := s.as
		if as == "" {
			as = admin
		}
		req := map[string]any{"query": s.query}
		if s.vars != nil {
			req["variables"] = s.vars
		}
		body, err := json.MarshalIndent(req, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		a := e.post(as, s.query, s.vars)
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, []byte(a.body), "", "  "); err != nil {
			t.Fatalf("%s: %v: %s", s.title, err, a.body)
		}
		fmt.Fprintf(&b, "### %s\n> POST /graphql as %s\n%s\n< %d\n%s\n\n", s.title, as, body, a.status, strings.TrimSpace(pretty.String()))
	}
	got := normalise(b.String())
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run Golden -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -run Golden -update rewrites it); got:\n%s", path, got)
	}
}

func TestGoldenQueries(t *testing.T) {
	transcript(t, "queries", []step{
		{title: "me", query: `{ me { id email admin createdAt } }`},
		{title: "models, first page", query: `query($first: Int) { models(first: $first) { totalCount edges { cursor node { name version } } pageInfo { hasNextPage endCursor } } }`,
			vars: map[string]any{"first": 1}},
		{title: "models, next page", query: `query($after: String) { models(first: 1, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } } }`,
			vars: map[string]any{"after": "VE9ETw"}},
		{title: "a model in full", query: `query { model(name: "TODO") {
  id name description version createdAt updatedAt
  entities { name displayName permissions fields { name type required unique default min max minLength maxLength values isIndexed } }
  relationships { name kind from to fromField toField onDelete required }
  pages flows versions { version createdAt } apps { name model createdAt }
} }`},
		{title: "apps", query: `{ apps { name model } app(name: "notes") { name model } }`},
		{title: "a viewer's view", as: viewer, query: `{ models { nodes { name apps { name } } } apps { name } }`},
	})
}

func TestGoldenModelLifecycle(t *testing.T) {
	transcript(t, "model_lifecycle", []step{
		{title: "createModel", query: `mutation($doc: JSON!) { createModel(input: $doc) { name version entities { name fields { name type required } } } }`,
			vars: map[string]any{"doc": map[string]any{"name": "CRM", "description": "Contacts.", "entities": []any{
				map[string]any{"name": "Contact", "fields": []any{map[string]any{"name": "email", "type": "email", "required": true}}}}}}},
		{title: "updateModel", query: `mutation($doc: JSON!) { updateModel(name: "CRM", baseVersion: 1, document: $doc) { version description } }`,
			vars: map[string]any{"doc": map[string]any{"description": "People.", "entities": []any{
				map[string]any{"name": "Contact", "fields": []any{map[string]any{"name": "email", "type": "email", "required": true}}}}}}},
		{title: "updateModel with a stale base", query: `mutation { updateModel(name: "CRM", baseVersion: 1, document: {entities: []}) { version } }`},
		{title: "exportModel", query: `mutation { exportModel(name: "CRM") }`},
		{title: "duplicateModel", query: `mutation { duplicateModel(name: "CRM", newName: "CRM2") { name version description } }`},
		{title: "importModel", query: `mutation { importModel(document: {name: "CRM2", version: 1, description: "Imported.", entities: []}) { name version description } }`},
		{title: "deleteModel", query: `mutation { deleteModel(name: "CRM2") }`},
		{title: "deleteModel of a model an app uses", query: `mutation { deleteModel(name: "TODO") }`},
		{title: "createModel as a viewer", as: viewer, query: `mutation { createModel(input: {name: "Mine"}) { name } }`},
	})
}

func TestGoldenEdits(t *testing.T) {
	transcript(t, "edits", []step{
		{title: "editModel", query: `mutation($edits: [ModelEditInput!]!) { editModel(name: "TODO", baseVersion: 1, edits: $edits) { version description entities { name fields { name type } } } }`,
			vars: map[string]any{"edits": []any{
				map[string]any{"op": "setDescription", "value": "Edited."},
				map[string]any{"op": "addField", "entity": "Tag", "value": map[string]any{"name": "color", "type": "string"}, "index": 0},
			}}},
		{title: "addPage", query: `mutation { addPage(model: "TODO", baseVersion: 2, page: {name: "Tasks", title: "Tasks", components: []}) { version pages } }`},
		{title: "addComponent", query: `mutation { addComponent(model: "TODO", baseVersion: 3, page: "Tasks", component: {id: "grid", type: "DataGrid", position: {row: 0, col: 0, span: 12}, props: {entity: "Task", columns: ["title"]}}) { version pages } }`},
		{title: "diff", query: `{ model(name: "TODO") { version diff(from: 1) { op path before after } } }`},
		{title: "a stale base", query: `mutation { removeEntity(model: "TODO", baseVersion: 2, entity: "Tag") { version } }`},
		{title: "an invalid edit", query: `mutation { updateField(model: "TODO", baseVersion: 4, entity: "Task", field: "title", patch: {type: "colour"}) { version } }`},
		{title: "an unknown field", query: `{ model(name: "TODO") { colour } }`},
	})
}
