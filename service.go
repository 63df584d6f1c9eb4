package torque

import (
	"context"
	"encoding/json"
)

// ModelService manages model definitions and their versions.
type ModelService interface {
	Models(ctx context.Context) ([]*Model, error)
	// Model returns the latest version of the model named name.
	Model(ctx context.Context, name string) (*Model, error)
	// ModelVersions lists every kept version of a model, newest first,
	// without their bodies.
	ModelVersions(ctx context.Context, name string) ([]ModelVersion, error)
	// ModelAtVersion returns a model as it was at version v.
	ModelAtVersion(ctx context.Context, name string, v int64) (*Model, error)
	// CreateModel validates and stores a new model at version 1.
	CreateModel(ctx context.Context, m *Model) (*Model, error)
	// UpdateModel replaces the model named m.Name. m.Version is the version
	// the change is based on; a stale one fails with ECONFLICT.
	UpdateModel(ctx context.Context, m *Model) (*Model, error)
	// ImportModel creates the model keeping the document's version, or, when
	// a model of that name exists, stores the document as its next version.
	ImportModel(ctx context.Context, m *Model) (*Model, error)
	// DeleteModel removes a model no application uses.
	DeleteModel(ctx context.Context, name string) error
}

// AppService manages applications.
type AppService interface {
	Apps(ctx context.Context) ([]*App, error)
	App(ctx context.Context, name string) (*App, error)
	CreateApp(ctx context.Context, name, model string) (*App, error)
	// DeleteApp removes an application and all of its data.
	DeleteApp(ctx context.Context, name string) error
}

// EntityService manages the records of applications. Every method checks
// the entity type against the app's current model.
type EntityService interface {
	CreateEntity(ctx context.Context, app, typ string, data json.RawMessage) (*Entity, error)
	Entity(ctx context.Context, app, typ, id string) (*Entity, error)
	// UpdateEntity merges patch (a JSON object; null clears a field) into the
	// entity at version; a stale version fails with ECONFLICT.
	UpdateEntity(ctx context.Context, app, typ, id string, version int64, patch json.RawMessage) (*Entity, error)
	DeleteEntity(ctx context.Context, app, typ, id string) error
	Entities(ctx context.Context, app, typ string, q EntityQuery) (*EntityPage, error)
	// RelatedEntities lists the entities reached from one entity through the
	// relation named rel (a FromField or ToField of a relationship).
	RelatedEntities(ctx context.Context, app, typ, id, rel string, q EntityQuery) (*EntityPage, error)
	// Link and Unlink manage many-to-many links.
	Link(ctx context.Context, app, typ, id, rel, otherID string) error
	Unlink(ctx context.Context, app, typ, id, rel, otherID string) error
}
