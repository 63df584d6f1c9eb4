package graphql

import (
	"context"
	"encoding/json"

	"github.com/torquehq/torque"
)

// parseDocument parses a model document given as a JSON argument. When name
// is not empty the document's name must be it, or absent (then it is
// filled in).
func parseDocument(doc json.RawMessage, name string) (*torque.Model, error) {
	if name != "" {
		var err error
		if doc, err = torque.NameModelDocument(doc, name, "the model named in the mutation"); err != nil {
			return nil, err
		}
	}
	return torque.ParseModel(doc)
}

func (r *mutationResolver) CreateModel(ctx context.Context, input json.RawMessage) (*torque.Model, error) {
	m, err := parseDocument(input, "")
	if err != nil {
		return nil, err
	}
	return r.svc.CreateModel(ctx, m)
}

func (r *mutationResolver) UpdateModel(ctx context.Context, name string, baseVersion int64, document json.RawMessage) (*torque.Model, error) {
	m, err := parseDocument(document, name)
	if err != nil {
		return nil, err
	}
	m.Version = baseVersion
	return r.svc.UpdateModel(ctx, m)
}

func (r *mutationResolver) DeleteModel(ctx context.Context, name string) (bool, error) {
	if err := r.svc.DeleteModel(ctx, name); err != nil {
		return false, err
	}
	return true, nil
}

func (r *mutationResolver) DuplicateModel(ctx context.Context, name string, newName string) (*torque.Model, error) {
	return r.svc.DuplicateModel(ctx, name, newName)
}

func (r *mutationResolver) ImportModel(ctx context.Context, document json.RawMessage) (*torque.Model, error) {
	m, err := parseDocument(document, "")
	if err != nil {
		return nil, err
	}
	return r.svc.ImportModel(ctx, m)
}

func (r *mutationResolver) ExportModel(ctx context.Context, name string) (json.RawMessage, error) {
	m, err := r.svc.Model(ctx, name)
	if err != nil {
		return nil, err
	}
	return json.Marshal(m.Document())
}

func (r *mutationResolver) EditModel(ctx context.Context, name string, baseVersion int64, edits []torque.ModelEdit) (*torque.Model, error) {
	return r.svc.EditModel(ctx, name, baseVersion, edits)
}

// edit applies one edit: the shorthand mutations below are each one
// ModelEdit.
func (r *mutationResolver) edit(ctx context.Context, model string, baseVersion int64, e torque.ModelEdit) (*torque.Model, error) {
	return r.svc.EditModel(ctx, model, baseVersion, []torque.ModelEdit{e})
}

// index converts an optional position argument.
func index(i *int64) *int {
	if i == nil {
		return nil
	}
	n := int(*i)
	return &n
}

func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (r *mutationResolver) AddEntity(ctx context.Context, model string, baseVersion int64, entity json.RawMessage, at *int64) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditAddEntity, Value: entity, Index: index(at)})
}

func (r *mutationResolver) UpdateEntity(ctx context.Context, model string, baseVersion int64, entity string, patch json.RawMessage) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditUpdateEntity, Entity: entity, Value: patch})
}

func (r *mutationResolver) RemoveEntity(ctx context.Context, model string, baseVersion int64, entity string) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditRemoveEntity, Entity: entity})
}

func (r *mutationResolver) ReorderEntities(ctx context.Context, model string, baseVersion int64, order []string) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditReorderEntities, Order: order})
}

func (r *mutationResolver) AddField(ctx context.Context, model string, baseVersion int64, entity string, field json.RawMessage, at *int64) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditAddField, Entity: entity, Value: field, Index: index(at)})
}

func (r *mutationResolver) UpdateField(ctx context.Context, model string, baseVersion int64, entity string, field string, patch json.RawMessage) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditUpdateField, Entity: entity, Field: field, Value: patch})
}

func (r *mutationResolver) RemoveField(ctx context.Context, model string, baseVersion int64, entity string, field string) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditRemoveField, Entity: entity, Field: field})
}

func (r *mutationResolver) ReorderFields(ctx context.Context, model string, baseVersion int64, entity string, order []string) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditReorderFields, Entity: entity, Order: order})
}

func (r *mutationResolver) AddRelationship(ctx context.Context, model string, baseVersion int64, relationship json.RawMessage) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditAddRelationship, Value: relationship})
}

func (r *mutationResolver) UpdateRelationship(ctx context.Context, model string, baseVersion int64, relationship string, patch json.RawMessage) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditUpdateRelationship, Relationship: relationship, Value: patch})
}

func (r *mutationResolver) RemoveRelationship(ctx context.Context, model string, baseVersion int64, relationship string) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditRemoveRelationship, Relationship: relationship})
}

func (r *mutationResolver) AddPage(ctx context.Context, model string, baseVersion int64, page json.RawMessage, at *int64) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditAddPage, Value: page, Index: index(at)})
}

func (r *mutationResolver) UpdatePage(ctx context.Context, model string, baseVersion int64, page string, patch json.RawMessage) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditUpdatePage, Page: page, Value: patch})
}

func (r *mutationResolver) RemovePage(ctx context.Context, model string, baseVersion int64, page string) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditRemovePage, Page: page})
}

func (r *mutationResolver) ReorderPages(ctx context.Context, model string, baseVersion int64, order []string) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditReorderPages, Order: order})
}

func (r *mutationResolver) AddComponent(ctx context.Context, model string, baseVersion int64, page string, parent *string, component json.RawMessage, at *int64) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditAddComponent, Page: page, Parent: str(parent), Value: component, Index: index(at)})
}

func (r *mutationResolver) UpdateComponent(ctx context.Context, model string, baseVersion int64, page string, component string, patch json.RawMessage) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditUpdateComponent, Page: page, Component: component, Value: patch})
}

func (r *mutationResolver) RemoveComponent(ctx context.Context, model string, baseVersion int64, page string, component string) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditRemoveComponent, Page: page, Component: component})
}

func (r *mutationResolver) ReorderComponents(ctx context.Context, model string, baseVersion int64, page string, parent *string, order []string) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditReorderComponents, Page: page, Parent: str(parent), Order: order})
}

func (r *mutationResolver) AddFlow(ctx context.Context, model string, baseVersion int64, flow json.RawMessage, at *int64) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditAddFlow, Value: flow, Index: index(at)})
}

func (r *mutationResolver) UpdateFlow(ctx context.Context, model string, baseVersion int64, flow string, patch json.RawMessage) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditUpdateFlow, Flow: flow, Value: patch})
}

func (r *mutationResolver) RemoveFlow(ctx context.Context, model string, baseVersion int64, flow string) (*torque.Model, error) {
	return r.edit(ctx, model, baseVersion, torque.ModelEdit{Op: torque.EditRemoveFlow, Flow: flow})
}
