package layout

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzBuild builds the work model with arbitrary pages: a JSON array of
// pages, or else one page of any bytes. Build must not panic, and a layout
// it builds must keep the package's promises and give the same JSON twice.
func FuzzBuild(f *testing.F) {
	f.Add([]byte(`[]`))
	f.Add([]byte(`[{"name": "Tasks"}]`))
	f.Add([]byte(page(okGrid)))
	f.Add([]byte(`[{"name": "Board", "components": [
		{"id": "to-projects", "type": "Button", "position": {"row": 0, "col": 0, "span": 3}, "props": {"label": "Projects"},
		 "actions": {"onClick": {"type": "navigateTo", "page": "Projects"}}},
		{"id": "grid", "type": "DataGrid", "position": {"row": 1, "span": 12}, "props": {"entity": "Task", "columns": ["title", "project"], "sort": "-due", "filter": "priority > 2"},
		 "actions": {"onRowClick": {"type": "openModal", "modal": "edit"}, "onRowDelete": {"type": "deleteEntity", "confirm": "Sure?"}}},
		{"id": "box", "type": "Container", "position": {"row": 2}, "children": [
			{"id": "edit", "type": "Modal", "props": {"title": "Edit"}, "children": [
				{"id": "f", "type": "Form", "props": {"entity": "Task", "fields": ["title"]},
				 "actions": {"onSubmit": {"type": "submitForm"}, "onSuccess": {"type": "refresh", "target": "grid"}, "onCancel": {"type": "closeModal", "modal": "edit"}}}]}]},
		{"id": "d", "type": "Detail", "position": {"row": 3, "col": 6}, "props": {"entity": "Project", "fields": ["name", "id"]}},
		{"id": "t", "type": "Text", "position": {"row": 4}, "props": {"text": "hi"}}]}]`))
	f.Add([]byte(`[{"name": "Tasks", "route": "/projects"}, {"name": "Projects 2", "route": "/tasks"}]`))
	f.Add([]byte(`[{"name": "Task", "route": "/tasks/{id}", "components": [{"id": "d", "type": "Detail", "position": {"row": 0}, "props": {"entity": "Task"},
		"actions": {"onEdit": {"type": "openModal", "modal": "m"}, "onBack": {"type": "navigateTo", "page": "Tasks"}}}, {"id": "m", "type": "Modal"}]},
		{"name": "Home", "route": "/tasks-2/{id}"}]`))
	f.Add([]byte(`{"name": "P", "name": "Q"}`))
	f.Add([]byte(`[{"name": "P", "components": [{"id": "a", "type": "Text", "position": {"row": 1e2, "col": 1.0, "span": 3e0}, "props": {"text": "\u00e9"}}]}]`))

	base := testModel(f, "")
	f.Fuzz(func(t *testing.T, data []byte) {
		m := *base
		if json.Unmarshal(data, &m.Pages) != nil {
			m.Pages = []json.RawMessage{data}
		}
		l, err := Build(&m)
		if err != nil {
			return
		}
		if msg := invariantProblem(l); msg != "" {
			t.Fatalf("layout breaks an invariant: %s", msg)
		}
		a, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(l)
		again, err := Build(&m)
		if err != nil {
			t.Fatalf("a second Build failed: %v", err)
		}
		c, _ := json.Marshal(again)
		if !bytes.Equal(a, b) || !bytes.Equal(a, c) {
			t.Fatalf("the same model gave other JSON:\n%s\n%s\n%s", a, b, c)
		}
	})
}
