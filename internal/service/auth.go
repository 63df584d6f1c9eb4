package service

import (
	"context"
	"strings"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/auth"
	"github.com/torquehq/torque/internal/store"
)

// touchEvery is how stale a session's last-seen time or a token's last-used
// time may get before a request writes it again.
const touchEvery = time.Minute

// Authenticate returns the actor of c: the user of an API token or of a
// browser session. No credentials give a nil actor and no error; bad ones
// EUNAUTHORIZED. Every call reads storage, so a revoked token or session is
// refused on its next request, on every instance.
func (s *Service) Authenticate(ctx context.Context, c torque.Credentials) (*torque.Actor, error) {
	switch {
	case c.Token != "":
		return s.authenticateToken(ctx, c)
	case c.Session != "":
		return s.authenticateSession(ctx, c)
	}
	return nil, nil
}

func (s *Service) authenticateToken(ctx context.Context, c torque.Credentials) (*torque.Actor, error) {
	hash, ok := auth.ParseToken(c.Token)
	if !ok {
		return nil, torque.Errorf(torque.EUNAUTHORIZED, "malformed API token: expected %s followed by 43 characters", auth.TokenPrefix)
	}
	t, u, err := s.db.TokenByHash(ctx, hash)
	if torque.ErrorCode(err) == torque.ENOTFOUND {
		return nil, torque.Errorf(torque.EUNAUTHORIZED, "unknown or revoked API token")
	} else if err != nil {
		return nil, err
	}
	now := s.now()
	if t.ExpiresAt != nil && !now.Before(*t.ExpiresAt) {
		return nil, torque.Errorf(torque.EUNAUTHORIZED, "API token %q expired at %s", t.Name, torque.FormatDateTime(*t.ExpiresAt))
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= touchEvery {
		if err := s.db.TouchToken(context.WithoutCancel(ctx), t.ID, now.UTC()); err != nil {
			s.logger.WarnContext(ctx, "record token use", "token", t.ID, "err", err)
		}
	}
	return &torque.Actor{UserID: u.ID, Email: u.Email, Admin: u.Admin, TokenID: t.ID, IP: c.IP}, nil
}

func (s *Service) authenticateSession(ctx context.Context, c torque.Credentials) (*torque.Actor, error) {
	hash, ok := auth.ParseSessionSecret(c.Session)
	if !ok {
		return nil, torque.Errorf(torque.EUNAUTHORIZED, "malformed session cookie: sign in again")
	}
	sess, u, err := s.db.SessionByHash(ctx, hash)
	if torque.ErrorCode(err) == torque.ENOTFOUND {
		return nil, torque.Errorf(torque.EUNAUTHORIZED, "session expired or signed out: sign in again")
	} else if err != nil {
		return nil, err
	}
	now := s.now()
	if !now.Before(sess.ExpiresAt) {
		if err := s.db.DeleteSession(context.WithoutCancel(ctx), hash); err != nil && torque.ErrorCode(err) != torque.ENOTFOUND {
			s.logger.WarnContext(ctx, "delete expired session", "err", err)
		}
		return nil, torque.Errorf(torque.EUNAUTHORIZED, "session expired or signed out: sign in again")
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		expires := s.sessionExpiry(sess.CreatedAt, now)
		if err := s.db.TouchSession(context.WithoutCancel(ctx), hash, now.UTC(), expires); err != nil {
			s.logger.WarnContext(ctx, "record session use", "err", err)
		}
	}
	return &torque.Actor{UserID: u.ID, Email: u.Email, Admin: u.Admin, IP: c.IP}, nil
}

// sessionExpiry is when a session made at created and seen at now ends:
// after the idle time, but never past the maximum lifetime.
func (s *Service) sessionExpiry(created, now time.Time) time.Time {
	idle, limit := now.Add(s.sessionIdle), created.Add(s.sessionMax)
	if idle.After(limit) {
		return limit.UTC()
	}
	return idle.UTC()
}

// normalEmail is the stored form of an email address.
func normalEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

// Login checks email and password and opens a browser session. Failures
// answer EUNAUTHORIZED without saying which of the two was wrong, take as
// long for an unknown email as for a wrong password, and are counted per
// email and per client address: past a few, ETHROTTLED with a growing
// RetryAfter, before any password is checked.
func (s *Service) Login(ctx context.Context, email, password, ip string) (*torque.Session, error) {
	email = normalEmail(email)
	fields := map[string]string{}
	if email == "" {
		fields["email"] = "is required"
	}
	if password == "" {
		fields["password"] = "is required"
	} else if len(password) > auth.MaxPasswordLen {
		fields["password"] = "is too long"
	}
	if len(fields) > 0 {
		return nil, torque.Invalid("invalid sign-in", fields)
	}
	accountKey, ipKey := "email:"+email, "ip:"+ip
	if wait := max(s.accounts.Wait(accountKey), s.ips.Wait(ipKey)); wait > 0 {
		return nil, throttled(wait)
	}
	u, hash, err := s.db.UserByEmail(ctx, email)
	switch torque.ErrorCode(err) {
	case "":
	case torque.ENOTFOUND:
		u, hash = nil, auth.DummyHash()
	default:
		return nil, err
	}
	ok, err := auth.VerifyPassword(ctx, hash, password)
	if err != nil {
		return nil, err
	}
	if !ok || u == nil {
		wait := max(s.accounts.Fail(accountKey), s.ips.Fail(ipKey))
		detail := map[string]any{}
		if wait > 0 {
			detail["throttledFor"] = wait.String()
		}
		e := &torque.AuditEntry{At: s.now().UTC(), Actor: email, Action: "auth.login_failed", IP: ip}
		if u != nil {
			e.ActorID = u.ID
		}
		s.addAudit(ctx, e, detail)
		return nil, torque.Errorf(torque.EUNAUTHORIZED, "wrong email or password")
	}
	s.accounts.Reset(accountKey)
	secret, sessHash := auth.NewSessionSecret()
	now := s.now().UTC()
	sess := &store.Session{Hash: sessHash, UserID: u.ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: s.sessionExpiry(now, now)}
	if err := s.db.CreateSession(ctx, sess); err != nil {
		return nil, err
	}
	s.addAudit(ctx, &torque.AuditEntry{At: now, ActorID: u.ID, Actor: u.Email, Action: "auth.login", IP: ip}, nil)
	// The cookie lives as long as the session may; the idle limit is kept
	// by storage.
	return &torque.Session{Secret: secret, User: u, ExpiresAt: now.Add(s.sessionMax)}, nil
}

// throttled is the error of a refused attempt that may be retried after wait.
func throttled(wait time.Duration) error {
	secs := int64((wait + time.Second - 1) / time.Second)
	return &torque.Error{
		Code:       torque.ETHROTTLED,
		Message:    "too many failed sign-ins: try again in " + (time.Duration(secs) * time.Second).String(),
		RetryAfter: time.Duration(secs) * time.Second,
	}
}

// Logout ends the session whose cookie value is secret. Ending a session
// that has already ended is not an error.
func (s *Service) Logout(ctx context.Context, secret string) error {
	hash, ok := auth.ParseSessionSecret(secret)
	if !ok {
		return nil
	}
	err := s.db.DeleteSession(ctx, hash)
	if torque.ErrorCode(err) == torque.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	s.audit(ctx, "auth.logout", "", nil)
	return nil
}

// Me returns the user the request acts for.
func (s *Service) Me(ctx context.Context) (*torque.User, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if a.UserID == "" {
		return &torque.User{Email: a.Email, Admin: a.Admin}, nil
	}
	return s.db.User(ctx, a.UserID)
}
