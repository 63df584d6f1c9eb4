package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/torquehq/torque/internal/config"
	"github.com/torquehq/torque/internal/storetest"
)

// TestServeFinishesRequestsInFlight cancels the serve context while a slow
// request runs, and checks that the request still gets its answer.
func TestServeFinishesRequestsInFlight(t *testing.T) {
	cfg := config.Default()
	cfg.Data = t.TempDir()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := New(context.Background(), cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		io.WriteString(w, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{string(b), err}
	}()
	<-started
	cancel()
	r := <-got
	if r.err != nil || r.body != "finished" {
		t.Fatalf("got body %q, error %v; want %q", r.body, r.err, "finished")
	}
	if err := <-served; err != nil {
		t.Fatalf("serve returned %v, want nil", err)
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/slow"); err == nil {
		t.Fatal("server still answers after shutdown")
	}
}

func TestOpenStoreOnPostgres(t *testing.T) {
	cfg := config.Default() // carries the SQLite-only default sqlite_synchronous
	cfg.DB = storetest.PostgresDSN(t)
	db, err := OpenStore(context.Background(), cfg)
	if err != nil {
		t.Fatalf("got %v, want the PostgreSQL store", err)
	}
	defer db.Close()
	if got := db.Dialect(); got != "postgres" {
		t.Fatalf("got dialect %q, want postgres", got)
	}
}
