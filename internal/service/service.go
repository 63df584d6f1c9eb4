// Package service implements the torque service interfaces: every rule about
// models, applications and entities (validation, references, uniqueness,
// onDelete, versions) lives here, so every transport behaves the same.
package service

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/schema"
	"github.com/torquehq/torque/internal/store"
)

// Options configure a Service. The zero value is usable.
type Options struct {
	Logger *slog.Logger
	// Now returns the current time; tests may fix it.
	Now func() time.Time
	// OnEntityOp, when set, is called after every entity operation with its
	// name (create, get, update, delete, list), the error code ("" on
	// success) and its duration. Metrics use it.
	OnEntityOp func(op, code string, d time.Duration)
}

// Service implements torque.ModelService, torque.AppService and
// torque.EntityService over one store.
type Service struct {
	db     *store.DB
	logger *slog.Logger
	now    func() time.Time
	onOp   func(op, code string, d time.Duration)

	mu     sync.RWMutex
	apps   map[string]*torque.App    // by app name
	models map[string]*compiledModel // by model name, latest version
}

var (
	_ torque.ModelService  = (*Service)(nil)
	_ torque.AppService    = (*Service)(nil)
	_ torque.EntityService = (*Service)(nil)
)

// New returns a Service over db, whose migrations must have been applied.
func New(db *store.DB, opts Options) (*Service, error) {
	s := &Service{
		db:     db,
		logger: opts.Logger,
		now:    opts.Now,
		onOp:   opts.OnEntityOp,
		apps:   make(map[string]*torque.App),
		models: make(map[string]*compiledModel),
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// compiledModel is one model version prepared for entity work.
type compiledModel struct {
	model   *torque.Model
	schemas *schema.Set

	fieldsOnce sync.Once
	fields     map[string]store.FieldTypes // by entity type; see fieldTypes
}

// compiled returns the compiled latest version of the model named name,
// compiling and caching it on first use.
func (s *Service) compiled(ctx context.Context, name string) (*compiledModel, error) {
	s.mu.RLock()
	cm := s.models[name]
	s.mu.RUnlock()
	if cm != nil {
		return cm, nil
	}
	m, err := s.db.Model(ctx, name)
	if err != nil {
		return nil, err
	}
	return s.cacheModel(m)
}

func (s *Service) cacheModel(m *torque.Model) (*compiledModel, error) {
	set, err := schema.Compile(m)
	if err != nil {
		return nil, err
	}
	cm := &compiledModel{model: m, schemas: set}
	s.mu.Lock()
	if old := s.models[m.Name]; old == nil || old.model.Version <= m.Version {
		s.models[m.Name] = cm
	}
	s.mu.Unlock()
	return cm, nil
}

func (s *Service) forgetModel(name string) {
	s.mu.Lock()
	delete(s.models, name)
	s.mu.Unlock()
}

// app returns the application named name, cached.
func (s *Service) app(ctx context.Context, name string) (*torque.App, error) {
	s.mu.RLock()
	a := s.apps[name]
	s.mu.RUnlock()
	if a != nil {
		return a, nil
	}
	a, err := s.db.App(ctx, name)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.apps[name] = a
	s.mu.Unlock()
	return a, nil
}

func (s *Service) forgetApp(name string) {
	s.mu.Lock()
	delete(s.apps, name)
	s.mu.Unlock()
}

// observe reports an entity operation to the OnEntityOp hook; it is
// deferred with a pointer to the operation's named error result.
func (s *Service) observe(op string, start time.Time, err *error) {
	if s.onOp != nil {
		s.onOp(op, torque.ErrorCode(*err), time.Since(start))
	}
}
