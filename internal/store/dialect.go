package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/torquehq/torque"
)

// kind is how storage compares and orders the values of a field.
type kind uint8

const (
	kindString kind = iota + 1 // text, in byte order
	kindNumber                 // integer or floating point
	kindBool                   // false before true
	kindTime                   // createdAt and updatedAt
	kindJSON                   // any JSON value: only null tests
)

func (k kind) String() string {
	switch k {
	case kindString:
		return "string"
	case kindNumber:
		return "number"
	case kindBool:
		return "boolean"
	case kindTime:
		return "time"
	case kindJSON:
		return "json"
	}
	return "unknown"
}

// kindOf returns how the values of a field of type t compare. Dates and
// date-times compare as text: their canonical forms sort chronologically.
func kindOf(t torque.FieldType) (kind, bool) {
	switch t {
	case torque.FieldString, torque.FieldText, torque.FieldDate, torque.FieldDateTime,
		torque.FieldEnum, torque.FieldEmail, torque.FieldURL:
		return kindString, true
	case torque.FieldInteger, torque.FieldNumber:
		return kindNumber, true
	case torque.FieldBoolean:
		return kindBool, true
	case torque.FieldJSON:
		return kindJSON, true
	}
	return 0, false
}

// dialect is the seam between SQLite and PostgreSQL: placeholders, JSON
// access, value encodings, index DDL, error classification and locking. All
// other SQL is shared.
type dialect interface {
	name() string
	// rebind turns the ? placeholders of a static query into the dialect's.
	rebind(query string) string
	// placeholder returns the nth (1-based) placeholder.
	placeholder(n int) string
	// fieldExpr returns the expression reading data field f as kind k. It is
	// textually the expression of the field's index, so that the planner
	// matches the two.
	fieldExpr(f string, k kind) string
	// order returns the ORDER BY term for expr; nulls sort lowest on both
	// dialects (first ascending, last descending).
	order(expr string, desc, nullable bool) string
	// distinct returns a test that expr differs from the placeholder ph,
	// true when expr is null.
	distinct(expr, ph string) string
	// like returns a case-insensitive LIKE test with backslash escapes.
	like(expr, ph string) string
	// inList returns a test that col is one of the strings bound to ph, and
	// the argument to bind.
	inList(col, ph string, values []string) (string, any)
	boolArg(b bool) any
	timeArg(t time.Time) any
	// typed reports whether every field expression has one SQL type
	// (PostgreSQL); on SQLite json_extract returns whatever the JSON holds.
	typed() bool
	// cursorNumber converts a number kept in a cursor into an argument for a
	// data field (integer false) or for an integer column (integer true).
	cursorNumber(s string, integer bool) (any, error)
	// index returns the name and the CREATE INDEX statement of the index on
	// data field f compared as kind k.
	index(f string, k kind) (name, ddl string)
	explain(query string) string
	// indexesQuery lists the names of the indexes of the entities table.
	indexesQuery() string
	// analyze returns the statements that gather planner statistics after
	// the indexes named were created.
	analyze(indexes []string) []string
	isUnique(err error) bool
	isForeignKey(err error) bool
	// isDataError reports a value the database refused to store.
	isDataError(err error) bool
	// lock takes a transaction-scoped lock on key.
	lock(ctx context.Context, tx *sql.Tx, key string) error
	// lockShared takes a transaction-scoped lock on key that others may
	// share, but not with lock.
	lockShared(ctx context.Context, tx *sql.Tx, key string) error
}

// rebinder caches the conversion of ? placeholders to $n.
type rebinder struct{ cache sync.Map }

func (r *rebinder) rebind(q string) string {
	if v, ok := r.cache.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	s := b.String()
	r.cache.Store(q, s)
	return s
}

// timeScanner reads a timestamp column: integer unix microseconds on SQLite,
// timestamptz on PostgreSQL. The result is in UTC.
type timeScanner struct{ t *time.Time }

func (s timeScanner) Scan(src any) error {
	switch v := src.(type) {
	case int64:
		*s.t = time.UnixMicro(v).UTC()
	case time.Time:
		*s.t = v.UTC()
	default:
		return fmt.Errorf("timestamp: unexpected %T", src)
	}
	return nil
}

// nullTimeScanner reads a nullable timestamp column: nil for NULL, else as
// timeScanner does.
type nullTimeScanner struct{ t **time.Time }

func (s nullTimeScanner) Scan(src any) error {
	if src == nil {
		*s.t = nil
		return nil
	}
	var t time.Time
	if err := (timeScanner{&t}).Scan(src); err != nil {
		return err
	}
	*s.t = &t
	return nil
}

// nullTimeArg binds a nullable timestamp: NULL for nil, else d.timeArg.
func nullTimeArg(d dialect, t *time.Time) any {
	if t == nil {
		return nil
	}
	return d.timeArg(*t)
}

// isText reports whether s can be stored and compared as text on both
// dialects: valid UTF-8 without NUL bytes, which PostgreSQL refuses. A name
// or id that is not can exist nowhere: lookups by it find nothing.
func isText(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }

// storedTime is t as storage keeps it: UTC, microsecond precision.
func storedTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
