package service

import (
	"context"
	"fmt"
	"regexp"

	"github.com/torquehq/torque"
)

var appNameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)

// Apps lists the applications the actor has a role in (every one for
// admins).
func (s *Service) Apps(ctx context.Context) ([]*torque.App, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.db.Apps(ctx)
	if err != nil || a.Admin {
		return all, err
	}
	roles, err := s.db.UserRoles(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, app := range all {
		if roles[app.Name] != "" {
			out = append(out, app)
		}
	}
	return out, nil
}

// App returns the application named name.
func (s *Service) App(ctx context.Context, name string) (*torque.App, error) {
	a, _, err := s.appAccess(ctx, name)
	return a, err
}

// CreateApp makes an application named name from the model named model.
// Only admins create apps; they then grant roles in it.
func (s *Service) CreateApp(ctx context.Context, name, model string) (*torque.App, error) {
	if _, err := admin(ctx, "create apps"); err != nil {
		return nil, err
	}
	fields := map[string]string{}
	if !appNameRE.MatchString(name) {
		fields["name"] = "must be 1-63 characters: lowercase letters, digits and hyphens, starting with a letter"
	}
	if model == "" {
		fields["model"] = "is required"
	}
	if len(fields) > 0 {
		return nil, torque.Invalid("invalid app", fields)
	}
	if _, err := s.db.Model(ctx, model); torque.ErrorCode(err) == torque.ENOTFOUND {
		return nil, torque.Invalid("invalid app", map[string]string{"model": fmt.Sprintf("no model named %q", model)})
	} else if err != nil {
		return nil, err
	}
	a := &torque.App{Name: name, Model: model}
	if err := s.db.CreateApp(ctx, a); err != nil {
		return nil, err
	}
	s.forgetApp(name)
	s.broadcast(ctx, forgetAppPrefix+name)
	s.audit(ctx, "app.create", "app/"+name, map[string]any{"model": model})
	return a, nil
}

// DeleteApp removes an application with all of its data and members.
// Admins and the app's owners may.
func (s *Service) DeleteApp(ctx context.Context, name string) error {
	app, acc, err := s.appAccess(ctx, name)
	if err != nil {
		return err
	}
	if acc.role != "" && acc.role != torque.RoleOwner {
		return torque.Errorf(torque.EFORBIDDEN, "only the app's owners and admins may delete app %q", name)
	}
	if err := s.db.DeleteApp(ctx, name); err != nil {
		return err
	}
	s.forgetApp(name)
	s.forgetRoles(app.ID, "")
	s.broadcast(ctx, forgetAppPrefix+name)
	s.audit(ctx, "app.delete", "app/"+name, nil)
	return nil
}
