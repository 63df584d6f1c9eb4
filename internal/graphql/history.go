package graphql

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/99designs/gqlgen/graphql"

	"github.com/torquehq/torque"
)

func (r *mutationResolver) RestoreModelVersion(ctx context.Context, name string, version int64, baseVersion int64) (*torque.Model, error) {
	return r.svc.RestoreModelVersion(ctx, name, version, baseVersion)
}

// Versions lists the kept versions of m, newest first. When the selection
// asks for their documents, each version's model is read (one read per
// version, which the complexity limit counts).
func (r *modelResolver) Versions(ctx context.Context, m *torque.Model) ([]torque.ModelVersion, error) {
	versions, err := r.svc.ModelVersions(ctx, m.Name)
	if err != nil || !selects(ctx, "document") {
		return versions, err
	}
	for i := range versions {
		v := &versions[i]
		if v.Version == m.Version && m.Version > 0 {
			v.Model = m
			continue
		}
		if v.Model, err = r.svc.ModelAtVersion(ctx, m.Name, v.Version); err != nil {
			return nil, err
		}
	}
	return versions, nil
}

// selects reports whether the field being resolved selects a field named
// name (in fragments too).
func selects(ctx context.Context, name string) bool {
	fields := graphql.CollectFieldsCtx(ctx, nil)
	return slices.ContainsFunc(fields, func(f graphql.CollectedField) bool { return f.Name == name })
}

// Document is the model document of the version, read by Versions.
func (r *modelVersionResolver) Document(ctx context.Context, v *torque.ModelVersion) (json.RawMessage, error) {
	if v.Model == nil {
		return nil, fmt.Errorf("version %d was listed without its document", v.Version)
	}
	return json.Marshal(v.Model.Document())
}
