package service

import (
	"context"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/auth"
	"github.com/torquehq/torque/internal/store"
)

// touchEvery is how stale a session's last-seen time or a token's last-used
// time may get before a request writes it again.
const touchEvery = time.Minute

// maxCredsCache bounds the cached credentials; when full, the cache starts
// over.
const maxCredsCache = 100000

// cachedCreds is an authenticated token or session: who it acts for, until
// when it is valid, and when storage last confirmed it.
type cachedCreds struct {
	actor   torque.Actor
	expires time.Time // zero: never
	checked time.Time
}

// Authenticate returns the actor of c: the user of an API token or of a
// browser session. No credentials give a nil actor and no error; bad ones
// EUNAUTHORIZED. Credentials found valid are trusted for the recheck
// interval (1 s) before storage is asked again; revoking a token, ending
// sessions or changing a password empties that cache at once, so on this
// instance a revoked credential is refused on its very next request, and on
// other instances sharing the database within the interval.
func (s *Service) Authenticate(ctx context.Context, c torque.Credentials) (*torque.Actor, error) {
	var hash []byte
	var ok bool
	switch {
	case c.Token != "":
		if hash, ok = auth.ParseToken(c.Token); !ok {
			return nil, torque.Errorf(torque.EUNAUTHORIZED, "malformed API token: expected %s followed by 43 characters", auth.TokenPrefix)
		}
	case c.Session != "":
		if hash, ok = auth.ParseSessionSecret(c.Session); !ok {
			return nil, torque.Errorf(torque.EUNAUTHORIZED, "malformed session cookie: sign in again")
		}
	default:
		return nil, nil
	}
	now := s.now()
	s.credsMu.Lock()
	cc, hit := s.creds[string(hash)]
	s.credsMu.Unlock()
	if hit && now.Sub(cc.checked) <= s.recheck && (cc.expires.IsZero() || now.Before(cc.expires)) {
		a := cc.actor
		a.IP = c.IP
		return &a, nil
	}
	var a *torque.Actor
	var expires time.Time
	var err error
	if c.Token != "" {
		a, expires, err = s.authenticateToken(ctx, c, hash, now)
	} else {
		a, expires, err = s.authenticateSession(ctx, c, hash, now)
	}
	if err != nil {
		return nil, err
	}
	s.credsMu.Lock()
	if len(s.creds) >= maxCredsCache {
		clear(s.creds)
	}
	s.creds[string(hash)] = cachedCreds{actor: *a, expires: expires, checked: now}
	s.credsMu.Unlock()
	return a, nil
}

// forgetCredentials empties the credentials cache; every revocation does,
// so that it holds on the next request.
func (s *Service) forgetCredentials() {
	s.credsMu.Lock()
	clear(s.creds)
	s.credsMu.Unlock()
	s.recheckStreams()
}

func (s *Service) authenticateToken(ctx context.Context, c torque.Credentials, hash []byte, now time.Time) (*torque.Actor, time.Time, error) {
	t, u, err := s.db.TokenByHash(ctx, hash)
	if torque.ErrorCode(err) == torque.ENOTFOUND {
		return nil, time.Time{}, torque.Errorf(torque.EUNAUTHORIZED, "unknown or revoked API token")
	} else if err != nil {
		return nil, time.Time{}, err
	}
	var expires time.Time
	if t.ExpiresAt != nil {
		expires = *t.ExpiresAt
		if !now.Before(expires) {
			return nil, time.Time{}, torque.Errorf(torque.EUNAUTHORIZED, "API token %q expired at %s", t.Name, torque.FormatDateTime(expires))
		}
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= touchEvery {
		if err := s.db.TouchToken(context.WithoutCancel(ctx), t.ID, now.UTC()); err != nil && torque.ErrorCode(err) != torque.ENOTFOUND {
			s.logger.WarnContext(ctx, "record token use", "token", t.ID, "err", err)
		}
	}
	return &torque.Actor{UserID: u.ID, Email: u.Email, Admin: u.Admin, TokenID: t.ID, IP: c.IP}, expires, nil
}

func (s *Service) authenticateSession(ctx context.Context, c torque.Credentials, hash []byte, now time.Time) (*torque.Actor, time.Time, error) {
	sess, u, err := s.db.SessionByHash(ctx, hash)
	if torque.ErrorCode(err) == torque.ENOTFOUND {
		return nil, time.Time{}, torque.Errorf(torque.EUNAUTHORIZED, "session expired or signed out: sign in again")
	} else if err != nil {
		return nil, time.Time{}, err
	}
	if !now.Before(sess.ExpiresAt) {
		if err := s.db.DeleteSession(context.WithoutCancel(ctx), hash); err != nil && torque.ErrorCode(err) != torque.ENOTFOUND {
			s.logger.WarnContext(ctx, "delete expired session", "err", err)
		}
		return nil, time.Time{}, torque.Errorf(torque.EUNAUTHORIZED, "session expired or signed out: sign in again")
	}
	expires := sess.ExpiresAt
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		expires = s.sessionExpiry(sess.CreatedAt, now)
		if err := s.db.TouchSession(context.WithoutCancel(ctx), hash, now.UTC(), expires); err != nil && torque.ErrorCode(err) != torque.ENOTFOUND {
			s.logger.WarnContext(ctx, "record session use", "err", err)
		}
	}
	return &torque.Actor{UserID: u.ID, Email: u.Email, Admin: u.Admin, SessionID: hex.EncodeToString(hash), IP: c.IP}, expires, nil
}

// stillSignedIn reports, with EUNAUTHORIZED, whether the credentials the
// actor authenticated with have been revoked or have expired since: for
// actors that live longer than a request (a WebSocket connection).
func (s *Service) stillSignedIn(ctx context.Context, a *torque.Actor) error {
	now := s.now()
	switch {
	case a.TokenID != "":
		t, err := s.db.Token(ctx, a.TokenID)
		if torque.ErrorCode(err) == torque.ENOTFOUND {
			return torque.Errorf(torque.EUNAUTHORIZED, "the API token was revoked")
		} else if err != nil {
			return err
		}
		if t.ExpiresAt != nil && !now.Before(*t.ExpiresAt) {
			return torque.Errorf(torque.EUNAUTHORIZED, "API token %q expired at %s", t.Name, torque.FormatDateTime(*t.ExpiresAt))
		}
	case a.SessionID != "":
		hash, err := hex.DecodeString(a.SessionID)
		if err != nil {
			return torque.Errorf(torque.EUNAUTHORIZED, "unknown session: sign in again")
		}
		sess, _, err := s.db.SessionByHash(ctx, hash)
		if torque.ErrorCode(err) == torque.ENOTFOUND {
			return torque.Errorf(torque.EUNAUTHORIZED, "session expired or signed out: sign in again")
		} else if err != nil {
			return err
		}
		if !now.Before(sess.ExpiresAt) {
			return torque.Errorf(torque.EUNAUTHORIZED, "session expired or signed out: sign in again")
		}
	}
	return nil
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
	} else if len(email) > maxEmail {
		// Also keeps the throttle's keys small.
		fields["email"] = fmt.Sprintf("must be at most %d characters", maxEmail)
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

// maxEmail is the longest email address (RFC 5321).
const maxEmail = 254

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
	s.forgetCredentials()
	s.broadcast(ctx, forgetCredentials)
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

// DeleteExpiredSessions removes the sessions that have ended, which would
// otherwise stay in storage until their cookie came back. The server runs it
// every SessionSweep.
func (s *Service) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	return s.db.DeleteExpiredSessions(ctx, s.now().UTC())
}

// SessionSweep is how often a server deletes ended sessions.
const SessionSweep = time.Hour
