package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/torquehq/torque"
)

func openGroupTest(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "g.db"), "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

func insertFn(id string) func(*Tx) error {
	return func(tx *Tx) error {
		now := time.Now()
		return tx.InsertEntity(context.Background(), 1, &torque.Entity{
			ID: id, Type: "T", Data: []byte(`{}`), Version: 1, CreatedAt: now, UpdatedAt: now,
		})
	}
}

func exists(t *testing.T, db *DB, id string) bool {
	t.Helper()
	_, err := db.Entity(context.Background(), 1, "T", id)
	if err != nil && torque.ErrorCode(err) != torque.ENOTFOUND {
		t.Fatal(err)
	}
	return err == nil
}

// hold occupies the committer until release is closed, so that the
// transactions queued meanwhile run as one batch.
func hold(t *testing.T, db *DB) (release func(), done <-chan error) {
	t.Helper()
	started, unblock := make(chan struct{}), make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- db.InTx(context.Background(), func(tx *Tx) error {
			close(started)
			<-unblock
			return insertFn("0190a0a0-0000-7000-8000-0000000000ff")(tx)
		})
	}()
	<-started
	return func() { close(unblock) }, errc
}

// queue starts n transactions and waits until they wait for the committer.
func queue(t *testing.T, db *DB, fns []func(*Tx) error) []chan error {
	t.Helper()
	out := make([]chan error, len(fns))
	for i, fn := range fns {
		out[i] = make(chan error, 1)
		go func() { out[i] <- db.InTx(context.Background(), fn) }()
	}
	for len(db.group.requests) < len(fns) {
		time.Sleep(time.Millisecond)
	}
	return out
}

func id(i int) string { return fmt.Sprintf("0190a0a0-0000-7000-8000-%012d", i) }

func TestGroupCommit(t *testing.T) {
	t.Run("a failing transaction leaves the rest of its batch alone", func(t *testing.T) {
		db := openGroupTest(t)
		release, held := hold(t, db)
		boom := errors.New("boom")
		fns := []func(*Tx) error{insertFn(id(1)), func(tx *Tx) error {
			if err := insertFn(id(2))(tx); err != nil {
				return err
			}
			return boom
		}, insertFn(id(3))}
		results := queue(t, db, fns)
		release()
		if err := <-held; err != nil {
			t.Fatal(err)
		}
		for i, want := range []error{nil, boom, nil} {
			if got := <-results[i]; !errors.Is(got, want) {
				t.Fatalf("transaction %d: got %v, want %v", i, got, want)
			}
		}
		for i, want := range []bool{true, false, true} {
			if got := exists(t, db, id(i+1)); got != want {
				t.Fatalf("entity %d exists: got %v, want %v", i+1, got, want)
			}
		}
	})
	t.Run("a panic reaches its caller and the batch commits", func(t *testing.T) {
		db := openGroupTest(t)
		release, held := hold(t, db)
		results := queue(t, db, []func(*Tx) error{insertFn(id(1))})
		panicked := make(chan any, 1)
		go func() {
			defer func() { panicked <- recover() }()
			db.InTx(context.Background(), func(tx *Tx) error { panic("kaput") })
		}()
		for len(db.group.requests) < 2 {
			time.Sleep(time.Millisecond)
		}
		release()
		<-held
		if v := <-panicked; v != "kaput" {
			t.Fatalf("got panic %v, want kaput", v)
		}
		if err := <-results[0]; err != nil || !exists(t, db, id(1)) {
			t.Fatalf("got %v, want the other transaction committed", err)
		}
	})
	t.Run("a caller that stops waiting before its turn never runs", func(t *testing.T) {
		db := openGroupTest(t)
		release, held := hold(t, db)
		ctx, cancel := context.WithCancel(context.Background())
		ran := false
		errc := make(chan error, 1)
		go func() {
			errc <- db.InTx(ctx, func(tx *Tx) error { ran = true; return insertFn(id(1))(tx) })
		}()
		for len(db.group.requests) < 1 {
			time.Sleep(time.Millisecond)
		}
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
		release()
		<-held
		if err := db.InTx(context.Background(), insertFn(id(2))); err != nil {
			t.Fatal(err)
		}
		if ran || exists(t, db, id(1)) {
			t.Fatal("the abandoned transaction ran")
		}
	})
	t.Run("a lost shared transaction runs the undecided ones again", func(t *testing.T) {
		db := openGroupTest(t)
		release, held := hold(t, db)
		lost := errors.New("lost")
		fns := []func(*Tx) error{insertFn(id(1)), func(tx *Tx) error {
			// What an interrupted statement does to SQLite: the whole
			// transaction is rolled back under everyone's feet.
			if _, err := tx.tx.Exec("ROLLBACK"); err != nil {
				return err
			}
			return lost
		}, insertFn(id(3))}
		results := queue(t, db, fns)
		release()
		if err := <-held; err != nil {
			t.Fatal(err)
		}
		for i, want := range []error{nil, lost, nil} {
			if got := <-results[i]; !errors.Is(got, want) {
				t.Fatalf("transaction %d: got %v, want %v", i, got, want)
			}
		}
		if !exists(t, db, id(1)) || !exists(t, db, id(3)) {
			t.Fatal("the transactions redone after the loss are missing")
		}
	})
	t.Run("many concurrent writers all land", func(t *testing.T) {
		db := openGroupTest(t)
		var wg sync.WaitGroup
		errs := make(chan error, 200)
		for i := range 200 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- db.InTx(context.Background(), insertFn(id(1000+i)))
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		n, err := db.Count(context.Background(), 1, "T", FieldTypes{}, nil)
		if err != nil || n != 200 {
			t.Fatalf("got %d entities, %v; want 200", n, err)
		}
	})
}
