package storetest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/filter"
	"github.com/torquehq/torque/internal/store"
)

// items is the data of the query fixture: item n is items[n-1]. Absent keys
// and JSON nulls both count as null.
var items = []string{
	`{"title":"Alpha","status":"todo","priority":3,"score":1.5,"done":false,"due":"2026-01-10","owner":"u1","at":"2026-03-01T10:00:00.000Z"}`,
	`{"title":"beta","status":"doing","priority":5,"score":2.25,"done":true,"due":"2026-02-01","meta":{"a":1},"owner":"u1","at":"2026-03-01T12:30:00.000Z"}`,
	`{"title":"Gamma 100%","status":"done","priority":1,"score":null,"done":false,"owner":"u2","at":"2026-02-28T23:00:00.000Z"}`,
	`{"title":"delta_x","status":"doing","priority":4,"done":true,"due":"2026-01-10"}`,
	`{"title":"Epsilon","status":"todo","priority":5,"score":-3,"due":"2025-12-31","meta":null}`,
	`{"title":"zeta","priority":2,"score":10,"done":false,"due":"2026-03-01"}`,
	`{"title":"Eta","status":"doing","score":2.25,"done":true}`,
	`{"title":"theta 100 percent","status":"done","priority":3,"score":0,"done":false,"due":"2026-01-10"}`,
	`{"status":"todo","priority":4,"score":7}`,
	`{"title":"Iota","status":"doing","priority":4,"score":2.25,"done":false,"due":null}`,
}

// creators are the CreatedBy of the query fixture: item n's is
// creators[n-1]; "" is the system.
var creators = []string{"u1", "u2", "", "u1", "u3", "u2", "u1", "", "u3", "u1"}

// fixture holds the query fixture: ten items created a minute apart, item 5
// updated (version 2) an hour after the first.
type fixture struct {
	db  *store.DB
	app *torque.App
	ids []string // ids[n-1] is item n
}

func (f *fixture) created(n int) time.Time { return base.Add(time.Duration(n-1) * time.Minute) }

var updatedAt5 = base.Add(time.Hour)

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{db: db, app: newApp(t, db, "app"), ids: newIDs(t, len(items))}
	var es []*torque.Entity
	for i, data := range items {
		e := entity(f.ids[i], "Item", data, f.created(i+1))
		e.CreatedBy = creators[i]
		es = append(es, e)
	}
	// A Person with the same field names must not leak into Item queries.
	es = append(es, entity(newIDs(t, 1)[0], "Person", `{"name":"Ann","priority":4,"status":"doing"}`, base))
	insert(t, db, f.app.ID, es...)
	// The update names no creator: the stored one stays.
	must(t, "update item 5", db.InTx(ctx, func(tx *store.Tx) error {
		e := entity(f.ids[4], "Item", items[4], f.created(5))
		e.Version, e.UpdatedAt = 2, updatedAt5
		return tx.UpdateEntity(ctx, f.app.ID, e, 1)
	}))
	return f
}

// nums maps item numbers to ids.
func (f *fixture) nums(ns ...int) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = f.ids[n-1]
	}
	return out
}

// names maps ids back to item numbers, for readable failures.
func (f *fixture) names(ids []string) string {
	var out []string
	for _, id := range ids {
		name := id
		for i, x := range f.ids {
			if x == id {
				name = fmt.Sprint(i + 1)
			}
		}
		out = append(out, name)
	}
	return "[" + strings.Join(out, " ") + "]"
}

// Filter constructors.

func cmp(field string, op filter.Op, v any) filter.Expr {
	return &filter.Compare{Field: field, Op: op, Value: v}
}
func and(l, r filter.Expr) filter.Expr { return &filter.And{Left: l, Right: r} }
func or(l, r filter.Expr) filter.Expr  { return &filter.Or{Left: l, Right: r} }
func in(field string, not bool, vs ...any) filter.Expr {
	return &filter.In{Field: field, Values: vs, Not: not}
}
func isNull(field string, not bool) filter.Expr { return &filter.IsNull{Field: field, Not: not} }

func testFilter(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()
	db := open(t)
	f := newFixture(t, db)
	rfc := func(t time.Time) string { return t.Format(time.RFC3339Nano) }
	all := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}

	tests := []struct {
		name  string
		where filter.Expr
		want  []int
	}{
		{"no filter", nil, all},
		{"string =", cmp("status", filter.OpEq, "doing"), []int{2, 4, 7, 10}},
		{"string != matches null", cmp("status", filter.OpNe, "doing"), []int{1, 3, 5, 6, 8, 9}},
		{"integer >", cmp("priority", filter.OpGt, int64(3)), []int{2, 4, 5, 9, 10}},
		{"integer >=", cmp("priority", filter.OpGe, int64(4)), []int{2, 4, 5, 9, 10}},
		{"integer <", cmp("priority", filter.OpLt, int64(3)), []int{3, 6}},
		{"integer <=", cmp("priority", filter.OpLe, int64(3)), []int{1, 3, 6, 8}},
		{"integer =", cmp("priority", filter.OpEq, int64(4)), []int{4, 9, 10}},
		{"integer != matches null", cmp("priority", filter.OpNe, int64(4)), []int{1, 2, 3, 5, 6, 7, 8}},
		{"integer > float", cmp("priority", filter.OpGt, 2.5), []int{1, 2, 4, 5, 8, 9, 10}},
		{"number = float", cmp("score", filter.OpEq, 2.25), []int{2, 7, 10}},
		{"number > integer", cmp("score", filter.OpGt, int64(2)), []int{2, 6, 7, 9, 10}},
		{"number <", cmp("score", filter.OpLt, 0.5), []int{5, 8}},
		{"number range", and(cmp("score", filter.OpGe, int64(-3)), cmp("score", filter.OpLe, int64(0))), []int{5, 8}},
		{"is null: absent or null", isNull("score", false), []int{3, 4}},
		{"is not null", isNull("score", true), []int{1, 2, 5, 6, 7, 8, 9, 10}},
		{"= null", cmp("score", filter.OpEq, nil), []int{3, 4}},
		{"!= null", cmp("score", filter.OpNe, nil), []int{1, 2, 5, 6, 7, 8, 9, 10}},
		{"boolean true", cmp("done", filter.OpEq, true), []int{2, 4, 7}},
		{"boolean false", cmp("done", filter.OpEq, false), []int{1, 3, 6, 8, 10}},
		{"boolean != matches null", cmp("done", filter.OpNe, true), []int{1, 3, 5, 6, 8, 9, 10}},
		{"~ is case-insensitive", cmp("title", filter.OpContains, "ETA"), []int{2, 6, 7, 8}},
		{"~ prefix of a word", cmp("title", filter.OpContains, "alpha"), []int{1}},
		{"~ % is literal", cmp("title", filter.OpContains, "100%"), []int{3}},
		{"~ _ is literal", cmp("title", filter.OpContains, "_"), []int{4}},
		{"~ backslash is literal", cmp("title", filter.OpContains, `\`), nil},
		{"in strings", in("status", false, "todo", "done"), []int{1, 3, 5, 8, 9}},
		{"not in matches null", in("status", true, "todo", "done"), []int{2, 4, 6, 7, 10}},
		{"in integers", in("priority", false, int64(1), int64(5)), []int{2, 3, 5}},
		{"not in integers", in("priority", true, int64(1), int64(5)), []int{1, 4, 6, 7, 8, 9, 10}},
		{"in nothing", in("status", false), nil},
		{"not in nothing", in("status", true), all},
		{"date =", cmp("due", filter.OpEq, "2026-01-10"), []int{1, 4, 8}},
		{"date <", cmp("due", filter.OpLt, "2026-01-10"), []int{5}},
		{"date is null", isNull("due", false), []int{3, 7, 9, 10}},
		{"string is null", isNull("title", false), []int{9}},
		{"json is null", isNull("meta", false), []int{1, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"json is not null", isNull("meta", true), []int{2}},
		{"reference field", cmp("owner", filter.OpEq, "u1"), []int{1, 2}},
		{"datetime > in another zone", cmp("at", filter.OpGt, "2026-03-01T09:30:00-01:00"), []int{2}},
		{"datetime = in another form", cmp("at", filter.OpEq, "2026-03-01T11:00:00+01:00"), []int{1}},
		{"datetime in", in("at", false, "2026-02-28T23:00:00Z", "2026-03-01T12:30:00.000000Z"), []int{2, 3}},
		{"and", and(cmp("priority", filter.OpGe, int64(4)), cmp("status", filter.OpEq, "doing")), []int{2, 4, 10}},
		{"and binds tighter than or",
			or(cmp("status", filter.OpEq, "doing"), and(cmp("priority", filter.OpEq, int64(1)), cmp("done", filter.OpEq, false))),
			[]int{2, 3, 4, 7, 10}},
		{"parentheses",
			and(or(cmp("status", filter.OpEq, "doing"), cmp("priority", filter.OpEq, int64(1))), cmp("done", filter.OpEq, false)),
			[]int{3, 10}},
		{"or chain",
			or(or(cmp("priority", filter.OpEq, int64(4)), cmp("priority", filter.OpEq, int64(5))), cmp("title", filter.OpEq, "zeta")),
			[]int{2, 4, 5, 6, 9, 10}},
		{"id =", cmp("id", filter.OpEq, f.ids[2]), []int{3}},
		{"id !=", cmp("id", filter.OpNe, f.ids[0]), []int{2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"id in", in("id", false, f.ids[0], f.ids[4]), []int{1, 5}},
		{"id >", cmp("id", filter.OpGt, f.ids[7]), []int{9, 10}},
		{"type", cmp("type", filter.OpEq, "Item"), all},
		{"version =", cmp("version", filter.OpEq, int64(2)), []int{5}},
		{"version > float", cmp("version", filter.OpGt, 1.0), []int{5}},
		{"createdAt >=", cmp("createdAt", filter.OpGe, rfc(f.created(8))), []int{8, 9, 10}},
		{"createdAt < in another zone", cmp("createdAt", filter.OpLt, f.created(2).In(time.FixedZone("X", -5*3600)).Format(time.RFC3339)), []int{1}},
		{"updatedAt >", cmp("updatedAt", filter.OpGt, rfc(f.created(10))), []int{5}},
		{"createdBy =", cmp("createdBy", filter.OpEq, "u1"), []int{1, 4, 7, 10}},
		{"createdBy = the system", cmp("createdBy", filter.OpEq, ""), []int{3, 8}},
		{"createdBy !=", cmp("createdBy", filter.OpNe, "u1"), []int{2, 3, 5, 6, 8, 9}},
		{"createdBy in", in("createdBy", false, "u2", "u3"), []int{2, 5, 6, 9}},
		{"createdBy not in", in("createdBy", true, "u1", ""), []int{2, 5, 6, 9}},
		{"createdBy is never null", isNull("createdBy", false), nil},
		{"createdBy ~", cmp("createdBy", filter.OpContains, "U3"), []int{5, 9}},
		{"createdBy and a field", and(cmp("createdBy", filter.OpEq, "u1"), cmp("done", filter.OpEq, true)), []int{4, 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := f.nums(tt.want...)
			got, err := db.IDs(ctx, f.app.ID, "Item", itemFields, tt.where, 0)
			must(t, "IDs", err)
			if join(got) != join(want) {
				t.Errorf("IDs: got %s, want %s", f.names(got), f.names(want))
			}
			n, err := db.Count(ctx, f.app.ID, "Item", itemFields, tt.where)
			must(t, "Count", err)
			if n != int64(len(want)) {
				t.Errorf("Count: got %d, want %d", n, len(want))
			}
			page, err := db.List(ctx, f.app.ID, "Item", store.Query{Fields: itemFields, Where: tt.where, Limit: 100, Count: true})
			must(t, "List", err)
			if g := entityIDs(page.Items); join(g) != join(want) {
				t.Errorf("List: got %s, want %s", f.names(g), f.names(want))
			}
			if page.Total == nil || *page.Total != int64(len(want)) || page.NextCursor != "" {
				t.Errorf("List: got total %v cursor %q, want total %d and no cursor", page.Total, page.NextCursor, len(want))
			}
			if len(want) > 2 {
				got, err := db.IDs(ctx, f.app.ID, "Item", itemFields, tt.where, 2)
				must(t, "IDs with limit", err)
				if join(got) != join(want[:2]) {
					t.Errorf("IDs limit 2: got %s, want %s", f.names(got), f.names(want[:2]))
				}
			}
		})
	}

	invalid := []struct {
		name  string
		where filter.Expr
	}{
		{"string for an integer", cmp("priority", filter.OpEq, "high")},
		{"number for a string", cmp("title", filter.OpGt, int64(3))},
		{"string for a boolean", cmp("done", filter.OpEq, "yes")},
		{"number for a boolean", cmp("done", filter.OpEq, int64(1))},
		{"boolean in a list of integers", in("priority", false, int64(1), true)},
		{"null in a list", in("priority", false, int64(1), nil)},
		{"~ on an integer", cmp("priority", filter.OpContains, "4")},
		{"~ with a number", cmp("title", filter.OpContains, int64(4))},
		{"< null", cmp("priority", filter.OpLt, nil)},
		{"unknown field", cmp("nope", filter.OpEq, int64(1))},
		{"field name with a quote", cmp("x') OR 1=1 --", filter.OpEq, int64(1))},
		{"field name too long", cmp(strings.Repeat("a", 49), filter.OpEq, int64(1))},
		{"json compared", cmp("meta", filter.OpEq, "x")},
		{"datetime not RFC 3339", cmp("createdAt", filter.OpGt, "yesterday")},
		{"datetime as a number", cmp("createdAt", filter.OpGt, int64(5))},
		{"datetime field not RFC 3339", cmp("at", filter.OpGt, "2026-03-01")},
		{"version as a string", cmp("version", filter.OpEq, "2")},
		{"version not whole", cmp("version", filter.OpEq, 1.5)},
		{"number for createdBy", cmp("createdBy", filter.OpEq, int64(1))},
		{"unknown operator", cmp("priority", filter.Op("=="), int64(1))},
		{"empty node", and(cmp("priority", filter.OpEq, int64(1)), nil)},
		{"is null of an unknown field", isNull("nope", false)},
		{"string with a NUL", cmp("title", filter.OpEq, "a\x00")},
		{"~ with bad UTF-8", cmp("title", filter.OpContains, "\xff")},
		{"in with bad UTF-8", in("status", false, "todo", "\xff")},
	}
	for _, tt := range invalid {
		t.Run("invalid/"+tt.name, func(t *testing.T) {
			checks := map[string]func() error{
				"List": func() error {
					_, err := db.List(ctx, f.app.ID, "Item", store.Query{Fields: itemFields, Where: tt.where, Limit: 10})
					return err
				},
				"Count": func() error {
					_, err := db.Count(ctx, f.app.ID, "Item", itemFields, tt.where)
					return err
				},
				"IDs": func() error {
					_, err := db.IDs(ctx, f.app.ID, "Item", itemFields, tt.where, 0)
					return err
				},
			}
			for what, run := range checks {
				err := run()
				wantCode(t, what, err, torque.EINVALID)
				if torque.ErrorFields(err)["filter"] == "" {
					t.Errorf("%s: got fields %v, want a problem under \"filter\"", what, torque.ErrorFields(err))
				}
			}
		})
	}
	t.Run("invalid/mismatch names the field", func(t *testing.T) {
		_, err := db.Count(ctx, f.app.ID, "Item", itemFields, cmp("priority", filter.OpEq, "high"))
		if p := torque.ErrorFields(err)["filter"]; !strings.Contains(p, "priority") {
			t.Errorf("problem: got %q, want it to name priority", p)
		}
	})
}

// sortValue returns the value of field for item n as storage orders it, nil
// for null.
func (f *fixture) sortValue(n int, field string) any {
	switch field {
	case "id":
		return f.ids[n-1]
	case "type":
		return "Item"
	case "version":
		if n == 5 {
			return 2.0
		}
		return 1.0
	case "createdAt":
		return float64(f.created(n).UnixMicro())
	case "updatedAt":
		if n == 5 {
			return float64(updatedAt5.UnixMicro())
		}
		return float64(f.created(n).UnixMicro())
	case "createdBy":
		return creators[n-1]
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(items[n-1]), &m); err != nil {
		panic(err)
	}
	return m[field]
}

// compareValues orders nulls lowest, then numbers, strings bytewise and
// false before true.
func compareValues(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	switch x := a.(type) {
	case float64:
		y := b.(float64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	case string:
		return strings.Compare(x, b.(string))
	case bool:
		y := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	}
	panic(fmt.Sprintf("compare %T", a))
}

// expectedOrder sorts item numbers by keys as List does: keys up to id, then
// id in the direction of the last key.
func (f *fixture) expectedOrder(keys []filter.SortKey, nums []int) []string {
	var eff []filter.SortKey
	for _, k := range keys {
		eff = append(eff, k)
		if k.Field == "id" {
			break
		}
	}
	if len(eff) == 0 || eff[len(eff)-1].Field != "id" {
		desc := len(eff) > 0 && eff[len(eff)-1].Desc
		eff = append(eff, filter.SortKey{Field: "id", Desc: desc})
	}
	out := append([]int(nil), nums...)
	sort.SliceStable(out, func(i, j int) bool {
		for _, k := range eff {
			c := compareValues(f.sortValue(out[i], k.Field), f.sortValue(out[j], k.Field))
			if k.Desc {
				c = -c
			}
			if c != 0 {
				return c < 0
			}
		}
		return false
	})
	return f.nums(out...)
}

func parseSort(s string) []filter.SortKey {
	var keys []filter.SortKey
	for _, p := range strings.Split(s, ",") {
		if p == "" {
			continue
		}
		keys = append(keys, filter.SortKey{Field: strings.TrimPrefix(p, "-"), Desc: strings.HasPrefix(p, "-")})
	}
	return keys
}

// walk lists every page and returns the ids in order, checking each page.
func walk(t *testing.T, db *store.DB, appID int64, typ string, q store.Query, wantTotal int) []string {
	t.Helper()
	ctx := context.Background()
	var got []string
	seen := map[string]bool{}
	q.Count = true
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatalf("more than 100 pages")
		}
		page, err := db.List(ctx, appID, typ, q)
		must(t, "List", err)
		if len(page.Items) > q.Limit {
			t.Fatalf("page %d: got %d items, want at most %d", pages, len(page.Items), q.Limit)
		}
		if page.Total == nil || *page.Total != int64(wantTotal) {
			t.Fatalf("page %d: got total %v, want %d", pages, page.Total, wantTotal)
		}
		for _, e := range page.Items {
			if seen[e.ID] {
				t.Fatalf("page %d: %s again", pages, e.ID)
			}
			seen[e.ID] = true
			got = append(got, e.ID)
		}
		if page.NextCursor == "" {
			return got
		}
		if len(page.Items) != q.Limit {
			t.Fatalf("page %d: got %d items and a next cursor, want %d", pages, len(page.Items), q.Limit)
		}
		q.Cursor = page.NextCursor
	}
}

func testSort(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()
	db := open(t)
	f := newFixture(t, db)

	t.Run("explicit order", func(t *testing.T) {
		tests := []struct {
			sort string
			want []int
		}{
			{"", []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
			{"-priority", []int{5, 2, 10, 9, 4, 8, 1, 6, 3, 7}},
			{"priority", []int{7, 3, 6, 1, 8, 4, 9, 10, 2, 5}},
			{"title", []int{9, 1, 5, 7, 3, 10, 2, 4, 8, 6}},
			{"-done,title", []int{7, 2, 4, 1, 3, 10, 8, 6, 9, 5}},
			{"-updatedAt", []int{5, 10, 9, 8, 7, 6, 4, 3, 2, 1}},
			{"createdBy", []int{3, 8, 1, 4, 7, 10, 2, 6, 5, 9}},
			{"-createdBy,priority", []int{9, 5, 6, 2, 7, 1, 4, 10, 3, 8}},
		}
		for _, tt := range tests {
			t.Run(tt.sort, func(t *testing.T) {
				page, err := db.List(ctx, f.app.ID, "Item", store.Query{Fields: itemFields, Sort: parseSort(tt.sort), Limit: 100})
				must(t, "List", err)
				if got, want := entityIDs(page.Items), f.nums(tt.want...); join(got) != join(want) {
					t.Errorf("got %s, want %s", f.names(got), f.names(want))
				}
			})
		}
	})

	sorts := []string{
		"", "priority", "-priority", "title", "-title", "score", "-score", "done", "-done",
		"due,-priority", "-due", "status,-score,title", "-createdAt", "updatedAt", "-version,title",
		"id", "-id", "status,id", "title,-id", "type,-priority", "owner", "-owner,-score",
		"priority,id,title", "-at", "createdBy", "-createdBy", "createdBy,-priority", "-createdBy,title",
	}
	filters := []struct {
		name  string
		where filter.Expr
		nums  []int
	}{
		{"all", nil, []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"status != doing", cmp("status", filter.OpNe, "doing"), []int{1, 3, 5, 6, 8, 9}},
		{"priority >= 2", cmp("priority", filter.OpGe, int64(2)), []int{1, 2, 4, 5, 6, 8, 9, 10}},
	}
	for _, s := range sorts {
		for _, fl := range filters {
			for _, limit := range []int{1, 2, 3, 4, 10} {
				name := fmt.Sprintf("pages/%q/%s/limit %d", s, fl.name, limit)
				t.Run(name, func(t *testing.T) {
					keys := parseSort(s)
					want := f.expectedOrder(keys, fl.nums)
					got := walk(t, db, f.app.ID, "Item", store.Query{Fields: itemFields, Where: fl.where, Sort: keys, Limit: limit}, len(want))
					if join(got) != join(want) {
						t.Errorf("got %s, want %s", f.names(got), f.names(want))
					}
				})
			}
		}
	}

	invalid := []struct{ name, sort string }{
		{"unknown field", "nope"},
		{"json field", "meta"},
		{"bad name", "a-b"},
		{"twice", "title,-title"},
	}
	for _, tt := range invalid {
		t.Run("invalid/"+tt.name, func(t *testing.T) {
			keys := parseSort(tt.sort)
			_, err := db.List(ctx, f.app.ID, "Item", store.Query{Fields: itemFields, Sort: keys, Limit: 10})
			wantCode(t, "List", err, torque.EINVALID)
			if torque.ErrorFields(err)["sort"] == "" {
				t.Errorf("fields: got %v, want a problem under \"sort\"", torque.ErrorFields(err))
			}
		})
	}

	t.Run("limit is clamped", func(t *testing.T) {
		for _, limit := range []int{0, -1, torque.MaxPageSize + 1} {
			page, err := db.List(ctx, f.app.ID, "Item", store.Query{Fields: itemFields, Limit: limit})
			must(t, "List", err)
			if len(page.Items) != 10 || page.NextCursor != "" {
				t.Errorf("limit %d: got %d items cursor %q, want 10 and none", limit, len(page.Items), page.NextCursor)
			}
		}
	})
}

func testCursor(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()
	db := open(t)
	f := newFixture(t, db)
	list := func(sort, cursor string) (*torque.EntityPage, error) {
		return db.List(ctx, f.app.ID, "Item", store.Query{Fields: itemFields, Sort: parseSort(sort), Limit: 3, Cursor: cursor})
	}
	page, err := list("priority", "")
	must(t, "List", err)
	priorityCursor := page.NextCursor
	if priorityCursor == "" {
		t.Fatal("first page: got no cursor, want one")
	}
	forge := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

	invalid := []struct{ name, sort, cursor string }{
		{"not base64", "priority", "!!!"},
		{"not JSON", "priority", forge("{")},
		{"trailing data", "priority", forge(`{"s":"id","v":["x"]} 1`)},
		{"unknown member", "", forge(`{"s":"id","v":["x"],"z":1}`)},
		{"another sort", "title", priorityCursor},
		{"another direction", "-priority", priorityCursor},
		{"too few values", "priority", forge(`{"s":"priority,id","v":[1]}`)},
		{"number for id", "", forge(`{"s":"id","v":[5]}`)},
		{"null for id", "", forge(`{"s":"id","v":[null]}`)},
		{"string for createdAt", "-createdAt", forge(`{"s":"-createdAt,-id","v":["x","y"]}`)},
		{"fraction for version", "version", forge(`{"s":"version,id","v":[1.5,"y"]}`)},
		{"number for createdBy", "createdBy", forge(`{"s":"createdBy,id","v":[3,"y"]}`)},
		{"null for createdBy", "-createdBy", forge(`{"s":"-createdBy,-id","v":[null,"y"]}`)},
		{"object value", "priority", forge(`{"s":"priority,id","v":[{"a":1},"x"]}`)},
		{"too long", "", strings.Repeat("a", 10000)},
	}
	for _, tt := range invalid {
		t.Run("invalid/"+tt.name, func(t *testing.T) {
			_, err := list(tt.sort, tt.cursor)
			wantCode(t, "List", err, torque.EINVALID)
			if torque.ErrorFields(err)["cursor"] == "" {
				t.Errorf("fields: got %v, want a problem under \"cursor\"", torque.ErrorFields(err))
			}
		})
	}

	t.Run("forged values of another type never fail inside", func(t *testing.T) {
		for _, c := range []struct{ sort, cursor string }{
			{"priority", forge(`{"s":"priority,id","v":["x","y"]}`)},
			{"title", forge(`{"s":"title,id","v":[3,"y"]}`)},
			{"done", forge(`{"s":"done,id","v":["x","y"]}`)},
			{"-score", forge(`{"s":"-score,-id","v":[true,"y"]}`)},
		} {
			_, err := list(c.sort, c.cursor)
			if err != nil && torque.ErrorCode(err) != torque.EINVALID {
				t.Errorf("sort %s: got %v, want nil or EINVALID", c.sort, err)
			}
		}
	})

	t.Run("a forged position works", func(t *testing.T) {
		page, err := list("", forge(`{"s":"id","v":["`+f.ids[7]+`"]}`))
		must(t, "List", err)
		if got, want := entityIDs(page.Items), f.nums(9, 10); join(got) != join(want) {
			t.Errorf("got %s, want %s", f.names(got), f.names(want))
		}
	})

	t.Run("the filter may change between pages", func(t *testing.T) {
		q := store.Query{Fields: itemFields, Limit: 3, Cursor: priorityCursor, Sort: parseSort("priority"),
			Where: cmp("status", filter.OpEq, "doing")}
		page, err := db.List(ctx, f.app.ID, "Item", q)
		must(t, "List", err)
		// After 7 3 6 in priority order, the doing items are 4 10 2.
		if got, want := entityIDs(page.Items), f.nums(4, 10, 2); join(got) != join(want) {
			t.Errorf("got %s, want %s", f.names(got), f.names(want))
		}
	})
}
