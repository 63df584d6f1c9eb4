package rest_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/examples/todo"
	"github.com/torquehq/torque/internal/rest"
	"github.com/torquehq/torque/internal/service"
	"github.com/torquehq/torque/internal/storetest"
)

// TestRequestTimeout gives requests a deadline that has passed by the time
// any query runs, and checks the answer is 503 ETIMEOUT with nothing written.
func TestRequestTimeout(t *testing.T) {
	ctx := torque.WithActor(context.Background(), torque.SystemActor)
	db := storetest.OpenSQLite(t)
	svc := service.New(db, service.Options{})
	m, err := torque.ParseModel(todo.Model)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateModel(ctx, m); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateApp(ctx, "todo", m.Name); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rest.New(rest.Config{
		Models: svc, Apps: svc, Entities: svc, Auth: svc,
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
		RequestTimeout: time.Nanosecond,
	}))
	t.Cleanup(srv.Close)

	req, err := http.NewRequest("POST", srv.URL+"/api/v1/apps/todo/entities/Task", strings.NewReader(`{"data": {"title": "late"}}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+adminToken(t, svc))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), `"code":"ETIMEOUT"`) {
		t.Fatalf("got %d %s, want 503 ETIMEOUT", resp.StatusCode, body)
	}
	page, err := svc.Entities(ctx, "todo", "Task", torque.EntityQuery{})
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("got %v, %v; want nothing written", page, err)
	}
}
