package graphql_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/torquehq/torque"
)

// scenario is one GraphQL operation and what its answer must be, in the
// manner of PocketBase's tests.ApiScenario. In query, {{v:NAME}} is the
// current version of the model NAME and {{stale:NAME}} the one before.
type scenario struct {
	name   string
	as     string // caller; default admin
	query  string
	vars   map[string]any
	status int      // default 200
	codes  []string // extensions.code of every error, in order; none when nil
	want   []string // substrings the body must hold
	absent []string // substrings it must not hold
	check  func(t *testing.T, e *env, a *answer)
}

var placeholder = regexp.MustCompile(`\{\{(v|stale):([A-Za-z0-9]+)\}\}`)

func (e *env) expand(q string) string {
	return placeholder.ReplaceAllStringFunc(q, func(m string) string {
		p := placeholder.FindStringSubmatch(m)
		v := e.version(p[2])
		if p[1] == "stale" {
			v--
		}
		return strconv.FormatInt(v, 10)
	})
}

// run runs scenarios in order on e. After every refusal (an error or a
// status other than 200) it checks that nothing changed.
func (e *env) run(scenarios []scenario) {
	t := e.t.(*testing.T)
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			as := sc.as
			if as == "" {
				as = admin
			}
			status := sc.status
			if status == 0 {
				status = http.StatusOK
			}
			refusal := status != http.StatusOK || len(sc.codes) > 0
			var before string
			if refusal {
				before = e.snapshot()
			}
			a := e.post(as, e.expand(sc.query), sc.vars)
			if a.status != status {
				t.Errorf("status %d, want %d: %s", a.status, status, a.body)
			}
			if got := a.codes(); !slices.Equal(got, sc.codes) {
				t.Errorf("error codes %v, want %v: %s", got, sc.codes, a.body)
			}
			for _, s := range sc.want {
				if !strings.Contains(a.body, s) {
					t.Errorf("answer lacks %s: %s", s, a.body)
				}
			}
			for _, s := range sc.absent {
				if strings.Contains(a.body, s) {
					t.Errorf("answer holds %s: %s", s, a.body)
				}
			}
			if sc.check != nil {
				sc.check(t, e, a)
			}
			if refusal {
				if after := e.snapshot(); after != before {
					t.Errorf("a refused operation changed something:\nbefore:\n%s\nafter:\n%s", before, after)
				}
			}
		})
	}
}

// errorAt returns the first error, failing the test without one.
func errorAt(t *testing.T, a *answer) gqlError {
	t.Helper()
	if len(a.Errors) == 0 {
		t.Fatalf("no error: %s", a.body)
	}
	return a.Errors[0]
}

func TestQueries(t *testing.T) {
	e := newEnv(t)
	var todoID string
	e.run([]scenario{
		{name: "me", query: `{ me { email admin } }`, want: []string{`"me":{"email":"admin@example.com","admin":true}`}},
		{name: "models lists every model for admins, by name", query: `{ models { totalCount nodes { name version } pageInfo { hasNextPage } } }`,
			want: []string{`"totalCount":2,"nodes":[{"name":"Notes","version":1},{"name":"TODO","version":1}],"pageInfo":{"hasNextPage":false}`}},
		{name: "models search ignores case and reads descriptions", query: `{ models(search: "TASKS grouped") { totalCount nodes { name } } }`,
			want: []string{`"totalCount":1,"nodes":[{"name":"TODO"}]`}},
		{name: "models search by name", query: `{ models(search: "note") { nodes { name } } }`, want: []string{`"nodes":[{"name":"Notes"}]`}},
		{name: "models pages with cursors", query: `{ models(first: 1) { edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }`,
			check: func(t *testing.T, e *env, a *answer) {
				var d struct {
					Models struct {
						Edges []struct {
							Cursor string
							Node   struct{ Name string }
						}
						PageInfo struct {
							HasNextPage bool
							EndCursor   string
						}
					}
				}
				if err := json.Unmarshal(a.Data, &d); err != nil {
					t.Fatal(err)
				}
				p := d.Models
				if len(p.Edges) != 1 || p.Edges[0].Node.Name != "Notes" || !p.PageInfo.HasNextPage || p.PageInfo.EndCursor != p.Edges[0].Cursor {
					t.Fatalf("first page: %s", a.body)
				}
				var next struct {
					Models struct {
						Nodes    []struct{ Name string }
						PageInfo struct{ HasNextPage bool }
					}
				}
				e.ok(admin, `query($after: String) { models(first: 1, after: $after) { nodes { name } pageInfo { hasNextPage } } }`,
					map[string]any{"after": p.PageInfo.EndCursor}, &next)
				if len(next.Models.Nodes) != 1 || next.Models.Nodes[0].Name != "TODO" || next.Models.PageInfo.HasNextPage {
					t.Fatalf("second page: %+v", next)
				}
			}},
		{name: "models refuses first over 100", query: `{ models(first: 101) { totalCount } }`, codes: []string{"BAD_USER_INPUT"},
			want: []string{`"fields":{"first":"must be from 1 to 100"}`, `"path":["models"]`}},
		{name: "models refuses first under 1", query: `{ models(first: 0) { totalCount } }`, codes: []string{"BAD_USER_INPUT"}},
		{name: "models refuses a cursor it did not make", query: `{ models(after: "***") { totalCount } }`, codes: []string{"BAD_USER_INPUT"},
			want: []string{`"after":"must be the endCursor of a previous page"`}},
		{name: "model by name with everything", query: `{ model(name: "TODO") {
				id name description version createdAt updatedAt
				entities { name displayName permissions fields { name displayName type required unique default min max minLength maxLength pattern values indexed isIndexed } }
				relationships { name kind from to fromField toField onDelete required }
				pages flows document versions { version createdAt } apps { name model } } }`,
			want: []string{
				`"name":"TODO","description":"Tasks grouped in projects and tagged.","version":1`,
				`{"name":"title","displayName":"","type":"string","required":true,"unique":false,"default":null,"min":null,"max":null,"minLength":1,"maxLength":200,"pattern":"","values":null,"indexed":null,"isIndexed":false}`,
				`{"name":"status","displayName":"","type":"enum","required":false,"unique":false,"default":"todo"`,
				`"values":["todo","doing","done"]`,
				`{"name":"project_tasks","kind":"one-to-many","from":"Project","to":"Task","fromField":"tasks","toField":"project","onDelete":"cascade","required":false}`,
				`"pages":[],"flows":[]`,
				`"document":{"name":"TODO","description":"Tasks grouped in projects and tagged.","version":1,"entities":[`,
				`"versions":[{"version":1,"createdAt":"`,
				`"apps":[{"name":"todo","model":"TODO"}]`,
			},
			absent: []string{`"document":{"id"`},
			check: func(t *testing.T, e *env, a *answer) {
				var d struct{ Model struct{ ID string } }
				json.Unmarshal(a.Data, &d)
				if todoID = d.Model.ID; todoID == "" {
					t.Fatalf("no id: %s", a.body)
				}
			}},
		{name: "model by id", query: `{ __typename }`,
			check: func(t *testing.T, e *env, _ *answer) {
				a := e.post(admin, `query($id: ID) { model(id: $id) { name } }`, map[string]any{"id": todoID})
				if !strings.Contains(a.body, `{"model":{"name":"TODO"}}`) {
					t.Errorf("by id %q: %s", todoID, a.body)
				}
			}},
		{name: "model by an unknown id", query: `{ model(id: "nope") { name } }`, codes: []string{"NOT_FOUND"}, want: []string{`"data":{"model":null}`}},
		{name: "model by an unknown name", query: `{ model(name: "Nope") { name } }`, codes: []string{"NOT_FOUND"}, want: []string{`"path":["model"]`}},
		{name: "model needs id or name", query: `{ model { name } }`, codes: []string{"BAD_USER_INPUT"}},
		{name: "model refuses id and name together", query: `{ model(id: "x", name: "TODO") { name } }`, codes: []string{"BAD_USER_INPUT"}},
		{name: "apps", query: `{ apps { name model createdAt } }`, want: []string{`{"name":"notes","model":"Notes","createdAt":"`, `{"name":"todo","model":"TODO","createdAt":"`}},
		{name: "app", query: `{ app(name: "todo") { name model } }`, want: []string{`{"app":{"name":"todo","model":"TODO"}}`}},
		{name: "unknown app", query: `{ app(name: "nope") { name } }`, codes: []string{"NOT_FOUND"}},
		{name: "introspection is on", query: `{ __schema { queryType { name } } }`, want: []string{`"queryType":{"name":"Query"}`}},
	})
}

// TestMutations drives every mutation, in the order an editor would.
func TestMutations(t *testing.T) {
	e := newEnv(t)
	e.run([]scenario{
		{name: "createModel", query: `mutation($doc: JSON!) { createModel(input: $doc) { name version entities { name } } }`,
			vars: map[string]any{"doc": map[string]any{"name": "CRM", "entities": []any{map[string]any{"name": "Contact", "fields": []any{map[string]any{"name": "email", "type": "email"}}}}}},
			want: []string{`{"createModel":{"name":"CRM","version":1,"entities":[{"name":"Contact"}]}}`}},
		{name: "createModel takes a literal document", query: `mutation { createModel(input: {name: "Lit", entities: [{name: "A", fields: [{name: "n", type: "integer", min: 1}]}]}) { name version } }`,
			want: []string{`{"createModel":{"name":"Lit","version":1}}`}},
		{name: "createModel refuses an invalid document with its paths", query: `mutation { createModel(input: {name: "Bad", entities: [{name: "A", fields: [{name: "n", type: "nope"}]}]}) { name } }`,
			codes: []string{"BAD_USER_INPUT"}, want: []string{`"fields":{"entities[0].fields[0].type":`, `"path":["createModel"]`, `"data":null`}},
		{name: "createModel refuses a taken name", query: `mutation { createModel(input: {name: "CRM"}) { name } }`, codes: []string{"CONFLICT"}},
		{name: "updateModel", query: `mutation($doc: JSON!) { updateModel(name: "CRM", baseVersion: 1, document: $doc) { version description } }`,
			vars: map[string]any{"doc": map[string]any{"description": "Contacts.", "entities": []any{map[string]any{"name": "Contact", "fields": []any{map[string]any{"name": "email", "type": "email"}}}}}},
			want: []string{`{"updateModel":{"version":2,"description":"Contacts."}}`}},
		{name: "updateModel refuses a stale base with the changes since", query: `mutation { updateModel(name: "CRM", baseVersion: 1, document: {description: "late"}) { version } }`,
			codes: []string{"CONFLICT"},
			check: func(t *testing.T, e *env, a *answer) {
				c, _ := errorAt(t, a).Extensions["conflict"].(map[string]any)
				if c == nil || c["version"] != float64(2) {
					t.Fatalf("conflict %v, want version 2: %s", c, a.body)
				}
				if !strings.Contains(a.body, `"path":"description"`) {
					t.Errorf("conflict lacks the change of description: %s", a.body)
				}
			}},
		{name: "updateModel refuses another name", query: `mutation { updateModel(name: "CRM", baseVersion: {{v:CRM}}, document: {name: "Other"}) { version } }`,
			codes: []string{"BAD_USER_INPUT"}, want: []string{`"fields":{"name":`}},
		{name: "exportModel", query: `mutation { exportModel(name: "CRM") }`,
			want: []string{`{"exportModel":{"name":"CRM","description":"Contacts.","version":2,"entities":[`}, absent: []string{`"id":`}},
		{name: "importModel creates keeping the version", query: `mutation { importModel(document: {name: "Imported", version: 7, entities: []}) { name version } }`,
			want: []string{`{"importModel":{"name":"Imported","version":7}}`}},
		{name: "importModel stores the next version of an existing model", query: `mutation { importModel(document: {name: "Imported", version: 1, description: "again", entities: []}) { version description } }`,
			want: []string{`{"importModel":{"version":8,"description":"again"}}`}},
		{name: "duplicateModel", query: `mutation { duplicateModel(name: "CRM", newName: "CRM2") { name version description } }`,
			want: []string{`{"duplicateModel":{"name":"CRM2","version":1,"description":"Contacts."}}`}},
		{name: "duplicateModel refuses a taken name", query: `mutation { duplicateModel(name: "CRM", newName: "TODO") { name } }`, codes: []string{"CONFLICT"}},
		{name: "deleteModel", query: `mutation { deleteModel(name: "CRM2") }`, want: []string{`{"deleteModel":true}`}},
		{name: "deleteModel refuses a model an app uses", query: `mutation { deleteModel(name: "TODO") }`, codes: []string{"CONFLICT"}},
		{name: "deleteModel of an unknown model", query: `mutation { deleteModel(name: "Nope") }`, codes: []string{"NOT_FOUND"}},

		{name: "editModel applies every edit as one version", query: `mutation { editModel(name: "TODO", baseVersion: {{v:TODO}}, edits: [
				{op: setDescription, value: "Edited."},
				{op: addField, entity: "Task", value: {name: "tags2", type: "string"}},
				{op: updateField, entity: "Task", field: "tags2", value: {maxLength: 30}}
			]) { version description entities { name fields { name maxLength } } } }`,
			want: []string{`"version":2,"description":"Edited."`, `{"name":"tags2","maxLength":30}`}},
		{name: "editModel refuses a stale base with the changes since", query: `mutation { editModel(name: "TODO", baseVersion: {{stale:TODO}}, edits: [{op: setDescription, value: "late"}]) { version } }`,
			codes: []string{"CONFLICT"},
			check: func(t *testing.T, e *env, a *answer) {
				c, _ := errorAt(t, a).Extensions["conflict"].(map[string]any)
				changes, _ := c["changes"].([]any)
				if c["version"] != float64(2) || len(changes) == 0 {
					t.Fatalf("conflict %v, want version 2 and the changes", c)
				}
				if !strings.Contains(a.body, `"path":"entities/Task/fields/tags2"`) {
					t.Errorf("conflict lacks the added field: %s", a.body)
				}
			}},
		{name: "editModel refuses an invalid edit naming its path", query: `mutation { editModel(name: "TODO", baseVersion: {{v:TODO}}, edits: [
				{op: setDescription, value: "fine"},
				{op: addField, entity: "Task", value: {name: "x", type: 7}}]) { version } }`,
			codes: []string{"BAD_USER_INPUT"}, want: []string{`"fields":{"edits[1].value.type":`}},
		{name: "editModel refuses an edit of a missing part", query: `mutation { editModel(name: "TODO", baseVersion: {{v:TODO}}, edits: [{op: removeField, entity: "Task", field: "nope"}]) { version } }`,
			codes: []string{"NOT_FOUND"}, want: []string{`"edits[0].field"`}},
		{name: "editModel refuses an unknown op", query: `mutation { editModel(name: "TODO", baseVersion: 1, edits: [{op: explode}]) { version } }`,
			status: http.StatusUnprocessableEntity, codes: []string{"GRAPHQL_VALIDATION_FAILED"}},

		{name: "addEntity", query: `mutation { addEntity(model: "TODO", baseVersion: {{v:TODO}}, entity: {name: "Label", fields: [{name: "text", type: "string"}]}, index: 0) { entities { name } } }`,
			want: []string{`"entities":[{"name":"Label"},{"name":"Task"}`}},
		{name: "updateEntity", query: `mutation { updateEntity(model: "TODO", baseVersion: {{v:TODO}}, entity: "Label", patch: {displayName: "Labels"}) { entities { name displayName } } }`,
			want: []string{`{"name":"Label","displayName":"Labels"}`}},
		{name: "reorderEntities", query: `mutation { reorderEntities(model: "TODO", baseVersion: {{v:TODO}}, order: ["Task", "Project", "Tag", "Label"]) { entities { name } } }`,
			want: []string{`"entities":[{"name":"Task"},{"name":"Project"},{"name":"Tag"},{"name":"Label"}]`}},
		{name: "addField", query: `mutation { addField(model: "TODO", baseVersion: {{v:TODO}}, entity: "Label", field: {name: "color", type: "string"}, index: 0) { entities { name fields { name } } } }`,
			want: []string{`{"name":"Label","fields":[{"name":"color"},{"name":"text"}]}`}},
		{name: "updateField", query: `mutation { updateField(model: "TODO", baseVersion: {{v:TODO}}, entity: "Label", field: "color", patch: {maxLength: 20, required: true}) { entities { fields { name maxLength required } } } }`,
			want: []string{`{"name":"color","maxLength":20,"required":true}`}},
		{name: "reorderFields", query: `mutation { reorderFields(model: "TODO", baseVersion: {{v:TODO}}, entity: "Label", order: ["text", "color"]) { entities { name fields { name } } } }`,
			want: []string{`{"name":"Label","fields":[{"name":"text"},{"name":"color"}]}`}},
		{name: "removeField", query: `mutation { removeField(model: "TODO", baseVersion: {{v:TODO}}, entity: "Label", field: "color") { entities { name fields { name } } } }`,
			want: []string{`{"name":"Label","fields":[{"name":"text"}]}`}},
		{name: "addRelationship", query: `mutation { addRelationship(model: "TODO", baseVersion: {{v:TODO}}, relationship: {name: "task_labels", kind: "many-to-many", from: "Task", to: "Label", fromField: "labels", toField: "tasks"}) { relationships { name } } }`,
			want: []string{`{"name":"task_labels"}`}},
		{name: "updateRelationship", query: `mutation { updateRelationship(model: "TODO", baseVersion: {{v:TODO}}, relationship: "task_labels", patch: {toField: "labelled"}) { relationships { name toField } } }`,
			want: []string{`{"name":"task_labels","toField":"labelled"}`}},
		{name: "removeRelationship", query: `mutation { removeRelationship(model: "TODO", baseVersion: {{v:TODO}}, relationship: "task_labels") { relationships { name } } }`,
			absent: []string{`task_labels`}},
		{name: "removeEntity", query: `mutation { removeEntity(model: "TODO", baseVersion: {{v:TODO}}, entity: "Label") { entities { name } } }`,
			want: []string{`"entities":[{"name":"Task"},{"name":"Project"},{"name":"Tag"}]`}},
		{name: "addPage", query: `mutation { addPage(model: "TODO", baseVersion: {{v:TODO}}, page: {name: "Tasks", title: "Tasks", components: []}) { pages } }`,
			want: []string{`"pages":[{"components":[],"name":"Tasks","title":"Tasks"}]`}},
		{name: "addPage at the front", query: `mutation { addPage(model: "TODO", baseVersion: {{v:TODO}}, page: {name: "Home"}, index: 0) { pages } }`,
			want: []string{`"pages":[{"name":"Home"},{"components":[]`}},
		{name: "updatePage", query: `mutation { updatePage(model: "TODO", baseVersion: {{v:TODO}}, page: "Tasks", patch: {title: "All tasks"}) { pages } }`,
			want: []string{`"title":"All tasks"`}},
		{name: "reorderPages", query: `mutation { reorderPages(model: "TODO", baseVersion: {{v:TODO}}, order: ["Tasks", "Home"]) { pages } }`,
			want: []string{`"pages":[{"components":[],"name":"Tasks","title":"All tasks"},{"name":"Home"}]`}},
		{name: "removePage", query: `mutation { removePage(model: "TODO", baseVersion: {{v:TODO}}, page: "Home") { pages } }`,
			absent: []string{`Home`}},
		{name: "addComponent", query: `mutation { addComponent(model: "TODO", baseVersion: {{v:TODO}}, page: "Tasks", component: {id: "box", type: "Container", position: {row: 0, col: 0, span: 12}, children: []}) { pages } }`,
			want: []string{`{"children":[],"id":"box","position":{"col":0,"row":0,"span":12},"type":"Container"}`}},
		{name: "addComponent inside a parent", query: `mutation { addComponent(model: "TODO", baseVersion: {{v:TODO}}, page: "Tasks", parent: "box", component: {id: "grid", type: "DataGrid", props: {entity: "Task"}}) { pages } }`,
			want: []string{`"children":[{"id":"grid","props":{"entity":"Task"},"type":"DataGrid"}]`}},
		{name: "addComponent inside a parent again", query: `mutation { addComponent(model: "TODO", baseVersion: {{v:TODO}}, page: "Tasks", parent: "box", component: {id: "new", type: "Button", props: {label: "New"}}, index: 0) { pages } }`,
			want: []string{`"children":[{"id":"new","props":{"label":"New"},"type":"Button"},{"id":"grid","props":{"entity":"Task"},"type":"DataGrid"}]`}},
		{name: "updateComponent", query: `mutation { updateComponent(model: "TODO", baseVersion: {{v:TODO}}, page: "Tasks", component: "new", patch: {props: {label: "New Task"}}) { pages } }`,
			want: []string{`{"id":"new","props":{"label":"New Task"},"type":"Button"}`}},
		{name: "reorderComponents", query: `mutation { reorderComponents(model: "TODO", baseVersion: {{v:TODO}}, page: "Tasks", parent: "box", order: ["grid", "new"]) { pages } }`,
			want: []string{`"children":[{"id":"grid","props":{"entity":"Task"},"type":"DataGrid"},{"id":"new","props":{"label":"New Task"},"type":"Button"}]`}},
		{name: "removeComponent", query: `mutation { removeComponent(model: "TODO", baseVersion: {{v:TODO}}, page: "Tasks", component: "grid") { pages } }`,
			absent: []string{`"grid"`}},
		{name: "addFlow", query: `mutation { addFlow(model: "TODO", baseVersion: {{v:TODO}}, flow: {name: "notify", nodes: []}) { flows } }`,
			want: []string{`"flows":[{"name":"notify","nodes":[]}]`}},
		{name: "updateFlow", query: `mutation { updateFlow(model: "TODO", baseVersion: {{v:TODO}}, flow: "notify", patch: {trigger: "manual"}) { flows } }`,
			want: []string{`"flows":[{"name":"notify","nodes":[],"trigger":"manual"}]`}},
		{name: "removeFlow", query: `mutation { removeFlow(model: "TODO", baseVersion: {{v:TODO}}, flow: "notify") { flows } }`,
			want: []string{`"flows":[]`}},
		{name: "a shorthand refuses a stale base", query: `mutation { removePage(model: "TODO", baseVersion: {{stale:TODO}}, page: "Tasks") { version } }`,
			codes: []string{"CONFLICT"}, want: []string{`"conflict":{"version":`}},

		{name: "diff between two versions", query: `{ model(name: "TODO") { diff(from: 1, to: 2) { op path before after } } }`,
			want: []string{`{"op":"update","path":"description","before":"Tasks grouped in projects and tagged.","after":"Edited."}`,
				`{"op":"add","path":"entities/Task/fields/tags2","before":null,"after":{"maxLength":30,"name":"tags2","type":"string"}}`}},
		{name: "diff to the current version", query: `{ model(name: "TODO") { diff(from: 2) { op path } } }`,
			want: []string{`{"op":"add","path":"pages/Tasks"}`}},
		{name: "diff from a version that never was", query: `{ model(name: "TODO") { diff(from: 999) { op } } }`, codes: []string{"NOT_FOUND"},
			want: []string{`"path":["model","diff"]`}},
		{name: "versions", query: `{ model(name: "TODO") { version versions { version } } }`,
			check: func(t *testing.T, e *env, a *answer) {
				var d struct {
					Model struct {
						Version  int64
						Versions []struct{ Version int64 }
					}
				}
				json.Unmarshal(a.Data, &d)
				if n := len(d.Model.Versions); int64(n) != d.Model.Version || d.Model.Versions[0].Version != d.Model.Version {
					t.Errorf("versions %+v of version %d: want every version, newest first", d.Model.Versions, d.Model.Version)
				}
			}},
	})
}

// TestPermissions checks that GraphQL refuses and allows exactly what REST
// does, as each caller.
func TestPermissions(t *testing.T) {
	e := newEnv(t)
	e.run([]scenario{
		{name: "viewer sees only the models of their apps", as: viewer, query: `{ models { nodes { name apps { name } } } }`,
			want: []string{`"nodes":[{"name":"TODO","apps":[{"name":"todo"}]}]`}},
		{name: "viewer sees only their apps", as: viewer, query: `{ apps { name } }`, want: []string{`{"apps":[{"name":"todo"}]}`}},
		{name: "viewer may read TODO", as: viewer, query: `{ model(name: "TODO") { name versions { version } } }`, want: []string{`"name":"TODO"`}},
		{name: "viewer cannot see Notes", as: viewer, query: `{ model(name: "Notes") { name } }`, codes: []string{"NOT_FOUND"}},
		{name: "viewer cannot find Notes by id", as: viewer, query: `{ model(id: "any") { name } }`, codes: []string{"NOT_FOUND"}},
		{name: "viewer cannot see the app notes", as: viewer, query: `{ app(name: "notes") { name } }`, codes: []string{"NOT_FOUND"}},
		{name: "viewer may not edit TODO", as: viewer, query: `mutation { editModel(name: "TODO", baseVersion: 1, edits: [{op: setDescription, value: "x"}]) { version } }`,
			codes: []string{"FORBIDDEN"}},
		{name: "viewer may not update TODO", as: viewer, query: `mutation { updateModel(name: "TODO", baseVersion: 1, document: {entities: []}) { version } }`,
			codes: []string{"FORBIDDEN"}},
		{name: "viewer may not add an entity", as: viewer, query: `mutation { addEntity(model: "TODO", baseVersion: 1, entity: {name: "X", fields: []}) { version } }`,
			codes: []string{"FORBIDDEN"}},
		{name: "viewer may not create models", as: viewer, query: `mutation { createModel(input: {name: "Mine"}) { name } }`, codes: []string{"FORBIDDEN"}},
		{name: "viewer may not delete models", as: viewer, query: `mutation { deleteModel(name: "TODO") }`, codes: []string{"FORBIDDEN"}},
		{name: "viewer may not duplicate models", as: viewer, query: `mutation { duplicateModel(name: "TODO", newName: "Copy") { name } }`, codes: []string{"FORBIDDEN"}},
		{name: "viewer may export TODO", as: viewer, query: `mutation { exportModel(name: "TODO") }`, want: []string{`"exportModel":{"name":"TODO"`}},
		{name: "viewer may not import over TODO", as: viewer, query: `mutation { importModel(document: {name: "TODO", entities: []}) { version } }`, codes: []string{"FORBIDDEN"}},
		{name: "viewer may not import a new model", as: viewer, query: `mutation { importModel(document: {name: "Fresh", entities: []}) { version } }`, codes: []string{"FORBIDDEN"}},
		{name: "outsider cannot see TODO", as: outsider, query: `{ model(name: "TODO") { name } }`, codes: []string{"NOT_FOUND"}},
		{name: "outsider cannot edit TODO", as: outsider, query: `mutation { removeEntity(model: "TODO", baseVersion: 1, entity: "Tag") { version } }`, codes: []string{"NOT_FOUND"}},
		{name: "outsider sees their own", as: outsider, query: `{ models { nodes { name } } apps { name } }`,
			want: []string{`{"models":{"nodes":[{"name":"Notes"}]},"apps":[{"name":"notes"}]}`}},
		{name: "editor may edit TODO", as: editor, query: `mutation { editModel(name: "TODO", baseVersion: 1, edits: [{op: setDescription, value: "by the editor"}]) { version description } }`,
			want: []string{`{"editModel":{"version":2,"description":"by the editor"}}`}},
		{name: "editor may update TODO", as: editor, query: `mutation { updateField(model: "TODO", baseVersion: {{v:TODO}}, entity: "Task", field: "title", patch: {maxLength: 100}) { version } }`,
			want: []string{`{"updateField":{"version":3}}`}},
		{name: "editor may not create models", as: editor, query: `mutation { createModel(input: {name: "Mine"}) { name } }`, codes: []string{"FORBIDDEN"}},
		{name: "editor may not delete TODO", as: editor, query: `mutation { deleteModel(name: "TODO") }`, codes: []string{"FORBIDDEN"}},
		{name: "editor me", as: editor, query: `{ me { email admin } }`, want: []string{`{"me":{"email":"editor@example.com","admin":false}}`}},
		{name: "anonymous is refused over HTTP", as: anonymous, query: `{ models { totalCount } }`, status: http.StatusUnauthorized,
			want: []string{`"code":"EUNAUTHORIZED"`}},
		{name: "anonymous may not mutate", as: anonymous, query: `mutation { deleteModel(name: "Notes") }`, status: http.StatusUnauthorized},
	})
}

// TestBadInput sends operations that must be refused whole, changing
// nothing.
func TestBadInput(t *testing.T) {
	e := newEnv(t)
	e.run([]scenario{
		{name: "malformed query", query: `{ models { `, status: http.StatusUnprocessableEntity, codes: []string{"GRAPHQL_PARSE_FAILED"}},
		{name: "unknown field", query: `{ models { nodes { colour } } }`, status: http.StatusUnprocessableEntity, codes: []string{"GRAPHQL_VALIDATION_FAILED"},
			want: []string{`Cannot query field \"colour\" on type \"Model\"`}},
		{name: "unknown argument", query: `mutation { deleteModel(name: "Notes", force: true) }`, status: http.StatusUnprocessableEntity, codes: []string{"GRAPHQL_VALIDATION_FAILED"}},
		{name: "missing argument", query: `mutation { deleteModel }`, status: http.StatusUnprocessableEntity, codes: []string{"GRAPHQL_VALIDATION_FAILED"}},
		{name: "wrong variable type", query: `mutation($n: Int!) { deleteModel(name: $n) }`, vars: map[string]any{"n": 1},
			status: http.StatusUnprocessableEntity, codes: []string{"GRAPHQL_VALIDATION_FAILED"}},
		{name: "too complex", query: `{ models(first: 100) { nodes { versions { version createdAt } diff(from: 1) { op path } } } }`,
			status: http.StatusUnprocessableEntity, codes: []string{"COMPLEXITY_LIMIT_EXCEEDED"}},
		{name: "a mutation too complex too", query: `mutation { deleteModel(name: "Notes") a: createModel(input: {name: "A"}) { versions { version } diff(from: 1) { op } apps { name } } b: createModel(input: {name: "B"}) { versions { version } diff(from: 1) { op } apps { name } } c: createModel(input: {name: "C"}) { versions { version } diff(from: 1) { op } apps { name } } d: createModel(input: {name: "D"}) { versions { version } diff(from: 1) { op } apps { name } } e: createModel(input: {name: "E"}) { versions { version } diff(from: 1) { op } apps { name } } f: createModel(input: {name: "F"}) { versions { version } diff(from: 1) { op } apps { name } } g: createModel(input: {name: "G"}) { versions { version } diff(from: 1) { op } apps { name } } h: createModel(input: {name: "H"}) { versions { version } diff(from: 1) { op } apps { name } } i: createModel(input: {name: "I"}) { versions { version } diff(from: 1) { op } apps { name } } j: createModel(input: {name: "J"}) { versions { version } diff(from: 1) { op } apps { name } } k: createModel(input: {name: "K"}) { versions { version } diff(from: 1) { op } apps { name } } l: createModel(input: {name: "L"}) { versions { version } diff(from: 1) { op } apps { name } } m: createModel(input: {name: "M"}) { versions { version } diff(from: 1) { op } apps { name } } }`,
			status: http.StatusUnprocessableEntity, codes: []string{"COMPLEXITY_LIMIT_EXCEEDED"}},
		{name: "a document that is not an object", query: `mutation { createModel(input: [1, 2]) { name } }`, codes: []string{"BAD_USER_INPUT"}, want: []string{`"fields":{"$":`}},
		{name: "empty cursor", query: `{ models(first: 1, after: "") { totalCount } }`, codes: []string{"BAD_USER_INPUT"}},
	})
}

// TestComplexityLimit: the Model Editor's models list, with the
// __typename Apollo Client adds to every selection set, is served at every
// page size; operations that make the service read per item are refused
// before they run (limits_test.go has the costs).
func TestComplexityLimit(t *testing.T) {
	const list = `query Models($first: Int) { models(first: $first) { __typename totalCount pageInfo { __typename hasNextPage endCursor } edges { __typename node { __typename id name description version updatedAt entities { __typename name } } } } }`
	e := newEnv(t)
	e.run([]scenario{
		{name: "the editor's list, default page", query: list,
			want: []string{`"totalCount":2`, `"__typename":"ModelConnection"`, `"entities":[{"__typename":"EntityType","name":"Task"}`}},
		{name: "the editor's list, 50", query: list, vars: map[string]any{"first": 50}, want: []string{`"totalCount":2`}},
		{name: "the editor's list, 100", query: list, vars: map[string]any{"first": 100}, want: []string{`"totalCount":2`}},
		{name: "versions of every model of a page", query: `{ models { nodes { __typename name versions { __typename version } } } }`,
			status: http.StatusUnprocessableEntity, codes: []string{"COMPLEXITY_LIMIT_EXCEEDED"}, want: []string{`operation has complexity 1051, which exceeds the limit of 500`}},
		{name: "versions and diffs of 100 models", query: `{ models(first: 100) { nodes { versions { version createdAt } diff(from: 1) { op path } } } }`,
			status: http.StatusUnprocessableEntity, codes: []string{"COMPLEXITY_LIMIT_EXCEEDED"}, want: []string{`operation has complexity 4101,`}},
	})
}

// TestHTTPTransport checks the HTTP side: GET runs queries only, bodies are
// bounded, other methods are refused.
func TestHTTPTransport(t *testing.T) {
	e := newEnv(t)
	t.Run("GET runs a query", func(t *testing.T) {
		a := e.send(admin, http.MethodGet, "/graphql?query="+urlQuery(`{ me { email } }`), nil, nil)
		if a.status != http.StatusOK || !strings.Contains(a.body, `"admin@example.com"`) {
			t.Fatalf("status %d: %s", a.status, a.body)
		}
	})
	t.Run("GET refuses a mutation", func(t *testing.T) {
		before := e.snapshot()
		a := e.send(admin, http.MethodGet, "/graphql?query="+urlQuery(`mutation { deleteModel(name: "Notes") }`), nil, nil)
		if a.status != http.StatusNotAcceptable || !strings.Contains(a.body, `"code":"BAD_REQUEST"`) || !strings.Contains(a.body, "GET runs queries only") {
			t.Fatalf("status %d, want 406: %s", a.status, a.body)
		}
		if e.snapshot() != before {
			t.Fatal("a GET mutation changed something")
		}
	})
	t.Run("GET refuses unknown parameters", func(t *testing.T) {
		a := e.send(admin, http.MethodGet, "/graphql?query=%7Bme%7Bemail%7D%7D&debug=1", nil, nil)
		if a.status != http.StatusBadRequest {
			t.Fatalf("status %d, want 400: %s", a.status, a.body)
		}
	})
	t.Run("bodies over the limit", func(t *testing.T) {
		before := e.snapshot()
		big := `{"query": "mutation($d: JSON!) { createModel(input: $d) { name } }", "variables": {"d": {"name": "Big", "description": "` +
			strings.Repeat("x", 4<<20) + `"}}}`
		a := e.send(admin, http.MethodPost, "/graphql", []byte(big), nil)
		if a.status != http.StatusRequestEntityTooLarge || !slices.Equal(a.codes(), []string{"TOO_LARGE"}) {
			t.Fatalf("status %d, want 413 TOO_LARGE: %.300s", a.status, a.body)
		}
		if e.snapshot() != before {
			t.Fatal("a refused body changed something")
		}
	})
	t.Run("other methods", func(t *testing.T) {
		a := e.send(admin, http.MethodPut, "/graphql", []byte(`{}`), nil)
		if a.status != http.StatusMethodNotAllowed || a.header.Get("Allow") != "GET, HEAD, POST" {
			t.Fatalf("status %d, Allow %q: %s", a.status, a.header.Get("Allow"), a.body)
		}
	})
	t.Run("anonymous GET", func(t *testing.T) {
		a := e.send(anonymous, http.MethodGet, "/graphql?query="+urlQuery(`{ me { email } }`), nil, nil)
		if a.status != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401: %s", a.status, a.body)
		}
	})
	t.Run("cookie writes need an allowed origin", func(t *testing.T) {
		before := e.snapshot()
		cookie := map[string]string{"Cookie": "torque_session=" + e.session(admin), "Origin": "https://evil.example"}
		body := []byte(`{"query": "mutation { deleteModel(name: \"Notes\") }"}`)
		a := e.send(anonymous, http.MethodPost, "/graphql", body, cookie)
		if a.status != http.StatusForbidden {
			t.Fatalf("status %d, want 403: %s", a.status, a.body)
		}
		if e.snapshot() != before {
			t.Fatal("a cross-site write changed something")
		}
		cookie["Origin"] = e.srv.URL
		a = e.send(anonymous, http.MethodPost, "/graphql", []byte(`{"query": "{ me { email } }"}`), cookie)
		if a.status != http.StatusOK || !strings.Contains(a.body, "admin@example.com") {
			t.Fatalf("same origin: status %d: %s", a.status, a.body)
		}
	})
}

// TestDepthLimit checks that operations nested deeper than the limit are
// refused before they run, fragments counted. The schema nests at most six
// levels, so the env lowers the limit to see it act end to end.
func TestDepthLimit(t *testing.T) {
	e := newEnvWith(t, options{depth: 4})
	e.run([]scenario{
		{name: "at the limit", query: `{ models { nodes { entities { name } } } }`},
		{name: "one deeper", query: `{ models { nodes { entities { fields { name } } } } }`,
			status: http.StatusUnprocessableEntity, codes: []string{"DEPTH_LIMIT_EXCEEDED"}, want: []string{"depth 5, which exceeds the limit of 4"}},
		{name: "deeper through fragments", query: `{ models { ...M } } fragment M on ModelConnection { nodes { ... on Model { entities { ...E } } } } fragment E on EntityType { fields { name } }`,
			status: http.StatusUnprocessableEntity, codes: []string{"DEPTH_LIMIT_EXCEEDED"}},
		{name: "introspection is not counted", query: `{ __schema { types { fields { type { ofType { ofType { name } } } } } } }`},
	})
}

func urlQuery(s string) string { return url.QueryEscape(s) }

// TestEditorsRacing: two editors save at once from the same version. One
// wins; the other gets CONFLICT with the winner's change, merges by
// applying its own edit on the version it is told of, and nothing is lost.
func TestEditorsRacing(t *testing.T) {
	e := newEnv(t)
	base := e.version("TODO")
	edit := func(field string, version int64) *answer {
		return e.post(editor, fmt.Sprintf(`mutation { editModel(name: "TODO", baseVersion: %d, edits: [{op: addField, entity: "Task", value: {name: %q, type: "string"}}]) { version } }`, version, field), nil)
	}
	answers := make([]*answer, 2)
	var wg sync.WaitGroup
	for i, field := range []string{"left", "right"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = edit(field, base)
		}()
	}
	wg.Wait()
	var lost []string
	for i, a := range answers {
		if len(a.Errors) == 0 {
			continue
		}
		if got := a.codes(); len(got) != 1 || got[0] != "CONFLICT" {
			t.Fatalf("answer %d: %s, want CONFLICT or success", i, a.body)
		}
		var ext struct {
			Conflict torque.Conflict `json:"conflict"`
		}
		raw, err := json.Marshal(a.Errors[0].Extensions)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &ext); err != nil {
			t.Fatal(err)
		}
		winner := []string{"left", "right"}[1-i]
		if ext.Conflict.Version != base+1 || len(ext.Conflict.Changes) != 1 || ext.Conflict.Changes[0].Path != "entities/Task/fields/"+winner {
			t.Fatalf("conflict %+v, want version %d and the %s field", ext.Conflict, base+1, winner)
		}
		lost = append(lost, []string{"left", "right"}[i])
		if a := edit(lost[0], ext.Conflict.Version); len(a.Errors) > 0 {
			t.Fatalf("retry on the current version: %s", a.body)
		}
	}
	if len(lost) != 1 {
		t.Fatalf("%d editors met a conflict, want exactly 1: %s / %s", len(lost), answers[0].body, answers[1].body)
	}
	var out struct {
		Model struct {
			Version  int64
			Entities []struct {
				Name   string
				Fields []struct{ Name string }
			}
		}
	}
	e.ok(admin, `{ model(name: "TODO") { version entities { name fields { name } } } }`, nil, &out)
	names := map[string]bool{}
	for _, et := range out.Model.Entities {
		for _, f := range et.Fields {
			names[et.Name+"."+f.Name] = true
		}
	}
	if out.Model.Version != base+2 || !names["Task.left"] || !names["Task.right"] {
		t.Fatalf("model version %d with fields %v, want %d with both", out.Model.Version, names, base+2)
	}
}
