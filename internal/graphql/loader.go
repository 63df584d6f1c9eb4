package graphql

import (
	"context"
	"sync"

	"github.com/torquehq/torque"
)

// loaders remember, for one response (a query, a mutation, or one event of
// a subscription), what nested fields would otherwise ask the service for
// again and again: a list of N models asking for their apps costs one call
// to Apps, not N. Resolvers run concurrently, so every load is guarded; a
// caller arriving while a load runs waits for its result.
type loaders struct {
	svc Service

	appsMu   sync.Mutex
	appsDone bool
	appsList []*torque.App
	appsErr  error
}

type loadersKey struct{}

// withLoaders returns ctx carrying fresh loaders.
func withLoaders(ctx context.Context, svc Service) context.Context {
	return context.WithValue(ctx, loadersKey{}, &loaders{svc: svc})
}

// loadersFrom returns the loaders of ctx; without any (a resolver called
// outside a response) it returns loaders that remember nothing beyond the
// call.
func loadersFrom(ctx context.Context, svc Service) *loaders {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l
	}
	return &loaders{svc: svc}
}

// apps returns the apps the actor may see, asking the service once.
func (l *loaders) apps(ctx context.Context) ([]*torque.App, error) {
	l.appsMu.Lock()
	defer l.appsMu.Unlock()
	if !l.appsDone {
		l.appsList, l.appsErr = l.svc.Apps(ctx)
		l.appsDone = true
	}
	return l.appsList, l.appsErr
}
