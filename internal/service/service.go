// Package service implements the torque service interfaces: every rule about
// models, applications and entities (validation, references, uniqueness,
// onDelete, versions) lives here, so every transport behaves the same.
package service

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/auth"
	"github.com/torquehq/torque/internal/bus"
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
	// Recheck is how long a cached model or app is trusted before storage is
	// asked whether it changed (another process or instance may have changed
	// it). Zero means DefaultRecheck.
	Recheck time.Duration
	// SessionIdle ends a browser session unused this long (default 12h);
	// SessionMax ends any session this long after sign-in (default 7 days).
	SessionIdle, SessionMax time.Duration
	// AccountThrottle and IPThrottle bound failed sign-ins per email and per
	// client address; zero values take auth's defaults, except Free: 4 for
	// accounts and 19 for addresses (people share addresses).
	AccountThrottle, IPThrottle auth.ThrottleOptions
	// Hub is the change bus the Service publishes on; nil means a new one
	// with default sizes.
	Hub *bus.Hub
}

// Session lifetimes by default.
const (
	DefaultSessionIdle = 12 * time.Hour
	DefaultSessionMax  = 7 * 24 * time.Hour
)

// DefaultRecheck is the default of Options.Recheck.
const DefaultRecheck = time.Second

// Service implements torque.ModelService, torque.AppService and
// torque.EntityService over one store.
type Service struct {
	db      *store.DB
	logger  *slog.Logger
	now     func() time.Time
	onOp    func(op, code string, d time.Duration)
	recheck time.Duration

	mu     sync.RWMutex
	apps   map[string]*cachedApp     // by app name
	models map[string]*compiledModel // by model name, latest version

	rolesMu sync.Mutex
	roles   map[roleKey]cachedRole

	credsMu sync.Mutex
	creds   map[string]cachedCreds // authenticated credentials by secret hash

	sessionIdle, sessionMax time.Duration
	accounts, ips           *auth.Throttle // failed sign-ins

	hub       *bus.Hub
	instance  string     // names this Service's notifications to other instances
	deliverMu sync.Mutex // serialises delivering stored events to the hub

	streamsMu      sync.Mutex
	streams        map[*Stream]struct{} // live subscriptions, for recheckStreams
	recheckMu      sync.Mutex           // one recheck pass at a time
	recheckPending atomic.Bool

	presence presenceState // who is on which model (presence.go)
}

var (
	_ torque.ModelService  = (*Service)(nil)
	_ torque.AppService    = (*Service)(nil)
	_ torque.EntityService = (*Service)(nil)
	_ torque.AuthService   = (*Service)(nil)
)

// New returns a Service over db, whose migrations must have been applied.
func New(db *store.DB, opts Options) *Service {
	s := &Service{
		db:      db,
		logger:  opts.Logger,
		now:     opts.Now,
		onOp:    opts.OnEntityOp,
		recheck: opts.Recheck,
		apps:    make(map[string]*cachedApp),
		models:  make(map[string]*compiledModel),
		roles:   make(map[roleKey]cachedRole),
		creds:   make(map[string]cachedCreds),
		streams: make(map[*Stream]struct{}),

		presence: newPresenceState(),

		sessionIdle: opts.SessionIdle,
		sessionMax:  opts.SessionMax,
	}
	if s.sessionIdle <= 0 {
		s.sessionIdle = DefaultSessionIdle
	}
	if s.sessionMax <= 0 {
		s.sessionMax = DefaultSessionMax
	}
	if opts.AccountThrottle.Now == nil {
		opts.AccountThrottle.Now = opts.Now
	}
	if opts.IPThrottle.Now == nil {
		opts.IPThrottle.Now = opts.Now
	}
	// The fifth failure of an account (the twentieth of an address) starts
	// the waits: the next attempt is refused.
	if opts.AccountThrottle.Free == 0 {
		opts.AccountThrottle.Free = 4
	}
	if opts.IPThrottle.Free == 0 {
		opts.IPThrottle.Free = 19
	}
	s.accounts = auth.NewThrottle(opts.AccountThrottle)
	s.ips = auth.NewThrottle(opts.IPThrottle)
	if s.logger == nil {
		s.logger = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.recheck <= 0 {
		s.recheck = DefaultRecheck
	}
	s.hub = opts.Hub
	if s.hub == nil {
		s.hub = bus.New(bus.Options{})
	}
	s.instance = uuid.NewString()
	return s
}

// compiledModel is one model version prepared for entity work.
type compiledModel struct {
	model   *torque.Model
	schemas *schema.Set

	fieldsOnce sync.Once
	fields     map[string]store.FieldTypes // by entity type; see fieldTypes

	checked atomic.Int64 // when storage last confirmed this is the latest version (unix ns)
}

// cachedApp is an app with the time storage last confirmed it exists.
type cachedApp struct {
	app     *torque.App
	checked atomic.Int64
}

// stale reports whether a cache entry confirmed at checked (unix ns) must be
// confirmed with storage again.
func (s *Service) stale(checked *atomic.Int64) bool {
	return time.Duration(time.Now().UnixNano()-checked.Load()) > s.recheck
}

// compiled returns the compiled latest version of the model named name,
// compiling and caching it on first use, and checking at most every recheck
// interval that storage has no newer version.
func (s *Service) compiled(ctx context.Context, name string) (*compiledModel, error) {
	s.mu.RLock()
	cm := s.models[name]
	s.mu.RUnlock()
	if cm != nil && !s.stale(&cm.checked) {
		return cm, nil
	}
	if cm != nil {
		v, err := s.db.ModelVersion(ctx, name)
		if err != nil {
			if torque.ErrorCode(err) == torque.ENOTFOUND {
				s.forgetModel(name)
			}
			return nil, err
		}
		if v == cm.model.Version {
			cm.checked.Store(time.Now().UnixNano())
			return cm, nil
		}
	}
	m, err := s.db.Model(ctx, name)
	if err != nil {
		return nil, err
	}
	return s.cacheModel(m, true)
}

// cacheModel compiles m and caches it. A version read from storage
// (fromStorage) replaces whatever is cached: the model may have been deleted
// and made again, starting over at version 1. A version this process wrote
// replaces only an older one, in case a concurrent write cached a newer one.
func (s *Service) cacheModel(m *torque.Model, fromStorage bool) (*compiledModel, error) {
	set, err := schema.Compile(m)
	if err != nil {
		return nil, err
	}
	cm := &compiledModel{model: m, schemas: set}
	cm.checked.Store(time.Now().UnixNano())
	s.mu.Lock()
	if old := s.models[m.Name]; fromStorage || old == nil || old.model.Version <= m.Version {
		s.models[m.Name] = cm
	} else {
		cm = old
	}
	s.mu.Unlock()
	return cm, nil
}

func (s *Service) forgetModel(name string) {
	s.mu.Lock()
	delete(s.models, name)
	s.mu.Unlock()
}

// app returns the application named name, cached and confirmed at most
// every recheck interval.
func (s *Service) app(ctx context.Context, name string) (*torque.App, error) {
	s.mu.RLock()
	ca := s.apps[name]
	s.mu.RUnlock()
	if ca != nil && !s.stale(&ca.checked) {
		return ca.app, nil
	}
	a, err := s.db.App(ctx, name)
	if err != nil {
		if torque.ErrorCode(err) == torque.ENOTFOUND {
			s.forgetApp(name)
		}
		return nil, err
	}
	ca = &cachedApp{app: a}
	ca.checked.Store(time.Now().UnixNano())
	s.mu.Lock()
	s.apps[name] = ca
	s.mu.Unlock()
	return a, nil
}

func (s *Service) forgetApp(name string) {
	s.mu.Lock()
	delete(s.apps, name)
	s.mu.Unlock()
	s.recheckStreams()
}

// observe reports an entity operation to the OnEntityOp hook; it is
// deferred with a pointer to the operation's named error result.
func (s *Service) observe(op string, start time.Time, err *error) {
	if s.onOp != nil {
		s.onOp(op, torque.ErrorCode(*err), time.Since(start))
	}
}
