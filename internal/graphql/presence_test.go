package graphql_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

const modelPresence = `subscription { modelPresence(name: "TODO") { you model members { id user { id email } editing since } } }`

// presenceEvent is the data of one modelPresence event.
type presenceEvent struct {
	You     string
	Model   string
	Members []struct {
		ID      string
		User    struct{ ID, Email string }
		Editing *string
		Since   time.Time
	}
}

// roster renders the members as "email:editing" in order.
func (p presenceEvent) roster() string {
	var parts []string
	for _, m := range p.Members {
		editing := ""
		if m.Editing != nil {
			editing = *m.Editing
		}
		parts = append(parts, m.User.Email+":"+editing)
	}
	return strings.Join(parts, " ")
}

// readFor reads messages until one for the operation id, skipping others'.
func (c *wsClient) readFor(id string) wsMessage {
	c.t.Helper()
	for {
		m := c.read()
		if m.ID == id {
			return m
		}
	}
}

// presence reads presence events of the operation id until one whose
// roster is want.
func (c *wsClient) presence(id, want string) presenceEvent {
	c.t.Helper()
	var last string
	for range 10 {
		m := c.readFor(id)
		if m.Type != "next" {
			c.t.Fatalf("got %s %s, want presence events (last roster %q, want %q)", m.Type, m.Payload, last, want)
		}
		var d struct {
			Data   struct{ ModelPresence presenceEvent }
			Errors []gqlError
		}
		if err := json.Unmarshal(m.Payload, &d); err != nil || len(d.Errors) > 0 {
			c.t.Fatalf("presence event %s: %v", m.Payload, err)
		}
		if last = d.Data.ModelPresence.roster(); last == want {
			return d.Data.ModelPresence
		}
	}
	c.t.Fatalf("got roster %q, want %q", last, want)
	return presenceEvent{}
}

// TestModelPresence: two subscribers see each other join, say what they
// edit and leave.
func TestModelPresence(t *testing.T) {
	e := newEnv(t)
	ed := e.connect(t, nil, e.bearer(editor))
	ed.subscribe("p", modelPresence)
	first := ed.presence("p", "editor@example.com:")
	if first.You == "" || first.Model != "TODO" || first.Members[0].ID != first.You || first.Members[0].User.ID == "" || first.Members[0].Since.IsZero() {
		t.Fatalf("first event %+v, want the subscriber itself, with its id as you", first)
	}

	vw := e.connect(t, nil, e.bearer(admin))
	vw.subscribe("p", modelPresence)
	seen := vw.presence("p", "editor@example.com: admin@example.com:")
	if seen.You == first.You || seen.Members[1].ID != seen.You {
		t.Fatalf("admin's first event %+v, want its own presence id as you", seen)
	}
	ed.presence("p", "editor@example.com: admin@example.com:")

	// setPresence over the subscription's own connection.
	vw.send(wsMessage{ID: "s", Type: "subscribe", Payload: mustJSON(t, map[string]any{
		"query":     `mutation($id: ID!) { setPresence(name: "TODO", id: $id, editing: "entities/Task/fields/title") }`,
		"variables": map[string]any{"id": seen.You},
	})})
	ed.presence("p", "editor@example.com: admin@example.com:entities/Task/fields/title")

	// And over HTTP.
	e.run([]scenario{
		{name: "sets one's own presence", as: editor, query: fmt.Sprintf(`mutation { setPresence(name: "TODO", id: %q, editing: "pages/Tasks") }`, first.You),
			want: []string{`{"data":{"setPresence":true}}`}},
		{name: "refuses another's presence", as: editor, query: fmt.Sprintf(`mutation { setPresence(name: "TODO", id: %q, editing: "x") }`, seen.You),
			codes: []string{"FORBIDDEN"}},
		{name: "refuses an unknown presence", as: editor, query: `mutation { setPresence(name: "TODO", id: "nope", editing: "x") }`,
			codes: []string{"NOT_FOUND"}},
		{name: "refuses a long editing, naming it", as: editor, query: fmt.Sprintf(`mutation { setPresence(name: "TODO", id: %q, editing: %q) }`, first.You, strings.Repeat("x", 201)),
			codes: []string{"BAD_USER_INPUT"}, want: []string{`"fields":{"editing":"must be at most 200 bytes"}`}},
		{name: "refuses a model the caller cannot see", as: outsider, query: fmt.Sprintf(`mutation { setPresence(name: "TODO", id: %q) }`, first.You),
			codes: []string{"NOT_FOUND"}},
		{name: "refuses a caller who may not edit the model", as: viewer, query: fmt.Sprintf(`mutation { setPresence(name: "TODO", id: %q) }`, first.You),
			codes: []string{"FORBIDDEN"}},
	})
	vw.presence("p", "editor@example.com:pages/Tasks admin@example.com:entities/Task/fields/title")
	ed.send(wsMessage{ID: "c", Type: "subscribe", Payload: mustJSON(t, map[string]any{
		"query": fmt.Sprintf(`mutation { setPresence(name: "TODO", id: %q) }`, first.You),
	})})
	vw.presence("p", "editor@example.com: admin@example.com:entities/Task/fields/title")

	// Ending the subscription leaves.
	vw.send(wsMessage{ID: "p", Type: "complete"})
	ed.presence("p", "editor@example.com:")
	ed.conn.CloseNow()
	waitSubscribers(t, e, 0)
}

func TestModelPresenceRefusals(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name, as, model, code string
	}{
		{"a model the caller cannot see", editor, "Notes", "NOT_FOUND"},
		{"a model the caller may only read: presence shows e-mail addresses to editors", viewer, "TODO", "FORBIDDEN"},
		{"a model that does not exist, even to an admin", admin, "Nope", "NOT_FOUND"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := e.connect(t, nil, e.bearer(tc.as))
			c.subscribe("refused", `subscription { modelPresence(name: "`+tc.model+`") { you } }`)
			if m := c.readFor("refused"); !strings.Contains(string(m.Payload), `"code":"`+tc.code+`"`) {
				t.Fatalf("got %s %s, want %s", m.Type, m.Payload, tc.code)
			}
			c.conn.CloseNow()
		})
	}
	waitSubscribers(t, e, 0)

	c := e.connect(t, nil, e.bearer(editor))
	for i := range 8 {
		c.subscribe(fmt.Sprint(i), modelPresence)
		if m := c.readFor(fmt.Sprint(i)); m.Type != "next" {
			t.Fatalf("presence %d: got %s %s", i, m.Type, m.Payload)
		}
	}
	c.subscribe("ninth", modelPresence)
	if m := c.readFor("ninth"); !strings.Contains(string(m.Payload), `"code":"TOO_LARGE"`) || !strings.Contains(string(m.Payload), "at most 8 presences") {
		t.Fatalf("got %s %s, want TOO_LARGE", m.Type, m.Payload)
	}
	// A slot freed is usable again, once the presence that held it has
	// left: never before, when the user's presences would be one too many
	// (a user may hold as many as a connection).
	c.send(wsMessage{ID: "0", Type: "complete"})
	for i := 0; ; i++ {
		id := fmt.Sprint("again", i)
		c.subscribe(id, modelPresence)
		m := c.readFor(id)
		if m.Type == "next" {
			break
		}
		if !strings.Contains(string(m.Payload), "at most 8 presences") || i == 1000 {
			t.Fatalf("got %s %s, want a presence event, or the connection's slot not yet free", m.Type, m.Payload)
		}
		time.Sleep(time.Millisecond)
	}
}
