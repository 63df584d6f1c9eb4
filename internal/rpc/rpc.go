// Package rpc is the TorqueApp's API: JSON-RPC 2.0 at POST /rpc and over a
// WebSocket at /rpc/ws (internal/jsonrpc speaks the protocol). Its methods
// load a page's layout (internal/layout) and an entity type's data and
// form, and write entities, by calling the services only: permissions,
// validation and events are those of REST and GraphQL. Over the WebSocket a
// client subscribes to its page and hears, as notifications, when the
// model changes the page or when the data it shows changes. docs/api.md
// ("JSON-RPC") is the reference.
package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/coder/websocket"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/jsonrpc"
	"github.com/torquehq/torque/internal/layout"
	"github.com/torquehq/torque/internal/service"
)

// Service is what the methods call.
type Service interface {
	App(ctx context.Context, name string) (*torque.App, error)
	Rights(ctx context.Context, app string) (map[string]torque.OpGrants, error)
	Model(ctx context.Context, name string) (*torque.Model, error)
	Entity(ctx context.Context, app, typ, id string) (*torque.Entity, error)
	Entities(ctx context.Context, app, typ string, q torque.EntityQuery) (*torque.EntityPage, error)
	CreateEntity(ctx context.Context, app, typ string, data json.RawMessage) (*torque.Entity, error)
	UpdateEntity(ctx context.Context, app, typ, id string, version int64, patch json.RawMessage) (*torque.Entity, error)
	DeleteEntity(ctx context.Context, app, typ, id string) error
	SubscribeModel(ctx context.Context, name string, after uint64) (*service.Stream, error)
	SubscribeEntities(ctx context.Context, app, typ string, after uint64) (*service.Stream, error)
}

// Config is what the transport needs.
type Config struct {
	Service Service
	Logger  *slog.Logger // default slog.Default()
	// Layouts caches built layouts; nil means a cache of its own.
	Layouts *layout.Cache
	// MaxBodyBytes bounds a request body or WebSocket message (default
	// 1 MiB); Timeout bounds one call (default 30 s).
	MaxBodyBytes int64
	Timeout      time.Duration
	// AllowedOrigins may open WebSockets beside the server's own origin.
	AllowedOrigins []string
}

// Handler serves /rpc and /rpc/ws.
type Handler struct {
	svc     Service
	logger  *slog.Logger
	layouts *layout.Cache
	server  *jsonrpc.Server
}

// Limits of the API.
const (
	defaultTimeout = 30 * time.Second
	// maxSubscriptions bounds the subscriptions of one connection.
	maxSubscriptions = 32
	layoutCacheSize  = 256
)

// New returns the JSON-RPC handler.
func New(cfg Config) *Handler {
	h := &Handler{svc: cfg.Service, logger: cfg.Logger, layouts: cfg.Layouts}
	if h.logger == nil {
		h.logger = slog.Default()
	}
	if h.layouts == nil {
		h.layouts = layout.NewCache(layoutCacheSize)
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	h.server = jsonrpc.NewServer(jsonrpc.Options{
		MaxBodyBytes:  cfg.MaxBodyBytes,
		Timeout:       timeout,
		ErrorOf:       h.errorOf,
		Logger:        h.logger,
		AcceptOptions: websocket.AcceptOptions{OriginPatterns: cfg.AllowedOrigins},
	})
	h.server.Register("loadPage", h.loadPage)
	h.server.Register("loadEntityData", h.loadEntityData)
	h.server.Register("getFormDefinition", h.getFormDefinition)
	h.server.Register("createEntity", h.createEntity)
	h.server.Register("updateEntity", h.updateEntity)
	h.server.Register("deleteEntity", h.deleteEntity)
	h.server.Register("subscribe", h.subscribe)
	h.server.Register("unsubscribe", h.unsubscribe)
	return h
}

// ServeHTTP answers POST /rpc and WebSocket upgrades of GET /rpc/ws.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/rpc/ws" {
		h.server.ServeWebSocket(w, r, h.openConn, h.closeConn)
		return
	}
	h.server.ServeHTTP(w, r)
}

// Close ends every WebSocket connection (at shutdown).
func (h *Handler) Close() {
	if h != nil {
		h.server.Close()
	}
}

// Application error codes, in the range the specification leaves to
// servers; codeOf maps service error codes to them. Errors carry
// data {code, fields, conflict}.
var codeOf = map[string]int{
	torque.EINVALID:      jsonrpc.CodeInvalidParams,
	torque.EUNAUTHORIZED: -32001,
	torque.EFORBIDDEN:    -32003,
	torque.ENOTFOUND:     -32004,
	torque.ETIMEOUT:      -32008,
	torque.ECONFLICT:     -32009,
	torque.ETOOLARGE:     -32013,
	torque.ETHROTTLED:    -32029,
	torque.EINTERNAL:     jsonrpc.CodeInternalError,
}

// errorData is the data member of application errors.
type errorData struct {
	Code       string            `json:"code"`
	Fields     map[string]string `json:"fields,omitempty"`
	Conflict   *torque.Conflict  `json:"conflict,omitempty"`
	RetryAfter int64             `json:"retryAfter,omitempty"` // seconds
}

// errorOf maps an error of the services to its JSON-RPC error. Internal
// errors are logged here, once, and shown as "internal error".
func (h *Handler) errorOf(ctx context.Context, err error) *jsonrpc.Error {
	code := torque.ErrorCode(err)
	rpcCode, known := codeOf[code]
	if !known || code == torque.EINTERNAL {
		if errors.Is(err, context.Canceled) && ctx.Err() != nil {
			return &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: "request canceled"}
		}
		h.logger.ErrorContext(ctx, "internal error", "err", err, "transport", "jsonrpc")
		return &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: "internal error", Data: errorData{Code: torque.EINTERNAL}}
	}
	d := errorData{Code: code, Fields: torque.ErrorFields(err), Conflict: torque.ErrorConflict(err)}
	if wait := torque.ErrorRetryAfter(err); wait > 0 {
		d.RetryAfter = int64((wait + time.Second - 1) / time.Second)
	}
	return &jsonrpc.Error{Code: rpcCode, Message: torque.ErrorMessage(err), Data: d}
}
