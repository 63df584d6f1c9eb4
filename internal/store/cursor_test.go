package store

import (
	"testing"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/filter"
)

var cursorFields = FieldTypes{
	"priority": torque.FieldInteger,
	"title":    torque.FieldString,
	"done":     torque.FieldBoolean,
	"due":      torque.FieldDate,
}

var cursorSorts = [][]filter.SortKey{
	{{Field: "priority", Desc: true}},
	{{Field: "title"}},
	{{Field: "createdAt"}},
	{{Field: "done"}, {Field: "priority"}, {Field: "due", Desc: true}},
	{{Field: "createdBy", Desc: true}, {Field: "priority"}},
}

// FuzzDecodeCursor feeds client-supplied cursors to both dialects: every
// input decodes to one bound value per sort key or is refused as EINVALID
// naming the cursor, never a panic.
func FuzzDecodeCursor(f *testing.F) {
	dialects := []dialect{sqliteDialect{}, &postgresDialect{}}
	e := &torque.Entity{ID: "0190a0a0-0000-7000-8000-000000000001", Type: "Task", Version: 3,
		CreatedAt: time.Unix(1700000000, 0), UpdatedAt: time.Unix(1700000001, 0), CreatedBy: "0190a0a0-0000-7000-8000-000000000002"}
	for _, d := range dialects {
		for _, sort := range cursorSorts {
			keys, err := sortKeys(d, cursorFields, sort)
			if err != nil {
				f.Fatal(err)
			}
			var idx []int
			var extra []any
			for i, k := range keys {
				if !k.col.system {
					idx = append(idx, i)
					extra = append(extra, map[torque.FieldType]any{
						torque.FieldInteger: int64(4), torque.FieldString: "a title",
						torque.FieldBoolean: true, torque.FieldDate: "2026-11-24",
					}[cursorFields[k.col.name]])
				}
			}
			f.Add(encodeCursor(d, keys, e, idx, extra))
		}
	}
	f.Add("")
	f.Add("e30")
	f.Add("eyJzIjoiLXByaW9yaXR5LGlkIiwidiI6W3t9LDFdfQ")
	f.Fuzz(func(t *testing.T, s string) {
		for _, d := range dialects {
			for _, sort := range cursorSorts {
				keys, err := sortKeys(d, cursorFields, sort)
				if err != nil {
					t.Fatal(err)
				}
				vals, err := decodeCursor(d, s, keys)
				if err != nil {
					if torque.ErrorCode(err) != torque.EINVALID || torque.ErrorFields(err)["cursor"] == "" {
						t.Fatalf("got %v, want EINVALID naming the cursor", err)
					}
					continue
				}
				if len(vals) != len(keys) {
					t.Fatalf("got %d values for %d keys", len(vals), len(keys))
				}
			}
		}
	})
}

func TestCursorRoundTrip(t *testing.T) {
	e := &torque.Entity{ID: "0190a0a0-0000-7000-8000-000000000001", CreatedAt: time.Unix(1700000000, 0)}
	for _, d := range []dialect{sqliteDialect{}, &postgresDialect{}} {
		keys, err := sortKeys(d, cursorFields, []filter.SortKey{{Field: "title"}})
		if err != nil {
			t.Fatal(err)
		}
		c := encodeCursor(d, keys, e, []int{0}, []any{"a title"})
		vals, err := decodeCursor(d, c, keys)
		if err != nil || len(vals) != 2 || vals[0] != "a title" || vals[1] != e.ID {
			t.Fatalf("got %v, %v; want the title and the id back", vals, err)
		}
		other, err := sortKeys(d, cursorFields, []filter.SortKey{{Field: "priority"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeCursor(d, c, other); torque.ErrorCode(err) != torque.EINVALID {
			t.Fatalf("a cursor of another sort: got %v, want EINVALID", err)
		}
	}
}

func TestCursorCreatedBy(t *testing.T) {
	e := &torque.Entity{ID: "0190a0a0-0000-7000-8000-000000000001", CreatedBy: "u1"}
	for _, d := range []dialect{sqliteDialect{}, &postgresDialect{}} {
		keys, err := sortKeys(d, cursorFields, []filter.SortKey{{Field: "createdBy", Desc: true}})
		if err != nil {
			t.Fatal(err)
		}
		vals, err := decodeCursor(d, encodeCursor(d, keys, e, nil, nil), keys)
		if err != nil || len(vals) != 2 || vals[0] != "u1" || vals[1] != e.ID {
			t.Fatalf("%s: got %v, %v; want the creator and the id back", d.name(), vals, err)
		}
	}
}
