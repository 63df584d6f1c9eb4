package graphql_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/graphql"
)

// countingService counts the calls the transport makes.
type countingService struct {
	graphql.Service
	mu    sync.Mutex
	calls map[string]int
}

func (c *countingService) count(name string) {
	c.mu.Lock()
	c.calls[name]++
	c.mu.Unlock()
}

func (c *countingService) reset() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.calls
	c.calls = map[string]int{}
	return out
}

func (c *countingService) Apps(ctx context.Context) ([]*torque.App, error) {
	c.count("Apps")
	return c.Service.Apps(ctx)
}

func (c *countingService) Models(ctx context.Context) ([]*torque.Model, error) {
	c.count("Models")
	return c.Service.Models(ctx)
}

func (c *countingService) Model(ctx context.Context, name string) (*torque.Model, error) {
	c.count("Model")
	return c.Service.Model(ctx, name)
}

// TestAppsLoadedOncePerRequest checks that a list of N models asking for
// their apps costs one Apps call, not N, and that the memo does not outlive
// the request.
func TestAppsLoadedOncePerRequest(t *testing.T) {
	counter := &countingService{calls: map[string]int{}}
	e := newEnvWith(t, options{wrap: func(s graphql.Service) graphql.Service {
		counter.Service = s
		return counter
	}})
	ctx := torque.WithActor(context.Background(), torque.SystemActor)
	for i := range 8 {
		m, err := torque.ParseModel(fmt.Appendf(nil, `{"name": "M%d", "entities": []}`, i))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.CreateModel(ctx, m); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.CreateApp(ctx, fmt.Sprintf("app-%d", i), m.Name); err != nil {
			t.Fatal(err)
		}
	}
	counter.reset()

	var d struct {
		Models struct {
			Nodes []struct {
				Name string
				Apps []struct{ Name string }
			}
		}
		Apps []struct{ Name string }
	}
	e.ok(admin, `{ models { nodes { name apps { name } } } apps { name } }`, nil, &d)
	if len(d.Models.Nodes) != 10 {
		t.Fatalf("got %d models, want 10", len(d.Models.Nodes))
	}
	for _, n := range d.Models.Nodes {
		if len(n.Apps) != 1 {
			t.Errorf("model %s: apps %v, want its one app", n.Name, n.Apps)
		}
	}
	if got := counter.reset(); got["Apps"] != 1 || got["Models"] != 1 {
		t.Errorf("service calls %v, want Apps 1 and Models 1", got)
	}

	// A second request loads again: nothing is kept across requests.
	e.ok(admin, `{ model(name: "M3") { apps { name } } a: model(name: "M4") { apps { name } } }`, nil, nil)
	if got := counter.reset(); got["Apps"] != 1 || got["Model"] != 2 {
		t.Errorf("service calls %v, want Apps 1 and Model 2", got)
	}
}
