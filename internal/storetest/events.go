package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/torquehq/torque/internal/bus"
	"github.com/torquehq/torque/internal/store"
)

func addEvent(t *testing.T, db *store.DB, topic string, at time.Time) bus.Event {
	t.Helper()
	e := bus.Event{Topic: topic, Kind: "model.updated", ActorID: "u1", Actor: "ann@example.com", At: at, Data: json.RawMessage(`{"version": 2}`)}
	must(t, "AddEvent", db.InTx(context.Background(), func(tx *store.Tx) error { return tx.AddEvent(context.Background(), &e) }))
	return e
}

func testEvents(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()
	t.Run("numbered per topic", func(t *testing.T) {
		db := open(t)
		first := addEvent(t, db, "model:a", base)
		addEvent(t, db, "model:b", base)
		second := addEvent(t, db, "model:a", base.Add(time.Second))
		if first.Seq != 1 || second.Seq != 2 {
			t.Fatalf("seqs %d, %d, want 1, 2", first.Seq, second.Seq)
		}
		evs, err := db.Events(ctx, "model:a", 0, 10)
		must(t, "Events", err)
		if len(evs) != 2 || evs[1].Seq != 2 || evs[0].Actor != "ann@example.com" || evs[0].ActorID != "u1" ||
			!evs[0].At.Equal(base) || string(evs[0].Data) != `{"version": 2}` && string(evs[0].Data) != `{"version":2}` {
			t.Fatalf("Events = %+v", evs)
		}
		if evs, _ := db.Events(ctx, "model:a", 1, 10); len(evs) != 1 || evs[0].Seq != 2 {
			t.Fatalf("Events after 1 = %+v, want #2 alone", evs)
		}
		if seq, err := db.EventSeq(ctx, "model:a"); err != nil || seq != 2 {
			t.Fatalf("EventSeq = %d, %v, want 2", seq, err)
		}
		if seq, err := db.EventSeq(ctx, "model:none"); err != nil || seq != 0 {
			t.Fatalf("EventSeq of no topic = %d, %v, want 0", seq, err)
		}
	})
	t.Run("kept only when the transaction commits", func(t *testing.T) {
		db := open(t)
		boom := errors.New("boom")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			e := bus.Event{Topic: "model:a", Kind: "k", At: base, Data: json.RawMessage(`{}`)}
			if err := tx.AddEvent(ctx, &e); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v, want boom", err)
		}
		if seq, _ := db.EventSeq(ctx, "model:a"); seq != 0 {
			t.Fatalf("a rolled back event is kept: seq %d", seq)
		}
		if e := addEvent(t, db, "model:a", base); e.Seq != 1 {
			t.Fatalf("after a rollback: seq %d, want 1", e.Seq)
		}
	})
	t.Run("concurrent writers get consecutive numbers", func(t *testing.T) {
		db := open(t)
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				addEvent(t, db, "model:a", base)
			}()
		}
		wg.Wait()
		evs, err := db.Events(ctx, "model:a", 0, 100)
		must(t, "Events", err)
		for i, e := range evs {
			if e.Seq != uint64(i+1) {
				t.Fatalf("event %d has seq %d", i, e.Seq)
			}
		}
		if len(evs) != 8 {
			t.Fatalf("%d events, want 8", len(evs))
		}
	})
	t.Run("topics since an id", func(t *testing.T) {
		db := open(t)
		last, err := db.LastEventID(ctx)
		must(t, "LastEventID", err)
		addEvent(t, db, "model:a", base)
		addEvent(t, db, "model:b", base)
		addEvent(t, db, "model:a", base)
		topics, next, err := db.TopicsSince(ctx, last)
		must(t, "TopicsSince", err)
		if len(topics) != 2 || topics[0] != "model:b" || topics[1] != "model:a" {
			t.Fatalf("TopicsSince = %v, want [model:b model:a]", topics)
		}
		if topics, again, _ := db.TopicsSince(ctx, next); len(topics) != 0 || again != next {
			t.Fatalf("TopicsSince the newest = %v, %d, want none and %d", topics, again, next)
		}
	})
	t.Run("prune keeps the newest of each topic", func(t *testing.T) {
		db := open(t)
		for range 5 {
			addEvent(t, db, "model:a", base)
		}
		addEvent(t, db, "model:b", base)
		addEvent(t, db, "model:a", base.Add(48*time.Hour))
		n, err := db.PruneEvents(ctx, base.Add(time.Hour), 2)
		must(t, "PruneEvents", err)
		if n != 4 {
			t.Fatalf("pruned %d, want 4 (model:a #1-#4)", n)
		}
		evs, _ := db.Events(ctx, "model:a", 0, 10)
		if len(evs) != 2 || evs[0].Seq != 5 {
			t.Fatalf("kept %+v, want #5 and #6", evs)
		}
		if seq, _ := db.EventSeq(ctx, "model:b"); seq != 1 {
			t.Fatal("the newest event of model:b was pruned")
		}
		// Numbering goes on after pruning.
		if e := addEvent(t, db, "model:a", base); e.Seq != 7 {
			t.Fatalf("after pruning: seq %d, want 7", e.Seq)
		}
	})
	t.Run("notifications", func(t *testing.T) {
		db := open(t)
		if !db.CanListen() {
			if err := db.Listen(ctx, func(context.Context) {}, func(string) {}); err == nil {
				t.Fatal("Listen on SQLite: nil error")
			}
			must(t, "Notify", db.Notify(ctx, "ignored"))
			return
		}
		lctx, cancel := context.WithCancel(ctx)
		got := make(chan string, 4)
		ready := make(chan struct{}, 4)
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = db.Listen(lctx, func(context.Context) { ready <- struct{}{} }, func(p string) { got <- p })
		}()
		defer func() { cancel(); <-done }()
		<-ready
		must(t, "Notify", db.Notify(ctx, "now"))
		must(t, "InTx", db.InTx(ctx, func(tx *store.Tx) error { return tx.Notify(ctx, "at commit") }))
		_ = db.InTx(ctx, func(tx *store.Tx) error {
			_ = tx.Notify(ctx, "rolled back")
			return errors.New("boom")
		})
		must(t, "Notify", db.Notify(ctx, "last"))
		for _, want := range []string{"now", "at commit", "last"} {
			select {
			case p := <-got:
				if p != want {
					t.Fatalf("got %q, want %q", p, want)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("no notification %q", want)
			}
		}
		if err := db.Notify(ctx, string(make([]byte, store.MaxNotifyBytes+1))); err == nil {
			t.Fatal("an oversized notification: nil error")
		}
	})
}
