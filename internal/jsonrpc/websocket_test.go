package jsonrpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// startWS serves s's WebSocket endpoint and returns its URL; the server and
// its connections end with the test.
func startWS(t testing.TB, s *Server, onOpen func(context.Context, *Conn) context.Context, onClose func(*Conn)) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.ServeWebSocket(w, r, onOpen, onClose)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(s.Close) // runs first
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

func dial(t testing.TB, url string) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	c.SetReadLimit(1 << 30)
	t.Cleanup(func() { _ = c.CloseNow() })
	return c
}

func write(t testing.TB, c *websocket.Conn, msg string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
		t.Fatalf("write: %v", err)
	}
}

func read(t testing.TB, c *websocket.Conn) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	typ, b, err := c.Read(ctx)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if typ != websocket.MessageText {
		t.Errorf("message type: got %v, want text", typ)
	}
	return string(b)
}

// readNothing fails t when a message arrives within a moment. It ends the
// connection (a read canceled by its context closes it).
func readNothing(t testing.TB, c *websocket.Conn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, b, err := c.Read(ctx); err == nil {
		t.Errorf("got %s, want nothing", b)
	}
}

// closeStatus reads until the connection ends and returns its close status.
func closeStatus(t testing.TB, c *websocket.Conn) websocket.StatusCode {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		if _, _, err := c.Read(ctx); err != nil {
			return websocket.CloseStatus(err)
		}
	}
}

func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func received(t testing.TB, ch <-chan *Conn) *Conn {
	t.Helper()
	select {
	case c := <-ch:
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("timed out waiting for a connection")
		return nil
	}
}

func echo(_ context.Context, params json.RawMessage) (any, error) { return params, nil }

func TestWebSocketCalls(t *testing.T) {
	logger, _ := testLogger(t)
	s := NewServer(Options{Logger: logger})
	s.Register("echo", echo)
	s.Register("fail", func(context.Context, json.RawMessage) (any, error) {
		return nil, &Error{Code: 4, Message: "nope", Data: map[string]int{"n": 1}}
	})
	c := dial(t, startWS(t, s, nil, nil))
	tests := []struct {
		name, request, response string
	}{
		{"answers a call", `{"jsonrpc":"2.0","method":"echo","params":{"a":1},"id":1}`,
			`{"jsonrpc":"2.0","id":1,"result":{"a":1}}`},
		{"answers an error", `{"jsonrpc":"2.0","method":"fail","id":"x"}`,
			`{"jsonrpc":"2.0","id":"x","error":{"code":4,"message":"nope","data":{"n":1}}}`},
		{"answers a batch", `[{"jsonrpc":"2.0","method":"echo","params":[1],"id":1},{"jsonrpc":"2.0","method":"echo","params":[2]},{"jsonrpc":"2.0","method":"echo","params":[3],"id":3}]`,
			`[{"jsonrpc":"2.0","id":1,"result":[1]},{"jsonrpc":"2.0","id":3,"result":[3]}]`},
		{"answers invalid JSON", `{`, `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			write(t, c, tt.request)
			got := read(t, c)
			checkAnswer(t, []byte(got))
			sameJSON(t, got, tt.response)
		})
	}
	t.Run("keeps the exact text of ids", func(t *testing.T) {
		write(t, c, `{"jsonrpc":"2.0","method":"echo","id":12345678901234567890.0e0}`)
		if got, want := read(t, c), `{"jsonrpc":"2.0","id":12345678901234567890.0e0,"result":null}`; got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	})
}

func TestWebSocketConcurrentCalls(t *testing.T) {
	logger, _ := testLogger(t)
	s := NewServer(Options{Logger: logger})
	var running atomic.Int32
	release := make(chan struct{})
	s.Register("wait", func(_ context.Context, params json.RawMessage) (any, error) {
		running.Add(1)
		<-release
		return params, nil
	})
	c := dial(t, startWS(t, s, nil, nil))
	const n = maxInFlight + 4
	for i := range n {
		write(t, c, fmt.Sprintf(`{"jsonrpc":"2.0","method":"wait","params":[%d],"id":%d}`, i, i))
	}
	// The calls run at once, up to the bound; the others wait for a slot.
	waitFor(t, "calls to start", func() bool { return running.Load() == maxInFlight })
	time.Sleep(50 * time.Millisecond)
	if got := running.Load(); got != maxInFlight {
		t.Errorf("calls running at once: got %d, want %d", got, maxInFlight)
	}
	close(release)
	var ids []int
	for range n {
		var r struct {
			ID     int
			Result []int
		}
		if err := json.Unmarshal([]byte(read(t, c)), &r); err != nil {
			t.Fatal(err)
		}
		if len(r.Result) != 1 || r.Result[0] != r.ID {
			t.Errorf("answer of %d carries %v", r.ID, r.Result)
		}
		ids = append(ids, r.ID)
	}
	slices.Sort(ids)
	for i, id := range ids {
		if id != i {
			t.Fatalf("ids answered: got %v, want 0 to %d once each", ids, n-1)
		}
	}
}

type stateKey struct{}

func TestWebSocketConnection(t *testing.T) {
	logger, _ := testLogger(t)
	s := NewServer(Options{Logger: logger})
	s.Register("state", func(ctx context.Context, _ json.RawMessage) (any, error) {
		return ctx.Value(stateKey{}), nil
	})
	s.Register("tick", func(ctx context.Context, _ json.RawMessage) (any, error) {
		c := ConnFrom(ctx)
		if c == nil {
			return nil, errors.New("no connection")
		}
		if err := c.Notify("ticked", map[string]int{"n": 1}); err != nil {
			return nil, err
		}
		return "done", nil
	})
	opened := make(chan *Conn, 1)
	closed := make(chan *Conn, 1)
	onOpen := func(ctx context.Context, c *Conn) context.Context {
		if ConnFrom(ctx) != c || c.Context() != ctx {
			t.Error("onOpen: the context does not hold the connection")
		}
		opened <- c
		return context.WithValue(ctx, stateKey{}, "alice")
	}
	onClose := func(c *Conn) { closed <- c }
	url := startWS(t, s, onOpen, onClose)
	ws := dial(t, url)
	c := received(t, opened)

	t.Run("calls run with the context onOpen returned", func(t *testing.T) {
		write(t, ws, `{"jsonrpc":"2.0","method":"state","id":1}`)
		sameJSON(t, read(t, ws), `{"jsonrpc":"2.0","id":1,"result":"alice"}`)
		if got := c.Context().Value(stateKey{}); got != "alice" {
			t.Errorf("Conn.Context: got state %v, want alice", got)
		}
		if ConnFrom(c.Context()) != c {
			t.Error("ConnFrom(c.Context()) is not c")
		}
	})
	t.Run("a handler notifies through ConnFrom, before its answer", func(t *testing.T) {
		write(t, ws, `{"jsonrpc":"2.0","method":"tick","id":2}`)
		if got, want := read(t, ws), `{"jsonrpc":"2.0","method":"ticked","params":{"n":1}}`; got != want {
			t.Errorf("got %s, want %s", got, want)
		}
		sameJSON(t, read(t, ws), `{"jsonrpc":"2.0","id":2,"result":"done"}`)
	})
	t.Run("ConnFrom is nil over HTTP", func(t *testing.T) {
		got := call(t, s, `{"jsonrpc":"2.0","method":"tick","id":3}`)
		sameJSON(t, got, `{"jsonrpc":"2.0","id":3,"error":{"code":-32603,"message":"internal error"}}`)
	})
	t.Run("the server notifies through the connection onOpen got", func(t *testing.T) {
		notes := []struct {
			method string
			params any
			want   string
		}{
			{"hello", []int{1, 2}, `{"jsonrpc":"2.0","method":"hello","params":[1,2]}`},
			{"bare", nil, `{"jsonrpc":"2.0","method":"bare"}`},
			{"nilmap", map[string]int(nil), `{"jsonrpc":"2.0","method":"nilmap"}`},
			{"obj", struct {
				A string `json:"a"`
			}{"<b>"}, `{"jsonrpc":"2.0","method":"obj","params":{"a":"\u003cb\u003e"}}`},
		}
		for _, n := range notes {
			if err := c.Notify(n.method, n.params); err != nil {
				t.Fatalf("Notify(%q): %v", n.method, err)
			}
			if got := read(t, ws); got != n.want {
				t.Errorf("got %s, want %s", got, n.want)
			}
		}
	})
	t.Run("Notify refuses params that are not structured", func(t *testing.T) {
		for _, p := range []any{5, "x", true, make(chan int)} {
			if err := c.Notify("bad", p); err == nil {
				t.Errorf("Notify with params %v: got no error", p)
			}
		}
	})
	t.Run("the end of the connection calls onClose and ends its context", func(t *testing.T) {
		if err := ws.Close(websocket.StatusNormalClosure, ""); err != nil {
			t.Fatalf("close: %v", err)
		}
		if got := received(t, closed); got != c {
			t.Error("onClose got another connection")
		}
		if c.Context().Err() == nil {
			t.Error("the connection's context is not done")
		}
		if err := c.Notify("late", nil); !errors.Is(err, net.ErrClosed) {
			t.Errorf("Notify after the end: got %v, want net.ErrClosed", err)
		}
	})
}

func TestWebSocketCallsEndWithTheConnection(t *testing.T) {
	logger, _ := testLogger(t)
	s := NewServer(Options{Logger: logger})
	started := make(chan struct{})
	var events []string
	var mu sync.Mutex
	s.Register("block", func(ctx context.Context, _ json.RawMessage) (any, error) {
		close(started)
		<-ctx.Done()
		mu.Lock()
		events = append(events, "call ended: "+ctx.Err().Error())
		mu.Unlock()
		return nil, ctx.Err()
	})
	closed := make(chan struct{})
	onClose := func(*Conn) {
		mu.Lock()
		events = append(events, "onClose")
		mu.Unlock()
		close(closed)
	}
	// onOpen returns a context that is not the connection's: calls end
	// with the connection all the same.
	onOpen := func(context.Context, *Conn) context.Context { return context.Background() }
	ws := dial(t, startWS(t, s, onOpen, onClose))
	write(t, ws, `{"jsonrpc":"2.0","method":"block","id":1}`)
	<-started
	_ = ws.CloseNow()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("onClose was not called")
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"call ended: context canceled", "onClose"}; !slices.Equal(events, want) {
		t.Errorf("got %q, want %q", events, want)
	}
}

func TestWebSocketSlowConsumer(t *testing.T) {
	logger, _ := testLogger(t)
	s := NewServer(Options{Logger: logger})
	opened := make(chan *Conn, 1)
	closed := make(chan struct{})
	ws := dial(t, startWS(t, s, func(ctx context.Context, c *Conn) context.Context {
		opened <- c
		return ctx
	}, func(*Conn) { close(closed) }))
	c := received(t, opened)

	// The client reads nothing: the socket's buffers fill, then the queue.
	payload := map[string]string{"data": strings.Repeat("x", 64<<10)}
	var err error
	sent := 0
	for ; sent < 10000 && err == nil; sent++ {
		err = c.Notify("flood", payload)
	}
	if !errors.Is(err, net.ErrClosed) {
		t.Fatalf("after %d notifications: got %v, want an error wrapping net.ErrClosed", sent, err)
	}
	if sent < outQueue {
		t.Errorf("cut off after %d notifications, before the queue of %d was full", sent, outQueue)
	}
	if err := c.Notify("more", nil); err == nil {
		t.Error("Notify after the cut-off: got no error")
	}
	if got := closeStatus(t, ws); got != websocket.StatusPolicyViolation {
		t.Errorf("close status: got %v, want %v", got, websocket.StatusPolicyViolation)
	}
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("onClose was not called")
	}
}

func TestWebSocketServerClose(t *testing.T) {
	logger, _ := testLogger(t)
	s := NewServer(Options{Logger: logger})
	var ended atomic.Int32
	started := make(chan struct{}, 1)
	s.Register("block", func(ctx context.Context, _ json.RawMessage) (any, error) {
		started <- struct{}{}
		<-ctx.Done()
		return nil, ctx.Err()
	})
	url := startWS(t, s, nil, func(*Conn) { ended.Add(1) })
	a, b := dial(t, url), dial(t, url)
	write(t, a, `{"jsonrpc":"2.0","method":"block","id":1}`)
	<-started

	statuses := make(chan websocket.StatusCode, 2)
	for _, c := range []*websocket.Conn{a, b} {
		go func() { statuses <- closeStatus(t, c) }()
	}
	s.Close()
	if got := ended.Load(); got != 2 {
		t.Errorf("connections ended when Close returned: got %d, want 2", got)
	}
	for range 2 {
		if got := <-statuses; got != websocket.StatusGoingAway {
			t.Errorf("close status: got %v, want %v", got, websocket.StatusGoingAway)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, url, nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("upgrade after Close: got %v (%v), want 503", err, resp)
	}
}

func TestWebSocketMessageLimit(t *testing.T) {
	logger, _ := testLogger(t)
	s := NewServer(Options{Logger: logger, MaxBodyBytes: 100})
	s.Register("echo", echo)
	ws := dial(t, startWS(t, s, nil, nil))
	call := `{"jsonrpc":"2.0","method":"echo","params":["` + strings.Repeat("x", 100-54) + `"],"id":1}`
	if len(call) != 100 {
		t.Fatalf("call of %d bytes, want 100", len(call))
	}
	tests := []struct {
		name, message, response string
	}{
		{"answers a message at the limit", call, `{"jsonrpc":"2.0","id":1,"result":["` + strings.Repeat("x", 100-54) + `"]}`},
		{"refuses a message over the limit", call + " ", `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: the message is larger than 100 bytes"}}`},
		{"answers after a refusal", `{"jsonrpc":"2.0","method":"echo","id":2}`, `{"jsonrpc":"2.0","id":2,"result":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			write(t, ws, tt.message)
			sameJSON(t, read(t, ws), tt.response)
		})
	}
	t.Run("ends the connection on a message far over the limit", func(t *testing.T) {
		write(t, ws, strings.Repeat(" ", drainFactor*100+1))
		if got := closeStatus(t, ws); got != websocket.StatusMessageTooBig {
			t.Errorf("close status: got %v, want %v", got, websocket.StatusMessageTooBig)
		}
	})
}

func TestWebSocketPing(t *testing.T) {
	tests := []struct {
		name    string
		read    bool // whether the client reads, answering pings
		timeout time.Duration
		ended   bool
	}{
		{"keeps a client that answers pings", true, 5 * time.Second, false},
		{"ends a client that does not answer", false, 50 * time.Millisecond, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logger, _ := testLogger(t)
			s := NewServer(Options{Logger: logger})
			s.pingInterval, s.pingTimeout = 10*time.Millisecond, tt.timeout
			s.Register("echo", echo)
			closed := make(chan struct{})
			ws := dial(t, startWS(t, s, nil, func(*Conn) { close(closed) }))
			if tt.read {
				// Reading answers pings; a call made after many pings is answered.
				go func() {
					time.Sleep(200 * time.Millisecond)
					_ = ws.Write(context.Background(), websocket.MessageText, []byte(`{"jsonrpc":"2.0","method":"echo","id":1}`))
				}()
				sameJSON(t, read(t, ws), `{"jsonrpc":"2.0","id":1,"result":null}`)
			}
			select {
			case <-closed:
				if !tt.ended {
					t.Error("the connection was ended")
				}
			case <-time.After(2 * time.Second):
				if tt.ended {
					t.Error("the connection was not ended")
				}
			}
		})
	}
}

func TestWebSocketOrigin(t *testing.T) {
	logger, _ := testLogger(t)
	s := NewServer(Options{Logger: logger, AcceptOptions: websocket.AcceptOptions{OriginPatterns: []string{"app.example"}}})
	url := startWS(t, s, nil, nil)
	tests := []struct {
		origin string
		status int
	}{
		{"", http.StatusSwitchingProtocols},
		{"http://app.example", http.StatusSwitchingProtocols},
		{"http://evil.example", http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run("origin "+tt.origin, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			h := http.Header{}
			if tt.origin != "" {
				h.Set("Origin", tt.origin)
			}
			c, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: h})
			if c != nil {
				defer c.CloseNow()
			}
			if resp == nil {
				t.Fatalf("dial: %v", err)
			}
			if resp.StatusCode != tt.status {
				t.Errorf("status: got %d, want %d", resp.StatusCode, tt.status)
			}
		})
	}
}
