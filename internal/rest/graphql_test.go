package rest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/torquehq/torque"
)

// sessionOrToken authenticates testToken and the session "good-session".
type sessionOrToken struct{ torque.AuthService }

func (sessionOrToken) Authenticate(ctx context.Context, c torque.Credentials) (*torque.Actor, error) {
	switch {
	case c.Token == testToken:
		return &torque.Actor{UserID: "u1", Email: "token@example.com"}, nil
	case c.Session == "good-session":
		return &torque.Actor{UserID: "u2", Email: "cookie@example.com"}, nil
	case c.Token == "" && c.Session == "":
		return nil, nil
	}
	return nil, torque.Errorf(torque.EUNAUTHORIZED, "unknown credentials")
}

// graphqlProbe records what reached the GraphQL handler.
type graphqlProbe struct {
	reached  bool
	actor    *torque.Actor
	deadline bool
}

func (p *graphqlProbe) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.reached = true
	p.actor = torque.ActorFrom(r.Context())
	_, p.deadline = r.Context().Deadline()
	w.WriteHeader(http.StatusOK)
}

// TestGraphQLMount checks the authentication of /graphql: HTTP requests
// need credentials like every route; a WebSocket upgrade may come without
// (its connection_init authenticates), but a cookie on it must come from an
// allowed origin, as for cookie writes.
func TestGraphQLMount(t *testing.T) {
	upgrade := map[string]string{"Upgrade": "websocket", "Connection": "Upgrade"}
	with := func(h map[string]string, more map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range h {
			out[k] = v
		}
		for k, v := range more {
			out[k] = v
		}
		return out
	}
	for _, tc := range []struct {
		name     string
		method   string
		target   string
		headers  map[string]string
		status   int
		reached  bool
		actor    string // email of the actor the handler saw
		deadline bool
	}{
		{"anonymous GET", "GET", "/graphql", nil, 401, false, "", false},
		{"anonymous POST", "POST", "/graphql", nil, 401, false, "", false},
		{"anonymous IDE file", "GET", "/graphql/ide.js", nil, 401, false, "", false},
		{"GET with a token", "GET", "/graphql?query=x", map[string]string{"Authorization": "Bearer " + testToken}, 200, true, "token@example.com", true},
		{"POST with a cookie from this origin", "POST", "/graphql", map[string]string{"Cookie": "torque_session=good-session", "Origin": "http://example.com"}, 200, true, "cookie@example.com", true},
		{"POST with a cookie from another site", "POST", "/graphql", map[string]string{"Cookie": "torque_session=good-session", "Origin": "https://evil.example"}, 403, false, "", false},
		{"unknown query parameter", "GET", "/graphql?debug=1", map[string]string{"Authorization": "Bearer " + testToken}, 400, false, "", false},
		{"other method", "PUT", "/graphql", map[string]string{"Authorization": "Bearer " + testToken}, 405, false, "", false},
		{"anonymous upgrade", "GET", "/graphql", upgrade, 200, true, "", false},
		{"upgrade with a bad token", "GET", "/graphql", with(upgrade, map[string]string{"Authorization": "Bearer tq_bad"}), 200, true, "", false},
		{"upgrade with a token", "GET", "/graphql", with(upgrade, map[string]string{"Authorization": "Bearer " + testToken}), 200, true, "token@example.com", false},
		{"upgrade with a cookie from this origin", "GET", "/graphql", with(upgrade, map[string]string{"Cookie": "torque_session=good-session", "Origin": "http://example.com"}), 200, true, "cookie@example.com", false},
		{"upgrade with a cookie from an allowed origin", "GET", "/graphql", with(upgrade, map[string]string{"Cookie": "torque_session=good-session", "Origin": "https://admin.example"}), 200, true, "cookie@example.com", false},
		{"upgrade with a cookie from another site", "GET", "/graphql", with(upgrade, map[string]string{"Cookie": "torque_session=good-session", "Origin": "https://evil.example"}), 403, false, "", false},
		{"upgrade with a cookie and no origin", "GET", "/graphql", with(upgrade, map[string]string{"Cookie": "torque_session=good-session"}), 403, false, "", false},
		{"upgrade of another route", "GET", "/api/v1/models", upgrade, 401, false, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			probe := &graphqlProbe{}
			s := newServer(Config{Logger: discardLogger(), Auth: sessionOrToken{}, GraphQL: probe, AllowedOrigins: []string{"https://admin.example"}})
			r := httptest.NewRequest(tc.method, tc.target, nil)
			for k, v := range tc.headers {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if w.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tc.status, w.Body)
			}
			if probe.reached != tc.reached {
				t.Fatalf("reached the handler: %v, want %v", probe.reached, tc.reached)
			}
			if !tc.reached {
				return
			}
			email := ""
			if probe.actor != nil {
				email = probe.actor.Email
			}
			if email != tc.actor {
				t.Errorf("actor %q, want %q", email, tc.actor)
			}
			if probe.deadline != tc.deadline {
				t.Errorf("request deadline: %v, want %v", probe.deadline, tc.deadline)
			}
		})
	}
}

func TestGraphQLNotMountedWithoutHandler(t *testing.T) {
	s := newServer(Config{Logger: discardLogger(), Auth: adminToken{}})
	w := httptest.NewRecorder()
	s.ServeHTTP(w, authed("POST", "/graphql"))
	if w.Code != http.StatusNotFound {
		t.Fatalf("status %d, want 404", w.Code)
	}
}
