// Package graphql is Torque's GraphQL transport at /graphql: the model API
// the Model Editor uses, with subscriptions to model and entity changes over
// WebSocket (graphql-transport-ws). The schema is schema.graphqls; gqlgen
// generates the executor in generated/ (`go generate`), and the resolvers
// here call the services and nothing else: every rule and permission lives
// in internal/service. docs/api.md ("GraphQL") is the reference.
//
// The handler expects to sit behind internal/rest's authentication, which
// puts the actor in the request context; a WebSocket upgrade may come
// without credentials and authenticate in its connection_init.
package graphql

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/auth"
	"github.com/torquehq/torque/internal/graphql/generated"
)

// WebSocket settings.
const (
	// keepAlive is how often the server pings an idle connection.
	keepAlive = 25 * time.Second
	// initTimeout is how long a client has to send connection_init.
	initTimeout = 10 * time.Second
	// closeUnauthorized closes a connection whose connection_init carried
	// no valid credentials (graphql-transport-ws's "4401: Unauthorized").
	closeUnauthorized = 4401
)

// Config is what the transport needs.
type Config struct {
	Service Service
	Logger  *slog.Logger // default slog.Default()
	// IDE serves a GraphQL IDE page to browsers on GET /graphql.
	IDE bool
	// MaxBodyBytes bounds a request body and a WebSocket message; zero
	// means torque.MaxModelBytes, the limit of model documents.
	MaxBodyBytes int64
	// AllowedOrigins may open WebSockets beside the server's own origin
	// (e.g. "https://admin.example.com").
	AllowedOrigins []string
	// MaxDepth and MaxComplexity bound every operation; zero means
	// DefaultMaxDepth and DefaultMaxComplexity.
	MaxDepth, MaxComplexity int
}

// Handler serves /graphql.
type Handler struct {
	svc     Service
	logger  *slog.Logger
	origins []string
	ide     bool
	maxBody int64
	server  *handler.Server

	// closing ends every WebSocket connection when Close is called.
	closing  context.Context
	closeAll context.CancelFunc
}

// New returns the GraphQL handler.
func New(cfg Config) *Handler {
	h := &Handler{svc: cfg.Service, logger: cfg.Logger, origins: cfg.AllowedOrigins, ide: cfg.IDE, maxBody: cfg.MaxBodyBytes}
	if h.logger == nil {
		h.logger = slog.Default()
	}
	if h.maxBody <= 0 {
		h.maxBody = torque.MaxModelBytes
	}
	h.closing, h.closeAll = context.WithCancel(context.Background())

	ec := generated.Config{Resolvers: &resolver{svc: cfg.Service, h: h}}
	setComplexity(&ec.Complexity)
	srv := handler.New(generated.NewExecutableSchema(ec))
	srv.AddTransport(transport.Websocket{
		Implementation: transport.CoderWebsocketImplementation{
			AcceptOptions: websocket.AcceptOptions{OriginPatterns: cfg.AllowedOrigins},
		},
		InitFunc:              h.initWebsocket,
		InitTimeout:           initTimeout,
		KeepAlivePingInterval: keepAlive,
		PingPongInterval:      keepAlive,
		PayloadReadLimit:      &h.maxBody,
		ErrorFunc: func(ctx context.Context, err error) {
			h.logger.DebugContext(ctx, "graphql websocket", "err", err)
		},
	})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.Use(&complexityLimit{max: cmp.Or(cfg.MaxComplexity, DefaultMaxComplexity)})
	srv.Use(depthLimit{max: cmp.Or(cfg.MaxDepth, DefaultMaxDepth)})
	srv.SetErrorPresenter(h.present)
	srv.SetRecoverFunc(h.recoverPanic)
	// One set of loaders per response: per request for queries and
	// mutations, per event for subscriptions.
	srv.AroundResponses(func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		return next(withLoaders(ctx, h.svc))
	})
	h.server = srv
	return h
}

// Close ends every open WebSocket connection (at shutdown); requests over
// HTTP are left to finish.
func (h *Handler) Close() {
	if h != nil {
		h.closeAll()
	}
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/graphql/") {
		h.serveAsset(w, r)
		return
	}
	if h.ide && r.Method == http.MethodGet && r.Header.Get("Upgrade") == "" &&
		strings.Contains(r.Header.Get("Accept"), "text/html") && !r.URL.Query().Has("query") {
		h.servePage(w, r)
		return
	}
	if r.Header.Get("Upgrade") != "" {
		if !h.originAllowed(r) {
			writeError(w, http.StatusForbidden, codeOf[torque.EFORBIDDEN],
				fmt.Sprintf("cross-site WebSocket refused: origin %q is not allowed", r.Header.Get("Origin")))
			return
		}
		r = withClientIP(r)
	}
	if r.Method == http.MethodPost {
		body, err := io.ReadAll(io.LimitReader(r.Body, h.maxBody+1))
		switch {
		case err != nil:
			writeError(w, http.StatusBadRequest, codeBadRequest, "could not read the request body")
			return
		case int64(len(body)) > h.maxBody:
			writeError(w, http.StatusRequestEntityTooLarge, codeOf[torque.ETOOLARGE],
				fmt.Sprintf("request body is larger than %d bytes", h.maxBody))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	if r.Method == http.MethodGet && r.Header.Get("Upgrade") == "" {
		w = &getRefusal{ResponseWriter: w}
	}
	h.server.ServeHTTP(w, r)
}

// getRefusal gives the refusal gqlgen's GET transport writes for a
// mutation (406, with no code) the code every other error carries.
type getRefusal struct {
	http.ResponseWriter
	refused bool
}

func (g *getRefusal) WriteHeader(status int) {
	if status == http.StatusNotAcceptable {
		g.refused = true
		writeError(g.ResponseWriter, status, codeBadRequest, "GET runs queries only: send mutations with POST")
		return
	}
	g.ResponseWriter.WriteHeader(status)
}

func (g *getRefusal) Write(b []byte) (int, error) {
	if g.refused {
		return len(b), nil // the refusal is written already
	}
	return g.ResponseWriter.Write(b)
}

// originAllowed reports whether a WebSocket upgrade may proceed: browsers
// send an Origin, which must be this server or an allowed origin; clients
// that are not browsers send none. (The WebSocket library checks again.)
func (h *Handler) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || slices.Contains(h.origins, origin) {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && strings.EqualFold(u.Host, r.Host)
}

// writeError answers with one GraphQL error, for refusals made before an
// operation is read.
func writeError(w http.ResponseWriter, status int, code, message string) {
	body, _ := json.Marshal(map[string]any{"errors": []any{map[string]any{"message": message, "extensions": map[string]string{"code": code}}}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

// initWebsocket authenticates a WebSocket connection from its
// connection_init: connectionParams.Authorization ("Bearer tq_…") when
// present, or else the actor the upgrade request carried (its session
// cookie, checked by internal/rest, Origin included). Without either the
// connection is closed with 4401 Unauthorized: no subscription ever runs
// anonymously.
func (h *Handler) initWebsocket(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	if authz := p.Authorization(); authz != "" {
		token, ok := auth.ParseBearer(authz)
		if !ok {
			return refuse(ctx, "malformed Authorization: expected \"Bearer <API token>\"")
		}
		a, err := h.svc.Authenticate(ctx, torque.Credentials{Token: token, IP: clientIP(ctx)})
		if err != nil || a == nil {
			if code := torque.ErrorCode(err); err != nil && code != torque.EUNAUTHORIZED {
				h.logger.ErrorContext(ctx, "authenticate websocket", "err", err)
			}
			return refuse(ctx, "unknown, expired or revoked API token")
		}
		ctx = torque.WithActor(ctx, a)
	} else if torque.ActorFrom(ctx) == nil {
		return refuse(ctx, "sign in or send connectionParams.Authorization")
	}
	ctx = withConnState(ctx)
	// The connection ends when the handler closes; the hook is dropped when
	// the connection ends first.
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(h.closing, cancel)
	context.AfterFunc(ctx, func() { stop() })
	return ctx, nil, nil
}

// refuse ends a connection_init with 4401 Unauthorized.
func refuse(ctx context.Context, why string) (context.Context, *transport.InitPayload, error) {
	ctx = transport.WithWebsocketCloseCode(ctx, closeUnauthorized)
	ctx = transport.AppendCloseReason(ctx, "Unauthorized")
	return ctx, nil, errors.New("unauthorized: " + why)
}

type clientIPKey struct{}

// clientIP is the address the upgrade request came from, for the actor
// authenticated in connection_init.
func clientIP(ctx context.Context) string {
	ip, _ := ctx.Value(clientIPKey{}).(string)
	return ip
}

// withClientIP remembers the client's address of r in its context: the
// actor's when internal/rest authenticated one, the peer's otherwise.
func withClientIP(r *http.Request) *http.Request {
	ip := ""
	if a := torque.ActorFrom(r.Context()); a != nil && a.IP != "" {
		ip = a.IP
	} else if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		ip = host
	}
	return r.WithContext(context.WithValue(r.Context(), clientIPKey{}, ip))
}
