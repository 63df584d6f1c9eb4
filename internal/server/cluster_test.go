package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/config"
	"github.com/torquehq/torque/internal/storetest"
)

// instance is one running server of a cluster test.
type instance struct {
	srv  *Server
	base string // http://127.0.0.1:port
}

// startInstance runs a server on dsn on a loopback port until the test ends.
func startInstance(t *testing.T, dsn string) *instance {
	t.Helper()
	cfg := config.Default()
	cfg.DB = dsn
	cfg.SQLiteSynchronous = ""
	srv, err := New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return &instance{srv: srv, base: "http://" + ln.Addr().String()}
}

// graphqlPost runs a GraphQL operation on in with token and decodes data.
func (in *instance) graphqlPost(t *testing.T, token, query string) json.RawMessage {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	req, _ := http.NewRequest(http.MethodPost, in.base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data   json.RawMessage `json:"data"`
		Errors []any           `json:"errors"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Errors) > 0 {
		t.Fatalf("%s: %v %v", query, err, out.Errors)
	}
	return out.Data
}

// startPair starts two instances on one fresh schema of the test
// PostgreSQL database, dropped when the test ends.
func startPair(t *testing.T) (a, b *instance) {
	t.Helper()
	dsn := storetest.PostgresDSN(t)
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	raw := make([]byte, 6)
	rand.Read(raw)
	schema := "cluster_" + hex.EncodeToString(raw)
	if _, err := admin.Exec(`CREATE SCHEMA "` + schema + `"`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", dsn); err == nil {
			db.Exec(`DROP SCHEMA "` + schema + `" CASCADE`)
			db.Close()
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return startInstance(t, u.String()), startInstance(t, u.String())
}

// TestTwoInstancesOnOnePostgres runs two servers on one PostgreSQL
// database, as a deployment behind a load balancer would: a GraphQL
// subscriber on instance B hears of model and entity changes written
// through instance A, over REST and GraphQL.
func TestTwoInstancesOnOnePostgres(t *testing.T) {
	a, bi := startPair(t)
	sys := torque.WithActor(context.Background(), torque.SystemActor)
	if _, err := a.srv.Service.CreateUser(sys, "admin@example.com", "cluster-admin-password", true); err != nil {
		t.Fatal(err)
	}
	tok, err := a.srv.Service.CreateUserToken(sys, "admin@example.com", "cluster", 0)
	if err != nil {
		t.Fatal(err)
	}
	a.graphqlPost(t, tok.Secret, `mutation { createModel(input: {name: "Notes", entities: [{name: "Note", fields: [{name: "text", type: "string"}]}]}) { version } }`)
	if _, err := a.srv.Service.CreateApp(sys, "notes", "Notes"); err != nil {
		t.Fatal(err)
	}

	// A subscriber on B, authenticated by its connection_init.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(bi.base, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	send := func(v any) {
		msg, _ := json.Marshal(v)
		if err := conn.Write(ctx, websocket.MessageText, msg); err != nil {
			t.Fatal(err)
		}
	}
	type message struct {
		ID      string          `json:"id"`
		Type    string          `json:"type"`
		Payload json.RawMessage `json:"payload"`
	}
	read := func() message {
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			var m message
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			if m.Type == "ping" {
				send(map[string]string{"type": "pong"})
				continue
			}
			return m
		}
	}
	send(map[string]any{"type": "connection_init", "payload": map[string]string{"Authorization": "Bearer " + tok.Secret}})
	if m := read(); m.Type != "connection_ack" {
		t.Fatalf("got %+v, want connection_ack", m)
	}
	send(map[string]any{"id": "m", "type": "subscribe", "payload": map[string]string{
		"query": `subscription { modelChanged(name: "Notes") { seq version changes { op path } } }`}})
	send(map[string]any{"id": "e", "type": "subscribe", "payload": map[string]string{
		"query": `subscription { entityChanged(app: "notes", type: "Note") { kind id version } }`}})
	for bi.srv.Service.Hub().Stats().Subscribers < 2 {
		if ctx.Err() != nil {
			t.Fatal("the subscriptions did not start")
		}
		time.Sleep(5 * time.Millisecond)
	}

	// A model edit through A's GraphQL.
	start := time.Now()
	a.graphqlPost(t, tok.Secret, `mutation { addField(model: "Notes", baseVersion: 1, entity: "Note", field: {name: "done", type: "boolean"}) { version } }`)
	m := read()
	t.Logf("model change on A to event on B: %v", time.Since(start))
	if m.ID != "m" || !strings.Contains(string(m.Payload), `"version":2`) || !strings.Contains(string(m.Payload), `"path":"entities/Note/fields/done"`) {
		t.Fatalf("got %s %s, want the model event of version 2", m.ID, m.Payload)
	}

	// An entity created through A's REST API; B's cache has the new field
	// at once.
	start = time.Now()
	req, _ := http.NewRequest(http.MethodPost, a.base+"/api/v1/apps/notes/entities/Note", strings.NewReader(`{"data": {"text": "hello", "done": true}}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok.Secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create through A: status %d", resp.StatusCode)
	}
	m = read()
	t.Logf("entity write on A to event on B: %v", time.Since(start))
	if m.ID != "e" || !strings.Contains(string(m.Payload), `"kind":"entity.created"`) {
		t.Fatalf("got %s %s, want the entity event", m.ID, m.Payload)
	}
	if _, err := bi.srv.Service.CreateEntity(sys, "notes", "Note", json.RawMessage(`{"text": "b", "done": false}`)); err != nil {
		t.Fatalf("the new field through B: %v", err)
	}
}

// clusterWS is a graphql-transport-ws client of one instance.
type clusterWS struct {
	t    *testing.T
	ctx  context.Context
	conn *websocket.Conn
}

type clusterMessage struct {
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload"`
}

// dialWS opens an acknowledged graphql-transport-ws connection to in,
// authenticated with token.
func (in *instance) dialWS(t *testing.T, ctx context.Context, token string) *clusterWS {
	t.Helper()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(in.base, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.CloseNow() })
	c := &clusterWS{t: t, ctx: ctx, conn: conn}
	c.send(map[string]any{"type": "connection_init", "payload": map[string]string{"Authorization": "Bearer " + token}})
	if m := c.read(); m.Type != "connection_ack" {
		t.Fatalf("got %+v, want connection_ack", m)
	}
	return c
}

func (c *clusterWS) send(v any) {
	c.t.Helper()
	msg, _ := json.Marshal(v)
	if err := c.conn.Write(c.ctx, websocket.MessageText, msg); err != nil {
		c.t.Fatal(err)
	}
}

func (c *clusterWS) read() clusterMessage {
	c.t.Helper()
	for {
		_, data, err := c.conn.Read(c.ctx)
		if err != nil {
			c.t.Fatalf("read: %v", err)
		}
		var m clusterMessage
		if err := json.Unmarshal(data, &m); err != nil {
			c.t.Fatal(err)
		}
		if m.Type == "ping" {
			c.send(map[string]string{"type": "pong"})
			continue
		}
		return m
	}
}

// presence reads the presence events of operation id until the members,
// as "email:editing" joined by spaces, are want; it returns the event's you.
func (c *clusterWS) presence(id, want string) string {
	c.t.Helper()
	got := ""
	for {
		m := c.read()
		if m.ID != id {
			continue
		}
		var d struct {
			Data struct {
				ModelPresence struct {
					You     string
					Members []struct {
						User    struct{ Email string }
						Editing *string
					}
				}
			}
		}
		if m.Type != "next" || json.Unmarshal(m.Payload, &d) != nil {
			c.t.Fatalf("got %s %s, want presence events until %q (last %q)", m.Type, m.Payload, want, got)
		}
		var parts []string
		for _, mem := range d.Data.ModelPresence.Members {
			editing := ""
			if mem.Editing != nil {
				editing = *mem.Editing
			}
			parts = append(parts, mem.User.Email+":"+editing)
		}
		if got = strings.Join(parts, " "); got == want {
			return d.Data.ModelPresence.You
		}
	}
}

// TestPresenceAcrossInstances: two people on one model through two
// instances see each other, what each edits (set through either instance,
// whether it has members of its own or not), and the other leave.
func TestPresenceAcrossInstances(t *testing.T) {
	a, bi := startPair(t)
	sys := torque.WithActor(context.Background(), torque.SystemActor)
	if _, err := a.srv.Service.CreateUser(sys, "admin@example.com", "cluster-admin-password", true); err != nil {
		t.Fatal(err)
	}
	if _, err := a.srv.Service.CreateUser(sys, "ann@example.com", "cluster-ann-password", false); err != nil {
		t.Fatal(err)
	}
	adminTok, err := a.srv.Service.CreateUserToken(sys, "admin@example.com", "cluster", 0)
	if err != nil {
		t.Fatal(err)
	}
	annTok, err := a.srv.Service.CreateUserToken(sys, "ann@example.com", "cluster", 0)
	if err != nil {
		t.Fatal(err)
	}
	a.graphqlPost(t, adminTok.Secret, `mutation { createModelFromTemplate(template: "contacts", name: "CRM") { version } }`)
	a.graphqlPost(t, adminTok.Secret, `mutation { createApp(name: "crm", model: "CRM") { name } }`)
	if _, err := a.srv.Service.SetMember(sys, "crm", "ann@example.com", torque.RoleEditor); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const sub = `subscription { modelPresence(name: "CRM") { you members { user { email } editing } } }`
	onA := a.dialWS(t, ctx, adminTok.Secret)
	onA.send(map[string]any{"id": "p", "type": "subscribe", "payload": map[string]string{"query": sub}})
	adminID := onA.presence("p", "admin@example.com:")
	onB := bi.dialWS(t, ctx, annTok.Secret)
	onB.send(map[string]any{"id": "p", "type": "subscribe", "payload": map[string]string{"query": sub}})
	start := time.Now()
	annID := onB.presence("p", "admin@example.com: ann@example.com:")
	onA.presence("p", "admin@example.com: ann@example.com:")
	t.Logf("join on B to the members on both: %v", time.Since(start))

	// Ann says what she edits through B; the admin says it through B too,
	// which forwards it to A, holding the admin's presence.
	bi.graphqlPost(t, annTok.Secret, `mutation { setPresence(name: "CRM", id: "`+annID+`", editing: "entities/Contact/fields/email") }`)
	onA.presence("p", "admin@example.com: ann@example.com:entities/Contact/fields/email")
	bi.graphqlPost(t, adminTok.Secret, `mutation { setPresence(name: "CRM", id: "`+adminID+`", editing: "pages/Contacts") }`)
	onB.presence("p", "admin@example.com:pages/Contacts ann@example.com:entities/Contact/fields/email")

	// Ann's connection ends: she leaves, on A too.
	onB.conn.CloseNow()
	onA.presence("p", "admin@example.com:pages/Contacts")

	// B has no members of its own any more: it still knows the admin's
	// presence on A, and forwards a change to it.
	bi.graphqlPost(t, adminTok.Secret, `mutation { setPresence(name: "CRM", id: "`+adminID+`", editing: "entities/Contact") }`)
	onA.presence("p", "admin@example.com:entities/Contact")
}
