package filter

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/torquehq/torque"
)

func cmp(field string, op Op, v any) *Compare { return &Compare{Field: field, Op: op, Value: v} }

func TestParse(t *testing.T) {
	a, b, c := cmp("a", OpEq, int64(1)), cmp("b", OpEq, int64(2)), cmp("c", OpEq, int64(3))
	tests := []struct {
		name string
		in   string
		want Expr
	}{
		{"empty filter", "", nil},
		{"blank filter", "  \t\n", nil},
		{"equals", `status = "doing"`, cmp("status", OpEq, "doing")},
		{"not equals", `status != "done"`, cmp("status", OpNe, "done")},
		{"less than", `priority < 3`, cmp("priority", OpLt, int64(3))},
		{"at most", `priority <= 3`, cmp("priority", OpLe, int64(3))},
		{"greater than", `priority > 3`, cmp("priority", OpGt, int64(3))},
		{"at least", `priority >= 3`, cmp("priority", OpGe, int64(3))},
		{"contains", `title ~ "report"`, cmp("title", OpContains, "report")},
		{"no blanks", `priority>=4`, cmp("priority", OpGe, int64(4))},
		{"in", `status in ["todo", "doing"]`, &In{Field: "status", Values: []any{"todo", "doing"}}},
		{"not in", `priority not in [1, 2.5]`, &In{Field: "priority", Values: []any{int64(1), 2.5}, Not: true}},
		{"is null", `due is null`, &IsNull{Field: "due"}},
		{"is not null", `due is not null`, &IsNull{Field: "due", Not: true}},
		{"equals null", `due = null`, cmp("due", OpEq, nil)},
		{"not equals null", `due != null`, cmp("due", OpNe, nil)},
		{"true", `done = true`, cmp("done", OpEq, true)},
		{"false", `done = false`, cmp("done", OpEq, false)},
		{"keywords in any case", `a = 1 AND due IS NOT NULL Or s NOT IN ["x"] and t = TRUE and u = Null`,
			&Or{
				Left:  &And{Left: a, Right: &IsNull{Field: "due", Not: true}},
				Right: &And{Left: &And{Left: &In{Field: "s", Values: []any{"x"}, Not: true}, Right: cmp("t", OpEq, true)}, Right: cmp("u", OpEq, nil)},
			}},
		{"and binds tighter than or", `a = 1 or b = 2 and c = 3`, &Or{Left: a, Right: &And{Left: b, Right: c}}},
		{"and binds tighter on the left", `a = 1 and b = 2 or c = 3`, &Or{Left: &And{Left: a, Right: b}, Right: c}},
		{"parentheses group", `(a = 1 or b = 2) and c = 3`, &And{Left: &Or{Left: a, Right: b}, Right: c}},
		{"and is left associative", `a = 1 and b = 2 and c = 3`, &And{Left: &And{Left: a, Right: b}, Right: c}},
		{"or is left associative", `a = 1 or b = 2 or c = 3`, &Or{Left: &Or{Left: a, Right: b}, Right: c}},
		{"right grouping is kept", `a = 1 or (b = 2 or c = 3)`, &Or{Left: a, Right: &Or{Left: b, Right: c}}},
		{"redundant parentheses", `((a = 1))`, a},
		{"negative integer", `a = -5`, cmp("a", OpEq, int64(-5))},
		{"smallest int64", `a = -9223372036854775808`, cmp("a", OpEq, int64(-1<<63))},
		{"integer past int64 is a float", `a = 9223372036854775808`, cmp("a", OpEq, float64(1<<63))},
		{"fraction is a float", `a = 2.0`, cmp("a", OpEq, 2.0)},
		{"exponent is a float", `a = 1e3`, cmp("a", OpEq, 1000.0)},
		{"negative exponent", `a = -1.5E-2`, cmp("a", OpEq, -0.015)},
		{"string escapes", `a = "q\"b\\s\/n\nu\u00e9\ud83d\ude00"`, cmp("a", OpEq, "q\"b\\s/n\nu\u00e9\U0001F600")},
		{"unicode string", `a = "日本"`, cmp("a", OpEq, "日本")},
		{"keyword as a field name", `and = 1 or null is null`, &Or{Left: cmp("and", OpEq, int64(1)), Right: &IsNull{Field: "null"}}},
		{"field named in", `in in [1]`, &In{Field: "in", Values: []any{int64(1)}}},
		{"underscores and digits in names", `due_at2 > "x"`, cmp("due_at2", OpGt, "x")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %s, want %s", String(got), String(tt.want))
			}
			again, err := Parse(String(got))
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Errorf("re-parse of %q: got %v %v, want the same tree", String(got), String(again), err)
			}
		})
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`a=1`, `a = 1`},
		{`a = 2.0`, `a = 2.0`},
		{`a = 1e21`, `a = 1e+21`},
		{`a = "<x>"`, `a = "\u003cx\u003e"`},
		{`(a = 1 or b = 2) and (c = 3 or d = 4)`, `(a = 1 or b = 2) and (c = 3 or d = 4)`},
		{`a = 1 and (b = 2 and c = 3)`, `a = 1 and (b = 2 and c = 3)`},
		{`a = 1 or b = 2 and c = 3`, `a = 1 or b = 2 and c = 3`},
		{`A NOT IN [1,2]`, `A not in [1, 2]`},
		{`x IS NOT NULL`, `x is not null`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			e, err := Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := String(e); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// problem returns the "filter" or "sort" problem of an EINVALID error.
// wantProblem checks that err is nil when want is "", and otherwise the
// EINVALID problem want under key.
func wantProblem(t *testing.T, err error, key, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Errorf("got %v, want none", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("got no error, want %q", want)
	}
	if got := problem(t, err, key); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func problem(t *testing.T, err error, key string) string {
	t.Helper()
	var e *torque.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v, want a *torque.Error", err)
	}
	if e.Code != torque.EINVALID {
		t.Fatalf("got code %s, want EINVALID", e.Code)
	}
	msg, ok := e.Fields[key]
	if !ok || len(e.Fields) != 1 {
		t.Fatalf("got fields %v, want only %q", e.Fields, key)
	}
	return msg
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"a keyword for a value", `priority >= 4 and and`, `unexpected "and" at position 19`},
		{"a keyword where a value belongs", `status = and`, `unexpected "and" at position 10`},
		{"a missing operator", `status "doing"`, `unexpected "\"doing\"" at position 8`},
		{"a missing value", `status =`, `unexpected end of filter`},
		{"a dangling and", `a = 1 and`, `unexpected end of filter`},
		{"two comparisons without and", `a = 1 b = 2`, `unexpected "b" at position 7`},
		{"an unquoted string", `status = doing`, `unexpected "doing" (strings need double quotes: "doing") at position 10`},
		{"a single-quoted string", `status = 'doing'`, `unexpected "'" at position 10`},
		{"an unknown operator", `a == 1`, `unexpected "=" at position 4`},
		{"a bang alone", `a ! 1`, `unexpected "!" at position 3`},
		{"an unterminated string", `a = "abc`, `unterminated string at position 5`},
		{"a bad escape", `a = "\x"`, `invalid string "\x" at position 5`},
		{"a control character in a string", "a = \"x\ty\"", `control character in string at position 7`},
		{"a leading zero", `a = 01`, `invalid number "01" at position 5`},
		{"a number running into letters", `a = 1abc`, `invalid number "1abc" at position 5`},
		{"a bare minus", `a = -`, `invalid number "-" at position 5`},
		{"a trailing dot", `a = 1.`, `invalid number "1." at position 5`},
		{"a number out of range", `a = 1e400`, `number 1e400 is out of range at position 5`},
		{"a plus sign", `a = +1`, `unexpected "+" at position 5`},
		{"null with <", `a < null`, `null can only be compared with = and != (or use is null) at position 5`},
		{"null in a list", `a in [1, null]`, `null cannot be in a list (use is null) at position 10`},
		{"an empty list", `a in []`, `unexpected "]" at position 7`},
		{"a trailing comma in a list", `a in [1,]`, `unexpected "]" at position 9`},
		{"in without a list", `a in 1`, `unexpected "1" at position 6`},
		{"an unclosed list", `a in [1`, `unexpected end of filter`},
		{"not without in", `a not 1`, `unexpected "1" at position 7`},
		{"is without null", `a is 1`, `unexpected "1" at position 6`},
		{"is not without null", `a is not 1`, `unexpected "1" at position 10`},
		{"an unclosed parenthesis", `(a = 1`, `unexpected end of filter`},
		{"an extra parenthesis", `a = 1)`, `unexpected ")" at position 6`},
		{"empty parentheses", `()`, `unexpected ")" at position 2`},
		{"a field starting with an underscore", `_a = 1`, `unexpected "_" at position 1`},
		{"a field starting with a digit", `1a = 1`, `invalid number "1a" at position 1`},
		{"a field name over 48 characters", strings.Repeat("a", 49) + ` = 1`, `field name "` + strings.Repeat("a", 40) + `"… is longer than 48 characters at position 1`},
		{"positions count characters", `a = "é" b`, `unexpected "b" at position 9`},
		{"invalid UTF-8", "a = \"\xff\"", `filter is not valid UTF-8`},
		{"a filter over 4096 bytes", `a = "` + strings.Repeat("x", 4092) + `"`, `filter is longer than 4096 bytes`},
		{"parentheses deeper than 32", strings.Repeat("(", 33) + "a = 1" + strings.Repeat(")", 33), `parentheses nest deeper than 32 levels at position 33`},
		{"more than 100 comparisons", strings.Repeat("a = 1 and ", 100) + "a = 1", `more than 100 comparisons at position 1001`},
		{"a list over 500 values", `a in [` + strings.Repeat("1,", 500) + `1]`, `list has more than 500 values at position 6`},
	}
	for _, tt := range tests {
		t.Run("refuses "+tt.name, func(t *testing.T) {
			e, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("got %s, want error %q", String(e), tt.want)
			}
			if got := problem(t, err, "filter"); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseAtLimits(t *testing.T) {
	for name, in := range map[string]string{
		"32 levels of parentheses": strings.Repeat("(", 32) + "a = 1" + strings.Repeat(")", 32),
		"100 comparisons":          strings.Repeat("a = 1 or ", 99) + "a = 1",
		"a list of 500 values":     `a in [` + strings.Repeat("1,", 499) + `1]`,
		"4096 bytes":               `a = "` + strings.Repeat("x", 4090) + `"`,
		"a 48 character field":     strings.Repeat("a", 48) + ` = 1`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Parse(in); err != nil {
				t.Errorf("got %v, want none", err)
			}
		})
	}
}

// taskFields is the lookup of a Task-like entity type.
func taskFields(name string) (torque.FieldType, bool) {
	t, ok := taskFieldTypes[name]
	return t, ok
}

var taskFieldTypes = map[string]torque.FieldType{
	"title": torque.FieldString, "notes": torque.FieldText, "status": torque.FieldEnum,
	"due": torque.FieldDate, "remind": torque.FieldDateTime, "priority": torque.FieldInteger,
	"estimate": torque.FieldNumber, "done": torque.FieldBoolean, "owner": torque.FieldEmail,
	"link": torque.FieldURL, "meta": torque.FieldJSON, "project": torque.FieldString,
	"id": torque.FieldString, "type": torque.FieldString, "version": torque.FieldInteger,
	"createdAt": torque.FieldDateTime, "updatedAt": torque.FieldDateTime,
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name, in, want string // want "" means valid
	}{
		{"a string equality", `title = "x"`, ""},
		{"contains on text", `notes ~ "x"`, ""},
		{"contains on an enum", `status ~ "do"`, ""},
		{"contains on email and url", `owner ~ "@example.com" and link ~ "https"`, ""},
		{"any string for an enum", `status = "whatever"`, ""},
		{"order on strings", `title >= "m"`, ""},
		{"an integer", `priority >= 4`, ""},
		{"integers in a list", `priority in [1, 2]`, ""},
		{"an integer for a number", `estimate < 3`, ""},
		{"a float for a number", `estimate < 2.5`, ""},
		{"a boolean", `done = true and done != false`, ""},
		{"a date", `due < "2026-11-24"`, ""},
		{"a datetime with offset", `remind >= "2026-11-24T18:00:00+01:00"`, ""},
		{"system fields", `id = "x" and type = "Task" and version > 1 and createdAt < "2026-01-01T00:00:00Z"`, ""},
		{"a reference field", `project = "0190a3c1-0000-7000-8000-000000000000"`, ""},
		{"json is null", `meta is null or meta = null or meta != null or meta is not null`, ""},
		{"null for any field", `priority = null or done != null`, ""},
		{"an unknown field", `colour = "red"`, `unknown field "colour"`},
		{"an unknown field in is null", `colour is null`, `unknown field "colour"`},
		{"an unknown field on the right", `title = "x" and colour in ["red"]`, `unknown field "colour"`},
		{"a string for an integer", `priority = "high"`, `field "priority" is integer: cannot compare with string "high"`},
		{"a float for an integer", `priority > 2.5`, `field "priority" is integer: cannot compare with number 2.5`},
		{"a number for a string", `title = 5`, `field "title" is string: cannot compare with number 5`},
		{"a boolean for a string", `title = true`, `field "title" is string: cannot compare with boolean true`},
		{"a string for a boolean", `done = "yes"`, `field "done" is boolean: cannot compare with string "yes"`},
		{"a number for a date", `due = 2026`, `field "due" is date: cannot compare with number 2026`},
		{"a bad date", `due = "2026-13-01"`, `field "due" is date: "2026-13-01" is not a date (YYYY-MM-DD)`},
		{"a datetime for a date", `due = "2026-11-24T00:00:00Z"`, `field "due" is date: "2026-11-24T00:00:00Z" is not a date (YYYY-MM-DD)`},
		{"a date for a datetime", `remind > "2026-11-24"`, `field "remind" is datetime: "2026-11-24" is not a date and time (RFC 3339, such as "2026-11-24T17:00:00Z")`},
		{"a bad value in a list", `priority in [1, "2"]`, `field "priority" is integer: cannot compare with string "2"`},
		{"contains on an integer", `priority ~ "1"`, `~ needs a string field: "priority" is integer`},
		{"contains on a date", `due ~ "2026"`, `~ needs a string field: "due" is date`},
		{"contains with a number", `title ~ 5`, `~ needs a string value, not number 5`},
		{"less than on a boolean", `done < true`, `< is not defined for boolean field "done"`},
		{"at least on a boolean", `done >= false`, `>= is not defined for boolean field "done"`},
		{"equals on json", `meta = "x"`, `field "meta" is json: only is null and is not null apply`},
		{"in on json", `meta in ["x"]`, `field "meta" is json: only is null and is not null apply`},
		{"contains on json", `meta ~ "x"`, `field "meta" is json: only is null and is not null apply`},
	}
	for _, tt := range tests {
		name := "accepts " + tt.name
		if tt.want != "" {
			name = "refuses " + tt.name
		}
		t.Run(name, func(t *testing.T) {
			e, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse: got %v, want none", err)
			}
			err = Check(e, taskFields)
			wantProblem(t, err, "filter", tt.want)
		})
	}
}

func TestCheckHandBuiltTrees(t *testing.T) {
	tests := []struct {
		name string
		e    Expr
		want string
	}{
		{"nil", nil, ""},
		{"null with <", cmp("priority", OpLt, nil), "< cannot compare with null"},
		{"an empty list", &In{Field: "priority"}, `in needs at least one value for field "priority"`},
		{"null in a list", &In{Field: "priority", Values: []any{nil}}, `null cannot be in a list (field "priority")`},
		{"an unknown operator", cmp("priority", Op("=="), int64(1)), `unknown operator "=="`},
		{"an unknown literal type", cmp("priority", OpEq, 1), `field "priority" is integer: cannot compare with int`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.e, taskFields)
			wantProblem(t, err, "filter", tt.want)
		})
	}
}

func TestParseSort(t *testing.T) {
	tests := []struct {
		in   string
		want []SortKey
	}{
		{"", nil},
		{"  ", nil},
		{"title", []SortKey{{Field: "title"}}},
		{"-priority,title", []SortKey{{Field: "priority", Desc: true}, {Field: "title"}}},
		{" -priority , title ", []SortKey{{Field: "priority", Desc: true}, {Field: "title"}}},
		{"a,b,c,d,e,f,g,h", []SortKey{{Field: "a"}, {Field: "b"}, {Field: "c"}, {Field: "d"}, {Field: "e"}, {Field: "f"}, {Field: "g"}, {Field: "h"}}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSort(tt.in)
			if err != nil {
				t.Fatalf("got %v, want none", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseSortErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"an empty key", "title,,due", "empty sort key at position 7"},
		{"a trailing comma", "title,", "empty sort key at position 7"},
		{"a lone minus", "-", `invalid sort key "-" at position 1`},
		{"a double minus", "--title", `invalid sort key "--title" at position 1`},
		{"a plus", "+title", `invalid sort key "+title" at position 1`},
		{"a space inside a key", "- title", `invalid sort key "- title" at position 1`},
		{"a bad name", "ti-tle", `invalid sort key "ti-tle" at position 1`},
		{"a duplicate key", "title,-title", `duplicate sort key "title" at position 7`},
		{"more than 8 keys", "a,b,c,d,e,f,g,h,i", "more than 8 sort keys"},
		{"a long sort", strings.Repeat("a", 1025), "sort is longer than 1024 bytes"},
	}
	for _, tt := range tests {
		t.Run("refuses "+tt.name, func(t *testing.T) {
			_, err := ParseSort(tt.in)
			if err == nil {
				t.Fatalf("got no error, want %q", tt.want)
			}
			if got := problem(t, err, "sort"); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckSort(t *testing.T) {
	tests := []struct{ in, want string }{
		{"-priority,title,createdAt,id", ""},
		{"colour", `unknown field "colour"`},
		{"title,meta", `cannot sort by json field "meta"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			keys, err := ParseSort(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			err = CheckSort(keys, taskFields)
			wantProblem(t, err, "sort", tt.want)
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`priority >= 4 and status = "doing"`,
		`(a = 1 or b != "x") and c in [1, 2.5, "s", true] and d is not null`,
		`title ~ "re\"port\u00e9" or due not in ["2026-11-24"] or x = null`,
		`a = -1.5e-3 OR B = 9223372036854775808 and c <= -0`,
		`and = 1 or (in in [1] and not is null)`,
		`((((a = 1))))`,
		`a = 1 and`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Parse(s)
		if err != nil {
			var te *torque.Error
			if !errors.As(err, &te) || te.Code != torque.EINVALID || te.Fields["filter"] == "" {
				t.Fatalf("got error %#v, want EINVALID with a filter problem", err)
			}
			return
		}
		out := String(e)
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("re-parse of %q (from %q): %v", out, s, err)
		}
		if !reflect.DeepEqual(again, e) {
			t.Fatalf("re-parse of %q (from %q) gave %q", out, s, String(again))
		}
		_ = Check(e, taskFields)
	})
}

func FuzzParseSort(f *testing.F) {
	for _, s := range []string{"-priority,title", " a , -b ", "a,,b", "-", "a,b,c,d,e,f,g,h,i"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		keys, err := ParseSort(s)
		if err != nil {
			var te *torque.Error
			if !errors.As(err, &te) || te.Code != torque.EINVALID || te.Fields["sort"] == "" {
				t.Fatalf("got error %#v, want EINVALID with a sort problem", err)
			}
			return
		}
		if len(keys) > MaxSortKeys {
			t.Fatalf("got %d keys, want at most %d", len(keys), MaxSortKeys)
		}
		again, err := ParseSort(SortString(keys))
		if err != nil || !reflect.DeepEqual(again, keys) {
			t.Fatalf("re-parse of %q: got %v %v, want %v", SortString(keys), again, err, keys)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	const s = `status in ["todo", "doing"] and priority >= 3 and (due < "2026-12-01" or due is null) and title ~ "report"`
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseAndCheck(b *testing.B) {
	const s = `status in ["todo", "doing"] and priority >= 3 and (due < "2026-12-01" or due is null) and title ~ "report"`
	b.ReportAllocs()
	for b.Loop() {
		e, err := Parse(s)
		if err != nil {
			b.Fatal(err)
		}
		if err := Check(e, taskFields); err != nil {
			b.Fatal(err)
		}
	}
}
