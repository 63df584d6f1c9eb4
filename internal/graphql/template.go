package graphql

import (
	"context"
	"encoding/json"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/service"
)

func (r *queryResolver) ModelTemplates(ctx context.Context) ([]service.ModelTemplate, error) {
	return r.svc.ModelTemplates(ctx)
}

func (r *modelTemplateResolver) Document(ctx context.Context, t *service.ModelTemplate) (json.RawMessage, error) {
	return t.Document, nil
}

func (r *mutationResolver) CreateModelFromTemplate(ctx context.Context, template string, name string) (*torque.Model, error) {
	return r.svc.CreateModelFromTemplate(ctx, template, name)
}
