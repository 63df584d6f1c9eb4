package jsonrpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// WebSocket settings.
const (
	// maxInFlight bounds the messages (requests or batches) one connection
	// runs at once; the next message is read when one of them is answered.
	maxInFlight = 16
	// outQueue bounds the messages waiting to be written to one connection.
	outQueue = 256
	// writeTimeout bounds the writing of one message.
	writeTimeout = 10 * time.Second
	// drainFactor: a message over MaxBodyBytes is read to its end and
	// answered with -32600, unless it is over drainFactor times the limit,
	// which ends the connection (status 1009, message too big).
	drainFactor = 4
	// pingInterval is how often a connection is checked; a client that
	// does not answer a ping within pingTimeout is gone.
	pingInterval = 30 * time.Second
	pingTimeout  = 20 * time.Second
)

// Conn is one WebSocket connection.
type Conn struct {
	ws     *websocket.Conn
	logger *slog.Logger
	out    chan []byte
	done   <-chan struct{} // closed when the connection has ended

	closeOnce sync.Once
	closing   chan struct{} // closed when the server starts to close it

	mu  sync.Mutex
	ctx context.Context
}

type connKey struct{}

// ConnFrom returns the connection a call runs on, nil over HTTP.
func ConnFrom(ctx context.Context) *Conn {
	c, _ := ctx.Value(connKey{}).(*Conn)
	return c
}

// Context returns the context of the connection: the one onOpen returned
// (the one onOpen was given, while it runs). It ends with the connection.
func (c *Conn) Context() context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ctx
}

// errConnClosed is returned by Notify on a connection that has ended.
var errConnClosed = fmt.Errorf("jsonrpc: connection closed: %w", net.ErrClosed)

// Notify sends a server notification {"jsonrpc":"2.0","method":...,
// "params":...} (without "params" when params is nil; otherwise params must
// encode as an object or an array). It is safe for concurrent use and does
// not wait for the client: the message joins a bounded queue, and when the
// queue is full the client is too slow to follow, so the connection is
// closed with status 1008 (policy violation) and Notify returns an error;
// the client reconnects and reads the state afresh. Errors wrap
// net.ErrClosed when the connection is closed.
func (c *Conn) Notify(method string, params any) error {
	msg, err := notification(method, params)
	if err != nil {
		return err
	}
	select {
	case <-c.closing:
		return errConnClosed
	case <-c.done:
		return errConnClosed
	default:
	}
	select {
	case c.out <- msg:
		return nil
	default:
		c.logger.WarnContext(c.Context(), "jsonrpc websocket: client too slow, closing the connection", "queued", outQueue)
		c.closeWith(websocket.StatusPolicyViolation, "too slow: outgoing queue full")
		return fmt.Errorf("jsonrpc: notify %q: the client is too slow, connection closed: %w", method, net.ErrClosed)
	}
}

// notification encodes a notification.
func notification(method string, params any) ([]byte, error) {
	name, err := json.Marshal(method)
	if err != nil {
		return nil, fmt.Errorf("jsonrpc: notify %q: %w", method, err)
	}
	b := append([]byte(`{"jsonrpc":"2.0","method":`), name...)
	if params != nil {
		p, err := json.Marshal(params)
		if err != nil {
			return nil, fmt.Errorf("jsonrpc: notify %q: encode params: %w", method, err)
		}
		switch p[0] {
		case '{', '[':
			b = append(append(b, `,"params":`...), p...)
		case 'n': // a nil pointer, map or slice: no params
		default:
			return nil, fmt.Errorf("jsonrpc: notify %q: params must encode as an object or an array, not %s", method, truncate(p, 20))
		}
	}
	return append(b, '}'), nil
}

// send queues an answer, waiting for room: answers are bounded by
// maxInFlight, and reading waits for them.
func (c *Conn) send(msg []byte) {
	select {
	case c.out <- msg:
	case <-c.closing:
	case <-c.done:
	}
}

// closeWith starts the close handshake with code, once; the connection
// ends when the client answers (or after a few seconds).
func (c *Conn) closeWith(code websocket.StatusCode, reason string) {
	c.closeOnce.Do(func() {
		close(c.closing)
		go func() { _ = c.ws.Close(code, reason) }()
	})
}

// writeLoop writes the queued messages until the connection ends or starts
// to close.
func (c *Conn) writeLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.closing:
			return
		case msg := <-c.out:
			select {
			case <-c.closing: // the close frame goes next
				return
			default:
			}
			wctx, cancel := context.WithTimeout(ctx, writeTimeout)
			err := c.ws.Write(wctx, websocket.MessageText, msg)
			cancel()
			if err != nil {
				c.logger.DebugContext(ctx, "jsonrpc websocket write", "err", err)
				c.closeWith(websocket.StatusPolicyViolation, "too slow")
				return
			}
		}
	}
}

// pingLoop ends a connection whose client no longer answers pings.
func (c *Conn) pingLoop(ctx context.Context, every, timeout time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.closing:
			return
		case <-t.C:
			pctx, cancel := context.WithTimeout(ctx, timeout)
			err := c.ws.Ping(pctx)
			cancel()
			if err != nil {
				if ctx.Err() == nil {
					c.logger.DebugContext(ctx, "jsonrpc websocket: no answer to ping, closing", "err", err)
					_ = c.ws.CloseNow()
				}
				return
			}
		}
	}
}

// ServeWebSocket upgrades r and serves JSON-RPC messages on the connection
// until the client closes it or ctx (r's context, or the Server's Close)
// ends. Each message is a request or a batch; answers are written back in
// any order as they finish: the messages of one connection run
// concurrently, at most 16 at once (the members of a batch, 4 at once).
// A message over MaxBodyBytes is answered with -32600.
//
// onOpen, when not nil, is called with the connection before the first
// message is read and returns the context every call on this connection
// runs with (so callers can keep per-connection state); that context is
// canceled when the connection ends, and ConnFrom finds the connection in
// it. onClose, when not nil, is called when the connection has ended and
// every call on it has returned.
func (s *Server) ServeWebSocket(w http.ResponseWriter, r *http.Request, onOpen func(ctx context.Context, c *Conn) context.Context, onClose func(c *Conn)) {
	s.connMu.Lock()
	if s.closed {
		s.connMu.Unlock()
		s.refuse(w, r, http.StatusServiceUnavailable, CodeInternalError, "server shutting down")
		return
	}
	s.conns.Add(1)
	s.connMu.Unlock()
	defer s.conns.Done()

	ws, err := websocket.Accept(w, r, &s.accept)
	if err != nil {
		s.logger.DebugContext(r.Context(), "jsonrpc websocket upgrade", "err", err)
		return
	}
	readLimit := int64(-1)
	if s.maxBody <= (1<<62)/drainFactor {
		readLimit = s.maxBody * drainFactor
	}
	ws.SetReadLimit(readLimit)

	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	c := &Conn{ws: ws, logger: s.logger, out: make(chan []byte, outQueue), done: ctx.Done(), closing: make(chan struct{})}
	ctx = context.WithValue(ctx, connKey{}, c)
	c.ctx = ctx

	var loops sync.WaitGroup
	loops.Go(func() { c.writeLoop(ctx) })
	loops.Go(func() { c.pingLoop(ctx, s.pingInterval, s.pingTimeout) })
	stop := context.AfterFunc(s.closing, func() { c.closeWith(websocket.StatusGoingAway, "server shutting down") })
	defer stop()

	callCtx := ctx
	if onOpen != nil {
		if oc := onOpen(ctx, c); oc != nil && oc != ctx {
			// Calls end with the connection, whatever context onOpen gave.
			var cancelCalls context.CancelFunc
			callCtx, cancelCalls = context.WithCancel(oc)
			defer context.AfterFunc(ctx, cancelCalls)()
			if ConnFrom(callCtx) != c {
				callCtx = context.WithValue(callCtx, connKey{}, c)
			}
		}
		c.mu.Lock()
		c.ctx = callCtx
		c.mu.Unlock()
	}

	var calls sync.WaitGroup
	s.readLoop(ctx, callCtx, c, &calls)
	cancel()
	calls.Wait()
	loops.Wait()
	_ = ws.CloseNow() // waits for a close handshake under way
	if onClose != nil {
		onClose(c)
	}
}

// readLoop reads messages and starts their calls until the connection ends.
func (s *Server) readLoop(ctx, callCtx context.Context, c *Conn, calls *sync.WaitGroup) {
	slots := make(chan struct{}, maxInFlight)
	for {
		_, rd, err := c.ws.Reader(ctx)
		if err != nil {
			if status := websocket.CloseStatus(err); status != websocket.StatusNormalClosure && status != websocket.StatusGoingAway && !errors.Is(err, net.ErrClosed) {
				s.logger.DebugContext(ctx, "jsonrpc websocket read", "err", err)
			}
			return
		}
		msg, err := io.ReadAll(io.LimitReader(rd, s.maxBody+1))
		if err == nil && int64(len(msg)) > s.maxBody {
			if _, err = io.Copy(io.Discard, rd); err == nil {
				c.send(s.errorResponse(ctx, null, &Error{Code: CodeInvalidRequest, Message: s.tooLarge("message")}))
				continue
			}
		}
		if err != nil {
			s.logger.DebugContext(ctx, "jsonrpc websocket read", "err", err)
			return
		}
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return
		}
		calls.Go(func() {
			defer func() { <-slots }()
			if answer := s.serve(callCtx, msg); answer != nil {
				c.send(answer)
			}
		})
	}
}
