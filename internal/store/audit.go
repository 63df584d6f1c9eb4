package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/torquehq/torque"
)

// AddAudit appends an entry to the audit log and sets e.ID. See Tx.AddAudit.
func (db *DB) AddAudit(ctx context.Context, e *torque.AuditEntry) error {
	return db.InTx(ctx, func(tx *Tx) error { return tx.AddAudit(ctx, e) })
}

// AddAudit appends an entry to the audit log within the transaction, so that
// it is kept exactly when the change it records is, and sets e.ID. The
// caller sets e.At, which is stored (and left in e) as UTC with microsecond
// precision. The texts record what was tried, whatever it was: invalid UTF-8
// and NUL bytes, which no database column keeps, are replaced by U+FFFD (in
// e too). e.Detail, when set, must be a JSON object without \u0000 (which
// PostgreSQL's jsonb refuses): EINVALID otherwise.
func (tx *Tx) AddAudit(ctx context.Context, e *torque.AuditEntry) error {
	if len(e.Detail) > 0 {
		if err := checkDetail(e.Detail); err != nil {
			return err
		}
	}
	e.ActorID, e.Actor, e.Action = auditText(e.ActorID), auditText(e.Actor), auditText(e.Action)
	e.Target, e.IP = auditText(e.Target), auditText(e.IP)
	e.At = storedTime(e.At)
	var actorID, detail any
	if e.ActorID != "" {
		actorID = e.ActorID
	}
	if len(e.Detail) > 0 {
		detail = string(e.Detail)
	}
	d := tx.db.d
	var id int64
	err := tx.r.queryRow(ctx,
		"INSERT INTO audit_log (at, actor_id, actor, action, target, detail, ip) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
		d.timeArg(e.At), actorID, e.Actor, e.Action, e.Target, detail, e.IP).Scan(&id)
	if err != nil {
		return fmt.Errorf("add audit entry %s: %w", e.Action, err)
	}
	e.ID = id
	return nil
}

// auditText makes s storable on both dialects (see isText).
func auditText(s string) string {
	if isText(s) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, string(utf8.RuneError)), "\x00", string(utf8.RuneError))
}

// checkDetail requires a JSON object both dialects store alike.
func checkDetail(detail json.RawMessage) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(detail, &obj); err != nil || obj == nil {
		return torque.Invalid("invalid audit entry", map[string]string{"detail": "must be a JSON object"})
	}
	if hasNUL(detail) {
		return torque.Invalid("invalid audit entry", map[string]string{"detail": "must not contain \\u0000"})
	}
	return nil
}

// Audit returns a page of the audit log, newest first: the entries with IDs
// below q.Before (0: from the newest), of q.Action if set. A limit outside
// 0..torque.MaxPageSize is EINVALID.
func (db *DB) Audit(ctx context.Context, q torque.AuditQuery) (*torque.AuditPage, error) {
	switch {
	case q.Limit < 0 || q.Limit > torque.MaxPageSize:
		return nil, torque.Invalid("invalid audit query",
			map[string]string{"limit": fmt.Sprintf("must be between 1 and %d, or 0 for %d", torque.MaxPageSize, torque.DefaultPageSize)})
	case q.Before < 0:
		return nil, torque.Invalid("invalid audit query", map[string]string{"before": "must not be negative"})
	}
	limit := q.Limit
	if limit == 0 {
		limit = torque.DefaultPageSize
	}
	page := &torque.AuditPage{Items: []*torque.AuditEntry{}}
	if !isText(q.Action) {
		return page, nil
	}
	var (
		conds []string
		args  []any
	)
	if q.Action != "" {
		conds, args = append(conds, "action = ?"), append(args, q.Action)
	}
	if q.Before > 0 {
		conds, args = append(conds, "id < ?"), append(args, q.Before)
	}
	query := "SELECT id, at, actor_id, actor, action, target, detail, ip FROM audit_log"
	if len(conds) > 0 {
		query += " WHERE " + strings.Join(conds, " AND ")
	}
	// One row more than the page tells whether an older page exists.
	query += " ORDER BY id DESC LIMIT " + strconv.Itoa(limit+1)
	rows, err := db.reader.QueryContext(ctx, db.d.rebind(query), args...)
	if err != nil {
		return nil, fmt.Errorf("list audit log: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e := &torque.AuditEntry{}
		var (
			actorID *string
			detail  []byte
		)
		if err := rows.Scan(&e.ID, timeScanner{&e.At}, &actorID, &e.Actor, &e.Action, &e.Target, &detail, &e.IP); err != nil {
			return nil, fmt.Errorf("list audit log: %w", err)
		}
		if actorID != nil {
			e.ActorID = *actorID
		}
		if len(detail) > 0 {
			e.Detail = json.RawMessage(detail)
		}
		page.Items = append(page.Items, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list audit log: %w", err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.NextBefore = page.Items[limit-1].ID
	}
	return page, nil
}
