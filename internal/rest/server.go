// Package rest is Torque's REST transport: JSON over HTTP under /api/v1,
// plus health, readiness and metrics endpoints. Handlers decode a request,
// call one service method and encode its answer; every rule lives in the
// services. docs/api.md is the reference, openapi.json the contract.
package rest

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/auth"
	"github.com/torquehq/torque/internal/metrics"
)

// Default body limits.
const (
	DefaultMaxBodyBytes  = 1 << 20 // entity, app and link bodies
	DefaultMaxModelBytes = 4 << 20 // model documents
)

// readyTimeout bounds the database check of /readyz.
const readyTimeout = 2 * time.Second

// Config is what the transport needs.
type Config struct {
	Models   torque.ModelService
	Apps     torque.AppService
	Entities torque.EntityService
	Auth     torque.AuthService
	// Ready reports whether the database answers; nil means always ready.
	Ready func(context.Context) error
	// Metrics, when not nil, records every request and serves /metrics.
	Metrics *metrics.Metrics
	Logger  *slog.Logger // default slog.Default()
	// Body limits in bytes; zero means the defaults above.
	MaxBodyBytes, MaxModelBytes int64
	// RequestTimeout bounds the work of one request; past it the request's
	// context ends, its queries stop, and it is answered 503 ETIMEOUT with
	// nothing written. Zero means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// AllowedOrigins may send writes signed in by the session cookie, beside
	// the server's own origin (e.g. "https://admin.example.com").
	AllowedOrigins []string
	// CORSOrigins may call the API from browsers with API tokens; empty
	// means CORS is off. Cookies are never accepted cross-origin.
	CORSOrigins []string
	// SecureCookies marks the session cookie Secure even over plain HTTP,
	// for servers behind a TLS-terminating proxy.
	SecureCookies bool
	// RateLimit is the requests per second allowed per API token, user or
	// (anonymous) client address, with bursts of RateBurst; 0 means no limit.
	RateLimit float64
	RateBurst int
	// TrustedProxies are the networks of reverse proxies whose
	// X-Forwarded-For names the client (for sign-in throttling, rate limits
	// and the audit log); empty means the peer address is the client.
	TrustedProxies []netip.Prefix
	// GraphQL, when not nil, serves GET and POST /graphql and GET
	// /graphql/{file} (the IDE's files) behind the same authentication as
	// every route, with the actor in the request context. A WebSocket
	// upgrade of GET /graphql may come without credentials (its
	// connection_init authenticates) and is not bound by RequestTimeout; a
	// session cookie on an upgrade must pass the Origin check of cookie
	// writes.
	GraphQL http.Handler
	// RPC, when not nil, serves POST /rpc (JSON-RPC) and WebSocket upgrades
	// of GET /rpc/ws behind the same authentication as every route (a
	// session cookie on an upgrade must pass the Origin check of cookie
	// writes); the upgrade is not bound by RequestTimeout.
	RPC http.Handler
	// WebApp, when not nil, serves the TorqueApp's page and files at GET
	// /app/{path...}, to anyone: the app shows its own sign-in and reads
	// data through /rpc and /api, which check credentials. Its answers set
	// their own Content-Security-Policy in place of the API's, and any
	// query string is the app's business.
	WebApp http.Handler
	// Editor, when not nil, serves the Model Editor's page and files at GET
	// /editor/{path...}, on the terms of WebApp: public files, data through
	// /graphql, which checks credentials.
	Editor http.Handler
}

// rateKeys bounds the clients the rate limiter remembers.
const rateKeys = 100000

// DefaultRequestTimeout is the default of Config.RequestTimeout.
const DefaultRequestTimeout = 30 * time.Second

// server holds the handlers' dependencies.
type server struct {
	models   torque.ModelService
	apps     torque.AppService
	entities torque.EntityService
	auth     torque.AuthService
	ready    func(context.Context) error
	metrics  *metrics.Metrics
	logger   *slog.Logger
	maxBody  int64
	maxModel int64
	timeout  time.Duration
	mux      *http.ServeMux

	allowedOrigins []string
	corsOrigins    []string
	secureCookies  bool
	limiter        *auth.Limiter // nil: no rate limit
	trustedProxies []netip.Prefix
	graphql        http.Handler
	rpc            http.Handler
	webApp         http.Handler
	editor         http.Handler
}

// route is one endpoint: its ServeMux pattern, the query parameters it
// accepts (any other is refused), and its handler.
type route struct {
	pattern string
	query   []string
	handle  http.HandlerFunc
}

// New returns the HTTP handler of the REST transport.
func New(cfg Config) http.Handler {
	return newServer(cfg)
}

func newServer(cfg Config) *server {
	s := &server{
		models:   cfg.Models,
		apps:     cfg.Apps,
		entities: cfg.Entities,
		auth:     cfg.Auth,
		ready:    cfg.Ready,
		metrics:  cfg.Metrics,
		logger:   cfg.Logger,
		maxBody:  cfg.MaxBodyBytes,
		maxModel: cfg.MaxModelBytes,
		timeout:  cfg.RequestTimeout,
		mux:      http.NewServeMux(),

		allowedOrigins: cfg.AllowedOrigins,
		corsOrigins:    cfg.CORSOrigins,
		secureCookies:  cfg.SecureCookies,
		trustedProxies: cfg.TrustedProxies,
		graphql:        cfg.GraphQL,
		rpc:            cfg.RPC,
		webApp:         cfg.WebApp,
		editor:         cfg.Editor,
	}
	if cfg.RateLimit > 0 {
		s.limiter = auth.NewLimiter(cfg.RateLimit, max(cfg.RateBurst, 1), rateKeys)
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	if s.maxModel <= 0 {
		s.maxModel = DefaultMaxModelBytes
	}
	if s.timeout <= 0 {
		s.timeout = DefaultRequestTimeout
	}
	for _, rt := range s.routes() {
		s.mux.Handle(rt.pattern, s.wrap(rt.pattern, rt.query, rt.handle, publicRoutes[rt.pattern]))
	}
	s.mux.Handle("/", s.wrap(metrics.Unmatched, nil, s.unmatched, false))
	return s
}

// routes lists every endpoint. openapi.json documents exactly these.
func (s *server) routes() []route {
	const (
		models   = "/api/v1/models"
		apps     = "/api/v1/apps"
		entities = "/api/v1/apps/{app}/entities/{type}"
		related  = entities + "/{id}/related/{rel}"
		members  = apps + "/{app}/members"
	)
	rs := []route{
		{"GET " + models, nil, s.listModels},
		{"POST " + models, nil, s.createModel},
		{"GET " + models + "/{name}", []string{"version"}, s.getModel},
		{"PUT " + models + "/{name}", nil, s.updateModel},
		{"DELETE " + models + "/{name}", nil, s.deleteModel},
		{"GET " + models + "/{name}/versions", nil, s.modelVersions},

		{"GET " + apps, nil, s.listApps},
		{"POST " + apps, nil, s.createApp},
		{"GET " + apps + "/{app}", nil, s.getApp},
		{"DELETE " + apps + "/{app}", nil, s.deleteApp},

		{"GET " + entities, listParams, s.listEntities},
		{"POST " + entities, nil, s.createEntity},
		{"GET " + entities + "/{id}", nil, s.getEntity},
		{"PATCH " + entities + "/{id}", nil, s.updateEntity},
		{"DELETE " + entities + "/{id}", nil, s.deleteEntity},
		{"GET " + related, listParams, s.listRelated},
		{"POST " + related, nil, s.link},
		{"DELETE " + related + "/{otherId}", nil, s.unlink},

		{"POST /api/v1/auth/login", nil, s.login},
		{"POST /api/v1/auth/logout", nil, s.logout},
		{"GET /api/v1/auth/me", nil, s.me},
		{"PUT /api/v1/auth/password", nil, s.setPassword},
		{"GET /api/v1/tokens", nil, s.listTokens},
		{"POST /api/v1/tokens", nil, s.createToken},
		{"DELETE /api/v1/tokens/{id}", nil, s.deleteToken},
		{"GET /api/v1/users", nil, s.listUsers},
		{"POST /api/v1/users", nil, s.createUser},
		{"GET /api/v1/users/{id}", nil, s.getUser},
		{"DELETE /api/v1/users/{id}/sessions", nil, s.revokeSessions},
		{"GET " + members, nil, s.listMembers},
		{"POST " + members, nil, s.setMember},
		{"DELETE " + members + "/{userId}", nil, s.removeMember},
		{"GET /api/v1/audit", []string{"before", "limit", "action"}, s.auditLog},

		{"GET /api/v1/openapi.json", nil, s.openAPI},
		{"GET /healthz", nil, s.healthz},
		{"GET /readyz", nil, s.readyz},
	}
	if s.graphql != nil {
		serve := s.graphql.ServeHTTP
		rs = append(rs,
			route{graphqlGET, graphqlQuery, serve},
			route{"POST /graphql", nil, serve},
			route{"GET /graphql/{file}", nil, serve},
		)
	}
	if s.rpc != nil {
		serve := s.rpc.ServeHTTP
		rs = append(rs, route{"POST /rpc", nil, serve}, route{rpcWS, nil, serve})
	}
	if s.webApp != nil {
		rs = append(rs, route{webAppRoute, nil, s.webApp.ServeHTTP})
	}
	if s.editor != nil {
		rs = append(rs, route{editorRoute, nil, s.editor.ServeHTTP})
	}
	if s.metrics != nil {
		metricsHandler := s.metrics.Handler()
		rs = append(rs, route{"GET /metrics", nil, func(w http.ResponseWriter, r *http.Request) {
			// Metrics describe the whole platform: admins only.
			if a := torque.ActorFrom(r.Context()); a == nil || !a.Admin {
				s.writeError(w, r, torque.Errorf(torque.EFORBIDDEN, "only platform admins may read metrics"))
				return
			}
			metricsHandler.ServeHTTP(w, r)
		}})
	}
	return rs
}

// webAppRoute serves the TorqueApp: /app/ and everything under it (the
// pattern matches /app/ itself, and the mux redirects /app there).
const webAppRoute = "GET /app/{path...}"

// editorRoute serves the Model Editor at /editor/ and under it.
const editorRoute = "GET /editor/{path...}"

// rpcWS is the route of JSON-RPC over WebSocket.
const rpcWS = "GET /rpc/ws"

// graphqlGET is the route of GraphQL queries over GET and of WebSocket
// upgrades; graphqlQuery its query parameters.
const graphqlGET = "GET /graphql"

var graphqlQuery = []string{"query", "variables", "operationName", "extensions"}

// Security headers set on every response. The slices are shared and never
// modified. API answers are data, never pages: their policy allows nothing
// to load and no one to frame them.
var (
	nosniff    = []string{"nosniff"}
	noReferrer = []string{"no-referrer"}
	apiCSP     = []string{"default-src 'none'; frame-ancestors 'none'"}
	frameDeny  = []string{"DENY"}
	jsonType   = []string{"application/json"}
)

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["X-Content-Type-Options"] = nosniff
	h["Referrer-Policy"] = noReferrer
	h["Content-Security-Policy"] = apiCSP
	h["X-Frame-Options"] = frameDeny
	if len(s.corsOrigins) > 0 && s.cors(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// writeJSON answers with status and v encoded as JSON.
func (s *server) writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		s.logger.Error("encode response", "err", err)
		status = http.StatusInternalServerError
		body = []byte(`{"error":{"code":"EINTERNAL","message":"internal error"}}`)
	}
	h := w.Header()
	h["Content-Type"] = jsonType
	h["Content-Length"] = []string{strconv.Itoa(len(body) + 1)}
	w.WriteHeader(status)
	w.Write(body)
	w.Write(newline)
}

var newline = []byte{'\n'}

// writeCreated answers 201 with v and the Location of the new resource.
func (s *server) writeCreated(w http.ResponseWriter, location string, v any) {
	w.Header()["Location"] = []string{location}
	s.writeJSON(w, http.StatusCreated, v)
}

func noContent(w http.ResponseWriter) {
	w.WriteHeader(http.StatusNoContent)
}

// list is the body of GET endpoints that return every item at once.
type list[T any] struct {
	Items []T `json:"items"`
}

func newList[T any](items []T) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items}
}

// health is the body of /healthz and /readyz.
type health struct {
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	s.writeJSON(w, http.StatusOK, health{Status: "ok"})
}

func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.ready != nil {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := s.ready(ctx); err != nil {
			s.logger.WarnContext(r.Context(), "not ready: database check failed", "err", err)
			s.writeJSON(w, http.StatusServiceUnavailable, health{Status: "unavailable", Error: "database"})
			return
		}
	}
	s.writeJSON(w, http.StatusOK, health{Status: "ready"})
}
