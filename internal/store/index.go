package store

import (
	"context"
	"fmt"
	"sort"

	"github.com/torquehq/torque"
)

// indexedField is a data field that gets an expression index.
type indexedField struct {
	name string
	kind kind
}

// modelIndexes lists the fields of m that get an index: every field with
// IsIndexed, and the toField of every one-to-one and one-to-many
// relationship, which holds a reference (an id) in the "to" entity's data.
// The list is sorted and free of duplicates.
func modelIndexes(m *torque.Model) []indexedField {
	set := make(map[indexedField]bool)
	for _, t := range m.Entities {
		for i := range t.Fields {
			f := &t.Fields[i]
			if !f.IsIndexed() {
				continue
			}
			if k, ok := kindOf(f.Type); ok && k != kindJSON && validFieldName(f.Name) {
				set[indexedField{f.Name, k}] = true
			}
		}
	}
	for _, r := range m.Relationships {
		if (r.Kind == torque.OneToOne || r.Kind == torque.OneToMany) && validFieldName(r.ToField) {
			set[indexedField{r.ToField, kindString}] = true
		}
	}
	out := make([]indexedField, 0, len(set))
	for f := range set {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].name != out[j].name {
			return out[i].name < out[j].name
		}
		return out[i].kind < out[j].kind
	})
	return out
}

// EnsureIndexes creates the expression indexes (app_id, type, <expr>, id)
// that the model's fields need, unless they exist, and gathers planner
// statistics for the new ones. Indexes are shared by every app whose model
// has such a field; none is ever dropped here. Building an index on a large
// table holds writes to it (SQLite: the writer; PostgreSQL: a SHARE lock)
// until done. On PostgreSQL an advisory lock keeps concurrent callers from
// racing on the same index name.
func (db *DB) EnsureIndexes(ctx context.Context, m *torque.Model) error {
	fields := modelIndexes(m)
	if len(fields) == 0 {
		return nil
	}
	created := false
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.Lock(ctx, "torque:indexes"); err != nil {
			return err
		}
		have, err := tx.indexes(ctx)
		if err != nil {
			return err
		}
		var made []string
		for _, f := range fields {
			name, ddl := db.d.index(f.name, f.kind)
			if have[name] {
				continue
			}
			if _, err := tx.tx.ExecContext(ctx, ddl); err != nil {
				return fmt.Errorf("create index %s: %w", name, err)
			}
			made = append(made, name)
		}
		if len(made) == 0 {
			return nil
		}
		for _, q := range db.d.analyze(made) {
			if _, err := tx.tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("analyze new indexes: %w", err)
			}
		}
		created = true
		return nil
	})
	if err == nil && created && db.readers > 0 {
		db.refreshReaders()
	}
	return err
}

// indexes returns the names of the indexes of the entities table.
func (tx *Tx) indexes(ctx context.Context) (map[string]bool, error) {
	rows, err := tx.tx.QueryContext(ctx, tx.db.d.indexesQuery())
	if err != nil {
		return nil, fmt.Errorf("list indexes: %w", err)
	}
	defer rows.Close()
	have := make(map[string]bool)
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("list indexes: %w", err)
		}
		have[name] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list indexes: %w", err)
	}
	return have, nil
}
