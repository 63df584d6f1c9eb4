package metrics_test

import (
	"database/sql"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque/internal/metrics"
)

// scrape returns the text exposition of m.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape: status %d: %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

func assertLines(t *testing.T, text string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(text, "\n"+l+"\n") {
			t.Errorf("metrics lack line %q", l)
		}
	}
}

func TestInstrumentRecordsRoutePatternNotPath(t *testing.T) {
	m := metrics.New(nil)
	const pattern = "GET /api/v1/apps/{app}"
	mux := http.NewServeMux()
	mux.Handle(pattern, m.Instrument(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("app") == "missing" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		io.WriteString(w, "ok")
	})))
	mux.Handle("/", m.Instrument(metrics.Unmatched, http.NotFoundHandler()))

	for _, target := range []string{"/api/v1/apps/a", "/api/v1/apps/b", "/api/v1/apps/missing", "/nowhere", "/else"} {
		mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, target, nil))
	}
	mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodHead, "/api/v1/apps/a", nil))
	mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("BREW", "/coffee", nil))

	text := scrape(t, m)
	assertLines(t, text,
		`torque_http_requests_total{code="200",method="GET",route="GET /api/v1/apps/{app}"} 2`,
		`torque_http_requests_total{code="404",method="GET",route="GET /api/v1/apps/{app}"} 1`,
		`torque_http_requests_total{code="200",method="HEAD",route="GET /api/v1/apps/{app}"} 1`,
		`torque_http_requests_total{code="404",method="GET",route="unmatched"} 2`,
		`torque_http_requests_total{code="404",method="OTHER",route="unmatched"} 1`,
		`torque_http_request_duration_seconds_count{method="GET",route="GET /api/v1/apps/{app}"} 3`,
	)
	if strings.Contains(text, "/api/v1/apps/a") || strings.Contains(text, "/nowhere") {
		t.Error("metrics carry a raw request path")
	}
}

func TestEntityOp(t *testing.T) {
	m := metrics.New(nil)
	m.EntityOp("create", "", time.Millisecond)
	m.EntityOp("create", "", time.Millisecond)
	m.EntityOp("create", "EINVALID", time.Millisecond)
	m.EntityOp("list", "ENOTFOUND", 2*time.Millisecond)
	m.EntityOp("archive", "", time.Millisecond) // unknown ops are still recorded
	assertLines(t, scrape(t, m),
		`torque_entity_operations_total{code="OK",op="create"} 2`,
		`torque_entity_operations_total{code="EINVALID",op="create"} 1`,
		`torque_entity_operations_total{code="ENOTFOUND",op="list"} 1`,
		`torque_entity_operations_total{code="OK",op="archive"} 1`,
		`torque_entity_operation_duration_seconds_count{op="create"} 3`,
		`torque_entity_operation_duration_seconds_sum{op="list"} 0.002`,
	)
}

func TestPoolCollectorReadsAtScrape(t *testing.T) {
	stats := sql.DBStats{OpenConnections: 3, InUse: 1, Idle: 2, WaitCount: 7, WaitDuration: 1500 * time.Millisecond}
	m := metrics.New(func() map[string]sql.DBStats { return map[string]sql.DBStats{"read": stats} })
	assertLines(t, scrape(t, m),
		`torque_db_connections{pool="read",state="open"} 3`,
		`torque_db_connections{pool="read",state="in_use"} 1`,
		`torque_db_connections{pool="read",state="idle"} 2`,
		`torque_db_wait_total{pool="read"} 7`,
		`torque_db_wait_seconds_total{pool="read"} 1.5`,
	)
	stats.InUse, stats.WaitCount = 3, 9
	assertLines(t, scrape(t, m),
		`torque_db_connections{pool="read",state="in_use"} 3`,
		`torque_db_wait_total{pool="read"} 9`,
	)
}

func TestRuntimeCollectorsAndOwnRegistry(t *testing.T) {
	text := scrape(t, metrics.New(nil))
	for _, name := range []string{"go_goroutines", "go_memstats_alloc_bytes", "process_start_time_seconds"} {
		if !strings.Contains(text, "\n"+name) && !strings.HasPrefix(text, name) {
			t.Errorf("metrics lack %s", name)
		}
	}
	// Two instances have separate registries: creating both must not panic
	// with duplicate registration, and counts do not mix.
	a, b := metrics.New(nil), metrics.New(nil)
	a.EntityOp("get", "", time.Millisecond)
	if strings.Contains(scrape(t, b), `torque_entity_operations_total{code="OK",op="get"} 1`) {
		t.Error("metrics instances share counts")
	}
}

func TestNilMetricsIsANoOp(t *testing.T) {
	var m *metrics.Metrics
	m.EntityOp("get", "", time.Millisecond)
	m.Route("GET /x").Observe("GET", 200, time.Millisecond)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	if got := m.Instrument("GET /x", h); got == nil {
		t.Fatal("Instrument on nil Metrics returned nil")
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("nil Metrics handler: status %d, want 404", rec.Code)
	}
}

// BenchmarkMiddleware measures what instrumenting a route adds to a request.
func BenchmarkMiddleware(b *testing.B) {
	m := metrics.New(nil)
	noop := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	h := m.Instrument("GET /api/v1/apps/{app}", noop)
	req := httptest.NewRequest(http.MethodGet, "/api/v1/apps/a", nil)
	w := discardWriter{h: http.Header{}}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			h.ServeHTTP(w, req)
		}
	})
}

// BenchmarkEntityOp measures the cost the services pay per operation.
func BenchmarkEntityOp(b *testing.B) {
	m := metrics.New(nil)
	b.ReportAllocs()
	for b.Loop() {
		m.EntityOp("get", "", time.Millisecond)
	}
}

type discardWriter struct{ h http.Header }

func (w discardWriter) Header() http.Header         { return w.h }
func (w discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w discardWriter) WriteHeader(int)             {}
