package rpc_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/examples/todo"
	"github.com/torquehq/torque/internal/rpc"
	"github.com/torquehq/torque/internal/service"
	"github.com/torquehq/torque/internal/store"
)

// benchTasks is the size of the benchmarks' Task table.
const benchTasks = 100_000

// newBench returns the JSON-RPC handler over a SQLite store holding the
// TODO app with benchTasks tasks, and a context acting as the system.
func newBench(b *testing.B) (*rpc.Handler, context.Context) {
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
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(db, service.Options{Logger: logger})
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
	for i := range benchTasks {
		data := fmt.Sprintf(`{"title": "task %d", "status": %q, "priority": %d, "due": "2026-%02d-%02d"}`,
			i, []string{"todo", "doing", "done"}[i%3], i%5+1, i%12+1, i%28+1)
		if _, err := svc.CreateEntity(ctx, "todo", "Task", json.RawMessage(data)); err != nil {
			b.Fatal(err)
		}
	}
	h := rpc.New(rpc.Config{Service: svc, Logger: logger})
	b.Cleanup(h.Close)
	return h, ctx
}

// BenchmarkRPC measures calls through the JSON-RPC handler (decoding,
// the services, storage, encoding), without the network, and reports
// their p50.
func BenchmarkRPC(b *testing.B) {
	h, ctx := newBench(b)
	call := func(method, params string) string {
		return `{"jsonrpc": "2.0", "id": 1, "method": "` + method + `", "params": ` + params + `}`
	}
	batch := make([]string, 10)
	for i := range batch {
		batch[i] = call("loadEntityData", fmt.Sprintf(`{"app": "todo", "entity": "Task", "filter": "priority = %d", "limit": 20}`, i%5+1))
	}
	for _, bc := range []struct{ name, body string }{
		{"loadPage", call("loadPage", `{"app": "todo", "page": "Tasks"}`)},
		{"loadEntityData", call("loadEntityData", `{"app": "todo", "entity": "Task", "sort": "due", "limit": 50}`)},
		{"loadEntityData-filtered", call("loadEntityData", `{"app": "todo", "entity": "Task", "filter": "status = \"doing\"", "sort": "-priority", "limit": 50}`)},
		{"getFormDefinition", call("getFormDefinition", `{"app": "todo", "entity": "Task"}`)},
		{"batch10", "[" + strings.Join(batch, ",") + "]"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/rpc", strings.NewReader(bc.body))
				req.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(w, req)
				times = append(times, time.Since(start))
				if w.Code != http.StatusOK || strings.Contains(w.Body.String(), `"error"`) {
					b.Fatalf("status %d: %.300s", w.Code, w.Body.String())
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds()), "p50-µs")
		})
	}
}
