package graphql_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/examples"
)

// TestModelTemplates: the templates are offered with their documents, and a
// model made from one is the template's document under the new name.
func TestModelTemplates(t *testing.T) {
	e := newEnv(t)
	var got struct {
		ModelTemplates []struct {
			Name, Title, Description string
			Document                 json.RawMessage
		}
	}
	e.ok(viewer, `{ modelTemplates { name title description document } }`, nil, &got)
	if len(got.ModelTemplates) != 3 {
		t.Fatalf("got %d templates, want 3", len(got.ModelTemplates))
	}
	for i, want := range examples.Templates() {
		g := got.ModelTemplates[i]
		m, err := torque.ParseModel(g.Document)
		if g.Name != want.Name || g.Title != want.Title || g.Description != want.Description || err != nil {
			t.Errorf("template %d: got %s %q %q (parse: %v), want %s", i, g.Name, g.Title, g.Description, err, want.Name)
		}
		if wm, _ := torque.ParseModel(want.Document); err == nil && len(m.Entities) != len(wm.Entities) {
			t.Errorf("template %s: got %d entity types, want %d", g.Name, len(m.Entities), len(wm.Entities))
		}
	}

	e.run([]scenario{
		{name: "creates a model from each template", query: `mutation { a: createModelFromTemplate(template: "contacts", name: "CRM") { name version entities { name } }
			b: createModelFromTemplate(template: "inventory", name: "Stock") { name version pages }
			c: createModelFromTemplate(template: "todo", name: "Tasks") { name version } }`,
			want: []string{`"a":{"name":"CRM","version":1,"entities":[{"name":"Company"},{"name":"Contact"},{"name":"Interaction"},{"name":"Tag"}]}`,
				`"b":{"name":"Stock","version":1,"pages":[{"name":"Products"`, `"c":{"name":"Tasks","version":1}`},
			check: func(t *testing.T, e *env, a *answer) {
				var d struct {
					Model struct{ Document json.RawMessage }
				}
				e.ok(admin, `{ model(name: "CRM") { document } }`, nil, &d)
				want, _ := examples.Lookup("contacts")
				tm, _ := torque.ParseModel(want.Document)
				tm.Normalize()
				gm, err := torque.ParseModel(d.Model.Document)
				if err != nil || gm.Name != "CRM" || len(torque.DiffModels(withName(tm, "CRM"), gm)) != 0 {
					t.Errorf("the model made from contacts differs from the template: %v %v", err, torque.DiffModels(withName(tm, "CRM"), gm))
				}
			}},
		{name: "refuses an unknown template, naming the field", query: `mutation { createModelFromTemplate(template: "crm", name: "X") { name } }`,
			codes: []string{"BAD_USER_INPUT"}, want: []string{`"fields":{"template":"unknown template \"crm\"; one of: todo, contacts, inventory"}`}},
		{name: "refuses a taken name", query: `mutation { createModelFromTemplate(template: "todo", name: "TODO") { name } }`,
			codes: []string{"CONFLICT"}},
		{name: "refuses a bad name", query: `mutation { createModelFromTemplate(template: "todo", name: "no spaces") { name } }`,
			codes: []string{"BAD_USER_INPUT"}, want: []string{`"name":`}},
		{name: "admins only", as: editor, query: `mutation { createModelFromTemplate(template: "todo", name: "Mine") { name } }`,
			codes: []string{"FORBIDDEN"}},
	})
}

func withName(m *torque.Model, name string) *torque.Model {
	c := *m
	c.Name = name
	return &c
}

// TestRestoreModelVersion: an old version's document becomes the next
// version, with updateModel's rules.
func TestRestoreModelVersion(t *testing.T) {
	e := newEnv(t)
	e.ok(editor, `mutation { editModel(name: "TODO", baseVersion: 1, edits: [{op: setDescription, value: "Second."}, {op: removeEntity, entity: "Tag"}]) { version } }`, nil, nil)
	e.ok(editor, `mutation { editModel(name: "TODO", baseVersion: 2, edits: [{op: setDescription, value: "Third."}]) { version } }`, nil, nil)

	e.run([]scenario{
		{name: "lists versions with their documents", as: viewer, query: `{ model(name: "TODO") { versions { version document } } }`,
			want: []string{`{"version":3,"document":{"name":"TODO","description":"Third."`, `{"version":1,"document":{"name":"TODO","description":"Tasks grouped in projects and tagged."`},
			check: func(t *testing.T, e *env, a *answer) {
				var d struct {
					Model struct {
						Versions []struct{ Document json.RawMessage }
					}
				}
				json.Unmarshal(a.Data, &d)
				for i, v := range d.Model.Versions {
					if _, err := torque.ParseModel(v.Document); err != nil || strings.Contains(string(v.Document), `"id"`) {
						t.Errorf("version document %d: %v: %s, want an export", i, err, v.Document)
					}
				}
			}},
		{name: "refuses a stale base with the changes since", as: editor, query: `mutation { restoreModelVersion(name: "TODO", version: 1, baseVersion: 2) { version } }`,
			codes: []string{"CONFLICT"}, want: []string{`"conflict":{"version":3,"changes":[{"op":"update","path":"description","before":"Second.","after":"Third."}]}`}},
		{name: "refuses an unknown version, naming it", as: editor, query: `mutation { restoreModelVersion(name: "TODO", version: 9, baseVersion: 3) { version } }`,
			codes: []string{"NOT_FOUND"}, want: []string{`model \"TODO\" has no version 9`}},
		{name: "refuses a viewer", as: viewer, query: `mutation { restoreModelVersion(name: "TODO", version: 1, baseVersion: 3) { version } }`,
			codes: []string{"FORBIDDEN"}},
		{name: "refuses who cannot see the model", as: outsider, query: `mutation { restoreModelVersion(name: "TODO", version: 1, baseVersion: 3) { version } }`,
			codes: []string{"NOT_FOUND"}},
		{name: "restores version 1 as version 4", as: editor, query: `mutation { restoreModelVersion(name: "TODO", version: 1, baseVersion: 3) { version description entities { name } diff(from: 1) { op path } } }`,
			want: []string{`"version":4,"description":"Tasks grouped in projects and tagged.","entities":[{"name":"Task"},{"name":"Project"},{"name":"Tag"}],"diff":[]`}},
	})
	var d struct {
		Model struct{ Versions []struct{ Version int64 } }
	}
	e.ok(admin, `{ model(name: "TODO") { versions { version } } }`, nil, &d)
	if len(d.Model.Versions) != 4 {
		t.Fatalf("got versions %v, want 4: every version kept", d.Model.Versions)
	}
}

// TestAppMutations: createApp and deleteApp have the rights of REST.
func TestAppMutations(t *testing.T) {
	e := newEnv(t)
	e.run([]scenario{
		{name: "an editor may not create apps", as: editor, query: `mutation { createApp(name: "todo2", model: "TODO") { name } }`, codes: []string{"FORBIDDEN"}},
		{name: "refuses a bad name and an unknown model", query: `mutation { createApp(name: "Todo 2", model: "Nope") { name } }`,
			codes: []string{"BAD_USER_INPUT"}, want: []string{`"name":"must be 1-63 characters`}},
		{name: "refuses an unknown model", query: `mutation { createApp(name: "todo2", model: "Nope") { name } }`,
			codes: []string{"BAD_USER_INPUT"}, want: []string{`"model":"no model named \"Nope\""`}},
		{name: "refuses a taken name", query: `mutation { createApp(name: "todo", model: "TODO") { name } }`, codes: []string{"CONFLICT"}},
		{name: "creates an app", query: `mutation { createApp(name: "todo2", model: "TODO") { name model createdAt } }`,
			want: []string{`"createApp":{"name":"todo2","model":"TODO","createdAt":"`}},
		{name: "an editor may not delete an app", as: editor, query: `mutation { deleteApp(name: "todo") }`, codes: []string{"FORBIDDEN"}},
		{name: "a stranger does not see it", as: outsider, query: `mutation { deleteApp(name: "todo") }`, codes: []string{"NOT_FOUND"}},
		{name: "its owner deletes it", as: outsider, query: `mutation { deleteApp(name: "notes") }`, want: []string{`{"data":{"deleteApp":true}}`}},
		{name: "an admin deletes it", query: `mutation { deleteApp(name: "todo2") }`, want: []string{`{"data":{"deleteApp":true}}`}},
		{name: "gone", query: `{ apps { name } }`, want: []string{`{"data":{"apps":[{"name":"todo"}]}}`}},
	})
}

// TestRefusedDataBreakingEdit: an edit that stored records would break is
// refused with BAD_USER_INPUT naming the part of the document and the edit
// that made it, and the model keeps its version.
func TestRefusedDataBreakingEdit(t *testing.T) {
	e := newEnv(t)
	e.ok(editor, `mutation { updateField(model: "TODO", baseVersion: 1, entity: "Task", field: "due", patch: {type: "string"}) { version } }`, nil, nil)
	sys := torque.WithActor(context.Background(), torque.SystemActor)
	if _, err := e.svc.CreateEntity(sys, "todo", "Task", json.RawMessage(`{"title": "Pay rent", "due": "tomorrow"}`)); err != nil {
		t.Fatal(err)
	}
	e.run([]scenario{
		{name: "refuses a type the stored values do not have", as: editor,
			query: `mutation { updateField(model: "TODO", baseVersion: 2, entity: "Task", field: "due", patch: {type: "date"}) { version } }`,
			codes: []string{"BAD_USER_INPUT"}, want: []string{`1 stored Task record holds a value that is not a date (first: \"tomorrow\")`},
			check: func(t *testing.T, e *env, a *answer) {
				fields, _ := errorAt(t, a).Extensions["fields"].(map[string]any)
				for _, path := range []string{"entities[0].fields[3].type", "edits[0].value.type"} {
					if msg, _ := fields[path].(string); msg == "" {
						t.Errorf("got fields %v, want a problem at %s", fields, path)
					}
				}
			}},
		{name: "the model keeps its version", query: `{ model(name: "TODO") { version entities { name fields { name type } } } }`,
			want: []string{`"version":2`, `{"name":"due","type":"string"}`}},
	})
}
