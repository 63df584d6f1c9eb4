package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/service"
	"github.com/torquehq/torque/internal/storetest"
)

// ended waits for st to end and returns why.
func ended(t *testing.T, st *service.Stream) error {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-st.C():
			if !ok {
				return st.Err()
			}
		case <-timeout:
			t.Fatal("the stream did not end within 5s")
		}
	}
}

// TestStreamsEndWhenRightsEnd: a subscription outlives the request that
// opened it, so its rights are checked again whenever credentials, roles or
// models change, and it ends when they are gone.
func TestStreamsEndWhenRightsEnd(t *testing.T) {
	f := newFixture(t, storetest.OpenSQLite)
	user, err := f.svc.CreateUser(f.ctx, "ann@example.com", "ann-password-1", false)
	if err != nil {
		t.Fatal(err)
	}
	join := func(role torque.Role) {
		if _, err := f.svc.SetMember(f.ctx, "work", user.Email, role); err != nil {
			t.Fatal(err)
		}
	}
	withToken := func() (context.Context, string) {
		tok, err := f.svc.CreateUserToken(f.ctx, user.Email, "t", 0)
		if err != nil {
			t.Fatal(err)
		}
		a, err := f.svc.Authenticate(context.Background(), torque.Credentials{Token: tok.Secret})
		if err != nil {
			t.Fatal(err)
		}
		return torque.WithActor(context.Background(), a), tok.ID
	}
	subscribe := func(ctx context.Context) *service.Stream {
		t.Helper()
		st, err := f.svc.SubscribeEntities(ctx, "work", "Task", 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(st.Close)
		return st
	}

	t.Run("role removed", func(t *testing.T) {
		join(torque.RoleMember)
		ctx, _ := withToken()
		st := subscribe(ctx)
		f.create("Task", `{"title": "seen"}`)
		next(t, st)
		if err := f.svc.RemoveMember(f.ctx, "work", user.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, ended(t, st), torque.ENOTFOUND)
	})
	t.Run("token revoked", func(t *testing.T) {
		join(torque.RoleViewer)
		ctx, id := withToken()
		st := subscribe(ctx)
		if err := f.svc.DeleteToken(f.ctx, id); err != nil {
			t.Fatal(err)
		}
		wantCode(t, ended(t, st), torque.EUNAUTHORIZED)
		// The connection's actor cannot subscribe again either.
		_, err := f.svc.SubscribeEntities(ctx, "work", "Task", 0)
		wantCode(t, err, torque.EUNAUTHORIZED)
	})
	t.Run("signed out", func(t *testing.T) {
		sess, err := f.svc.Login(context.Background(), user.Email, "ann-password-1", "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		a, err := f.svc.Authenticate(context.Background(), torque.Credentials{Session: sess.Secret})
		if err != nil {
			t.Fatal(err)
		}
		st := subscribe(torque.WithActor(context.Background(), a))
		if err := f.svc.Logout(torque.WithActor(context.Background(), a), sess.Secret); err != nil {
			t.Fatal(err)
		}
		wantCode(t, ended(t, st), torque.EUNAUTHORIZED)
	})
	t.Run("permission narrowed by the model", func(t *testing.T) {
		ctx, _ := withToken()
		st := subscribe(ctx)
		m, err := f.svc.Model(f.ctx, "Work")
		if err != nil {
			t.Fatal(err)
		}
		m.EntityType("Task").Permissions = map[torque.Role]*torque.OpGrants{torque.RoleViewer: {Read: torque.GrantNone}}
		if _, err := f.svc.UpdateModel(f.ctx, m); err != nil {
			t.Fatal(err)
		}
		wantCode(t, ended(t, st), torque.EFORBIDDEN)
	})
	t.Run("unchanged rights keep the stream", func(t *testing.T) {
		st, err := f.svc.SubscribeModel(f.ctx, "Work", 0)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		other := subscribe(f.ctx)
		if err := f.svc.RemoveMember(f.ctx, "work", user.ID); err != nil {
			t.Fatal(err)
		}
		f.create("Task", `{"title": "still heard"}`)
		if e := next(t, other); e.Kind != service.KindEntityCreated {
			t.Fatalf("got %s", e.Kind)
		}
		none(t, st)
	})
}

// TestDeletedModelStreamHearsTheDeletion: deleting a model is news to its
// subscribers, not a reason to cut them off before they hear it.
func TestDeletedModelStreamHearsTheDeletion(t *testing.T) {
	f := newFixture(t, storetest.OpenSQLite)
	m, err := torque.ParseModel([]byte(`{"name": "Scratch", "entities": [{"name": "Thing", "fields": [{"name": "x", "type": "string"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CreateModel(f.ctx, m); err != nil {
		t.Fatal(err)
	}
	st, err := f.svc.SubscribeModel(f.ctx, "Scratch", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := f.svc.DeleteModel(f.ctx, "Scratch"); err != nil {
		t.Fatal(err)
	}
	if e := next(t, st); e.Kind != service.KindModelDeleted {
		t.Fatalf("got %s, want model.deleted", e.Kind)
	}
}

// TestStreamsEndOnAnotherInstance: a token revoked through one instance
// ends the subscriptions it opened on another (PostgreSQL notifications).
func TestStreamsEndOnAnotherInstance(t *testing.T) {
	f := newFixture(t, storetest.OpenPostgres)
	other := service.New(f.db, service.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); other.RunEvents(ctx) }()
	defer func() { cancel(); <-done }()
	if _, err := f.svc.CreateUser(f.ctx, "ann@example.com", "ann-password-1", false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetMember(f.ctx, "work", "ann@example.com", torque.RoleViewer); err != nil {
		t.Fatal(err)
	}
	tok, err := f.svc.CreateUserToken(f.ctx, "ann@example.com", "t", 0)
	if err != nil {
		t.Fatal(err)
	}
	a, err := other.Authenticate(context.Background(), torque.Credentials{Token: tok.Secret})
	if err != nil {
		t.Fatal(err)
	}
	st, err := other.SubscribeEntities(torque.WithActor(context.Background(), a), "work", "Task", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// Whether the listener is connected yet or not (its catch-up then
	// checks every stream), the revocation reaches the stream.
	if err := f.svc.DeleteToken(f.ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, ended(t, st), torque.EUNAUTHORIZED)
}
