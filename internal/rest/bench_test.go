package rest_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/torquehq/torque/internal/metrics"
	"github.com/torquehq/torque/internal/rest"
	"github.com/torquehq/torque/internal/service"
	"github.com/torquehq/torque/internal/store"
)

// BenchmarkREST measures create and get through the REST handler, in
// process (no network), over real services on SQLite, so that the
// transport's share of a request can be compared with the service
// benchmarks.
func BenchmarkREST(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(ctx, "", b.TempDir(), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	m := metrics.New(db.PoolStats)
	logger := slog.New(slog.DiscardHandler)
	svc := service.New(db, service.Options{Logger: logger, OnEntityOp: m.EntityOp})
	h := rest.New(rest.Config{Models: svc, Apps: svc, Entities: svc, Auth: svc, Ready: db.Ping, Metrics: m, Logger: logger})
	bearer := "Bearer " + adminToken(b, svc)

	serve := func(method, target, body string, want int) []byte {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req := httptest.NewRequest(method, target, rd)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", bearer)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != want {
			b.Fatalf("%s %s: %d %s", method, target, rec.Code, rec.Body)
		}
		return rec.Body.Bytes()
	}
	serve("POST", "/api/v1/models", todoModel, 201)
	serve("POST", "/api/v1/apps", `{"name": "todo", "model": "TODO"}`, 201)
	const task = `{"data": {"title": "Benchmark the transport", "description": "create and get", "status": "doing", "due": "2026-11-24", "priority": 3}}`

	b.Run("create", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			serve("POST", "/api/v1/apps/todo/entities/Task", task, 201)
		}
	})
	var created struct{ ID string }
	if err := json.Unmarshal(serve("POST", "/api/v1/apps/todo/entities/Task", task, 201), &created); err != nil {
		b.Fatal(err)
	}
	b.Run("get", func(b *testing.B) {
		target := "/api/v1/apps/todo/entities/Task/" + created.ID
		b.ReportAllocs()
		for b.Loop() {
			serve("GET", target, "", 200)
		}
	})
	b.Run("get-parallel", func(b *testing.B) {
		target := "/api/v1/apps/todo/entities/Task/" + created.ID
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				req := httptest.NewRequest(http.MethodGet, target, nil)
				req.Header.Set("Authorization", bearer)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Errorf("get: %d", rec.Code)
					return
				}
			}
		})
	})
}
