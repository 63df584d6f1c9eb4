package rest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/metrics"
)

// fixedEntities answers every call at once with one fixed entity. It
// exists only so that BenchmarkTransport measures the transport alone;
// behaviour is tested against the real services in api_test.go.
type fixedEntities struct{ e *torque.Entity }

func (f fixedEntities) CreateEntity(context.Context, string, string, json.RawMessage) (*torque.Entity, error) {
	return f.e, nil
}
func (f fixedEntities) Entity(context.Context, string, string, string) (*torque.Entity, error) {
	return f.e, nil
}
func (f fixedEntities) UpdateEntity(context.Context, string, string, string, int64, json.RawMessage) (*torque.Entity, error) {
	return f.e, nil
}
func (f fixedEntities) DeleteEntity(context.Context, string, string, string) error { return nil }
func (f fixedEntities) Entities(context.Context, string, string, torque.EntityQuery) (*torque.EntityPage, error) {
	return &torque.EntityPage{Items: []*torque.Entity{f.e}}, nil
}
func (f fixedEntities) RelatedEntities(context.Context, string, string, string, string, torque.EntityQuery) (*torque.EntityPage, error) {
	return &torque.EntityPage{Items: []*torque.Entity{f.e}}, nil
}
func (f fixedEntities) Link(context.Context, string, string, string, string, string) error {
	return nil
}
func (f fixedEntities) Unlink(context.Context, string, string, string, string, string) error {
	return nil
}

// BenchmarkTransport measures what the REST layer itself costs per request
// (routing, decoding, metrics, encoding), with a service that does nothing.
func BenchmarkTransport(b *testing.B) {
	now := time.Date(2026, 11, 24, 17, 0, 0, 0, time.UTC)
	e := &torque.Entity{
		ID: "0190c5a0-0000-7000-8000-000000000000", Type: "Task", Version: 1, CreatedAt: now, UpdatedAt: now,
		Data: json.RawMessage(`{"title":"Benchmark the transport","description":"create and get","status":"doing","due":"2026-11-24","priority":3}`),
	}
	h := New(Config{Entities: fixedEntities{e}, Metrics: metrics.New(nil), Logger: discardLogger()})
	const body = `{"data": {"title": "Benchmark the transport", "description": "create and get", "status": "doing", "due": "2026-11-24", "priority": 3}}`
	cases := []struct {
		name, method, target, body string
		status                     int
	}{
		{"create", http.MethodPost, "/api/v1/apps/todo/entities/Task", body, 201},
		{"get", http.MethodGet, "/api/v1/apps/todo/entities/Task/" + e.ID, "", 200},
		{"list", http.MethodGet, "/api/v1/apps/todo/entities/Task?limit=10&sort=-priority&filter=status%20%3D%20%22doing%22", "", 200},
	}
	// baseline is the cost of building the request and the recorder, to
	// subtract from the others.
	b.Run("baseline", func(b *testing.B) {
		noop := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
		b.ReportAllocs()
		for b.Loop() {
			req := httptest.NewRequest(http.MethodPost, cases[0].target, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			noop.ServeHTTP(httptest.NewRecorder(), req)
		}
	})
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(c.method, c.target, strings.NewReader(c.body))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != c.status {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
