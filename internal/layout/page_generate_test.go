package layout

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/torquehq/torque"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or writes it there with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("got\n%s\nwant (%s)\n%s", got, path, want)
	}
}

// todoWithLists is the TODO model with three more entity types: TaskList
// (lists hold tasks; categories hold lists), Category (more fields than a
// grid shows) and Note (only text and json fields).
func todoWithLists(t *testing.T) *torque.Model {
	m := todoModel(t)
	m.Entities = append(m.Entities,
		torque.EntityType{Name: "TaskList", Fields: []torque.Field{
			{Name: "name", Type: torque.FieldString, Required: true},
			{Name: "archived", Type: torque.FieldBoolean},
		}},
		torque.EntityType{Name: "Category", DisplayName: "Category", Fields: []torque.Field{
			{Name: "notes", Type: torque.FieldText},
			{Name: "label", Type: torque.FieldString},
			{Name: "data", Type: torque.FieldJSON},
			{Name: "rank", Type: torque.FieldInteger},
			{Name: "weight", Type: torque.FieldNumber},
			{Name: "since", Type: torque.FieldDate},
			{Name: "at", Type: torque.FieldDateTime},
			{Name: "owner", Type: torque.FieldEmail},
			{Name: "site", Type: torque.FieldURL},
		}},
		torque.EntityType{Name: "Note", Fields: []torque.Field{
			{Name: "body", Type: torque.FieldText},
			{Name: "extra", Type: torque.FieldJSON},
		}},
	)
	m.Relationships = append(m.Relationships,
		torque.Relationship{Name: "listTasks", Kind: torque.OneToMany, From: "TaskList", To: "Task", FromField: "tasks", ToField: "list"},
		torque.Relationship{Name: "categoryLists", Kind: torque.OneToMany, From: "Category", To: "TaskList", FromField: "lists", ToField: "category", Required: true},
		torque.Relationship{Name: "noteLists", Kind: torque.ManyToMany, From: "Note", To: "TaskList", FromField: "lists", ToField: "notes"},
	)
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestGeneratedPages(t *testing.T) {
	l := mustBuild(t, todoWithLists(t))
	if got, want := pageKeys(l), []string{
		"Tasks /tasks  false",
		"Task details /tasks/{id} Task true",
		"TaskLists /task-lists TaskList true",
		"TaskList details /task-lists/{id} TaskList true",
		"Categories /categories Category true",
		"Category details /categories/{id} Category true",
		"Notes /notes Note true",
		"Note details /notes/{id} Note true",
	}; !slices.Equal(got, want) {
		t.Fatalf("got pages %q, want %q", got, want)
	}
	got, err := json.MarshalIndent(l.Pages[1:], "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "generated_pages.json", append(got, '\n'))
}

func TestGeneratedPageNames(t *testing.T) {
	tests := []struct {
		name, entity, display string
		wantName, wantRoute   string
	}{
		{"from the entity name", "Task", "", "Tasks", "/tasks"},
		{"from camel case", "TaskList", "", "TaskLists", "/task-lists"},
		{"from the display name", "TaskList", "Task list", "Task lists", "/task-lists"},
		{"a name ending in s", "Status", "", "Status", "/status"},
		{"a name ending in a consonant and y", "Category", "", "Categories", "/categories"},
		{"a display name that is already plural", "Person", "People", "Peoples", "/peoples"},
		{"a display name in other letters", "Order", "Заказ", "Заказs", "/заказs"},
		{"a display name without letters", "Thing", "***", "***s", "/things"},
		{"the longest entity name", strings.Repeat("Ab", 24), "", strings.Repeat("Ab", 24) + "s", "/" + strings.Repeat("ab-", 23) + "abs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &torque.Model{Name: "m", Entities: []torque.EntityType{{Name: tt.entity, DisplayName: tt.display}}}
			l := mustBuild(t, m)
			if pg := l.Pages[0]; pg.Name != tt.wantName || pg.Title != tt.wantName || pg.Route != tt.wantRoute || pg.Entity != tt.entity {
				t.Errorf("got %q %q %q for %q, want %q %q %q for %q", pg.Name, pg.Title, pg.Route, pg.Entity, tt.wantName, tt.wantName, tt.wantRoute, tt.entity)
			}
		})
	}
}

func TestGeneratedPageNameClashes(t *testing.T) {
	tests := []struct {
		name  string
		pages string
		want  []string
	}{
		{
			name:  "a declared page has the name",
			pages: `[{"name": "Tasks", "route": "/home"}]`,
			want: []string{"Tasks /home  false", "Tasks 2 /tasks Task true", "Task details /tasks/{id} Task true",
				"Projects /projects Project true", "Project details /projects/{id} Project true"},
		},
		{
			name:  "a declared page has the route",
			pages: `[{"name": "Home", "route": "/tasks"}]`,
			want: []string{"Home /tasks  false", "Tasks /tasks-2 Task true", "Task details /tasks-2/{id} Task true",
				"Projects /projects Project true", "Project details /projects/{id} Project true"},
		},
		{
			name:  "declared pages have the name, the route and the first suffixes",
			pages: `[{"name": "Tasks", "route": "/tasks-2"}, {"name": "Tasks 2", "route": "/tasks"}, {"name": "Projects"}]`,
			want: []string{"Tasks /tasks-2  false", "Tasks 2 /tasks  false", "Projects /projects  false",
				"Tasks 3 /tasks-3 Task true", "Task details /tasks-3/{id} Task true",
				"Projects 2 /projects-2 Project true", "Project details /projects-2/{id} Project true"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pageKeys(mustBuild(t, testModel(t, tt.pages))); !slices.Equal(got, tt.want) {
				t.Errorf("got pages %q, want %q", got, tt.want)
			}
		})
	}

	t.Run("two generated pages have one name", func(t *testing.T) {
		m := &torque.Model{Name: "m", Entities: []torque.EntityType{{Name: "Tasks"}, {Name: "Task"}, {Name: "Item", DisplayName: "Tasks"}}}
		want := []string{"Tasks /tasks Tasks true", "Tasks details /tasks/{id} Tasks true", "Tasks 2 /tasks-2 Task true",
			"Task details /tasks-2/{id} Task true", "Tasks 3 /tasks-3 Item true", "Tasks details 2 /tasks-3/{id} Item true"}
		if got := pageKeys(mustBuild(t, m)); !slices.Equal(got, want) {
			t.Errorf("got pages %q, want %q", got, want)
		}
	})

	t.Run("navigation to a renamed generated page", func(t *testing.T) {
		pages := `[{"name": "Tasks", "route": "/home", "components": [{"id": "b", "type": "Button", "position": {"row": 0}, "props": {"label": "All"},
			"actions": {"onClick": {"type": "navigateTo", "page": "Tasks 2"}}}]}]`
		l := mustBuild(t, testModel(t, pages))
		if pg := l.Page("Tasks 2"); pg == nil || pg.Entity != "Task" {
			t.Errorf("got page %v, want the page of Task", pg)
		}
	})
}
