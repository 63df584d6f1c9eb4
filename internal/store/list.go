package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/filter"
)

// sortKey is one key of a page's order.
type sortKey struct {
	col  column
	desc bool
}

// sortKeys resolves a sort and completes it with id, the tie-breaker, in the
// direction of the last key, so that an index (app_id, type, <expr>, id)
// serves a one-key sort in either direction as a single walk. Keys after id
// are dropped: id is unique.
func sortKeys(d dialect, fields FieldTypes, sort []filter.SortKey) ([]sortKey, error) {
	keys := make([]sortKey, 0, len(sort)+1)
	seen := make(map[string]bool, len(sort))
	for _, s := range sort {
		col, problem := resolve(d, fields, s.Field)
		if problem != "" {
			return nil, torque.Invalid("invalid sort", map[string]string{"sort": problem})
		}
		if col.kind == kindJSON {
			return nil, torque.Invalid("invalid sort", map[string]string{"sort": fmt.Sprintf("field %q holds JSON and cannot be sorted", s.Field)})
		}
		if seen[s.Field] {
			return nil, torque.Invalid("invalid sort", map[string]string{"sort": fmt.Sprintf("field %q appears twice", s.Field)})
		}
		seen[s.Field] = true
		keys = append(keys, sortKey{col: col, desc: s.Desc})
		if s.Field == "id" {
			return keys, nil
		}
	}
	desc := len(keys) > 0 && keys[len(keys)-1].desc
	return append(keys, sortKey{col: systemColumns["id"], desc: desc}), nil
}

// signature names an order, to tie cursors to it: the order in the sort
// language.
func signature(keys []sortKey) string {
	fk := make([]filter.SortKey, len(keys))
	for i, k := range keys {
		fk[i] = filter.SortKey{Field: k.col.name, Desc: k.desc}
	}
	return filter.SortString(fk)
}

// listPlan is a compiled List.
//
// The rows after a cursor are cut into segments, each a contiguous stretch
// of the order that one index range serves: for keys k1..kn (kn is id),
// first the rows equal to the cursor on k1..kn-1 with a later id, then
// those equal on k1..kn-2 with a later kn-1, and so on up to the rows with a
// later k1. A later value of a nullable key descending is two ranges, the
// smaller values and then the nulls (nulls are the lowest values on both
// dialects). The page runs the segments in order until it has its rows; the
// first usually suffices. Unlike one OR of the cases, or a row-value
// comparison, which SQLite does not use to seek an expression index, each
// segment seeks straight to the cursor: page N costs what page 1 costs.
type listPlan struct {
	d     dialect
	appID int64
	typ   string
	q     Query
	keys  []sortKey
	extra []int     // indexes of the keys read from data, selected as extra columns
	after []any     // bound values of the cursor, one per key, nil for null
	segs  []segment // nil without a cursor
	limit int
}

// segment selects the rows equal to the cursor on keys before key and whose
// value of key is after the cursor's (cond).
type segment struct {
	key  int
	cond segCond
}

type segCond uint8

const (
	condLater   segCond = iota + 1 // greater ascending, smaller descending
	condNotNull                    // any value: the cursor's is null, ascending
	condNull                       // null: the cursor's is not, descending
)

func planList(d dialect, appID int64, typ string, q Query) (*listPlan, error) {
	keys, err := sortKeys(d, q.Fields, q.Sort)
	if err != nil {
		return nil, err
	}
	p := &listPlan{d: d, appID: appID, typ: typ, q: q, keys: keys, limit: q.Limit}
	if p.limit < 1 {
		p.limit = torque.DefaultPageSize
	} else if p.limit > torque.MaxPageSize {
		p.limit = torque.MaxPageSize
	}
	for i, k := range keys {
		if !k.col.system {
			p.extra = append(p.extra, i)
		}
	}
	if q.Cursor == "" {
		return p, nil
	}
	if p.after, err = decodeCursor(d, q.Cursor, keys); err != nil {
		return nil, err
	}
	for i := len(keys) - 1; i >= 0; i-- {
		k, null := keys[i], p.after[i] == nil
		switch {
		case !k.desc && null:
			p.segs = append(p.segs, segment{i, condNotNull})
		case !k.desc:
			p.segs = append(p.segs, segment{i, condLater})
		case !null:
			p.segs = append(p.segs, segment{i, condLater})
			if !k.col.system {
				p.segs = append(p.segs, segment{i, condNull})
			}
		}
	}
	return p, nil
}

// queries returns how many queries a page may take.
func (p *listPlan) queries() int { return max(1, len(p.segs)) }

// build returns the SQL and arguments of query i, fetching at most n rows.
func (p *listPlan) build(i, n int) (string, []any, error) {
	b := &builder{d: p.d}
	b.add("SELECT ", entityColumns)
	for _, i := range p.extra {
		b.add(", ", p.keys[i].col.expr)
	}
	if err := b.scope(p.appID, p.typ, p.q.Fields, p.q.Where, p.q.Linked); err != nil {
		return "", nil, err
	}
	// Keys equal to the cursor's are constant in a segment and left out of
	// ORDER BY: SQLite would otherwise sort what the index walk gives in
	// order already.
	from := 0
	if p.segs != nil {
		p.segment(b, p.segs[i])
		from = p.segs[i].key
	}
	b.add(" ORDER BY ")
	for j, k := range p.keys[from:] {
		if j > 0 {
			b.add(", ")
		}
		b.add(p.d.order(k.col.expr, k.desc, !k.col.system))
	}
	b.add(" LIMIT ", strconv.Itoa(n))
	return b.sb.String(), b.args, nil
}

func (p *listPlan) segment(b *builder, s segment) {
	for j := 0; j < s.key; j++ {
		if p.after[j] == nil {
			b.add(" AND ", p.keys[j].col.expr, " IS NULL")
		} else {
			b.add(" AND ", p.keys[j].col.expr, " = ", b.arg(p.after[j]))
		}
	}
	k := p.keys[s.key]
	switch s.cond {
	case condNotNull:
		b.add(" AND ", k.col.expr, " IS NOT NULL")
	case condNull:
		b.add(" AND ", k.col.expr, " IS NULL")
	case condLater:
		op := " > "
		if k.desc {
			op = " < "
		}
		b.add(" AND ", k.col.expr, op, b.arg(p.after[s.key]))
	}
}

func (r runner) list(ctx context.Context, appID int64, typ string, q Query) (*torque.EntityPage, error) {
	p, err := planList(r.d, appID, typ, q)
	if err != nil {
		return nil, err
	}
	want := p.limit + 1
	items := make([]*torque.Entity, 0, min(want, 64))
	extra := make([]any, len(p.extra))
	dest := make([]any, len(p.extra))
	for i := range extra {
		dest[i] = &extra[i]
	}
	var last []any // the extra values of item limit-1
	for i := 0; i < p.queries() && len(items) < want; i++ {
		query, args, err := p.build(i, want-len(items))
		if err != nil {
			return nil, err
		}
		if err := r.scanPage(ctx, query, args, typ, dest, func(e *torque.Entity) {
			items = append(items, e)
			if len(items) == p.limit {
				last = append([]any(nil), extra...)
			}
		}); err != nil {
			return nil, err
		}
	}
	page := &torque.EntityPage{Items: items}
	if len(items) > p.limit {
		page.Items = items[:p.limit]
		page.NextCursor = encodeCursor(r.d, p.keys, items[p.limit-1], p.extra, last)
	}
	if q.Count {
		n, err := r.count(ctx, appID, typ, q.Fields, q.Where, q.Linked)
		if err != nil {
			return nil, err
		}
		page.Total = &n
	}
	return page, nil
}

func (r runner) scanPage(ctx context.Context, query string, args []any, typ string, dest []any, add func(*torque.Entity)) error {
	rows, err := r.q.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("list %s: %w", typ, err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEntity(rows, typ, dest...)
		if err != nil {
			return fmt.Errorf("list %s: %w", typ, err)
		}
		add(e)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list %s: %w", typ, err)
	}
	return nil
}

// Explain returns the database's plan for the first query of List(q), one
// line per plan row: EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL.
// On PostgreSQL sequential scans are disabled for the explanation, so the
// plan shows the index a large table would be read through even when the
// table is small enough to be read whole.
func (db *DB) Explain(ctx context.Context, appID int64, typ string, q Query) (string, error) {
	p, err := planList(db.d, appID, typ, q)
	if err != nil {
		return "", err
	}
	query, args, err := p.build(0, p.limit+1)
	if err != nil {
		return "", err
	}
	tx, err := db.reader.BeginTx(ctx, nil)
	if err != nil {
		return "", fmt.Errorf("explain: %w", err)
	}
	defer tx.Rollback()
	if db.d.name() == "postgres" {
		if _, err := tx.ExecContext(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
			return "", fmt.Errorf("explain: %w", err)
		}
	}
	rows, err := tx.QueryContext(ctx, db.d.explain(query), args...)
	if err != nil {
		return "", fmt.Errorf("explain: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", fmt.Errorf("explain: %w", err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var lines []string
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return "", fmt.Errorf("explain: %w", err)
		}
		// The last column is the text: "detail" on SQLite, "QUERY PLAN" on
		// PostgreSQL.
		lines = append(lines, fmt.Sprint(vals[len(vals)-1]))
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("explain: %w", err)
	}
	return strings.Join(lines, "\n"), nil
}
