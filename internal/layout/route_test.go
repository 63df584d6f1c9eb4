package layout

import (
	"maps"
	"slices"
	"testing"
)

func TestCheckRoute(t *testing.T) {
	tests := []struct {
		route, want string
	}{
		{"/", ""},
		{"/tasks", ""},
		{"/tasks/{id}", ""},
		{"/{id}", ""},
		{"/projects/{id}/board", ""},
		{"/tasks/{id}/{id}", `must have at most one parameter "{id}"`},
		{"/tasks/{name}", `the only route parameter is "{id}", a whole segment`},
		{"/tasks/x{id}", `the only route parameter is "{id}", a whole segment`},
		{"/tasks/{id", `the only route parameter is "{id}", a whole segment`},
		{"/tasks/", routeRule},
		{"tasks/{id}", routeRule},
	}
	for _, tt := range tests {
		t.Run(tt.route, func(t *testing.T) {
			if got := checkRoute(tt.route); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	pages := `[
		{"name": "Home", "route": "/"},
		{"name": "New task", "route": "/tasks/new"},
		{"name": "Task", "route": "/tasks/{id}", "components": [
			{"id": "d", "type": "Detail", "position": {"row": 0}, "props": {"entity": "Task"}}]},
		{"name": "Board", "route": "/projects/{id}/board"}
	]`
	l := mustBuild(t, testModel(t, pages))
	long := make([]byte, 201)
	for i := range long {
		long[i] = 'a'
	}
	tests := []struct {
		name, path string
		page       string
		params     map[string]string
	}{
		{"a route without parameters", "/", "Home", nil},
		{"a route without parameters before one with", "/tasks/new", "New task", nil},
		{"the id of a task", "/tasks/0190a3e4-7b1c-7d2e-8f00-1234567890ab", "Task", map[string]string{"id": "0190a3e4-7b1c-7d2e-8f00-1234567890ab"}},
		{"a parameter in the middle", "/projects/p1/board", "Board", map[string]string{"id": "p1"}},
		{"a generated detail page", "/projects/p1", "Project details", map[string]string{"id": "p1"}},
		{"the pattern itself is an id like another", "/tasks/{id}", "Task", map[string]string{"id": "{id}"}},
		{"an empty parameter", "/tasks/", "", nil},
		{"more segments", "/tasks/a/b", "", nil},
		{"a parameter of more than 200 bytes", "/tasks/" + string(long), "", nil},
		{"no such route", "/nope", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pg, params := l.Match(tt.path)
			got := ""
			if pg != nil {
				got = pg.Name
			}
			if got != tt.page || !maps.Equal(params, tt.params) {
				t.Errorf("got page %q params %v, want %q %v", got, params, tt.page, tt.params)
			}
		})
	}
}

func TestDetailPages(t *testing.T) {
	t.Run("a declared detail page replaces the generated one, and grids open it", func(t *testing.T) {
		pages := `[{"name": "Task", "route": "/t/{id}", "components": [
			{"id": "d", "type": "Detail", "position": {"row": 0}, "props": {"entity": "Task"}}]}]`
		l := mustBuild(t, testModel(t, pages))
		want := []string{"Task /t/{id}  false", "Tasks /tasks Task true", "Projects /projects Project true",
			"Project details /projects/{id} Project true"}
		if got := pageKeys(l); !slices.Equal(got, want) {
			t.Fatalf("got pages %q, want %q", got, want)
		}
		if got := l.Page("Tasks").Components[1].Actions["onRowClick"]; got != (Action{Type: ActionNavigateTo, Page: "Task"}) {
			t.Errorf("got onRowClick %+v, want navigateTo Task", got)
		}
		if _, ok := l.Page("Task").Components[0].Actions["onBack"]; ok {
			t.Error("a declared Detail got actions")
		}
	})

	t.Run("a detail page in a modal or at a route without {id} does not count", func(t *testing.T) {
		pages := `[{"name": "Board", "route": "/board", "components": [
			{"id": "d", "type": "Detail", "position": {"row": 0}, "props": {"entity": "Task"}}]}]`
		l := mustBuild(t, testModel(t, pages))
		if l.Page("Task details") == nil {
			t.Errorf("got pages %q, want a generated Task details", pageKeys(l))
		}
	})

	t.Run("a grid on a page with {id} does not cover its entity type", func(t *testing.T) {
		pages := `[{"name": "Project", "route": "/projects/{id}", "components": [
			{"id": "d", "type": "Detail", "position": {"row": 0}, "props": {"entity": "Project"}},
			{"id": "g", "type": "DataGrid", "position": {"row": 1}, "props": {"entity": "Task"}}]}]`
		l := mustBuild(t, testModel(t, pages))
		want := []string{"Project /projects/{id}  false", "Tasks /tasks Task true", "Task details /tasks/{id} Task true",
			"Projects /projects Project true"}
		if got := pageKeys(l); !slices.Equal(got, want) {
			t.Fatalf("got pages %q, want %q", got, want)
		}
		if got := l.Page("Project").Components[1].Actions["onRowClick"]; got.Page != "Task details" {
			t.Errorf("got onRowClick %+v, want navigateTo Task details", got)
		}
		if got := l.Page("Projects").Components[1].Actions["onRowClick"]; got.Page != "Project" {
			t.Errorf("got onRowClick %+v, want navigateTo Project", got)
		}
	})

	t.Run("a declared onRowClick is kept", func(t *testing.T) {
		pages := `[{"name": "Board", "components": [
			{"id": "g", "type": "DataGrid", "position": {"row": 0}, "props": {"entity": "Task"}, "actions": {"onRowClick": {"type": "openModal", "modal": "m"}}},
			{"id": "m", "type": "Modal"}]}]`
		l := mustBuild(t, testModel(t, pages))
		if got := l.Page("Board").Components[0].Actions["onRowClick"]; got != (Action{Type: ActionOpenModal, Modal: "m"}) {
			t.Errorf("got onRowClick %+v", got)
		}
	})

	t.Run("the detail route follows a renamed list route", func(t *testing.T) {
		pages := `[{"name": "Home", "route": "/tasks"}, {"name": "Old", "route": "/tasks-2/{id}"}]`
		l := mustBuild(t, testModel(t, pages))
		if pg := l.Page("Task details"); pg == nil || pg.Route != "/tasks-2-2/{id}" {
			t.Errorf("got pages %q", pageKeys(l))
		}
	})
}

func TestClaimFreeRoute(t *testing.T) {
	taken := map[string]bool{"/a/{id}": true, "/a-2/{id}": true}
	if got := claimFreeRoute(taken, "/a", "/{id}"); got != "/a-3/{id}" {
		t.Errorf("got %q, want /a-3/{id}", got)
	}
	if got := claimFreeRoute(taken, "/", "/{id}"); got != "/{id}" {
		t.Errorf("got %q, want /{id}", got)
	}
}
