// Package bench is a load generator for a running Torque server: N clients
// send entity operations for a while, and it reports throughput and latency
// percentiles per operation.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Operations a run can send; "mixed" draws from all of them.
var Operations = []string{"create", "get", "update", "list", "mixed"}

// Limits of one run.
const (
	MaxClients  = 1000
	MaxDuration = 10 * time.Minute
	MaxSeed     = 1_000_000
)

// Options describe one run.
type Options struct {
	URL      string        // server base URL, e.g. http://127.0.0.1:8080
	App      string        // app to use; created with the bench model when absent
	Op       string        // one of Operations
	Clients  int           // concurrent clients
	Duration time.Duration // how long to send
	Seed     int           // entities created before the run (for get, update, list, mixed)
	Token    string        // optional bearer token
}

// Validate names the first wrong option.
func (o Options) Validate() error {
	switch {
	case !strings.HasPrefix(o.URL, "http://") && !strings.HasPrefix(o.URL, "https://"):
		return fmt.Errorf("url: %q must start with http:// or https://", o.URL)
	case o.App == "":
		return errors.New("app: must not be empty")
	case !slices.Contains(Operations, o.Op):
		return fmt.Errorf("op: %q must be one of %s", o.Op, strings.Join(Operations, ", "))
	case o.Clients < 1 || o.Clients > MaxClients:
		return fmt.Errorf("clients: must be from 1 to %d", MaxClients)
	case o.Duration <= 0 || o.Duration > MaxDuration:
		return fmt.Errorf("duration: must be positive and at most %s", MaxDuration)
	case o.Seed < 0 || o.Seed > MaxSeed:
		return fmt.Errorf("seed: must be from 0 to %d", MaxSeed)
	}
	return nil
}

// Stats are the measurements of one operation.
type Stats struct {
	Op        string
	Requests  int
	Errors    int
	Elapsed   time.Duration
	latencies []time.Duration // of successful requests, sorted
}

// Throughput is successful requests per second.
func (s *Stats) Throughput() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Requests-s.Errors) / s.Elapsed.Seconds()
}

// Percentile returns the p-th percentile latency (0 < p <= 100).
func (s *Stats) Percentile(p float64) time.Duration {
	if len(s.latencies) == 0 {
		return 0
	}
	i := int(float64(len(s.latencies))*p/100+0.5) - 1
	return s.latencies[max(0, min(i, len(s.latencies)-1))]
}

// Report is the result of a run, one Stats per operation sent.
type Report struct {
	Stats   []*Stats
	Elapsed time.Duration
	// FirstError is the first failure seen, to tell the user why errors happened.
	FirstError string
}

// Write prints the report as a table.
func (r *Report) Write(w io.Writer) {
	fmt.Fprintf(w, "%-8s %10s %8s %12s %10s %10s %10s\n", "op", "requests", "errors", "ops/s", "p50", "p95", "p99")
	for _, s := range r.Stats {
		fmt.Fprintf(w, "%-8s %10d %8d %12.1f %10s %10s %10s\n", s.Op, s.Requests, s.Errors, s.Throughput(),
			round(s.Percentile(50)), round(s.Percentile(95)), round(s.Percentile(99)))
	}
	if r.FirstError != "" {
		fmt.Fprintf(w, "first error: %s\n", r.FirstError)
	}
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// Run prepares the app and sends load as opts says.
func Run(ctx context.Context, opts Options, progress io.Writer) (*Report, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	c := newClient(opts)
	if err := c.setup(ctx); err != nil {
		return nil, err
	}
	var seeded []*item
	if opts.Op != "create" && opts.Seed > 0 {
		fmt.Fprintf(progress, "creating %d entities in app %s...\n", opts.Seed, opts.App)
		var err error
		if seeded, err = c.seed(ctx, opts.Seed, opts.Clients); err != nil {
			return nil, err
		}
	}
	if opts.Op != "create" && len(seeded) == 0 {
		return nil, fmt.Errorf("op %s needs entities: use a seed above 0", opts.Op)
	}
	fmt.Fprintf(progress, "running %s with %d clients for %s...\n", opts.Op, opts.Clients, opts.Duration)
	return c.load(ctx, seeded), nil
}

// item is an entity a client works on, with its last known version.
type item struct {
	id      string
	version int64
}

type client struct {
	opts Options
	http *http.Client
	base string
}

func newClient(opts Options) *client {
	tr := &http.Transport{MaxIdleConns: opts.Clients * 2, MaxIdleConnsPerHost: opts.Clients * 2, IdleConnTimeout: 90 * time.Second}
	return &client{
		opts: opts,
		http: &http.Client{Transport: tr, Timeout: 30 * time.Second},
		base: strings.TrimRight(opts.URL, "/") + "/api/v1",
	}
}

// benchModel is the model of the app a run uses when it has to create one.
const benchModel = `{
  "name": "Bench", "version": 1, "relationships": [], "pages": [], "xflows": [],
  "entities": [{"name": "Item", "fields": [
    {"name": "title", "type": "string", "required": true, "maxLength": 200, "indexed": true},
    {"name": "status", "type": "enum", "values": ["todo", "doing", "done"], "default": "todo"},
    {"name": "priority", "type": "integer", "min": 1, "max": 5},
    {"name": "due", "type": "date"}
  ]}]
}`

// setup creates the bench model and app when they are missing.
func (c *client) setup(ctx context.Context) error {
	status, body, err := c.do(ctx, http.MethodGet, "/apps/"+c.opts.App, nil)
	switch {
	case err != nil:
		return fmt.Errorf("reach server: %w", err)
	case status == http.StatusOK:
		return nil
	case status != http.StatusNotFound:
		return fmt.Errorf("get app %s: %d %s", c.opts.App, status, truncate(body, 200))
	}
	if status, body, err = c.do(ctx, http.MethodPost, "/models", []byte(benchModel)); err != nil {
		return err
	} else if status != http.StatusCreated && status != http.StatusConflict {
		return fmt.Errorf("create bench model: %d %s", status, body)
	}
	app, _ := json.Marshal(map[string]string{"name": c.opts.App, "model": "Bench"})
	if status, body, err = c.do(ctx, http.MethodPost, "/apps", app); err != nil {
		return err
	} else if status != http.StatusCreated && status != http.StatusConflict {
		return fmt.Errorf("create app %s: %d %s", c.opts.App, status, body)
	}
	return nil
}

func (c *client) seed(ctx context.Context, n, workers int) ([]*item, error) {
	items := make([]*item, n)
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(rand.Uint64(), 1))
			for i := range next {
				it, err := c.create(ctx, rng)
				if err != nil {
					errc <- err
					return
				}
				items[i] = it
			}
		}()
	}
	var err error
send:
	for i := range n {
		select {
		case next <- i:
		case err = <-errc:
			break send
		case <-ctx.Done():
			err = ctx.Err()
			break send
		}
	}
	close(next)
	wg.Wait()
	if err == nil && len(errc) > 0 {
		err = <-errc
	}
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	return items, nil
}

// load runs the clients until the duration is over.
func (c *client) load(ctx context.Context, seeded []*item) *Report {
	ctx, cancel := context.WithTimeout(ctx, c.opts.Duration)
	defer cancel()
	type sample struct {
		op  string
		d   time.Duration
		err error
	}
	results := make([][]sample, c.opts.Clients)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range c.opts.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), uint64(start.UnixNano())))
			// Each client updates only its own share of the seeded entities,
			// so it always knows their current versions.
			var own []*item
			for i := w; i < len(seeded); i += c.opts.Clients {
				own = append(own, seeded[i])
			}
			out := make([]sample, 0, 4096)
			for ctx.Err() == nil {
				op := c.opts.Op
				if op == "mixed" {
					op = mixedOp(rng.IntN(100))
				}
				if op == "update" && len(own) == 0 {
					op = "get"
				}
				t0 := time.Now()
				err := c.one(ctx, op, rng, seeded, own)
				if ctx.Err() != nil && err != nil {
					break // cut off by the end of the run
				}
				out = append(out, sample{op, time.Since(t0), err})
			}
			results[w] = out
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	byOp := map[string]*Stats{}
	r := &Report{Elapsed: elapsed}
	for _, out := range results {
		for _, s := range out {
			st := byOp[s.op]
			if st == nil {
				st = &Stats{Op: s.op, Elapsed: elapsed}
				byOp[s.op] = st
			}
			st.Requests++
			if s.err != nil {
				st.Errors++
				if r.FirstError == "" {
					r.FirstError = s.err.Error()
				}
				continue
			}
			st.latencies = append(st.latencies, s.d)
		}
	}
	for _, op := range Operations {
		if st := byOp[op]; st != nil {
			slices.Sort(st.latencies)
			r.Stats = append(r.Stats, st)
		}
	}
	return r
}

// mixedOp maps a number 0..99 to an operation: 50% get, 20% create,
// 20% update, 10% list.
func mixedOp(n int) string {
	switch {
	case n < 50:
		return "get"
	case n < 70:
		return "create"
	case n < 90:
		return "update"
	}
	return "list"
}

func (c *client) one(ctx context.Context, op string, rng *rand.Rand, seeded, own []*item) error {
	switch op {
	case "create":
		_, err := c.create(ctx, rng)
		return err
	case "get":
		it := seeded[rng.IntN(len(seeded))]
		return c.expect(ctx, http.MethodGet, "/apps/"+c.opts.App+"/entities/Item/"+it.id, nil, http.StatusOK, nil)
	case "update":
		it := own[rng.IntN(len(own))]
		body, _ := json.Marshal(map[string]any{"version": it.version, "data": map[string]any{"priority": rng.IntN(5) + 1}})
		var e struct{ Version int64 }
		if err := c.expect(ctx, http.MethodPatch, "/apps/"+c.opts.App+"/entities/Item/"+it.id, body, http.StatusOK, &e); err != nil {
			return err
		}
		it.version = e.Version
		return nil
	default: // list
		q := []string{
			"/apps/" + c.opts.App + "/entities/Item?limit=20&sort=-priority&filter=" + url.QueryEscape(`status = "doing" and priority >= 4`),
			"/apps/" + c.opts.App + "/entities/Item?limit=20",
		}[rng.IntN(2)]
		return c.expect(ctx, http.MethodGet, q, nil, http.StatusOK, nil)
	}
}

var statuses = []string{"todo", "doing", "done"}

func (c *client) create(ctx context.Context, rng *rand.Rand) (*item, error) {
	data := map[string]any{
		"title":    fmt.Sprintf("task %d", rng.Uint32()),
		"status":   statuses[rng.IntN(3)],
		"priority": rng.IntN(5) + 1,
		"due":      time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(730)).Format(time.DateOnly),
	}
	body, _ := json.Marshal(map[string]any{"data": data})
	var e struct {
		ID      string
		Version int64
	}
	if err := c.expect(ctx, http.MethodPost, "/apps/"+c.opts.App+"/entities/Item", body, http.StatusCreated, &e); err != nil {
		return nil, err
	}
	return &item{id: e.ID, version: e.Version}, nil
}

// expect sends a request and checks its status, decoding the body into out.
func (c *client) expect(ctx context.Context, method, path string, body []byte, want int, out any) error {
	status, resp, err := c.do(ctx, method, path, body)
	if err != nil {
		return err
	}
	if status != want {
		return fmt.Errorf("%s %s: status %d: %s", method, path, status, truncate(resp, 200))
	}
	if out != nil {
		return json.Unmarshal(resp, out)
	}
	return nil
}

func (c *client) do(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.opts.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.opts.Token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	return resp.StatusCode, data, err
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "..."
	}
	return string(b)
}
