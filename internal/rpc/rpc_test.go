package rpc_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/examples/todo"
	"github.com/torquehq/torque/internal/rest"
	"github.com/torquehq/torque/internal/rpc"
	"github.com/torquehq/torque/internal/service"
	"github.com/torquehq/torque/internal/store"
)

// env is a real server (REST with JSON-RPC mounted, over real services on
// SQLite) with the TODO app and three callers holding API tokens: admin,
// viewer and member of todo.
type env struct {
	t      *testing.T
	srv    *httptest.Server
	svc    *service.Service
	tokens map[string]string
	sys    context.Context
}

func newEnv(t *testing.T) *env {
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
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(db, service.Options{Logger: logger})
	t.Cleanup(func() { svc.Hub().Close() })
	h := rpc.New(rpc.Config{Service: svc, Logger: logger})
	t.Cleanup(h.Close)
	srv := httptest.NewServer(rest.New(rest.Config{Models: svc, Apps: svc, Entities: svc, Auth: svc, Logger: logger, RPC: h}))
	t.Cleanup(srv.Close)
	e := &env{t: t, srv: srv, svc: svc, tokens: map[string]string{}, sys: torque.WithActor(ctx, torque.SystemActor)}
	m, err := torque.ParseModel(todo.Model)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateModel(e.sys, m); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateApp(e.sys, "todo", m.Name); err != nil {
		t.Fatal(err)
	}
	for who, role := range map[string]torque.Role{"admin": "", "viewer": torque.RoleViewer, "member": torque.RoleMember} {
		email := who + "@example.com"
		if _, err := svc.CreateUser(e.sys, email, "password-of-"+who, who == "admin"); err != nil {
			t.Fatal(err)
		}
		if role != "" {
			if _, err := svc.SetMember(e.sys, "todo", email, role); err != nil {
				t.Fatal(err)
			}
		}
		tok, err := svc.CreateUserToken(e.sys, email, "t", 0)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[who] = tok.Secret
	}
	return e
}

// post sends body to POST /rpc as who and returns the status and body.
func (e *env) post(who, body string) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/rpc", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[who])
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// response is one JSON-RPC response.
type response struct {
	ID     json.RawMessage `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
		Data    struct {
			Code   string            `json:"code"`
			Fields map[string]string `json:"fields"`
		} `json:"data"`
	} `json:"error"`
}

// call calls method with params as who over POST and returns the response.
func (e *env) call(who, method string, params any) response {
	e.t.Helper()
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	status, body := e.post(who, string(b))
	if status != http.StatusOK {
		e.t.Fatalf("%s: status %d: %s", method, status, body)
	}
	var r response
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		e.t.Fatalf("%s: %v: %s", method, err, body)
	}
	return r
}

// ok calls method, which must succeed, and decodes its result into v.
func (e *env) ok(who, method string, params, v any) {
	e.t.Helper()
	r := e.call(who, method, params)
	if r.Error != nil {
		e.t.Fatalf("%s: error %d %s %+v", method, r.Error.Code, r.Error.Message, r.Error.Data)
	}
	if v != nil {
		if err := json.Unmarshal(r.Result, v); err != nil {
			e.t.Fatal(err)
		}
	}
}

// fails calls method, which must fail with code (and the torque code).
func (e *env) fails(who, method string, params any, code int, torqueCode string) response {
	e.t.Helper()
	r := e.call(who, method, params)
	if r.Error == nil || r.Error.Code != code || r.Error.Data.Code != torqueCode {
		e.t.Fatalf("%s: got %s / %+v, want error %d %s", method, r.Result, r.Error, code, torqueCode)
	}
	return r
}

func (e *env) tasks() int {
	e.t.Helper()
	page, err := e.svc.Entities(e.sys, "todo", "Task", torque.EntityQuery{Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	return len(page.Items)
}

func TestLoadPage(t *testing.T) {
	e := newEnv(t)
	var res rpc.PageResult
	e.ok("viewer", "loadPage", map[string]any{"app": "todo", "page": "Tasks"}, &res)
	if res.App != "todo" || res.Model != "TODO" || res.Version != 1 || res.Page == nil || res.Page.Name != "Tasks" || res.Page.Route != "/tasks" {
		t.Fatalf("loadPage = %+v", res)
	}
	if r := res.Rights["Task"]; r.Read != torque.GrantAll || r.Create != torque.GrantNone || r.Delete != torque.GrantNone {
		t.Fatalf("a viewer's rights on Task: %+v", r)
	}
	var member rpc.PageResult
	e.ok("member", "loadPage", map[string]any{"app": "todo"}, &member)
	if r := member.Rights["Task"]; r.Read != torque.GrantAll || r.Create != torque.GrantAll {
		t.Fatalf("a member's rights on Task: %+v", r)
	}
	ids := map[string]string{}
	for _, c := range res.Page.Components {
		ids[c.ID] = c.Type
	}
	if ids["new-task"] != "Button" || ids["tasks-grid"] != "DataGrid" || ids["task-form"] != "Modal" {
		t.Fatalf("components %v", ids)
	}
	var byRoute rpc.PageResult
	e.ok("viewer", "loadPage", map[string]any{"app": "todo", "page": "/tasks"}, &byRoute)
	if byRoute.Page == nil || byRoute.Page.Name != "Tasks" {
		t.Fatalf("by route: %+v", byRoute.Page)
	}
	var first rpc.PageResult
	e.ok("viewer", "loadPage", map[string]any{"app": "todo"}, &first)
	if first.Page == nil || first.Page.Name != "Tasks" || len(first.Pages) == 0 {
		t.Fatalf("first page: %+v", first)
	}

	r := e.fails("viewer", "loadPage", map[string]any{"app": "todo", "page": "Nope"}, -32004, torque.ENOTFOUND)
	if r.Error.Data.Fields["page"] == "" {
		t.Errorf("no field named: %+v", r.Error.Data)
	}
	e.fails("viewer", "loadPage", map[string]any{"app": "nope"}, -32004, torque.ENOTFOUND)
	r = e.fails("viewer", "loadPage", map[string]any{"app": 5, "extra": true}, -32602, "")
	_ = r
}

func TestLoadPageOfAnEntity(t *testing.T) {
	e := newEnv(t)
	var task torque.Entity
	e.ok("member", "createEntity", map[string]any{"app": "todo", "entity": "Task",
		"data": map[string]any{"title": "Write the docs"}}, &task)
	tests := []struct {
		name       string
		page       string
		wantPage   string
		wantParams map[string]string
		wantCode   string
	}{
		{name: "a path with a task's id", page: "/tasks/" + task.ID, wantPage: "Task details", wantParams: map[string]string{"id": task.ID}},
		{name: "an id of no task still finds the page", page: "/tasks/nope", wantPage: "Task details", wantParams: map[string]string{"id": "nope"}},
		{name: "the page by name, without params", page: "Task details", wantPage: "Task details"},
		{name: "a static route", page: "/tasks", wantPage: "Tasks"},
		{name: "the first page is never one of an entity", page: "", wantPage: "Tasks"},
		{name: "a path with one segment too many", page: "/tasks/a/b", wantCode: torque.ENOTFOUND},
		{name: "a path without the id", page: "/tasks/", wantCode: torque.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params := map[string]any{"app": "todo"}
			if tt.page != "" {
				params["page"] = tt.page
			}
			if tt.wantCode != "" {
				e.fails("viewer", "loadPage", params, -32004, tt.wantCode)
				return
			}
			var res rpc.PageResult
			e.ok("viewer", "loadPage", params, &res)
			if res.Page == nil || res.Page.Name != tt.wantPage || !maps.Equal(res.Params, tt.wantParams) {
				t.Fatalf("got page %+v params %v, want %q %v", res.Page, res.Params, tt.wantPage, tt.wantParams)
			}
		})
	}

	t.Run("the links name the detail page and its entity type", func(t *testing.T) {
		var res rpc.PageResult
		e.ok("viewer", "loadPage", map[string]any{"app": "todo"}, &res)
		want := []rpc.PageLink{{Name: "Tasks", Route: "/tasks", Title: "Tasks"}, {Name: "Task details", Route: "/tasks/{id}", Title: "Task", Entity: "Task"}}
		if !slices.Equal(res.Pages, want) {
			t.Errorf("got links %+v, want %+v", res.Pages, want)
		}
		grid := res.Page.Components[1]
		if a := grid.Actions["onRowClick"]; a.Type != "navigateTo" || a.Page != "Task details" {
			t.Errorf("got the grid's onRowClick %+v, want navigateTo Task details", a)
		}
	})

	t.Run("the params of loadPage in JSON", func(t *testing.T) {
		r := e.call("viewer", "loadPage", map[string]any{"app": "todo", "page": "/tasks/" + task.ID})
		if want := `"params":{"id":"` + task.ID + `"}`; !strings.Contains(string(r.Result), want) {
			t.Errorf("got %s, want it to hold %s", r.Result, want)
		}
		r = e.call("viewer", "loadPage", map[string]any{"app": "todo", "page": "/tasks"})
		if strings.Contains(string(r.Result), `"params"`) {
			t.Errorf("got params for a route without any: %s", r.Result)
		}
	})
}

func TestEntityMethods(t *testing.T) {
	e := newEnv(t)
	var created torque.Entity
	e.ok("member", "createEntity", map[string]any{"app": "todo", "entity": "Task",
		"data": map[string]any{"title": "Write the docs", "status": "todo", "priority": 4, "due": "2026-12-01"}}, &created)
	if created.ID == "" || created.Version != 1 {
		t.Fatalf("created %+v", created)
	}
	e.ok("member", "createEntity", map[string]any{"app": "todo", "entity": "Task",
		"data": map[string]any{"title": "Ship it", "status": "doing", "priority": 2, "due": "2026-11-30"}}, nil)

	// Bad input is refused with the field named, and nothing is written.
	r := e.fails("member", "createEntity", map[string]any{"app": "todo", "entity": "Task",
		"data": map[string]any{"title": strings.Repeat("x", 300)}}, -32602, torque.EINVALID)
	if r.Error.Data.Fields["title"] == "" {
		t.Errorf("fields %v, want title", r.Error.Data.Fields)
	}
	e.fails("viewer", "createEntity", map[string]any{"app": "todo", "entity": "Task", "data": map[string]any{"title": "x"}}, -32003, torque.EFORBIDDEN)
	if n := e.tasks(); n != 2 {
		t.Fatalf("%d tasks, want 2", n)
	}

	var page torque.EntityPage
	e.ok("viewer", "loadEntityData", map[string]any{"app": "todo", "entity": "Task", "sort": "due", "limit": 1, "count": true}, &page)
	if len(page.Items) != 1 || page.NextCursor == "" || page.Total == nil || *page.Total != 2 {
		t.Fatalf("page %+v", page)
	}
	var searched torque.EntityPage
	e.ok("viewer", "loadEntityData", map[string]any{"app": "todo", "entity": "Task", "search": "DOCS", "filter": `status = "todo"`}, &searched)
	if len(searched.Items) != 1 || searched.Items[0].ID != created.ID {
		t.Fatalf("search found %d items", len(searched.Items))
	}
	e.fails("viewer", "loadEntityData", map[string]any{"app": "todo", "entity": "Task", "filter": "nope ="}, -32602, torque.EINVALID)

	var form rpc.FormResult
	e.ok("viewer", "getFormDefinition", map[string]any{"app": "todo", "entity": "Task", "id": created.ID}, &form)
	if form.Form == nil || len(form.Form.Fields) != 5 || form.Entity == nil || form.Entity.ID != created.ID {
		t.Fatalf("form %+v", form)
	}

	var updated torque.Entity
	e.ok("member", "updateEntity", map[string]any{"app": "todo", "entity": "Task", "id": created.ID, "version": 1, "data": map[string]any{"status": "done"}}, &updated)
	if updated.Version != 2 {
		t.Fatalf("updated %+v", updated)
	}
	e.fails("member", "updateEntity", map[string]any{"app": "todo", "entity": "Task", "id": created.ID, "version": 1, "data": map[string]any{"status": "todo"}}, -32009, torque.ECONFLICT)
	e.ok("member", "deleteEntity", map[string]any{"app": "todo", "entity": "Task", "id": created.ID}, nil)
	e.fails("member", "deleteEntity", map[string]any{"app": "todo", "entity": "Task", "id": created.ID}, -32004, torque.ENOTFOUND)
}

func TestHTTPTransport(t *testing.T) {
	e := newEnv(t)
	if status, _ := e.post("", `{"jsonrpc": "2.0", "id": 1, "method": "loadPage", "params": {"app": "todo"}}`); status != http.StatusUnauthorized {
		t.Fatalf("anonymous: status %d, want 401", status)
	}
	status, body := e.post("viewer", `[
		{"jsonrpc": "2.0", "id": "a", "method": "loadPage", "params": {"app": "todo"}},
		{"jsonrpc": "2.0", "id": "b", "method": "loadEntityData", "params": {"app": "todo", "entity": "Task"}},
		{"jsonrpc": "2.0", "method": "loadPage", "params": {"app": "todo"}},
		{"jsonrpc": "2.0", "id": "c", "method": "nope"}]`)
	var batch []response
	if err := json.Unmarshal([]byte(body), &batch); status != http.StatusOK || err != nil || len(batch) != 3 {
		t.Fatalf("batch: status %d, %v: %s", status, err, body)
	}
	for _, r := range batch {
		if string(r.ID) == `"c"` && (r.Error == nil || r.Error.Code != -32601) {
			t.Errorf("unknown method: %+v", r.Error)
		}
		if string(r.ID) != `"c"` && r.Error != nil {
			t.Errorf("%s: %+v", r.ID, r.Error)
		}
	}
	r := e.call("viewer", "subscribe", map[string]any{"app": "todo"})
	if r.Error == nil || r.Error.Code != -32601 {
		t.Fatalf("subscribe over HTTP: %+v", r.Error)
	}
}

// wsClient speaks JSON-RPC over /rpc/ws.
type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
	next int
	// pending notifications read while waiting for a response
	notes []map[string]json.RawMessage
}

func (e *env) dial(t *testing.T, who string) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h := http.Header{}
	h.Set("Authorization", "Bearer "+e.tokens[who])
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(e.srv.URL, "http")+"/rpc/ws", &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.CloseNow() })
	return &wsClient{t: t, conn: c}
}

func (c *wsClient) read() map[string]json.RawMessage {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, b, err := c.conn.Read(ctx)
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		c.t.Fatal(err)
	}
	return m
}

// call sends a request and returns its response, keeping notifications
// that arrive first.
func (c *wsClient) call(method string, params any) map[string]json.RawMessage {
	c.t.Helper()
	c.next++
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": c.next, "method": method, "params": params})
	if err := c.conn.Write(context.Background(), websocket.MessageText, b); err != nil {
		c.t.Fatal(err)
	}
	for {
		m := c.read()
		if _, ok := m["id"]; ok {
			return m
		}
		c.notes = append(c.notes, m)
	}
}

// note returns the next notification named method, skipping none.
func (c *wsClient) note(method string) json.RawMessage {
	c.t.Helper()
	var m map[string]json.RawMessage
	if len(c.notes) > 0 {
		m, c.notes = c.notes[0], c.notes[1:]
	} else {
		m = c.read()
	}
	if string(m["method"]) != `"`+method+`"` {
		c.t.Fatalf("got %s %s, want notification %s", m["method"], m["params"], method)
	}
	return m["params"]
}

func TestLivePage(t *testing.T) {
	e := newEnv(t)
	c := e.dial(t, "member")
	res := c.call("subscribe", map[string]any{"app": "todo", "page": "Tasks"})
	var sub rpc.Subscribed
	if err := json.Unmarshal(res["result"], &sub); err != nil || sub.Subscription == "" || sub.Page == nil || sub.Version != 1 {
		t.Fatalf("subscribe: %s %s", res["result"], res["error"])
	}

	// Data: a task made through another API reaches the page.
	task, err := e.svc.CreateEntity(e.sys, "todo", "Task", json.RawMessage(`{"title": "from elsewhere"}`))
	if err != nil {
		t.Fatal(err)
	}
	var data rpc.DataChanged
	if err := json.Unmarshal(c.note("dataChanged"), &data); err != nil || data.ID != task.ID || data.Kind != service.KindEntityCreated || data.Subscription != sub.Subscription {
		t.Fatalf("dataChanged %+v (%v)", data, err)
	}

	// Model: a field added to Task reaches the page with the new layout.
	m, _ := e.svc.Model(e.sys, "TODO")
	if _, err := e.svc.EditModel(e.sys, "TODO", m.Version, []torque.ModelEdit{{Op: torque.EditAddField, Entity: "Task",
		Value: json.RawMessage(`{"name": "tags", "type": "string"}`)}}); err != nil {
		t.Fatal(err)
	}
	var changed rpc.Subscribed
	if err := json.Unmarshal(c.note("pageChanged"), &changed); err != nil || changed.Version != 2 || changed.Page == nil || changed.Page.Name != "Tasks" {
		t.Fatalf("pageChanged %+v (%v)", changed, err)
	}

	res = c.call("unsubscribe", map[string]any{"subscription": sub.Subscription})
	if res["error"] != nil {
		t.Fatalf("unsubscribe: %s", res["error"])
	}
	if _, err := e.svc.CreateEntity(e.sys, "todo", "Task", json.RawMessage(`{"title": "unheard"}`)); err != nil {
		t.Fatal(err)
	}
	res = c.call("unsubscribe", map[string]any{"subscription": sub.Subscription})
	if !bytes.Contains(res["error"], []byte(`"ENOTFOUND"`)) || len(c.notes) != 0 {
		t.Fatalf("second unsubscribe: %s, notes %v", res["error"], c.notes)
	}
}

func TestSubscriptionEndsWithTheRole(t *testing.T) {
	e := newEnv(t)
	c := e.dial(t, "member")
	res := c.call("subscribe", map[string]any{"app": "todo", "page": "Tasks"})
	if res["error"] != nil {
		t.Fatal(string(res["error"]))
	}
	users, err := e.svc.Users(e.sys)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Email == "member@example.com" {
			if err := e.svc.RemoveMember(e.sys, "todo", u.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	var ended rpc.Ended
	if err := json.Unmarshal(c.note("subscriptionEnded"), &ended); err != nil || ended.Reason != torque.ENOTFOUND {
		t.Fatalf("ended %+v (%v)", ended, err)
	}
}

// A page hears the data changes of the types it refers to, whose names it
// shows: a project renamed renames it on the tasks' page.
func TestLivePageHearsReferencedTypes(t *testing.T) {
	e := newEnv(t)
	m, err := e.svc.Model(e.sys, "TODO")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.EditModel(e.sys, "TODO", m.Version, []torque.ModelEdit{
		{Op: torque.EditAddEntity, Value: json.RawMessage(`{"name": "Project", "fields": [{"name": "name", "type": "string"}]}`)},
		{Op: torque.EditAddRelationship, Value: json.RawMessage(`{"name": "projectTasks", "kind": "one-to-many", "from": "Project", "to": "Task", "fromField": "tasks", "toField": "project"}`)},
	}); err != nil {
		t.Fatal(err)
	}
	c := e.dial(t, "member")
	res := c.call("subscribe", map[string]any{"app": "todo", "page": "Tasks"})
	var sub rpc.Subscribed
	if err := json.Unmarshal(res["result"], &sub); err != nil || sub.Subscription == "" {
		t.Fatalf("subscribe: %s %s", res["result"], res["error"])
	}
	project, err := e.svc.CreateEntity(e.sys, "todo", "Project", json.RawMessage(`{"name": "Launch"}`))
	if err != nil {
		t.Fatal(err)
	}
	var data rpc.DataChanged
	if err := json.Unmarshal(c.note("dataChanged"), &data); err != nil || data.ID != project.ID || data.Type != "Project" {
		t.Fatalf("dataChanged %+v (%v)", data, err)
	}
}
