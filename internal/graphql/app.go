package graphql

import (
	"context"

	"github.com/torquehq/torque"
)

func (r *mutationResolver) CreateApp(ctx context.Context, name string, model string) (*torque.App, error) {
	return r.svc.CreateApp(ctx, name, model)
}

func (r *mutationResolver) DeleteApp(ctx context.Context, name string) (bool, error) {
	if err := r.svc.DeleteApp(ctx, name); err != nil {
		return false, err
	}
	return true, nil
}
