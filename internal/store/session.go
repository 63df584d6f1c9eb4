package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/torquehq/torque"
)

// Session is a browser session as storage keeps it: the hash of its secret
// (the secret itself is never stored) and its times, in UTC with
// microsecond precision.
type Session struct {
	Hash       []byte
	UserID     string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
}

// errNoSession is the ENOTFOUND of every session lookup; the hash is a
// secret's, so it is never shown.
func errNoSession() error { return torque.Errorf(torque.ENOTFOUND, "session not found") }

// CreateSession stores a new session. The caller sets every field; the
// times are stored (and left in s) as UTC with microsecond precision. An
// absent user is ENOTFOUND, a hash in use ECONFLICT.
func (db *DB) CreateSession(ctx context.Context, s *Session) error {
	if len(s.Hash) == 0 {
		return torque.Invalid("invalid session", map[string]string{"hash": "must not be empty"})
	}
	if !isText(s.UserID) {
		return torque.Errorf(torque.ENOTFOUND, "user %q not found", s.UserID)
	}
	created, expires, seen := storedTime(s.CreatedAt), storedTime(s.ExpiresAt), storedTime(s.LastSeenAt)
	err := db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.r.exec(ctx,
			"INSERT INTO sessions (hash, user_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
			s.Hash, s.UserID, db.d.timeArg(created), db.d.timeArg(expires), db.d.timeArg(seen))
		switch {
		case db.d.isUnique(err):
			return torque.Errorf(torque.ECONFLICT, "session already exists")
		case db.d.isForeignKey(err):
			return torque.Errorf(torque.ENOTFOUND, "user %q not found", s.UserID)
		case err != nil:
			return fmt.Errorf("create session of user %q: %w", s.UserID, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.CreatedAt, s.ExpiresAt, s.LastSeenAt = created, expires, seen
	return nil
}

// SessionByHash returns the session with the hash and its user, in one
// query, or ENOTFOUND. An expired session is returned too: the caller
// compares ExpiresAt with the time.
func (db *DB) SessionByHash(ctx context.Context, hash []byte) (*Session, *torque.User, error) {
	if len(hash) == 0 {
		return nil, nil, errNoSession()
	}
	s := &Session{Hash: bytes.Clone(hash)}
	u, err := scanUser(db.read().queryRow(ctx,
		`SELECT u.id, u.email, u.admin, u.created_at, s.created_at, s.expires_at, s.last_seen_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = ?`, hash),
		timeScanner{&s.CreatedAt}, timeScanner{&s.ExpiresAt}, timeScanner{&s.LastSeenAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errNoSession()
	} else if err != nil {
		return nil, nil, fmt.Errorf("get session: %w", err)
	}
	s.UserID = u.ID
	return s, u, nil
}

// TouchSession sets when a session was last seen and when it now expires.
// An absent session (ended meanwhile) is ENOTFOUND.
func (db *DB) TouchSession(ctx context.Context, hash []byte, lastSeen, expires time.Time) error {
	if len(hash) == 0 {
		return errNoSession()
	}
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.r.exec(ctx, "UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE hash = ?",
			db.d.timeArg(lastSeen), db.d.timeArg(expires), hash)
		return oneRow(res, err, "touch session", errNoSession)
	})
}

// DeleteSession ends a session. An absent one is ENOTFOUND.
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error {
	if len(hash) == 0 {
		return errNoSession()
	}
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.r.exec(ctx, "DELETE FROM sessions WHERE hash = ?", hash)
		return oneRow(res, err, "delete session", errNoSession)
	})
}

// DeleteUserSessions ends every session of a user and returns how many
// there were. An absent user has none.
func (db *DB) DeleteUserSessions(ctx context.Context, userID string) (int64, error) {
	if !isText(userID) {
		return 0, nil
	}
	var n int64
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		n, err = rowsChanged(tx.tx.ExecContext(ctx, db.d.rebind("DELETE FROM sessions WHERE user_id = ?"), userID))
		if err != nil {
			return fmt.Errorf("delete sessions of user %q: %w", userID, err)
		}
		return nil
	})
	return n, err
}

// DeleteExpiredSessions removes the sessions that expired at or before now
// and returns how many there were. It reads the whole sessions table: run it
// now and then, not per request.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := db.InTx(ctx, func(tx *Tx) error {
		var err error
		n, err = rowsChanged(tx.tx.ExecContext(ctx, db.d.rebind("DELETE FROM sessions WHERE expires_at <= ?"), db.d.timeArg(now)))
		if err != nil {
			return fmt.Errorf("delete expired sessions: %w", err)
		}
		return nil
	})
	return n, err
}

// oneRow checks the outcome of a statement that changes one row identified
// by key: no row changed is notFound().
func oneRow(res sql.Result, err error, what string, notFound func() error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	} else if n == 0 {
		return notFound()
	}
	return nil
}

// rowsChanged returns how many rows a statement changed.
func rowsChanged(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
