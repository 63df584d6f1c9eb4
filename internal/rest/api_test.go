package rest_test

import (
	"context"
	_ "embed"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/metrics"
	"github.com/torquehq/torque/internal/rest"
	"github.com/torquehq/torque/internal/service"
	"github.com/torquehq/torque/internal/store"
)

//go:embed testdata/todo.json
var todoModel string

// scenario is one request and what its answer must be, in the manner of
// PocketBase's tests.ApiScenario. In url and body, {{name}} is replaced by
// the id the environment saved under name.
type scenario struct {
	name        string
	method      string
	url         string
	body        string
	headers     map[string]string
	status      int
	contains    []string
	notContains []string
}

// env is a real server: the REST handler over real services over a SQLite
// file in a temporary directory.
type env struct {
	t        *testing.T
	srv      *httptest.Server
	metrics  *metrics.Metrics
	contract *contract
	ids      map[string]string
	svc      *service.Service
	token    string // an admin's API token, sent unless a request says otherwise
}

// adminToken adds the admin admin@example.com to svc's store and returns an
// API token of theirs.
func adminToken(t testing.TB, svc *service.Service) string {
	t.Helper()
	ctx := torque.WithActor(context.Background(), torque.SystemActor)
	if _, err := svc.CreateUser(ctx, "admin@example.com", "admin-password", true); err != nil {
		t.Fatal(err)
	}
	tok, err := svc.CreateUserToken(ctx, "admin@example.com", "tests", 0)
	if err != nil {
		t.Fatal(err)
	}
	return tok.Secret
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvLogging(t, slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})))
}

// newEnvLogging is newEnv with the server logging to logger.
func newEnvLogging(t *testing.T, logger *slog.Logger) *env {
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
	m := metrics.New(db.PoolStats)
	svc := service.New(db, service.Options{Logger: logger, OnEntityOp: m.EntityOp})
	srv := httptest.NewServer(rest.New(rest.Config{
		Models: svc, Apps: svc, Entities: svc, Auth: svc,
		Ready:   db.Ping,
		Metrics: m,
		Logger:  logger,
	}))
	t.Cleanup(srv.Close)
	return &env{t: t, srv: srv, metrics: m, contract: loadContract(t), ids: map[string]string{}, svc: svc, token: adminToken(t, svc)}
}

// testWriter sends server logs (warnings and errors only) to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (e *env) expand(s string) string {
	for k, v := range e.ids {
		s = strings.ReplaceAll(s, "{{"+k+"}}", v)
	}
	return s
}

// do sends one request and returns the answer. It carries the env's admin
// token unless headers set Authorization ("" for none).
func (e *env) do(method, url, body string, headers map[string]string) (*http.Response, string) {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(e.expand(body))
	}
	req, err := http.NewRequest(method, e.srv.URL+e.expand(url), rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	if problem := e.contract.check(method, e.expand(url), resp.StatusCode, resp.Header.Get("Content-Type"), string(b)); problem != "" {
		e.t.Errorf("openapi.json: %s", problem)
	}
	return resp, string(b)
}

// must sends a request that has to answer status and returns the answer
// decoded into a map.
func (e *env) must(method, url, body string, status int) map[string]any {
	e.t.Helper()
	resp, b := e.do(method, url, body, nil)
	if resp.StatusCode != status {
		e.t.Fatalf("%s %s: status %d, want %d: %s", method, url, resp.StatusCode, status, b)
	}
	var out map[string]any
	if b != "" {
		if err := json.Unmarshal([]byte(b), &out); err != nil {
			e.t.Fatalf("%s %s: %v: %s", method, url, err, b)
		}
	}
	return out
}

// create makes an entity and saves its id under name.
func (e *env) create(name, typ, data string) {
	e.t.Helper()
	out := e.must("POST", "/api/v1/apps/todo/entities/"+typ, `{"data": `+data+`}`, 201)
	e.ids[name] = out["id"].(string)
}

// seedTODO creates the TODO model and the app "todo".
func (e *env) seedTODO() {
	e.t.Helper()
	e.must("POST", "/api/v1/models", todoModel, 201)
	e.must("POST", "/api/v1/apps", `{"name": "todo", "model": "TODO"}`, 201)
}

// snapshot reads back everything the API can show: models and their
// versions, apps, and every entity of the todo app with its relations.
func (e *env) snapshot() string {
	e.t.Helper()
	var b strings.Builder
	for _, url := range []string{
		"/api/v1/models",
		"/api/v1/models/TODO/versions",
		"/api/v1/apps",
		"/api/v1/users",
		"/api/v1/apps/todo/members",
		"/api/v1/apps/todo/entities/Task?limit=1000&count=true&include=project,tags",
		"/api/v1/apps/todo/entities/Project?limit=1000&count=true&include=tasks",
		"/api/v1/apps/todo/entities/Tag?limit=1000&count=true&include=tasks",
	} {
		resp, body := e.do("GET", url, "", nil)
		b.WriteString(url + " " + resp.Status + "\n" + body + "\n")
	}
	return b.String()
}

// run runs the scenarios in order. After every refusal (status >= 400) it
// reads everything back and checks that nothing was written.
func (e *env) run(scenarios []scenario) {
	e.t.Helper()
	for _, s := range scenarios {
		var before string
		if s.status >= 400 {
			before = e.snapshot()
		}
		resp, body := e.do(s.method, s.url, s.body, s.headers)
		if resp.StatusCode != s.status {
			e.t.Errorf("%s: %s %s: status %d, want %d: %s", s.name, s.method, s.url, resp.StatusCode, s.status, body)
			continue
		}
		if resp.StatusCode != http.StatusNoContent && s.url != "/metrics" && resp.Header.Get("Content-Type") != "application/json" {
			e.t.Errorf("%s: Content-Type %q", s.name, resp.Header.Get("Content-Type"))
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Referrer-Policy") != "no-referrer" {
			e.t.Errorf("%s: security headers missing", s.name)
		}
		for _, want := range s.contains {
			if !strings.Contains(body, e.expand(want)) {
				e.t.Errorf("%s: body lacks %s: %s", s.name, e.expand(want), body)
			}
		}
		for _, unwanted := range s.notContains {
			if strings.Contains(body, e.expand(unwanted)) {
				e.t.Errorf("%s: body has %s: %s", s.name, e.expand(unwanted), body)
			}
		}
		if s.status >= 400 {
			if !strings.HasPrefix(body, `{"error":{"code":"`) {
				e.t.Errorf("%s: not an error body: %s", s.name, body)
			}
			if after := e.snapshot(); after != before {
				e.t.Errorf("%s: a refused request changed data:\nbefore:\n%s\nafter:\n%s", s.name, before, after)
			}
		}
	}
}

func TestModelsAPI(t *testing.T) {
	e := newEnv(t)
	withoutName := strings.Replace(todoModel, `"name": "TODO",`, "", 1)
	withField := strings.Replace(todoModel, `{"name": "priority", "type": "integer", "min": 1, "max": 5}`,
		`{"name": "priority", "type": "integer", "min": 1, "max": 5}, {"name": "estimate", "type": "number"}`, 1)
	e.run([]scenario{
		{name: "no models yet", method: "GET", url: "/api/v1/models", status: 200, contains: []string{`{"items":[]}`}},
		{name: "create", method: "POST", url: "/api/v1/models", body: todoModel, status: 201,
			contains: []string{`"name":"TODO"`, `"version":1`, `"createdAt":`, `"name":"project_tasks"`}},
		{name: "create again", method: "POST", url: "/api/v1/models", body: todoModel, status: 409,
			contains: []string{`"code":"ECONFLICT"`}},
		{name: "malformed JSON", method: "POST", url: "/api/v1/models", body: `{"name": "X", "entities": [}`, status: 400,
			contains: []string{`"code":"EINVALID"`, `"$":"invalid JSON`, `line 1, column 28`}},
		{name: "not an object", method: "POST", url: "/api/v1/models", body: `["TODO"]`, status: 400,
			contains: []string{`"$":"must be an object"`}},
		{name: "wrong type", method: "POST", url: "/api/v1/models", body: strings.Replace(todoModel, `"required": true, "minLength": 1, "maxLength": 200`, `"required": "yes", "minLength": 1, "maxLength": 200`, 1), status: 400,
			contains: []string{`"entities[0].fields[0].required":"must be a boolean"`}},
		{name: "unknown key", method: "POST", url: "/api/v1/models", body: strings.Replace(todoModel, `"version": 1,`, `"version": 1, "colour": "red",`, 1), status: 400,
			contains: []string{`"colour":"unknown key"`}},
		{name: "invalid model", method: "POST", url: "/api/v1/models", body: `{"name": "Bad", "version": 1, "entities": [{"name": "Thing", "fields": [{"name": "x", "type": "colour"}]}]}`, status: 400,
			contains: []string{`"code":"EINVALID"`, `entities[0].fields[0].type`}},
		{name: "wrong content type", method: "POST", url: "/api/v1/models", body: todoModel, headers: map[string]string{"Content-Type": "text/plain"}, status: 415,
			contains: []string{`"code":"EMEDIATYPE"`}},
		{name: "oversized", method: "POST", url: "/api/v1/models", body: `{"name": "Big", "description": "` + strings.Repeat("x", 4<<20) + `"}`, status: 413,
			contains: []string{`"code":"ETOOLARGE"`, `4194304 bytes`}},

		{name: "get", method: "GET", url: "/api/v1/models/TODO", status: 200, contains: []string{`"name":"TODO"`, `"version":1`}},
		{name: "get missing", method: "GET", url: "/api/v1/models/Nope", status: 404, contains: []string{`"code":"ENOTFOUND"`}},
		{name: "list", method: "GET", url: "/api/v1/models", status: 200, contains: []string{`{"items":[{`, `"name":"TODO"`}},
		{name: "unknown parameter", method: "GET", url: "/api/v1/models?verbose=1", status: 400, contains: []string{`"verbose":"unknown parameter`}},

		{name: "update", method: "PUT", url: "/api/v1/models/TODO", body: withField, status: 200,
			contains: []string{`"version":2`, `"name":"estimate"`}},
		{name: "update from a stale version", method: "PUT", url: "/api/v1/models/TODO", body: withField, status: 409,
			contains: []string{`"code":"ECONFLICT"`, `"conflict":{"version":2,"changes":[{"op":"add","path":"entities/Task/fields/estimate"`}},
		{name: "update with another name", method: "PUT", url: "/api/v1/models/TODO", body: strings.Replace(strings.Replace(withField, `"version": 1`, `"version": 2`, 1), `"name": "TODO"`, `"name": "Other"`, 1),
			status: 400, contains: []string{`"fields":{"name":"must be \"TODO\"`}},
		{name: "update without a name takes the path's", method: "PUT", url: "/api/v1/models/TODO", body: strings.Replace(withoutName, `"version": 1`, `"version": 2`, 1), status: 200,
			contains: []string{`"name":"TODO"`, `"version":3`}, notContains: []string{`"estimate"`}},
		{name: "update without a version", method: "PUT", url: "/api/v1/models/TODO", body: strings.Replace(todoModel, `"version": 1,`, "", 1), status: 400,
			contains: []string{`"version":`}},
		{name: "update missing model", method: "PUT", url: "/api/v1/models/Nope", body: strings.Replace(withoutName, `"version": 1`, `"version": 1`, 1), status: 404},
		{name: "update, malformed", method: "PUT", url: "/api/v1/models/TODO", body: `{"version": 3,`, status: 400, contains: []string{`invalid JSON`}},

		{name: "versions", method: "GET", url: "/api/v1/models/TODO/versions", status: 200,
			contains: []string{`{"items":[{"version":3,"createdAt":`, `{"version":1,"createdAt":`}, notContains: []string{`"entities"`}},
		{name: "versions of a missing model", method: "GET", url: "/api/v1/models/Nope/versions", status: 404},
		{name: "at version 2", method: "GET", url: "/api/v1/models/TODO?version=2", status: 200, contains: []string{`"version":2`, `"estimate"`}},
		{name: "at version 1", method: "GET", url: "/api/v1/models/TODO?version=1", status: 200, contains: []string{`"version":1`}, notContains: []string{`"estimate"`}},
		{name: "at a missing version", method: "GET", url: "/api/v1/models/TODO?version=9", status: 404},
		{name: "at a bad version", method: "GET", url: "/api/v1/models/TODO?version=two", status: 400,
			contains: []string{`"version":"must be a positive integer"`}},
	})

	// A model in use cannot be deleted; once unused it can.
	e.must("POST", "/api/v1/apps", `{"name": "todo", "model": "TODO"}`, 201)
	e.run([]scenario{
		{name: "delete a model in use", method: "DELETE", url: "/api/v1/models/TODO", status: 409, contains: []string{`"code":"ECONFLICT"`}},
		{name: "delete a missing model", method: "DELETE", url: "/api/v1/models/Nope", status: 404},
		{name: "delete its app", method: "DELETE", url: "/api/v1/apps/todo", status: 204},
		{name: "delete the model", method: "DELETE", url: "/api/v1/models/TODO", status: 204},
		{name: "gone", method: "GET", url: "/api/v1/models/TODO", status: 404},
	})
}

func TestModelCreateSetsLocation(t *testing.T) {
	e := newEnv(t)
	resp, body := e.do("POST", "/api/v1/models", todoModel, nil)
	if resp.StatusCode != 201 || resp.Header.Get("Location") != "/api/v1/models/TODO" {
		t.Fatalf("%d Location %q: %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	resp, body = e.do("POST", "/api/v1/apps", `{"name": "todo", "model": "TODO"}`, nil)
	if resp.StatusCode != 201 || resp.Header.Get("Location") != "/api/v1/apps/todo" {
		t.Fatalf("%d Location %q: %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	resp, body = e.do("POST", "/api/v1/apps/todo/entities/Task", `{"data": {"title": "a"}}`, nil)
	var created struct{ ID string }
	json.Unmarshal([]byte(body), &created)
	if resp.StatusCode != 201 || resp.Header.Get("Location") != "/api/v1/apps/todo/entities/Task/"+created.ID {
		t.Fatalf("%d Location %q: %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	e.must("GET", resp.Header.Get("Location"), "", 200)
}

func TestAppsAPI(t *testing.T) {
	e := newEnv(t)
	e.must("POST", "/api/v1/models", todoModel, 201)
	e.run([]scenario{
		{name: "none yet", method: "GET", url: "/api/v1/apps", status: 200, contains: []string{`{"items":[]}`}},
		{name: "create", method: "POST", url: "/api/v1/apps", body: `{"name": "todo", "model": "TODO"}`, status: 201,
			contains: []string{`"name":"todo"`, `"model":"TODO"`, `"createdAt":`}, notContains: []string{`"id"`}},
		{name: "create again", method: "POST", url: "/api/v1/apps", body: `{"name": "todo", "model": "TODO"}`, status: 409},
		{name: "missing model", method: "POST", url: "/api/v1/apps", body: `{"name": "other", "model": "Nope"}`, status: 400,
			contains: []string{`"model":`}},
		{name: "bad name", method: "POST", url: "/api/v1/apps", body: `{"name": "Not Valid", "model": "TODO"}`, status: 400,
			contains: []string{`"fields":{"name":`}},
		{name: "name of the wrong type", method: "POST", url: "/api/v1/apps", body: `{"name": 5, "model": "TODO"}`, status: 400,
			contains: []string{`"name":"must be a string"`}},
		{name: "no members", method: "POST", url: "/api/v1/apps", body: `{}`, status: 400,
			contains: []string{`"model":"is required"`, `"name":"is required"`}},
		{name: "unknown member", method: "POST", url: "/api/v1/apps", body: `{"name": "x", "model": "TODO", "owner": "me"}`, status: 400,
			contains: []string{`"owner":"unknown field"`}},
		{name: "malformed", method: "POST", url: "/api/v1/apps", body: `{"name": "x" "model": "TODO"}`, status: 400,
			contains: []string{`invalid JSON at offset 13`}},
		{name: "array", method: "POST", url: "/api/v1/apps", body: `["x"]`, status: 400, contains: []string{`body must be a JSON object`}},
		{name: "form content", method: "POST", url: "/api/v1/apps", body: `name=x`, headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, status: 415},
		{name: "oversized", method: "POST", url: "/api/v1/apps", body: `{"name": "` + strings.Repeat("x", 1<<20) + `", "model": "TODO"}`, status: 413},
		{name: "get", method: "GET", url: "/api/v1/apps/todo", status: 200, contains: []string{`"name":"todo"`}},
		{name: "get missing", method: "GET", url: "/api/v1/apps/nope", status: 404},
		{name: "list", method: "GET", url: "/api/v1/apps", status: 200, contains: []string{`{"items":[{"name":"todo","model":"TODO"`}},
		{name: "delete missing", method: "DELETE", url: "/api/v1/apps/nope", status: 404},
	})
	e.create("t1", "Task", `{"title": "first"}`)
	e.run([]scenario{
		{name: "delete", method: "DELETE", url: "/api/v1/apps/todo", status: 204},
		{name: "gone", method: "GET", url: "/api/v1/apps/todo", status: 404},
		{name: "its entities are gone", method: "GET", url: "/api/v1/apps/todo/entities/Task/{{t1}}", status: 404},
	})
	// A new app of the same name starts empty.
	e.must("POST", "/api/v1/apps", `{"name": "todo", "model": "TODO"}`, 201)
	e.run([]scenario{
		{name: "recreated app is empty", method: "GET", url: "/api/v1/apps/todo/entities/Task?count=true", status: 200,
			contains: []string{`"items":[]`, `"total":0`}},
	})
}

func TestEntitiesAPI(t *testing.T) {
	e := newEnv(t)
	e.seedTODO()
	e.create("t1", "Task", `{"title": "Write the docs", "priority": 2, "due": "2026-11-24"}`)
	tasks := "/api/v1/apps/todo/entities/Task"
	e.run([]scenario{
		{name: "create", method: "POST", url: tasks, body: `{"data": {"title": "Ship", "description": "the release", "priority": 5}}`, status: 201,
			contains: []string{`"type":"Task"`, `"version":1`, `"title":"Ship"`, `"status":"todo"`, `"priority":5`}},
		{name: "create with charset", method: "POST", url: tasks, body: `{"data": {"title": "Charset"}}`,
			headers: map[string]string{"Content-Type": "application/json; charset=utf-8"}, status: 201},
		{name: "create without content type", method: "POST", url: tasks, body: `{"data": {"title": "Bare"}}`,
			headers: map[string]string{"Content-Type": ""}, status: 201},
		{name: "get", method: "GET", url: tasks + "/{{t1}}", status: 200,
			contains: []string{`"id":"{{t1}}"`, `"title":"Write the docs"`, `"due":"2026-11-24"`, `"version":1`}},

		{name: "missing required field", method: "POST", url: tasks, body: `{"data": {"description": "no title"}}`, status: 400,
			contains: []string{`"code":"EINVALID"`, `"title":`}},
		{name: "empty title", method: "POST", url: tasks, body: `{"data": {"title": ""}}`, status: 400, contains: []string{`"title":`}},
		{name: "title too long", method: "POST", url: tasks, body: `{"data": {"title": "` + strings.Repeat("x", 201) + `"}}`, status: 400,
			contains: []string{`"title":`}},
		{name: "priority out of range", method: "POST", url: tasks, body: `{"data": {"title": "x", "priority": 9}}`, status: 400,
			contains: []string{`"priority":`}},
		{name: "priority of the wrong type", method: "POST", url: tasks, body: `{"data": {"title": "x", "priority": "high"}}`, status: 400,
			contains: []string{`"priority":`}},
		{name: "bad enum value", method: "POST", url: tasks, body: `{"data": {"title": "x", "status": "maybe"}}`, status: 400,
			contains: []string{`"status":`}},
		{name: "bad date", method: "POST", url: tasks, body: `{"data": {"title": "x", "due": "tomorrow"}}`, status: 400,
			contains: []string{`"due":`}},
		{name: "unknown field in data", method: "POST", url: tasks, body: `{"data": {"title": "x", "colour": "red"}}`, status: 400,
			contains: []string{`"colour":`}},
		{name: "head", method: "HEAD", url: tasks + "/{{t1}}", status: 200},
		{name: "system field in data", method: "POST", url: tasks, body: `{"data": {"title": "x", "id": "mine"}}`, status: 400,
			contains: []string{`"id":`}},
		{name: "data missing", method: "POST", url: tasks, body: `{"title": "x"}`, status: 400,
			contains: []string{`"data":"is required"`, `"title":"unknown field"`}},
		{name: "data not an object", method: "POST", url: tasks, body: `{"data": "x"}`, status: 400,
			contains: []string{`"data":"must be a JSON object"`}},
		{name: "malformed JSON", method: "POST", url: tasks, body: `{"data": {"title": "x",}}`, status: 400,
			contains: []string{`"message":"invalid JSON at offset 23`}},
		{name: "empty body", method: "POST", url: tasks, body: "", status: 400, contains: []string{`request body is empty`}},
		{name: "text content", method: "POST", url: tasks, body: `{"data": {"title": "x"}}`, headers: map[string]string{"Content-Type": "text/plain"}, status: 415},
		{name: "oversized", method: "POST", url: tasks, body: `{"data": {"title": "x", "description": "` + strings.Repeat("x", 1<<20) + `"}}`, status: 413,
			contains: []string{`"code":"ETOOLARGE"`, `1048576 bytes`}},
		{name: "unknown type", method: "POST", url: "/api/v1/apps/todo/entities/Ghost", body: `{"data": {}}`, status: 404},
		{name: "unknown app", method: "POST", url: "/api/v1/apps/nope/entities/Task", body: `{"data": {"title": "x"}}`, status: 404},
		{name: "get missing", method: "GET", url: tasks + "/0190c5a0-0000-7000-8000-000000000000", status: 404},
		{name: "get of another type", method: "GET", url: "/api/v1/apps/todo/entities/Project/{{t1}}", status: 404},

		{name: "update", method: "PATCH", url: tasks + "/{{t1}}", body: `{"version": 1, "data": {"status": "doing", "priority": 3}}`, status: 200,
			contains: []string{`"version":2`, `"status":"doing"`, `"priority":3`, `"title":"Write the docs"`}},
		{name: "update from a stale version", method: "PATCH", url: tasks + "/{{t1}}", body: `{"version": 1, "data": {"status": "done"}}`, status: 409,
			contains: []string{`"code":"ECONFLICT"`}},
		{name: "update without version", method: "PATCH", url: tasks + "/{{t1}}", body: `{"data": {"status": "done"}}`, status: 400,
			contains: []string{`"version":"is required"`}},
		{name: "update with a string version", method: "PATCH", url: tasks + "/{{t1}}", body: `{"version": "2", "data": {"status": "done"}}`, status: 400,
			contains: []string{`"version":"must be a positive integer"`}},
		{name: "update with an invalid value", method: "PATCH", url: tasks + "/{{t1}}", body: `{"version": 2, "data": {"priority": 0}}`, status: 400,
			contains: []string{`"priority":`}},
		{name: "update with an unknown field", method: "PATCH", url: tasks + "/{{t1}}", body: `{"version": 2, "data": {"colour": "red"}}`, status: 400,
			contains: []string{`"colour":`}},
		{name: "update clearing a required field", method: "PATCH", url: tasks + "/{{t1}}", body: `{"version": 2, "data": {"title": null}}`, status: 400,
			contains: []string{`"title":`}},
		{name: "update with an unknown member", method: "PATCH", url: tasks + "/{{t1}}", body: `{"version": 2, "data": {}, "force": true}`, status: 400,
			contains: []string{`"force":"unknown field"`}},
		{name: "update a missing entity", method: "PATCH", url: tasks + "/0190c5a0-0000-7000-8000-000000000000", body: `{"version": 1, "data": {}}`, status: 404},
		{name: "update clearing a field", method: "PATCH", url: tasks + "/{{t1}}", body: `{"version": 2, "data": {"due": null}}`, status: 200,
			contains: []string{`"version":3`}, notContains: []string{`"due"`}},

		{name: "delete", method: "DELETE", url: tasks + "/{{t1}}", status: 204},
		{name: "deleted", method: "GET", url: tasks + "/{{t1}}", status: 404},
		{name: "delete again", method: "DELETE", url: tasks + "/{{t1}}", status: 404},
	})
}

func TestEntityListsAPI(t *testing.T) {
	e := newEnv(t)
	e.seedTODO()
	for _, data := range []string{
		`{"title": "a", "priority": 1, "status": "done"}`,
		`{"title": "b", "priority": 4, "status": "doing"}`,
		`{"title": "c", "priority": 5, "status": "doing"}`,
		`{"title": "d", "priority": 2}`,
		`{"title": "e", "priority": 4}`,
	} {
		e.create("last", "Task", data)
	}
	tasks := "/api/v1/apps/todo/entities/Task"
	e.run([]scenario{
		{name: "default", method: "GET", url: tasks, status: 200,
			contains: []string{`"title":"a"`, `"title":"e"`, `"nextCursor":null`}, notContains: []string{`"total"`}},
		{name: "count", method: "GET", url: tasks + "?count=true", status: 200, contains: []string{`"total":5`}},
		{name: "count false", method: "GET", url: tasks + "?count=false", status: 200, notContains: []string{`"total"`}},
		{name: "filter", method: "GET", url: tasks + "?filter=" + q(`priority >= 4 and status = "doing"`) + "&count=true", status: 200,
			contains: []string{`"title":"b"`, `"title":"c"`, `"total":2`}, notContains: []string{`"title":"e"`}},
		{name: "sort", method: "GET", url: tasks + "?sort=-priority,title&limit=3", status: 200,
			contains: []string{`"title":"c"`, `"title":"b"`, `"title":"e"`}, notContains: []string{`"title":"a"`, `"nextCursor":null`}},
		{name: "empty page", method: "GET", url: tasks + "?filter=" + q(`priority > 5`), status: 200,
			contains: []string{`{"items":[],"nextCursor":null}`}},

		{name: "invalid filter", method: "GET", url: tasks + "?filter=" + q(`priority >=`), status: 400,
			contains: []string{`"code":"EINVALID"`, `"filter":`}},
		{name: "filter on an unknown field", method: "GET", url: tasks + "?filter=" + q(`colour = "red"`), status: 400,
			contains: []string{`"filter":`}},
		{name: "filter with a value of the wrong type", method: "GET", url: tasks + "?filter=" + q(`priority = "high"`), status: 400,
			contains: []string{`"filter":`}},
		{name: "unknown sort field", method: "GET", url: tasks + "?sort=colour", status: 400, contains: []string{`"sort":`}},
		{name: "invalid cursor", method: "GET", url: tasks + "?cursor=not-a-cursor", status: 400, contains: []string{`"cursor":`}},
		{name: "limit zero", method: "GET", url: tasks + "?limit=0", status: 400,
			contains: []string{`"fields":{"limit":"must be an integer from 1 to 1000"}`}},
		{name: "limit too large", method: "GET", url: tasks + "?limit=1001", status: 400,
			contains: []string{`"limit":"must be an integer from 1 to 1000"`}},
		{name: "limit not a number", method: "GET", url: tasks + "?limit=ten", status: 400,
			contains: []string{`"limit":"must be an integer from 1 to 1000"`}},
		{name: "count not a boolean", method: "GET", url: tasks + "?count=1", status: 400, contains: []string{`"count":"must be true or false"`}},
		{name: "unknown parameter", method: "GET", url: tasks + "?page=2", status: 400,
			contains: []string{`"page":"unknown parameter; allowed: filter, sort, limit, cursor, count, include"`}},
		{name: "repeated parameter", method: "GET", url: tasks + "?limit=1&limit=2", status: 400, contains: []string{`"limit":"must be given once"`}},
		{name: "bad escape", method: "GET", url: tasks + "?filter=%zz", status: 400, contains: []string{`invalid query string`}},
		{name: "unknown include", method: "GET", url: tasks + "?include=owner", status: 400, contains: []string{`"include":`}},
		{name: "list of an unknown type", method: "GET", url: "/api/v1/apps/todo/entities/Ghost", status: 404},
		{name: "list of an unknown app", method: "GET", url: "/api/v1/apps/nope/entities/Task", status: 404},
	})

	// Walk every page of two and see each task once, in creation order.
	var titles []string
	target := tasks + "?limit=2&count=true"
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		page := e.must("GET", target, "", 200)
		if page["total"] != float64(5) {
			t.Errorf("total %v on page %d", page["total"], pages)
		}
		for _, it := range page["items"].([]any) {
			titles = append(titles, it.(map[string]any)["data"].(map[string]any)["title"].(string))
		}
		next, _ := page["nextCursor"].(string)
		if next == "" {
			if page["nextCursor"] != nil {
				t.Errorf("last page nextCursor %v, want null", page["nextCursor"])
			}
			break
		}
		target = tasks + "?limit=2&count=true&cursor=" + q(next)
	}
	if got := strings.Join(titles, ""); got != "abcde" {
		t.Errorf("pages gave %q, want abcde", got)
	}
}

func TestRelationsAPI(t *testing.T) {
	e := newEnv(t)
	e.seedTODO()
	e.create("p1", "Project", `{"name": "Launch"}`)
	e.create("p2", "Project", `{"name": "Empty"}`)
	e.create("t1", "Task", `{"title": "plan", "project": "{{p1}}"}`)
	e.create("t2", "Task", `{"title": "build", "project": "{{p1}}"}`)
	e.create("t3", "Task", `{"title": "loose"}`)
	e.create("g1", "Tag", `{"label": "urgent"}`)
	e.create("g2", "Tag", `{"label": "later"}`)
	base := "/api/v1/apps/todo/entities/"
	e.run([]scenario{
		{name: "duplicate unique value", method: "POST", url: base + "Tag", body: `{"data": {"label": "urgent"}}`, status: 409,
			contains: []string{`"code":"ECONFLICT"`, `"fields":{"label":`}},
		{name: "update to a duplicate unique value", method: "PATCH", url: base + "Tag/{{g2}}", body: `{"version": 1, "data": {"label": "urgent"}}`, status: 409,
			contains: []string{`"label":`}},
		{name: "reference to a missing project", method: "POST", url: base + "Task", body: `{"data": {"title": "x", "project": "0190c5a0-0000-7000-8000-000000000000"}}`, status: 400,
			contains: []string{`"project":`}},
		{name: "reference to an entity of another type", method: "POST", url: base + "Task", body: `{"data": {"title": "x", "project": "{{g1}}"}}`, status: 400,
			contains: []string{`"project":`}},
		{name: "update to a missing project", method: "PATCH", url: base + "Task/{{t3}}", body: `{"version": 1, "data": {"project": "0190c5a0-0000-7000-8000-000000000000"}}`, status: 400,
			contains: []string{`"project":`}},
		{name: "tasks of a project", method: "GET", url: base + "Project/{{p1}}/related/tasks?count=true", status: 200,
			contains: []string{`"title":"plan"`, `"title":"build"`, `"total":2`}, notContains: []string{`"title":"loose"`}},
		{name: "tasks of an empty project", method: "GET", url: base + "Project/{{p2}}/related/tasks", status: 200,
			contains: []string{`{"items":[],"nextCursor":null}`}},
		{name: "project of a task", method: "GET", url: base + "Task/{{t1}}/related/project", status: 200,
			contains: []string{`"name":"Launch"`}},
		{name: "related with filter", method: "GET", url: base + "Project/{{p1}}/related/tasks?filter=" + q(`title = "build"`), status: 200,
			contains: []string{`"title":"build"`}, notContains: []string{`"title":"plan"`}},
		{name: "related with a bad limit", method: "GET", url: base + "Project/{{p1}}/related/tasks?limit=-1", status: 400,
			contains: []string{`"limit":"must be an integer from 1 to 1000"`}},
		{name: "related with an unknown parameter", method: "GET", url: base + "Project/{{p1}}/related/tasks?tag=x", status: 400,
			contains: []string{`"tag":"unknown parameter`}},
		{name: "unknown relation", method: "GET", url: base + "Project/{{p1}}/related/owners", status: 404},
		{name: "related of a missing entity", method: "GET", url: base + "Project/0190c5a0-0000-7000-8000-000000000000/related/tasks", status: 404},
		{name: "include", method: "GET", url: base + "Task?include=project&filter=" + q(`title = "plan"`), status: 200,
			contains: []string{`"related":{"project":{`, `"name":"Launch"`}},

		{name: "link", method: "POST", url: base + "Task/{{t1}}/related/tags", body: `{"id": "{{g1}}"}`, status: 204},
		{name: "link from the other side", method: "POST", url: base + "Tag/{{g2}}/related/tasks", body: `{"id": "{{t1}}"}`, status: 204},
		{name: "link again changes nothing", method: "POST", url: base + "Task/{{t1}}/related/tags", body: `{"id": "{{g1}}"}`, status: 204},
		{name: "tags of a task", method: "GET", url: base + "Task/{{t1}}/related/tags?count=true", status: 200,
			contains: []string{`"label":"urgent"`, `"label":"later"`, `"total":2`}},
		{name: "tasks of a tag", method: "GET", url: base + "Tag/{{g1}}/related/tasks", status: 200, contains: []string{`"title":"plan"`}},
		{name: "include many-to-many", method: "GET", url: base + "Task?include=tags&filter=" + q(`title = "plan"`), status: 200,
			contains: []string{`"related":{"tags":[{`}},
		{name: "link to a missing tag", method: "POST", url: base + "Task/{{t1}}/related/tags", body: `{"id": "0190c5a0-0000-7000-8000-000000000000"}`, status: 400,
			contains: []string{`"code":"EINVALID"`}},
		{name: "link from a missing task", method: "POST", url: base + "Task/0190c5a0-0000-7000-8000-000000000000/related/tags", body: `{"id": "{{g1}}"}`, status: 404},
		{name: "link without id", method: "POST", url: base + "Task/{{t1}}/related/tags", body: `{}`, status: 400, contains: []string{`"id":"is required"`}},
		{name: "link with a numeric id", method: "POST", url: base + "Task/{{t1}}/related/tags", body: `{"id": 7}`, status: 400, contains: []string{`"id":"must be a string"`}},
		{name: "link with a malformed body", method: "POST", url: base + "Task/{{t1}}/related/tags", body: `{"id": }`, status: 400, contains: []string{`invalid JSON at offset 7`}},
		{name: "link through one-to-many", method: "POST", url: base + "Project/{{p2}}/related/tasks", body: `{"id": "{{t3}}"}`, status: 400,
			contains: []string{`"relation":`}},
		{name: "link through an unknown relation", method: "POST", url: base + "Task/{{t1}}/related/owners", body: `{"id": "{{g1}}"}`, status: 404},
		{name: "link with text content", method: "POST", url: base + "Task/{{t1}}/related/tags", body: `{"id": "{{g1}}"}`, headers: map[string]string{"Content-Type": "text/plain"}, status: 415},

		{name: "unlink", method: "DELETE", url: base + "Task/{{t1}}/related/tags/{{g2}}", status: 204},
		{name: "unlinked", method: "GET", url: base + "Task/{{t1}}/related/tags", status: 200,
			contains: []string{`"label":"urgent"`}, notContains: []string{`"label":"later"`}},
		{name: "unlink what is not linked", method: "DELETE", url: base + "Task/{{t1}}/related/tags/{{g2}}", status: 404},
		{name: "unlink from a missing task", method: "DELETE", url: base + "Task/0190c5a0-0000-7000-8000-000000000000/related/tags/{{g1}}", status: 404},

		{name: "delete a project cascades to its tasks", method: "DELETE", url: base + "Project/{{p1}}", status: 204},
		{name: "its tasks are gone", method: "GET", url: base + "Task/{{t1}}", status: 404},
		{name: "other tasks stay", method: "GET", url: base + "Task?count=true", status: 200,
			contains: []string{`"title":"loose"`, `"total":1`}},
		{name: "links of deleted tasks are gone", method: "GET", url: base + "Tag/{{g1}}/related/tasks", status: 200,
			contains: []string{`"items":[]`}},
	})
}

// TestModelChangeIsUsableAtOnce adds a field to the model and uses it in
// the very next entity requests.
func TestModelChangeIsUsableAtOnce(t *testing.T) {
	e := newEnv(t)
	e.seedTODO()
	tasks := "/api/v1/apps/todo/entities/Task"
	e.run([]scenario{
		{name: "unknown before the change", method: "POST", url: tasks, body: `{"data": {"title": "x", "estimate": 2.5}}`, status: 400,
			contains: []string{`"estimate":`}},
	})
	withField := strings.Replace(todoModel, `{"name": "priority", "type": "integer", "min": 1, "max": 5}`,
		`{"name": "priority", "type": "integer", "min": 1, "max": 5}, {"name": "estimate", "type": "number", "min": 0}`, 1)
	e.must("PUT", "/api/v1/models/TODO", withField, 200)
	e.run([]scenario{
		{name: "create with the new field", method: "POST", url: tasks, body: `{"data": {"title": "x", "estimate": 2.5}}`, status: 201,
			contains: []string{`"estimate":2.5`}},
		{name: "the new field is validated", method: "POST", url: tasks, body: `{"data": {"title": "y", "estimate": -1}}`, status: 400,
			contains: []string{`"estimate":`}},
		{name: "filter on the new field", method: "GET", url: tasks + "?filter=" + q(`estimate > 2`) + "&sort=-estimate", status: 200,
			contains: []string{`"estimate":2.5`}},
	})
}

func TestTransportAPI(t *testing.T) {
	e := newEnv(t)
	e.seedTODO()
	e.run([]scenario{
		{name: "unknown route", method: "GET", url: "/api/v1/nothing", status: 404,
			contains: []string{`{"error":{"code":"ENOTFOUND","message":"no route for GET /api/v1/nothing"}}`}},
		{name: "root", method: "GET", url: "/", status: 404},
		{name: "trailing slash", method: "GET", url: "/api/v1/apps/", status: 404},
		{name: "wrong method", method: "PUT", url: "/api/v1/apps", body: `{}`, status: 405, contains: []string{`"code":"EMETHOD"`}},
		{name: "wrong method on an entity", method: "POST", url: "/api/v1/apps/todo/entities/Task/x", body: `{}`, status: 405},
		{name: "healthz", method: "GET", url: "/healthz", status: 200, contains: []string{`{"status":"ok"}`}},
		{name: "readyz", method: "GET", url: "/readyz", status: 200, contains: []string{`{"status":"ready"}`}},
		{name: "openapi", method: "GET", url: "/api/v1/openapi.json", status: 200, contains: []string{`"openapi": "3.1.0"`}},
	})
	resp, _ := e.do("DELETE", "/api/v1/models", "", nil)
	if got := resp.Header.Get("Allow"); got != "GET, HEAD, POST" {
		t.Errorf("Allow %q", got)
	}

	// Metrics carry route patterns, never raw paths.
	e.create("t1", "Task", `{"title": "x"}`)
	e.must("GET", "/api/v1/apps/todo/entities/Task/{{t1}}", "", 200)
	resp, body := e.do("GET", "/metrics", "", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("metrics: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		`torque_http_requests_total{code="200",method="GET",route="GET /api/v1/apps/{app}/entities/{type}/{id}"} 1`,
		`torque_http_requests_total{code="201",method="POST",route="POST /api/v1/apps/{app}/entities/{type}"} 1`,
		`torque_http_requests_total{code="404",method="GET",route="unmatched"}`,
		`torque_entity_operations_total{code="OK",op="create"} 1`,
		`torque_entity_operations_total{code="OK",op="get"} 1`,
		`torque_db_connections{pool="writer",state="open"}`,
		`torque_db_wait_total{pool="reader"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, e.ids["t1"]) || strings.Contains(body, "/api/v1/nothing") {
		t.Error("metrics carry a raw path")
	}
}

// q escapes a query parameter value.
func q(s string) string { return url.QueryEscape(s) }

// TestHostileBodiesNeverFail sends awkward and malicious bodies to every
// route that reads one: none may answer 5xx.
func TestHostileBodiesNeverFail(t *testing.T) {
	e := newEnv(t)
	e.seedTODO()
	e.create("t1", "Task", `{"title": "x"}`)
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	values := []string{
		deep,
		`1e400`, `-0`, `9223372036854775808`, `1.0`, `1e2`, `"\u0000"`, `"\ud800"`, "\"\xff\xfe\"",
		`{"__proto__": {"x": 1}}`, `"` + strings.Repeat("é", 300) + `"`, `[]`, `{}`, `null`, `true`,
	}
	var bodies []string
	for _, v := range values {
		bodies = append(bodies,
			`{"data": {"title": `+v+`}}`,
			`{"data": {"title": "x", "priority": `+v+`}}`,
			`{"data": {"title": "x", "due": `+v+`}}`,
			`{"data": {"title": "x", "project": `+v+`}}`,
			`{"data": `+v+`}`,
			`{"version": `+v+`, "data": {"title": "x"}}`,
			`{"id": `+v+`}`,
			`{"name": `+v+`, "model": "TODO"}`,
			v,
		)
	}
	bodies = append(bodies, `{"data": {"title": "a", "title": "b"}}`, `{"data": {"`+strings.Repeat("k", 10000)+`": 1}}`, "\xef\xbb\xbf{}", `{"data": {}}garbage`)
	targets := [][2]string{
		{"POST", "/api/v1/apps/todo/entities/Task"},
		{"PATCH", "/api/v1/apps/todo/entities/Task/{{t1}}"},
		{"POST", "/api/v1/apps/todo/entities/Task/{{t1}}/related/tags"},
		{"POST", "/api/v1/apps"},
		{"POST", "/api/v1/models"},
		{"PUT", "/api/v1/models/TODO"},
	}
	for _, target := range targets {
		for _, body := range bodies {
			resp, answer := e.do(target[0], target[1], body, nil)
			if resp.StatusCode >= 500 {
				t.Errorf("%s %s with %.80q: %d %s", target[0], target[1], body, resp.StatusCode, answer)
			}
		}
	}
	for _, v := range values[1:] {
		resp, answer := e.do("GET", "/api/v1/apps/todo/entities/Task?filter="+q("title = "+v), "", nil)
		if resp.StatusCode >= 500 {
			t.Errorf("filter with %q: %d %s", v, resp.StatusCode, answer)
		}
	}
}
