package storetest

import (
	"context"
	"reflect"
	"testing"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/filter"
	"github.com/torquehq/torque/internal/store"
)

var personFields = store.FieldTypes{"name": torque.FieldString}
var tagFields = store.FieldTypes{"label": torque.FieldString}

func testLinks(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()
	db := open(t)
	app := newApp(t, db, "app")
	id := newIDs(t, 6)
	p1, p2, p3, t1, t2, t3 := id[0], id[1], id[2], id[3], id[4], id[5]
	insert(t, db, app.ID,
		entity(p1, "Person", `{"name":"Ann"}`, base),
		entity(p2, "Person", `{"name":"Bob"}`, base),
		entity(p3, "Person", `{"name":"Cid"}`, base),
		entity(t1, "Tag", `{"label":"red"}`, base),
		entity(t2, "Tag", `{"label":"green"}`, base),
		entity(t3, "Tag", `{"label":"blue"}`, base))
	link := func(rel, from, to string) error {
		return db.InTx(ctx, func(tx *store.Tx) error { return tx.Link(ctx, app.ID, rel, from, to) })
	}
	unlink := func(rel, from, to string) error {
		return db.InTx(ctx, func(tx *store.Tx) error { return tx.Unlink(ctx, app.ID, rel, from, to) })
	}
	for _, l := range [][2]string{{p1, t2}, {p1, t1}, {p2, t1}, {p1, t1}} {
		must(t, "Link", link("tags", l[0], l[1]))
	}
	must(t, "Link another relation", link("likes", p3, t3))

	t.Run("linked ids", func(t *testing.T) {
		tests := []struct {
			name    string
			ids     []string
			forward bool
			want    map[string][]string
		}{
			{"forward", []string{p1, p2, p3}, true, map[string][]string{p1: {t1, t2}, p2: {t1}}},
			{"reverse", []string{t1, t2, t3}, false, map[string][]string{t1: {p1, p2}, t2: {p1}}},
			{"none", nil, true, map[string][]string{}},
			{"unknown ids", []string{"nope"}, true, map[string][]string{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := db.LinkedIDs(ctx, app.ID, "tags", tt.ids, tt.forward)
				must(t, "LinkedIDs", err)
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("got %v, want %v", got, tt.want)
				}
			})
		}
	})

	t.Run("linked lists", func(t *testing.T) {
		tests := []struct {
			name   string
			typ    string
			fields store.FieldTypes
			linked store.Linked
			where  filter.Expr
			want   []string
		}{
			{"tags of p1", "Tag", tagFields, store.Linked{Rel: "tags", ID: p1, Forward: true}, nil, []string{t1, t2}},
			{"tags of p1 filtered", "Tag", tagFields, store.Linked{Rel: "tags", ID: p1, Forward: true},
				cmp("label", filter.OpEq, "green"), []string{t2}},
			{"people of t1", "Person", personFields, store.Linked{Rel: "tags", ID: t1}, nil, []string{p1, p2}},
			{"tags of p3", "Tag", tagFields, store.Linked{Rel: "tags", ID: p3, Forward: true}, nil, nil},
			{"likes of p3", "Tag", tagFields, store.Linked{Rel: "likes", ID: p3, Forward: true}, nil, []string{t3}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				l := tt.linked
				got := walk(t, db, app.ID, tt.typ, store.Query{Fields: tt.fields, Where: tt.where, Limit: 1, Linked: &l}, len(tt.want))
				if join(got) != join(tt.want) {
					t.Errorf("got %s, want %s", join(got), join(tt.want))
				}
			})
		}
	})

	t.Run("unlink", func(t *testing.T) {
		must(t, "Unlink", unlink("tags", p2, t1))
		wantCode(t, "Unlink again", unlink("tags", p2, t1), torque.ENOTFOUND)
		wantCode(t, "Unlink in another relation", unlink("likes", p1, t1), torque.ENOTFOUND)
		got, err := db.LinkedIDs(ctx, app.ID, "tags", []string{t1}, false)
		must(t, "LinkedIDs", err)
		if want := map[string][]string{t1: {p1}}; !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})

	t.Run("delete entity removes its links", func(t *testing.T) {
		must(t, "DeleteEntity", db.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteEntity(ctx, app.ID, "Tag", t1) }))
		got, err := db.LinkedIDs(ctx, app.ID, "tags", []string{p1, p2}, true)
		must(t, "LinkedIDs", err)
		if want := map[string][]string{p1: {t2}}; !reflect.DeepEqual(got, want) {
			t.Errorf("after deleting t1: got %v, want %v", got, want)
		}
		must(t, "DeleteEntity", db.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteEntity(ctx, app.ID, "Person", p3) }))
		got, err = db.LinkedIDs(ctx, app.ID, "likes", []string{t3}, false)
		must(t, "LinkedIDs", err)
		if len(got) != 0 {
			t.Errorf("after deleting p3: got %v, want no links", got)
		}
	})
}
