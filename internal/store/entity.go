package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/filter"
)

// entityColumns are the columns every entity read selects, in scanEntity's
// order; the type is known from the query.
const entityColumns = "id, data, version, created_at, updated_at, created_by"

// scanEntity reads entityColumns and then extra.
func scanEntity(s scanner, typ string, extra ...any) (*torque.Entity, error) {
	e := &torque.Entity{Type: typ}
	var data []byte
	dest := make([]any, 0, 6+len(extra))
	dest = append(dest, &e.ID, &data, &e.Version, timeScanner{&e.CreatedAt}, timeScanner{&e.UpdatedAt}, &e.CreatedBy)
	if err := s.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	e.Data = data
	return e, nil
}

// Entity returns one entity, or ENOTFOUND.
func (db *DB) Entity(ctx context.Context, appID int64, typ, id string) (*torque.Entity, error) {
	return db.read().entity(ctx, appID, typ, id)
}

// Entity returns one entity as the transaction sees it, or ENOTFOUND.
func (tx *Tx) Entity(ctx context.Context, appID int64, typ, id string) (*torque.Entity, error) {
	return tx.r.entity(ctx, appID, typ, id)
}

func (r runner) entity(ctx context.Context, appID int64, typ, id string) (*torque.Entity, error) {
	if !isText(typ) || !isText(id) {
		return nil, torque.Errorf(torque.ENOTFOUND, "%s %s not found", typ, id)
	}
	e, err := scanEntity(r.queryRow(ctx,
		"SELECT "+entityColumns+" FROM entities WHERE app_id = ? AND type = ? AND id = ?",
		appID, typ, id), typ)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, torque.Errorf(torque.ENOTFOUND, "%s %s not found", typ, id)
	} else if err != nil {
		return nil, fmt.Errorf("get %s %s: %w", typ, id, err)
	}
	return e, nil
}

// EntitiesByID returns the entities of type typ with the given ids, in no
// particular order; ids that do not exist are skipped.
func (db *DB) EntitiesByID(ctx context.Context, appID int64, typ string, ids []string) ([]*torque.Entity, error) {
	return db.read().entitiesByID(ctx, appID, typ, ids)
}

// EntitiesByID is DB.EntitiesByID inside the transaction.
func (tx *Tx) EntitiesByID(ctx context.Context, appID int64, typ string, ids []string) ([]*torque.Entity, error) {
	return tx.r.entitiesByID(ctx, appID, typ, ids)
}

func (r runner) entitiesByID(ctx context.Context, appID int64, typ string, ids []string) ([]*torque.Entity, error) {
	ids = textOnly(ids)
	if len(ids) == 0 || !isText(typ) {
		return []*torque.Entity{}, nil
	}
	cond, arg := r.d.inList("id", "?", ids)
	rows, err := r.query(ctx,
		"SELECT "+entityColumns+" FROM entities WHERE app_id = ? AND type = ? AND "+cond, appID, typ, arg)
	if err != nil {
		return nil, fmt.Errorf("get %s by id: %w", typ, err)
	}
	defer rows.Close()
	out := make([]*torque.Entity, 0, len(ids))
	for rows.Next() {
		e, err := scanEntity(rows, typ)
		if err != nil {
			return nil, fmt.Errorf("get %s by id: %w", typ, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("get %s by id: %w", typ, err)
	}
	return out, nil
}

// LinkedIDs returns the many-to-many links of relation rel touching ids in
// one query. Forward maps each from_id in ids to its to_ids; otherwise each
// to_id in ids to its from_ids. The lists are in id order; ids without links
// are absent from the map.
func (db *DB) LinkedIDs(ctx context.Context, appID int64, rel string, ids []string, forward bool) (map[string][]string, error) {
	return db.read().linkedIDs(ctx, appID, rel, ids, forward)
}

// LinkedIDs is DB.LinkedIDs inside the transaction.
func (tx *Tx) LinkedIDs(ctx context.Context, appID int64, rel string, ids []string, forward bool) (map[string][]string, error) {
	return tx.r.linkedIDs(ctx, appID, rel, ids, forward)
}

func (r runner) linkedIDs(ctx context.Context, appID int64, rel string, ids []string, forward bool) (map[string][]string, error) {
	out := make(map[string][]string)
	if ids = textOnly(ids); len(ids) == 0 || !isText(rel) {
		return out, nil
	}
	key, other := "from_id", "to_id"
	if !forward {
		key, other = other, key
	}
	cond, arg := r.d.inList(key, "?", ids)
	rows, err := r.query(ctx,
		"SELECT "+key+", "+other+" FROM links WHERE app_id = ? AND rel = ? AND "+cond+" ORDER BY "+key+", "+other,
		appID, rel, arg)
	if err != nil {
		return nil, fmt.Errorf("linked ids of %s: %w", rel, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("linked ids of %s: %w", rel, err)
		}
		out[k] = append(out[k], v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("linked ids of %s: %w", rel, err)
	}
	return out, nil
}

// textOnly drops the ids that cannot exist (see isText).
func textOnly(ids []string) []string {
	for i, id := range ids {
		if !isText(id) {
			out := append([]string(nil), ids[:i]...)
			for _, id := range ids[i+1:] {
				if isText(id) {
					out = append(out, id)
				}
			}
			return out
		}
	}
	return ids
}

// checkEntity refuses an entity storage could not keep or query.
func checkEntity(e *torque.Entity) error {
	switch {
	case e.ID == "" || !isText(e.ID):
		return torque.Invalid("invalid entity", map[string]string{"id": "must be non-empty UTF-8 text"})
	case e.Type == "" || !isText(e.Type):
		return torque.Invalid("invalid entity", map[string]string{"type": "must be non-empty UTF-8 text"})
	}
	return checkData(e.Data)
}

// dataError turns the database's refusal of a JSON value (PostgreSQL's
// jsonb takes no \u0000, for one) into EINVALID.
func dataError(d dialect, err error) error {
	if d.isDataError(err) {
		return torque.Invalid("invalid entity", map[string]string{"data": "cannot be stored: " + err.Error()})
	}
	return nil
}

// checkData requires a JSON object: SQLite would store anything, and the
// JSON functions of every later query would then fail.
func checkData(data json.RawMessage) error {
	i := 0
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	if i == len(data) || data[i] != '{' || !json.Valid(data) {
		return torque.Invalid("invalid entity", map[string]string{"data": "must be a JSON object"})
	}
	if bytes.Contains(data, []byte(`\u0000`)) && hasNUL(data) {
		return torque.Invalid("invalid entity", map[string]string{"data": "must not contain \\u0000"})
	}
	return nil
}

// hasNUL reports whether a key or string of the JSON value holds a NUL
// character, which PostgreSQL's jsonb refuses; it is refused on both
// dialects alike.
func hasNUL(data []byte) bool {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return false
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch x := v.(type) {
		case string:
			return strings.IndexByte(x, 0) >= 0
		case []any:
			for _, e := range x {
				if walk(e) {
					return true
				}
			}
		case map[string]any:
			for k, e := range x {
				if strings.IndexByte(k, 0) >= 0 || walk(e) {
					return true
				}
			}
		}
		return false
	}
	return walk(v)
}

// InsertEntity stores a new entity. The caller sets ID (a UUIDv7), Type,
// Data, Version, CreatedBy ("" for the system) and the timestamps, which are
// stored (and left in e) as UTC with microsecond precision. An existing id
// is ECONFLICT.
func (tx *Tx) InsertEntity(ctx context.Context, appID int64, e *torque.Entity) error {
	if err := checkEntity(e); err != nil {
		return err
	}
	if !isText(e.CreatedBy) {
		return torque.Invalid("invalid entity", map[string]string{"createdBy": "must be UTF-8 text"})
	}
	e.CreatedAt, e.UpdatedAt = storedTime(e.CreatedAt), storedTime(e.UpdatedAt)
	d := tx.db.d
	_, err := tx.r.exec(ctx,
		"INSERT INTO entities (app_id, type, id, data, version, created_at, updated_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		appID, e.Type, e.ID, string(e.Data), e.Version, d.timeArg(e.CreatedAt), d.timeArg(e.UpdatedAt), e.CreatedBy)
	if d.isUnique(err) {
		return torque.Errorf(torque.ECONFLICT, "%s %s already exists", e.Type, e.ID)
	} else if derr := dataError(d, err); derr != nil {
		return derr
	} else if err != nil {
		return fmt.Errorf("insert %s %s: %w", e.Type, e.ID, err)
	}
	return nil
}

// UpdateEntity replaces the data of an entity whose stored version is base.
// The caller sets e.Version (base+1) and e.UpdatedAt. The stored CreatedAt
// and CreatedBy never change; those of e are ignored. A missing entity is
// ENOTFOUND, another version ECONFLICT.
func (tx *Tx) UpdateEntity(ctx context.Context, appID int64, e *torque.Entity, base int64) error {
	if err := checkEntity(e); err != nil {
		return err
	}
	e.UpdatedAt = storedTime(e.UpdatedAt)
	d := tx.db.d
	res, err := tx.r.exec(ctx,
		"UPDATE entities SET data = ?, version = ?, updated_at = ? WHERE app_id = ? AND type = ? AND id = ? AND version = ?",
		string(e.Data), e.Version, d.timeArg(e.UpdatedAt), appID, e.Type, e.ID, base)
	if derr := dataError(d, err); derr != nil {
		return derr
	} else if err != nil {
		return fmt.Errorf("update %s %s: %w", e.Type, e.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("update %s %s: %w", e.Type, e.ID, err)
	} else if n == 1 {
		return nil
	}
	var current int64
	err = tx.r.queryRow(ctx,
		"SELECT version FROM entities WHERE app_id = ? AND type = ? AND id = ?", appID, e.Type, e.ID).Scan(&current)
	if errors.Is(err, sql.ErrNoRows) {
		return torque.Errorf(torque.ENOTFOUND, "%s %s not found", e.Type, e.ID)
	} else if err != nil {
		return fmt.Errorf("update %s %s: %w", e.Type, e.ID, err)
	}
	return torque.Errorf(torque.ECONFLICT, "entity changed since version %d: current version %d", base, current)
}

// DeleteEntity removes an entity and every link from or to it. A missing
// entity is ENOTFOUND.
func (tx *Tx) DeleteEntity(ctx context.Context, appID int64, typ, id string) error {
	if !isText(typ) || !isText(id) {
		return torque.Errorf(torque.ENOTFOUND, "%s %s not found", typ, id)
	}
	res, err := tx.r.exec(ctx, "DELETE FROM entities WHERE app_id = ? AND type = ? AND id = ?", appID, typ, id)
	if err != nil {
		return fmt.Errorf("delete %s %s: %w", typ, id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("delete %s %s: %w", typ, id, err)
	} else if n == 0 {
		return torque.Errorf(torque.ENOTFOUND, "%s %s not found", typ, id)
	}
	// Two statements, one per index, rather than an OR the planner may
	// not split.
	for _, q := range []string{
		"DELETE FROM links WHERE app_id = ? AND from_id = ?",
		"DELETE FROM links WHERE app_id = ? AND to_id = ?",
	} {
		if _, err := tx.r.exec(ctx, q, appID, id); err != nil {
			return fmt.Errorf("delete links of %s %s: %w", typ, id, err)
		}
	}
	return nil
}

// Link links fromID to toID through relation rel; linking twice is a no-op.
func (tx *Tx) Link(ctx context.Context, appID int64, rel, fromID, toID string) error {
	if !isText(rel) || !isText(fromID) || !isText(toID) {
		return torque.Invalid("invalid link", map[string]string{"id": "must be UTF-8 text"})
	}
	_, err := tx.r.exec(ctx,
		"INSERT INTO links (app_id, rel, from_id, to_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
		appID, rel, fromID, toID)
	if err != nil {
		return fmt.Errorf("link %s %s to %s: %w", rel, fromID, toID, err)
	}
	return nil
}

// Unlink removes a link; a missing link is ENOTFOUND.
func (tx *Tx) Unlink(ctx context.Context, appID int64, rel, fromID, toID string) error {
	if !isText(rel) || !isText(fromID) || !isText(toID) {
		return torque.Errorf(torque.ENOTFOUND, "no %s link from %s to %s", rel, fromID, toID)
	}
	res, err := tx.r.exec(ctx,
		"DELETE FROM links WHERE app_id = ? AND from_id = ? AND rel = ? AND to_id = ?",
		appID, fromID, rel, toID)
	if err != nil {
		return fmt.Errorf("unlink %s %s from %s: %w", rel, fromID, toID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("unlink %s %s from %s: %w", rel, fromID, toID, err)
	} else if n == 0 {
		return torque.Errorf(torque.ENOTFOUND, "no %s link from %s to %s", rel, fromID, toID)
	}
	return nil
}

// Count returns how many entities of type typ match where (nil: all).
func (db *DB) Count(ctx context.Context, appID int64, typ string, fields FieldTypes, where filter.Expr) (int64, error) {
	return db.read().count(ctx, appID, typ, fields, where, nil)
}

// Count is DB.Count inside the transaction.
func (tx *Tx) Count(ctx context.Context, appID int64, typ string, fields FieldTypes, where filter.Expr) (int64, error) {
	return tx.r.count(ctx, appID, typ, fields, where, nil)
}

// IDs returns the ids of the entities of type typ matching where, in id
// order, at most limit of them (limit <= 0: all).
func (db *DB) IDs(ctx context.Context, appID int64, typ string, fields FieldTypes, where filter.Expr, limit int) ([]string, error) {
	return db.read().ids(ctx, appID, typ, fields, where, limit)
}

// IDs is DB.IDs inside the transaction.
func (tx *Tx) IDs(ctx context.Context, appID int64, typ string, fields FieldTypes, where filter.Expr, limit int) ([]string, error) {
	return tx.r.ids(ctx, appID, typ, fields, where, limit)
}

// List returns a page of entities of type typ.
func (db *DB) List(ctx context.Context, appID int64, typ string, q Query) (*torque.EntityPage, error) {
	return db.read().list(ctx, appID, typ, q)
}

// List is DB.List inside the transaction.
func (tx *Tx) List(ctx context.Context, appID int64, typ string, q Query) (*torque.EntityPage, error) {
	return tx.r.list(ctx, appID, typ, q)
}
