package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/torquehq/torque"
)

// memberSelect reads a member with its app's name and its user's email, in
// scanMember's order.
const memberSelect = `SELECT a.name, m.user_id, u.email, m.role, m.created_at
	FROM app_members m JOIN apps a ON a.id = m.app_id JOIN users u ON u.id = m.user_id`

func scanMember(s scanner) (*torque.Member, error) {
	m := &torque.Member{}
	if err := s.Scan(&m.App, &m.UserID, &m.Email, &m.Role, timeScanner{&m.CreatedAt}); err != nil {
		return nil, err
	}
	return m, nil
}

func errNoMember(appID int64, userID string) error {
	return torque.Errorf(torque.ENOTFOUND, "user %q is not a member of app %d", userID, appID)
}

// SetMember gives a user a role in an app: it adds the member, or changes
// the role of an existing one, whose CreatedAt stays. It returns the member
// with the app's name and the user's email. An absent app or user is
// ENOTFOUND, an unknown role EINVALID.
func (db *DB) SetMember(ctx context.Context, appID int64, userID string, role torque.Role) (*torque.Member, error) {
	if !role.Valid() {
		return nil, torque.Invalid("invalid member", map[string]string{"role": fmt.Sprintf("unknown role %q", role)})
	}
	if !isText(userID) {
		return nil, torque.Errorf(torque.ENOTFOUND, "user %q not found", userID)
	}
	now := storedTime(time.Now())
	var m *torque.Member
	err := db.InTx(ctx, func(tx *Tx) error {
		// The SELECT inserts nothing when the app or the user is absent,
		// whether or not the database enforces foreign keys.
		res, err := tx.tx.ExecContext(ctx, db.d.rebind(
			`INSERT INTO app_members (app_id, user_id, role, created_at)
			SELECT a.id, u.id, ?, ? FROM apps a, users u WHERE a.id = ? AND u.id = ?
			ON CONFLICT (app_id, user_id) DO UPDATE SET role = excluded.role`),
			string(role), db.d.timeArg(now), appID, userID)
		if db.d.isForeignKey(err) {
			// The app or the user was deleted meanwhile.
			return torque.Errorf(torque.ENOTFOUND, "app %d or user %q not found", appID, userID)
		}
		if err := oneRow(res, err, fmt.Sprintf("set member %q of app %d", userID, appID), func() error {
			return tx.missingAppOrUser(ctx, appID, userID)
		}); err != nil {
			return err
		}
		m, err = scanMember(tx.tx.QueryRowContext(ctx, db.d.rebind(
			memberSelect+" WHERE m.app_id = ? AND m.user_id = ?"), appID, userID))
		if err != nil {
			return fmt.Errorf("set member %q of app %d: %w", userID, appID, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// missingAppOrUser returns the ENOTFOUND of whichever of the app and the
// user is absent.
func (tx *Tx) missingAppOrUser(ctx context.Context, appID int64, userID string) error {
	var one int
	err := tx.tx.QueryRowContext(ctx, tx.db.d.rebind("SELECT 1 FROM apps WHERE id = ?"), appID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return torque.Errorf(torque.ENOTFOUND, "app %d not found", appID)
	} else if err != nil {
		return fmt.Errorf("get app %d: %w", appID, err)
	}
	err = tx.tx.QueryRowContext(ctx, tx.db.d.rebind("SELECT 1 FROM users WHERE id = ?"), userID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return torque.Errorf(torque.ENOTFOUND, "user %q not found", userID)
	} else if err != nil {
		return fmt.Errorf("get user %q: %w", userID, err)
	}
	return fmt.Errorf("set member %q of app %d: no row written", userID, appID)
}

// Member returns a user's membership of an app, or ENOTFOUND.
func (db *DB) Member(ctx context.Context, appID int64, userID string) (*torque.Member, error) {
	if !isText(userID) {
		return nil, errNoMember(appID, userID)
	}
	m, err := scanMember(db.reader.QueryRowContext(ctx, db.d.rebind(
		memberSelect+" WHERE m.app_id = ? AND m.user_id = ?"), appID, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoMember(appID, userID)
	} else if err != nil {
		return nil, fmt.Errorf("get member %q of app %d: %w", userID, appID, err)
	}
	return m, nil
}

// Role returns a user's role in an app, or "" with no error when the user
// has none. It is one read of the key, from a prepared statement: cheap
// enough for every request.
func (db *DB) Role(ctx context.Context, appID int64, userID string) (torque.Role, error) {
	if !isText(userID) {
		return "", nil
	}
	var role string
	err := db.read().queryRow(ctx, "SELECT role FROM app_members WHERE app_id = ? AND user_id = ?", appID, userID).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("get role of user %q in app %d: %w", userID, appID, err)
	}
	return torque.Role(role), nil
}

// Members returns the members of an app, by email; none for an absent app.
func (db *DB) Members(ctx context.Context, appID int64) ([]*torque.Member, error) {
	rows, err := db.reader.QueryContext(ctx, db.d.rebind(memberSelect+" WHERE m.app_id = ? ORDER BY u.email"), appID)
	if err != nil {
		return nil, fmt.Errorf("list members of app %d: %w", appID, err)
	}
	defer rows.Close()
	out := []*torque.Member{}
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, fmt.Errorf("list members of app %d: %w", appID, err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list members of app %d: %w", appID, err)
	}
	return out, nil
}

// DeleteMember takes a user's role in an app away. A user without one is
// ENOTFOUND.
func (db *DB) DeleteMember(ctx context.Context, appID int64, userID string) error {
	if !isText(userID) {
		return errNoMember(appID, userID)
	}
	return db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.tx.ExecContext(ctx, db.d.rebind("DELETE FROM app_members WHERE app_id = ? AND user_id = ?"), appID, userID)
		return oneRow(res, err, fmt.Sprintf("delete member %q of app %d", userID, appID), func() error {
			return errNoMember(appID, userID)
		})
	})
}

// UserRoles returns a user's role in each app it is a member of, by app
// name; an empty map for a user with no roles, or no user.
func (db *DB) UserRoles(ctx context.Context, userID string) (map[string]torque.Role, error) {
	out := make(map[string]torque.Role)
	if !isText(userID) {
		return out, nil
	}
	rows, err := db.reader.QueryContext(ctx, db.d.rebind(
		"SELECT a.name, m.role FROM app_members m JOIN apps a ON a.id = m.app_id WHERE m.user_id = ?"), userID)
	if err != nil {
		return nil, fmt.Errorf("list roles of user %q: %w", userID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var app, role string
		if err := rows.Scan(&app, &role); err != nil {
			return nil, fmt.Errorf("list roles of user %q: %w", userID, err)
		}
		out[app] = torque.Role(role)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list roles of user %q: %w", userID, err)
	}
	return out, nil
}
