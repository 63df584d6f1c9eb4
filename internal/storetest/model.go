package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/filter"
	"github.com/torquehq/torque/internal/store"
)

func testModels(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()

	t.Run("create and read", func(t *testing.T) {
		db := open(t)
		m := newModel("tasks")
		m.Description = "Tasks and people"
		m.Pages = []json.RawMessage{json.RawMessage(`{"name":"home"}`)}
		before := time.Now().Add(-time.Second)
		must(t, "CreateModel", db.CreateModel(ctx, m))
		u, err := uuid.Parse(m.ID)
		if err != nil || u.Version() != 7 {
			t.Errorf("ID: got %q, want a UUIDv7", m.ID)
		}
		if m.CreatedAt == nil || m.UpdatedAt == nil || m.CreatedAt.Before(before) || !m.CreatedAt.Equal(*m.UpdatedAt) {
			t.Errorf("timestamps: got %v and %v, want both now", m.CreatedAt, m.UpdatedAt)
		}
		got, err := db.Model(ctx, "tasks")
		must(t, "Model", err)
		if !reflect.DeepEqual(got, m) {
			t.Errorf("Model: got %+v, want %+v", got, m)
		}
		if got.CreatedAt.Location() != time.UTC {
			t.Errorf("CreatedAt location: got %v, want UTC", got.CreatedAt.Location())
		}
		must(t, "CreateModel", db.CreateModel(ctx, newModel("alpha")))
		all, err := db.Models(ctx)
		must(t, "Models", err)
		var names []string
		for _, x := range all {
			names = append(names, x.Name)
		}
		if want := []string{"alpha", "tasks"}; !reflect.DeepEqual(names, want) {
			t.Errorf("Models: got %v, want %v", names, want)
		}
	})

	t.Run("duplicate name", func(t *testing.T) {
		db := open(t)
		must(t, "CreateModel", db.CreateModel(ctx, newModel("tasks")))
		wantCode(t, "CreateModel again", db.CreateModel(ctx, newModel("tasks")), torque.ECONFLICT)
	})

	t.Run("not found", func(t *testing.T) {
		db := open(t)
		_, err := db.Model(ctx, "nope")
		wantCode(t, "Model", err, torque.ENOTFOUND)
		_, err = db.ModelVersions(ctx, "nope")
		wantCode(t, "ModelVersions", err, torque.ENOTFOUND)
		_, err = db.ModelAtVersion(ctx, "nope", 1)
		wantCode(t, "ModelAtVersion", err, torque.ENOTFOUND)
		m := newModel("nope")
		m.Version = 2
		wantCode(t, "UpdateModel", db.UpdateModel(ctx, m, 1), torque.ENOTFOUND)
		wantCode(t, "DeleteModel", db.DeleteModel(ctx, "nope"), torque.ENOTFOUND)
	})

	t.Run("update is compare-and-swap", func(t *testing.T) {
		db := open(t)
		m := newModel("tasks")
		must(t, "CreateModel", db.CreateModel(ctx, m))
		created := *m.CreatedAt

		v2 := newModel("tasks")
		v2.Description = "second"
		v2.Version = 2
		must(t, "UpdateModel", db.UpdateModel(ctx, v2, 1))
		if v2.ID != m.ID || !v2.CreatedAt.Equal(created) || v2.UpdatedAt.Before(created) {
			t.Errorf("UpdateModel: got id %s created %v updated %v, want id %s created %v", v2.ID, v2.CreatedAt, v2.UpdatedAt, m.ID, created)
		}

		stale := newModel("tasks")
		stale.Version = 2
		err := db.UpdateModel(ctx, stale, 1)
		wantCode(t, "UpdateModel on a stale base", err, torque.ECONFLICT)
		if msg := torque.ErrorMessage(err); !strings.Contains(msg, "current version 2") {
			t.Errorf("conflict message: got %q, want it to name current version 2", msg)
		}

		same := newModel("tasks")
		same.Version = 2
		wantCode(t, "UpdateModel to the base version", db.UpdateModel(ctx, same, 2), torque.EINVALID)

		got, err := db.Model(ctx, "tasks")
		must(t, "Model", err)
		if got.Version != 2 || got.Description != "second" {
			t.Errorf("Model: got version %d %q, want version 2 \"second\"", got.Version, got.Description)
		}
		versions, err := db.ModelVersions(ctx, "tasks")
		must(t, "ModelVersions", err)
		var vs []int64
		for _, v := range versions {
			vs = append(vs, v.Version)
			if v.Model != nil || v.CreatedAt.IsZero() {
				t.Errorf("version %d: got model %v created %v, want no model and a time", v.Version, v.Model, v.CreatedAt)
			}
		}
		if want := []int64{2, 1}; !reflect.DeepEqual(vs, want) {
			t.Errorf("ModelVersions: got %v, want %v", vs, want)
		}
		old, err := db.ModelAtVersion(ctx, "tasks", 1)
		must(t, "ModelAtVersion", err)
		if old.Version != 1 || old.Description != "" || old.ID != m.ID {
			t.Errorf("ModelAtVersion 1: got version %d %q id %s, want version 1 \"\" id %s", old.Version, old.Description, old.ID, m.ID)
		}
		_, err = db.ModelAtVersion(ctx, "tasks", 3)
		wantCode(t, "ModelAtVersion 3", err, torque.ENOTFOUND)
	})

	t.Run("pages of versions", func(t *testing.T) {
		db := open(t)
		m := newModel("paged")
		must(t, "CreateModel", db.CreateModel(ctx, m))
		for v := int64(2); v <= 5; v++ {
			next := newModel("paged")
			next.Version, next.Description = v, fmt.Sprint("version ", v)
			must(t, "UpdateModel", db.UpdateModel(ctx, next, v-1))
		}
		for _, tc := range []struct {
			name string
			page store.VersionPage
			want []int64
		}{
			{"every one", store.VersionPage{}, []int64{5, 4, 3, 2, 1}},
			{"the newest two", store.VersionPage{First: 2}, []int64{5, 4}},
			{"two before 4", store.VersionPage{First: 2, Before: 4}, []int64{3, 2}},
			{"before the oldest", store.VersionPage{First: 2, Before: 1}, []int64{}},
			{"with documents", store.VersionPage{First: 3, Before: 5, Documents: true}, []int64{4, 3, 2}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, err := db.ModelVersionPage(ctx, "paged", tc.page)
				must(t, "ModelVersionPage", err)
				vs := []int64{}
				for _, v := range got {
					vs = append(vs, v.Version)
					switch {
					case !tc.page.Documents && v.Model != nil:
						t.Errorf("version %d: got a document, want none", v.Version)
					case tc.page.Documents && (v.Model == nil || v.Model.Version != v.Version || v.Model.Description != fmt.Sprint("version ", v.Version) ||
						v.Model.ID != m.ID || !v.Model.UpdatedAt.Equal(v.CreatedAt)):
						t.Errorf("version %d: got document %+v, want the model at that version", v.Version, v.Model)
					}
				}
				if !reflect.DeepEqual(vs, tc.want) {
					t.Errorf("got versions %v, want %v", vs, tc.want)
				}
			})
		}
		_, err := db.ModelVersionPage(ctx, "nope", store.VersionPage{Before: 1})
		wantCode(t, "ModelVersionPage of no model", err, torque.ENOTFOUND)
	})

	t.Run("create keeps the given version", func(t *testing.T) {
		db := open(t)
		m := newModel("imported")
		m.Version = 7
		must(t, "CreateModel", db.CreateModel(ctx, m))
		versions, err := db.ModelVersions(ctx, "imported")
		must(t, "ModelVersions", err)
		if len(versions) != 1 || versions[0].Version != 7 {
			t.Errorf("ModelVersions: got %+v, want one version 7", versions)
		}
	})

	t.Run("delete", func(t *testing.T) {
		db := open(t)
		m := newModel("tasks")
		must(t, "CreateModel", db.CreateModel(ctx, m))
		v2 := newModel("tasks")
		v2.Version = 2
		must(t, "UpdateModel", db.UpdateModel(ctx, v2, 1))
		for _, name := range []string{"b-app", "a-app"} {
			must(t, "CreateApp", db.CreateApp(ctx, &torque.App{Name: name, Model: "tasks"}))
		}
		err := db.DeleteModel(ctx, "tasks")
		wantCode(t, "DeleteModel in use", err, torque.ECONFLICT)
		if msg := torque.ErrorMessage(err); !strings.Contains(msg, "a-app, b-app") {
			t.Errorf("conflict message: got %q, want it to name a-app, b-app", msg)
		}
		must(t, "DeleteApp", db.DeleteApp(ctx, "a-app"))
		must(t, "DeleteApp", db.DeleteApp(ctx, "b-app"))
		must(t, "DeleteModel", db.DeleteModel(ctx, "tasks"))
		_, err = db.Model(ctx, "tasks")
		wantCode(t, "Model after delete", err, torque.ENOTFOUND)
		_, err = db.ModelVersions(ctx, "tasks")
		wantCode(t, "ModelVersions after delete", err, torque.ENOTFOUND)

		must(t, "CreateModel again", db.CreateModel(ctx, newModel("tasks")))
		versions, err := db.ModelVersions(ctx, "tasks")
		must(t, "ModelVersions", err)
		if len(versions) != 1 || versions[0].Version != 1 {
			t.Errorf("versions of the new model: got %+v, want only version 1", versions)
		}
	})
}

func testApps(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()

	t.Run("create and read", func(t *testing.T) {
		db := open(t)
		wantCode(t, "CreateApp without model", db.CreateApp(ctx, &torque.App{Name: "x", Model: "nope"}), torque.ENOTFOUND)
		must(t, "CreateModel", db.CreateModel(ctx, newModel("tasks")))
		b := &torque.App{Name: "beta", Model: "tasks"}
		must(t, "CreateApp", db.CreateApp(ctx, b))
		a := &torque.App{Name: "alpha", Model: "tasks"}
		must(t, "CreateApp", db.CreateApp(ctx, a))
		if a.ID == 0 || a.ID == b.ID || a.CreatedAt.IsZero() {
			t.Errorf("CreateApp: got ids %d and %d created %v, want distinct ids and a time", a.ID, b.ID, a.CreatedAt)
		}
		wantCode(t, "CreateApp again", db.CreateApp(ctx, &torque.App{Name: "alpha", Model: "tasks"}), torque.ECONFLICT)
		got, err := db.App(ctx, "alpha")
		must(t, "App", err)
		if !reflect.DeepEqual(got, a) {
			t.Errorf("App: got %+v, want %+v", got, a)
		}
		all, err := db.Apps(ctx)
		must(t, "Apps", err)
		if len(all) != 2 || all[0].Name != "alpha" || all[1].Name != "beta" {
			t.Errorf("Apps: got %+v, want alpha, beta", all)
		}
		_, err = db.App(ctx, "nope")
		wantCode(t, "App", err, torque.ENOTFOUND)
		wantCode(t, "DeleteApp", db.DeleteApp(ctx, "nope"), torque.ENOTFOUND)
	})

	t.Run("delete removes data", func(t *testing.T) {
		db := open(t)
		a, b := newApp(t, db, "a"), newApp(t, db, "b")
		ids := newIDs(t, 4)
		for _, app := range []*torque.App{a, b} {
			insert(t, db, app.ID,
				entity(ids[0], "Person", `{"name":"Ann"}`, base),
				entity(ids[1], "Tag", `{"label":"x"}`, base),
				entity(ids[2], "Item", `{"title":"t","priority":1}`, base))
			must(t, "Link", db.InTx(ctx, func(tx *store.Tx) error { return tx.Link(ctx, app.ID, "tags", ids[0], ids[1]) }))
		}
		must(t, "DeleteApp", db.DeleteApp(ctx, "a"))
		_, err := db.App(ctx, "a")
		wantCode(t, "App after delete", err, torque.ENOTFOUND)
		for _, typ := range []string{"Person", "Tag", "Item"} {
			n, err := db.Count(ctx, a.ID, typ, itemFields, nil)
			must(t, "Count", err)
			if n != 0 {
				t.Errorf("%s of the deleted app: got %d, want 0", typ, n)
			}
			n, err = db.Count(ctx, b.ID, typ, itemFields, nil)
			must(t, "Count", err)
			if n != 1 {
				t.Errorf("%s of the other app: got %d, want 1", typ, n)
			}
		}
		links, err := db.LinkedIDs(ctx, a.ID, "tags", []string{ids[0]}, true)
		must(t, "LinkedIDs", err)
		if len(links) != 0 {
			t.Errorf("links of the deleted app: got %v, want none", links)
		}
		links, err = db.LinkedIDs(ctx, b.ID, "tags", []string{ids[0]}, true)
		must(t, "LinkedIDs", err)
		if len(links[ids[0]]) != 1 {
			t.Errorf("links of the other app: got %v, want one", links)
		}

		// A new app gets a new id, never the deleted one's.
		c := newApp(t, db, "a")
		if c.ID == a.ID {
			t.Errorf("new app id: got %d, the id of the deleted app", c.ID)
		}
		page, err := db.List(ctx, c.ID, "Item", store.Query{Fields: itemFields, Limit: 10,
			Where: &filter.Compare{Field: "priority", Op: filter.OpEq, Value: int64(1)}})
		must(t, "List", err)
		if len(page.Items) != 0 {
			t.Errorf("items of the new app: got %d, want 0", len(page.Items))
		}
	})
}
