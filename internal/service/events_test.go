package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/bus"
	"github.com/torquehq/torque/internal/service"
	"github.com/torquehq/torque/internal/storetest"
)

// next returns the next event of st, failing when none comes within 5 s.
func next(t *testing.T, st *service.Stream) bus.Event {
	t.Helper()
	select {
	case e, ok := <-st.C():
		if !ok {
			t.Fatalf("stream ended: %v", st.Err())
		}
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
	}
	return bus.Event{}
}

// none fails when st delivers an event within a short while.
func none(t *testing.T, st *service.Stream) {
	t.Helper()
	select {
	case e := <-st.C():
		t.Fatalf("got %s #%d, want no event", e.Kind, e.Seq)
	case <-time.After(50 * time.Millisecond):
	}
}

func modelData(t *testing.T, e bus.Event) service.ModelEventData {
	t.Helper()
	var d service.ModelEventData
	if err := json.Unmarshal(e.Data, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func entityData(t *testing.T, e bus.Event) service.EntityEventData {
	t.Helper()
	var d service.EntityEventData
	if err := json.Unmarshal(e.Data, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// addField returns an edit adding a string field to Task.
func addField(name string) torque.ModelEdit {
	return torque.ModelEdit{Op: torque.EditAddField, Entity: "Task",
		Value: json.RawMessage(`{"name": "` + name + `", "type": "string"}`)}
}

func TestModelEvents(t *testing.T) {
	for _, st := range storetest.Openers {
		t.Run(st.Name, func(t *testing.T) {
			f := newFixture(t, st.Open)
			stream, err := f.svc.SubscribeModel(f.ctx, "Work", 0)
			if err != nil {
				t.Fatal(err)
			}
			defer stream.Close()
			m, err := f.svc.EditModel(f.ctx, "Work", 1, []torque.ModelEdit{addField("labels")})
			if err != nil {
				t.Fatal(err)
			}
			e := next(t, stream)
			d := modelData(t, e)
			if e.Kind != service.KindModelUpdated || e.Seq != 2 || d.Version != 2 || m.Version != 2 || e.Actor != "system" {
				t.Fatalf("got %s #%d version %d by %q, want model.updated #2 version 2 by system", e.Kind, e.Seq, d.Version, e.Actor)
			}
			if len(d.Changes) != 1 || d.Changes[0].Op != torque.ChangeAdd || d.Changes[0].Path != "entities/Task/fields/labels" {
				t.Fatalf("changes = %+v, want one add of entities/Task/fields/labels", d.Changes)
			}
			none(t, stream)

			// A failed write publishes nothing.
			_, err = f.svc.EditModel(f.ctx, "Work", 2, []torque.ModelEdit{addField("labels")})
			wantCode(t, err, torque.EINVALID)
			none(t, stream)

			// The audit entry is kept with the change.
			page, err := f.svc.Audit(f.ctx, torque.AuditQuery{Action: "model.edit"})
			if err != nil || len(page.Items) != 1 {
				t.Fatalf("audit of model.edit: %v, %d entries, want 1", err, len(page.Items))
			}
		})
	}
}

func TestStaleEditIsAConflictWithTheChangesSince(t *testing.T) {
	for _, st := range storetest.Openers {
		t.Run(st.Name, func(t *testing.T) {
			f := newFixture(t, st.Open)
			if _, err := f.svc.EditModel(f.ctx, "Work", 1, []torque.ModelEdit{addField("labels")}); err != nil {
				t.Fatal(err)
			}
			_, err := f.svc.EditModel(f.ctx, "Work", 1, []torque.ModelEdit{addField("owner")})
			wantCode(t, err, torque.ECONFLICT)
			c := torque.ErrorConflict(err)
			if c == nil || c.Version != 2 || len(c.Changes) != 1 || c.Changes[0].Path != "entities/Task/fields/labels" {
				t.Fatalf("conflict = %+v, want version 2 and the labels field added", c)
			}
			// The whole-document update says the same.
			m, _ := f.svc.Model(f.ctx, "Work")
			m.Version = 1
			_, err = f.svc.UpdateModel(f.ctx, m)
			if c := torque.ErrorConflict(err); c == nil || c.Version != 2 || len(c.Changes) != 1 {
				t.Fatalf("UpdateModel conflict = %+v (%v), want version 2 and one change", c, err)
			}
			cur, _ := f.svc.Model(f.ctx, "Work")
			if cur.Version != 2 || cur.EntityType("Task").Field("owner") != nil {
				t.Fatalf("a refused edit changed the model: version %d", cur.Version)
			}
		})
	}
}

// TestEditorsRacing: editors write at once on the same base version; one
// wins, every other gets CONFLICT, merges (applies its edit on the version
// it is told of) and retries, and no edit is lost.
func TestEditorsRacing(t *testing.T) {
	for _, st := range storetest.Openers {
		t.Run(st.Name, func(t *testing.T) {
			f := newFixture(t, st.Open)
			const editors = 6
			var (
				wg        sync.WaitGroup
				conflicts sync.Map
			)
			start := make(chan struct{})
			for i := range editors {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					base := int64(1)
					edit := []torque.ModelEdit{addField("f" + string(rune('a'+i)))}
					for {
						_, err := f.svc.EditModel(f.ctx, "Work", base, edit)
						if err == nil {
							return
						}
						c := torque.ErrorConflict(err)
						if c == nil {
							t.Errorf("editor %d: %v", i, err)
							return
						}
						conflicts.Store(i, true)
						base = c.Version
					}
				}()
			}
			close(start)
			wg.Wait()
			m, err := f.svc.Model(f.ctx, "Work")
			if err != nil {
				t.Fatal(err)
			}
			if m.Version != 1+editors {
				t.Fatalf("version %d, want %d", m.Version, 1+editors)
			}
			for i := range editors {
				if m.EntityType("Task").Field("f"+string(rune('a'+i))) == nil {
					t.Fatalf("editor %d's field was lost", i)
				}
			}
			n := 0
			conflicts.Range(func(any, any) bool { n++; return true })
			if n == 0 {
				t.Log("no editor met a conflict this run")
			}
		})
	}
}

func TestModelReplay(t *testing.T) {
	for _, st := range storetest.Openers {
		t.Run(st.Name, func(t *testing.T) {
			f := newFixture(t, st.Open)
			for i, name := range []string{"a", "b", "c"} {
				if _, err := f.svc.EditModel(f.ctx, "Work", int64(1+i), []torque.ModelEdit{addField(name)}); err != nil {
					t.Fatal(err)
				}
			}
			// Resuming after #2 on this instance, and on a fresh one (a
			// restart): #3 and #4 come from the hub or from storage.
			fresh := service.New(f.db, service.Options{})
			for round, svc := range []*service.Service{f.svc, fresh} {
				stream, err := svc.SubscribeModel(f.ctx, "Work", 2)
				if err != nil {
					t.Fatal(err)
				}
				cur, err := svc.Model(f.ctx, "Work")
				if err != nil {
					t.Fatal(err)
				}
				for want := uint64(3); want <= uint64(cur.Version); want++ {
					if e := next(t, stream); e.Seq != want || modelData(t, e).Version != int64(want) {
						t.Fatalf("replay got #%d, want #%d", e.Seq, want)
					}
				}
				none(t, stream)
				if _, err := svc.EditModel(f.ctx, "Work", cur.Version, []torque.ModelEdit{addField("live" + string(rune('0'+round)))}); err != nil {
					t.Fatal(err)
				}
				if e := next(t, stream); e.Kind != service.KindModelUpdated || e.Seq != uint64(cur.Version+1) {
					t.Fatalf("live after replay: got %s #%d", e.Kind, e.Seq)
				}
				stream.Close()
			}
			// A sequence number from the future, or one whose events are gone.
			_, err := f.svc.SubscribeModel(f.ctx, "Work", 99)
			if !errors.Is(err, service.ErrResync) {
				t.Fatalf("after 99: %v, want ErrResync", err)
			}
		})
	}
}

func TestEntityEvents(t *testing.T) {
	f := newFixture(t, storetest.OpenSQLite)
	tasks, err := f.svc.SubscribeEntities(f.ctx, "work", "Task", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer tasks.Close()
	projects, err := f.svc.SubscribeEntities(f.ctx, "work", "Project", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer projects.Close()

	p := f.create("Project", `{"name": "P"}`)
	task := f.create("Task", `{"title": "t", "project": "`+p.ID+`"}`)
	if e, d := next(t, projects), entityData(t, next(t, tasks)); e.Kind != service.KindEntityCreated || d.ID != task.ID || d.Version != 1 {
		t.Fatalf("got %s and task %+v, want creations", e.Kind, d)
	}
	if _, err := f.svc.UpdateEntity(f.ctx, "work", "Task", task.ID, 1, json.RawMessage(`{"title": "u"}`)); err != nil {
		t.Fatal(err)
	}
	if e := next(t, tasks); e.Kind != service.KindEntityUpdated || entityData(t, e).Version != 2 || e.Seq != 2 {
		t.Fatalf("got %s #%d, want entity.updated #2", e.Kind, e.Seq)
	}
	// A failed write publishes nothing.
	_, err = f.svc.UpdateEntity(f.ctx, "work", "Task", task.ID, 1, json.RawMessage(`{"title": "v"}`))
	wantCode(t, err, torque.ECONFLICT)
	none(t, tasks)

	// The cascade reaches the task: both deletions are published.
	if err := f.svc.DeleteEntity(f.ctx, "work", "Project", p.ID); err != nil {
		t.Fatal(err)
	}
	if e := next(t, tasks); e.Kind != service.KindEntityDeleted || entityData(t, e).ID != task.ID {
		t.Fatalf("cascade: got %s of %s", e.Kind, entityData(t, e).ID)
	}
	if e := next(t, projects); e.Kind != service.KindEntityDeleted {
		t.Fatalf("got %s, want entity.deleted", e.Kind)
	}

	// Unknown types and anonymous callers are refused.
	_, err = f.svc.SubscribeEntities(f.ctx, "work", "Nope", 0)
	wantCode(t, err, torque.ENOTFOUND)
	_, err = f.svc.SubscribeEntities(context.Background(), "work", "Task", 0)
	wantCode(t, err, torque.EUNAUTHORIZED)
	_, err = f.svc.SubscribeModel(context.Background(), "Work", 0)
	wantCode(t, err, torque.EUNAUTHORIZED)
}

// TestOwnRecordsEvents: a member who reads only their own records hears
// only of those.
func TestOwnRecordsEvents(t *testing.T) {
	f := newFixture(t, storetest.OpenSQLite)
	m, _ := f.svc.Model(f.ctx, "Work")
	m.EntityType("Task").Permissions = map[torque.Role]*torque.OpGrants{
		torque.RoleMember: {Read: torque.GrantOwn, Create: torque.GrantAll, Update: torque.GrantOwn, Delete: torque.GrantOwn},
	}
	if _, err := f.svc.UpdateModel(f.ctx, m); err != nil {
		t.Fatal(err)
	}
	ctxOf := func(email string) context.Context {
		u, err := f.svc.CreateUser(f.ctx, email, "password-"+email, false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.SetMember(f.ctx, "work", email, torque.RoleMember); err != nil {
			t.Fatal(err)
		}
		return torque.WithActor(context.Background(), &torque.Actor{UserID: u.ID, Email: u.Email})
	}
	ann, bob := ctxOf("ann@example.com"), ctxOf("bob@example.com")
	stream, err := f.svc.SubscribeEntities(ann, "work", "Task", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	if _, err := f.svc.CreateEntity(bob, "work", "Task", json.RawMessage(`{"title": "bob's"}`)); err != nil {
		t.Fatal(err)
	}
	mine, err := f.svc.CreateEntity(ann, "work", "Task", json.RawMessage(`{"title": "ann's"}`))
	if err != nil {
		t.Fatal(err)
	}
	if e := next(t, stream); entityData(t, e).ID != mine.ID {
		t.Fatalf("got the event of %s, want only ann's own %s", entityData(t, e).ID, mine.ID)
	}
	none(t, stream)
}

// TestEventsAcrossProcesses: two services on one database, as two
// instances (PostgreSQL, through notifications) or two processes on one
// file (SQLite, by polling stored events): a subscriber of one hears of
// the other's changes.
func TestEventsAcrossProcesses(t *testing.T) {
	for _, st := range storetest.Openers {
		t.Run(st.Name, func(t *testing.T) {
			f := newFixture(t, st.Open)
			ctx, cancel := context.WithCancel(context.Background())
			other := service.New(f.db, service.Options{})
			done := make(chan struct{})
			go func() { defer close(done); other.RunEvents(ctx) }()
			defer func() { cancel(); <-done }()

			models, err := other.SubscribeModel(f.ctx, "Work", 0)
			if err != nil {
				t.Fatal(err)
			}
			defer models.Close()
			var entities *service.Stream
			if f.db.CanListen() {
				if entities, err = other.SubscribeEntities(f.ctx, "work", "Task", 0); err != nil {
					t.Fatal(err)
				}
				defer entities.Close()
			}
			// The model event arrives through a notification or through the
			// catch-up that follows the listener's connection: either way the
			// listener is connected once it has arrived.
			if _, err := f.svc.EditModel(f.ctx, "Work", 1, []torque.ModelEdit{addField("labels")}); err != nil {
				t.Fatal(err)
			}
			if e := next(t, models); e.Seq != 2 || modelData(t, e).Version != 2 {
				t.Fatalf("got #%d, want #2 version 2", e.Seq)
			}
			// The other process's cache follows at once.
			if _, err := other.CreateEntity(f.ctx, "work", "Task", json.RawMessage(`{"title": "x", "labels": "l"}`)); err != nil {
				t.Fatalf("the new field through the other service: %v", err)
			}
			if entities == nil {
				return
			}
			if e := next(t, entities); e.Kind != service.KindEntityCreated {
				t.Fatalf("own write: got %s", e.Kind)
			}
			created := f.create("Task", `{"title": "remote"}`)
			if e := next(t, entities); entityData(t, e).ID != created.ID {
				t.Fatalf("remote write: got %s, want %s", entityData(t, e).ID, created.ID)
			}
		})
	}
}
