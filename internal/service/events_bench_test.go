package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/examples/todo"
	"github.com/torquehq/torque/internal/service"
	"github.com/torquehq/torque/internal/storetest"
)

// BenchmarkChangeToEvent measures, for an entity update made through the
// service, the time from the start of the call to each subscriber's
// receipt of its event: the write, the commit, the publish and the
// fan-out. It reports the p50 and p99 over every receipt.
func BenchmarkChangeToEvent(b *testing.B) {
	for _, n := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("subs=%d", n), func(b *testing.B) {
			svc, tasks := newTodo(b, 1)
			ctx := torque.WithActor(context.Background(), torque.SystemActor)
			streams := make([]*service.Stream, n)
			for i := range streams {
				st, err := svc.SubscribeEntities(ctx, "todo", "Task", 0)
				if err != nil {
					b.Fatal(err)
				}
				streams[i] = st
			}
			task := tasks[0]
			measureDelivery(b, streams, func(i int) {
				var err error
				task, err = svc.UpdateEntity(ctx, "todo", "Task", task.ID, task.Version, json.RawMessage(fmt.Sprintf(`{"title": "task %d"}`, i+1)))
				if err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// measureDelivery runs write once per iteration and reports the p50 and
// p99 of the time from the start of each write to each stream's receipt
// of its event. It closes the streams when done.
func measureDelivery(b *testing.B, streams []*service.Stream, write func(i int)) {
	var all []time.Duration
	for i := 0; b.Loop(); i++ {
		var got sync.WaitGroup
		got.Add(len(streams))
		lat := make([]time.Duration, len(streams))
		start := time.Now()
		for j, st := range streams {
			go func() {
				<-st.C()
				lat[j] = time.Since(start)
				got.Done()
			}()
		}
		write(i)
		got.Wait()
		all = append(all, lat...)
	}
	b.StopTimer()
	for _, st := range streams {
		st.Close()
	}
	slices.Sort(all)
	b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkModelEdit measures one fine-grained model edit through the
// service, adding a field and removing it in turn: apply, validate, diff,
// store with its event and audit entry, and deliver.
func BenchmarkModelEdit(b *testing.B) {
	svc, _ := newTodo(b, 0)
	ctx := torque.WithActor(context.Background(), torque.SystemActor)
	m, err := svc.Model(ctx, "TODO")
	if err != nil {
		b.Fatal(err)
	}
	add := torque.ModelEdit{Op: torque.EditAddField, Entity: "Task", Value: json.RawMessage(`{"name": "extra", "type": "string"}`)}
	remove := torque.ModelEdit{Op: torque.EditRemoveField, Entity: "Task", Field: "extra"}
	v := m.Version
	for i := 0; b.Loop(); i++ {
		edit := add
		if i%2 == 1 {
			edit = remove
		}
		out, err := svc.EditModel(ctx, "TODO", v, []torque.ModelEdit{edit})
		if err != nil {
			b.Fatal(err)
		}
		v = out.Version
	}
}

// BenchmarkChangeToEventAcrossInstances is BenchmarkChangeToEvent with the
// subscribers on another instance sharing the PostgreSQL database: the
// event travels by NOTIFY to the other instance's listener and hub.
func BenchmarkChangeToEventAcrossInstances(b *testing.B) {
	for _, n := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("subs=%d", n), func(b *testing.B) {
			db := storetest.OpenPostgresB(b)
			ctx := torque.WithActor(context.Background(), torque.SystemActor)
			writer := service.New(db, service.Options{})
			m, err := torque.ParseModel(todo.Model)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := writer.CreateModel(ctx, m); err != nil {
				b.Fatal(err)
			}
			if _, err := writer.CreateApp(ctx, "todo", m.Name); err != nil {
				b.Fatal(err)
			}
			task, err := writer.CreateEntity(ctx, "todo", "Task", taskData(0))
			if err != nil {
				b.Fatal(err)
			}
			reader := service.New(db, service.Options{})
			rctx, stop := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { defer close(done); reader.RunEvents(rctx) }()
			defer func() { stop(); <-done }()
			streams := make([]*service.Stream, n)
			for i := range streams {
				if streams[i], err = reader.SubscribeEntities(ctx, "todo", "Task", 0); err != nil {
					b.Fatal(err)
				}
			}
			// Wait for the listener: a write is heard once it is connected.
			for {
				if task, err = writer.UpdateEntity(ctx, "todo", "Task", task.ID, task.Version, json.RawMessage(fmt.Sprintf(`{"title": "warm %d"}`, task.Version))); err != nil {
					b.Fatal(err)
				}
				select {
				case <-streams[0].C():
				case <-time.After(100 * time.Millisecond):
					continue
				}
				break
			}
			for _, st := range streams[1:] {
				<-st.C()
			}
			measureDelivery(b, streams, func(i int) {
				if task, err = writer.UpdateEntity(ctx, "todo", "Task", task.ID, task.Version, json.RawMessage(fmt.Sprintf(`{"title": "task %d"}`, i))); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}

// BenchmarkIdleStream reports the memory one idle entity subscription
// holds in the service, as a subscriber waiting for changes keeps it.
func BenchmarkIdleStream(b *testing.B) {
	svc, _ := newTodo(b, 0)
	ctx := torque.WithActor(context.Background(), torque.SystemActor)
	var streams []*service.Stream
	before := heapInUse()
	for b.Loop() {
		st, err := svc.SubscribeEntities(ctx, "todo", "Task", 0)
		if err != nil {
			b.Fatal(err)
		}
		streams = append(streams, st)
	}
	b.StopTimer()
	b.ReportMetric(float64(heapInUse()-before)/float64(len(streams)), "bytes/sub")
	for _, st := range streams {
		st.Close()
	}
}

// heapInUse returns the bytes of heap and goroutine stacks in use after a
// collection.
func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse + m.StackInuse)
}
