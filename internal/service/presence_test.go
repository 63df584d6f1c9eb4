package service_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx", to drop the test schema

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/bus"
	"github.com/torquehq/torque/internal/service"
	"github.com/torquehq/torque/internal/store"
	"github.com/torquehq/torque/internal/storetest"
)

// presenceFixture is the model Work (app work) with users: ann and bob
// editors, vic a viewer, carl with no role, and admin; a settable clock.
type presenceFixture struct {
	*fixture
	clock                      *clock
	ann, bob, vic, carl, admin context.Context
	annID, bobID               string
}

func newPresenceFixture(t *testing.T, open opener) *presenceFixture {
	t.Helper()
	return newPresenceFixtureOn(t, open(t))
}

// newPresenceFixtureOn is newPresenceFixture on db.
func newPresenceFixtureOn(t *testing.T, db *store.DB) *presenceFixture {
	t.Helper()
	c := &clock{now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
	svc := service.New(db, service.Options{Now: c.Now})
	sys := torque.WithActor(context.Background(), torque.SystemActor)
	f := &presenceFixture{fixture: &fixture{t: t, ctx: sys, svc: svc, db: db}, clock: c}
	m, err := torque.ParseModel([]byte(projectModel))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateModel(sys, m); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateApp(sys, "work", "Work"); err != nil {
		t.Fatal(err)
	}
	f.ann, f.annID = f.user("ann", torque.RoleEditor)
	f.bob, f.bobID = f.user("bob", torque.RoleEditor)
	f.vic, _ = f.user("vic", torque.RoleViewer)
	f.carl, _ = f.user("carl", "")
	u, err := svc.CreateUser(sys, "admin@example.com", "admin-password", true)
	if err != nil {
		t.Fatal(err)
	}
	f.admin = torque.WithActor(context.Background(), &torque.Actor{UserID: u.ID, Email: u.Email, Admin: true})
	return f
}

// user makes a user with role in work ("" for none) and returns a context
// acting for it, and its id.
func (f *presenceFixture) user(name string, role torque.Role) (context.Context, string) {
	f.t.Helper()
	email := name + "@example.com"
	u, err := f.svc.CreateUser(f.ctx, email, name+"-password", false)
	if err != nil {
		f.t.Fatal(err)
	}
	if role != "" {
		if _, err := f.svc.SetMember(f.ctx, "work", email, role); err != nil {
			f.t.Fatal(err)
		}
	}
	return torque.WithActor(context.Background(), &torque.Actor{UserID: u.ID, Email: email}), u.ID
}

// changed waits for p to say its members changed.
func changed(t *testing.T, p *service.Presence) {
	t.Helper()
	select {
	case _, ok := <-p.C():
		if !ok {
			t.Fatalf("presence ended: %v", p.Err())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no change within 5s")
	}
}

// drain takes the changes already said.
func drain(p *service.Presence) {
	for {
		select {
		case <-p.C():
		case <-time.After(20 * time.Millisecond):
			return
		}
	}
}

// roster renders p's members as "email:editing" in order.
func roster(p *service.Presence) string {
	_, ms := p.Members()
	var parts []string
	for _, m := range ms {
		parts = append(parts, m.Email+":"+m.Editing)
	}
	return strings.Join(parts, " ")
}

func join(t *testing.T, svc *service.Service, ctx context.Context, model string) *service.Presence {
	t.Helper()
	p, err := svc.JoinPresence(ctx, model)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func TestPresenceJoinSetLeave(t *testing.T) {
	f := newPresenceFixture(t, storetest.OpenSQLite)

	t.Run("refuses who may not edit the model", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			ctx   context.Context
			model string
			code  string
		}{
			{"no role", f.carl, "Work", torque.ENOTFOUND},
			{"a viewer: presence shows e-mail addresses, and is the editor's", f.vic, "Work", torque.EFORBIDDEN},
			{"anonymous", context.Background(), "Work", torque.EUNAUTHORIZED},
			{"a model that does not exist", f.ann, "Nope", torque.ENOTFOUND},
			{"a model that does not exist, to an admin", f.admin, "Nope", torque.ENOTFOUND},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.svc.JoinPresence(tc.ctx, tc.model)
				wantCode(t, err, tc.code)
			})
		}
		if n := f.svc.Hub().Stats().Subscribers; n != 0 {
			t.Errorf("got %d subscribers, want none: a refused join holds none", n)
		}
	})

	ann := join(t, f.svc, f.ann, "Work")
	if got := roster(ann); got != "ann@example.com:" {
		t.Fatalf("got members %q, want ann alone", got)
	}
	drain(ann)
	f.clock.advance(time.Second)
	bob := join(t, f.svc, f.bob, "Work")
	changed(t, ann)
	if got, want := roster(ann), "ann@example.com: bob@example.com:"; got != want {
		t.Fatalf("got members %q, want %q", got, want)
	}
	_, ms := ann.Members()
	if ms[1].ID != bob.ID || ms[1].UserID != f.bobID || !ms[1].Since.Equal(f.clock.Now()) || ms[0].UserID != f.annID {
		t.Fatalf("got members %+v, want ann then bob with his id, user and join time", ms)
	}

	t.Run("sets what one edits", func(t *testing.T) {
		drain(ann)
		if err := f.svc.SetPresence(f.bob, "Work", bob.ID, "entities/Task/fields/title"); err != nil {
			t.Fatal(err)
		}
		changed(t, ann)
		if got, want := roster(ann), "ann@example.com: bob@example.com:entities/Task/fields/title"; got != want {
			t.Fatalf("got members %q, want %q", got, want)
		}
		rev, _ := ann.Members()
		if err := f.svc.SetPresence(f.bob, "Work", bob.ID, "entities/Task/fields/title"); err != nil {
			t.Fatal(err)
		}
		if again, _ := ann.Members(); again != rev {
			t.Errorf("setting the same again changed the revision from %d to %d", rev, again)
		}
	})

	for _, tc := range []struct {
		name    string
		ctx     context.Context
		model   string
		id      string
		editing string
		code    string
	}{
		{"refuses another user's presence", f.ann, "Work", "", "x", torque.EFORBIDDEN},
		{"refuses an unknown presence", f.bob, "Work", "no-such-id", "x", torque.ENOTFOUND},
		{"refuses a presence of another model", f.bob, "Other", "", "x", torque.ENOTFOUND},
		{"refuses a model the caller cannot read", f.carl, "Work", "", "x", torque.ENOTFOUND},
		{"refuses a caller who may only read the model", f.vic, "Work", "", "x", torque.EFORBIDDEN},
		{"refuses a model that does not exist, to an admin", f.admin, "Nope", "", "x", torque.ENOTFOUND},
		{"refuses editing over 200 bytes", f.bob, "Work", "", strings.Repeat("a", 201), torque.EINVALID},
		{"refuses control characters", f.bob, "Work", "", "a\nb", torque.EINVALID},
		{"refuses format characters (right-to-left override)", f.bob, "Work", "", "entities/\u202eTask", torque.EINVALID},
		{"refuses zero-width characters", f.bob, "Work", "", "a\u200bb", torque.EINVALID},
		{"refuses line separators", f.bob, "Work", "", "a\u2028b", torque.EINVALID},
		{"refuses paragraph separators", f.bob, "Work", "", "a\u2029b", torque.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := tc.id
			if id == "" {
				id = bob.ID
			}
			err := f.svc.SetPresence(tc.ctx, tc.model, id, tc.editing)
			wantCode(t, err, tc.code)
			if tc.code == torque.EINVALID && torque.ErrorFields(err)["editing"] == "" {
				t.Errorf("got fields %v, want editing named", torque.ErrorFields(err))
			}
		})
	}

	t.Run("leaving", func(t *testing.T) {
		drain(ann)
		bob.Close()
		changed(t, ann)
		if got := roster(ann); got != "ann@example.com:" {
			t.Fatalf("got members %q, want ann alone", got)
		}
		if err := f.svc.SetPresence(f.bob, "Work", bob.ID, ""); torque.ErrorCode(err) != torque.ENOTFOUND {
			t.Fatalf("setting a presence that left: got %v, want ENOTFOUND", err)
		}
	})

	t.Run("ends when the right to edit ends", func(t *testing.T) {
		other := join(t, f.svc, f.bob, "Work")
		drain(ann)
		if _, err := f.svc.SetMember(f.ctx, "work", "ann@example.com", torque.RoleViewer); err != nil {
			t.Fatal(err)
		}
		deadline := time.After(5 * time.Second)
		for open := true; open; {
			select {
			case _, open = <-ann.C():
			case <-deadline:
				t.Fatal("ann's presence did not end")
			}
		}
		wantCode(t, ann.Err(), torque.EFORBIDDEN)
		ann.Close()
		changed(t, other)
		if got := roster(other); got != "bob@example.com:" {
			t.Fatalf("got members %q, want bob alone once ann is gone", got)
		}
	})
}

func TestPresenceLimit(t *testing.T) {
	f := newPresenceFixture(t, storetest.OpenSQLite)
	t.Run("per user", func(t *testing.T) {
		for range service.MaxPresencePerUser {
			join(t, f.svc, f.bob, "Work")
		}
		_, err := f.svc.JoinPresence(f.bob, "Work")
		wantCode(t, err, torque.ETOOLARGE)
		join(t, f.svc, f.ann, "Work") // others still may
	})
	t.Run("per model", func(t *testing.T) {
		n := 0 // the places of the subtest above are free again
		for i := 0; n < service.MaxPresenceMembers; i++ {
			ctx, _ := f.user(fmt.Sprint("user", i), torque.RoleEditor)
			for j := 0; j < service.MaxPresencePerUser && n < service.MaxPresenceMembers; j++ {
				join(t, f.svc, ctx, "Work")
				n++
			}
		}
		_, err := f.svc.JoinPresence(f.ann, "Work")
		wantCode(t, err, torque.ETOOLARGE)
		if n := f.svc.Hub().Stats().Subscribers; n != service.MaxPresenceMembers {
			t.Errorf("got %d subscribers, want %d: a refused join holds none", n, service.MaxPresenceMembers)
		}
	})
	t.Run("per user, counting other instances' members", func(t *testing.T) {
		f := newPresenceFixture(t, storetest.OpenSQLite)
		var remote []service.PresenceMember
		for i := range service.MaxPresencePerUser - 1 {
			remote = append(remote, service.PresenceMember{ID: fmt.Sprint("remote-", i), UserID: f.annID, Email: "ann@example.com", Since: f.clock.Now()})
		}
		b, _ := json.Marshal(map[string]any{"i": "other-instance", "p": map[string]any{"op": "up", "m": "Work", "ms": remote}})
		f.svc.NoteForTest(string(b))
		join(t, f.svc, f.ann, "Work")
		_, err := f.svc.JoinPresence(f.ann, "Work")
		wantCode(t, err, torque.ETOOLARGE)
	})
}

// TestPresenceLag: a member that fell behind the changes keeps its place
// and follows them again after Resume; nothing it missed matters, as the
// list says it all.
func TestPresenceLag(t *testing.T) {
	f := newPresenceFixture(t, storetest.OpenSQLite)
	ann := join(t, f.svc, f.ann, "Work")
	f.clock.advance(time.Second)
	bob := join(t, f.svc, f.bob, "Work")
	if err := ann.Resume(f.ann); err == nil {
		t.Fatal("Resume of a presence not behind: got nil, want an error")
	}
	for i := range bus.DefaultQueue + 10 {
		if err := f.svc.SetPresence(f.bob, "Work", bob.ID, fmt.Sprint("entities/Task/fields/f", i)); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.After(5 * time.Second)
	for open := true; open; {
		select {
		case _, open = <-ann.C():
		case <-deadline:
			t.Fatal("ann's stream was not cut off")
		}
	}
	if err := ann.Err(); !errors.Is(err, bus.ErrLagged) {
		t.Fatalf("got %v, want bus.ErrLagged", err)
	}
	if err := ann.Resume(f.ann); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprint("ann@example.com: bob@example.com:entities/Task/fields/f", bus.DefaultQueue+9)
	if got := roster(ann); got != want {
		t.Fatalf("got members %q, want %q: ann still there", got, want)
	}
	if err := f.svc.SetPresence(f.bob, "Work", bob.ID, "pages/Tasks"); err != nil {
		t.Fatal(err)
	}
	changed(t, ann)
	if got := roster(ann); got != "ann@example.com: bob@example.com:pages/Tasks" {
		t.Fatalf("got members %q after resuming", got)
	}
}

// TestPresenceExpiry: another instance's members are forgotten when not
// heard of for PresenceExpiry; each note of theirs keeps them.
func TestPresenceExpiry(t *testing.T) {
	f := newPresenceFixture(t, storetest.OpenSQLite)
	ann := join(t, f.svc, f.ann, "Work")
	drain(ann)
	note := func(op string, members ...service.PresenceMember) string {
		b, _ := json.Marshal(map[string]any{"i": "other-instance", "p": map[string]any{"op": op, "m": "Work", "ms": members}})
		return string(b)
	}
	remote := service.PresenceMember{ID: "remote-1", UserID: f.bobID, Email: "bob@example.com", Since: f.clock.Now()}
	f.svc.NoteForTest(note("up", remote))
	changed(t, ann)
	if got, want := roster(ann), "ann@example.com: bob@example.com:"; got != want {
		t.Fatalf("got members %q, want %q", got, want)
	}

	f.clock.advance(service.PresenceExpiry - time.Second)
	remote.Editing = "pages/Tasks"
	f.svc.NoteForTest(note("up", remote)) // a heartbeat, with a change
	changed(t, ann)
	f.clock.advance(service.PresenceExpiry - time.Second)
	f.svc.ExpirePresenceForTest()
	if got, want := roster(ann), "ann@example.com: bob@example.com:pages/Tasks"; got != want {
		t.Fatalf("heard of %s ago: got members %q, want %q", service.PresenceExpiry-time.Second, got, want)
	}
	drain(ann)
	f.clock.advance(2 * time.Second)
	f.svc.ExpirePresenceForTest()
	changed(t, ann)
	if got := roster(ann); got != "ann@example.com:" {
		t.Fatalf("silent past the expiry: got members %q, want ann alone", got)
	}

	t.Run("an announcement overtaken by the member's leave does not bring it back", func(t *testing.T) {
		gone := service.PresenceMember{ID: "remote-2", UserID: f.bobID, Email: "bob@example.com", Since: f.clock.Now()}
		f.svc.NoteForTest(note("up", gone))
		f.svc.NoteForTest(`{"i": "other-instance", "p": {"op": "leave", "m": "Work", "id": "remote-2"}}`)
		f.svc.NoteForTest(note("up", gone)) // a heartbeat sent before the leave, heard after it
		if got := roster(ann); got != "ann@example.com:" {
			t.Fatalf("got members %q, want ann alone", got)
		}
		late := service.PresenceMember{ID: "remote-3", UserID: f.bobID, Email: "bob@example.com", Since: f.clock.Now()}
		f.svc.NoteForTest(`{"i": "other-instance", "p": {"op": "leave", "m": "Work", "id": "remote-3"}}`)
		f.svc.NoteForTest(note("up", late)) // its join, heard after its leave
		if got := roster(ann); got != "ann@example.com:" {
			t.Fatalf("got members %q, want ann alone", got)
		}
	})

	t.Run("a note cannot take another instance's member", func(t *testing.T) {
		f.svc.NoteForTest(`{"i": "other-instance", "p": {"op": "leave", "m": "Work", "id": "` + ann.ID + `"}}`)
		f.svc.NoteForTest(note("up", service.PresenceMember{ID: ann.ID, UserID: f.bobID, Email: "bob@example.com", Editing: "x"}))
		if got := roster(ann); got != "ann@example.com:" {
			t.Fatalf("got members %q, want ann alone, unchanged", got)
		}
	})
	t.Run("the change bus's notes are not presence notes", func(t *testing.T) {
		// Every note but a presence note leaves the members, their
		// revision and the members' streams alone: a note of a model
		// event, one of entity events, one that says to forget an app's
		// roles, and one that is not JSON.
		drain(ann)
		before, _ := ann.Members()
		for _, n := range []string{
			`{"i": "other-instance", "t": "model:Work", "s": 3}`,
			`{"i": "other-instance", "a": "` + f.bobID + `", "u": "bob@example.com", "e": [{"k": "entity.created", "d": {"app": "work", "type": "Task", "id": "x"}}]}`,
			`{"i": "other-instance", "f": "app:work"}`,
			`not json`,
		} {
			f.svc.NoteForTest(n)
		}
		if after, _ := ann.Members(); after != before {
			t.Errorf("got revision %d, want %d unchanged", after, before)
		}
		select {
		case ev, ok := <-ann.C():
			t.Fatalf("got presence event %+v (open %v), want none", ev, ok)
		case <-time.After(50 * time.Millisecond):
		}
		if got := roster(ann); got != "ann@example.com:" {
			t.Fatalf("got members %q, want ann alone, unchanged", got)
		}
	})
}

// TestPresenceAcrossInstances: two services on one PostgreSQL database,
// each following the other through RunEvents, see each other's members,
// forward a change to the instance holding the member, and forget the
// members of an instance that stopped without a word.
func TestPresenceAcrossInstances(t *testing.T) {
	dbA, dbB := twoPostgres(t)
	f := newPresenceFixtureOn(t, dbA)
	c2 := &clock{now: f.clock.Now().Add(time.Second)} // members joining there come later
	other := service.New(dbB, service.Options{Now: c2.Now})
	crash := runEvents(t, f.svc)
	runEvents(t, other)

	ann := join(t, f.svc, f.ann, "Work")
	bob := join(t, other, f.bob, "Work")
	waitRoster(t, ann, "ann@example.com: bob@example.com:")
	waitRoster(t, bob, "ann@example.com: bob@example.com:")

	// Ann's presence is held by the first instance; set through the other.
	if err := other.SetPresence(f.ann, "Work", ann.ID, "entities/Task"); err != nil {
		t.Fatal(err)
	}
	waitRoster(t, ann, "ann@example.com:entities/Task bob@example.com:")
	waitRoster(t, bob, "ann@example.com:entities/Task bob@example.com:")
	if err := other.SetPresence(f.bob, "Work", ann.ID, "x"); torque.ErrorCode(err) != torque.EFORBIDDEN {
		t.Fatalf("bob setting ann's presence: got %v, want EFORBIDDEN", err)
	}

	// A leave is heard at once.
	carl := join(t, other, f.bob, "Work")
	waitRoster(t, ann, "ann@example.com:entities/Task bob@example.com: bob@example.com:")
	carl.Close()
	waitRoster(t, ann, "ann@example.com:entities/Task bob@example.com:")

	// The first instance crashes: the other forgets its members once they
	// are silent past the expiry, not before.
	crash()
	c2.advance(service.PresenceExpiry / 2)
	other.ExpirePresenceForTest()
	if got := roster(bob); !strings.HasPrefix(got, "ann@") {
		t.Fatalf("got members %q before the expiry, want ann still there", got)
	}
	c2.advance(service.PresenceExpiry)
	other.ExpirePresenceForTest()
	waitRoster(t, bob, "bob@example.com:")
}

// TestPresenceSetOnAnInstanceWithoutMembers: an instance where nobody is
// present on the model still knows the members of the others, so a
// change sent to it reaches the instance holding the member.
func TestPresenceSetOnAnInstanceWithoutMembers(t *testing.T) {
	dbA, dbB := twoPostgres(t)
	f := newPresenceFixtureOn(t, dbA)
	other := service.New(dbB, service.Options{Now: f.clock.Now})
	runEvents(t, f.svc)
	runEvents(t, other)

	ann := join(t, f.svc, f.ann, "Work")
	drain(ann)
	// The other instance hears of ann once its listener and ann's join
	// have met: until then it does not know her.
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := other.SetPresence(f.ann, "Work", ann.ID, "entities/Task/fields/due")
		if err == nil {
			break
		}
		if torque.ErrorCode(err) != torque.ENOTFOUND || time.Now().After(deadline) {
			t.Fatalf("setting ann's presence through the other instance: got %v, want success", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	waitRoster(t, ann, "ann@example.com:entities/Task/fields/due")

	for _, tc := range []struct {
		name string
		ctx  context.Context
		code string
	}{
		{"refuses another user's presence", f.bob, torque.EFORBIDDEN},
		{"refuses a model the caller cannot read", f.carl, torque.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantCode(t, other.SetPresence(tc.ctx, "Work", ann.ID, "x"), tc.code)
		})
	}

	t.Run("a member that left is not found", func(t *testing.T) {
		ann.Close()
		deadline := time.Now().Add(10 * time.Second)
		for {
			err := other.SetPresence(f.ann, "Work", ann.ID, "")
			if torque.ErrorCode(err) == torque.ENOTFOUND {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("got %v, want ENOTFOUND once ann left", err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// twoPostgres opens two stores on one fresh PostgreSQL schema, as two
// instances of a cluster would, dropped when the test ends.
func twoPostgres(t *testing.T) (*store.DB, *store.DB) {
	t.Helper()
	ctx := context.Background()
	dsn := storetest.PostgresDSN(t)
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(ctx, `DROP SCHEMA IF EXISTS "`+schema+`" CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	open := func() *store.DB {
		db, err := store.Open(ctx, dsn, "", store.Options{Schema: schema, MaxReaders: 4})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() {
			if err := db.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
		return db
	}
	a, other := open(), open()
	if err := a.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return a, other
}

// runEvents runs svc.RunEvents until the test ends or the returned
// function is called, which waits for it to return.
func runEvents(t *testing.T, svc *service.Service) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); svc.RunEvents(ctx) }()
	stop = sync.OnceFunc(func() { cancel(); <-done })
	t.Cleanup(stop)
	return stop
}

// waitRoster waits until p's members are want.
func waitRoster(t *testing.T, p *service.Presence, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for roster(p) != want {
		if time.Now().After(deadline) {
			t.Fatalf("got members %q, want %q", roster(p), want)
		}
		select {
		case <-p.C():
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// TestPresenceNotesFit: members whose editing JSON escapes to six times its
// length (< is \u003c) are announced to other instances in notes within
// PostgreSQL's limit, however many there are.
func TestPresenceNotesFit(t *testing.T) {
	dbA, dbB := twoPostgres(t)
	f := newPresenceFixtureOn(t, dbA)
	runEvents(t, f.svc)
	editing := strings.Repeat("<", service.MaxPresenceEditing)
	for n, u := 0, 0; n < service.MaxPresenceMembers-1; u++ {
		ctx, _ := f.user(fmt.Sprint("user", u), torque.RoleEditor)
		for j := 0; j < service.MaxPresencePerUser && n < service.MaxPresenceMembers-1; j++ {
			p := join(t, f.svc, ctx, "Work")
			if err := f.svc.SetPresence(ctx, "Work", p.ID, editing); err != nil {
				t.Fatal(err)
			}
			n++
		}
	}
	// An instance that starts now hears of them in the notes its greeting
	// asks for.
	other := service.New(dbB, service.Options{Now: f.clock.Now})
	runEvents(t, other)
	bob := join(t, other, f.bob, "Work")
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, ms := bob.Members()
		full := 0
		for _, m := range ms {
			if m.Editing == editing {
				full++
			}
		}
		if full == service.MaxPresenceMembers-1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the other instance knows %d of the %d members, want all", full, service.MaxPresenceMembers-1)
		}
		select {
		case <-bob.C():
		case <-time.After(50 * time.Millisecond):
		}
	}
}
