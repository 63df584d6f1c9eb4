package filter

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/torquehq/torque"
)

// Check verifies that every field of e exists and that every literal fits
// the type of its field. lookup returns the type of a queryable field: a
// model field, a reference field (string) or a system field (id and type
// string, version integer, createdAt and updatedAt datetime). Errors are
// *torque.Error with code EINVALID and Fields {"filter": problem}.
func Check(e Expr, lookup func(field string) (torque.FieldType, bool)) error {
	if msg := check(e, lookup); msg != "" {
		return filterError(msg)
	}
	return nil
}

func check(e Expr, lookup func(string) (torque.FieldType, bool)) string {
	switch e := e.(type) {
	case nil:
		return ""
	case *And:
		if msg := check(e.Left, lookup); msg != "" {
			return msg
		}
		return check(e.Right, lookup)
	case *Or:
		if msg := check(e.Left, lookup); msg != "" {
			return msg
		}
		return check(e.Right, lookup)
	case *IsNull:
		_, msg := fieldType(e.Field, lookup)
		return msg
	case *Compare:
		t, msg := fieldType(e.Field, lookup)
		if msg != "" {
			return msg
		}
		if t == torque.FieldJSON {
			if e.Value == nil && (e.Op == OpEq || e.Op == OpNe) {
				return ""
			}
			return jsonMessage(e.Field)
		}
		switch e.Op {
		case OpEq, OpNe:
		case OpLt, OpLe, OpGt, OpGe:
			if t == torque.FieldBoolean {
				return fmt.Sprintf("%s is not defined for %s field %q", e.Op, t, e.Field)
			}
		case OpContains:
			if !isStringType(t) {
				return fmt.Sprintf("~ needs a string field: %q is %s", e.Field, t)
			}
			if _, ok := e.Value.(string); !ok {
				return fmt.Sprintf("~ needs a string value, not %s", describe(e.Value))
			}
		default:
			return fmt.Sprintf("unknown operator %q", e.Op)
		}
		if e.Value == nil {
			if e.Op != OpEq && e.Op != OpNe {
				return fmt.Sprintf("%s cannot compare with null", e.Op)
			}
			return ""
		}
		return checkLiteral(e.Field, t, e.Value)
	case *In:
		t, msg := fieldType(e.Field, lookup)
		if msg != "" {
			return msg
		}
		if len(e.Values) == 0 {
			return fmt.Sprintf("in needs at least one value for field %q", e.Field)
		}
		for _, v := range e.Values {
			if v == nil {
				return fmt.Sprintf("null cannot be in a list (field %q)", e.Field)
			}
			if msg := checkLiteral(e.Field, t, v); msg != "" {
				return msg
			}
		}
		return ""
	}
	return fmt.Sprintf("unknown expression %T", e)
}

func fieldType(field string, lookup func(string) (torque.FieldType, bool)) (torque.FieldType, string) {
	t, ok := lookup(field)
	if !ok {
		return "", fmt.Sprintf("unknown field %s", display(field))
	}
	return t, ""
}

// isStringType reports whether values of t are strings in storage.
func isStringType(t torque.FieldType) bool {
	switch t {
	case torque.FieldString, torque.FieldText, torque.FieldEmail, torque.FieldURL, torque.FieldEnum:
		return true
	}
	return false
}

// checkLiteral checks that a non-null literal v can be compared with a field
// of type t.
func checkLiteral(field string, t torque.FieldType, v any) string {
	mismatch := func() string {
		return fmt.Sprintf("field %q is %s: cannot compare with %s", field, t, describe(v))
	}
	switch t {
	case torque.FieldString, torque.FieldText, torque.FieldEmail, torque.FieldURL, torque.FieldEnum:
		if _, ok := v.(string); !ok {
			return mismatch()
		}
	case torque.FieldInteger:
		if _, ok := v.(int64); !ok {
			return mismatch()
		}
	case torque.FieldNumber:
		switch v.(type) {
		case int64, float64:
		default:
			return mismatch()
		}
	case torque.FieldBoolean:
		if _, ok := v.(bool); !ok {
			return mismatch()
		}
	case torque.FieldDate:
		s, ok := v.(string)
		if !ok {
			return mismatch()
		}
		if _, err := torque.ParseDate(s); err != nil {
			return fmt.Sprintf("field %q is date: %s is not a date (YYYY-MM-DD)", field, display(s))
		}
	case torque.FieldDateTime:
		s, ok := v.(string)
		if !ok {
			return mismatch()
		}
		if _, err := torque.ParseDateTime(s); err != nil {
			return fmt.Sprintf("field %q is datetime: %s is not a date and time (RFC 3339, such as \"2026-11-24T17:00:00Z\")", field, display(s))
		}
	case torque.FieldJSON:
		return jsonMessage(field)
	default:
		return fmt.Sprintf("field %q has unknown type %q", field, t)
	}
	return ""
}

func jsonMessage(field string) string {
	return fmt.Sprintf("field %q is json: only is null and is not null apply", field)
}

// describe names a literal for a message: string "high", number 5, true.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return "string " + display(v)
	case int64:
		return "number " + strconv.FormatInt(v, 10)
	case float64:
		return "number " + strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		return "boolean " + strconv.FormatBool(v)
	}
	return fmt.Sprintf("%T", v)
}

// ParseSort parses a sort: comma-separated field names, each ascending or,
// with a "-" prefix, descending ("-priority,title"). Blanks around keys are
// ignored. An empty sort gives nil. Errors are *torque.Error with code
// EINVALID and Fields {"sort": problem}.
func ParseSort(s string) ([]SortKey, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	if len(s) > MaxSortLength {
		return nil, sortError(fmt.Sprintf("sort is longer than %d bytes", MaxSortLength))
	}
	var keys []SortKey
	off := 0
	for i, part := range strings.Split(s, ",") {
		pos := off
		off += len(part) + 1
		if i == MaxSortKeys {
			return nil, sortError(fmt.Sprintf("more than %d sort keys", MaxSortKeys))
		}
		trimmed := strings.TrimLeft(part, " \t")
		pos += len(part) - len(trimmed)
		trimmed = strings.TrimRight(trimmed, " \t")
		k := SortKey{Field: trimmed}
		if strings.HasPrefix(trimmed, "-") {
			k = SortKey{Field: trimmed[1:], Desc: true}
		}
		switch {
		case trimmed == "":
			return nil, sortError(fmt.Sprintf("empty sort key at position %d", position(s, pos)))
		case !torque.IsIdentifier(k.Field):
			return nil, sortError(fmt.Sprintf("invalid sort key %s at position %d", display(trimmed), position(s, pos)))
		}
		for _, prev := range keys {
			if prev.Field == k.Field {
				return nil, sortError(fmt.Sprintf("duplicate sort key %q at position %d", k.Field, position(s, pos)))
			}
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// SortString renders sort keys as ParseSort reads them.
func SortString(keys []SortKey) string {
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		if k.Desc {
			b.WriteByte('-')
		}
		b.WriteString(k.Field)
	}
	return b.String()
}

// CheckSort verifies that every sort key names a sortable field (any field
// lookup knows except json ones).
func CheckSort(keys []SortKey, lookup func(string) (torque.FieldType, bool)) error {
	for _, k := range keys {
		t, ok := lookup(k.Field)
		if !ok {
			return sortError(fmt.Sprintf("unknown field %s", display(k.Field)))
		}
		if t == torque.FieldJSON {
			return sortError(fmt.Sprintf("cannot sort by json field %q", k.Field))
		}
	}
	return nil
}

func sortError(msg string) error {
	return torque.Invalid("invalid sort", map[string]string{"sort": msg})
}
