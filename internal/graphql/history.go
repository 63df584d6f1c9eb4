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

// Page sizes of Model.versions.
const (
	defaultVersionsPage = 100
	maxVersionsPage     = 100
)

// versionsPage is the size of a page of versions that first asks for.
func versionsPage(first *int64) int {
	if first == nil {
		return defaultVersionsPage
	}
	return int(min(max(*first, 1), maxVersionsPage))
}

// Versions lists kept versions of m, newest first: a page of first, older
// than before when given. When the selection asks for their documents, they
// are read with the list, in one query.
func (r *modelResolver) Versions(ctx context.Context, m *torque.Model, first *int64, before *int64) ([]torque.ModelVersion, error) {
	var older int64
	if before != nil {
		if *before < 1 {
			return []torque.ModelVersion{}, nil // nothing is older than version 1
		}
		older = *before
	}
	return r.svc.ModelVersionPage(ctx, m.Name, versionsPage(first), older, selects(ctx, "document"))
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
