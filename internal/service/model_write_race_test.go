package service_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/service"
	"github.com/torquehq/torque/internal/store"
	"github.com/torquehq/torque/internal/storetest"
)

const boundedModel = `{"name": "Bounded", "version": 1, "entities": [
  {"name": "Item", "fields": [{"name": "n", "type": "integer"}]}
]}`

// TestEntityWritesFollowModelWrites: a record is checked against the model
// version committed before it, even when the write validated it against an
// older one (a cache not yet told of the change, as on another instance,
// or a model write in the same SQLite group commit): it is validated again,
// and refused if the new version refuses it.
func TestEntityWritesFollowModelWrites(t *testing.T) {
	for _, st := range storetest.Openers {
		t.Run(st.Name, func(t *testing.T) {
			t.Run("a cache behind storage", func(t *testing.T) { testStaleModelCache(t, st.Open(t)) })
			t.Run("a model write committed between", func(t *testing.T) { testModelWriteInBetween(t, st.Open(t)) })
		})
	}
}

// boundedPair makes the model Bounded and its app on db, and two services
// on it: stale trusts its cache for an hour and hears of nothing; writer
// changes the model.
func boundedPair(t *testing.T, db *store.DB) (stale, writer *service.Service, item *torque.Entity) {
	t.Helper()
	ctx := torque.WithActor(t.Context(), torque.SystemActor)
	stale = service.New(db, service.Options{Recheck: time.Hour})
	writer = service.New(db, service.Options{})
	m, err := torque.ParseModel([]byte(boundedModel))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := writer.CreateModel(ctx, m); err != nil {
		t.Fatal(err)
	}
	if _, err := writer.CreateApp(ctx, "bounded", "Bounded"); err != nil {
		t.Fatal(err)
	}
	// stale caches version 1.
	if item, err = stale.CreateEntity(ctx, "bounded", "Item", json.RawMessage(`{"n": 1}`)); err != nil {
		t.Fatal(err)
	}
	return stale, writer, item
}

// setMax sets the max of Item.n through svc.
func setMax(ctx context.Context, svc *service.Service, base int64) error {
	_, err := svc.EditModel(ctx, "Bounded", base, []torque.ModelEdit{{Op: torque.EditUpdateField, Entity: "Item", Field: "n",
		Value: json.RawMessage(`{"max": 10}`)}})
	return err
}

func testStaleModelCache(t *testing.T, db *store.DB) {
	ctx := torque.WithActor(t.Context(), torque.SystemActor)
	stale, writer, item := boundedPair(t, db)
	if err := setMax(ctx, writer, 1); err != nil {
		t.Fatal(err)
	}

	_, err := stale.CreateEntity(ctx, "bounded", "Item", json.RawMessage(`{"n": 50}`))
	wantCode(t, err, torque.EINVALID)
	_, err = stale.UpdateEntity(ctx, "bounded", "Item", item.ID, item.Version, json.RawMessage(`{"n": 60}`))
	wantCode(t, err, torque.EINVALID)
	if _, err := stale.CreateEntity(ctx, "bounded", "Item", json.RawMessage(`{"n": 5}`)); err != nil {
		t.Fatalf("a record the new version accepts: %v", err)
	}
	if m, err := stale.Model(ctx, "Bounded"); err != nil || m.Version != 2 {
		t.Fatalf("got %v, %v; want the cache at version 2 once a write found it behind", m, err)
	}
	page, err := writer.Entities(ctx, "bounded", "Item", torque.EntityQuery{Filter: "n > 10"})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 0 {
		t.Fatalf("got %d records over the max the model had when they were written, want none", len(page.Items))
	}
}

// testModelWriteInBetween queues a model write and then an entity write
// validated before it, behind a transaction that holds the writer: on
// SQLite they run in one group commit, the model write first; on
// PostgreSQL the model write commits before the entity write begins.
func testModelWriteInBetween(t *testing.T, db *store.DB) {
	ctx := torque.WithActor(t.Context(), torque.SystemActor)
	stale, writer, _ := boundedPair(t, db)
	hold, release := make(chan struct{}), make(chan struct{})
	held := make(chan error, 1)
	go func() { held <- db.InTx(ctx, func(*store.Tx) error { close(hold); <-release; return nil }) }()
	<-hold
	edited := make(chan error, 1)
	go func() { edited <- setMax(ctx, writer, 1) }()
	time.Sleep(50 * time.Millisecond) // the model write queues first
	created := make(chan error, 1)
	go func() {
		_, err := stale.CreateEntity(ctx, "bounded", "Item", json.RawMessage(`{"n": 50}`))
		created <- err
	}()
	time.Sleep(50 * time.Millisecond)
	close(release)
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	if err := <-edited; err != nil {
		t.Fatal(err)
	}
	wantCode(t, <-created, torque.EINVALID)
}
