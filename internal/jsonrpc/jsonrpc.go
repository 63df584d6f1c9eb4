// Package jsonrpc is a JSON-RPC 2.0 server (https://www.jsonrpc.org/specification)
// over HTTP POST and over WebSocket connections, which also carry
// notifications from the server.
//
// It follows the specification to the letter: a request without an "id" is
// a notification and is never answered, not even with an error; "id": null
// is a request, answered with id null; ids keep their exact text (1.0 stays
// 1.0); a text that is not JSON is answered by one -32700 error, an empty
// batch by one -32600 error, and a batch by an array that holds no answer for
// its notifications (and by nothing at all when every member is one). A
// message that is not UTF-8 is not JSON (RFC 8259, section 8.1). Unknown
// members of a request object are ignored, as the specification does not
// forbid them; members it names that appear twice make the request invalid.
//
// Methods are registered as Handlers, which receive the raw params and
// return a result or an error; DecodeParams decodes named params strictly
// into a struct and names every problem in the -32602 error it returns.
// Handlers may return *Error; any other error goes through Options.ErrorOf,
// and a panic is answered with -32603 and logged.
//
// The package knows nothing of the application that uses it.
package jsonrpc

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Standard codes.
const (
	CodeParseError     = -32700
	CodeInvalidRequest = -32600
	CodeMethodNotFound = -32601
	CodeInvalidParams  = -32602
	CodeInternalError  = -32603
)

// Messages of the standard errors.
const (
	msgParseError     = "parse error"
	msgInvalidRequest = "invalid request"
	msgMethodNotFound = "method not found"
	msgInvalidParams  = "invalid params"
	msgInternalError  = "internal error"
)

// Defaults of Options and fixed limits.
const (
	defaultMaxBatch     = 50
	defaultMaxBodyBytes = 1 << 20
	// batchWorkers is how many members of one batch run at once.
	batchWorkers = 4
)

// Error is a JSON-RPC error object; handlers return it (or any error, which
// ErrorOf maps).
type Error struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data,omitempty"`
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s (json-rpc error %d)", e.Message, e.Code)
}

// Handler runs one method call. params is the raw "params" member (nil when
// absent). The result is encoded as "result" (nil encodes as null).
type Handler func(ctx context.Context, params json.RawMessage) (any, error)

// Options configure a Server; the zero value is usable.
type Options struct {
	// MaxBatch bounds the members of one batch (default 50). A larger batch
	// is answered by one -32600 error, with id null, naming the limit, and
	// nothing in it runs.
	MaxBatch int
	// MaxBodyBytes bounds a POST body and a WebSocket message (default
	// 1 MiB). A larger one is answered by a -32600 error (with HTTP status
	// 413 over POST).
	MaxBodyBytes int64
	// Timeout bounds each call (its context's deadline); 0 means none.
	Timeout time.Duration
	// ErrorOf maps an error a handler returned that is not *Error. Nil
	// means every such error is -32603 "internal error", logged.
	ErrorOf func(ctx context.Context, err error) *Error
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// AcceptOptions for WebSocket upgrades (origin patterns etc.).
	AcceptOptions websocket.AcceptOptions
}

// Server dispatches JSON-RPC requests to registered handlers.
type Server struct {
	maxBatch int
	maxBody  int64
	timeout  time.Duration
	errorOf  func(ctx context.Context, err error) *Error
	logger   *slog.Logger
	accept   websocket.AcceptOptions
	// pingInterval and pingTimeout are the constants, shorter in tests.
	pingInterval, pingTimeout time.Duration

	mu      sync.RWMutex
	methods map[string]Handler

	// WebSocket connections, ended by Close.
	connMu  sync.Mutex
	closed  bool
	conns   sync.WaitGroup
	closing context.Context
	close   context.CancelFunc
}

// NewServer returns a Server with no methods.
func NewServer(opts Options) *Server {
	s := &Server{
		maxBatch: opts.MaxBatch,
		maxBody:  opts.MaxBodyBytes,
		timeout:  max(opts.Timeout, 0),
		errorOf:  opts.ErrorOf,
		logger:   cmp.Or(opts.Logger, slog.Default()),
		accept:   opts.AcceptOptions,
		methods:  map[string]Handler{},

		pingInterval: pingInterval,
		pingTimeout:  pingTimeout,
	}
	if s.maxBatch <= 0 {
		s.maxBatch = defaultMaxBatch
	}
	if s.maxBody <= 0 {
		s.maxBody = defaultMaxBodyBytes
	}
	s.closing, s.close = context.WithCancel(context.Background())
	return s
}

// Register makes h answer calls of method. It panics on an empty or
// duplicate name, a nil handler, or a name starting with "rpc.", which the
// specification reserves.
func (s *Server) Register(method string, h Handler) {
	switch {
	case method == "":
		panic("jsonrpc: Register with an empty method name")
	case strings.HasPrefix(method, "rpc."):
		panic(fmt.Sprintf("jsonrpc: Register of %q: names starting with \"rpc.\" are reserved", method))
	case h == nil:
		panic(fmt.Sprintf("jsonrpc: Register of %q with a nil handler", method))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.methods[method]; dup {
		panic(fmt.Sprintf("jsonrpc: Register of %q twice", method))
	}
	s.methods[method] = h
}

func (s *Server) handler(method string) Handler {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.methods[method]
}

// Close ends every WebSocket connection (graceful shutdown): each is closed
// with status 1001 (going away), the context of its calls is canceled, and
// Close returns once every connection has ended and its onClose has run.
// Later upgrades are refused with 503. Requests over HTTP are left to the
// HTTP server's shutdown.
func (s *Server) Close() {
	s.connMu.Lock()
	s.closed = true
	s.connMu.Unlock()
	s.close()
	s.conns.Wait()
}
