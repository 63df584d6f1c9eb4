package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/torquehq/torque"
)

// Rule is a rule of a field definition that the stored values of the field
// may break. A model write that adds or tightens a rule asks how many
// records break it before the new model is stored (see FieldBreaches).
type Rule uint8

const (
	RuleRequired  Rule = iota + 1 // a value: absent and null break it
	RuleString                    // a JSON string (or null)
	RuleNumber                    // a JSON number (or null)
	RuleInteger                   // a JSON number with a whole value in the int64 range (or null)
	RuleBoolean                   // true or false (or null)
	RuleOneOf                     // a string among Values (or null)
	RuleMin                       // numbers at least Bound
	RuleMax                       // numbers at most Bound
	RuleMinLength                 // strings of at least Length characters
	RuleMaxLength                 // strings of at most Length characters
	RuleUnique                    // no other record of the app holds the value, compared as values of Type
	RuleValid                     // values Valid accepts: read one by one, not aggregated
	RuleRefers                    // the id (a string) of a record of type Target of the same app (or null)
)

// FieldRule is one rule FieldBreaches checks.
type FieldRule struct {
	Rule   Rule
	Type   torque.FieldType // RuleUnique: how values compare
	Values []string         // RuleOneOf
	Target string           // RuleRefers: the entity type referred to
	Bound  float64          // RuleMin, RuleMax
	Length int              // RuleMinLength, RuleMaxLength
	// Valid reports, for RuleValid, whether a non-null value (decoded
	// JSON, numbers as json.Number) is fine.
	Valid func(v any) bool
}

// Breaches is what FieldBreaches found: how many records break the rule,
// and the value (JSON) of the first of them in id order, which is creation
// order. First is nil when the rule is RuleRequired or nothing breaks it.
type Breaches struct {
	Count int64
	First json.RawMessage
}

// HasEntities reports whether any app made from the model named model holds
// records of entity type typ. It reads one index entry.
func (tx *Tx) HasEntities(ctx context.Context, model, typ string) (bool, error) {
	var one int
	err := tx.tx.QueryRowContext(ctx, tx.db.d.rebind(
		`SELECT 1 FROM entities WHERE app_id IN (SELECT id FROM apps WHERE model = ?) AND type = ? LIMIT 1`),
		model, typ).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("look for %s records of model %q: %w", typ, model, err)
	}
	return true, nil
}

// FieldBreaches counts the records of entity type typ, in every app made
// from the model named model, whose data field breaks r, inside the
// transaction. Every rule but RuleValid is one aggregate query (a count
// over the matching rows, and the first of them); RuleValid reads the
// non-null values one at a time and keeps none. Storage converts no value:
// a stored 3 stays the JSON number 3 whatever the field's type becomes. The
// caller bounds the time with ctx.
func (tx *Tx) FieldBreaches(ctx context.Context, model, typ, field string, r FieldRule) (Breaches, error) {
	if !validFieldName(field) {
		return Breaches{}, fmt.Errorf("check field %q: not a field name", field)
	}
	d := tx.db.d
	e := checkExprs(d, field)
	base := `FROM entities WHERE app_id IN (SELECT id FROM apps WHERE model = ?) AND type = ?`
	args := []any{model, typ}
	var where string
	switch r.Rule {
	case RuleValid:
		return tx.streamBreaches(ctx, base+` AND `+e.jtype+` <> 'null'`, args, e.raw, r.Valid)
	case RuleUnique:
		k, ok := kindOf(r.Type)
		if !ok || k == kindJSON {
			return Breaches{}, fmt.Errorf("check field %q: %s values cannot be unique", field, r.Type)
		}
		// Values are the same when they are the same JSON value: of one
		// type, and equal (3 and 3.0 are, 3 and "3" are not), on both
		// dialects. Objects and arrays are not compared: no unique field
		// holds them, and the type's own check finds them.
		scalar := e.jtype + ` IN (` + e.str + `, ` + e.nums + `, ` + e.bools + `)`
		where = scalar + ` AND (app_id, ` + e.same + `) IN (SELECT app_id, ` + e.same + ` ` + base +
			` AND ` + scalar + ` GROUP BY app_id, ` + e.same + ` HAVING count(*) > 1)`
		args = append(args, model, typ)
	case RuleRefers:
		where = e.jtype + ` <> 'null' AND (` + e.jtype + ` <> ` + e.str + ` OR NOT EXISTS (SELECT 1 FROM entities t
			WHERE t.app_id = entities.app_id AND t.type = ? AND t.id = ` + e.outerText + `))`
		args = append(args, r.Target)
	case RuleRequired:
		where = e.value + ` IS NULL`
	case RuleString:
		where = e.jtype + ` NOT IN ('null', ` + e.str + `)`
	case RuleNumber:
		where = e.jtype + ` NOT IN ('null', ` + e.nums + `)`
	case RuleBoolean:
		where = e.jtype + ` NOT IN ('null', ` + e.bools + `)`
	case RuleInteger:
		where = e.jtype + ` NOT IN ('null', ` + e.nums + `) OR ` + e.fraction
	case RuleOneOf:
		in, arg := d.inList(e.text, "?", r.Values)
		where = e.jtype + ` NOT IN ('null', ` + e.str + `) OR (` + e.jtype + ` = ` + e.str + ` AND NOT (` + in + `))`
		args = append(args, arg)
	case RuleMin, RuleMax:
		op := " < "
		if r.Rule == RuleMax {
			op = " > "
		}
		where = e.number + op + e.bound
		args = append(args, boundArg(d, r.Bound))
	case RuleMinLength, RuleMaxLength:
		op := " < "
		if r.Rule == RuleMaxLength {
			op = " > "
		}
		where = e.jtype + ` = ` + e.str + ` AND ` + e.length + op + `?`
		args = append(args, r.Length)
	default:
		return Breaches{}, fmt.Errorf("check field %q: unknown rule %d", field, r.Rule)
	}
	raw := e.raw
	if r.Rule == RuleRequired {
		raw = "NULL"
	}
	q := `SELECT count(*) OVER (), ` + raw + ` ` + base + ` AND (` + where + `) ORDER BY id LIMIT 1`
	var (
		b     Breaches
		first []byte
	)
	err := tx.tx.QueryRowContext(ctx, d.rebind(q), args...).Scan(&b.Count, &first)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Breaches{}, nil
	case err != nil:
		return Breaches{}, fmt.Errorf("check %s.%s of model %q: %w", typ, field, model, err)
	}
	if first != nil {
		b.First = json.RawMessage(first)
	}
	return b, nil
}

// streamBreaches reads the values selected by from one at a time and counts
// those valid refuses.
func (tx *Tx) streamBreaches(ctx context.Context, from string, args []any, raw string, valid func(any) bool) (Breaches, error) {
	rows, err := tx.tx.QueryContext(ctx, tx.db.d.rebind(`SELECT `+raw+` `+from+` ORDER BY id`), args...)
	if err != nil {
		return Breaches{}, fmt.Errorf("check values: %w", err)
	}
	defer rows.Close()
	var b Breaches
	for rows.Next() {
		var text []byte
		if err := rows.Scan(&text); err != nil {
			return Breaches{}, fmt.Errorf("check values: %w", err)
		}
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return Breaches{}, fmt.Errorf("check values: stored value %q: %w", text, err)
		}
		if valid(v) {
			continue
		}
		if b.Count == 0 {
			b.First = json.RawMessage(bytes.Clone(text))
		}
		b.Count++
	}
	if err := rows.Err(); err != nil {
		return Breaches{}, fmt.Errorf("check values: %w", err)
	}
	return b, nil
}

// checkSQL holds the expressions the checks of one data field are made of.
type checkSQL struct {
	jtype    string // the value's JSON type; NULL when absent
	str      string // jtype of a string
	nums     string // jtype of numbers, as a list
	bools    string // jtype of booleans, as a list
	value    string // the value, NULL when absent or null
	raw      string // the value as JSON text
	text     string // a string value as text
	number   string // a number value as a number, NULL for other types
	bound    string // a placeholder for a bound compared with number
	length   string // the characters of a string value
	fraction string // true for a number that is not whole or beyond int64
	// same is one or more expressions (comma-separated) equal for two
	// scalar values exactly when they are the same JSON value.
	same string
	// outerText is text for a subquery: the outer row's string value.
	outerText string
}

func checkExprs(d dialect, f string) checkSQL {
	if d.typed() {
		num := d.fieldExpr(f, kindNumber)
		return checkSQL{
			jtype: "jsonb_typeof(data->'" + f + "')", str: "'string'", nums: "'number'", bools: "'boolean'",
			value: "(data->>'" + f + "')", raw: "(data->'" + f + "')::text", text: "(data->>'" + f + "')",
			number: num, bound: "CAST(? AS numeric)", length: "char_length(data->>'" + f + "')",
			fraction: "(" + num + " <> trunc(" + num + ") OR " + num + " < -9223372036854775808 OR " +
				num + " > 9223372036854775807)",
			same:      "(data->'" + f + "')", // jsonb equality: typed, numbers by value
			outerText: "(entities.data->>'" + f + "')",
		}
	}
	jt := "json_type(data, '$." + f + "')"
	v := "json_extract(data, '$." + f + "')"
	return checkSQL{
		jtype: jt, str: "'text'", nums: "'integer', 'real'", bools: "'true', 'false'",
		value: v, raw: "(data -> '$." + f + "')", text: v,
		number: "(CASE WHEN " + jt + " IN ('integer', 'real') THEN " + v + " END)", bound: "?",
		length: "length(" + v + ")",
		// CAST to INTEGER saturates at the int64 bounds: a value beyond them,
		// or with a fraction, differs from its cast.
		fraction: "(" + jt + " IN ('integer', 'real') AND " + v + " <> CAST(" + v + " AS INTEGER))",
		// json_extract gives 1 for true and 3 for "3" too: the JSON type
		// (numbers as one) tells them apart.
		same:      "(CASE " + jt + " WHEN 'integer' THEN 'real' ELSE " + jt + " END), " + v,
		outerText: "json_extract(entities.data, '$." + f + "')",
	}
}

// boundArg binds a min or max: exactly, as numeric text, on PostgreSQL.
func boundArg(d dialect, f float64) any {
	if d.typed() {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return f
}
