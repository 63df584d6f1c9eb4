package graphql

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/graphql/generated"
)

// Page sizes of the models connection.
const (
	defaultModelsPage = 50
	maxModelsPage     = 100
)

func (r *queryResolver) Me(ctx context.Context) (*torque.User, error) {
	return r.svc.Me(ctx)
}

// Models pages through the models the actor may read, in name order. The
// cursor is the name of the last model of a page, base64-encoded: opaque to
// clients, and stable while models are added or removed.
func (r *queryResolver) Models(ctx context.Context, search *string, first *int64, after *string) (*generated.ModelConnection, error) {
	size := int64(defaultModelsPage)
	if first != nil {
		size = *first
	}
	fields := map[string]string{}
	if size < 1 || size > maxModelsPage {
		fields["first"] = fmt.Sprintf("must be from 1 to %d", maxModelsPage)
	}
	var from string
	if after != nil {
		name, err := base64.RawURLEncoding.DecodeString(*after)
		if err != nil || len(name) == 0 {
			fields["after"] = "must be the endCursor of a previous page"
		}
		from = string(name)
	}
	if len(fields) > 0 {
		return nil, torque.Invalid("invalid arguments", fields)
	}
	all, err := r.svc.Models(ctx)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(all, func(a, b *torque.Model) int { return strings.Compare(a.Name, b.Name) })
	var matched []*torque.Model
	for _, m := range all {
		if search == nil || matches(m, *search) {
			matched = append(matched, m)
		}
	}
	conn := &generated.ModelConnection{
		Edges:      []generated.ModelEdge{},
		Nodes:      []torque.Model{},
		PageInfo:   &generated.PageInfo{},
		TotalCount: int64(len(matched)),
	}
	start := 0
	if from != "" {
		start, _ = slices.BinarySearchFunc(matched, from, func(m *torque.Model, name string) int {
			return strings.Compare(m.Name, name)
		})
		if start < len(matched) && matched[start].Name == from {
			start++
		}
	}
	end := min(start+int(size), len(matched))
	for _, m := range matched[start:end] {
		cursor := modelCursor(m.Name)
		conn.Edges = append(conn.Edges, generated.ModelEdge{Cursor: cursor, Node: m})
		conn.Nodes = append(conn.Nodes, *m)
		conn.PageInfo.EndCursor = &cursor
	}
	conn.PageInfo.HasNextPage = end < len(matched)
	return conn, nil
}

// matches reports whether the name or description of m contains search,
// ignoring case.
func matches(m *torque.Model, search string) bool {
	s := strings.ToLower(search)
	return strings.Contains(strings.ToLower(m.Name), s) || strings.Contains(strings.ToLower(m.Description), s)
}

func modelCursor(name string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(name))
}

// Model finds one model by its name or its id; exactly one must be given.
func (r *queryResolver) Model(ctx context.Context, id *string, name *string) (*torque.Model, error) {
	switch {
	case (id == nil) == (name == nil):
		return nil, torque.Invalid("invalid arguments", map[string]string{"id": "give either id or name, not both or neither"})
	case name != nil:
		return r.svc.Model(ctx, *name)
	}
	all, err := r.svc.Models(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range all {
		if m.ID == *id {
			return m, nil
		}
	}
	return nil, torque.Errorf(torque.ENOTFOUND, "no model with id %q", *id)
}

func (r *queryResolver) Apps(ctx context.Context) ([]torque.App, error) {
	apps, err := loadersFrom(ctx, r.svc).apps(ctx)
	if err != nil {
		return nil, err
	}
	return values(apps), nil
}

func (r *queryResolver) App(ctx context.Context, name string) (*torque.App, error) {
	return r.svc.App(ctx, name)
}

// values copies the values of a list of pointers, as gqlgen's bindings of
// lists take them.
func values[T any](ps []*T) []T {
	out := make([]T, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}

// rawList renders a list of JSON parts as one JSON list ([] when empty).
func rawList(parts []json.RawMessage) (json.RawMessage, error) {
	if parts == nil {
		parts = []json.RawMessage{}
	}
	return json.Marshal(parts)
}

func (r *modelResolver) Pages(ctx context.Context, m *torque.Model) (json.RawMessage, error) {
	return rawList(m.Pages)
}

func (r *modelResolver) Flows(ctx context.Context, m *torque.Model) (json.RawMessage, error) {
	return rawList(m.XFlows)
}

// Diff is what changed from version from to version to, or to m itself when
// to is absent.
func (r *modelResolver) Diff(ctx context.Context, m *torque.Model, from int64, to *int64) ([]torque.Change, error) {
	before, err := r.svc.ModelAtVersion(ctx, m.Name, from)
	if err != nil {
		return nil, err
	}
	after := m
	if to != nil && *to != m.Version {
		if after, err = r.svc.ModelAtVersion(ctx, m.Name, *to); err != nil {
			return nil, err
		}
	}
	changes := torque.DiffModels(before, after)
	if changes == nil {
		changes = []torque.Change{}
	}
	return changes, nil
}

func (r *modelResolver) Document(ctx context.Context, m *torque.Model) (json.RawMessage, error) {
	return json.Marshal(m.Document())
}

// Apps lists the apps made from m among those the actor may see. The list
// of apps is loaded once per request, however many models ask.
func (r *modelResolver) Apps(ctx context.Context, m *torque.Model) ([]torque.App, error) {
	apps, err := loadersFrom(ctx, r.svc).apps(ctx)
	if err != nil {
		return nil, err
	}
	out := []torque.App{}
	for _, a := range apps {
		if a.Model == m.Name {
			out = append(out, *a)
		}
	}
	return out, nil
}

func (r *entityTypeResolver) Permissions(ctx context.Context, et *torque.EntityType) (json.RawMessage, error) {
	if et.Permissions == nil {
		return nil, nil
	}
	return json.Marshal(et.Permissions)
}

func (r *fieldResolver) Type(ctx context.Context, f *torque.Field) (string, error) {
	return string(f.Type), nil
}

func (r *relationshipResolver) Kind(ctx context.Context, rel *torque.Relationship) (string, error) {
	return string(rel.Kind), nil
}

func (r *relationshipResolver) OnDelete(ctx context.Context, rel *torque.Relationship) (*string, error) {
	if rel.OnDelete == "" {
		return nil, nil
	}
	s := string(rel.OnDelete)
	return &s, nil
}
