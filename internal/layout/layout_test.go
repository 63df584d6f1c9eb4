package layout

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/torquehq/torque"
)

// workModel is a model of tasks in projects; its pages are set by tests.
const workModel = `{
  "name": "work",
  "version": 3,
  "entities": [
    {"name": "Task", "fields": [
      {"name": "title", "type": "string", "required": true, "minLength": 1, "maxLength": 200},
      {"name": "description", "type": "text"},
      {"name": "status", "type": "enum", "values": ["todo", "doing", "done"], "default": "todo"},
      {"name": "due", "type": "date"},
      {"name": "priority", "type": "integer", "min": 1, "max": 5},
      {"name": "meta", "type": "json"}
    ]},
    {"name": "Project", "fields": [
      {"name": "name", "type": "string", "required": true},
      {"name": "budget", "type": "number"}
    ]}
  ],
  "relationships": [
    {"name": "projectTasks", "kind": "one-to-many", "from": "Project", "to": "Task",
     "fromField": "tasks", "toField": "project", "required": true}
  ]
}`

// testModel returns workModel with pages, a JSON array of page objects
// ("" for none).
func testModel(t testing.TB, pages string) *torque.Model {
	t.Helper()
	m, err := torque.ParseModel([]byte(workModel))
	if err != nil {
		t.Fatal(err)
	}
	if pages != "" {
		if err := json.Unmarshal([]byte(pages), &m.Pages); err != nil {
			t.Fatalf("pages: %v", err)
		}
	}
	return m
}

// todoModel reads examples/todo/model.json.
func todoModel(t testing.TB) *torque.Model {
	t.Helper()
	data, err := os.ReadFile("../../examples/todo/model.json")
	if err != nil {
		t.Fatal(err)
	}
	m, err := torque.ParseModel(data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// mustBuild builds m, failing the test on error, and checks the layout's
// invariants.
func mustBuild(t testing.TB, m *torque.Model) *Layout {
	t.Helper()
	l, err := Build(m)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	if msg := invariantProblem(l); msg != "" {
		t.Fatalf("layout breaks an invariant: %s", msg)
	}
	return l
}

// invariantProblem returns what a built layout breaks of the promises of
// the package, or "": unique page names and routes, unique component ids
// per page, valid positions (required at the top level except for Modals,
// absent on Modals), non-nil props, known types, and actions whose modal,
// target and page name what they must.
func invariantProblem(l *Layout) string {
	names, routes := map[string]bool{}, map[string]bool{}
	for _, pg := range l.Pages {
		if names[pg.Name] || routes[pg.Route] {
			return fmt.Sprintf("page %q or route %q is used twice", pg.Name, pg.Route)
		}
		names[pg.Name], routes[pg.Route] = true, true
		if pg.Components == nil || checkRoute(pg.Route) != "" {
			return fmt.Sprintf("page %q: nil components or route %q", pg.Name, pg.Route)
		}
	}
	for _, pg := range l.Pages {
		types := map[string]string{}
		var walk func(cs []Component, top bool) string
		walk = func(cs []Component, top bool) string {
			for _, c := range cs {
				if _, dup := types[c.ID]; dup || !validID(c.ID) {
					return fmt.Sprintf("page %q: bad or repeated id %q", pg.Name, c.ID)
				}
				types[c.ID] = c.Type
				if lookupComponentType(c.Type) == nil || c.Props == nil {
					return fmt.Sprintf("page %q: component %q has type %q, props %v", pg.Name, c.ID, c.Type, c.Props)
				}
				switch p := c.Position; {
				case c.Type == TypeModal && p != nil, top && c.Type != TypeModal && p == nil:
					return fmt.Sprintf("page %q: component %q has position %v", pg.Name, c.ID, p)
				case p != nil && (p.Row < 0 || p.Col < 0 || p.Col > 11 || p.Span < 1 || p.Span > 12 || p.Col+p.Span > 12):
					return fmt.Sprintf("page %q: component %q has position %+v", pg.Name, c.ID, *p)
				}
				if msg := walk(c.Children, false); msg != "" {
					return msg
				}
			}
			return ""
		}
		if msg := walk(pg.Components, true); msg != "" {
			return msg
		}
		var check func(cs []Component) string
		check = func(cs []Component) string {
			for _, c := range cs {
				for ev, a := range c.Actions {
					bad := false
					switch a.Type {
					case ActionOpenModal, ActionCloseModal:
						bad = types[a.Modal] != TypeModal
					case ActionNavigateTo:
						bad = !names[a.Page]
					case ActionRefresh:
						_, ok := types[a.Target]
						bad = a.Target != "" && !ok
					case ActionSubmitForm, ActionDeleteEntity:
					default:
						bad = true
					}
					if bad {
						return fmt.Sprintf("page %q: component %q: %s: %+v", pg.Name, c.ID, ev, a)
					}
				}
				if msg := check(c.Children); msg != "" {
					return msg
				}
			}
			return ""
		}
		if msg := check(pg.Components); msg != "" {
			return msg
		}
	}
	return ""
}

// marshal returns the JSON of v.
func marshal(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBuildTODO(t *testing.T) {
	l := mustBuild(t, todoModel(t))
	if l.Model != "TODO" || l.Version != 1 {
		t.Errorf("got model %q version %d, want TODO 1", l.Model, l.Version)
	}
	if got, want := pageKeys(l), []string{"Tasks /tasks  false", "Task details /tasks/{id} Task true"}; !slices.Equal(got, want) {
		t.Fatalf("got pages %q, want %q (Task has its list, not its detail page)", got, want)
	}
	pg := l.Page("Tasks")
	if pg == nil || l.PageByRoute("/tasks") != pg {
		t.Fatalf("got page %v by name, %v by route", pg, l.PageByRoute("/tasks"))
	}
	if l.Page("Nope") != nil || l.PageByRoute("/nope") != nil {
		t.Error("found a page that does not exist")
	}
	want := `{"name":"Tasks","route":"/tasks","title":"Tasks","generated":false,"components":[` +
		`{"id":"new-task","type":"Button","position":{"row":0,"col":0,"span":2},"props":{"label":"New Task"},"actions":{"onClick":{"type":"openModal","modal":"task-form"}}},` +
		`{"id":"tasks-grid","type":"DataGrid","position":{"row":1,"col":0,"span":12},"props":{"columns":["title","status","due","priority"],"entity":"Task","pageSize":20,"sort":"due"},` +
		`"actions":{"onRowClick":{"type":"navigateTo","page":"Task details"}}},` +
		`{"id":"task-form","type":"Modal","props":{"title":"New Task"},"children":[` +
		`{"id":"task-form-fields","type":"Form","props":{"entity":"Task","fields":["title","description","status","due","priority"],"submitLabel":"Save"},"actions":{"onSubmit":{"type":"submitForm"}}}]}]}`
	if got := marshal(t, pg); got != want {
		t.Errorf("got page\n%s\nwant\n%s", got, want)
	}
}

func TestBuildValid(t *testing.T) {
	tests := []struct {
		name  string
		pages string
		check func(t *testing.T, l *Layout)
	}{
		{
			name:  "generates a page for every entity type without pages",
			pages: "",
			check: func(t *testing.T, l *Layout) {
				got := pageKeys(l)
				want := []string{"Tasks /tasks Task true", "Task details /tasks/{id} Task true",
					"Projects /projects Project true", "Project details /projects/{id} Project true"}
				if !slices.Equal(got, want) {
					t.Errorf("got pages %q, want %q", got, want)
				}
			},
		},
		{
			name: "fills defaults: route and title from the name, col 0 and span to the end of the row, grid columns and page size, form fields and submit label",
			pages: `[{"name": "Task Board", "components": [
				{"id": "grid", "type": "DataGrid", "position": {"row": 0}, "props": {"entity": "Task"}},
				{"id": "form", "type": "Form", "position": {"row": 1, "col": 6}, "props": {"entity": "Task"}},
				{"id": "detail", "type": "Detail", "position": {"row": 2}, "props": {"entity": "Project"}}
			]}]`,
			check: func(t *testing.T, l *Layout) {
				pg := l.Pages[0]
				if pg.Route != "/task-board" || pg.Title != "Task Board" || pg.Generated {
					t.Errorf("got route %q title %q generated %v, want /task-board, Task Board, false", pg.Route, pg.Title, pg.Generated)
				}
				want := `[{"id":"grid","type":"DataGrid","position":{"row":0,"col":0,"span":12},"props":{"columns":["title","status","due","priority"],"entity":"Task","pageSize":20},` +
					`"actions":{"onRowClick":{"type":"navigateTo","page":"Task details"}}},` +
					`{"id":"form","type":"Form","position":{"row":1,"col":6,"span":6},"props":{"entity":"Task","fields":["title","description","status","due","priority","meta","project"],"submitLabel":"Save"}},` +
					`{"id":"detail","type":"Detail","position":{"row":2,"col":0,"span":12},"props":{"entity":"Project","fields":["name","budget"]}}]`
				if got := marshal(t, pg.Components); got != want {
					t.Errorf("got components\n%s\nwant\n%s", got, want)
				}
			},
		},
		{
			name:  "a page without components, with route / and a title of its own",
			pages: `[{"name": "Home", "route": "/", "title": "Welcome"}]`,
			check: func(t *testing.T, l *Layout) {
				if got := marshal(t, l.Pages[0]); got != `{"name":"Home","route":"/","title":"Welcome","generated":false,"components":[]}` {
					t.Errorf("got %s", got)
				}
			},
		},
		{
			name: "grid props: columns with reference and system fields, sort, filter, page size as 50.0",
			pages: `[{"name": "Tasks", "components": [{"id": "g", "type": "DataGrid", "position": {"row": 0, "col": 0, "span": 12},
				"props": {"entity": "Task", "columns": ["title", "project", "createdAt", "id", "createdBy", "updatedAt", "meta"],
				          "sort": "-createdAt, title", "filter": "status = \"todo\" and project is not null", "pageSize": 50.0}}]}]`,
			check: func(t *testing.T, l *Layout) {
				want := `{"columns":["title","project","createdAt","id","createdBy","updatedAt","meta"],"entity":"Task","filter":"status = \"todo\" and project is not null","pageSize":50,"sort":"-createdAt, title"}`
				if got := marshal(t, l.Pages[0].Components[0].Props); got != want {
					t.Errorf("got props %s, want %s", got, want)
				}
				if got := pageKeys(l); !slices.Equal(got, []string{"Tasks /tasks  false", "Task details /tasks/{id} Task true",
					"Projects /projects Project true", "Project details /projects/{id} Project true"}) {
					t.Errorf("got pages %q: Task is covered, Project is not", got)
				}
			},
		},
		{
			name: "a grid in a container covers its entity type; a Detail may show system fields",
			pages: `[{"name": "Projects", "route": "/p", "components": [
				{"id": "box", "type": "Container", "position": {"row": 0, "span": 12}, "children": [
					{"id": "g", "type": "DataGrid", "position": {"row": 0, "col": 0, "span": 8}, "props": {"entity": "Project"}},
					{"id": "d", "type": "Detail", "props": {"entity": "Project", "fields": ["name", "id", "createdAt"]}}
				]}
			]}]`,
			check: func(t *testing.T, l *Layout) {
				if got := pageKeys(l); !slices.Equal(got, []string{"Projects /p  false", "Tasks /tasks Task true", "Task details /tasks/{id} Task true",
					"Project details /projects/{id} Project true"}) {
					t.Errorf("got pages %q", got)
				}
				box := l.Pages[0].Components[0]
				if len(box.Children) != 2 || box.Children[1].Position != nil || *box.Children[0].Position != (Position{0, 0, 8}) {
					t.Errorf("got children %s", marshal(t, box.Children))
				}
			},
		},
		{
			name: "every action type: modals anywhere in the page, refresh with and without a target, navigation to declared and generated pages",
			pages: `[{"name": "Board", "components": [
				{"id": "to-projects", "type": "Button", "position": {"row": 0, "col": 0, "span": 3}, "props": {"label": "Projects"},
				 "actions": {"onClick": {"type": "navigateTo", "page": "Projects"}}},
				{"id": "home", "type": "Button", "position": {"row": 0, "col": 3, "span": 3}, "props": {"label": "Home"},
				 "actions": {"onClick": {"type": "navigateTo", "page": "Board"}}},
				{"id": "again", "type": "Button", "position": {"row": 0, "col": 6, "span": 3}, "props": {"label": "Reload"},
				 "actions": {"onClick": {"type": "refresh"}}},
				{"id": "grid", "type": "DataGrid", "position": {"row": 1, "span": 12}, "props": {"entity": "Task"},
				 "actions": {"onRowClick": {"type": "openModal", "modal": "edit"}, "onRowDelete": {"type": "deleteEntity", "confirm": "Sure?"}}},
				{"id": "box", "type": "Container", "position": {"row": 2, "span": 12}, "children": [
					{"id": "edit", "type": "Modal", "props": {"title": "Edit"}, "children": [
						{"id": "f", "type": "Form", "props": {"entity": "Task", "fields": ["title", "project"], "submitLabel": "Go"},
						 "actions": {"onSubmit": {"type": "submitForm"}, "onSuccess": {"type": "refresh", "target": "grid"},
						             "onCancel": {"type": "closeModal", "modal": "edit"}}}
					]}
				]},
				{"id": "note", "type": "Text", "position": {"row": 3, "col": 11, "span": 1}, "props": {"text": ""}}
			]}]`,
			check: func(t *testing.T, l *Layout) {
				f := l.Pages[0].Components[4].Children[0].Children[0]
				want := `{"id":"f","type":"Form","props":{"entity":"Task","fields":["title","project"],"submitLabel":"Go"},"actions":{"onCancel":{"type":"closeModal","modal":"edit"},"onSubmit":{"type":"submitForm"},"onSuccess":{"type":"refresh","target":"grid"}}}`
				if got := marshal(t, f); got != want {
					t.Errorf("got form\n%s\nwant\n%s", got, want)
				}
			},
		},
		{
			name: "a modal, a text and a container without props",
			pages: `[{"name": "Bare", "components": [
				{"id": "m", "type": "Modal"},
				{"id": "c", "type": "Container", "position": {"row": 0, "col": 0, "span": 12}, "props": {}},
				{"id": "c2", "type": "Container", "position": {"row": 1}, "children": []}
			]}]`,
			check: func(t *testing.T, l *Layout) {
				want := `[{"id":"m","type":"Modal","props":{}},{"id":"c","type":"Container","position":{"row":0,"col":0,"span":12},"props":{}},{"id":"c2","type":"Container","position":{"row":1,"col":0,"span":12},"props":{}}]`
				if got := marshal(t, l.Pages[0].Components); got != want {
					t.Errorf("got %s, want %s", got, want)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testModel(t, tt.pages)
			l := mustBuild(t, m)
			if l.Model != "work" || l.Version != 3 {
				t.Errorf("got model %q version %d, want work 3", l.Model, l.Version)
			}
			tt.check(t, l)
			if again := mustBuild(t, m); marshal(t, again) != marshal(t, l) {
				t.Error("a second Build gave other JSON")
			}
		})
	}
}

// pageKeys returns "name route entity generated" of each page of l.
func pageKeys(l *Layout) []string {
	keys := make([]string, len(l.Pages))
	for i, pg := range l.Pages {
		keys[i] = fmt.Sprintf("%s %s %s %v", pg.Name, pg.Route, pg.Entity, pg.Generated)
	}
	return keys
}

// grid is a valid top-level component, for pages of invalid tests.
const okGrid = `{"id": "g", "type": "DataGrid", "position": {"row": 0}, "props": {"entity": "Task"}}`

// page wraps components (a JSON list without brackets) in a page "P".
func page(components string) string {
	return `[{"name": "P", "components": [` + components + `]}]`
}

func TestBuildInvalid(t *testing.T) {
	tests := []struct {
		name  string
		pages string
		raw   []string // pages as raw JSON, when pages is ""
		want  map[string]string
	}{
		// Pages.
		{name: "a page that is not an object", pages: `[1]`,
			want: map[string]string{"pages[0]": "must be an object"}},
		{name: "a page that is not JSON", raw: []string{`{"name": "P",`},
			want: map[string]string{"pages[0]": "must be a JSON object: unexpected EOF"}},
		{name: "a page with data after it", raw: []string{`{"name": "P"} {}`},
			want: map[string]string{"pages[0]": "must be a JSON object: unexpected data after the value"}},
		{name: "a page with invalid UTF-8", raw: []string{"{\"name\": \"P\xff\"}"},
			want: map[string]string{"pages[0]": "must be a JSON object: invalid UTF-8"}},
		{name: "a page nested too deep", raw: []string{`{"name": "P", "title": ` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}`},
			want: map[string]string{"pages[0]": "must be a JSON object: nesting deeper than 512 levels"}},
		{name: "duplicate and unknown page keys", pages: `[{"name": "P", "name": "Q", "icon": "x", "my key": 1}]`,
			want: map[string]string{"pages[0].name": "duplicate key", "pages[0].icon": "unknown key", `pages[0]["my key"]`: "unknown key"}},
		{name: "a page without a name", pages: `[{"route": "/p"}]`,
			want: map[string]string{"pages[0].name": "is required"}},
		{name: "names that are not strings, empty, too long or route-like", pages: `[{"name": 1, "route": "/a"}, {"name": ""}, {"name": "` + strings.Repeat("n", 201) + `"}, {"name": "/p", "route": "/d"}]`,
			want: map[string]string{
				"pages[0].name": "must be a string", "pages[1].name": "must not be empty",
				"pages[2].name": "must be at most 200 characters", "pages[3].name": `must not start with "/" (routes do)`,
			}},
		{name: "two pages with one name", pages: `[{"name": "P", "route": "/a"}, {"name": "P", "route": "/b"}]`,
			want: map[string]string{"pages[1].name": `page name "P" is already used by pages[0].name`}},
		{name: "bad routes", pages: `[{"name": "A", "route": 1}, {"name": "B", "route": "b"}, {"name": "C", "route": "/c//d"}, {"name": "D", "route": "/d e"},
			{"name": "E", "route": "/e/../f"}, {"name": "F", "route": "/` + strings.Repeat("f", 200) + `"}, {"name": "G", "route": "/g/"}, {"name": "H", "route": ""}]`,
			want: map[string]string{
				"pages[0].route": "must be a string",
				"pages[1].route": `must be "/" followed by segments of letters, digits, "-", "_", "." or "~" separated by "/"`,
				"pages[2].route": `must be "/" followed by segments of letters, digits, "-", "_", "." or "~" separated by "/"`,
				"pages[3].route": `must be "/" followed by segments of letters, digits, "-", "_", "." or "~" separated by "/"`,
				"pages[4].route": `must be "/" followed by segments of letters, digits, "-", "_", "." or "~" separated by "/"`,
				"pages[5].route": "must be at most 200 bytes",
				"pages[6].route": `must be "/" followed by segments of letters, digits, "-", "_", "." or "~" separated by "/"`,
				"pages[7].route": `must be "/" followed by segments of letters, digits, "-", "_", "." or "~" separated by "/"`,
			}},
		{name: "two pages with one route, given or made from the name", pages: `[{"name": "My Tasks"}, {"name": "Other", "route": "/my-tasks"}, {"name": "my_tasks"}]`,
			want: map[string]string{
				"pages[1].route": `route "/my-tasks" is already used by pages[0].route`,
				"pages[2].route": `route "/my-tasks" is already used by pages[0].route`,
			}},
		{name: "a name no route can be made from", pages: `[{"name": "!!!"}]`,
			want: map[string]string{"pages[0].route": `is required: no route can be made from the name "!!!"`}},
		{name: "bad titles", pages: `[{"name": "A", "title": 1}, {"name": "B", "title": "` + strings.Repeat("t", 201) + `"}]`,
			want: map[string]string{"pages[0].title": "must be a string", "pages[1].title": "must be at most 200 characters"}},
		{name: "components that are not an array", pages: `[{"name": "P", "components": {}}]`,
			want: map[string]string{"pages[0].components": "must be an array"}},

		// Components.
		{name: "a component that is not an object", pages: page(`[]`),
			want: map[string]string{"pages[0].components[0]": "must be an object"}},
		{name: "unknown and duplicate component keys", pages: page(`{"id": "a", "id": "b", "type": "Text", "position": {"row": 0}, "props": {"text": "x"}, "style": {}}`),
			want: map[string]string{"pages[0].components[0].id": "duplicate key", "pages[0].components[0].style": "unknown key"}},
		{name: "a component without id and type", pages: page(`{"position": {"row": 0}}`),
			want: map[string]string{"pages[0].components[0].id": "is required", "pages[0].components[0].type": "is required"}},
		{name: "id and type that are not strings", pages: page(`{"id": 1, "type": true}`),
			want: map[string]string{"pages[0].components[0].id": "must be a string", "pages[0].components[0].type": "must be a string"}},
		{name: "bad ids", pages: page(`{"id": "", "type": "Modal"}, {"id": "a b", "type": "Modal"}, {"id": "` + strings.Repeat("i", 65) + `", "type": "Modal"}, {"id": "é", "type": "Modal"}`),
			want: map[string]string{
				"pages[0].components[0].id": `must be 1 to 64 letters, digits, "_" or "-"`,
				"pages[0].components[1].id": `must be 1 to 64 letters, digits, "_" or "-"`,
				"pages[0].components[2].id": `must be 1 to 64 letters, digits, "_" or "-"`,
				"pages[0].components[3].id": `must be 1 to 64 letters, digits, "_" or "-"`,
			}},
		{name: "an id used twice in a page, once in children", pages: page(okGrid + `, {"id": "m", "type": "Modal", "children": [{"id": "g", "type": "Text", "props": {"text": "x"}}]}`),
			want: map[string]string{"pages[0].components[1].children[0].id": `component id "g" is already used by pages[0].components[0]`}},
		{name: "unknown types", pages: page(`{"id": "a", "type": "Datagrid", "position": {"row": 0}}, {"id": "b", "type": "Chart"}`),
			want: map[string]string{
				"pages[0].components[0].type": `unknown component type "Datagrid" (did you mean "DataGrid"?) (known: DataGrid, Form, Button, Text, Modal, Container, Detail)`,
				"pages[0].components[1].type": `unknown component type "Chart" (known: DataGrid, Form, Button, Text, Modal, Container, Detail)`,
			}},

		// Positions.
		{name: "a top-level component without a position", pages: page(`{"id": "g", "type": "DataGrid", "props": {"entity": "Task"}}`),
			want: map[string]string{"pages[0].components[0].position": "is required"}},
		{name: "a modal with a position", pages: page(`{"id": "m", "type": "Modal", "position": {"row": 0}}`),
			want: map[string]string{"pages[0].components[0].position": "must be absent: a Modal opens over the page"}},
		{name: "a position that is not an object", pages: page(`{"id": "t", "type": "Text", "position": [0, 0, 12], "props": {"text": "x"}}`),
			want: map[string]string{"pages[0].components[0].position": "must be an object"}},
		{name: "a position without a row, with an unknown key", pages: page(`{"id": "t", "type": "Text", "position": {"col": 1, "width": 3}, "props": {"text": "x"}}`),
			want: map[string]string{"pages[0].components[0].position.row": "is required", "pages[0].components[0].position.width": "unknown key"}},
		{name: "rows, cols and spans out of range or not integers", pages: page(`
			{"id": "a", "type": "Text", "position": {"row": -1, "col": 12, "span": 0}, "props": {"text": "x"}},
			{"id": "b", "type": "Text", "position": {"row": 1.5, "col": -1, "span": 13}, "props": {"text": "x"}},
			{"id": "c", "type": "Text", "position": {"row": "1", "col": 1e300, "span": null}, "props": {"text": "x"}},
			{"id": "d", "type": "Text", "position": {"row": 99999999999999999999, "col": 1.5, "span": 2.5}, "props": {"text": "x"}}`),
			want: map[string]string{
				"pages[0].components[0].position.row": "must not be negative", "pages[0].components[0].position.col": "must be from 0 to 11", "pages[0].components[0].position.span": "must be from 1 to 12",
				"pages[0].components[1].position.row": "must be an integer", "pages[0].components[1].position.col": "must be from 0 to 11", "pages[0].components[1].position.span": "must be from 1 to 12",
				"pages[0].components[2].position.row": "must be an integer", "pages[0].components[2].position.col": "is out of range", "pages[0].components[2].position.span": "must be an integer",
				"pages[0].components[3].position.row": "is out of range", "pages[0].components[3].position.col": "must be an integer", "pages[0].components[3].position.span": "must be an integer",
			}},
		{name: "a component wider than the grid", pages: page(`{"id": "t", "type": "Text", "position": {"row": 0, "col": 3, "span": 10}, "props": {"text": "x"}},
			{"id": "u", "type": "Text", "position": {"row": 1, "col": 11, "span": 12}, "props": {"text": "x"}}`),
			want: map[string]string{
				"pages[0].components[0].position.span": "must be at most 9: col 3 + span 10 is more than 12 columns",
				"pages[0].components[1].position.span": "must be at most 1: col 11 + span 12 is more than 12 columns",
			}},
		{name: "a child's position is checked too", pages: page(`{"id": "c", "type": "Container", "position": {"row": 0}, "children": [{"id": "t", "type": "Text", "position": {"row": 0, "span": 20}, "props": {"text": "x"}}]}`),
			want: map[string]string{"pages[0].components[0].children[0].position.span": "must be from 1 to 12"}},

		// Props.
		{name: "props that are not an object", pages: page(`{"id": "t", "type": "Text", "position": {"row": 0}, "props": "hello"}`),
			want: map[string]string{"pages[0].components[0].props": "must be an object"}},
		{name: "unknown props", pages: page(`{"id": "t", "type": "Text", "position": {"row": 0}, "props": {"text": "x", "colour": "red"}},
			{"id": "c", "type": "Container", "position": {"row": 1}, "props": {"gap": 2}}`),
			want: map[string]string{"pages[0].components[0].props.colour": "unknown key", "pages[0].components[1].props.gap": "unknown key"}},
		{name: "grids without entity, with an entity that is not a string or unknown", pages: page(`{"id": "a", "type": "DataGrid", "position": {"row": 0}},
			{"id": "b", "type": "DataGrid", "position": {"row": 1}, "props": {"entity": 7}},
			{"id": "c", "type": "DataGrid", "position": {"row": 2}, "props": {"entity": "Tsk", "columns": ["x"], "sort": "y", "filter": "z = 1"}}`),
			want: map[string]string{
				"pages[0].components[0].props.entity": "is required",
				"pages[0].components[1].props.entity": "must be a string",
				"pages[0].components[2].props.entity": `unknown entity type "Tsk" (did you mean "Task"?)`,
			}},
		{name: "grid columns that are not a list of known fields", pages: page(`
			{"id": "a", "type": "DataGrid", "position": {"row": 0}, "props": {"entity": "Task", "columns": "title"}},
			{"id": "b", "type": "DataGrid", "position": {"row": 1}, "props": {"entity": "Task", "columns": ["title", 2, "title"]}},
			{"id": "c", "type": "DataGrid", "position": {"row": 2}, "props": {"entity": "Task", "columns": []}},
			{"id": "d", "type": "DataGrid", "position": {"row": 3}, "props": {"entity": "Task", "columns": ["title", "titel", "version", "tasks"]}}`),
			want: map[string]string{
				"pages[0].components[0].props.columns":    "must be an array of strings",
				"pages[0].components[1].props.columns[1]": "must be a string",
				"pages[0].components[1].props.columns[2]": `repeats "title"`,
				"pages[0].components[2].props.columns":    "must name at least one column",
				"pages[0].components[3].props.columns[1]": `no field "titel" in entity type "Task" (did you mean "title"?)`,
				"pages[0].components[3].props.columns[2]": `no field "version" in entity type "Task"`,
				"pages[0].components[3].props.columns[3]": `no field "tasks" in entity type "Task"`,
			}},
		{name: "grid page sizes out of range or not integers", pages: page(`
			{"id": "a", "type": "DataGrid", "position": {"row": 0}, "props": {"entity": "Task", "pageSize": 0}},
			{"id": "b", "type": "DataGrid", "position": {"row": 1}, "props": {"entity": "Task", "pageSize": 201}},
			{"id": "c", "type": "DataGrid", "position": {"row": 2}, "props": {"entity": "Task", "pageSize": "20"}}`),
			want: map[string]string{
				"pages[0].components[0].props.pageSize": "must be from 1 to 200",
				"pages[0].components[1].props.pageSize": "must be from 1 to 200",
				"pages[0].components[2].props.pageSize": "must be an integer",
			}},
		{name: "grid sorts that do not parse or name no sortable field", pages: page(`
			{"id": "a", "type": "DataGrid", "position": {"row": 0}, "props": {"entity": "Task", "sort": "-"}},
			{"id": "b", "type": "DataGrid", "position": {"row": 1}, "props": {"entity": "Task", "sort": "-titel"}},
			{"id": "c", "type": "DataGrid", "position": {"row": 2}, "props": {"entity": "Task", "sort": "meta"}},
			{"id": "d", "type": "DataGrid", "position": {"row": 3}, "props": {"entity": "Task", "sort": 1}}`),
			want: map[string]string{
				"pages[0].components[0].props.sort": `invalid sort key "-" at position 1`,
				"pages[0].components[1].props.sort": `unknown field "titel"`,
				"pages[0].components[2].props.sort": `cannot sort by json field "meta"`,
				"pages[0].components[3].props.sort": "must be a string",
			}},
		{name: "grid filters that do not parse or do not fit the fields", pages: page(`
			{"id": "a", "type": "DataGrid", "position": {"row": 0}, "props": {"entity": "Task", "filter": "status ="}},
			{"id": "b", "type": "DataGrid", "position": {"row": 1}, "props": {"entity": "Task", "filter": "priority = \"high\""}},
			{"id": "c", "type": "DataGrid", "position": {"row": 2}, "props": {"entity": "Task", "filter": false}}`),
			want: map[string]string{
				"pages[0].components[0].props.filter": "unexpected end of filter",
				"pages[0].components[1].props.filter": `field "priority" is integer: cannot compare with string "high"`,
				"pages[0].components[2].props.filter": "must be a string",
			}},
		{name: "forms with unknown, system, repeated or no fields and a bad submit label", pages: page(`
			{"id": "a", "type": "Form", "position": {"row": 0}, "props": {"entity": "Task", "fields": ["title", "id", "titles", "title"], "submitLabel": 1}},
			{"id": "b", "type": "Form", "position": {"row": 1}, "props": {"entity": "Task", "fields": []}},
			{"id": "c", "type": "Form", "position": {"row": 2}, "props": {"fields": ["x"]}}`),
			want: map[string]string{
				"pages[0].components[0].props.fields[1]":   `no field "id" in entity type "Task" (system fields are not form fields)`,
				"pages[0].components[0].props.fields[2]":   `no field "titles" in entity type "Task" (did you mean "title"?)`,
				"pages[0].components[0].props.fields[3]":   `repeats "title"`,
				"pages[0].components[0].props.submitLabel": "must be a string",
				"pages[0].components[1].props.fields":      "must name at least one field",
				"pages[0].components[2].props.entity":      "is required",
			}},
		{name: "details with unknown fields", pages: page(`{"id": "a", "type": "Detail", "position": {"row": 0}, "props": {"entity": "Project", "fields": ["name", "version", "nam", {}, "updatedAt"]}},
			{"id": "b", "type": "Detail", "position": {"row": 1}, "props": {"entity": "Project", "fields": 1}}`),
			want: map[string]string{
				"pages[0].components[0].props.fields[1]": `no field "version" in entity type "Project"`,
				"pages[0].components[0].props.fields[2]": `no field "nam" in entity type "Project" (did you mean "name"?)`,
				"pages[0].components[0].props.fields[3]": "must be a string",
				"pages[0].components[1].props.fields":    "must be an array of strings",
			}},
		{name: "buttons without a label, with an empty one or one that is not a string", pages: page(`
			{"id": "a", "type": "Button", "position": {"row": 0}},
			{"id": "b", "type": "Button", "position": {"row": 1}, "props": {"label": ""}},
			{"id": "c", "type": "Button", "position": {"row": 2}, "props": {"label": ["x"]}}`),
			want: map[string]string{
				"pages[0].components[0].props.label": "is required",
				"pages[0].components[1].props.label": "must not be empty",
				"pages[0].components[2].props.label": "must be a string",
			}},
		{name: "texts without text or with text that is not a string", pages: page(`{"id": "a", "type": "Text", "position": {"row": 0}},
			{"id": "b", "type": "Text", "position": {"row": 1}, "props": {"text": 3}}`),
			want: map[string]string{"pages[0].components[0].props.text": "is required", "pages[0].components[1].props.text": "must be a string"}},
		{name: "a modal title that is not a string", pages: page(`{"id": "m", "type": "Modal", "props": {"title": null}}`),
			want: map[string]string{"pages[0].components[0].props.title": "must be a string"}},

		// Actions.
		{name: "actions that are not an object, unknown events", pages: page(`
			{"id": "a", "type": "Button", "position": {"row": 0}, "props": {"label": "A"}, "actions": [{"type": "refresh"}]},
			{"id": "b", "type": "Button", "position": {"row": 1}, "props": {"label": "B"}, "actions": {"onclick": {"type": "refresh"}, "onHover": {"type": "refresh"}}},
			{"id": "c", "type": "Text", "position": {"row": 2}, "props": {"text": "C"}, "actions": {"onClick": {"type": "refresh"}}}`),
			want: map[string]string{
				"pages[0].components[0].actions":         "must be an object",
				"pages[0].components[1].actions.onclick": `unknown event "onclick" of a Button (did you mean "onClick"?) (known: onClick)`,
				"pages[0].components[1].actions.onHover": `unknown event "onHover" of a Button (known: onClick)`,
				"pages[0].components[2].actions.onClick": "unknown event: a Text has no events",
			}},
		{name: "actions that are not objects, without a type, of unknown types, with unknown members", pages: page(`
			{"id": "g", "type": "DataGrid", "position": {"row": 0}, "props": {"entity": "Task"}, "actions": {"onRowClick": "openModal", "onRowDelete": {"confirm": "Sure?"}}},
			{"id": "b", "type": "Button", "position": {"row": 1}, "props": {"label": "B"}, "actions": {"onClick": {"type": "open", "modal": "m"}}},
			{"id": "c", "type": "Button", "position": {"row": 2}, "props": {"label": "C"}, "actions": {"onClick": {"type": "refresh", "delay": 3}}},
			{"id": "d", "type": "Button", "position": {"row": 3}, "props": {"label": "D"}, "actions": {"onClick": {"type": 3}}}`),
			want: map[string]string{
				"pages[0].components[0].actions.onRowClick":       "must be an object",
				"pages[0].components[0].actions.onRowDelete.type": "is required",
				"pages[0].components[1].actions.onClick.type":     `unknown action type "open" (known: openModal, closeModal, navigateTo, refresh, submitForm, deleteEntity)`,
				"pages[0].components[2].actions.onClick.delay":    "unknown key",
				"pages[0].components[3].actions.onClick.type":     "must be a string",
			}},
		{name: "action members their type does not read, or missing", pages: page(`
			{"id": "a", "type": "Button", "position": {"row": 0}, "props": {"label": "A"}, "actions": {"onClick": {"type": "navigateTo", "page": "P", "modal": "m", "target": "a", "confirm": "?"}}},
			{"id": "b", "type": "Button", "position": {"row": 1}, "props": {"label": "B"}, "actions": {"onClick": {"type": "openModal"}}},
			{"id": "c", "type": "Button", "position": {"row": 2}, "props": {"label": "C"}, "actions": {"onClick": {"type": "navigateTo"}}},
			{"id": "d", "type": "Button", "position": {"row": 3}, "props": {"label": "D"}, "actions": {"onClick": {"type": "submitForm", "page": "P"}}},
			{"id": "e", "type": "Button", "position": {"row": 4}, "props": {"label": "E"}, "actions": {"onClick": {"type": "closeModal", "modal": 1}}}`),
			want: map[string]string{
				"pages[0].components[0].actions.onClick.modal":   "only for openModal and closeModal actions",
				"pages[0].components[0].actions.onClick.target":  "only for refresh actions",
				"pages[0].components[0].actions.onClick.confirm": "only for deleteEntity actions",
				"pages[0].components[1].actions.onClick.modal":   "is required",
				"pages[0].components[2].actions.onClick.page":    "is required",
				"pages[0].components[3].actions.onClick.page":    "only for navigateTo actions",
				"pages[0].components[4].actions.onClick.modal":   "must be a string",
			}},
		{name: "actions naming components or pages that do not exist", pages: `[
			{"name": "P", "components": [` + okGrid + `,
				{"id": "a", "type": "Button", "position": {"row": 1}, "props": {"label": "A"}, "actions": {"onClick": {"type": "openModal", "modal": "grid"}}},
				{"id": "b", "type": "Button", "position": {"row": 2}, "props": {"label": "B"}, "actions": {"onClick": {"type": "closeModal", "modal": "g"}}},
				{"id": "c", "type": "Button", "position": {"row": 3}, "props": {"label": "C"}, "actions": {"onClick": {"type": "refresh", "target": "x"}}},
				{"id": "d", "type": "Button", "position": {"row": 4}, "props": {"label": "D"}, "actions": {"onClick": {"type": "navigateTo", "page": "Project"}}},
				{"id": "e", "type": "Button", "position": {"row": 5}, "props": {"label": "E"}, "actions": {"onClick": {"type": "openModal", "modal": "m"}}}
			]},
			{"name": "Q", "components": [{"id": "m", "type": "Modal"}]}]`,
			want: map[string]string{
				"pages[0].components[1].actions.onClick.modal":  `no component "grid" in page "P"`,
				"pages[0].components[2].actions.onClick.modal":  `component "g" is not a Modal`,
				"pages[0].components[3].actions.onClick.target": `no component "x" in page "P" (did you mean "a"?)`,
				"pages[0].components[4].actions.onClick.page":   `no page "Project" (did you mean "Projects"?)`,
				"pages[0].components[5].actions.onClick.modal":  `no component "m" in page "P" (did you mean "a"?)`,
			}},

		// Children.
		{name: "children of components that have none, children that are not an array", pages: page(`
			{"id": "a", "type": "Button", "position": {"row": 0}, "props": {"label": "A"}, "children": []},
			{"id": "b", "type": "Container", "position": {"row": 1}, "children": {}},
			{"id": "c", "type": "Modal", "children": [{"id": "d", "type": "Form"}]}`),
			want: map[string]string{
				"pages[0].components[0].children":                 "only Container and Modal components have children",
				"pages[0].components[1].children":                 "must be an array",
				"pages[0].components[2].children[0].props.entity": "is required",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := testModel(t, tt.pages)
			for _, r := range tt.raw {
				m.Pages = append(m.Pages, json.RawMessage(r))
			}
			l, err := Build(m)
			if err == nil {
				t.Fatalf("got layout %s, want an error", marshal(t, l))
			}
			if code := torque.ErrorCode(err); code != torque.EINVALID {
				t.Errorf("got code %s, want EINVALID", code)
			}
			if msg := torque.ErrorMessage(err); msg != "invalid pages" {
				t.Errorf("got message %q, want %q", msg, "invalid pages")
			}
			if got := torque.ErrorFields(err); !maps.Equal(got, tt.want) {
				t.Errorf("got fields\n%s\nwant\n%s", fieldLines(got), fieldLines(tt.want))
			}
		})
	}
}

// fieldLines lists problems one a line, sorted, for failure messages.
func fieldLines(fields map[string]string) string {
	var lines []string
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		lines = append(lines, fmt.Sprintf("  %s: %s", k, fields[k]))
	}
	return strings.Join(lines, "\n")
}

func TestBuildListsAtMost100Problems(t *testing.T) {
	var comps []string
	for i := range 150 {
		comps = append(comps, fmt.Sprintf(`{"id": "t%d", "type": "Text", "position": {"row": %d}}`, i, i))
	}
	_, err := Build(testModel(t, page(strings.Join(comps, ","))))
	if got := len(torque.ErrorFields(err)); got != 100 {
		t.Errorf("got %d problems, want 100", got)
	}
	if msg, want := torque.ErrorMessage(err), "invalid pages (100 of 150 problems shown)"; msg != want {
		t.Errorf("got message %q, want %q", msg, want)
	}
}

func TestBuildSharesNothingWithTheModel(t *testing.T) {
	m := testModel(t, "")
	l := mustBuild(t, m)
	l.Pages[0].Components[1].Props["columns"].([]string)[0] = "changed"
	l.Pages[0].Components[2].Children[0].Props["fields"].([]string)[0] = "changed"
	if again := mustBuild(t, m); reflect.DeepEqual(again, l) || m.Entities[0].Fields[0].Name != "title" {
		t.Error("changing a layout changed the model or the next layout")
	}
}

func BenchmarkBuild(b *testing.B) {
	m := todoModel(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(m); err != nil {
			b.Fatal(err)
		}
	}
}

func TestEmptyPropsAndComponentsMarshalAsEmpty(t *testing.T) {
	got := marshal(t, Page{Name: "P", Route: "/p", Title: "P"})
	if want := `{"name":"P","route":"/p","title":"P","generated":false,"components":[]}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	got = marshal(t, Component{ID: "t", Type: TypeText})
	if want := `{"id":"t","type":"Text","props":{}}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestWholeNumber(t *testing.T) {
	tests := []struct {
		in   string
		want int
		msg  string
	}{
		{"3", 3, ""}, {"-3", -3, ""}, {"3.0", 3, ""}, {"3e0", 3, ""}, {"1.2e1", 12, ""}, {"30e-1", 3, ""},
		{"-0.0", 0, ""}, {"0e-99999999999999999999", 0, ""}, {"1.0000000000000000001", 0, "must be an integer"},
		{"3.5", 0, "must be an integer"}, {"1e-400", 0, "must be an integer"}, {"1e-99999999999999999999", 0, "must be an integer"},
		{"9007199254740993.5", 0, "must be an integer"}, {"9007199254740992", 9007199254740992, ""}, {"9007199254740992.0", 0, "is out of range"},
		{"1e400", 0, "is out of range"}, {"1e99999999999999999999", 0, "is out of range"}, {"99999999999999999999", 0, "is out of range"},
	}
	for _, tt := range tests {
		if got, msg := wholeNumber(tt.in); got != tt.want || msg != tt.msg {
			t.Errorf("wholeNumber(%s): got %d %q, want %d %q", tt.in, got, msg, tt.want, tt.msg)
		}
	}
}
