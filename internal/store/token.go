package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/torquehq/torque"
)

// tokenColumns are the columns of a token that scanToken reads, in its
// order. The hash is never read back.
const tokenColumns = "t.id, t.user_id, t.name, t.created_at, t.expires_at, t.last_used_at"

// scanToken reads tokenColumns and then extra.
func scanToken(s scanner, extra ...any) (*torque.Token, error) {
	t := &torque.Token{}
	dest := append([]any{&t.ID, &t.UserID, &t.Name, timeScanner{&t.CreatedAt},
		nullTimeScanner{&t.ExpiresAt}, nullTimeScanner{&t.LastUsedAt}}, extra...)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	return t, nil
}

func errNoToken(id string) error { return torque.Errorf(torque.ENOTFOUND, "token %q not found", id) }

// CreateToken stores a new API token with the hash of its secret. The
// caller sets t.ID (a UUIDv7), t.UserID, t.Name, t.CreatedAt and t.ExpiresAt
// (nil: never); the times are stored (and left in t) as UTC with microsecond
// precision, and LastUsedAt starts nil. An absent user is ENOTFOUND, a taken
// id or hash ECONFLICT.
func (db *DB) CreateToken(ctx context.Context, t *torque.Token, hash []byte) error {
	switch {
	case t.ID == "" || !isText(t.ID):
		return torque.Invalid("invalid token", map[string]string{"id": "must be non-empty UTF-8 text"})
	case !isText(t.Name):
		return torque.Invalid("invalid token", map[string]string{"name": "must be UTF-8 text"})
	case len(hash) == 0:
		return torque.Invalid("invalid token", map[string]string{"hash": "must not be empty"})
	case !isText(t.UserID):
		return torque.Errorf(torque.ENOTFOUND, "user %q not found", t.UserID)
	}
	created := storedTime(t.CreatedAt)
	var expires *time.Time
	if t.ExpiresAt != nil {
		x := storedTime(*t.ExpiresAt)
		expires = &x
	}
	err := db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.tx.ExecContext(ctx, db.d.rebind(
			"INSERT INTO tokens (id, user_id, name, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)"),
			t.ID, t.UserID, t.Name, hash, db.d.timeArg(created), nullTimeArg(db.d, expires))
		switch {
		case db.d.isUnique(err):
			return torque.Errorf(torque.ECONFLICT, "token %q already exists", t.ID)
		case db.d.isForeignKey(err):
			return torque.Errorf(torque.ENOTFOUND, "user %q not found", t.UserID)
		case err != nil:
			return fmt.Errorf("create token %q: %w", t.ID, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	t.CreatedAt, t.ExpiresAt, t.LastUsedAt = created, expires, nil
	return nil
}

// TokenByHash returns the token with the hash and its user, in one query,
// or ENOTFOUND. An expired token is returned too: the caller compares
// ExpiresAt with the time.
func (db *DB) TokenByHash(ctx context.Context, hash []byte) (*torque.Token, *torque.User, error) {
	notFound := torque.Errorf(torque.ENOTFOUND, "token not found")
	if len(hash) == 0 {
		return nil, nil, notFound
	}
	u := &torque.User{}
	t, err := scanToken(db.read().queryRow(ctx,
		"SELECT "+tokenColumns+", u.id, u.email, u.admin, u.created_at FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?",
		hash), &u.ID, &u.Email, &u.Admin, timeScanner{&u.CreatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, notFound
	} else if err != nil {
		return nil, nil, fmt.Errorf("get token: %w", err)
	}
	return t, u, nil
}

// Token returns the token with ID id, or ENOTFOUND.
func (db *DB) Token(ctx context.Context, id string) (*torque.Token, error) {
	if !isText(id) {
		return nil, errNoToken(id)
	}
	t, err := scanToken(db.reader.QueryRowContext(ctx, db.d.rebind(
		"SELECT "+tokenColumns+" FROM tokens t WHERE t.id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoToken(id)
	} else if err != nil {
		return nil, fmt.Errorf("get token %q: %w", id, err)
	}
	return t, nil
}

// Tokens returns the tokens of a user, or every token when userID is "",
// newest first.
func (db *DB) Tokens(ctx context.Context, userID string) ([]*torque.Token, error) {
	out := []*torque.Token{}
	if !isText(userID) {
		return out, nil
	}
	var (
		rows *sql.Rows
		err  error
	)
	if userID == "" {
		rows, err = db.reader.QueryContext(ctx,
			"SELECT "+tokenColumns+" FROM tokens t ORDER BY t.created_at DESC, t.id DESC")
	} else {
		rows, err = db.reader.QueryContext(ctx, db.d.rebind(
			"SELECT "+tokenColumns+" FROM tokens t WHERE t.user_id = ? ORDER BY t.created_at DESC, t.id DESC"), userID)
	}
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return out, nil
}

// DeleteToken revokes a token. An absent one is ENOTFOUND.
func (db *DB) DeleteToken(ctx context.Context, id string) error {
	if !isText(id) {
		return errNoToken(id)
	}
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.tx.ExecContext(ctx, db.d.rebind("DELETE FROM tokens WHERE id = ?"), id)
		return oneRow(res, err, fmt.Sprintf("delete token %q", id), func() error { return errNoToken(id) })
	})
}

// TouchToken sets when a token was last used. An absent token (revoked
// meanwhile) is ENOTFOUND.
func (db *DB) TouchToken(ctx context.Context, id string, at time.Time) error {
	if !isText(id) {
		return errNoToken(id)
	}
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.r.exec(ctx, "UPDATE tokens SET last_used_at = ? WHERE id = ?", db.d.timeArg(at), id)
		return oneRow(res, err, fmt.Sprintf("touch token %q", id), func() error { return errNoToken(id) })
	})
}
