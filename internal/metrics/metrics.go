// Package metrics exposes Torque's Prometheus metrics: HTTP requests by
// route, entity operations, database pool state, and the Go runtime and
// process collectors. Every Metrics value has its own registry; nothing is
// registered globally.
//
// All methods are safe on a nil *Metrics and then do nothing, so callers can
// run without metrics.
package metrics

import (
	"database/sql"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Unmatched is the route label of requests no route pattern matched.
const Unmatched = "unmatched"

// durationBuckets suit an in-process server whose common requests take
// tens of microseconds to a few milliseconds.
var durationBuckets = []float64{
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
}

// Entity operations and error codes known in advance; their label children
// are created once, so EntityOp does no label hashing.
var (
	entityOps   = []string{"create", "get", "update", "delete", "list"}
	entityCodes = []string{"OK", "EINVALID", "EUNAUTHORIZED", "EFORBIDDEN", "ENOTFOUND", "ECONFLICT", "ETOOLARGE", "EINTERNAL"}
)

// Metrics holds Torque's collectors and their registry.
type Metrics struct {
	registry *prometheus.Registry
	handler  http.Handler

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec

	entityTotal    *prometheus.CounterVec
	entityDuration *prometheus.HistogramVec
	entityCounters [][]prometheus.Counter // [op][code], in entityOps/entityCodes order
	entityObserver []prometheus.Observer  // [op]
}

// New returns Metrics with a fresh registry. pools, when not nil, is called
// at every scrape and names the database pools whose statistics to report
// (for example {"sqlite-read": db.Stats(), "sqlite-write": ...}).
func New(pools func() map[string]sql.DBStats) *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry()}
	m.httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "torque_http_requests_total",
		Help: "HTTP requests served, by method, route pattern and status code.",
	}, []string{"method", "route", "code"})
	m.httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "torque_http_request_duration_seconds",
		Help:    "Time to serve an HTTP request, by method and route pattern.",
		Buckets: durationBuckets,
	}, []string{"method", "route"})
	m.entityTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "torque_entity_operations_total",
		Help: "Entity operations, by operation and result code (OK or a torque error code).",
	}, []string{"op", "code"})
	m.entityDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "torque_entity_operation_duration_seconds",
		Help:    "Time of entity operations, by operation.",
		Buckets: durationBuckets,
	}, []string{"op"})

	m.entityCounters = make([][]prometheus.Counter, len(entityOps))
	m.entityObserver = make([]prometheus.Observer, len(entityOps))
	for i, op := range entityOps {
		m.entityObserver[i] = m.entityDuration.WithLabelValues(op)
		m.entityCounters[i] = make([]prometheus.Counter, len(entityCodes))
		for j, code := range entityCodes {
			m.entityCounters[i][j] = m.entityTotal.WithLabelValues(op, code)
		}
	}

	m.registry.MustRegister(
		m.httpRequests, m.httpDuration, m.entityTotal, m.entityDuration,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	if pools != nil {
		m.registry.MustRegister(&poolCollector{pools: pools})
	}
	m.handler = promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
	return m
}

// Registry returns the registry, for callers that add their own collectors.
func (m *Metrics) Registry() *prometheus.Registry {
	if m == nil {
		return nil
	}
	return m.registry
}

// Handler serves the metrics in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return m.handler
}

// EntityOp records one entity operation: op is create, get, update, delete
// or list; code is "" on success or the torque error code. Its signature
// fits service.Options.OnEntityOp.
func (m *Metrics) EntityOp(op, code string, d time.Duration) {
	if m == nil {
		return
	}
	if code == "" {
		code = "OK"
	}
	i, j := indexOf(entityOps, op), indexOf(entityCodes, code)
	if i < 0 {
		m.entityTotal.WithLabelValues(op, code).Inc()
		m.entityDuration.WithLabelValues(op).Observe(d.Seconds())
		return
	}
	if j < 0 {
		m.entityTotal.WithLabelValues(op, code).Inc()
	} else {
		m.entityCounters[i][j].Inc()
	}
	m.entityObserver[i].Observe(d.Seconds())
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// Route returns the recorder of one route. pattern is the ServeMux pattern
// ("GET /api/v1/apps/{app}") or Unmatched. Call it once per route when
// building the server: the recorder caches its label children, so
// recording a request costs no label hashing in the common case.
func (m *Metrics) Route(pattern string) *Route {
	if m == nil {
		return nil
	}
	method, route := "", pattern
	for i := 0; i < len(pattern); i++ {
		if pattern[i] == ' ' {
			method, route = pattern[:i], pattern
			break
		}
		if pattern[i] == '/' {
			break
		}
	}
	r := &Route{m: m, route: route, method: method}
	if method != "" {
		r.duration = m.httpDuration.WithLabelValues(method, route)
	}
	return r
}

// Route records the requests of one route.
type Route struct {
	m        *Metrics
	route    string
	method   string // of the pattern; "" when it matches any method
	duration prometheus.Observer
	counters [len(commonCodes)]atomic.Pointer[counter]
}

type counter struct{ prometheus.Counter }

// commonCodes are the status codes whose counters a Route caches.
var commonCodes = [...]int{200, 201, 204, 301, 304, 307, 308, 400, 401, 403, 404, 405, 409, 413, 415, 500, 503}

func codeSlot(code int) int {
	for i, c := range commonCodes {
		if c == code {
			return i
		}
	}
	return -1
}

// Observe records one request with its method, response status and
// duration.
func (r *Route) Observe(method string, code int, d time.Duration) {
	if r == nil {
		return
	}
	if method != r.method || r.method == "" {
		method = normalMethod(method)
		r.m.httpRequests.WithLabelValues(method, r.route, strconv.Itoa(code)).Inc()
		r.m.httpDuration.WithLabelValues(method, r.route).Observe(d.Seconds())
		return
	}
	if i := codeSlot(code); i >= 0 {
		c := r.counters[i].Load()
		if c == nil {
			c = &counter{r.m.httpRequests.WithLabelValues(method, r.route, strconv.Itoa(code))}
			r.counters[i].Store(c)
		}
		c.Inc()
	} else {
		r.m.httpRequests.WithLabelValues(method, r.route, strconv.Itoa(code)).Inc()
	}
	r.duration.Observe(d.Seconds())
}

// normalMethod bounds the method label: any method outside the standard
// ones becomes "OTHER".
func normalMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return m
	}
	return "OTHER"
}

// Instrument wraps next so that its requests are recorded under pattern.
// Servers that already wrap the ResponseWriter can use Route directly.
func (m *Metrics) Instrument(pattern string, next http.Handler) http.Handler {
	if m == nil {
		return next
	}
	route := m.Route(pattern)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		route.Observe(r.Method, sw.Status(), time.Since(start))
	})
}

// statusWriter remembers the status code written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Status returns the status written, 200 when the handler wrote nothing.
func (w *statusWriter) Status() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// poolCollector reports database/sql pool statistics read at scrape time.
type poolCollector struct {
	pools func() map[string]sql.DBStats
}

var (
	descConnections = prometheus.NewDesc("torque_db_connections",
		"Connections of a database pool, by state (open, in_use, idle).", []string{"pool", "state"}, nil)
	descWaits = prometheus.NewDesc("torque_db_wait_total",
		"Times a caller waited for a free connection of a database pool.", []string{"pool"}, nil)
	descWaitSeconds = prometheus.NewDesc("torque_db_wait_seconds_total",
		"Time callers spent waiting for a free connection of a database pool.", []string{"pool"}, nil)
)

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descConnections
	ch <- descWaits
	ch <- descWaitSeconds
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	for name, s := range c.pools() {
		ch <- prometheus.MustNewConstMetric(descConnections, prometheus.GaugeValue, float64(s.OpenConnections), name, "open")
		ch <- prometheus.MustNewConstMetric(descConnections, prometheus.GaugeValue, float64(s.InUse), name, "in_use")
		ch <- prometheus.MustNewConstMetric(descConnections, prometheus.GaugeValue, float64(s.Idle), name, "idle")
		ch <- prometheus.MustNewConstMetric(descWaits, prometheus.CounterValue, float64(s.WaitCount), name)
		ch <- prometheus.MustNewConstMetric(descWaitSeconds, prometheus.CounterValue, s.WaitDuration.Seconds(), name)
	}
}
