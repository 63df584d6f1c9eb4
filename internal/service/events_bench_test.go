package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/service"
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
			var (
				mu  sync.Mutex
				all []time.Duration
			)
			task := tasks[0]
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				var got sync.WaitGroup
				got.Add(n)
				start := time.Now()
				lat := make([]time.Duration, n)
				for j, st := range streams {
					go func() {
						<-st.C()
						lat[j] = time.Since(start)
						got.Done()
					}()
				}
				var err error
				task, err = svc.UpdateEntity(ctx, "todo", "Task", task.ID, task.Version, json.RawMessage(fmt.Sprintf(`{"title": "task %d"}`, i+1)))
				if err != nil {
					b.Fatal(err)
				}
				got.Wait()
				mu.Lock()
				all = append(all, lat...)
				mu.Unlock()
			}
			b.StopTimer()
			for _, st := range streams {
				st.Close()
			}
			slices.Sort(all)
			b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
		})
	}
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
