package graphql_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/torquehq/torque"
)

// wsClient speaks graphql-transport-ws to the env's server.
type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
}

// wsMessage is one message of graphql-transport-ws.
type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// dial opens a WebSocket to /graphql with headers (a cookie, an Origin).
func (e *env) dial(t *testing.T, headers http.Header) (*wsClient, *http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	url := "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/graphql"
	conn, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{
		HTTPClient:   e.srv.Client(),
		HTTPHeader:   headers,
		Subprotocols: []string{"graphql-transport-ws"},
	})
	if err != nil {
		return nil, resp, err
	}
	c := &wsClient{t: t, conn: conn}
	t.Cleanup(func() { conn.CloseNow() })
	return c, resp, nil
}

// connect dials and initialises a connection with payload; it must be
// acknowledged.
func (e *env) connect(t *testing.T, headers http.Header, payload any) *wsClient {
	t.Helper()
	c, resp, err := e.dial(t, headers)
	if err != nil {
		t.Fatalf("dial: %v (%v)", err, resp)
	}
	c.send(wsMessage{Type: "connection_init", Payload: mustJSON(t, payload)})
	if m := c.read(); m.Type != "connection_ack" {
		t.Fatalf("got %+v, want connection_ack", m)
	}
	return c
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	t.Helper()
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (c *wsClient) send(m wsMessage) {
	c.t.Helper()
	b, _ := json.Marshal(m)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.conn.Write(ctx, websocket.MessageText, b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// next reads the next message, answering pings; err is the connection's
// end.
func (c *wsClient) next() (wsMessage, error) {
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, b, err := c.conn.Read(ctx)
		cancel()
		if err != nil {
			return wsMessage{}, err
		}
		var m wsMessage
		if err := json.Unmarshal(b, &m); err != nil {
			return wsMessage{}, err
		}
		if m.Type == "ping" {
			c.send(wsMessage{Type: "pong"})
			continue
		}
		return m, nil
	}
}

func (c *wsClient) read() wsMessage {
	c.t.Helper()
	m, err := c.next()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return m
}

func (c *wsClient) subscribe(id, query string) {
	c.t.Helper()
	c.send(wsMessage{ID: id, Type: "subscribe", Payload: mustJSON(c.t, map[string]any{"query": query})})
}

// closedWith reads until the connection ends and returns its close status.
func (c *wsClient) closedWith() websocket.StatusCode {
	c.t.Helper()
	for {
		m, err := c.next()
		if err != nil {
			return websocket.CloseStatus(err)
		}
		c.t.Logf("before the close: %+v", m)
	}
}

func (e *env) bearer(who string) map[string]any {
	return map[string]any{"Authorization": "Bearer " + e.tokens[who]}
}

const modelChanged = `subscription { modelChanged(name: "TODO") { seq kind name version actor { id email } at changes { op path before after } model { name version } } }`

func TestSubscriptionNeedsCredentials(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name    string
		payload any
	}{
		{"no connectionParams", nil},
		{"no Authorization", map[string]any{"other": 1}},
		{"malformed Authorization", map[string]any{"Authorization": "Basic abc"}},
		{"unknown token", map[string]any{"Authorization": "Bearer tq_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}},
		{"a session secret as a token", map[string]any{"Authorization": "Bearer " + e.session(admin)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, resp, err := e.dial(t, nil)
			if err != nil {
				t.Fatalf("dial: %v (%v)", err, resp)
			}
			c.send(wsMessage{Type: "connection_init", Payload: mustJSON(t, tc.payload)})
			if got := c.closedWith(); got != 4401 {
				t.Fatalf("closed with %d, want 4401", got)
			}
		})
	}
	t.Run("subscribing before connection_init", func(t *testing.T) {
		c, _, err := e.dial(t, nil)
		if err != nil {
			t.Fatal(err)
		}
		c.subscribe("1", modelChanged)
		if got := c.closedWith(); got == websocket.StatusNormalClosure || got == -1 {
			t.Fatalf("closed with %d, want a refusal", got)
		}
	})
}

func TestModelChanged(t *testing.T) {
	e := newEnv(t)
	c := e.connect(t, nil, e.bearer(editor))
	c.subscribe("1", modelChanged)
	waitSubscribers(t, e, 1)

	e.ok(admin, `mutation { editModel(name: "TODO", baseVersion: 1, edits: [{op: setDescription, value: "Live."}]) { version } }`, nil, nil)
	m := c.read()
	if m.Type != "next" || m.ID != "1" {
		t.Fatalf("got %+v, want next of 1", m)
	}
	var ev struct {
		Data struct {
			ModelChanged struct {
				Seq     int64
				Kind    string
				Name    string
				Version int64
				Actor   struct{ ID, Email string }
				At      time.Time
				Changes []torque.Change
				Model   struct {
					Name    string
					Version int64
				}
			}
		}
	}
	if err := json.Unmarshal(m.Payload, &ev); err != nil {
		t.Fatal(err)
	}
	got := ev.Data.ModelChanged
	if got.Kind != "model.updated" || got.Name != "TODO" || got.Version != 2 || got.Seq < 1 ||
		got.Actor.Email != "admin@example.com" || got.Actor.ID == "" || got.At.IsZero() || got.Model.Version != 2 {
		t.Errorf("event %+v", got)
	}
	if len(got.Changes) != 1 || got.Changes[0].Path != "description" || string(got.Changes[0].After) != `"Live."` {
		t.Errorf("changes %+v, want the description's", got.Changes)
	}

	// Resuming after the last seq received replays what was missed.
	e.ok(admin, `mutation { editModel(name: "TODO", baseVersion: 2, edits: [{op: setDescription, value: "Missed."}]) { version } }`, nil, nil)
	if m := c.read(); m.Type != "next" || !strings.Contains(string(m.Payload), `"version":3`) {
		t.Fatalf("got %+v, want version 3", m)
	}
	c2 := e.connect(t, nil, e.bearer(viewer))
	c2.subscribe("r", strings.Replace(modelChanged, `name: "TODO"`, `name: "TODO", after: `+itoa(got.Seq), 1))
	if m := c2.read(); m.Type != "next" || !strings.Contains(string(m.Payload), `"version":3`) || !strings.Contains(string(m.Payload), `"Missed."`) {
		t.Fatalf("replay: got %+v, want the change to version 3", m)
	}

	// Completing the subscription ends it on the server too.
	c.send(wsMessage{ID: "1", Type: "complete"})
	c2.send(wsMessage{ID: "r", Type: "complete"})
	waitSubscribers(t, e, 0)
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestSubscriptionErrors(t *testing.T) {
	e := newEnv(t)
	c := e.connect(t, nil, e.bearer(viewer))
	for _, tc := range []struct {
		name, query, code string
	}{
		{"a model the caller cannot see", `subscription { modelChanged(name: "Notes") { seq } }`, "NOT_FOUND"},
		{"an app the caller cannot see", `subscription { entityChanged(app: "notes", type: "Note") { seq } }`, "NOT_FOUND"},
		{"an unknown type", `subscription { entityChanged(app: "todo", type: "Nope") { seq } }`, "NOT_FOUND"},
		{"a seq from the future", `subscription { modelChanged(name: "TODO", after: 999999) { seq } }`, "RESYNC"},
		{"a negative seq", `subscription { modelChanged(name: "TODO", after: -1) { seq } }`, "BAD_USER_INPUT"},
		{"entity events not kept", `subscription { entityChanged(app: "todo", type: "Task", after: 5) { seq } }`, "RESYNC"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.subscribe(tc.name, tc.query)
			m := c.read()
			if m.ID != tc.name || (m.Type != "error" && m.Type != "next") || !strings.Contains(string(m.Payload), `"code":"`+tc.code+`"`) {
				t.Fatalf("got %s %s %s, want an error coded %s", m.Type, m.ID, m.Payload, tc.code)
			}
			if m.Type == "next" {
				if m := c.read(); m.Type != "complete" || m.ID != tc.name {
					t.Fatalf("got %+v, want complete", m)
				}
			}
		})
	}
	waitSubscribers(t, e, 0)
}

func TestEntityChangedWithSessionCookie(t *testing.T) {
	e := newEnv(t)
	cookie := http.Header{"Cookie": {"torque_session=" + e.session(editor)}, "Origin": {e.srv.URL}}
	c := e.connect(t, cookie, nil)
	c.subscribe("t", `subscription { entityChanged(app: "todo", type: "Task") { seq kind app type id version actor { email } at } }`)
	waitSubscribers(t, e, 1)

	ctx := torque.WithActor(context.Background(), torque.SystemActor)
	ent, err := e.svc.CreateEntity(ctx, "todo", "Task", json.RawMessage(`{"title": "live"}`))
	if err != nil {
		t.Fatal(err)
	}
	m := c.read()
	want := `{"data":{"entityChanged":{"seq":1,"kind":"entity.created","app":"todo","type":"Task","id":"` + ent.ID + `","version":1,"actor":{"email":"system"},"at":"`
	if m.Type != "next" || !strings.HasPrefix(string(m.Payload), want) {
		t.Fatalf("got %s %s, want %s…", m.Type, m.Payload, want)
	}
}

func TestWebSocketOrigins(t *testing.T) {
	e := newEnvWith(t, options{origins: []string{"https://admin.example"}})
	session := "torque_session=" + e.session(admin)
	for _, tc := range []struct {
		name    string
		headers http.Header
		status  int // of a refused handshake; 0 when accepted
	}{
		{"a cookie from a foreign page", http.Header{"Cookie": {session}, "Origin": {"https://evil.example"}}, http.StatusForbidden},
		{"a cookie without an Origin", http.Header{"Cookie": {session}}, http.StatusForbidden},
		{"a foreign page without a cookie", http.Header{"Origin": {"https://evil.example"}}, http.StatusForbidden},
		{"a cookie from an allowed origin", http.Header{"Cookie": {session}, "Origin": {"https://admin.example"}}, 0},
		{"a cookie from this server", http.Header{"Cookie": {session}, "Origin": {e.srv.URL}}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, resp, err := e.dial(t, tc.headers)
			if tc.status != 0 {
				if err == nil || resp == nil || resp.StatusCode != tc.status {
					t.Fatalf("handshake: %v %v, want status %d", err, resp, tc.status)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c.send(wsMessage{Type: "connection_init"})
			if m := c.read(); m.Type != "connection_ack" {
				t.Fatalf("got %+v, want connection_ack", m)
			}
		})
	}
}

func TestSubscriptionEndsWithTheClient(t *testing.T) {
	e := newEnv(t)
	c := e.connect(t, nil, e.bearer(admin))
	c.subscribe("1", modelChanged)
	c.subscribe("2", `subscription { entityChanged(app: "todo", type: "Task") { seq } }`)
	waitSubscribers(t, e, 2)
	c.conn.CloseNow()
	waitSubscribers(t, e, 0)
}

func TestCloseEndsConnections(t *testing.T) {
	e := newEnv(t)
	c := e.connect(t, nil, e.bearer(admin))
	c.subscribe("1", modelChanged)
	waitSubscribers(t, e, 1)
	e.gql.Close()
	if _, err := c.next(); err == nil {
		t.Fatal("the connection is still open after Close")
	}
	waitSubscribers(t, e, 0)
}

// waitSubscribers waits until the hub has n subscriptions.
func waitSubscribers(t *testing.T, e *env, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := e.svc.Hub().Stats().Subscribers
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("hub has %d subscribers, want %d", got, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestHubClosingCompletesSubscriptions: when the hub closes (the server is
// stopping and closes every connection next) a subscription completes
// without an error; streams that end for other reasons end with their
// error (see TestSubscriptionEndsWhenRightsEnd).
func TestHubClosingCompletesSubscriptions(t *testing.T) {
	e := newEnv(t)
	c := e.connect(t, nil, e.bearer(admin))
	c.subscribe("1", modelChanged)
	waitSubscribers(t, e, 1)
	e.svc.Hub().Close()
	if m := c.read(); m.Type != "complete" || m.ID != "1" {
		t.Fatalf("got %s %s %s, want complete", m.Type, m.ID, m.Payload)
	}
}

// TestSubscriptionEndsWhenRightsEnd: a member removed from the app stops
// hearing of its changes; the subscription ends with the error that a new
// one would get.
func TestSubscriptionEndsWhenRightsEnd(t *testing.T) {
	e := newEnv(t)
	c := e.connect(t, nil, e.bearer(editor))
	c.subscribe("1", `subscription { entityChanged(app: "todo", type: "Task") { kind id } }`)
	waitSubscribers(t, e, 1)
	sys := torque.WithActor(context.Background(), torque.SystemActor)
	users, err := e.svc.Users(sys)
	if err != nil {
		t.Fatal(err)
	}
	id := ""
	for _, u := range users {
		if u.Email == "editor@example.com" {
			id = u.ID
		}
	}
	if err := e.svc.RemoveMember(sys, "todo", id); err != nil {
		t.Fatal(err)
	}
	m := c.read()
	if m.Type != "error" && m.Type != "next" || !strings.Contains(string(m.Payload), `"code":"NOT_FOUND"`) {
		t.Fatalf("got %s %s, want the subscription ended with NOT_FOUND", m.Type, m.Payload)
	}
	c.subscribe("2", `subscription { entityChanged(app: "todo", type: "Task") { kind id } }`)
	if m := c.read(); m.ID != "2" || !strings.Contains(string(m.Payload), `"code":"NOT_FOUND"`) {
		t.Fatalf("got %s %s, want a refusal", m.ID, m.Payload)
	}
}
