package graphql

import (
	"context"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/graphql/generated"
	"github.com/torquehq/torque/internal/service"
)

// Service is what the GraphQL transport calls: the methods of
// internal/service it adapts. Every rule and permission lives behind it.
type Service interface {
	torque.ModelService
	Apps(ctx context.Context) ([]*torque.App, error)
	App(ctx context.Context, name string) (*torque.App, error)
	Me(ctx context.Context) (*torque.User, error)
	Authenticate(ctx context.Context, c torque.Credentials) (*torque.Actor, error)
	// EditModel applies edits to the model named name, made from version
	// base, as one new version.
	EditModel(ctx context.Context, name string, base int64, edits []torque.ModelEdit) (*torque.Model, error)
	DuplicateModel(ctx context.Context, name, newName string) (*torque.Model, error)
	// SubscribeModel and SubscribeEntities follow a topic of the change bus
	// from the event after the sequence number after (0: from now on).
	SubscribeModel(ctx context.Context, name string, after uint64) (*service.Stream, error)
	SubscribeEntities(ctx context.Context, app, typ string, after uint64) (*service.Stream, error)

	CreateApp(ctx context.Context, name, model string) (*torque.App, error)
	DeleteApp(ctx context.Context, name string) error
	// ModelTemplates and CreateModelFromTemplate offer the example models
	// as starting points.
	ModelTemplates(ctx context.Context) ([]service.ModelTemplate, error)
	CreateModelFromTemplate(ctx context.Context, template, name string) (*torque.Model, error)
	// ModelVersionPage lists first of a model's kept versions, newest
	// first, older than before (when above 0), with their documents when
	// asked, in one read.
	ModelVersionPage(ctx context.Context, name string, first int, before int64, documents bool) ([]torque.ModelVersion, error)
	// RestoreModelVersion stores an earlier version's document as the next
	// version, made from base.
	RestoreModelVersion(ctx context.Context, name string, version, base int64) (*torque.Model, error)
	// JoinPresence and SetPresence: who is on a model, editing what.
	JoinPresence(ctx context.Context, model string) (*service.Presence, error)
	SetPresence(ctx context.Context, model, id, editing string) error
}

// resolver is the root of every resolver: the service, and the logger for
// the faults resolvers find.
type resolver struct {
	svc Service
	h   *Handler
}

var _ generated.ResolverRoot = (*resolver)(nil)

func (r *resolver) Query() generated.QueryResolver               { return (*queryResolver)(r) }
func (r *resolver) Mutation() generated.MutationResolver         { return (*mutationResolver)(r) }
func (r *resolver) Subscription() generated.SubscriptionResolver { return (*subscriptionResolver)(r) }
func (r *resolver) Model() generated.ModelResolver               { return (*modelResolver)(r) }
func (r *resolver) EntityType() generated.EntityTypeResolver     { return (*entityTypeResolver)(r) }
func (r *resolver) Field() generated.FieldResolver               { return (*fieldResolver)(r) }
func (r *resolver) Relationship() generated.RelationshipResolver { return (*relationshipResolver)(r) }
func (r *resolver) ModelEvent() generated.ModelEventResolver     { return (*modelEventResolver)(r) }
func (r *resolver) ModelVersion() generated.ModelVersionResolver { return (*modelVersionResolver)(r) }
func (r *resolver) ModelTemplate() generated.ModelTemplateResolver {
	return (*modelTemplateResolver)(r)
}

type (
	queryResolver         resolver
	mutationResolver      resolver
	subscriptionResolver  resolver
	modelResolver         resolver
	entityTypeResolver    resolver
	fieldResolver         resolver
	relationshipResolver  resolver
	modelEventResolver    resolver
	modelVersionResolver  resolver
	modelTemplateResolver resolver
)
