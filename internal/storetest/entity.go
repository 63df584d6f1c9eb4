package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/store"
)

func testEntities(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()

	t.Run("insert get update delete", func(t *testing.T) {
		db := open(t)
		app := newApp(t, db, "app")
		id := newIDs(t, 1)[0]
		at := time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.FixedZone("CET", 3600))
		e := entity(id, "Item", `{"title": "Write", "priority": 3, "done": false, "meta": {"a": [1, 2]}}`, at)
		e.CreatedBy = "u1"
		insert(t, db, app.ID, e)
		wantAt := time.Date(2026, 3, 1, 11, 0, 0, 123456000, time.UTC)
		if !e.CreatedAt.Equal(wantAt) || e.CreatedAt.Location() != time.UTC {
			t.Errorf("stored CreatedAt: got %v, want %v in UTC", e.CreatedAt, wantAt)
		}

		got, err := db.Entity(ctx, app.ID, "Item", id)
		must(t, "Entity", err)
		if got.ID != id || got.Type != "Item" || got.Version != 1 || !sameJSON(t, got.Data, e.Data) || got.CreatedBy != "u1" {
			t.Errorf("Entity: got %s %s v%d %s by %q, want %s Item v1 %s by u1", got.ID, got.Type, got.Version, got.Data, got.CreatedBy, id, e.Data)
		}
		if !got.CreatedAt.Equal(wantAt) || got.CreatedAt.Location() != time.UTC || !got.UpdatedAt.Equal(wantAt) {
			t.Errorf("Entity timestamps: got %v %v, want %v in UTC", got.CreatedAt, got.UpdatedAt, wantAt)
		}

		later := wantAt.Add(time.Minute)
		up := &torque.Entity{ID: id, Type: "Item", Data: json.RawMessage(`{"title":"Write more"}`), Version: 2, UpdatedAt: later, CreatedBy: "u2"}
		must(t, "UpdateEntity", db.InTx(ctx, func(tx *store.Tx) error { return tx.UpdateEntity(ctx, app.ID, up, 1) }))
		got, err = db.Entity(ctx, app.ID, "Item", id)
		must(t, "Entity", err)
		if got.Version != 2 || !got.UpdatedAt.Equal(later) || !got.CreatedAt.Equal(wantAt) || !sameJSON(t, got.Data, up.Data) || got.CreatedBy != "u1" {
			t.Errorf("Entity after update: got v%d created %v by %q updated %v %s, want v2 created %v by u1 updated %v %s",
				got.Version, got.CreatedAt, got.CreatedBy, got.UpdatedAt, got.Data, wantAt, later, up.Data)
		}

		stale := &torque.Entity{ID: id, Type: "Item", Data: json.RawMessage(`{}`), Version: 2, UpdatedAt: later}
		err = db.InTx(ctx, func(tx *store.Tx) error { return tx.UpdateEntity(ctx, app.ID, stale, 1) })
		wantCode(t, "UpdateEntity on a stale version", err, torque.ECONFLICT)
		if want := "entity changed since version 1: current version 2"; torque.ErrorMessage(err) != want {
			t.Errorf("conflict message: got %q, want %q", torque.ErrorMessage(err), want)
		}

		must(t, "DeleteEntity", db.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteEntity(ctx, app.ID, "Item", id) }))
		_, err = db.Entity(ctx, app.ID, "Item", id)
		wantCode(t, "Entity after delete", err, torque.ENOTFOUND)
		err = db.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteEntity(ctx, app.ID, "Item", id) })
		wantCode(t, "DeleteEntity again", err, torque.ENOTFOUND)
		err = db.InTx(ctx, func(tx *store.Tx) error { return tx.UpdateEntity(ctx, app.ID, stale, 2) })
		wantCode(t, "UpdateEntity after delete", err, torque.ENOTFOUND)
	})

	t.Run("errors", func(t *testing.T) {
		db := open(t)
		app := newApp(t, db, "app")
		other := newApp(t, db, "other")
		id := newIDs(t, 1)[0]
		insert(t, db, app.ID, entity(id, "Item", `{"title":"x"}`, base))
		tests := []struct {
			name string
			run  func() error
			code string
		}{
			{"insert an existing id", func() error {
				return db.InTx(ctx, func(tx *store.Tx) error {
					return tx.InsertEntity(ctx, app.ID, entity(id, "Item", `{}`, base))
				})
			}, torque.ECONFLICT},
			{"insert data that is not an object", func() error {
				return db.InTx(ctx, func(tx *store.Tx) error {
					return tx.InsertEntity(ctx, app.ID, entity(newIDs(t, 1)[0], "Item", `[1]`, base))
				})
			}, torque.EINVALID},
			{"insert malformed data", func() error {
				return db.InTx(ctx, func(tx *store.Tx) error {
					return tx.InsertEntity(ctx, app.ID, entity(newIDs(t, 1)[0], "Item", `{"a":`, base))
				})
			}, torque.EINVALID},
			{"insert without id", func() error {
				return db.InTx(ctx, func(tx *store.Tx) error {
					return tx.InsertEntity(ctx, app.ID, entity("", "Item", `{}`, base))
				})
			}, torque.EINVALID},
			{"insert data with a NUL character", func() error {
				return db.InTx(ctx, func(tx *store.Tx) error {
					return tx.InsertEntity(ctx, app.ID, entity(newIDs(t, 1)[0], "Item", `{"title":"a\u0000b"}`, base))
				})
			}, torque.EINVALID},
			{"insert an id that is not UTF-8", func() error {
				return db.InTx(ctx, func(tx *store.Tx) error {
					return tx.InsertEntity(ctx, app.ID, entity("\xff", "Item", `{}`, base))
				})
			}, torque.EINVALID},
			{"insert a creator that is not UTF-8", func() error {
				return db.InTx(ctx, func(tx *store.Tx) error {
					e := entity(newIDs(t, 1)[0], "Item", `{}`, base)
					e.CreatedBy = "\xff"
					return tx.InsertEntity(ctx, app.ID, e)
				})
			}, torque.EINVALID},
			{"link an id with a NUL", func() error {
				return db.InTx(ctx, func(tx *store.Tx) error { return tx.Link(ctx, app.ID, "tags", id, "a\x00") })
			}, torque.EINVALID},
			{"get an id with a NUL", func() error {
				_, err := db.Entity(ctx, app.ID, "Item", "a\x00b")
				return err
			}, torque.ENOTFOUND},
			{"get an id that is not UTF-8", func() error {
				_, err := db.Entity(ctx, app.ID, "Item", "\xff")
				return err
			}, torque.ENOTFOUND},
			{"delete an id that is not UTF-8", func() error {
				return db.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteEntity(ctx, app.ID, "Item", "\xff") })
			}, torque.ENOTFOUND},
			{"unlink an id with a NUL", func() error {
				return db.InTx(ctx, func(tx *store.Tx) error { return tx.Unlink(ctx, app.ID, "tags", id, "a\x00") })
			}, torque.ENOTFOUND},
			{"model named with a NUL", func() error {
				_, err := db.Model(ctx, "a\x00")
				return err
			}, torque.ENOTFOUND},
			{"app named with bad UTF-8", func() error {
				_, err := db.App(ctx, "\xff")
				return err
			}, torque.ENOTFOUND},
			{"create an app named with bad UTF-8", func() error {
				return db.CreateApp(ctx, &torque.App{Name: "\xff", Model: app.Model})
			}, torque.EINVALID},
			{"get with another type", func() error {
				_, err := db.Entity(ctx, app.ID, "Person", id)
				return err
			}, torque.ENOTFOUND},
			{"get in another app", func() error {
				_, err := db.Entity(ctx, other.ID, "Item", id)
				return err
			}, torque.ENOTFOUND},
			{"update in another app", func() error {
				return db.InTx(ctx, func(tx *store.Tx) error {
					e := entity(id, "Item", `{}`, base)
					e.Version = 2
					return tx.UpdateEntity(ctx, other.ID, e, 1)
				})
			}, torque.ENOTFOUND},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantCode(t, tt.name, tt.run(), tt.code)
			})
		}
	})

	t.Run("by id", func(t *testing.T) {
		db := open(t)
		app := newApp(t, db, "app")
		ids := newIDs(t, 4)
		for i, id := range ids {
			insert(t, db, app.ID, entity(id, "Item", fmt.Sprintf(`{"priority":%d}`, i), base))
		}
		tests := []struct {
			name string
			ask  []string
			want []string
		}{
			{"none", nil, nil},
			{"some", []string{ids[2], ids[0]}, []string{ids[0], ids[2]}},
			{"missing skipped", []string{ids[3], "nope", ids[1]}, []string{ids[1], ids[3]}},
			{"impossible ids skipped", []string{ids[2], "\xff", "a\x00"}, []string{ids[2]}},
			{"all", ids, ids},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := db.EntitiesByID(ctx, app.ID, "Item", tt.ask)
				must(t, "EntitiesByID", err)
				if g, w := join(sorted(entityIDs(got))), join(sorted(tt.want)); g != w {
					t.Errorf("EntitiesByID: got %s, want %s", g, w)
				}
				for _, e := range got {
					if e.Type != "Item" || e.Version != 1 || len(e.Data) == 0 {
						t.Errorf("entity %s: got type %q version %d data %s", e.ID, e.Type, e.Version, e.Data)
					}
				}
			})
		}
		got, err := db.EntitiesByID(ctx, app.ID, "Person", ids)
		must(t, "EntitiesByID", err)
		if len(got) != 0 {
			t.Errorf("EntitiesByID of another type: got %d, want 0", len(got))
		}
	})
}

func testTx(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()

	t.Run("reads see own writes", func(t *testing.T) {
		db := open(t)
		app := newApp(t, db, "app")
		ids := newIDs(t, 2)
		insert(t, db, app.ID, entity(ids[0], "Item", `{"priority":1}`, base))
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.InsertEntity(ctx, app.ID, entity(ids[1], "Item", `{"priority":2}`, base)); err != nil {
				return err
			}
			if _, err := tx.Entity(ctx, app.ID, "Item", ids[1]); err != nil {
				return fmt.Errorf("tx.Entity: %w", err)
			}
			if _, err := db.Entity(ctx, app.ID, "Item", ids[1]); torque.ErrorCode(err) != torque.ENOTFOUND {
				return fmt.Errorf("db.Entity before commit: got %v, want ENOTFOUND", err)
			}
			n, err := tx.Count(ctx, app.ID, "Item", itemFields, nil)
			if err != nil || n != 2 {
				return fmt.Errorf("tx.Count: got %d %v, want 2", n, err)
			}
			got, err := tx.IDs(ctx, app.ID, "Item", itemFields, nil, 0)
			if err != nil || join(got) != join(ids) {
				return fmt.Errorf("tx.IDs: got %v %v, want %v", got, err, ids)
			}
			page, err := tx.List(ctx, app.ID, "Item", store.Query{Fields: itemFields, Limit: 10})
			if err != nil || len(page.Items) != 2 {
				return fmt.Errorf("tx.List: got %v %v, want 2 items", page, err)
			}
			es, err := tx.EntitiesByID(ctx, app.ID, "Item", ids)
			if err != nil || len(es) != 2 {
				return fmt.Errorf("tx.EntitiesByID: got %d %v, want 2", len(es), err)
			}
			if err := tx.Link(ctx, app.ID, "tags", ids[0], ids[1]); err != nil {
				return err
			}
			links, err := tx.LinkedIDs(ctx, app.ID, "tags", ids[:1], true)
			if err != nil || len(links[ids[0]]) != 1 {
				return fmt.Errorf("tx.LinkedIDs: got %v %v, want one link", links, err)
			}
			return tx.Lock(ctx, "app:1:Item:title:x")
		})
		must(t, "InTx", err)
		_, err = db.Entity(ctx, app.ID, "Item", ids[1])
		must(t, "Entity after commit", err)
	})

	t.Run("rollback on error", func(t *testing.T) {
		db := open(t)
		app := newApp(t, db, "app")
		id := newIDs(t, 1)[0]
		sentinel := errors.New("stop")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.InsertEntity(ctx, app.ID, entity(id, "Item", `{}`, base)); err != nil {
				return err
			}
			return sentinel
		})
		if err != sentinel {
			t.Fatalf("InTx: got %v, want the error of fn unchanged", err)
		}
		_, err = db.Entity(ctx, app.ID, "Item", id)
		wantCode(t, "Entity after rollback", err, torque.ENOTFOUND)

		// A torque error from inside comes back as is, too.
		err = db.InTx(ctx, func(tx *store.Tx) error {
			return tx.DeleteEntity(ctx, app.ID, "Item", id)
		})
		wantCode(t, "InTx with a failed delete", err, torque.ENOTFOUND)
	})

	t.Run("rollback on panic", func(t *testing.T) {
		db := open(t)
		app := newApp(t, db, "app")
		id := newIDs(t, 1)[0]
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Errorf("recover: got %v, want boom", r)
				}
			}()
			_ = db.InTx(ctx, func(tx *store.Tx) error {
				if err := tx.InsertEntity(ctx, app.ID, entity(id, "Item", `{}`, base)); err != nil {
					return err
				}
				panic("boom")
			})
		}()
		_, err := db.Entity(ctx, app.ID, "Item", id)
		wantCode(t, "Entity after panic", err, torque.ENOTFOUND)
		// The writer is usable again.
		insert(t, db, app.ID, entity(id, "Item", `{}`, base))
	})

	t.Run("stale version names the current one", func(t *testing.T) {
		db := open(t)
		app := newApp(t, db, "app")
		id := newIDs(t, 1)[0]
		insert(t, db, app.ID, entity(id, "Item", `{}`, base))
		err := db.InTx(ctx, func(tx *store.Tx) error {
			e := entity(id, "Item", `{"title":"x"}`, base)
			e.Version = 6
			return tx.UpdateEntity(ctx, app.ID, e, 5)
		})
		wantCode(t, "UpdateEntity", err, torque.ECONFLICT)
		if !strings.Contains(torque.ErrorMessage(err), "current version 1") {
			t.Errorf("message: got %q, want current version 1", torque.ErrorMessage(err))
		}
	})
}
