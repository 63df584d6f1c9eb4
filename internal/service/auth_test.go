package service_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/service"
	"github.com/torquehq/torque/internal/storetest"
)

// clock is a settable time for the services.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// authFixture is a service on SQLite with a settable clock and one admin
// and one plain user.
type authFixture struct {
	svc   *service.Service
	clock *clock
	sys   context.Context // acts as the operator
}

func newAuthFixture(t *testing.T) *authFixture {
	t.Helper()
	c := &clock{now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
	f := &authFixture{
		svc:   service.New(storetest.OpenSQLite(t), service.Options{Now: c.Now}),
		clock: c,
		sys:   torque.WithActor(context.Background(), torque.SystemActor),
	}
	if _, err := f.svc.CreateUser(f.sys, "ann@example.com", "ann-password", false); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *authFixture) authenticate(c torque.Credentials) (*torque.Actor, error) {
	return f.svc.Authenticate(context.Background(), c)
}

func TestTokenLifetime(t *testing.T) {
	f := newAuthFixture(t)
	tok, err := f.svc.CreateUserToken(f.sys, "ANN@example.com", "laptop", 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.authenticate(torque.Credentials{Token: tok.Secret, IP: "192.0.2.1"})
	if err != nil || a.Email != "ann@example.com" || a.Admin || a.TokenID != tok.ID || a.IP != "192.0.2.1" {
		t.Fatalf("got %+v, %v", a, err)
	}
	list, err := f.svc.Tokens(torque.WithActor(context.Background(), a))
	if err != nil || len(list) != 1 || list[0].LastUsedAt == nil || !list[0].LastUsedAt.Equal(f.clock.Now()) {
		t.Fatalf("tokens after use: %+v, %v", list, err)
	}
	f.clock.advance(24 * time.Hour)
	_, err = f.authenticate(torque.Credentials{Token: tok.Secret})
	wantCode(t, err, torque.EUNAUTHORIZED)
	if !strings.Contains(err.Error(), "expired") {
		t.Errorf("expired token: %v", err)
	}
	for _, bad := range []string{"tq_", "Bearer x", tok.Secret + "A", strings.Replace(tok.Secret, "tq_", "tk_", 1)} {
		_, err := f.authenticate(torque.Credentials{Token: bad})
		wantCode(t, err, torque.EUNAUTHORIZED)
	}
	if a, err := f.authenticate(torque.Credentials{}); a != nil || err != nil {
		t.Errorf("no credentials: %+v, %v", a, err)
	}
}

func TestSessionLifetime(t *testing.T) {
	f := newAuthFixture(t)
	sess, err := f.svc.Login(context.Background(), " Ann@Example.com ", "ann-password", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	if want := f.clock.Now().Add(service.DefaultSessionMax); !sess.ExpiresAt.Equal(want) {
		t.Errorf("session ends %v, want %v (the cookie lives as long as the session may)", sess.ExpiresAt, want)
	}
	use := func() error {
		_, err := f.authenticate(torque.Credentials{Session: sess.Secret})
		return err
	}
	// Used every 11 hours, the session outlives its idle time...
	for i := 0; i < 10; i++ {
		f.clock.advance(11 * time.Hour)
		if err := use(); err != nil {
			t.Fatalf("after %d uses: %v", i, err)
		}
	}
	// ... but not its maximum lifetime of 7 days (110 h have passed).
	f.clock.advance(11 * time.Hour)
	if err := use(); err != nil {
		t.Fatalf("at 121h: %v", err)
	}
	for f.clock.Now().Before(sess.ExpiresAt) {
		f.clock.advance(11 * time.Hour)
		if f.clock.Now().Before(sess.ExpiresAt) {
			if err := use(); err != nil {
				t.Fatalf("at %v: %v", f.clock.Now(), err)
			}
		}
	}
	wantCode(t, use(), torque.EUNAUTHORIZED)

	// An unused session ends after the idle time.
	idle, err := f.svc.Login(context.Background(), "ann@example.com", "ann-password", "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	f.clock.advance(service.DefaultSessionIdle)
	_, err = f.authenticate(torque.Credentials{Session: idle.Secret})
	wantCode(t, err, torque.EUNAUTHORIZED)
}

func TestRevocations(t *testing.T) {
	f := newAuthFixture(t)
	s1, err := f.svc.Login(context.Background(), "ann@example.com", "ann-password", "")
	if err != nil {
		t.Fatal(err)
	}
	s2, err := f.svc.Login(context.Background(), "ann@example.com", "ann-password", "")
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.authenticate(torque.Credentials{Session: s1.Secret})
	if err != nil {
		t.Fatal(err)
	}
	ann := torque.WithActor(context.Background(), a)
	if err := f.svc.RevokeSessions(ann, "someone-else"); torque.ErrorCode(err) != torque.EFORBIDDEN {
		t.Errorf("revoke another's sessions: %v", err)
	}
	if err := f.svc.RevokeSessions(ann, a.UserID); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*torque.Session{s1, s2} {
		_, err := f.authenticate(torque.Credentials{Session: s.Secret})
		wantCode(t, err, torque.EUNAUTHORIZED)
	}
	// A new password ends sessions too, and the old password stops working.
	s3, err := f.svc.Login(context.Background(), "ann@example.com", "ann-password", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetPassword(f.sys, "ann@example.com", "new-password"); err != nil {
		t.Fatal(err)
	}
	_, err = f.authenticate(torque.Credentials{Session: s3.Secret})
	wantCode(t, err, torque.EUNAUTHORIZED)
	_, err = f.svc.Login(context.Background(), "ann@example.com", "ann-password", "")
	wantCode(t, err, torque.EUNAUTHORIZED)
	if _, err := f.svc.Login(context.Background(), "ann@example.com", "new-password", ""); err != nil {
		t.Fatal(err)
	}
}

func TestLoginThrottle(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		_, err := f.svc.Login(ctx, "ann@example.com", "guess", "198.51.100.7")
		wantCode(t, err, torque.EUNAUTHORIZED)
	}
	_, err := f.svc.Login(ctx, "ann@example.com", "ann-password", "198.51.100.8")
	wantCode(t, err, torque.ETHROTTLED)
	if wait := torque.ErrorRetryAfter(err); wait != time.Second {
		t.Errorf("first wait %v, want 1s", wait)
	}
	// Another account from the same address is not held up by Ann's.
	if _, err := f.svc.CreateUser(f.sys, "bob@example.com", "bob-password", false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Login(ctx, "bob@example.com", "bob-password", "198.51.100.7"); err != nil {
		t.Fatalf("bob: %v", err)
	}
	// Each failure past the free ones doubles the wait.
	f.clock.advance(time.Second)
	_, err = f.svc.Login(ctx, "ann@example.com", "guess", "198.51.100.7")
	wantCode(t, err, torque.EUNAUTHORIZED)
	_, err = f.svc.Login(ctx, "ann@example.com", "ann-password", "198.51.100.7")
	if wait := torque.ErrorRetryAfter(err); torque.ErrorCode(err) != torque.ETHROTTLED || wait != 2*time.Second {
		t.Errorf("second wait: %v (%v), want 2s", err, wait)
	}
	// Once waited out, the right password works and clears the account.
	f.clock.advance(2 * time.Second)
	if _, err := f.svc.Login(ctx, "ann@example.com", "ann-password", "198.51.100.7"); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Login(ctx, "ann@example.com", "guess", "198.51.100.7")
	wantCode(t, err, torque.EUNAUTHORIZED)

	// Many accounts from one address: the address is throttled too.
	g := newAuthFixture(t)
	for i := 0; i < 20; i++ {
		_, err := g.svc.Login(ctx, "user"+string(rune('a'+i))+"@example.com", "guess", "203.0.113.9")
		wantCode(t, err, torque.EUNAUTHORIZED)
	}
	_, err = g.svc.Login(ctx, "ann@example.com", "ann-password", "203.0.113.9")
	wantCode(t, err, torque.ETHROTTLED)
}

func TestEnsureAdmin(t *testing.T) {
	svc := service.New(storetest.OpenSQLite(t), service.Options{})
	pw, err := svc.EnsureAdmin(context.Background())
	if err != nil || len(pw) != 20 {
		t.Fatalf("first: %q, %v", pw, err)
	}
	if again, err := svc.EnsureAdmin(context.Background()); again != "" || err != nil {
		t.Fatalf("second: %q, %v", again, err)
	}
	sess, err := svc.Login(context.Background(), service.FirstAdminEmail, pw, "")
	if err != nil || !sess.User.Admin {
		t.Fatalf("sign in as the first admin: %+v, %v", sess, err)
	}
}

func TestAnonymousIsRefusedEverywhere(t *testing.T) {
	svc := service.New(storetest.OpenSQLite(t), service.Options{})
	ctx := context.Background()
	calls := map[string]func() error{
		"Models":      func() error { _, err := svc.Models(ctx); return err },
		"Model":       func() error { _, err := svc.Model(ctx, "TODO"); return err },
		"CreateModel": func() error { _, err := svc.CreateModel(ctx, &torque.Model{Name: "x"}); return err },
		"ImportModel": func() error { _, err := svc.ImportModel(ctx, &torque.Model{Name: "x"}); return err },
		"DeleteModel": func() error { return svc.DeleteModel(ctx, "x") },
		"Apps":        func() error { _, err := svc.Apps(ctx); return err },
		"App":         func() error { _, err := svc.App(ctx, "x"); return err },
		"CreateApp":   func() error { _, err := svc.CreateApp(ctx, "x", "y"); return err },
		"DeleteApp":   func() error { return svc.DeleteApp(ctx, "x") },
		"Entities":    func() error { _, err := svc.Entities(ctx, "x", "T", torque.EntityQuery{}); return err },
		"Entity":      func() error { _, err := svc.Entity(ctx, "x", "T", "1"); return err },
		"Create":      func() error { _, err := svc.CreateEntity(ctx, "x", "T", []byte(`{}`)); return err },
		"Update":      func() error { _, err := svc.UpdateEntity(ctx, "x", "T", "1", 1, []byte(`{}`)); return err },
		"Delete":      func() error { return svc.DeleteEntity(ctx, "x", "T", "1") },
		"Link":        func() error { return svc.Link(ctx, "x", "T", "1", "r", "2") },
		"Me":          func() error { _, err := svc.Me(ctx); return err },
		"Users":       func() error { _, err := svc.Users(ctx); return err },
		"CreateUser":  func() error { _, err := svc.CreateUser(ctx, "a@b.co", "long-enough", true); return err },
		"Tokens":      func() error { _, err := svc.Tokens(ctx); return err },
		"CreateToken": func() error { _, err := svc.CreateToken(ctx, "n", 0); return err },
		"Members":     func() error { _, err := svc.Members(ctx, "x"); return err },
		"SetMember":   func() error { _, err := svc.SetMember(ctx, "x", "a@b.co", torque.RoleOwner); return err },
		"Audit":       func() error { _, err := svc.Audit(ctx, torque.AuditQuery{}); return err },
		"SetPassword": func() error { return svc.SetPassword(ctx, "a@b.co", "long-enough") },
	}
	for name, call := range calls {
		if code := torque.ErrorCode(call()); code != torque.EUNAUTHORIZED {
			t.Errorf("%s anonymously: code %q, want EUNAUTHORIZED", name, code)
		}
	}
}

// TestCascadeStaysWithinRights: a member who may delete projects but not
// tasks cannot remove tasks through a project's cascade.
func TestCascadeStaysWithinRights(t *testing.T) {
	f := newAuthFixture(t)
	doc := strings.Replace(projectModel, `{"name": "Task", "fields": [`, `{"name": "Task", "permissions": {"member": {"delete": false}}, "fields": [`, 1)
	m, err := torque.ParseModel([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CreateModel(f.sys, m); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CreateApp(f.sys, "work", "Work"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetMember(f.sys, "work", "ann@example.com", torque.RoleMember); err != nil {
		t.Fatal(err)
	}
	tok, err := f.svc.CreateUserToken(f.sys, "ann@example.com", "t", 0)
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.authenticate(torque.Credentials{Token: tok.Secret})
	if err != nil {
		t.Fatal(err)
	}
	ann := torque.WithActor(context.Background(), a)
	empty, err := f.svc.CreateEntity(ann, "work", "Project", []byte(`{"name": "empty"}`))
	if err != nil {
		t.Fatal(err)
	}
	full, err := f.svc.CreateEntity(ann, "work", "Project", []byte(`{"name": "full"}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CreateEntity(ann, "work", "Task", []byte(`{"title": "t", "project": "`+full.ID+`"}`)); err != nil {
		t.Fatal(err)
	}
	err = f.svc.DeleteEntity(ann, "work", "Project", full.ID)
	wantCode(t, err, torque.EFORBIDDEN)
	if !strings.Contains(err.Error(), "would delete Task records") {
		t.Errorf("message: %v", err)
	}
	if _, err := f.svc.Entity(ann, "work", "Project", full.ID); err != nil {
		t.Errorf("the refused delete removed the project: %v", err)
	}
	if err := f.svc.DeleteEntity(ann, "work", "Project", empty.ID); err != nil {
		t.Errorf("a project without tasks: %v", err)
	}
	if err := f.svc.DeleteEntity(f.sys, "work", "Project", full.ID); err != nil {
		t.Errorf("an admin's cascade: %v", err)
	}
}

// TestRevocationOnAnotherInstance: an instance that revokes a token refuses
// it at once; another instance on the same database trusts what it has
// checked for at most the recheck interval.
func TestRevocationOnAnotherInstance(t *testing.T) {
	c := &clock{now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
	db := storetest.OpenSQLite(t)
	a := service.New(db, service.Options{Now: c.Now})
	b := service.New(db, service.Options{Now: c.Now})
	sys := torque.WithActor(context.Background(), torque.SystemActor)
	if _, err := a.CreateUser(sys, "ann@example.com", "ann-password", false); err != nil {
		t.Fatal(err)
	}
	tok, err := a.CreateUserToken(sys, "ann@example.com", "t", 0)
	if err != nil {
		t.Fatal(err)
	}
	creds := torque.Credentials{Token: tok.Secret}
	for _, svc := range []*service.Service{a, b} {
		if _, err := svc.Authenticate(context.Background(), creds); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.DeleteToken(sys, tok.ID); err != nil {
		t.Fatal(err)
	}
	_, err = a.Authenticate(context.Background(), creds)
	wantCode(t, err, torque.EUNAUTHORIZED)
	if _, err := b.Authenticate(context.Background(), creds); err != nil {
		t.Fatalf("within the recheck interval: %v", err)
	}
	c.advance(service.DefaultRecheck + time.Millisecond)
	_, err = b.Authenticate(context.Background(), creds)
	wantCode(t, err, torque.EUNAUTHORIZED)
}

func TestDeleteExpiredSessions(t *testing.T) {
	f := newAuthFixture(t)
	old, err := f.svc.Login(context.Background(), "ann@example.com", "ann-password", "")
	if err != nil {
		t.Fatal(err)
	}
	f.clock.advance(service.DefaultSessionIdle - time.Hour)
	fresh, err := f.svc.Login(context.Background(), "ann@example.com", "ann-password", "")
	if err != nil {
		t.Fatal(err)
	}
	f.clock.advance(2 * time.Hour)
	if n, err := f.svc.DeleteExpiredSessions(context.Background()); err != nil || n != 1 {
		t.Fatalf("deleted %d, %v; want the one ended session", n, err)
	}
	_, err = f.authenticate(torque.Credentials{Session: old.Secret})
	wantCode(t, err, torque.EUNAUTHORIZED)
	if _, err := f.authenticate(torque.Credentials{Session: fresh.Secret}); err != nil {
		t.Errorf("the live session: %v", err)
	}
}
