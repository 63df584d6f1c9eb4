package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/examples/todo"
	"github.com/torquehq/torque/internal/service"
	"github.com/torquehq/torque/internal/store"
	"github.com/torquehq/torque/internal/storetest"
)

// newTodo opens a SQLite store with the TODO app and n tasks.
func newTodo(b *testing.B, n int) (*service.Service, []*torque.Entity) {
	b.Helper()
	_, svc, tasks := newTodoStore(b, n)
	return svc, tasks
}

// newTodoStore is newTodo that also returns the store.
func newTodoStore(b *testing.B, n int) (*store.DB, *service.Service, []*torque.Entity) {
	b.Helper()
	ctx := torque.WithActor(context.Background(), torque.SystemActor)
	db, err := store.Open(ctx, "", b.TempDir(), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	svc, tasks := todoOn(b, db, n)
	return db, svc, tasks
}

// newTodoPostgres is newTodo on a fresh PostgreSQL schema.
func newTodoPostgres(b *testing.B, n int) (*service.Service, []*torque.Entity) {
	b.Helper()
	return todoOn(b, storetest.OpenPostgresB(b), n)
}

// todoOn makes the TODO app with n tasks on db.
func todoOn(b *testing.B, db *store.DB, n int) (*service.Service, []*torque.Entity) {
	b.Helper()
	ctx := torque.WithActor(context.Background(), torque.SystemActor)
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
	benchCreate(b, svc)
}

// BenchmarkServiceCreatePostgres is BenchmarkServiceCreate on PostgreSQL.
func BenchmarkServiceCreatePostgres(b *testing.B) {
	svc, _ := newTodoPostgres(b, 0)
	benchCreate(b, svc)
}

func benchCreate(b *testing.B, svc *service.Service) {
	ctx := torque.WithActor(context.Background(), torque.SystemActor)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := svc.CreateEntity(ctx, "todo", "Task", taskData(i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkServiceCreateParallel creates from 16 goroutines per CPU at
// once, all in one app: on SQLite they share group commits, on PostgreSQL
// they run side by side.
func BenchmarkServiceCreateParallel(b *testing.B) {
	for _, st := range []struct {
		name string
		open func(b *testing.B) *service.Service
	}{
		{"sqlite", func(b *testing.B) *service.Service { svc, _ := newTodo(b, 0); return svc }},
		{"postgres", func(b *testing.B) *service.Service { svc, _ := newTodoPostgres(b, 0); return svc }},
	} {
		b.Run(st.name, func(b *testing.B) {
			svc := st.open(b)
			ctx := torque.WithActor(context.Background(), torque.SystemActor)
			var n atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(16)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := svc.CreateEntity(ctx, "todo", "Task", taskData(int(n.Add(1)))); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

func BenchmarkServiceGet(b *testing.B) {
	svc, tasks := newTodo(b, 1000)
	ctx := torque.WithActor(context.Background(), torque.SystemActor)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := svc.Entity(ctx, "todo", "Task", tasks[i%len(tasks)].ID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkServiceUpdate(b *testing.B) {
	svc, tasks := newTodo(b, 1000)
	benchUpdate(b, svc, tasks)
}

// BenchmarkServiceUpdatePostgres is BenchmarkServiceUpdate on PostgreSQL.
func BenchmarkServiceUpdatePostgres(b *testing.B) {
	svc, tasks := newTodoPostgres(b, 1000)
	benchUpdate(b, svc, tasks)
}

func benchUpdate(b *testing.B, svc *service.Service, tasks []*torque.Entity) {
	ctx := torque.WithActor(context.Background(), torque.SystemActor)
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
	ctx := torque.WithActor(context.Background(), torque.SystemActor)
	q := torque.EntityQuery{Filter: `priority >= 4 and status = "doing"`, Sort: "-priority", Limit: 20}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := svc.Entities(ctx, "todo", "Task", q); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuthenticate measures what authentication adds to every request:
// a token or session lookup in storage, and (member) the role lookup of an
// entity read by a non-admin.
func BenchmarkAuthenticate(b *testing.B) {
	db, svc, tasks := newTodoStore(b, 1)
	sys := torque.WithActor(context.Background(), torque.SystemActor)
	if _, err := svc.CreateUser(sys, "bench@example.com", "bench-password", false); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.SetMember(sys, "todo", "bench@example.com", torque.RoleMember); err != nil {
		b.Fatal(err)
	}
	tok, err := svc.CreateUserToken(sys, "bench@example.com", "bench", 0)
	if err != nil {
		b.Fatal(err)
	}
	sess, err := svc.Login(context.Background(), "bench@example.com", "bench-password", "")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.Run("token", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := svc.Authenticate(ctx, torque.Credentials{Token: tok.Secret}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("token-from-storage", func(b *testing.B) {
		// A service that never trusts its cache: every call reads storage,
		// as the first request of a token (or the first after a second) does.
		fresh := service.New(db, service.Options{Recheck: time.Nanosecond})
		b.ReportAllocs()
		for b.Loop() {
			if _, err := fresh.Authenticate(ctx, torque.Credentials{Token: tok.Secret}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("session", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := svc.Authenticate(ctx, torque.Credentials{Session: sess.Secret}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("member-get", func(b *testing.B) {
		a, err := svc.Authenticate(ctx, torque.Credentials{Token: tok.Secret})
		if err != nil {
			b.Fatal(err)
		}
		mctx := torque.WithActor(ctx, a)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := svc.Entity(mctx, "todo", "Task", tasks[0].ID); err != nil {
				b.Fatal(err)
			}
		}
	})
}
