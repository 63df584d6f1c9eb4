package service

import (
	"context"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/auth"
)

// Limits on API tokens.
const (
	MaxTokenName    = 100
	MaxTokenExpires = 10 * 365 * 24 * time.Hour
)

// Tokens lists the actor's API tokens; admins see every user's.
func (s *Service) Tokens(ctx context.Context) ([]*torque.Token, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if a.Admin {
		return s.db.Tokens(ctx, "")
	}
	return s.db.Tokens(ctx, a.UserID)
}

// CreateToken makes an API token for the actor, valid for expires (zero:
// until revoked). The secret is in the result and nowhere else.
func (s *Service) CreateToken(ctx context.Context, name string, expires time.Duration) (*torque.NewToken, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if a.UserID == "" {
		return nil, torque.Errorf(torque.EINVALID, "API tokens belong to users: make one for a user with torque token create --email")
	}
	return s.createToken(ctx, a.UserID, a.Email, name, expires)
}

// CreateUserToken makes an API token for the user with email; only admins
// may (the operator's `torque token create`).
func (s *Service) CreateUserToken(ctx context.Context, email, name string, expires time.Duration) (*torque.NewToken, error) {
	if _, err := admin(ctx, "make tokens for other users"); err != nil {
		return nil, err
	}
	email = normalEmail(email)
	u, _, err := s.db.UserByEmail(ctx, email)
	if torque.ErrorCode(err) == torque.ENOTFOUND {
		return nil, torque.Invalid("invalid token", map[string]string{"email": fmt.Sprintf("no user with email %q", email)})
	} else if err != nil {
		return nil, err
	}
	return s.createToken(ctx, u.ID, u.Email, name, expires)
}

func (s *Service) createToken(ctx context.Context, userID, email, name string, expires time.Duration) (*torque.NewToken, error) {
	fields := map[string]string{}
	switch n := utf8.RuneCountInString(name); {
	case name == "":
		fields["name"] = "is required"
	case n > MaxTokenName || !utf8.ValidString(name):
		fields["name"] = fmt.Sprintf("must be at most %d characters of text", MaxTokenName)
	}
	if expires < 0 || expires > MaxTokenExpires {
		fields["expires"] = "must be from 0 (never) to 10 years"
	}
	if len(fields) > 0 {
		return nil, torque.Invalid("invalid token", fields)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, fmt.Errorf("new id: %w", err)
	}
	now := s.now().UTC()
	t := &torque.Token{ID: id.String(), UserID: userID, Name: name, CreatedAt: now}
	if expires > 0 {
		at := now.Add(expires)
		t.ExpiresAt = &at
	}
	secret, hash := auth.NewToken()
	if err := s.db.CreateToken(ctx, t, hash); err != nil {
		return nil, err
	}
	s.audit(ctx, "token.create", "token/"+t.ID, map[string]any{"name": name, "user": email})
	return &torque.NewToken{Token: *t, Secret: secret}, nil
}

// DeleteToken revokes an API token at once. Users revoke their own tokens,
// admins anyone's; someone else's token is ENOTFOUND.
func (s *Service) DeleteToken(ctx context.Context, id string) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	t, err := s.db.Token(ctx, id)
	if err != nil {
		return err
	}
	if !a.Admin && t.UserID != a.UserID {
		return torque.Errorf(torque.ENOTFOUND, "token %s not found", id)
	}
	err = s.db.DeleteToken(ctx, id)
	s.forgetCredentials()
	s.broadcast(ctx, forgetCredentials)
	if err != nil {
		return err
	}
	s.audit(ctx, "token.delete", "token/"+id, map[string]any{"name": t.Name})
	return nil
}
