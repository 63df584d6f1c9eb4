package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/torquehq/torque"
)

// userColumns are the columns of a user that scanUser reads, in its order.
const userColumns = "id, email, admin, created_at"

// scanUser reads userColumns and then extra.
func scanUser(s scanner, extra ...any) (*torque.User, error) {
	u := &torque.User{}
	dest := append([]any{&u.ID, &u.Email, &u.Admin, timeScanner{&u.CreatedAt}}, extra...)
	if err := s.Scan(dest...); err != nil {
		return nil, err
	}
	return u, nil
}

// CreateUser stores a new user with the hash of its password. The caller
// sets u.ID (a UUIDv7), u.Email (already lower-cased), u.Admin and
// u.CreatedAt, which is stored (and left in u) as UTC with microsecond
// precision. A taken email is ECONFLICT.
func (db *DB) CreateUser(ctx context.Context, u *torque.User, passwordHash string) error {
	switch {
	case u.ID == "" || !isText(u.ID):
		return torque.Invalid("invalid user", map[string]string{"id": "must be non-empty UTF-8 text"})
	case u.Email == "" || !isText(u.Email):
		return torque.Invalid("invalid user", map[string]string{"email": "must be non-empty UTF-8 text"})
	case passwordHash == "" || !isText(passwordHash):
		return torque.Invalid("invalid user", map[string]string{"password": "must have a non-empty UTF-8 hash"})
	}
	created := storedTime(u.CreatedAt)
	err := db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.tx.ExecContext(ctx, db.d.rebind(
			"INSERT INTO users (id, email, password_hash, admin, created_at) VALUES (?, ?, ?, ?, ?)"),
			u.ID, u.Email, passwordHash, db.d.boolArg(u.Admin), db.d.timeArg(created))
		if db.d.isUnique(err) {
			return torque.Errorf(torque.ECONFLICT, "user %q already exists", u.Email)
		} else if err != nil {
			return fmt.Errorf("create user %q: %w", u.Email, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	u.CreatedAt = created
	return nil
}

// User returns the user with ID id, or ENOTFOUND.
func (db *DB) User(ctx context.Context, id string) (*torque.User, error) {
	if !isText(id) {
		return nil, torque.Errorf(torque.ENOTFOUND, "user %q not found", id)
	}
	u, err := scanUser(db.read().queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, torque.Errorf(torque.ENOTFOUND, "user %q not found", id)
	} else if err != nil {
		return nil, fmt.Errorf("get user %q: %w", id, err)
	}
	return u, nil
}

// UserByEmail returns the user with the (lower-cased) email and the hash of
// its password, or ENOTFOUND.
func (db *DB) UserByEmail(ctx context.Context, email string) (*torque.User, string, error) {
	if !isText(email) {
		return nil, "", torque.Errorf(torque.ENOTFOUND, "user %q not found", email)
	}
	var hash string
	u, err := scanUser(db.read().queryRow(ctx,
		"SELECT "+userColumns+", password_hash FROM users WHERE email = ?", email), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", torque.Errorf(torque.ENOTFOUND, "user %q not found", email)
	} else if err != nil {
		return nil, "", fmt.Errorf("get user %q: %w", email, err)
	}
	return u, hash, nil
}

// Users returns every user, by email.
func (db *DB) Users(ctx context.Context) ([]*torque.User, error) {
	rows, err := db.reader.QueryContext(ctx, "SELECT "+userColumns+" FROM users ORDER BY email")
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	out := []*torque.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return out, nil
}

// CountUsers returns how many users there are.
func (db *DB) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	if err := db.reader.QueryRowContext(ctx, "SELECT count(*) FROM users").Scan(&n); err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}

// SetPassword replaces the password hash of a user. An absent user is
// ENOTFOUND. It leaves the user's sessions and tokens alone: see
// DeleteUserSessions.
func (db *DB) SetPassword(ctx context.Context, userID, hash string) error {
	if !isText(userID) {
		return torque.Errorf(torque.ENOTFOUND, "user %q not found", userID)
	}
	if hash == "" || !isText(hash) {
		return torque.Invalid("invalid password", map[string]string{"password": "must have a non-empty UTF-8 hash"})
	}
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.tx.ExecContext(ctx, db.d.rebind("UPDATE users SET password_hash = ? WHERE id = ?"), hash, userID)
		if err != nil {
			return fmt.Errorf("set password of user %q: %w", userID, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("set password of user %q: %w", userID, err)
		} else if n == 0 {
			return torque.Errorf(torque.ENOTFOUND, "user %q not found", userID)
		}
		return nil
	})
}
