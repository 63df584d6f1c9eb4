package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/examples/todo"
	"github.com/torquehq/torque/internal/service"
	"github.com/torquehq/torque/internal/store"
)

// newTodo opens a SQLite store with the TODO app and n tasks.
func newTodo(b *testing.B, n int) (*service.Service, []*torque.Entity) {
	b.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, "", b.TempDir(), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	svc := service.New(db, service.Options{})
	m, err := torque.ParseModel(todo.Model)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.CreateModel(ctx, m); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.CreateApp(ctx, "todo", m.Name); err != nil {
		b.Fatal(err)
	}
	tasks := make([]*torque.Entity, n)
	for i := range tasks {
		if tasks[i], err = svc.CreateEntity(ctx, "todo", "Task", taskData(i)); err != nil {
			b.Fatal(err)
		}
	}
	return svc, tasks
}

func taskData(i int) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"title": "task %d", "status": %q, "priority": %d, "due": "2026-%02d-%02d"}`,
		i, []string{"todo", "doing", "done"}[i%3], i%5+1, i%12+1, i%28+1))
}

// The service benchmarks measure the whole path below the transport:
// resolving the app and model, validation, checks and storage.

func BenchmarkServiceCreate(b *testing.B) {
	svc, _ := newTodo(b, 0)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := svc.CreateEntity(ctx, "todo", "Task", taskData(i)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkServiceGet(b *testing.B) {
	svc, tasks := newTodo(b, 1000)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := svc.Entity(ctx, "todo", "Task", tasks[i%len(tasks)].ID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkServiceUpdate(b *testing.B) {
	svc, tasks := newTodo(b, 1000)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		t := tasks[i%len(tasks)]
		// Every patch changes the entity: a patch that changes nothing writes nothing.
		up, err := svc.UpdateEntity(ctx, "todo", "Task", t.ID, t.Version, json.RawMessage(fmt.Sprintf(`{"title": "task %d"}`, i)))
		if err != nil {
			b.Fatal(err)
		}
		tasks[i%len(tasks)] = up
	}
}

func BenchmarkServiceList(b *testing.B) {
	svc, _ := newTodo(b, 1000)
	ctx := context.Background()
	q := torque.EntityQuery{Filter: `priority >= 4 and status = "doing"`, Sort: "-priority", Limit: 20}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := svc.Entities(ctx, "todo", "Task", q); err != nil {
			b.Fatal(err)
		}
	}
}
