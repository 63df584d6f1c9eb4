package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/torquehq/torque"
)

func scanApp(s scanner) (*torque.App, error) {
	a := &torque.App{}
	if err := s.Scan(&a.ID, &a.Name, &a.Model, timeScanner{&a.CreatedAt}); err != nil {
		return nil, err
	}
	return a, nil
}

// Apps returns every app, by name.
func (db *DB) Apps(ctx context.Context) ([]*torque.App, error) {
	rows, err := db.reader.QueryContext(ctx, "SELECT id, name, model, created_at FROM apps ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("list apps: %w", err)
	}
	defer rows.Close()
	var out []*torque.App
	for rows.Next() {
		a, err := scanApp(rows)
		if err != nil {
			return nil, fmt.Errorf("list apps: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list apps: %w", err)
	}
	return out, nil
}

// App returns the app named name, with its storage ID.
func (db *DB) App(ctx context.Context, name string) (*torque.App, error) {
	if !isText(name) {
		return nil, torque.Errorf(torque.ENOTFOUND, "app %q not found", name)
	}
	a, err := scanApp(db.reader.QueryRowContext(ctx, db.d.rebind(
		"SELECT id, name, model, created_at FROM apps WHERE name = ?"), name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, torque.Errorf(torque.ENOTFOUND, "app %q not found", name)
	} else if err != nil {
		return nil, fmt.Errorf("get app %q: %w", name, err)
	}
	return a, nil
}

// CreateApp stores a new app made from the model a.Model and sets a.ID and
// a.CreatedAt. An absent model is ENOTFOUND, a taken name ECONFLICT.
func (db *DB) CreateApp(ctx context.Context, a *torque.App) error {
	if a.Name == "" || !isText(a.Name) {
		return torque.Invalid("invalid app", map[string]string{"name": "must be non-empty UTF-8 text"})
	}
	if !isText(a.Model) {
		return torque.Errorf(torque.ENOTFOUND, "model %q not found", a.Model)
	}
	now := storedTime(time.Now())
	var id int64
	err := db.InTx(ctx, func(tx *Tx) error {
		var one int
		err := tx.tx.QueryRowContext(ctx, db.d.rebind("SELECT 1 FROM models WHERE name = ?"), a.Model).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return torque.Errorf(torque.ENOTFOUND, "model %q not found", a.Model)
		} else if err != nil {
			return fmt.Errorf("create app %q: %w", a.Name, err)
		}
		err = tx.tx.QueryRowContext(ctx, db.d.rebind(
			"INSERT INTO apps (name, model, created_at) VALUES (?, ?, ?) RETURNING id"),
			a.Name, a.Model, db.d.timeArg(now)).Scan(&id)
		switch {
		case db.d.isUnique(err):
			return torque.Errorf(torque.ECONFLICT, "app %q already exists", a.Name)
		case db.d.isForeignKey(err):
			// The model was deleted after the check above.
			return torque.Errorf(torque.ENOTFOUND, "model %q not found", a.Model)
		case err != nil:
			return fmt.Errorf("create app %q: %w", a.Name, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	a.ID, a.CreatedAt = id, now
	return nil
}

// DeleteApp removes an app with all its entities, links and members, in one
// transaction.
func (db *DB) DeleteApp(ctx context.Context, name string) error {
	if !isText(name) {
		return torque.Errorf(torque.ENOTFOUND, "app %q not found", name)
	}
	return db.InTx(ctx, func(tx *Tx) error {
		var id int64
		err := tx.tx.QueryRowContext(ctx, db.d.rebind("SELECT id FROM apps WHERE name = ?"), name).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return torque.Errorf(torque.ENOTFOUND, "app %q not found", name)
		} else if err != nil {
			return fmt.Errorf("delete app %q: %w", name, err)
		}
		for _, q := range []string{
			"DELETE FROM entities WHERE app_id = ?",
			"DELETE FROM links WHERE app_id = ?",
			"DELETE FROM app_members WHERE app_id = ?",
			"DELETE FROM apps WHERE id = ?",
		} {
			if _, err := tx.tx.ExecContext(ctx, db.d.rebind(q), id); err != nil {
				return fmt.Errorf("delete app %q: %w", name, err)
			}
		}
		return nil
	})
}
