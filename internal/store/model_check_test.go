package store_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/store"
	"github.com/torquehq/torque/internal/storetest"
)

// TestFieldBreaches checks every rule on both dialects over values of every
// JSON type, some of which no field type would let in today (data left by
// earlier versions of a model), in two apps of one model and one app of
// another model, whose records must not count.
func TestFieldBreaches(t *testing.T) {
	for _, st := range storetest.Openers {
		t.Run(st.Name, func(t *testing.T) { testFieldBreaches(t, st.Open) })
	}
}

func testFieldBreaches(t *testing.T, open func(*testing.T) *store.DB) {
	ctx := t.Context()
	db := open(t)
	apps := map[string]int64{}
	for _, a := range []struct{ model, app string }{{"M", "a"}, {"M", "b"}, {"Other", "c"}} {
		if _, err := db.Model(ctx, a.model); err != nil {
			m := &torque.Model{Name: a.model, Version: 1, Entities: []torque.EntityType{{Name: "T", Fields: []torque.Field{{Name: "v", Type: torque.FieldJSON}}}}}
			if err := db.CreateModel(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		app := &torque.App{Name: a.app, Model: a.model}
		if err := db.CreateApp(ctx, app); err != nil {
			t.Fatal(err)
		}
		apps[a.app] = app.ID
	}
	n := 0
	insert := func(app, data string) {
		t.Helper()
		n++
		now := time.Now()
		e := &torque.Entity{ID: fmt.Sprintf("0190a000-0000-7000-8000-%012d", n), Type: "T", Data: json.RawMessage(data),
			Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertEntity(ctx, apps[app], e) }); err != nil {
			t.Fatalf("insert %s: %v", data, err)
		}
	}
	for _, v := range []string{`3`, `3.0`, `2.5`, `1e3`, `99999999999999999999`, `"7"`, `null`, ``, `true`, `{"a": 1}`} {
		if v == "" {
			insert("a", `{}`)
		} else {
			insert("a", `{"v": `+v+`}`)
		}
	}
	insert("b", `{"v": "7"}`)
	insert("c", `{"v": "x"}`)
	insert("c", `{}`)

	tests := []struct {
		name  string
		rule  store.FieldRule
		count int64
		first string // "" to leave unchecked; "-" for none
	}{
		{"required", store.FieldRule{Rule: store.RuleRequired}, 2, "-"},
		{"string", store.FieldRule{Rule: store.RuleString}, 7, "3"},
		{"number", store.FieldRule{Rule: store.RuleNumber}, 4, `"7"`},
		{"integer", store.FieldRule{Rule: store.RuleInteger}, 6, "2.5"},
		{"boolean", store.FieldRule{Rule: store.RuleBoolean}, 8, "3"},
		{"one of", store.FieldRule{Rule: store.RuleOneOf, Values: []string{"7"}}, 7, "3"},
		{"one of, value missing", store.FieldRule{Rule: store.RuleOneOf, Values: []string{"8"}}, 9, "3"},
		{"min", store.FieldRule{Rule: store.RuleMin, Bound: 3}, 1, "2.5"},
		{"max", store.FieldRule{Rule: store.RuleMax, Bound: 3}, 2, ""},
		{"max, fractional bound", store.FieldRule{Rule: store.RuleMax, Bound: 2.75}, 4, "3"},
		{"minLength", store.FieldRule{Rule: store.RuleMinLength, Length: 2}, 2, `"7"`},
		{"maxLength", store.FieldRule{Rule: store.RuleMaxLength, Length: 1}, 0, "-"},
		{"unique numbers (3 and 3.0)", store.FieldRule{Rule: store.RuleUnique, Type: torque.FieldInteger}, 2, "3"},
		{"valid", store.FieldRule{Rule: store.RuleValid, Valid: func(v any) bool { return v == "7" }}, 7, "3"},
		{"valid sees numbers as written", store.FieldRule{Rule: store.RuleValid, Valid: func(v any) bool {
			n, ok := v.(json.Number)
			return !ok || n.String() != "2.5"
		}}, 1, "2.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b store.Breaches
			err := db.InTx(ctx, func(tx *store.Tx) (err error) {
				b, err = tx.FieldBreaches(ctx, "M", "T", "v", tt.rule)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if b.Count != tt.count {
				t.Errorf("got count %d, want %d", b.Count, tt.count)
			}
			switch tt.first {
			case "":
			case "-":
				if b.First != nil {
					t.Errorf("got first %s, want none", b.First)
				}
			default:
				if string(b.First) != tt.first {
					t.Errorf("got first %s, want %s", b.First, tt.first)
				}
			}
		})
	}

	t.Run("unique compares JSON values alike on both dialects", func(t *testing.T) {
		// 1 and 1.0 are one value, "x" and "x" too; 1, "1" and true are
		// three, as are 0 and false, "true" and true.
		for i, v := range []string{`1`, `"1"`, `true`, `"true"`, `1.0`, `"x"`, `"x"`, `false`, `0`, `{"a": 1}`, `{"a": 1}`} {
			n++
			now := time.Now()
			e := &torque.Entity{ID: fmt.Sprintf("0190a000-0000-7000-9000-%012d", i), Type: "W", Data: json.RawMessage(`{"v": ` + v + `}`),
				Version: 1, CreatedAt: now, UpdatedAt: now}
			if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertEntity(ctx, apps["a"], e) }); err != nil {
				t.Fatalf("insert %s: %v", v, err)
			}
		}
		for _, typ := range []torque.FieldType{torque.FieldString, torque.FieldNumber, torque.FieldBoolean} {
			var b store.Breaches
			err := db.InTx(ctx, func(tx *store.Tx) (err error) {
				b, err = tx.FieldBreaches(ctx, "M", "W", "v", store.FieldRule{Rule: store.RuleUnique, Type: typ})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if b.Count != 4 || string(b.First) != "1" {
				t.Errorf("unique %s: got %d, first %s; want 4, first 1", typ, b.Count, b.First)
			}
		}
	})
	t.Run("refers", func(t *testing.T) {
		target := &torque.Entity{ID: "0190a000-0000-7000-a000-000000000001", Type: "R", Data: json.RawMessage(`{}`),
			Version: 1, CreatedAt: time.Now(), UpdatedAt: time.Now()}
		for app, e := range map[string]*torque.Entity{"b": target} {
			if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertEntity(ctx, apps[app], e) }); err != nil {
				t.Fatal(err)
			}
		}
		for i, v := range []string{`"` + target.ID + `"`, `null`, `"0190a000-0000-7000-a000-000000000002"`, `3`} {
			e := &torque.Entity{ID: fmt.Sprintf("0190a000-0000-7000-b000-%012d", i), Type: "S", Data: json.RawMessage(`{"r": ` + v + `}`),
				Version: 1, CreatedAt: time.Now(), UpdatedAt: time.Now()}
			if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertEntity(ctx, apps["b"], e) }); err != nil {
				t.Fatal(err)
			}
		}
		// The same id in app a refers to nothing there.
		e := &torque.Entity{ID: "0190a000-0000-7000-b000-000000000009", Type: "S", Data: json.RawMessage(`{"r": "` + target.ID + `"}`),
			Version: 1, CreatedAt: time.Now(), UpdatedAt: time.Now()}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return tx.InsertEntity(ctx, apps["a"], e) }); err != nil {
			t.Fatal(err)
		}
		var b store.Breaches
		err := db.InTx(ctx, func(tx *store.Tx) (err error) {
			b, err = tx.FieldBreaches(ctx, "M", "S", "r", store.FieldRule{Rule: store.RuleRefers, Target: "R"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if b.Count != 3 || string(b.First) != `"0190a000-0000-7000-a000-000000000002"` {
			t.Errorf("got %d, first %s; want 3: an id of nothing, a number, an id of another app", b.Count, b.First)
		}
	})
	t.Run("has entities", func(t *testing.T) {
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for _, c := range []struct {
				model, typ string
				want       bool
			}{{"M", "T", true}, {"M", "U", false}, {"Nope", "T", false}} {
				got, err := tx.HasEntities(ctx, c.model, c.typ)
				if err != nil {
					return err
				}
				if got != c.want {
					t.Errorf("HasEntities(%s, %s): got %v, want %v", c.model, c.typ, got, c.want)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("refuses names that are not identifiers", func(t *testing.T) {
		err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.FieldBreaches(ctx, "M", "T", "v') OR 1=1 --", store.FieldRule{Rule: store.RuleRequired})
			return err
		})
		if err == nil {
			t.Fatal("got nil error, want one")
		}
	})
}
