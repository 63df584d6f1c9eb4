package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/auth"
)

// FirstAdminEmail is the email of the admin made on an empty store.
const FirstAdminEmail = "admin@localhost"

// Users lists every user. Only admins may.
func (s *Service) Users(ctx context.Context) ([]*torque.User, error) {
	if _, err := admin(ctx, "list users"); err != nil {
		return nil, err
	}
	return s.db.Users(ctx)
}

// User returns the user with ID id. Admins may read anyone; users only
// themselves: another user is ENOTFOUND.
func (s *Service) User(ctx context.Context, id string) (*torque.User, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !a.Admin && id != a.UserID {
		return nil, torque.Errorf(torque.ENOTFOUND, "user %s not found", id)
	}
	return s.db.User(ctx, id)
}

// CreateUser adds a user with a password; only admins may.
func (s *Service) CreateUser(ctx context.Context, email, password string, isAdmin bool) (*torque.User, error) {
	if _, err := admin(ctx, "add users"); err != nil {
		return nil, err
	}
	email = normalEmail(email)
	fields := map[string]string{}
	if email == "" {
		fields["email"] = "is required"
	} else if !validUserEmail(email) {
		fields["email"] = "must be an email address"
	}
	if msg := auth.CheckPassword(password); msg != "" {
		fields["password"] = msg
	}
	if len(fields) > 0 {
		return nil, torque.Invalid("invalid user", fields)
	}
	hash, err := auth.HashPassword(ctx, password)
	if err != nil {
		return nil, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, fmt.Errorf("new id: %w", err)
	}
	u := &torque.User{ID: id.String(), Email: email, Admin: isAdmin, CreatedAt: s.now().UTC()}
	if err := s.db.CreateUser(ctx, u, hash); err != nil {
		return nil, err
	}
	s.audit(ctx, "user.create", "user/"+email, map[string]any{"admin": isAdmin})
	return u, nil
}

// SetPassword changes the password of the user with email and ends all of
// the user's sessions. Admins may change anyone's, users their own.
func (s *Service) SetPassword(ctx context.Context, email, password string) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	email = normalEmail(email)
	if !a.Admin && email != a.Email {
		return torque.Errorf(torque.EFORBIDDEN, "only admins may change another user's password")
	}
	if msg := auth.CheckPassword(password); msg != "" {
		return torque.Invalid("invalid password", map[string]string{"password": msg})
	}
	u, _, err := s.db.UserByEmail(ctx, email)
	if torque.ErrorCode(err) == torque.ENOTFOUND {
		return torque.Invalid("invalid user", map[string]string{"email": fmt.Sprintf("no user with email %q", email)})
	} else if err != nil {
		return err
	}
	hash, err := auth.HashPassword(ctx, password)
	if err != nil {
		return err
	}
	if err := s.db.SetPassword(ctx, u.ID, hash); err != nil {
		return err
	}
	_, err = s.db.DeleteUserSessions(ctx, u.ID)
	s.forgetCredentials()
	s.broadcast(ctx, forgetCredentials)
	if err != nil {
		return err
	}
	s.accounts.Reset("email:" + email)
	s.audit(ctx, "user.password", "user/"+email, nil)
	return nil
}

// RevokeSessions ends every session of the user with userID. Admins may
// end anyone's sessions, users their own.
func (s *Service) RevokeSessions(ctx context.Context, userID string) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	if !a.Admin && userID != a.UserID {
		return torque.Errorf(torque.EFORBIDDEN, "only admins may end another user's sessions")
	}
	u, err := s.db.User(ctx, userID)
	if err != nil {
		return err
	}
	n, err := s.db.DeleteUserSessions(ctx, u.ID)
	s.forgetCredentials()
	s.broadcast(ctx, forgetCredentials)
	if err != nil {
		return err
	}
	s.audit(ctx, "user.sessions_revoked", "user/"+u.Email, map[string]any{"sessions": n})
	return nil
}

// EnsureAdmin makes the first admin, FirstAdminEmail with a generated
// password, when the store has no user at all. It returns the password,
// which exists nowhere else, or "" when users already existed.
func (s *Service) EnsureAdmin(ctx context.Context) (password string, err error) {
	n, err := s.db.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	password = auth.GeneratePassword()
	_, err = s.CreateUser(torque.WithActor(ctx, torque.SystemActor), FirstAdminEmail, password, true)
	if torque.ErrorCode(err) == torque.ECONFLICT {
		return "", nil // another process made it first
	}
	if err != nil {
		return "", err
	}
	return password, nil
}

// validUserEmail reports whether email may sign in: an email address, whose
// host may also be a single label such as localhost (an intranet name).
func validUserEmail(email string) bool {
	return torque.ValidEmail(email) || !strings.Contains(email[strings.LastIndexByte(email, '@')+1:], ".") && torque.ValidEmail(email+".local")
}
