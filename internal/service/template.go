package service

import (
	"context"
	"fmt"
	"strings"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/examples"
)

// ModelTemplate is an example model a new model can start from: its name,
// the title and description shown to people choosing, and its model
// document (docs/model.md).
type ModelTemplate = examples.Template

// ModelTemplates lists the templates new models can be made from
// (examples/: TODO, Contacts, Inventory). Any signed-in user may read them.
func (s *Service) ModelTemplates(ctx context.Context) ([]ModelTemplate, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	return examples.Templates(), nil
}

// CreateModelFromTemplate creates a model named name, at version 1, from
// the document of the template named template: as CreateModel, so only
// admins may, and the result is validated like any new model. An unknown
// template is EINVALID naming the field template.
func (s *Service) CreateModelFromTemplate(ctx context.Context, template, name string) (*torque.Model, error) {
	if _, err := admin(ctx, "create models"); err != nil {
		return nil, err
	}
	t, ok := examples.Lookup(template)
	if !ok {
		return nil, torque.Invalid("invalid template", map[string]string{
			"template": fmt.Sprintf("unknown template %q; one of: %s", template, strings.Join(examples.Names(), ", ")),
		})
	}
	m, err := torque.ParseModel(t.Document)
	if err != nil {
		return nil, fmt.Errorf("parse template %q: %w", template, err) // the examples test keeps them valid
	}
	m.Name = name
	return s.CreateModel(ctx, m)
}
