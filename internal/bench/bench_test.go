package bench_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/bench"
	"github.com/torquehq/torque/internal/config"
	"github.com/torquehq/torque/internal/server"
)

func TestRunAgainstARealServer(t *testing.T) {
	cfg := config.Default()
	cfg.Data = t.TempDir()
	srv, err := server.New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.DB.Close() })
	ts := httptest.NewServer(srv.Handler)
	t.Cleanup(ts.Close)
	sys := torque.WithActor(context.Background(), torque.SystemActor)
	if _, err := srv.Service.CreateUser(sys, "bench@example.com", "bench-password", true); err != nil {
		t.Fatal(err)
	}
	tok, err := srv.Service.CreateUserToken(sys, "bench@example.com", "bench", 0)
	if err != nil {
		t.Fatal(err)
	}

	for _, op := range bench.Operations {
		t.Run(op, func(t *testing.T) {
			r, err := bench.Run(context.Background(), bench.Options{
				URL: ts.URL, App: "bench", Op: op, Clients: 4, Duration: 300 * time.Millisecond, Seed: 20, Token: tok.Secret,
			}, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if r.FirstError != "" {
				t.Fatalf("got error %s", r.FirstError)
			}
			if len(r.Stats) == 0 || r.Stats[0].Requests == 0 || r.Stats[0].Percentile(50) <= 0 {
				t.Fatalf("got stats %+v, want requests with latencies", r.Stats)
			}
			if op == "mixed" && len(r.Stats) < 3 {
				t.Fatalf("got %d operations in a mixed run, want at least 3", len(r.Stats))
			}
			var out bytes.Buffer
			r.Write(&out)
			if !strings.Contains(out.String(), "p99") || !strings.Contains(out.String(), r.Stats[0].Op) {
				t.Fatalf("got report %q", out.String())
			}
		})
	}
}

func TestOptionsRefused(t *testing.T) {
	good := bench.Options{URL: "http://127.0.0.1:1", App: "a", Op: "get", Clients: 1, Duration: time.Second, Seed: 1}
	tests := []struct {
		name   string
		change func(*bench.Options)
		want   string
	}{
		{"url without scheme", func(o *bench.Options) { o.URL = "127.0.0.1:8080" }, "url"},
		{"unknown op", func(o *bench.Options) { o.Op = "explode" }, "op"},
		{"no clients", func(o *bench.Options) { o.Clients = 0 }, "clients"},
		{"too many clients", func(o *bench.Options) { o.Clients = bench.MaxClients + 1 }, "clients"},
		{"endless run", func(o *bench.Options) { o.Duration = time.Hour }, "duration"},
		{"negative seed", func(o *bench.Options) { o.Seed = -1 }, "seed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := good
			tt.change(&o)
			if err := o.Validate(); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error about %s", err, tt.want)
			}
		})
	}
	if err := good.Validate(); err != nil {
		t.Fatalf("got %v for good options", err)
	}
}

func TestRunReportsAnUnreachableServer(t *testing.T) {
	r, err := bench.Run(context.Background(), bench.Options{URL: "http://127.0.0.1:1", App: "a", Op: "create", Clients: 1, Duration: time.Millisecond}, io.Discard)
	if err == nil || r != nil {
		t.Fatalf("got %v, %v; want an error reaching a closed port", r, err)
	}
}
