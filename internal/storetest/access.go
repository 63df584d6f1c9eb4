package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/filter"
	"github.com/torquehq/torque/internal/store"
)

// newUser stores a user with email and returns it.
func newUser(t *testing.T, db *store.DB, email string, admin bool) *torque.User {
	t.Helper()
	u := &torque.User{ID: newIDs(t, 1)[0], Email: email, Admin: admin, CreatedAt: base}
	must(t, "CreateUser", db.CreateUser(context.Background(), u, "hash-of-"+email))
	return u
}

// allBytes is a hash holding every byte value, NUL and invalid UTF-8
// included: hashes are binary.
func allBytes(first byte) []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = first + byte(i)
	}
	return b
}

func sameUser(t *testing.T, what string, got, want *torque.User) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: got %+v, want %+v", what, got, want)
	}
}

func testUsers(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()

	t.Run("create and read", func(t *testing.T) {
		db := open(t)
		at := time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.FixedZone("CET", 3600))
		u := &torque.User{ID: newIDs(t, 1)[0], Email: "bob@example.com", Admin: true, CreatedAt: at}
		must(t, "CreateUser", db.CreateUser(ctx, u, "hash-1"))
		want := time.Date(2026, 3, 1, 11, 0, 0, 123456000, time.UTC)
		if !u.CreatedAt.Equal(want) || u.CreatedAt.Location() != time.UTC {
			t.Errorf("stored CreatedAt: got %v, want %v in UTC", u.CreatedAt, want)
		}
		ann := newUser(t, db, "ann@example.com", false)

		got, err := db.User(ctx, u.ID)
		must(t, "User", err)
		sameUser(t, "User", got, u)
		got, hash, err := db.UserByEmail(ctx, "ann@example.com")
		must(t, "UserByEmail", err)
		sameUser(t, "UserByEmail", got, ann)
		if hash != "hash-of-ann@example.com" {
			t.Errorf("UserByEmail hash: got %q, want hash-of-ann@example.com", hash)
		}

		all, err := db.Users(ctx)
		must(t, "Users", err)
		if len(all) != 2 {
			t.Fatalf("Users: got %d, want 2", len(all))
		}
		sameUser(t, "Users[0]", all[0], ann)
		sameUser(t, "Users[1]", all[1], u)
		n, err := db.CountUsers(ctx)
		must(t, "CountUsers", err)
		if n != 2 {
			t.Errorf("CountUsers: got %d, want 2", n)
		}
	})

	t.Run("no users", func(t *testing.T) {
		db := open(t)
		all, err := db.Users(ctx)
		must(t, "Users", err)
		if all == nil || len(all) != 0 {
			t.Errorf("Users: got %#v, want an empty list", all)
		}
		n, err := db.CountUsers(ctx)
		must(t, "CountUsers", err)
		if n != 0 {
			t.Errorf("CountUsers: got %d, want 0", n)
		}
	})

	t.Run("set password", func(t *testing.T) {
		db := open(t)
		u := newUser(t, db, "ann@example.com", false)
		must(t, "SetPassword", db.SetPassword(ctx, u.ID, "hash-2"))
		_, hash, err := db.UserByEmail(ctx, u.Email)
		must(t, "UserByEmail", err)
		if hash != "hash-2" {
			t.Errorf("hash after SetPassword: got %q, want hash-2", hash)
		}
		wantCode(t, "SetPassword of an absent user", db.SetPassword(ctx, "nope", "h"), torque.ENOTFOUND)
		wantCode(t, "SetPassword to an empty hash", db.SetPassword(ctx, u.ID, ""), torque.EINVALID)
	})

	t.Run("errors", func(t *testing.T) {
		db := open(t)
		u := newUser(t, db, "ann@example.com", false)
		tests := []struct {
			name string
			run  func() error
			code string
		}{
			{"taken email", func() error {
				return db.CreateUser(ctx, &torque.User{ID: newIDs(t, 1)[0], Email: u.Email, CreatedAt: base}, "h")
			}, torque.ECONFLICT},
			{"taken id", func() error {
				return db.CreateUser(ctx, &torque.User{ID: u.ID, Email: "other@example.com", CreatedAt: base}, "h")
			}, torque.ECONFLICT},
			{"no email", func() error {
				return db.CreateUser(ctx, &torque.User{ID: newIDs(t, 1)[0], CreatedAt: base}, "h")
			}, torque.EINVALID},
			{"no id", func() error {
				return db.CreateUser(ctx, &torque.User{Email: "x@example.com", CreatedAt: base}, "h")
			}, torque.EINVALID},
			{"email not UTF-8", func() error {
				return db.CreateUser(ctx, &torque.User{ID: newIDs(t, 1)[0], Email: "\xff", CreatedAt: base}, "h")
			}, torque.EINVALID},
			{"no password hash", func() error {
				return db.CreateUser(ctx, &torque.User{ID: newIDs(t, 1)[0], Email: "x@example.com", CreatedAt: base}, "")
			}, torque.EINVALID},
			{"absent id", func() error { _, err := db.User(ctx, "nope"); return err }, torque.ENOTFOUND},
			{"id with a NUL", func() error { _, err := db.User(ctx, "a\x00"); return err }, torque.ENOTFOUND},
			{"absent email", func() error { _, _, err := db.UserByEmail(ctx, "bob@example.com"); return err }, torque.ENOTFOUND},
			{"email of another case", func() error { _, _, err := db.UserByEmail(ctx, "ANN@example.com"); return err }, torque.ENOTFOUND},
			{"look up an email not UTF-8", func() error { _, _, err := db.UserByEmail(ctx, "\xff"); return err }, torque.ENOTFOUND},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantCode(t, tt.name, tt.run(), tt.code)
			})
		}
		err := db.CreateUser(ctx, &torque.User{ID: newIDs(t, 1)[0], Email: u.Email, CreatedAt: base}, "h")
		if want := `user "ann@example.com" already exists`; torque.ErrorMessage(err) != want {
			t.Errorf("conflict message: got %q, want %q", torque.ErrorMessage(err), want)
		}
		n, err := db.CountUsers(ctx)
		must(t, "CountUsers", err)
		if n != 1 {
			t.Errorf("CountUsers after refused creations: got %d, want 1", n)
		}
	})
}

func testSessions(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	session := func(hash []byte, userID string, expires time.Time) *store.Session {
		return &store.Session{Hash: hash, UserID: userID, CreatedAt: now, ExpiresAt: expires, LastSeenAt: now}
	}

	t.Run("create, look up, touch, delete", func(t *testing.T) {
		db := open(t)
		u := newUser(t, db, "ann@example.com", true)
		hash := allBytes(0)
		s := session(hash, u.ID, now.Add(time.Hour))
		s.CreatedAt = now.Add(123456789 * time.Nanosecond)
		must(t, "CreateSession", db.CreateSession(ctx, s))
		if want := now.Add(123456 * time.Microsecond); !s.CreatedAt.Equal(want) {
			t.Errorf("stored CreatedAt: got %v, want %v", s.CreatedAt, want)
		}

		got, gu, err := db.SessionByHash(ctx, hash)
		must(t, "SessionByHash", err)
		if !reflect.DeepEqual(got, s) {
			t.Errorf("SessionByHash: got %+v, want %+v", got, s)
		}
		sameUser(t, "SessionByHash user", gu, u)

		_, _, err = db.SessionByHash(ctx, allBytes(1))
		wantCode(t, "SessionByHash of another hash", err, torque.ENOTFOUND)
		_, _, err = db.SessionByHash(ctx, hash[:255])
		wantCode(t, "SessionByHash of a prefix", err, torque.ENOTFOUND)
		_, _, err = db.SessionByHash(ctx, nil)
		wantCode(t, "SessionByHash of no hash", err, torque.ENOTFOUND)

		seen, expires := now.Add(10*time.Minute), now.Add(2*time.Hour)
		must(t, "TouchSession", db.TouchSession(ctx, hash, seen, expires))
		got, _, err = db.SessionByHash(ctx, hash)
		must(t, "SessionByHash", err)
		if !got.LastSeenAt.Equal(seen) || !got.ExpiresAt.Equal(expires) || !got.CreatedAt.Equal(s.CreatedAt) {
			t.Errorf("after TouchSession: got seen %v expires %v created %v, want %v %v %v",
				got.LastSeenAt, got.ExpiresAt, got.CreatedAt, seen, expires, s.CreatedAt)
		}
		wantCode(t, "TouchSession of an absent session", db.TouchSession(ctx, allBytes(1), seen, expires), torque.ENOTFOUND)

		must(t, "DeleteSession", db.DeleteSession(ctx, hash))
		_, _, err = db.SessionByHash(ctx, hash)
		wantCode(t, "SessionByHash after delete", err, torque.ENOTFOUND)
		wantCode(t, "DeleteSession again", db.DeleteSession(ctx, hash), torque.ENOTFOUND)
		wantCode(t, "DeleteSession of no hash", db.DeleteSession(ctx, nil), torque.ENOTFOUND)
	})

	t.Run("errors", func(t *testing.T) {
		db := open(t)
		u := newUser(t, db, "ann@example.com", false)
		must(t, "CreateSession", db.CreateSession(ctx, session([]byte{1, 2, 3}, u.ID, now)))
		wantCode(t, "CreateSession with a hash in use",
			db.CreateSession(ctx, session([]byte{1, 2, 3}, u.ID, now)), torque.ECONFLICT)
		wantCode(t, "CreateSession of an absent user",
			db.CreateSession(ctx, session([]byte{4}, "nope", now)), torque.ENOTFOUND)
		wantCode(t, "CreateSession without a hash",
			db.CreateSession(ctx, session(nil, u.ID, now)), torque.EINVALID)
	})

	t.Run("delete a user's sessions", func(t *testing.T) {
		db := open(t)
		ann, bob := newUser(t, db, "ann@example.com", false), newUser(t, db, "bob@example.com", false)
		for i, userID := range []string{ann.ID, ann.ID, bob.ID} {
			must(t, "CreateSession", db.CreateSession(ctx, session([]byte{byte(i)}, userID, now.Add(time.Hour))))
		}
		n, err := db.DeleteUserSessions(ctx, ann.ID)
		must(t, "DeleteUserSessions", err)
		if n != 2 {
			t.Errorf("DeleteUserSessions: got %d, want 2", n)
		}
		for i, want := range []string{torque.ENOTFOUND, torque.ENOTFOUND, ""} {
			_, _, err := db.SessionByHash(ctx, []byte{byte(i)})
			wantCode(t, fmt.Sprintf("session %d", i), err, want)
		}
		n, err = db.DeleteUserSessions(ctx, ann.ID)
		must(t, "DeleteUserSessions", err)
		if n != 0 {
			t.Errorf("DeleteUserSessions again: got %d, want 0", n)
		}
	})

	t.Run("delete expired sessions", func(t *testing.T) {
		db := open(t)
		u := newUser(t, db, "ann@example.com", false)
		expiries := []time.Time{now.Add(-time.Hour), now, now.Add(time.Microsecond), now.Add(time.Hour)}
		for i, exp := range expiries {
			must(t, "CreateSession", db.CreateSession(ctx, session([]byte{byte(i)}, u.ID, exp)))
		}
		n, err := db.DeleteExpiredSessions(ctx, now)
		must(t, "DeleteExpiredSessions", err)
		if n != 2 {
			t.Errorf("DeleteExpiredSessions: got %d, want 2", n)
		}
		for i, want := range []string{torque.ENOTFOUND, torque.ENOTFOUND, "", ""} {
			_, _, err := db.SessionByHash(ctx, []byte{byte(i)})
			wantCode(t, fmt.Sprintf("session expiring at %v", expiries[i]), err, want)
		}
	})
}

func testTokens(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()
	at := func(minutes int) *time.Time {
		x := base.Add(time.Duration(minutes) * time.Minute)
		return &x
	}

	t.Run("create, look up, touch, delete", func(t *testing.T) {
		db := open(t)
		ann, bob := newUser(t, db, "ann@example.com", false), newUser(t, db, "bob@example.com", true)
		ids := newIDs(t, 3)
		tokens := []*torque.Token{
			{ID: ids[0], UserID: ann.ID, Name: "ci", CreatedAt: *at(0), ExpiresAt: at(60)},
			{ID: ids[1], UserID: ann.ID, Name: "laptop", CreatedAt: *at(1)},
			{ID: ids[2], UserID: bob.ID, Name: "", CreatedAt: *at(2)},
		}
		for i, tok := range tokens {
			must(t, "CreateToken", db.CreateToken(ctx, tok, allBytes(byte(i))))
		}

		got, gu, err := db.TokenByHash(ctx, allBytes(0))
		must(t, "TokenByHash", err)
		if !reflect.DeepEqual(got, tokens[0]) {
			t.Errorf("TokenByHash: got %+v, want %+v", got, tokens[0])
		}
		sameUser(t, "TokenByHash user", gu, ann)
		got, gu, err = db.TokenByHash(ctx, allBytes(2))
		must(t, "TokenByHash", err)
		if got.ID != ids[2] || got.ExpiresAt != nil || got.LastUsedAt != nil {
			t.Errorf("TokenByHash: got %+v, want token %s without expiry or use", got, ids[2])
		}
		sameUser(t, "TokenByHash user", gu, bob)
		got, err = db.Token(ctx, ids[1])
		must(t, "Token", err)
		if !reflect.DeepEqual(got, tokens[1]) {
			t.Errorf("Token: got %+v, want %+v", got, tokens[1])
		}

		list := func(userID string) []string {
			t.Helper()
			ts, err := db.Tokens(ctx, userID)
			must(t, "Tokens", err)
			out := make([]string, len(ts))
			for i, x := range ts {
				out[i] = x.ID
			}
			return out
		}
		if got, want := list(ann.ID), []string{ids[1], ids[0]}; join(got) != join(want) {
			t.Errorf("Tokens of ann: got %s, want %s (newest first)", join(got), join(want))
		}
		if got, want := list(""), []string{ids[2], ids[1], ids[0]}; join(got) != join(want) {
			t.Errorf("every token: got %s, want %s (newest first)", join(got), join(want))
		}
		if got := list("nope"); len(got) != 0 {
			t.Errorf("Tokens of an absent user: got %v, want none", got)
		}

		used := *at(5)
		must(t, "TouchToken", db.TouchToken(ctx, ids[0], used.Add(789*time.Nanosecond)))
		got, _, err = db.TokenByHash(ctx, allBytes(0))
		must(t, "TokenByHash", err)
		if got.LastUsedAt == nil || !got.LastUsedAt.Equal(used) || got.LastUsedAt.Location() != time.UTC {
			t.Errorf("LastUsedAt after TouchToken: got %v, want %v in UTC", got.LastUsedAt, used)
		}
		wantCode(t, "TouchToken of an absent token", db.TouchToken(ctx, "nope", used), torque.ENOTFOUND)

		must(t, "DeleteToken", db.DeleteToken(ctx, ids[0]))
		_, _, err = db.TokenByHash(ctx, allBytes(0))
		wantCode(t, "TokenByHash after delete", err, torque.ENOTFOUND)
		_, err = db.Token(ctx, ids[0])
		wantCode(t, "Token after delete", err, torque.ENOTFOUND)
		wantCode(t, "DeleteToken again", db.DeleteToken(ctx, ids[0]), torque.ENOTFOUND)
		if got, want := list(""), []string{ids[2], ids[1]}; join(got) != join(want) {
			t.Errorf("every token after delete: got %s, want %s", join(got), join(want))
		}
	})

	t.Run("errors", func(t *testing.T) {
		db := open(t)
		u := newUser(t, db, "ann@example.com", false)
		id := newIDs(t, 1)[0]
		must(t, "CreateToken", db.CreateToken(ctx, &torque.Token{ID: id, UserID: u.ID, Name: "a", CreatedAt: base}, []byte{1}))
		tests := []struct {
			name string
			run  func() error
			code string
		}{
			{"hash in use", func() error {
				return db.CreateToken(ctx, &torque.Token{ID: newIDs(t, 1)[0], UserID: u.ID, CreatedAt: base}, []byte{1})
			}, torque.ECONFLICT},
			{"id in use", func() error {
				return db.CreateToken(ctx, &torque.Token{ID: id, UserID: u.ID, CreatedAt: base}, []byte{2})
			}, torque.ECONFLICT},
			{"absent user", func() error {
				return db.CreateToken(ctx, &torque.Token{ID: newIDs(t, 1)[0], UserID: "nope", CreatedAt: base}, []byte{3})
			}, torque.ENOTFOUND},
			{"no hash", func() error {
				return db.CreateToken(ctx, &torque.Token{ID: newIDs(t, 1)[0], UserID: u.ID, CreatedAt: base}, nil)
			}, torque.EINVALID},
			{"name not UTF-8", func() error {
				return db.CreateToken(ctx, &torque.Token{ID: newIDs(t, 1)[0], UserID: u.ID, Name: "\xff", CreatedAt: base}, []byte{4})
			}, torque.EINVALID},
			{"absent hash", func() error { _, _, err := db.TokenByHash(ctx, []byte{9}); return err }, torque.ENOTFOUND},
			{"absent id", func() error { _, err := db.Token(ctx, "nope"); return err }, torque.ENOTFOUND},
			{"id with a NUL", func() error { _, err := db.Token(ctx, "a\x00"); return err }, torque.ENOTFOUND},
			{"delete an id with a NUL", func() error { return db.DeleteToken(ctx, "a\x00") }, torque.ENOTFOUND},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantCode(t, tt.name, tt.run(), tt.code)
			})
		}
	})
}

func testMembers(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()

	t.Run("set, read, change, delete", func(t *testing.T) {
		db := open(t)
		todo, crm := newApp(t, db, "todo"), newApp(t, db, "crm")
		ann, bob := newUser(t, db, "ann@example.com", false), newUser(t, db, "bob@example.com", false)
		before := time.Now().Add(-time.Second)

		m, err := db.SetMember(ctx, todo.ID, bob.ID, torque.RoleViewer)
		must(t, "SetMember", err)
		want := &torque.Member{App: "todo", UserID: bob.ID, Email: bob.Email, Role: torque.RoleViewer, CreatedAt: m.CreatedAt}
		if !reflect.DeepEqual(m, want) || m.CreatedAt.Before(before) || m.CreatedAt.Location() != time.UTC {
			t.Errorf("SetMember: got %+v, want %+v created now in UTC", m, want)
		}
		created := m.CreatedAt
		time.Sleep(2 * time.Millisecond)
		m, err = db.SetMember(ctx, todo.ID, bob.ID, torque.RoleEditor)
		must(t, "SetMember again", err)
		want.Role = torque.RoleEditor
		if !reflect.DeepEqual(m, want) || !m.CreatedAt.Equal(created) {
			t.Errorf("SetMember again: got %+v, want %+v (role changed, CreatedAt kept)", m, want)
		}
		got, err := db.Member(ctx, todo.ID, bob.ID)
		must(t, "Member", err)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Member: got %+v, want %+v", got, want)
		}
		_, err = db.SetMember(ctx, todo.ID, ann.ID, torque.RoleOwner)
		must(t, "SetMember", err)
		_, err = db.SetMember(ctx, crm.ID, bob.ID, torque.RoleMember)
		must(t, "SetMember", err)

		roles := []struct {
			app  int64
			user string
			want torque.Role
		}{
			{todo.ID, bob.ID, torque.RoleEditor},
			{todo.ID, ann.ID, torque.RoleOwner},
			{crm.ID, bob.ID, torque.RoleMember},
			{crm.ID, ann.ID, ""},
			{todo.ID, "nope", ""},
			{todo.ID, "a\x00", ""},
			{crm.ID + todo.ID + 100, bob.ID, ""},
		}
		for _, r := range roles {
			got, err := db.Role(ctx, r.app, r.user)
			must(t, "Role", err)
			if got != r.want {
				t.Errorf("Role(%d, %q): got %q, want %q", r.app, r.user, got, r.want)
			}
		}

		members, err := db.Members(ctx, todo.ID)
		must(t, "Members", err)
		var emails []string
		for _, x := range members {
			emails = append(emails, x.Email+":"+string(x.Role))
		}
		if got, want := join(emails), "[ann@example.com:owner bob@example.com:editor]"; got != want {
			t.Errorf("Members: got %s, want %s", got, want)
		}
		members, err = db.Members(ctx, crm.ID+todo.ID+100)
		must(t, "Members of an absent app", err)
		if members == nil || len(members) != 0 {
			t.Errorf("Members of an absent app: got %#v, want an empty list", members)
		}

		ur, err := db.UserRoles(ctx, bob.ID)
		must(t, "UserRoles", err)
		if want := map[string]torque.Role{"todo": torque.RoleEditor, "crm": torque.RoleMember}; !reflect.DeepEqual(ur, want) {
			t.Errorf("UserRoles: got %v, want %v", ur, want)
		}
		ur, err = db.UserRoles(ctx, "nope")
		must(t, "UserRoles", err)
		if ur == nil || len(ur) != 0 {
			t.Errorf("UserRoles of an absent user: got %#v, want an empty map", ur)
		}

		must(t, "DeleteMember", db.DeleteMember(ctx, todo.ID, bob.ID))
		_, err = db.Member(ctx, todo.ID, bob.ID)
		wantCode(t, "Member after delete", err, torque.ENOTFOUND)
		if r, err := db.Role(ctx, todo.ID, bob.ID); err != nil || r != "" {
			t.Errorf("Role after delete: got %q %v, want no role", r, err)
		}
		wantCode(t, "DeleteMember again", db.DeleteMember(ctx, todo.ID, bob.ID), torque.ENOTFOUND)
		if r, err := db.Role(ctx, crm.ID, bob.ID); err != nil || r != torque.RoleMember {
			t.Errorf("Role in the other app: got %q %v, want member", r, err)
		}
	})

	t.Run("errors", func(t *testing.T) {
		db := open(t)
		app := newApp(t, db, "todo")
		u := newUser(t, db, "ann@example.com", false)
		tests := []struct {
			name string
			run  func() error
			code string
		}{
			{"absent app", func() error { _, err := db.SetMember(ctx, app.ID+100, u.ID, torque.RoleViewer); return err }, torque.ENOTFOUND},
			{"absent user", func() error { _, err := db.SetMember(ctx, app.ID, "nope", torque.RoleViewer); return err }, torque.ENOTFOUND},
			{"user id with a NUL", func() error { _, err := db.SetMember(ctx, app.ID, "a\x00", torque.RoleViewer); return err }, torque.ENOTFOUND},
			{"unknown role", func() error { _, err := db.SetMember(ctx, app.ID, u.ID, "god"); return err }, torque.EINVALID},
			{"no role", func() error { _, err := db.SetMember(ctx, app.ID, u.ID, ""); return err }, torque.EINVALID},
			{"absent member", func() error { _, err := db.Member(ctx, app.ID, u.ID); return err }, torque.ENOTFOUND},
			{"delete an absent member", func() error { return db.DeleteMember(ctx, app.ID, u.ID) }, torque.ENOTFOUND},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantCode(t, tt.name, tt.run(), tt.code)
			})
		}
		members, err := db.Members(ctx, app.ID)
		must(t, "Members", err)
		if len(members) != 0 {
			t.Errorf("Members after refused changes: got %d, want 0", len(members))
		}
	})

	t.Run("deleting an app removes its members", func(t *testing.T) {
		db := open(t)
		a, b := newApp(t, db, "a"), newApp(t, db, "b")
		u := newUser(t, db, "ann@example.com", false)
		for _, app := range []*torque.App{a, b} {
			_, err := db.SetMember(ctx, app.ID, u.ID, torque.RoleOwner)
			must(t, "SetMember", err)
		}
		must(t, "DeleteApp", db.DeleteApp(ctx, "a"))
		if r, err := db.Role(ctx, a.ID, u.ID); err != nil || r != "" {
			t.Errorf("Role in the deleted app: got %q %v, want no role", r, err)
		}
		members, err := db.Members(ctx, a.ID)
		must(t, "Members", err)
		if len(members) != 0 {
			t.Errorf("Members of the deleted app: got %d, want 0", len(members))
		}
		ur, err := db.UserRoles(ctx, u.ID)
		must(t, "UserRoles", err)
		if want := map[string]torque.Role{"b": torque.RoleOwner}; !reflect.DeepEqual(ur, want) {
			t.Errorf("UserRoles: got %v, want %v", ur, want)
		}
		c := newApp(t, db, "a")
		if r, err := db.Role(ctx, c.ID, u.ID); err != nil || r != "" {
			t.Errorf("Role in a new app of the same name: got %q %v, want no role", r, err)
		}
	})
}

func testAudit(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()

	t.Run("add and page", func(t *testing.T) {
		db := open(t)
		var added []*torque.AuditEntry
		for i := range 7 {
			e := &torque.AuditEntry{
				At:     base.Add(time.Duration(i)*time.Minute + 999*time.Nanosecond),
				Actor:  "system",
				Action: []string{"model.update", "auth.login_failed"}[i%2],
				Target: fmt.Sprintf("model/M%d", i),
			}
			if i%2 == 0 {
				e.ActorID, e.Actor, e.IP = "u1", "ann@example.com", "192.0.2.1"
				e.Detail = json.RawMessage(fmt.Sprintf(`{"version": %d, "name": "M"}`, i))
			}
			if i == 3 {
				// Inside a write transaction, with the change it records.
				must(t, "tx.AddAudit", db.InTx(ctx, func(tx *store.Tx) error { return tx.AddAudit(ctx, e) }))
			} else {
				must(t, "AddAudit", db.AddAudit(ctx, e))
			}
			if len(added) > 0 && e.ID <= added[len(added)-1].ID {
				t.Fatalf("entry %d: got ID %d, want one above %d", i, e.ID, added[len(added)-1].ID)
			}
			if want := base.Add(time.Duration(i) * time.Minute); !e.At.Equal(want) {
				t.Errorf("entry %d: stored At %v, want %v", i, e.At, want)
			}
			added = append(added, e)
		}
		// Rolled back with its transaction.
		sentinel := errors.New("stop")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.AddAudit(ctx, &torque.AuditEntry{At: base, Actor: "system", Action: "model.update"}); err != nil {
				return err
			}
			return sentinel
		})
		if err != sentinel {
			t.Fatalf("InTx: got %v, want the sentinel", err)
		}

		page, err := db.Audit(ctx, torque.AuditQuery{})
		must(t, "Audit", err)
		if len(page.Items) != 7 || page.NextBefore != 0 {
			t.Fatalf("Audit: got %d entries and NextBefore %d, want 7 and 0", len(page.Items), page.NextBefore)
		}
		for i, got := range page.Items {
			want := added[6-i]
			detail := got.Detail
			g, w := *got, *want
			g.Detail, w.Detail = nil, nil
			if !reflect.DeepEqual(g, w) || g.At.Location() != time.UTC {
				t.Errorf("entry %d: got %+v, want %+v in UTC", i, g, w)
			}
			if (len(detail) == 0) != (len(want.Detail) == 0) || len(detail) > 0 && !sameJSON(t, detail, want.Detail) {
				t.Errorf("entry %d: got detail %s, want %s", i, detail, want.Detail)
			}
		}

		walkAudit := func(q torque.AuditQuery) (ids []int64, pages int) {
			t.Helper()
			for ; pages < 20; pages++ {
				page, err := db.Audit(ctx, q)
				must(t, "Audit", err)
				if len(page.Items) > q.Limit {
					t.Fatalf("page %d: got %d entries, want at most %d", pages, len(page.Items), q.Limit)
				}
				for _, e := range page.Items {
					ids = append(ids, e.ID)
				}
				if page.NextBefore == 0 {
					return ids, pages + 1
				}
				if len(page.Items) != q.Limit || page.NextBefore != page.Items[len(page.Items)-1].ID {
					t.Fatalf("page %d: got %d entries and NextBefore %d, want a full page ending at it", pages, len(page.Items), page.NextBefore)
				}
				q.Before = page.NextBefore
			}
			t.Fatal("more than 20 pages")
			return nil, 0
		}
		ids := func(ns ...int) []int64 {
			out := make([]int64, len(ns))
			for i, n := range ns {
				out[i] = added[n].ID
			}
			return out
		}
		tests := []struct {
			name  string
			q     torque.AuditQuery
			want  []int64
			pages int
		}{
			{"limit 3", torque.AuditQuery{Limit: 3}, ids(6, 5, 4, 3, 2, 1, 0), 3},
			{"limit 7: one page", torque.AuditQuery{Limit: 7}, ids(6, 5, 4, 3, 2, 1, 0), 1},
			{"limit 1", torque.AuditQuery{Limit: 1}, ids(6, 5, 4, 3, 2, 1, 0), 7},
			{"action", torque.AuditQuery{Limit: 2, Action: "auth.login_failed"}, ids(5, 3, 1), 2},
			{"action, an exact page", torque.AuditQuery{Limit: 4, Action: "model.update"}, ids(6, 4, 2, 0), 1},
			{"unknown action", torque.AuditQuery{Limit: 2, Action: "auth"}, nil, 1},
			{"action not UTF-8", torque.AuditQuery{Limit: 2, Action: "\xff"}, nil, 1},
			{"before", torque.AuditQuery{Limit: 2, Before: added[4].ID}, ids(3, 2, 1, 0), 2},
			{"before and action", torque.AuditQuery{Limit: 5, Before: added[4].ID, Action: "model.update"}, ids(2, 0), 1},
			{"before the first", torque.AuditQuery{Limit: 5, Before: added[0].ID}, nil, 1},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, pages := walkAudit(tt.q)
				if fmt.Sprint(got) != fmt.Sprint(tt.want) || pages != tt.pages {
					t.Errorf("got %v in %d pages, want %v in %d", got, pages, tt.want, tt.pages)
				}
			})
		}
	})

	t.Run("default and maximum limit", func(t *testing.T) {
		db := open(t)
		must(t, "fill", db.InTx(ctx, func(tx *store.Tx) error {
			for range torque.DefaultPageSize + 1 {
				if err := tx.AddAudit(ctx, &torque.AuditEntry{At: base, Actor: "system", Action: "app.create"}); err != nil {
					return err
				}
			}
			return nil
		}))
		page, err := db.Audit(ctx, torque.AuditQuery{})
		must(t, "Audit", err)
		if len(page.Items) != torque.DefaultPageSize || page.NextBefore != page.Items[len(page.Items)-1].ID {
			t.Errorf("Audit: got %d entries and NextBefore %d, want %d and a next page", len(page.Items), page.NextBefore, torque.DefaultPageSize)
		}
		page, err = db.Audit(ctx, torque.AuditQuery{Limit: torque.MaxPageSize})
		must(t, "Audit", err)
		if len(page.Items) != torque.DefaultPageSize+1 || page.NextBefore != 0 {
			t.Errorf("Audit: got %d entries and NextBefore %d, want %d and none", len(page.Items), page.NextBefore, torque.DefaultPageSize+1)
		}
		for _, limit := range []int{-1, torque.MaxPageSize + 1} {
			_, err := db.Audit(ctx, torque.AuditQuery{Limit: limit})
			wantCode(t, fmt.Sprintf("Audit limit %d", limit), err, torque.EINVALID)
			if torque.ErrorFields(err)["limit"] == "" {
				t.Errorf("limit %d: got fields %v, want a problem under \"limit\"", limit, torque.ErrorFields(err))
			}
		}
		_, err = db.Audit(ctx, torque.AuditQuery{Before: -1})
		wantCode(t, "Audit before -1", err, torque.EINVALID)
	})

	t.Run("entries are kept whatever they hold", func(t *testing.T) {
		db := open(t)
		e := &torque.AuditEntry{At: base, ActorID: "", Actor: "a\x00b\xff@example.com", Action: "auth.login_failed", IP: "\xfe"}
		must(t, "AddAudit", db.AddAudit(ctx, e))
		if want := "a\uFFFDb\uFFFD@example.com"; e.Actor != want || e.IP != "\uFFFD" {
			t.Errorf("stored texts: got %q %q, want %q and U+FFFD", e.Actor, e.IP, want)
		}
		page, err := db.Audit(ctx, torque.AuditQuery{})
		must(t, "Audit", err)
		if len(page.Items) != 1 || page.Items[0].Actor != e.Actor || page.Items[0].ActorID != "" || page.Items[0].Detail != nil {
			t.Errorf("Audit: got %+v, want the one entry with no actor id or detail", page.Items)
		}
		for _, detail := range []string{`[1]`, `"x"`, `null`, `{"a":`, `{"a":"\u0000"}`} {
			err := db.AddAudit(ctx, &torque.AuditEntry{At: base, Actor: "system", Action: "x", Detail: json.RawMessage(detail)})
			wantCode(t, "AddAudit with detail "+detail, err, torque.EINVALID)
			if torque.ErrorFields(err)["detail"] == "" {
				t.Errorf("detail %s: got fields %v, want a problem under \"detail\"", detail, torque.ErrorFields(err))
			}
		}
	})
}

func testCreatedBy(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()
	db := open(t)
	app := newApp(t, db, "app")
	ids := newIDs(t, 3)
	by := map[string]string{ids[0]: "u1", ids[1]: "u2", ids[2]: ""}
	for _, id := range ids {
		e := entity(id, "Item", `{"title":"x"}`, base)
		e.CreatedBy = by[id]
		insert(t, db, app.ID, e)
	}
	check := func(t *testing.T, what string, es []*torque.Entity, n int) {
		t.Helper()
		if len(es) != n {
			t.Fatalf("%s: got %d entities, want %d", what, len(es), n)
		}
		for _, e := range es {
			if e.CreatedBy != by[e.ID] {
				t.Errorf("%s: %s got CreatedBy %q, want %q", what, e.ID, e.CreatedBy, by[e.ID])
			}
		}
	}

	t.Run("read back", func(t *testing.T) {
		for _, id := range ids {
			e, err := db.Entity(ctx, app.ID, "Item", id)
			must(t, "Entity", err)
			check(t, "Entity", []*torque.Entity{e}, 1)
		}
		es, err := db.EntitiesByID(ctx, app.ID, "Item", ids)
		must(t, "EntitiesByID", err)
		check(t, "EntitiesByID", es, 3)
		page, err := db.List(ctx, app.ID, "Item", store.Query{Fields: itemFields, Limit: 10})
		must(t, "List", err)
		check(t, "List", page.Items, 3)
		must(t, "InTx", db.InTx(ctx, func(tx *store.Tx) error {
			e, err := tx.Entity(ctx, app.ID, "Item", ids[0])
			if err != nil {
				return err
			}
			check(t, "tx.Entity", []*torque.Entity{e}, 1)
			page, err := tx.List(ctx, app.ID, "Item", store.Query{Fields: itemFields, Limit: 10})
			if err != nil {
				return err
			}
			check(t, "tx.List", page.Items, 3)
			return nil
		}))
	})

	t.Run("updates keep it", func(t *testing.T) {
		e := entity(ids[0], "Item", `{"title":"y"}`, base.Add(time.Hour))
		e.Version, e.CreatedBy = 2, "u9"
		must(t, "UpdateEntity", db.InTx(ctx, func(tx *store.Tx) error { return tx.UpdateEntity(ctx, app.ID, e, 1) }))
		got, err := db.Entity(ctx, app.ID, "Item", ids[0])
		must(t, "Entity", err)
		if got.CreatedBy != "u1" || got.Version != 2 {
			t.Errorf("after update: got CreatedBy %q version %d, want u1 and 2", got.CreatedBy, got.Version)
		}
	})

	t.Run("filter and sort", func(t *testing.T) {
		page, err := db.List(ctx, app.ID, "Item", store.Query{Fields: itemFields, Limit: 10,
			Where: cmp("createdBy", filter.OpEq, "u1")})
		must(t, "List", err)
		if got := entityIDs(page.Items); join(got) != join(ids[:1]) {
			t.Errorf("createdBy = u1: got %s, want %s", join(got), join(ids[:1]))
		}
		got := walk(t, db, app.ID, "Item", store.Query{Fields: itemFields, Limit: 1, Sort: parseSort("-createdBy")}, 3)
		if want := []string{ids[1], ids[0], ids[2]}; join(got) != join(want) {
			t.Errorf("sorted by -createdBy: got %s, want %s", join(got), join(want))
		}
	})

	t.Run("a missing creator is the system", func(t *testing.T) {
		id := newIDs(t, 1)[0]
		insert(t, db, app.ID, entity(id, "Item", `{}`, base))
		got, err := db.Entity(ctx, app.ID, "Item", id)
		must(t, "Entity", err)
		if got.CreatedBy != "" {
			t.Errorf("CreatedBy: got %q, want \"\"", got.CreatedBy)
		}
	})
}
