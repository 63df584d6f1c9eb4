package store

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/filter"
)

// FieldTypes maps the queryable fields of an entity type to their types: the
// model's fields, and reference fields as torque.FieldString.
type FieldTypes map[string]torque.FieldType

// Query selects a page of entities of one type.
type Query struct {
	Fields FieldTypes
	Where  filter.Expr      // nil: every entity; parsed and checked by the caller
	Sort   []filter.SortKey // empty: creation order (id ascending)
	Limit  int              // 1..torque.MaxPageSize; out of range is clamped
	Cursor string           // opaque, from a previous page's NextCursor
	Count  bool             // fill Total with every match (ignoring the cursor)
	Linked *Linked          // restrict to entities linked with one entity
}

// Linked restricts a list to the entities linked (many-to-many) with the
// entity ID through relation Rel. Forward selects entities e with a link
// ID -> e; otherwise links e -> ID.
type Linked struct {
	Rel     string
	ID      string
	Forward bool
}

// column is a field as SQL sees it.
type column struct {
	name   string // as the caller wrote it
	typ    string // its type, for messages
	expr   string
	kind   kind
	system bool // a NOT NULL column of the table
}

var systemColumns = map[string]column{
	"id":        {name: "id", typ: "string", expr: "id", kind: kindString, system: true},
	"type":      {name: "type", typ: "string", expr: "type", kind: kindString, system: true},
	"version":   {name: "version", typ: "integer", expr: "version", kind: kindNumber, system: true},
	"createdAt": {name: "createdAt", typ: "datetime", expr: "created_at", kind: kindTime, system: true},
	"updatedAt": {name: "updatedAt", typ: "datetime", expr: "updated_at", kind: kindTime, system: true},
	"createdBy": {name: "createdBy", typ: "string", expr: "created_by", kind: kindString, system: true},
}

// validFieldName matches ^[A-Za-z][A-Za-z0-9_]{0,47}$: the only names that
// are ever written into SQL text.
func validFieldName(s string) bool {
	if len(s) == 0 || len(s) > 48 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		case i > 0 && (c >= '0' && c <= '9' || c == '_'):
		default:
			return false
		}
	}
	return true
}

// resolve returns the column of field name, or what is wrong with it.
func resolve(d dialect, fields FieldTypes, name string) (column, string) {
	if c, ok := systemColumns[name]; ok {
		return c, ""
	}
	if !validFieldName(name) {
		return column{}, fmt.Sprintf("invalid field name %q", name)
	}
	t, ok := fields[name]
	if !ok {
		return column{}, fmt.Sprintf("unknown field %q", name)
	}
	k, ok := kindOf(t)
	if !ok {
		return column{}, fmt.Sprintf("field %q has unknown type %q", name, t)
	}
	return column{name: name, typ: string(t), expr: d.fieldExpr(name, k), kind: k}, ""
}

func invalidFilter(format string, args ...any) error {
	return torque.Invalid("invalid filter", map[string]string{"filter": fmt.Sprintf(format, args...)})
}

// Limits on a compiled filter, far above anything written by hand; they keep
// generated filters within what SQLite and PostgreSQL accept.
const (
	maxFilterDepth = 100
	maxFilterArgs  = 10000
)

// builder accumulates SQL text and its arguments, numbering placeholders in
// the dialect's way.
type builder struct {
	d    dialect
	sb   strings.Builder
	args []any
}

func (b *builder) add(s ...string) {
	for _, x := range s {
		b.sb.WriteString(x)
	}
}

// arg binds v and returns its placeholder, to be written next.
func (b *builder) arg(v any) string {
	b.args = append(b.args, v)
	return b.d.placeholder(len(b.args))
}

// where compiles a filter. Every literal is bound; every field is resolved
// against fields; a literal of the wrong type is EINVALID naming the field.
func (b *builder) where(fields FieldTypes, e filter.Expr, depth int) error {
	if depth > maxFilterDepth {
		return invalidFilter("nested more than %d levels deep", maxFilterDepth)
	}
	if len(b.args) > maxFilterArgs {
		return invalidFilter("more than %d values", maxFilterArgs)
	}
	switch e := e.(type) {
	case *filter.And:
		return b.binary(fields, e.Left, e.Right, " AND ", depth)
	case *filter.Or:
		return b.binary(fields, e.Left, e.Right, " OR ", depth)
	case *filter.Compare:
		return b.compare(fields, e)
	case *filter.In:
		return b.in(fields, e)
	case *filter.IsNull:
		col, problem := resolve(b.d, fields, e.Field)
		if problem != "" {
			return invalidFilter("%s", problem)
		}
		if e.Not {
			b.add(col.expr, " IS NOT NULL")
		} else {
			b.add(col.expr, " IS NULL")
		}
		return nil
	case nil:
		return invalidFilter("empty expression")
	}
	return invalidFilter("unsupported expression %T", e)
}

func (b *builder) binary(fields FieldTypes, l, r filter.Expr, op string, depth int) error {
	b.add("(")
	if err := b.where(fields, l, depth+1); err != nil {
		return err
	}
	b.add(op)
	if err := b.where(fields, r, depth+1); err != nil {
		return err
	}
	b.add(")")
	return nil
}

func (b *builder) compare(fields FieldTypes, e *filter.Compare) error {
	col, problem := resolve(b.d, fields, e.Field)
	if problem != "" {
		return invalidFilter("%s", problem)
	}
	if e.Value == nil {
		switch e.Op {
		case filter.OpEq:
			b.add(col.expr, " IS NULL")
		case filter.OpNe:
			b.add(col.expr, " IS NOT NULL")
		default:
			return invalidFilter("%s %s null: only = and != compare with null", e.Field, e.Op)
		}
		return nil
	}
	if e.Op == filter.OpContains {
		s, ok := e.Value.(string)
		if !ok || col.kind != kindString {
			return invalidFilter("%s ~ %s: ~ needs a text field and a string", e.Field, describe(e.Value))
		}
		if !isText(s) {
			return invalidFilter("field %q: the string is not UTF-8 text", e.Field)
		}
		b.add(b.d.like(col.expr, b.arg("%"+escapeLike(s)+"%")))
		return nil
	}
	v, err := b.value(col, e.Value)
	if err != nil {
		return err
	}
	switch e.Op {
	case filter.OpEq, filter.OpLt, filter.OpLe, filter.OpGt, filter.OpGe:
		b.add(col.expr, " ", string(e.Op), " ", b.arg(v))
	case filter.OpNe:
		if col.system {
			b.add(col.expr, " <> ", b.arg(v))
		} else {
			// Unlike SQL's <>, true where the field is null.
			b.add(b.d.distinct(col.expr, b.arg(v)))
		}
	default:
		return invalidFilter("unknown operator %q", e.Op)
	}
	return nil
}

func (b *builder) in(fields FieldTypes, e *filter.In) error {
	col, problem := resolve(b.d, fields, e.Field)
	if problem != "" {
		return invalidFilter("%s", problem)
	}
	if len(e.Values) == 0 {
		if e.Not {
			b.add("(1 = 1)")
		} else {
			b.add("(1 = 0)")
		}
		return nil
	}
	if len(e.Values)+len(b.args) > maxFilterArgs {
		return invalidFilter("more than %d values", maxFilterArgs)
	}
	vals := make([]any, len(e.Values))
	for i, x := range e.Values {
		if x == nil {
			return invalidFilter("%s in [...]: null is not a value; use is null", e.Field)
		}
		v, err := b.value(col, x)
		if err != nil {
			return err
		}
		vals[i] = v
	}
	if e.Not && !col.system {
		// Like !=, not in is true where the field is null.
		b.add("(", col.expr, " IS NULL OR ")
	}
	b.add(col.expr)
	if e.Not {
		b.add(" NOT")
	}
	b.add(" IN (")
	for i, v := range vals {
		if i > 0 {
			b.add(", ")
		}
		b.add(b.arg(v))
	}
	b.add(")")
	if e.Not && !col.system {
		b.add(")")
	}
	return nil
}

// value converts a literal to the argument compared with col.
func (b *builder) value(col column, v any) (any, error) {
	mismatch := func() error {
		return invalidFilter("field %q is %s, got %s", col.name, col.typ, describe(v))
	}
	switch col.kind {
	case kindString:
		if s, ok := v.(string); ok {
			if !isText(s) {
				return nil, invalidFilter("field %q: the string is not UTF-8 text", col.name)
			}
			if !col.system && col.typ == string(torque.FieldDateTime) {
				// Stored datetimes are in torque.DateTimeLayout, whose text
				// order is chronological; a literal with another offset or
				// precision is brought to that form.
				t, err := torque.ParseDateTime(s)
				if err != nil {
					return nil, invalidFilter("field %q is a datetime: %q is not RFC 3339", col.name, s)
				}
				return torque.FormatDateTime(t), nil
			}
			return s, nil
		}
	case kindNumber:
		switch n := v.(type) {
		case int64:
			return n, nil
		case float64:
			if !col.system {
				return n, nil
			}
			// The version column is an integer.
			if n == math.Trunc(n) && math.Abs(n) < 1<<63 {
				return int64(n), nil
			}
			return nil, invalidFilter("field %q is an integer, got %s", col.name, strconv.FormatFloat(n, 'g', -1, 64))
		}
	case kindBool:
		if x, ok := v.(bool); ok {
			return b.d.boolArg(x), nil
		}
	case kindTime:
		if s, ok := v.(string); ok {
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return nil, invalidFilter("field %q is a datetime: %q is not RFC 3339", col.name, s)
			}
			return b.d.timeArg(t), nil
		}
	case kindJSON:
		return nil, invalidFilter("field %q holds JSON: only null tests apply", col.name)
	}
	return nil, mismatch()
}

func describe(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64, float64:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("a %T", v)
}

// escapeLike escapes LIKE's wildcards with backslashes.
func escapeLike(s string) string {
	if !strings.ContainsAny(s, `\%_`) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r == '\\' || r == '%' || r == '_' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// scope writes FROM and the WHERE conditions shared by list, count and ids:
// app, type, filter and linked entity.
func (b *builder) scope(appID int64, typ string, fields FieldTypes, where filter.Expr, linked *Linked) error {
	b.add(" FROM entities WHERE app_id = ", b.arg(appID), " AND type = ", b.arg(typ))
	if where != nil {
		b.add(" AND ")
		if err := b.where(fields, where, 0); err != nil {
			return err
		}
	}
	if linked != nil {
		if linked.Forward {
			b.add(" AND id IN (SELECT to_id FROM links WHERE app_id = ", b.arg(appID),
				" AND rel = ", b.arg(linked.Rel), " AND from_id = ", b.arg(linked.ID), ")")
		} else {
			b.add(" AND id IN (SELECT from_id FROM links WHERE app_id = ", b.arg(appID),
				" AND rel = ", b.arg(linked.Rel), " AND to_id = ", b.arg(linked.ID), ")")
		}
	}
	return nil
}

func (r runner) count(ctx context.Context, appID int64, typ string, fields FieldTypes, where filter.Expr, linked *Linked) (int64, error) {
	b := &builder{d: r.d}
	b.add("SELECT count(*)")
	if err := b.scope(appID, typ, fields, where, linked); err != nil {
		return 0, err
	}
	var n int64
	if err := r.q.QueryRowContext(ctx, b.sb.String(), b.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count %s: %w", typ, err)
	}
	return n, nil
}

func (r runner) ids(ctx context.Context, appID int64, typ string, fields FieldTypes, where filter.Expr, limit int) ([]string, error) {
	b := &builder{d: r.d}
	b.add("SELECT id")
	if err := b.scope(appID, typ, fields, where, nil); err != nil {
		return nil, err
	}
	b.add(" ORDER BY id")
	if limit > 0 {
		b.add(" LIMIT ", strconv.Itoa(limit))
	}
	rows, err := r.q.QueryContext(ctx, b.sb.String(), b.args...)
	if err != nil {
		return nil, fmt.Errorf("ids of %s: %w", typ, err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("ids of %s: %w", typ, err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ids of %s: %w", typ, err)
	}
	return out, nil
}
