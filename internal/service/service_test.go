package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/service"
	"github.com/torquehq/torque/internal/store"
	"github.com/torquehq/torque/internal/storetest"
)

const projectModel = `{
  "name": "Work", "version": 1, "pages": [], "xflows": [],
  "entities": [
    {"name": "Project", "fields": [
      {"name": "name", "type": "string", "required": true, "unique": true, "maxLength": 100}
    ]},
    {"name": "Task", "fields": [
      {"name": "title", "type": "string", "required": true, "minLength": 1, "maxLength": 200},
      {"name": "status", "type": "enum", "values": ["todo", "doing", "done"], "default": "todo"},
      {"name": "priority", "type": "integer", "min": 1, "max": 5},
      {"name": "due", "type": "date"}
    ]},
    {"name": "Tag", "fields": [{"name": "label", "type": "string", "required": true}]},
    {"name": "Person", "fields": [{"name": "name", "type": "string"}]},
    {"name": "Note", "fields": [{"name": "body", "type": "text"}]},
    {"name": "Badge", "fields": [{"name": "code", "type": "string"}]}
  ],
  "relationships": [
    {"name": "project_tasks", "kind": "one-to-many", "from": "Project", "to": "Task", "fromField": "tasks", "toField": "project", "onDelete": "cascade"},
    {"name": "task_tags", "kind": "many-to-many", "from": "Task", "to": "Tag", "fromField": "tags", "toField": "tasks", "onDelete": "set-null"},
    {"name": "manager", "kind": "one-to-many", "from": "Person", "to": "Person", "fromField": "reports", "toField": "manager", "onDelete": "set-null"},
    {"name": "person_notes", "kind": "one-to-many", "from": "Person", "to": "Note", "fromField": "notes", "toField": "author", "onDelete": "restrict"},
    {"name": "person_badge", "kind": "one-to-one", "from": "Person", "to": "Badge", "fromField": "badge", "toField": "owner"}
  ]
}`

type fixture struct {
	t   *testing.T
	ctx context.Context
	svc *service.Service
	db  *store.DB
}

type opener = func(*testing.T) *store.DB

// TestService runs every service test on every store.
func TestService(t *testing.T) {
	tests := []struct {
		name string
		run  func(*testing.T, opener)
	}{
		{"EntityLifecycle", testEntityLifecycle},
		{"EntityRefusals", testEntityRefusals},
		{"UniqueFields", testUniqueFields},
		{"OnDelete", testOnDelete},
		{"Related", testRelated},
		{"ListQueries", testListQueries},
		{"ModelChangesReachApps", testModelChangesReachApps},
		{"ImportKeepsVersionAndRoundTrips", testImportKeepsVersionAndRoundTrips},
		{"AppRefusals", testAppRefusals},
	}
	for _, st := range storetest.Openers {
		t.Run(st.Name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) { tt.run(t, st.Open) })
			}
		})
	}
}

func newFixture(t *testing.T, open opener) *fixture {
	t.Helper()
	ctx := torque.WithActor(context.Background(), torque.SystemActor)
	db := open(t)
	svc := service.New(db, service.Options{})
	f := &fixture{t: t, ctx: ctx, svc: svc, db: db}
	m, err := torque.ParseModel([]byte(projectModel))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateModel(ctx, m); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateApp(ctx, "work", "Work"); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) create(typ, data string) *torque.Entity {
	f.t.Helper()
	e, err := f.svc.CreateEntity(f.ctx, "work", typ, json.RawMessage(data))
	if err != nil {
		f.t.Fatalf("create %s %s: %v", typ, data, err)
	}
	return e
}

func (f *fixture) count(typ string) int {
	f.t.Helper()
	page, err := f.svc.Entities(f.ctx, "work", typ, torque.EntityQuery{Limit: 1000})
	if err != nil {
		f.t.Fatal(err)
	}
	return len(page.Items)
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := torque.ErrorCode(err); got != code {
		t.Fatalf("got error %v (code %q), want code %q", err, got, code)
	}
}

func dataOf(t *testing.T, e *torque.Entity) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(e.Data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func testEntityLifecycle(t *testing.T, open opener) {
	f := newFixture(t, open)
	e := f.create("Task", `{"title": "write", "priority": 3}`)
	if e.Version != 1 || len(e.ID) != 36 {
		t.Fatalf("got version %d id %q, want version 1 and a UUID", e.Version, e.ID)
	}
	if got := dataOf(t, e)["status"]; got != "todo" {
		t.Fatalf("got default status %v, want todo", got)
	}
	got, err := f.svc.Entity(f.ctx, "work", "Task", e.ID)
	if err != nil || got.Version != 1 {
		t.Fatalf("get: got %v, %v", got, err)
	}
	up, err := f.svc.UpdateEntity(f.ctx, "work", "Task", e.ID, 1, json.RawMessage(`{"status": "doing", "priority": null}`))
	if err != nil {
		t.Fatal(err)
	}
	d := dataOf(t, up)
	if up.Version != 2 || d["status"] != "doing" || d["title"] != "write" || d["priority"] != nil {
		t.Fatalf("got %s version %d", up.Data, up.Version)
	}
	_, err = f.svc.UpdateEntity(f.ctx, "work", "Task", e.ID, 1, json.RawMessage(`{"status": "done"}`))
	wantCode(t, err, torque.ECONFLICT)
	same, err := f.svc.UpdateEntity(f.ctx, "work", "Task", e.ID, 2, json.RawMessage(`{"status": "doing"}`))
	if err != nil || same.Version != 2 {
		t.Fatalf("a patch that changes nothing: got version %d, %v; want version 2 kept", same.Version, err)
	}
	if err := f.svc.DeleteEntity(f.ctx, "work", "Task", e.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Entity(f.ctx, "work", "Task", e.ID)
	wantCode(t, err, torque.ENOTFOUND)
}

func testEntityRefusals(t *testing.T, open opener) {
	f := newFixture(t, open)
	tests := []struct {
		name, app, typ, data string
		code                 string
		fields               []string
	}{
		{"unknown app", "nope", "Task", `{"title": "x"}`, torque.ENOTFOUND, nil},
		{"unknown type", "work", "Nope", `{"title": "x"}`, torque.ENOTFOUND, nil},
		{"data not an object", "work", "Task", `[1]`, torque.EINVALID, []string{"data"}},
		{"every bad field reported", "work", "Task", `{"title": "", "priority": 9, "status": "later", "due": "soon", "colour": 1}`,
			torque.EINVALID, []string{"title", "priority", "status", "due", "colour"}},
		{"title over 200 chars", "work", "Task", `{"title": "` + strings.Repeat("x", 201) + `"}`, torque.EINVALID, []string{"title"}},
		{"missing required", "work", "Task", `{"priority": 2}`, torque.EINVALID, []string{"title"}},
		{"reference to a missing entity", "work", "Task", `{"title": "x", "project": "0190a0a0-0000-7000-8000-000000000000"}`, torque.EINVALID, []string{"project"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.CreateEntity(f.ctx, tt.app, tt.typ, json.RawMessage(tt.data))
			wantCode(t, err, tt.code)
			fields := torque.ErrorFields(err)
			for _, name := range tt.fields {
				if fields[name] == "" {
					t.Errorf("got fields %v, want a problem for %q", fields, name)
				}
			}
		})
	}
	if n := f.count("Task"); n != 0 {
		t.Fatalf("got %d tasks after refusals, want 0", n)
	}
}

func testUniqueFields(t *testing.T, open opener) {
	f := newFixture(t, open)
	a := f.create("Project", `{"name": "alpha"}`)
	_, err := f.svc.CreateEntity(f.ctx, "work", "Project", json.RawMessage(`{"name": "alpha"}`))
	wantCode(t, err, torque.ECONFLICT)
	if torque.ErrorFields(err)["name"] == "" {
		t.Fatalf("got %v, want a problem for name", err)
	}
	// Saving an entity with its own unchanged value is no conflict.
	if _, err := f.svc.UpdateEntity(f.ctx, "work", "Project", a.ID, 1, json.RawMessage(`{"name": "alpha"}`)); err != nil {
		t.Fatal(err)
	}

	t.Run("racing creates: exactly one wins", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.svc.CreateEntity(f.ctx, "work", "Project", json.RawMessage(`{"name": "race"}`))
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
			} else if torque.ErrorCode(err) != torque.ECONFLICT {
				t.Fatalf("got %v, want success or ECONFLICT", err)
			}
		}
		if won != 1 {
			t.Fatalf("got %d winners, want 1", won)
		}
	})

	t.Run("one-to-one reference is unique", func(t *testing.T) {
		p := f.create("Person", `{"name": "ann"}`)
		f.create("Badge", fmt.Sprintf(`{"code": "a", "owner": %q}`, p.ID))
		_, err := f.svc.CreateEntity(f.ctx, "work", "Badge", json.RawMessage(fmt.Sprintf(`{"code": "b", "owner": %q}`, p.ID)))
		wantCode(t, err, torque.ECONFLICT)
	})
}

func testOnDelete(t *testing.T, open opener) {
	t.Run("cascade deletes the tasks of a project", func(t *testing.T) {
		f := newFixture(t, open)
		p := f.create("Project", `{"name": "p"}`)
		for i := range 3 {
			f.create("Task", fmt.Sprintf(`{"title": "t%d", "project": %q}`, i, p.ID))
		}
		f.create("Task", `{"title": "loose"}`)
		if err := f.svc.DeleteEntity(f.ctx, "work", "Project", p.ID); err != nil {
			t.Fatal(err)
		}
		if n := f.count("Task"); n != 1 {
			t.Fatalf("got %d tasks, want 1", n)
		}
	})
	t.Run("restrict refuses and changes nothing", func(t *testing.T) {
		f := newFixture(t, open)
		p := f.create("Person", `{"name": "ann"}`)
		f.create("Note", fmt.Sprintf(`{"body": "hi", "author": %q}`, p.ID))
		wantCode(t, f.svc.DeleteEntity(f.ctx, "work", "Person", p.ID), torque.ECONFLICT)
		if _, err := f.svc.Entity(f.ctx, "work", "Person", p.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("set-null clears a self reference as a new version", func(t *testing.T) {
		f := newFixture(t, open)
		boss := f.create("Person", `{"name": "boss"}`)
		worker := f.create("Person", fmt.Sprintf(`{"name": "worker", "manager": %q}`, boss.ID))
		if err := f.svc.DeleteEntity(f.ctx, "work", "Person", boss.ID); err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.Entity(f.ctx, "work", "Person", worker.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := dataOf(t, got)["manager"]; ok || got.Version != 2 {
			t.Fatalf("got %s version %d, want no manager at version 2", got.Data, got.Version)
		}
	})
	t.Run("a failing cascade rolls back every step", func(t *testing.T) {
		f := newFixture(t, open)
		boss := f.create("Person", `{"name": "boss"}`)
		worker := f.create("Person", fmt.Sprintf(`{"name": "worker", "manager": %q}`, boss.ID))
		f.create("Note", fmt.Sprintf(`{"body": "hi", "author": %q}`, boss.ID))
		wantCode(t, f.svc.DeleteEntity(f.ctx, "work", "Person", boss.ID), torque.ECONFLICT)
		got, err := f.svc.Entity(f.ctx, "work", "Person", worker.ID)
		if err != nil || got.Version != 1 {
			t.Fatalf("got %v version %d, want the worker untouched", err, got.Version)
		}
	})
}

func testRelated(t *testing.T, open opener) {
	f := newFixture(t, open)
	p := f.create("Project", `{"name": "p"}`)
	t1 := f.create("Task", fmt.Sprintf(`{"title": "a", "priority": 1, "project": %q}`, p.ID))
	t2 := f.create("Task", fmt.Sprintf(`{"title": "b", "priority": 5, "project": %q}`, p.ID))
	tag := f.create("Tag", `{"label": "urgent"}`)

	t.Run("children with filter and sort", func(t *testing.T) {
		page, err := f.svc.RelatedEntities(f.ctx, "work", "Project", p.ID, "tasks", torque.EntityQuery{Sort: "-priority"})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 2 || page.Items[0].ID != t2.ID {
			t.Fatalf("got %d items, first %v; want 2 with %s first", len(page.Items), page.Items, t2.ID)
		}
	})
	t.Run("parent", func(t *testing.T) {
		page, err := f.svc.RelatedEntities(f.ctx, "work", "Task", t1.ID, "project", torque.EntityQuery{})
		if err != nil || len(page.Items) != 1 || page.Items[0].ID != p.ID {
			t.Fatalf("got %v, %v; want the project", page, err)
		}
	})
	t.Run("many-to-many both ways", func(t *testing.T) {
		if err := f.svc.Link(f.ctx, "work", "Task", t1.ID, "tags", tag.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Link(f.ctx, "work", "Tag", tag.ID, "tasks", t2.ID); err != nil {
			t.Fatal(err)
		}
		page, err := f.svc.RelatedEntities(f.ctx, "work", "Tag", tag.ID, "tasks", torque.EntityQuery{Sort: "title"})
		if err != nil || len(page.Items) != 2 || page.Items[0].ID != t1.ID {
			t.Fatalf("got %v, %v; want both tasks", page, err)
		}
		if err := f.svc.Unlink(f.ctx, "work", "Task", t1.ID, "tags", tag.ID); err != nil {
			t.Fatal(err)
		}
		page, err = f.svc.RelatedEntities(f.ctx, "work", "Task", t1.ID, "tags", torque.EntityQuery{})
		if err != nil || len(page.Items) != 0 {
			t.Fatalf("got %v, %v; want no tags", page, err)
		}
	})
	t.Run("link refusals", func(t *testing.T) {
		err := f.svc.Link(f.ctx, "work", "Task", t1.ID, "tags", "0190a0a0-0000-7000-8000-000000000000")
		wantCode(t, err, torque.EINVALID)
		wantCode(t, f.svc.Link(f.ctx, "work", "Task", t1.ID, "project", p.ID), torque.EINVALID)
		wantCode(t, f.svc.Link(f.ctx, "work", "Task", t1.ID, "nope", p.ID), torque.ENOTFOUND)
	})
	t.Run("include embeds parents, children and links", func(t *testing.T) {
		if err := f.svc.Link(f.ctx, "work", "Task", t1.ID, "tags", tag.ID); err != nil {
			t.Fatal(err)
		}
		page, err := f.svc.Entities(f.ctx, "work", "Task", torque.EntityQuery{Sort: "title", Include: []string{"project", "tags"}})
		if err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(page.Items)
		if got := strings.Count(string(out), `"name":"p"`); got != 2 {
			t.Fatalf("got the project %d times in %s, want 2", got, out)
		}
		if got := strings.Count(string(out), `"label":"urgent"`); got != 2 {
			t.Fatalf("got the tag %d times in %s, want 2", got, out)
		}
		projects, err := f.svc.Entities(f.ctx, "work", "Project", torque.EntityQuery{Include: []string{"tasks"}})
		if err != nil {
			t.Fatal(err)
		}
		if tasks, _ := projects.Items[0].Related["tasks"].([]*torque.Entity); len(tasks) != 2 {
			t.Fatalf("got %v, want the project's 2 tasks", projects.Items[0].Related)
		}
	})
	t.Run("an include over the page budget is refused, not cut", func(t *testing.T) {
		big := f.create("Project", `{"name": "big"}`)
		for i := range torque.MaxPageSize + 1 {
			f.create("Task", fmt.Sprintf(`{"title": "b%d", "project": %q}`, i, big.ID))
		}
		_, err := f.svc.Entities(f.ctx, "work", "Project", torque.EntityQuery{Include: []string{"tasks"}})
		wantCode(t, err, torque.EINVALID)
		if !strings.Contains(torque.ErrorFields(err)["include"], "related/tasks") {
			t.Fatalf("got %v, want a message pointing at related/tasks", err)
		}
		page, err := f.svc.Entities(f.ctx, "work", "Project", torque.EntityQuery{Filter: `name = "p"`, Include: []string{"tasks"}})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("got %v, %v; a small project's tasks still embed", page, err)
		}
	})
	t.Run("unknown include refused", func(t *testing.T) {
		_, err := f.svc.Entities(f.ctx, "work", "Task", torque.EntityQuery{Include: []string{"nope"}})
		wantCode(t, err, torque.EINVALID)
	})
}

func testListQueries(t *testing.T, open opener) {
	f := newFixture(t, open)
	for i := range 30 {
		f.create("Task", fmt.Sprintf(`{"title": "t%02d", "priority": %d, "status": %q}`, i, i%5+1, []string{"todo", "doing", "done"}[i%3]))
	}
	page, err := f.svc.Entities(f.ctx, "work", "Task", torque.EntityQuery{
		Filter: `priority >= 4 and status = "doing"`, Sort: "-priority,title", Limit: 3, Count: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total == nil || *page.Total != 4 || len(page.Items) != 3 || page.NextCursor == "" {
		t.Fatalf("got total %v, %d items, cursor %q; want total 4, 3 items and a cursor", page.Total, len(page.Items), page.NextCursor)
	}
	next, err := f.svc.Entities(f.ctx, "work", "Task", torque.EntityQuery{
		Filter: `priority >= 4 and status = "doing"`, Sort: "-priority,title", Limit: 3, Cursor: page.NextCursor,
	})
	if err != nil || len(next.Items) != 1 || next.NextCursor != "" {
		t.Fatalf("got %v, %v; want the last item and no cursor", next, err)
	}
	refusals := []struct {
		name  string
		q     torque.EntityQuery
		field string
	}{
		{"unknown filter field", torque.EntityQuery{Filter: `colour = "red"`}, "filter"},
		{"filter type mismatch", torque.EntityQuery{Filter: `priority = "high"`}, "filter"},
		{"malformed filter", torque.EntityQuery{Filter: `priority >=`}, "filter"},
		{"unknown sort field", torque.EntityQuery{Sort: "-colour"}, "sort"},
		{"limit too large", torque.EntityQuery{Limit: 1001}, "limit"},
		{"bad cursor", torque.EntityQuery{Cursor: "garbage"}, "cursor"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			_, err := f.svc.Entities(f.ctx, "work", "Task", tt.q)
			wantCode(t, err, torque.EINVALID)
			if torque.ErrorFields(err)[tt.field] == "" {
				t.Fatalf("got %v, want a problem for %q", err, tt.field)
			}
		})
	}
}

func testModelChangesReachApps(t *testing.T, open opener) {
	f := newFixture(t, open)
	task := f.create("Task", `{"title": "before"}`)
	m, err := f.svc.Model(f.ctx, "Work")
	if err != nil {
		t.Fatal(err)
	}
	et := m.EntityType("Task")
	et.Fields = append(et.Fields, torque.Field{Name: "labels", Type: torque.FieldString})
	m2, err := f.svc.UpdateModel(f.ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	if m2.Version != 2 {
		t.Fatalf("got version %d, want 2", m2.Version)
	}
	f.create("Task", `{"title": "after", "labels": "x"}`)
	page, err := f.svc.Entities(f.ctx, "work", "Task", torque.EntityQuery{Filter: `labels = "x"`})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("got %v, %v; want the tagged task", page, err)
	}

	t.Run("stale model version conflicts and changes nothing", func(t *testing.T) {
		m.Description = "stale edit"
		_, err := f.svc.UpdateModel(f.ctx, m) // m.Version is still 1
		wantCode(t, err, torque.ECONFLICT)
		cur, _ := f.svc.Model(f.ctx, "Work")
		if cur.Version != 2 || cur.Description != "" {
			t.Fatalf("got version %d description %q, want version 2 unchanged", cur.Version, cur.Description)
		}
	})
	t.Run("removed fields drop out of data on the next update", func(t *testing.T) {
		cur, _ := f.svc.Model(f.ctx, "Work")
		et := cur.EntityType("Task")
		var kept []torque.Field
		for _, fl := range et.Fields {
			if fl.Name != "priority" {
				kept = append(kept, fl)
			}
		}
		et.Fields = kept
		if _, err := f.svc.UpdateModel(f.ctx, cur); err != nil {
			t.Fatal(err)
		}
		up, err := f.svc.UpdateEntity(f.ctx, "work", "Task", task.ID, 1, json.RawMessage(`{"title": "still here"}`))
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := dataOf(t, up)["priority"]; ok {
			t.Fatalf("got %s, want priority dropped", up.Data)
		}
	})
	t.Run("versions are kept", func(t *testing.T) {
		vs, err := f.svc.ModelVersions(f.ctx, "Work")
		if err != nil || len(vs) != 3 || vs[0].Version != 3 {
			t.Fatalf("got %v, %v; want versions 3, 2, 1", vs, err)
		}
		old, err := f.svc.ModelAtVersion(f.ctx, "Work", 1)
		if err != nil || old.EntityType("Task").Field("labels") != nil {
			t.Fatalf("got %v, %v; want version 1 without labels", old, err)
		}
	})
	t.Run("a model in use cannot be deleted", func(t *testing.T) {
		wantCode(t, f.svc.DeleteModel(f.ctx, "Work"), torque.ECONFLICT)
	})
}

func testImportKeepsVersionAndRoundTrips(t *testing.T, open opener) {
	f := newFixture(t, open)
	m, err := f.svc.Model(f.ctx, "Work")
	if err != nil {
		t.Fatal(err)
	}
	exported, _ := json.Marshal(m.Document())
	doc := strings.Replace(string(exported), `"name":"Work"`, `"name":"Copy"`, 1)
	doc = strings.Replace(doc, `"version":1`, `"version":7`, 1)
	parsed, err := torque.ParseModel([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	imported, err := f.svc.ImportModel(f.ctx, parsed)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(imported.Document())
	if string(again) != doc {
		t.Fatalf("round trip differs:\n got %s\nwant %s", again, doc)
	}
	// Importing over an existing model stores the next version.
	next, err := f.svc.ImportModel(f.ctx, parsed)
	if err != nil || next.Version != 8 {
		t.Fatalf("got %v, %v; want version 8", next, err)
	}
}

func testAppRefusals(t *testing.T, open opener) {
	f := newFixture(t, open)
	_, err := f.svc.CreateApp(f.ctx, "Bad Name", "Work")
	wantCode(t, err, torque.EINVALID)
	_, err = f.svc.CreateApp(f.ctx, "other", "Missing")
	wantCode(t, err, torque.EINVALID)
	_, err = f.svc.CreateApp(f.ctx, "work", "Work")
	wantCode(t, err, torque.ECONFLICT)
	f.create("Task", `{"title": "x"}`)
	if err := f.svc.DeleteApp(f.ctx, "work"); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Entities(f.ctx, "work", "Task", torque.EntityQuery{})
	wantCode(t, err, torque.ENOTFOUND)
}

// TestChangesByAnotherProcess runs two services over one database, as two
// processes (or instances) would, and checks that each sees the other's
// model and app changes once its cache is rechecked.
func TestChangesByAnotherProcess(t *testing.T) {
	for _, st := range storetest.Openers {
		t.Run(st.Name, func(t *testing.T) {
			f := newFixture(t, st.Open)
			other := service.New(f.db, service.Options{Recheck: time.Nanosecond})
			// Warm the other process's caches.
			if _, err := other.CreateEntity(f.ctx, "work", "Task", json.RawMessage(`{"title": "x"}`)); err != nil {
				t.Fatal(err)
			}
			m, _ := f.svc.Model(f.ctx, "Work")
			m.EntityType("Task").Fields = append(m.EntityType("Task").Fields, torque.Field{Name: "labels", Type: torque.FieldString})
			if _, err := f.svc.UpdateModel(f.ctx, m); err != nil {
				t.Fatal(err)
			}
			if _, err := other.CreateEntity(f.ctx, "work", "Task", json.RawMessage(`{"title": "y", "labels": "new"}`)); err != nil {
				t.Fatalf("the new field, through the other process: %v", err)
			}
			if err := f.svc.DeleteApp(f.ctx, "work"); err != nil {
				t.Fatal(err)
			}
			_, err := other.CreateEntity(f.ctx, "work", "Task", json.RawMessage(`{"title": "z"}`))
			wantCode(t, err, torque.ENOTFOUND)

			// The model is deleted and made again: version 1 again, with
			// other fields. Storage wins over the newer version cached.
			if err := f.svc.DeleteModel(f.ctx, "Work"); err != nil {
				t.Fatal(err)
			}
			again, err := torque.ParseModel([]byte(`{"name": "Work", "entities": [{"name": "Task", "fields": [{"name": "label", "type": "string"}]}]}`))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.CreateModel(f.ctx, again); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.CreateApp(f.ctx, "work", "Work"); err != nil {
				t.Fatal(err)
			}
			if _, err := other.CreateEntity(f.ctx, "work", "Task", json.RawMessage(`{"label": "fresh"}`)); err != nil {
				t.Fatalf("the recreated model, through the other process: %v", err)
			}
		})
	}
}
