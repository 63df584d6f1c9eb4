package graphql_test

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/graphql"
	"github.com/torquehq/torque/internal/rest"
	"github.com/torquehq/torque/internal/service"
	"github.com/torquehq/torque/internal/store"
)

//go:embed testdata/todo.json
var todoModel string

const notesModel = `{"name": "Notes", "description": "Short notes.", "version": 1, "entities": [{"name": "Note", "fields": [{"name": "text", "type": "string"}]}]}`

// Callers of the API. Every one but anonymous has an API token; viewer and
// editor have those roles in the app todo (model TODO), outsider owns the
// app notes (model Notes), admin is a platform admin.
const (
	anonymous = "anonymous"
	viewer    = "viewer"
	editor    = "editor"
	outsider  = "outsider"
	admin     = "admin"
)

// env is a real server: the REST handler with the GraphQL handler mounted,
// over real services over a SQLite file in a temporary directory.
type env struct {
	t      testing.TB
	srv    *httptest.Server
	svc    *service.Service
	gql    *graphql.Handler
	tokens map[string]string // API tokens by caller
	logs   *bytes.Buffer     // what the server logged (warnings and errors)
}

// options change the env's GraphQL handler.
type options struct {
	ide     bool
	wrap    func(graphql.Service) graphql.Service // e.g. to count calls
	depth   int
	origins []string
}

func newEnv(t testing.TB) *env { return newEnvWith(t, options{}) }

func newEnvWith(t testing.TB, o options) *env {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, "", t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	logs := &bytes.Buffer{}
	logger := slog.New(slog.NewTextHandler(&lockedWriter{w: logs}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	svc := service.New(db, service.Options{Logger: logger})
	t.Cleanup(func() { svc.Hub().Close() })
	var gsvc graphql.Service = svc
	if o.wrap != nil {
		gsvc = o.wrap(svc)
	}
	gql := graphql.New(graphql.Config{Service: gsvc, Logger: logger, IDE: o.ide, MaxDepth: o.depth, AllowedOrigins: o.origins})
	t.Cleanup(gql.Close)
	srv := httptest.NewServer(rest.New(rest.Config{
		Models: svc, Apps: svc, Entities: svc, Auth: svc,
		Logger:         logger,
		AllowedOrigins: o.origins,
		GraphQL:        gql,
	}))
	t.Cleanup(srv.Close)
	e := &env{t: t, srv: srv, svc: svc, gql: gql, tokens: map[string]string{}, logs: logs}
	e.seed()
	return e
}

// seed makes the callers, the models TODO and Notes, and their apps.
func (e *env) seed() {
	e.t.Helper()
	ctx := torque.WithActor(context.Background(), torque.SystemActor)
	must := func(_ any, err error) {
		e.t.Helper()
		if err != nil {
			e.t.Fatal(err)
		}
	}
	for _, who := range []string{viewer, editor, outsider, admin} {
		must(e.svc.CreateUser(ctx, who+"@example.com", "password-of-"+who, who == admin))
		tok, err := e.svc.CreateUserToken(ctx, who+"@example.com", "tests", 0)
		must(tok, err)
		e.tokens[who] = tok.Secret
	}
	for _, doc := range []string{todoModel, notesModel} {
		m, err := torque.ParseModel([]byte(doc))
		must(m, err)
		must(e.svc.CreateModel(ctx, m))
	}
	must(e.svc.CreateApp(ctx, "todo", "TODO"))
	must(e.svc.CreateApp(ctx, "notes", "Notes"))
	must(e.svc.SetMember(ctx, "todo", "viewer@example.com", torque.RoleViewer))
	must(e.svc.SetMember(ctx, "todo", "editor@example.com", torque.RoleEditor))
	must(e.svc.SetMember(ctx, "notes", "outsider@example.com", torque.RoleOwner))
}

// gqlError is one error of a GraphQL answer.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

func (g gqlError) code() string {
	c, _ := g.Extensions["code"].(string)
	return c
}

// answer is a GraphQL answer: its status, body, data and errors.
type answer struct {
	status int
	header http.Header
	body   string
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// codes lists the extensions.code of every error.
func (a *answer) codes() []string {
	var out []string
	for _, e := range a.Errors {
		out = append(out, e.code())
	}
	return out
}

// post sends a GraphQL operation as who over POST /graphql.
func (e *env) post(who, query string, vars map[string]any) *answer {
	e.t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		e.t.Fatal(err)
	}
	return e.send(who, http.MethodPost, "/graphql", body, nil)
}

// send sends a request as who and decodes a GraphQL answer when it is JSON.
func (e *env) send(who, method, path string, body []byte, headers map[string]string) *answer {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok := e.tokens[who]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	a := &answer{status: resp.StatusCode, header: resp.Header, body: string(b)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/") {
		if err := json.Unmarshal(b, a); err != nil {
			e.t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return a
}

// ok sends an operation that must succeed and decodes its data into v.
func (e *env) ok(who, query string, vars map[string]any, v any) {
	e.t.Helper()
	a := e.post(who, query, vars)
	if a.status != http.StatusOK || len(a.Errors) > 0 {
		e.t.Fatalf("%s: status %d: %s", query, a.status, a.body)
	}
	if v != nil {
		if err := json.Unmarshal(a.Data, v); err != nil {
			e.t.Fatal(err)
		}
	}
}

// snapshot renders everything a refused operation must leave alone: every
// model with its versions, and every app.
func (e *env) snapshot() string {
	e.t.Helper()
	ctx := torque.WithActor(context.Background(), torque.SystemActor)
	var b strings.Builder
	models, err := e.svc.Models(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, m := range models {
		vs, err := e.svc.ModelVersions(ctx, m.Name)
		if err != nil {
			e.t.Fatal(err)
		}
		doc, _ := json.Marshal(m)
		fmt.Fprintf(&b, "%s versions=%d\n", doc, len(vs))
	}
	apps, err := e.svc.Apps(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, a := range apps {
		fmt.Fprintf(&b, "app %s of %s\n", a.Name, a.Model)
	}
	return b.String()
}

// version returns the current version of a model.
func (e *env) version(name string) int64 {
	e.t.Helper()
	m, err := e.svc.Model(torque.WithActor(context.Background(), torque.SystemActor), name)
	if err != nil {
		e.t.Fatal(err)
	}
	return m.Version
}

// session signs who in and returns the session cookie's value.
func (e *env) session(who string) string {
	e.t.Helper()
	s, err := e.svc.Login(context.Background(), who+"@example.com", "password-of-"+who, "127.0.0.1")
	if err != nil {
		e.t.Fatal(err)
	}
	return s.Secret
}

// lockedWriter serialises writes of concurrent loggers.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
