package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/filter"
	"github.com/torquehq/torque/internal/store"
)

func testConcurrency(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()

	t.Run("writers and readers", func(t *testing.T) {
		db := open(t)
		app := newApp(t, db, "app")
		const writers, perWriter, readers = 4, 25, 4
		var wg sync.WaitGroup
		errs := make(chan error, writers+readers)
		var done atomic.Bool
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < perWriter; i++ {
					id := uuid.Must(uuid.NewV7()).String()
					e := entity(id, "Item", fmt.Sprintf(`{"title":"w%d-%d","priority":%d}`, w, i, i%5), time.Now())
					err := db.InTx(ctx, func(tx *store.Tx) error {
						if err := tx.InsertEntity(ctx, app.ID, e); err != nil {
							return err
						}
						got, err := tx.Entity(ctx, app.ID, "Item", id)
						if err != nil {
							return err
						}
						got.Data, got.Version, got.UpdatedAt = json.RawMessage(`{"priority":9}`), 2, time.Now()
						return tx.UpdateEntity(ctx, app.ID, got, 1)
					})
					if err != nil {
						errs <- fmt.Errorf("writer %d: %w", w, err)
						return
					}
				}
			}()
		}
		var rg sync.WaitGroup
		for r := 0; r < readers; r++ {
			rg.Add(1)
			go func() {
				defer rg.Done()
				for !done.Load() {
					q := store.Query{Fields: itemFields, Where: cmp("priority", filter.OpGe, int64(0)),
						Sort: []filter.SortKey{{Field: "priority", Desc: true}}, Limit: 10, Count: true}
					page, err := db.List(ctx, app.ID, "Item", q)
					if err != nil {
						errs <- fmt.Errorf("reader %d: %w", r, err)
						return
					}
					for _, e := range page.Items {
						if _, err := db.Entity(ctx, app.ID, "Item", e.ID); err != nil {
							errs <- fmt.Errorf("reader %d: %w", r, err)
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		done.Store(true)
		rg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		n, err := db.Count(ctx, app.ID, "Item", itemFields, cmp("version", filter.OpEq, int64(2)))
		must(t, "Count", err)
		if n != writers*perWriter {
			t.Errorf("entities at version 2: got %d, want %d", n, writers*perWriter)
		}
	})

	t.Run("one compare-and-swap wins", func(t *testing.T) {
		db := open(t)
		app := newApp(t, db, "app")
		id := newIDs(t, 1)[0]
		insert(t, db, app.ID, entity(id, "Item", `{}`, base))
		oneWins(t, 8, func(i int) error {
			e := entity(id, "Item", fmt.Sprintf(`{"priority":%d}`, i), base)
			e.Version = 2
			return db.InTx(ctx, func(tx *store.Tx) error { return tx.UpdateEntity(ctx, app.ID, e, 1) })
		})
	})

	t.Run("one app name wins", func(t *testing.T) {
		db := open(t)
		must(t, "CreateModel", db.CreateModel(ctx, newModel("tasks")))
		oneWins(t, 4, func(int) error {
			return db.CreateApp(ctx, &torque.App{Name: "same", Model: "tasks"})
		})
	})

	t.Run("indexes ensured at once", func(t *testing.T) {
		db := open(t)
		m := newModel("tasks")
		must(t, "CreateModel", db.CreateModel(ctx, m))
		var wg sync.WaitGroup
		errs := make(chan error, 3)
		for i := 0; i < 3; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- db.EnsureIndexes(ctx, m)
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("EnsureIndexes: got %v, want nil", err)
			}
		}
	})
}

// oneWins runs racers calls of fn at once and checks that exactly one
// succeeds and every other fails with ECONFLICT.
func oneWins(t *testing.T, racers int, fn func(i int) error) {
	t.Helper()
	codes := make(chan string, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes <- torque.ErrorCode(fn(i))
		}()
	}
	wg.Wait()
	close(codes)
	count := map[string]int{}
	for c := range codes {
		count[c]++
	}
	if count[""] != 1 || count[torque.ECONFLICT] != racers-1 {
		t.Errorf("outcomes: got %v, want one success and %d ECONFLICT", count, racers-1)
	}
}

// testModelHold: an entity write that holds the model (HoldModel) and a
// model write that locks it (LockModel) never miss each other: whichever
// comes second sees what the first committed.
func testModelHold(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()

	// modelWrite stores the next version of the model of app, locking it
	// after the update as the model service does; in the lock it calls
	// locked and waits for release.
	modelWrite := func(db *store.DB, app *torque.App, locked func(), release <-chan struct{}, seen *int64) error {
		m, err := db.Model(ctx, app.Model)
		if err != nil {
			return err
		}
		base := m.Version
		m.Version++
		return db.UpdateModel(ctx, m, base, func(tx *store.Tx) error {
			if err := tx.LockModel(ctx, m.Name); err != nil {
				return err
			}
			locked()
			<-release
			// What the model write's checks would see.
			n, err := tx.Count(ctx, app.ID, "Item", nil, nil)
			*seen = n
			return err
		})
	}

	t.Run("an entity write waits for a model write under way", func(t *testing.T) {
		db := open(t)
		app := newApp(t, db, "app")
		locked, release := make(chan struct{}), make(chan struct{})
		var seen int64
		wrote := make(chan error, 1)
		go func() { wrote <- modelWrite(db, app, func() { close(locked) }, release, &seen) }()
		<-locked
		held := make(chan int64, 1)
		go func() {
			var v int64
			err := db.InTx(ctx, func(tx *store.Tx) (err error) {
				v, err = tx.HoldModel(ctx, app.Model)
				return err
			})
			if err != nil {
				t.Error(err)
			}
			held <- v
		}()
		var v int64
		select {
		case v = <-held:
			t.Errorf("HoldModel returned version %d while a model write held the model", v)
		case <-time.After(100 * time.Millisecond):
		}
		close(release)
		must(t, "model write", <-wrote)
		if v == 0 {
			v = <-held
		}
		if v != 2 {
			t.Fatalf("HoldModel: got version %d, want 2, the version committed while it waited", v)
		}
	})

	t.Run("a model write waits for the entity writes under way", func(t *testing.T) {
		db := open(t)
		app := newApp(t, db, "app")
		holding, release := make(chan struct{}), make(chan struct{})
		inserted := make(chan error, 1)
		go func() {
			inserted <- db.InTx(ctx, func(tx *store.Tx) error {
				if _, err := tx.HoldModel(ctx, app.Model); err != nil {
					return err
				}
				close(holding)
				<-release
				return tx.InsertEntity(ctx, app.ID, entity(uuid.Must(uuid.NewV7()).String(), "Item", `{"title": "x"}`, time.Now()))
			})
		}()
		<-holding
		var seen int64
		wrote := make(chan error, 1)
		go func() { wrote <- modelWrite(db, app, func() {}, closed, &seen) }()
		ended := false
		select {
		case err := <-wrote:
			ended = true
			t.Errorf("model write ended (%v) while an entity write held the model", err)
		case <-time.After(100 * time.Millisecond):
		}
		close(release)
		must(t, "entity write", <-inserted)
		if !ended {
			must(t, "model write", <-wrote)
		}
		if seen != 1 {
			t.Fatalf("the model write saw %d records, want the 1 written while it waited", seen)
		}
	})
}

// closed is a channel that never blocks.
var closed = func() chan struct{} { c := make(chan struct{}); close(c); return c }()
