package service

import (
	"context"
	"fmt"

	"github.com/torquehq/torque"
)

// manageMembers returns the app named name if the actor may manage its
// members: admins and the app's owners.
func (s *Service) manageMembers(ctx context.Context, name string) (*torque.App, error) {
	app, acc, err := s.appAccess(ctx, name)
	if err != nil {
		return nil, err
	}
	if acc.role != "" && acc.role != torque.RoleOwner {
		return nil, torque.Errorf(torque.EFORBIDDEN, "only the app's owners and admins may manage the members of app %q", name)
	}
	return app, nil
}

// Members lists the members of an app with their roles.
func (s *Service) Members(ctx context.Context, app string) ([]*torque.Member, error) {
	a, err := s.manageMembers(ctx, app)
	if err != nil {
		return nil, err
	}
	return s.db.Members(ctx, a.ID)
}

// SetMember grants the user with email a role in an app, or changes it.
func (s *Service) SetMember(ctx context.Context, app, email string, role torque.Role) (*torque.Member, error) {
	a, err := s.manageMembers(ctx, app)
	if err != nil {
		return nil, err
	}
	email = normalEmail(email)
	fields := map[string]string{}
	if !role.Valid() {
		fields["role"] = fmt.Sprintf("must be one of owner, editor, member, viewer, not %q", role)
	}
	var u *torque.User
	if email == "" {
		fields["email"] = "is required"
	} else {
		u, _, err = s.db.UserByEmail(ctx, email)
		if torque.ErrorCode(err) == torque.ENOTFOUND {
			fields["email"] = fmt.Sprintf("no user with email %q", email)
		} else if err != nil {
			return nil, err
		}
	}
	if len(fields) > 0 {
		return nil, torque.Invalid("invalid member", fields)
	}
	m, err := s.db.SetMember(ctx, a.ID, u.ID, role)
	if err != nil {
		return nil, err
	}
	s.forgetRoles(a.ID, u.ID)
	s.broadcast(ctx, forgetRoles)
	s.audit(ctx, "member.set", "app/"+app, map[string]any{"user": u.Email, "role": role})
	return m, nil
}

// RemoveMember takes away the role of a user in an app.
func (s *Service) RemoveMember(ctx context.Context, app, userID string) error {
	a, err := s.manageMembers(ctx, app)
	if err != nil {
		return err
	}
	m, err := s.db.Member(ctx, a.ID, userID)
	if err != nil {
		return err
	}
	if err := s.db.DeleteMember(ctx, a.ID, userID); err != nil {
		return err
	}
	s.forgetRoles(a.ID, userID)
	s.broadcast(ctx, forgetRoles)
	s.audit(ctx, "member.remove", "app/"+app, map[string]any{"user": m.Email, "role": m.Role})
	return nil
}
