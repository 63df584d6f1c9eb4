package service

import (
	"context"
	"strings"
	"time"

	"github.com/torquehq/torque"
)

// Access control. Every service method begins by asking who acts (the actor
// the transport put in the context) and what that actor may do; no
// transport decides. Anonymous callers get EUNAUTHORIZED. A user without a
// role on an app gets ENOTFOUND for it, exactly as if it did not exist, so
// names of other people's apps do not leak; with a role but without the
// right, EFORBIDDEN. See docs/decisions/0002-access-control.md.

// maxRoleCache bounds the cached roles; when full, the cache starts over.
const maxRoleCache = 100000

// access is what one actor may do in one app.
type access struct {
	actor *torque.Actor
	role  torque.Role // "" for platform admins, who may do everything
}

// grant returns how far the actor may do op on entities of et.
func (a access) grant(et *torque.EntityType, op torque.Op) torque.Grant {
	if a.role == "" {
		return torque.GrantAll
	}
	return et.Allows(a.role, op)
}

// owner returns the user ID that restricts op on et to records its user
// created, or "" when the actor may act on every record; EFORBIDDEN when not
// at all.
func (a access) owner(et *torque.EntityType, op torque.Op) (string, error) {
	switch a.grant(et, op) {
	case torque.GrantAll:
		return "", nil
	case torque.GrantOwn:
		return a.actor.UserID, nil
	}
	return "", torque.Errorf(torque.EFORBIDDEN, "role %s may not %s %s records", a.role, op, et.Name)
}

// actor returns the actor of ctx, or EUNAUTHORIZED.
func actor(ctx context.Context) (*torque.Actor, error) {
	a := torque.ActorFrom(ctx)
	if a == nil {
		return nil, torque.Errorf(torque.EUNAUTHORIZED, "sign in or send an API token (Authorization: Bearer …)")
	}
	return a, nil
}

// admin returns the actor of ctx if it is a platform admin; EFORBIDDEN
// (or EUNAUTHORIZED) otherwise. what names the refused action.
func admin(ctx context.Context, what string) (*torque.Actor, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Admin {
		return nil, torque.Errorf(torque.EFORBIDDEN, "only platform admins may %s", what)
	}
	return a, nil
}

// appNotFound is the answer for an app that does not exist and for an app
// the actor has no role on: the two must not be told apart.
func appNotFound(name string) error {
	return torque.Errorf(torque.ENOTFOUND, "app %q not found", name)
}

// appAccess returns the app named name and what the actor of ctx may do in
// it: ENOTFOUND when the app does not exist or the actor has no role there.
func (s *Service) appAccess(ctx context.Context, name string) (*torque.App, access, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, access{}, err
	}
	app, err := s.app(ctx, name)
	if err != nil {
		if torque.ErrorCode(err) == torque.ENOTFOUND {
			return nil, access{}, appNotFound(name)
		}
		return nil, access{}, err
	}
	if a.Admin {
		return app, access{actor: a}, nil
	}
	role, err := s.role(ctx, app.ID, a.UserID)
	if err != nil {
		return nil, access{}, err
	}
	if role == "" {
		return nil, access{}, appNotFound(name)
	}
	return app, access{actor: a, role: role}, nil
}

// roleKey is a user's role in one app in the role cache.
type roleKey struct {
	app  int64
	user string
}

type cachedRole struct {
	role    torque.Role
	checked time.Time
}

// role returns the role of user in app ("" for none), cached for the
// recheck interval; this process forgets a cached role as soon as it
// changes it, and other instances see the change within the interval.
func (s *Service) role(ctx context.Context, app int64, user string) (torque.Role, error) {
	k := roleKey{app, user}
	s.rolesMu.Lock()
	c, ok := s.roles[k]
	s.rolesMu.Unlock()
	if ok && time.Since(c.checked) <= s.recheck {
		return c.role, nil
	}
	role, err := s.db.Role(ctx, app, user)
	if err != nil {
		return "", err
	}
	s.rolesMu.Lock()
	if len(s.roles) >= maxRoleCache {
		clear(s.roles)
	}
	s.roles[k] = cachedRole{role: role, checked: time.Now()}
	s.rolesMu.Unlock()
	return role, nil
}

// forgetRoles drops the cached roles of app (user "" means every user).
func (s *Service) forgetRoles(app int64, user string) {
	s.rolesMu.Lock()
	for k := range s.roles {
		if k.app == app && (user == "" || k.user == user) {
			delete(s.roles, k)
		}
	}
	s.rolesMu.Unlock()
	s.recheckStreams()
}

// appsOfModel returns the apps made from the model named model.
func (s *Service) appsOfModel(ctx context.Context, model string) ([]*torque.App, error) {
	apps, err := s.db.Apps(ctx)
	if err != nil {
		return nil, err
	}
	var out []*torque.App
	for _, a := range apps {
		if a.Model == model {
			out = append(out, a)
		}
	}
	return out, nil
}

// modelAccess says what the actor of ctx may do with the model named name:
// read it (admins, and anyone with a role on an app made from it) and edit
// it (admins, and owners or editors of every app made from it). A model the
// actor may not read is ENOTFOUND, as if it did not exist.
func (s *Service) modelAccess(ctx context.Context, name string, edit bool) error {
	a, err := actor(ctx)
	if err != nil || a.Admin {
		return err
	}
	apps, err := s.appsOfModel(ctx, name)
	if err != nil {
		return err
	}
	var readable bool
	var locked []string // apps whose model the actor may not edit
	for _, app := range apps {
		role, err := s.role(ctx, app.ID, a.UserID)
		if err != nil {
			return err
		}
		if role != "" {
			readable = true
		}
		if role != torque.RoleOwner && role != torque.RoleEditor {
			locked = append(locked, app.Name)
		}
	}
	switch {
	case !readable:
		return torque.Errorf(torque.ENOTFOUND, "model %q not found", name)
	case edit && len(locked) > 0:
		return torque.Errorf(torque.EFORBIDDEN,
			"model %q is used by apps you are not owner or editor of (%s); only their owners, editors and admins may change it",
			name, strings.Join(locked, ", "))
	}
	return nil
}

// visibleModels returns the names of the models the actor may read, or nil
// for admins, who may read every model.
func (s *Service) visibleModels(ctx context.Context) (map[string]bool, error) {
	a, err := actor(ctx)
	if err != nil || a.Admin {
		return nil, err
	}
	roles, err := s.db.UserRoles(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	apps, err := s.db.Apps(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, app := range apps {
		if roles[app.Name] != "" {
			out[app.Model] = true
		}
	}
	return out, nil
}

// forbidCascade refuses a delete that would remove or change records of a
// type the actor may not delete (or update) in full.
func (a access) forbidCascade(et *torque.EntityType, op torque.Op, from string) error {
	if a.grant(et, op) == torque.GrantAll {
		return nil
	}
	verb := "delete"
	if op == torque.OpUpdate {
		verb = "clear references in"
	}
	return torque.Errorf(torque.EFORBIDDEN, "deleting this %s would %s %s records, which role %s may not %s",
		from, verb, et.Name, a.role, op)
}
