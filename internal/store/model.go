package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/torquehq/torque"
)

type scanner interface{ Scan(dest ...any) error }

// scanModel reads id, name, version, doc, created_at, updated_at.
func scanModel(s scanner) (*torque.Model, error) {
	var (
		id, name         string
		version          int64
		doc              []byte
		created, updated time.Time
	)
	if err := s.Scan(&id, &name, &version, &doc, timeScanner{&created}, timeScanner{&updated}); err != nil {
		return nil, err
	}
	m := &torque.Model{}
	if err := json.Unmarshal(doc, m); err != nil {
		return nil, fmt.Errorf("decode model %q: %w", name, err)
	}
	m.ID, m.Name, m.Version = id, name, version
	m.CreatedAt, m.UpdatedAt = &created, &updated
	return m, nil
}

// Models returns the latest version of every model, by name.
func (db *DB) Models(ctx context.Context) ([]*torque.Model, error) {
	rows, err := db.reader.QueryContext(ctx,
		"SELECT id, name, version, doc, created_at, updated_at FROM models ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("list models: %w", err)
	}
	defer rows.Close()
	var out []*torque.Model
	for rows.Next() {
		m, err := scanModel(rows)
		if err != nil {
			return nil, fmt.Errorf("list models: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list models: %w", err)
	}
	return out, nil
}

// Model returns the latest version of the model named name.
func (db *DB) Model(ctx context.Context, name string) (*torque.Model, error) {
	if !isText(name) {
		return nil, torque.Errorf(torque.ENOTFOUND, "model %q not found", name)
	}
	m, err := scanModel(db.reader.QueryRowContext(ctx, db.d.rebind(
		"SELECT id, name, version, doc, created_at, updated_at FROM models WHERE name = ?"), name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, torque.Errorf(torque.ENOTFOUND, "model %q not found", name)
	} else if err != nil {
		return nil, fmt.Errorf("get model %q: %w", name, err)
	}
	return m, nil
}

// ModelVersion returns the current version number of the model named name:
// a cheap check that a cached copy is still current.
func (db *DB) ModelVersion(ctx context.Context, name string) (int64, error) {
	if !isText(name) {
		return 0, torque.Errorf(torque.ENOTFOUND, "model %q not found", name)
	}
	var v int64
	err := db.read().queryRow(ctx, "SELECT version FROM models WHERE name = ?", name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, torque.Errorf(torque.ENOTFOUND, "model %q not found", name)
	} else if err != nil {
		return 0, fmt.Errorf("get version of model %q: %w", name, err)
	}
	return v, nil
}

// ModelVersions lists the kept versions of a model, newest first, without
// their documents.
func (db *DB) ModelVersions(ctx context.Context, name string) ([]torque.ModelVersion, error) {
	return db.ModelVersionPage(ctx, name, VersionPage{})
}

// VersionPage selects kept versions of a model for ModelVersionPage.
type VersionPage struct {
	// First is how many versions at most (0: every one).
	First int
	// Before, when above 0, keeps the versions older than it.
	Before int64
	// Documents reads each version's document too (ModelVersion.Model).
	Documents bool
}

// ModelVersionPage lists kept versions of a model, newest first, as p
// selects them, in one query; with p.Documents each carries its model as it
// was (its UpdatedAt is when the version was stored). A model without
// versions in p is an empty list; an absent model ENOTFOUND.
func (db *DB) ModelVersionPage(ctx context.Context, name string, p VersionPage) ([]torque.ModelVersion, error) {
	if !isText(name) {
		return nil, torque.Errorf(torque.ENOTFOUND, "model %q not found", name)
	}
	cols := "v.version, v.created_at"
	if p.Documents {
		cols = "m.id, m.name, v.version, v.doc, m.created_at, v.created_at"
	}
	q := "SELECT " + cols + " FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = ?"
	args := []any{name}
	if p.Before > 0 {
		q += " AND v.version < ?"
		args = append(args, p.Before)
	}
	q += " ORDER BY v.version DESC"
	if p.First > 0 {
		q += " LIMIT ?"
		args = append(args, p.First)
	}
	rows, err := db.reader.QueryContext(ctx, db.d.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("list versions of model %q: %w", name, err)
	}
	defer rows.Close()
	var out []torque.ModelVersion
	for rows.Next() {
		var v torque.ModelVersion
		if p.Documents {
			m, err := scanModel(rows)
			if err != nil {
				return nil, fmt.Errorf("list versions of model %q: %w", name, err)
			}
			v = torque.ModelVersion{Version: m.Version, CreatedAt: *m.UpdatedAt, Model: m}
		} else if err := rows.Scan(&v.Version, timeScanner{&v.CreatedAt}); err != nil {
			return nil, fmt.Errorf("list versions of model %q: %w", name, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list versions of model %q: %w", name, err)
	}
	if len(out) == 0 {
		// Every model keeps at least the version it was created at: none
		// at all means no model; none in p may mean an old page.
		if _, err := db.ModelVersion(ctx, name); err != nil {
			return nil, err
		}
		return []torque.ModelVersion{}, nil
	}
	return out, nil
}

// ModelAtVersion returns a model as it was at version v. Its UpdatedAt is
// when that version was stored.
func (db *DB) ModelAtVersion(ctx context.Context, name string, v int64) (*torque.Model, error) {
	if !isText(name) {
		return nil, torque.Errorf(torque.ENOTFOUND, "model %q not found", name)
	}
	m, err := scanModel(db.reader.QueryRowContext(ctx, db.d.rebind(
		`SELECT m.id, m.name, v.version, v.doc, m.created_at, v.created_at
		FROM model_versions v JOIN models m ON m.id = v.model_id
		WHERE m.name = ? AND v.version = ?`), name, v))
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := db.Model(ctx, name); err != nil {
			return nil, err
		}
		return nil, torque.Errorf(torque.ENOTFOUND, "model %q has no version %d", name, v)
	} else if err != nil {
		return nil, fmt.Errorf("get model %q version %d: %w", name, v, err)
	}
	return m, nil
}

// CreateModel stores a new model and its first version row, keeping
// m.Version as given. It sets m.ID (a UUIDv7), m.CreatedAt and m.UpdatedAt.
// A taken name is ECONFLICT. The functions in also run inside the
// transaction after the write (to record events and audit entries that are
// kept exactly when the write is); an error of theirs undoes it.
func (db *DB) CreateModel(ctx context.Context, m *torque.Model, also ...func(*Tx) error) error {
	if m.Name == "" || !isText(m.Name) {
		return torque.Invalid("invalid model", map[string]string{"name": "must be non-empty UTF-8 text"})
	}
	id, err := uuid.NewV7()
	if err != nil {
		return fmt.Errorf("create model: %w", err)
	}
	doc, err := json.Marshal(m.Document())
	if err != nil {
		return fmt.Errorf("create model %q: encode: %w", m.Name, err)
	}
	now := storedTime(time.Now())
	err = db.InTx(ctx, func(tx *Tx) error {
		_, err := tx.tx.ExecContext(ctx, db.d.rebind(
			"INSERT INTO models (id, name, version, doc, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)"),
			id.String(), m.Name, m.Version, string(doc), db.d.timeArg(now), db.d.timeArg(now))
		if db.d.isUnique(err) {
			return torque.Errorf(torque.ECONFLICT, "model %q already exists", m.Name)
		} else if err != nil {
			return fmt.Errorf("create model %q: %w", m.Name, err)
		}
		if err := tx.insertModelVersion(ctx, id.String(), m.Name, m.Version, doc, now); err != nil {
			return err
		}
		m.ID = id.String()
		return runAlso(tx, also)
	})
	if err != nil {
		return err
	}
	created, updated := now, now
	m.ID, m.CreatedAt, m.UpdatedAt = id.String(), &created, &updated
	return nil
}

func (tx *Tx) insertModelVersion(ctx context.Context, id, name string, version int64, doc []byte, at time.Time) error {
	_, err := tx.tx.ExecContext(ctx, tx.db.d.rebind(
		"INSERT INTO model_versions (model_id, version, doc, created_at) VALUES (?, ?, ?, ?)"),
		id, version, string(doc), tx.db.d.timeArg(at))
	if tx.db.d.isUnique(err) {
		return torque.Errorf(torque.ECONFLICT, "model %q already has a version %d", name, version)
	} else if err != nil {
		return fmt.Errorf("store version %d of model %q: %w", version, name, err)
	}
	return nil
}

// UpdateModel replaces the model named m.Name when its stored version is
// base (compare-and-swap), and keeps the new document as version m.Version,
// which must be greater than base. A stale base is ECONFLICT naming the
// current version (in the error's Conflict); an absent model ENOTFOUND. It
// sets m.ID, m.CreatedAt and m.UpdatedAt. The functions in also run inside
// the transaction after the write, as in CreateModel.
func (db *DB) UpdateModel(ctx context.Context, m *torque.Model, base int64, also ...func(*Tx) error) error {
	if !isText(m.Name) {
		return torque.Errorf(torque.ENOTFOUND, "model %q not found", m.Name)
	}
	if m.Version <= base {
		return torque.Invalid("invalid model version",
			map[string]string{"version": fmt.Sprintf("must be greater than %d, got %d", base, m.Version)})
	}
	doc, err := json.Marshal(m.Document())
	if err != nil {
		return fmt.Errorf("update model %q: encode: %w", m.Name, err)
	}
	now := storedTime(time.Now())
	var (
		id      string
		created time.Time
	)
	err = db.InTx(ctx, func(tx *Tx) error {
		err := tx.tx.QueryRowContext(ctx, db.d.rebind(
			`UPDATE models SET version = ?, doc = ?, updated_at = ? WHERE name = ? AND version = ?
			RETURNING id, created_at`),
			m.Version, string(doc), db.d.timeArg(now), m.Name, base).Scan(&id, timeScanner{&created})
		if errors.Is(err, sql.ErrNoRows) {
			var current int64
			err := tx.tx.QueryRowContext(ctx, db.d.rebind("SELECT version FROM models WHERE name = ?"), m.Name).Scan(&current)
			if errors.Is(err, sql.ErrNoRows) {
				return torque.Errorf(torque.ENOTFOUND, "model %q not found", m.Name)
			} else if err != nil {
				return fmt.Errorf("update model %q: %w", m.Name, err)
			}
			e := torque.Errorf(torque.ECONFLICT, "model %q changed since version %d: current version %d", m.Name, base, current)
			e.Conflict = &torque.Conflict{Version: current}
			return e
		} else if err != nil {
			return fmt.Errorf("update model %q: %w", m.Name, err)
		}
		if err := tx.insertModelVersion(ctx, id, m.Name, m.Version, doc, now); err != nil {
			return err
		}
		m.ID = id
		return runAlso(tx, also)
	})
	if err != nil {
		return err
	}
	updated := now
	m.ID, m.CreatedAt, m.UpdatedAt = id, &created, &updated
	return nil
}

// DeleteModel removes a model and its versions. A model some app uses is
// ECONFLICT, naming the apps. The functions in also run inside the
// transaction after the delete, as in CreateModel.
func (db *DB) DeleteModel(ctx context.Context, name string, also ...func(*Tx) error) error {
	if !isText(name) {
		return torque.Errorf(torque.ENOTFOUND, "model %q not found", name)
	}
	return db.InTx(ctx, func(tx *Tx) error {
		rows, err := tx.tx.QueryContext(ctx, db.d.rebind("SELECT name FROM apps WHERE model = ? ORDER BY name"), name)
		if err != nil {
			return fmt.Errorf("delete model %q: %w", name, err)
		}
		var apps []string
		for rows.Next() {
			var a string
			if err := rows.Scan(&a); err != nil {
				rows.Close()
				return fmt.Errorf("delete model %q: %w", name, err)
			}
			apps = append(apps, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("delete model %q: %w", name, err)
		}
		if len(apps) > 0 {
			return torque.Errorf(torque.ECONFLICT, "model %q is used by apps: %s", name, strings.Join(apps, ", "))
		}
		if _, err := tx.tx.ExecContext(ctx, db.d.rebind(
			"DELETE FROM model_versions WHERE model_id IN (SELECT id FROM models WHERE name = ?)"), name); err != nil {
			return fmt.Errorf("delete model %q: versions: %w", name, err)
		}
		res, err := tx.tx.ExecContext(ctx, db.d.rebind("DELETE FROM models WHERE name = ?"), name)
		if db.d.isForeignKey(err) {
			// An app made from the model committed after the check above.
			return torque.Errorf(torque.ECONFLICT, "model %q is used by an app", name)
		} else if err != nil {
			return fmt.Errorf("delete model %q: %w", name, err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("delete model %q: %w", name, err)
		} else if n == 0 {
			return torque.Errorf(torque.ENOTFOUND, "model %q not found", name)
		}
		return runAlso(tx, also)
	})
}

// runAlso runs the functions a write was given to run in its transaction.
func runAlso(tx *Tx, also []func(*Tx) error) error {
	for _, fn := range also {
		if err := fn(tx); err != nil {
			return err
		}
	}
	return nil
}

// HoldModel returns the current version of the model named name as the
// write transaction sees it, and keeps it the current version until the
// transaction ends: an entity write calls it first, and compares the
// version with the one it validated its data against. On PostgreSQL it
// takes a shared lock on the model (a model write that checks stored
// records holds it exclusively, see LockModel, so the two wait for each
// other instead of missing each other) and then reads the version, which
// after the wait is the version the model write committed. On SQLite write
// transactions never overlap, and the read sees a model write made earlier
// in the same group commit.
func (tx *Tx) HoldModel(ctx context.Context, name string) (int64, error) {
	if err := tx.db.d.lockShared(ctx, tx.tx, tx.db.modelLockKey(name)); err != nil {
		return 0, fmt.Errorf("hold model %q: %w", name, err)
	}
	var v int64
	err := tx.r.queryRow(ctx, "SELECT version FROM models WHERE name = ?", name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, torque.Errorf(torque.ENOTFOUND, "model %q not found", name)
	} else if err != nil {
		return 0, fmt.Errorf("hold model %q: %w", name, err)
	}
	return v, nil
}

// LockModel waits, on PostgreSQL, until no entity write holds the model
// named name (HoldModel) and keeps new ones waiting until the transaction
// ends: a model write takes it before checking the stored records, so every
// record it does not see is written after it, against its version. The
// lock is fair: entity writes that come later queue behind it. On SQLite it
// does nothing: write transactions never overlap.
func (tx *Tx) LockModel(ctx context.Context, name string) error {
	return tx.db.d.lock(ctx, tx.tx, tx.db.modelLockKey(name))
}

// modelLockKey names the advisory lock of a model. Advisory locks are the
// database's, not the schema's: the key names the schema too.
func (db *DB) modelLockKey(name string) string { return "model/" + db.schema + "/" + name }
