package rest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/torquehq/torque"
)

// persona is one kind of caller of the permission matrix.
type persona struct {
	name  string
	email string // "" for anonymous
}

// The personas of the matrix, in the column order of matrixRow.want: no
// credentials; viewer, member, editor and owner of the app todo; a platform
// admin; and the owner of another app (notes, of another model).
var personas = []persona{
	{"anonymous", ""},
	{"viewer", "viewer@example.com"},
	{"member", "member@example.com"},
	{"editor", "editor@example.com"},
	{"owner", "owner@example.com"},
	{"admin", "admin@example.com"},
	{"outsider", "outsider@example.com"},
}

const notesModel = `{"name": "Notes", "version": 1, "entities": [{"name": "Note", "fields": [{"name": "text", "type": "string"}]}]}`

// accessEnv is an env with a user per persona, each with an API token.
type accessEnv struct {
	*env
	tokens map[string]string // by persona name
	users  map[string]string // user id by persona name
	n      int               // makes fixture names unique
}

func newAccessEnv(t *testing.T) *accessEnv {
	t.Helper()
	e := &accessEnv{env: newEnv(t), tokens: map[string]string{}, users: map[string]string{}}
	e.seedTODO()
	e.must("POST", "/api/v1/models", notesModel, 201)
	e.must("POST", "/api/v1/apps", `{"name": "notes", "model": "Notes"}`, 201)
	ctx := torque.WithActor(context.Background(), torque.SystemActor)
	for _, p := range personas[1:] {
		if p.name != "admin" {
			u := e.must("POST", "/api/v1/users", fmt.Sprintf(`{"email": %q, "password": "password-of-%s"}`, p.email, p.name), 201)
			e.users[p.name] = u["id"].(string)
		}
		tok, err := e.svc.CreateUserToken(ctx, p.email, "matrix", 0)
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[p.name] = tok.Secret
	}
	e.users["admin"] = e.must("GET", "/api/v1/auth/me", "", 200)["id"].(string)
	for _, role := range []string{"viewer", "member", "editor", "owner"} {
		e.must("POST", "/api/v1/apps/todo/members", fmt.Sprintf(`{"email": "%s@example.com", "role": %q}`, role, role), 200)
	}
	e.must("POST", "/api/v1/apps/notes/members", `{"email": "outsider@example.com", "role": "owner"}`, 200)
	e.must("POST", "/api/v1/users", `{"email": "spare@example.com", "password": "password-of-spare"}`, 201)
	return e
}

// as returns the headers that make a request act for persona p.
func (e *accessEnv) as(p persona) map[string]string {
	if p.email == "" {
		return map[string]string{"Authorization": ""}
	}
	return map[string]string{"Authorization": "Bearer " + e.tokens[p.name]}
}

// matrixRow is one endpoint of the matrix: before each attempt, setup (run
// as admin) may make fixtures and save their ids for the url and body.
type matrixRow struct {
	method, url, body string
	setup             func(e *accessEnv)
	want              [7]int // statuses for personas, in order
}

// TestPermissionMatrix sends every REST endpoint as every persona and checks
// the exact status; refusals must change nothing.
func TestPermissionMatrix(t *testing.T) {
	e := newAccessEnv(t)
	task := func(e *accessEnv) { e.create("task", "Task", `{"title": "fixture"}`) }
	project := func(e *accessEnv) {
		e.create("project", "Project", `{"name": "fixture"}`)
		e.create("task", "Task", `{"title": "fixture", "project": "{{project}}"}`)
	}
	tag := func(e *accessEnv) {
		e.create("task", "Task", `{"title": "fixture"}`)
		e.n++
		e.ids["n"] = fmt.Sprint(e.n)
		e.create("tag", "Tag", `{"label": "fixture-{{n}}"}`)
	}
	linked := func(e *accessEnv) {
		tag(e)
		e.must("POST", "/api/v1/apps/todo/entities/Task/{{task}}/related/tags", `{"id": "{{tag}}"}`, 204)
	}
	todoVersion := func(e *accessEnv) {
		m := e.must("GET", "/api/v1/models/TODO", "", 200)
		e.ids["version"] = fmt.Sprint(m["version"])
	}
	tmpModel := func(e *accessEnv) {
		e.n++
		e.ids["model"] = fmt.Sprintf("Tmp%d", e.n)
		e.must("POST", "/api/v1/models", fmt.Sprintf(`{"name": "Tmp%d", "version": 1, "entities": []}`, e.n), 201)
	}
	tmpApp := func(e *accessEnv) {
		e.n++
		e.ids["app"] = fmt.Sprintf("tmp-%d", e.n)
		e.must("POST", "/api/v1/apps", fmt.Sprintf(`{"name": "tmp-%d", "model": "TODO"}`, e.n), 201)
		for _, role := range []string{"viewer", "member", "editor", "owner"} {
			e.must("POST", "/api/v1/apps/{{app}}/members", fmt.Sprintf(`{"email": "%s@example.com", "role": %q}`, role, role), 200)
		}
	}
	unique := func(e *accessEnv) { e.n++; e.ids["n"] = fmt.Sprint(e.n) }
	spareMember := func(e *accessEnv) {
		m := e.must("POST", "/api/v1/apps/todo/members", `{"email": "spare@example.com", "role": "viewer"}`, 200)
		e.ids["spare"] = m["userId"].(string)
	}
	spareToken := func(e *accessEnv) {
		tok, err := e.svc.CreateUserToken(torque.WithActor(context.Background(), torque.SystemActor), "spare@example.com", "fixture", 0)
		if err != nil {
			e.t.Fatal(err)
		}
		e.ids["token"] = tok.ID
	}
	spareUser := func(e *accessEnv) {
		for _, u := range e.must("GET", "/api/v1/users", "", 200)["items"].([]any) {
			if u := u.(map[string]any); u["email"] == "spare@example.com" {
				e.ids["spare"] = u["id"].(string)
			}
		}
	}

	const (
		ents = "/api/v1/apps/todo/entities/"
		u    = 401 // every non-public route, anonymously
	)
	//                                                                          anon viewer member editor owner admin outsider
	rows := []matrixRow{
		{"GET", "/api/v1/models", "", nil, [7]int{u, 200, 200, 200, 200, 200, 200}},
		{"POST", "/api/v1/models", `{"name": "New{{n}}", "version": 1}`, unique, [7]int{u, 403, 403, 403, 403, 201, 403}},
		{"GET", "/api/v1/models/TODO", "", nil, [7]int{u, 200, 200, 200, 200, 200, 404}},
		{"GET", "/api/v1/models/TODO/versions", "", nil, [7]int{u, 200, 200, 200, 200, 200, 404}},
		{"PUT", "/api/v1/models/TODO", "", todoVersion, [7]int{u, 403, 403, 200, 200, 200, 404}},
		{"DELETE", "/api/v1/models/{{model}}", "", tmpModel, [7]int{u, 404, 404, 404, 404, 204, 404}},
		{"DELETE", "/api/v1/models/TODO", "", nil, [7]int{u, 403, 403, 403, 403, 409, 404}},

		{"GET", "/api/v1/apps", "", nil, [7]int{u, 200, 200, 200, 200, 200, 200}},
		{"POST", "/api/v1/apps", `{"name": "new-{{n}}", "model": "TODO"}`, unique, [7]int{u, 403, 403, 403, 403, 201, 403}},
		{"GET", "/api/v1/apps/todo", "", nil, [7]int{u, 200, 200, 200, 200, 200, 404}},
		{"DELETE", "/api/v1/apps/{{app}}", "", tmpApp, [7]int{u, 403, 403, 403, 204, 204, 404}},

		{"GET", ents + "Task", "", nil, [7]int{u, 200, 200, 200, 200, 200, 404}},
		{"POST", ents + "Task", `{"data": {"title": "new"}}`, nil, [7]int{u, 403, 201, 201, 201, 201, 404}},
		{"GET", ents + "Task/{{task}}", "", task, [7]int{u, 200, 200, 200, 200, 200, 404}},
		{"PATCH", ents + "Task/{{task}}", `{"version": 1, "data": {"title": "changed"}}`, task, [7]int{u, 403, 200, 200, 200, 200, 404}},
		{"DELETE", ents + "Task/{{task}}", "", task, [7]int{u, 403, 204, 204, 204, 204, 404}},
		{"GET", ents + "Project/{{project}}/related/tasks", "", project, [7]int{u, 200, 200, 200, 200, 200, 404}},
		{"POST", ents + "Task/{{task}}/related/tags", `{"id": "{{tag}}"}`, tag, [7]int{u, 403, 204, 204, 204, 204, 404}},
		{"DELETE", ents + "Task/{{task}}/related/tags/{{tag}}", "", linked, [7]int{u, 403, 204, 204, 204, 204, 404}},

		{"GET", "/api/v1/apps/todo/members", "", nil, [7]int{u, 403, 403, 403, 200, 200, 404}},
		{"POST", "/api/v1/apps/todo/members", `{"email": "spare@example.com", "role": "member"}`, nil, [7]int{u, 403, 403, 403, 200, 200, 404}},
		{"DELETE", "/api/v1/apps/todo/members/{{spare}}", "", spareMember, [7]int{u, 403, 403, 403, 204, 204, 404}},

		{"GET", "/api/v1/users", "", nil, [7]int{u, 403, 403, 403, 403, 200, 403}},
		{"POST", "/api/v1/users", `{"email": "user{{n}}@example.com", "password": "long-enough"}`, unique, [7]int{u, 403, 403, 403, 403, 201, 403}},
		{"GET", "/api/v1/users/{{spare}}", "", spareUser, [7]int{u, 404, 404, 404, 404, 200, 404}},
		{"DELETE", "/api/v1/users/{{spare}}/sessions", "", spareUser, [7]int{u, 403, 403, 403, 403, 204, 403}},
		{"GET", "/api/v1/tokens", "", nil, [7]int{u, 200, 200, 200, 200, 200, 200}},
		{"POST", "/api/v1/tokens", `{"name": "mine", "expires": "30d"}`, nil, [7]int{u, 201, 201, 201, 201, 201, 201}},
		{"DELETE", "/api/v1/tokens/{{token}}", "", spareToken, [7]int{u, 404, 404, 404, 404, 204, 404}},
		{"GET", "/api/v1/audit", "", nil, [7]int{u, 403, 403, 403, 403, 200, 403}},

		{"GET", "/api/v1/auth/me", "", nil, [7]int{u, 200, 200, 200, 200, 200, 200}},
		{"PUT", "/api/v1/auth/password", `{"password": "a-new-password"}`, nil, [7]int{u, 204, 204, 204, 204, 204, 204}},
		{"POST", "/api/v1/auth/logout", "", nil, [7]int{204, 204, 204, 204, 204, 204, 204}},
		{"GET", "/api/v1/openapi.json", "", nil, [7]int{u, 200, 200, 200, 200, 200, 200}},
		{"GET", "/metrics", "", nil, [7]int{u, 403, 403, 403, 403, 200, 403}},
		{"GET", "/healthz", "", nil, [7]int{200, 200, 200, 200, 200, 200, 200}},
		{"GET", "/readyz", "", nil, [7]int{200, 200, 200, 200, 200, 200, 200}},
		{"GET", "/nowhere", "", nil, [7]int{u, 404, 404, 404, 404, 404, 404}},
	}
	for _, row := range rows {
		for i, p := range personas {
			if row.setup != nil {
				row.setup(e)
			}
			body := row.body
			if row.method == "PUT" && strings.HasSuffix(row.url, "/TODO") {
				body = strings.Replace(todoModel, `"version": 1`, `"version": `+e.ids["version"], 1)
			}
			e.run([]scenario{{
				name:    fmt.Sprintf("%s %s as %s", row.method, row.url, p.name),
				method:  row.method,
				url:     row.url,
				body:    body,
				headers: e.as(p),
				status:  row.want[i],
			}})
		}
	}
}

// TestListsShowOnlyWhatTheUserMayRead: app and model lists hold only the
// apps the user has a role in and the models of those apps.
func TestListsShowOnlyWhatTheUserMayRead(t *testing.T) {
	e := newAccessEnv(t)
	cases := []struct {
		persona  string
		url      string
		has, not []string
	}{
		{"viewer", "/api/v1/apps", []string{`"name":"todo"`}, []string{`"name":"notes"`}},
		{"outsider", "/api/v1/apps", []string{`"name":"notes"`}, []string{`"name":"todo"`}},
		{"admin", "/api/v1/apps", []string{`"name":"notes"`, `"name":"todo"`}, nil},
		{"member", "/api/v1/models", []string{`"name":"TODO"`}, []string{`"name":"Notes"`}},
		{"outsider", "/api/v1/models", []string{`"name":"Notes"`}, []string{`"name":"TODO"`}},
	}
	for _, c := range cases {
		var p persona
		for _, q := range personas {
			if q.name == c.persona {
				p = q
			}
		}
		e.run([]scenario{{name: c.persona + " lists " + c.url, method: "GET", url: c.url, headers: e.as(p), status: 200, contains: c.has, notContains: c.not}})
	}
}

// TestModelOfSharedAppsNeedsEveryApp: an editor of one app may not change a
// model another app uses too, and is told which app stands in the way.
func TestModelOfSharedAppsNeedsEveryApp(t *testing.T) {
	e := newAccessEnv(t)
	e.must("POST", "/api/v1/apps", `{"name": "todo-copy", "model": "TODO"}`, 201)
	e.run([]scenario{{
		name: "editor of one app of two", method: "PUT", url: "/api/v1/models/TODO", body: todoModel,
		headers: e.as(personas[3]), status: 403, contains: []string{`"code":"EFORBIDDEN"`, "todo-copy"},
	}})
	e.must("POST", "/api/v1/apps/todo-copy/members", `{"email": "editor@example.com", "role": "owner"}`, 200)
	e.run([]scenario{{
		name: "editor or owner of both", method: "PUT", url: "/api/v1/models/TODO", body: todoModel,
		headers: e.as(personas[3]), status: 200, contains: []string{`"version":2`},
	}})
}

const journalModel = `{"name": "Journal", "version": 1, "entities": [
	{"name": "Entry", "fields": [{"name": "text", "type": "string"}],
	 "permissions": {"member": {"read": "own", "update": "own", "delete": false}, "viewer": {"read": false}}},
	{"name": "Shared", "fields": [{"name": "text", "type": "string"}],
	 "permissions": {"member": {"update": "own"}}}
]}`

// TestOwnRecords: a model narrows a role to the records its users created.
func TestOwnRecords(t *testing.T) {
	e := newAccessEnv(t)
	e.must("POST", "/api/v1/models", journalModel, 201)
	e.must("POST", "/api/v1/apps", `{"name": "journal", "model": "Journal"}`, 201)
	for _, m := range []string{`{"email": "member@example.com", "role": "member"}`, `{"email": "owner@example.com", "role": "member"}`,
		`{"email": "viewer@example.com", "role": "viewer"}`, `{"email": "editor@example.com", "role": "editor"}`} {
		e.must("POST", "/api/v1/apps/journal/members", m, 200)
	}
	alice, bob := e.as(personas[2]), e.as(personas[4]) // both members of journal
	create := func(who map[string]string, typ, text, name string) {
		resp, body := e.do("POST", "/api/v1/apps/journal/entities/"+typ, `{"data": {"text": "`+text+`"}}`, who)
		if resp.StatusCode != 201 {
			t.Fatalf("create %s: %d %s", name, resp.StatusCode, body)
		}
		var created struct{ ID string }
		if err := json.Unmarshal([]byte(body), &created); err != nil || created.ID == "" {
			t.Fatalf("create %s: %v: %s", name, err, body)
		}
		e.ids[name] = created.ID
	}
	create(alice, "Entry", "alice's", "a1")
	create(alice, "Entry", "alice's second", "a2")
	create(bob, "Entry", "bob's", "b1")
	create(bob, "Shared", "bob's shared", "s1")
	const entries = "/api/v1/apps/journal/entities/Entry"
	e.run([]scenario{
		{name: "created by is recorded", method: "GET", url: entries + "/{{a1}}", headers: alice, status: 200,
			contains: []string{`"createdBy":"` + e.users["member"] + `"`}},
		{name: "a member lists only their own", method: "GET", url: entries + "?count=true", headers: alice, status: 200,
			contains: []string{"alice's", "alice's second", `"total":2`}, notContains: []string{"bob's"}},
		{name: "the filter cannot widen it", method: "GET", url: entries + "?filter=" + urlQuery(`createdBy = "`+e.users["owner"]+`"`), headers: alice, status: 200,
			contains: []string{`"items":[]`}},
		{name: "someone else's record is not found", method: "GET", url: entries + "/{{b1}}", headers: alice, status: 404},
		{name: "nor can it be changed", method: "PATCH", url: entries + "/{{b1}}", body: `{"version": 1, "data": {"text": "mine now"}}`, headers: alice, status: 404},
		{name: "own records can be changed", method: "PATCH", url: entries + "/{{a1}}", body: `{"version": 1, "data": {"text": "edited"}}`, headers: alice, status: 200},
		{name: "delete is denied even for own", method: "DELETE", url: entries + "/{{a1}}", headers: alice, status: 403},
		{name: "viewers may not read entries at all", method: "GET", url: entries, headers: e.as(personas[1]), status: 403},
		{name: "an editor is not narrowed", method: "GET", url: entries + "?count=true", headers: e.as(personas[3]), status: 200,
			contains: []string{`"total":3`}},
		{name: "shared records are readable", method: "GET", url: "/api/v1/apps/journal/entities/Shared/{{s1}}", headers: alice, status: 200},
		{name: "but others' shared records cannot be changed", method: "PATCH", url: "/api/v1/apps/journal/entities/Shared/{{s1}}",
			body: `{"version": 1, "data": {"text": "mine now"}}`, headers: alice, status: 403, contains: []string{"only the Shared records they created"}},
	})
}

func urlQuery(s string) string {
	return strings.NewReplacer(" ", "%20", `"`, "%22", "=", "%3D").Replace(s)
}

// TestSessions: sign in sets a session cookie that authenticates; writes by
// cookie need our own Origin; logout ends the session.
func TestSessions(t *testing.T) {
	e := newEnv(t)
	e.seedTODO()
	resp, body := e.do("POST", "/api/v1/auth/login", `{"email": "Admin@Example.com", "password": "admin-password"}`, map[string]string{"Authorization": ""})
	if resp.StatusCode != 200 || !strings.Contains(body, `"email":"admin@example.com"`) {
		t.Fatalf("login: %d %s", resp.StatusCode, body)
	}
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "torque_session" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" || cookie.Secure {
		t.Fatalf("session cookie %+v", cookie)
	}
	if strings.Contains(body, cookie.Value) {
		t.Error("the session secret is in the body")
	}
	withCookie := func(extra map[string]string) map[string]string {
		h := map[string]string{"Authorization": "", "Cookie": "torque_session=" + cookie.Value}
		for k, v := range extra {
			h[k] = v
		}
		return h
	}
	origin := e.srv.URL
	e.run([]scenario{
		{name: "cookie reads", method: "GET", url: "/api/v1/auth/me", headers: withCookie(nil), status: 200, contains: []string{`"admin":true`}},
		{name: "cookie write from our origin", method: "POST", url: "/api/v1/apps/todo/entities/Tag", body: `{"data": {"label": "ok"}}`,
			headers: withCookie(map[string]string{"Origin": origin}), status: 201},
		{name: "cookie write from a foreign origin", method: "POST", url: "/api/v1/apps/todo/entities/Tag", body: `{"data": {"label": "evil"}}`,
			headers: withCookie(map[string]string{"Origin": "https://evil.example"}), status: 403, contains: []string{"cross-site request refused"}},
		{name: "cookie write with a foreign referer", method: "DELETE", url: "/api/v1/apps/todo",
			headers: withCookie(map[string]string{"Referer": "https://evil.example/page"}), status: 403},
		{name: "cookie write without origin", method: "POST", url: "/api/v1/apps/todo/entities/Tag", body: `{"data": {"label": "evil"}}`,
			headers: withCookie(nil), status: 403},
		{name: "token writes need no origin", method: "POST", url: "/api/v1/apps/todo/entities/Tag", body: `{"data": {"label": "script"}}`, status: 201},
		{name: "login from a foreign origin", method: "POST", url: "/api/v1/auth/login", body: `{"email": "admin@example.com", "password": "admin-password"}`,
			headers: map[string]string{"Authorization": "", "Origin": "https://evil.example"}, status: 403},
		{name: "malformed cookie", method: "GET", url: "/api/v1/auth/me", headers: map[string]string{"Authorization": "", "Cookie": "torque_session=nonsense"}, status: 401,
			contains: []string{"malformed session cookie"}},
		{name: "logout", method: "POST", url: "/api/v1/auth/logout", headers: withCookie(map[string]string{"Origin": origin}), status: 204},
		{name: "the cookie is dead after logout", method: "GET", url: "/api/v1/auth/me", headers: withCookie(nil), status: 401,
			contains: []string{"session expired or signed out"}},
	})
}

// TestLoginProblems: wrong credentials and malformed sign-ins get clear
// errors and no cookie; repeated failures are throttled.
func TestLoginProblems(t *testing.T) {
	e := newEnv(t)
	anon := map[string]string{"Authorization": ""}
	e.run([]scenario{
		{name: "missing password", method: "POST", url: "/api/v1/auth/login", body: `{"email": "admin@example.com"}`, headers: anon, status: 400,
			contains: []string{`"password":"is required"`}},
		{name: "unknown member", method: "POST", url: "/api/v1/auth/login", body: `{"email": "a@b.c", "password": "x", "remember": true}`, headers: anon, status: 400,
			contains: []string{`"remember":"unknown field"`}},
		{name: "overlong email", method: "POST", url: "/api/v1/auth/login", body: `{"email": "` + strings.Repeat("a", 250) + `@example.com", "password": "x"}`, headers: anon, status: 400,
			contains: []string{`"email":"must be at most 254 characters"`}},
		{name: "unknown email", method: "POST", url: "/api/v1/auth/login", body: `{"email": "nobody@example.com", "password": "whatever1"}`, headers: anon, status: 401,
			contains: []string{"wrong email or password"}},
	})
	for i := 0; i < 5; i++ {
		resp, body := e.do("POST", "/api/v1/auth/login", `{"email": "admin@example.com", "password": "wrong-password"}`, anon)
		if resp.StatusCode != 401 || len(resp.Cookies()) != 0 {
			t.Fatalf("failure %d: %d %s", i+1, resp.StatusCode, body)
		}
	}
	// Past five failures the account waits, even with the right password.
	resp, body := e.do("POST", "/api/v1/auth/login", `{"email": "admin@example.com", "password": "admin-password"}`, anon)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, `"code":"ETHROTTLED"`) || len(resp.Cookies()) != 0 {
		t.Fatalf("after 5 failures: %d Retry-After %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	audit := e.must("GET", "/api/v1/audit?action=auth.login_failed", "", 200)
	if n := len(audit["items"].([]any)); n != 6 {
		t.Errorf("audit has %d failed sign-ins, want 6", n)
	}
}

// TestTokens: a token works until it is revoked, then fails on its very
// next request; its secret is shown once.
func TestTokens(t *testing.T) {
	e := newEnv(t)
	created := e.must("POST", "/api/v1/tokens", `{"name": "ci", "expires": "30d"}`, 201)
	secret, id := created["token"].(string), created["id"].(string)
	if !strings.HasPrefix(secret, "tq_") || created["expiresAt"] == nil {
		t.Fatalf("created %v", created)
	}
	bearer := map[string]string{"Authorization": "Bearer " + secret}
	e.run([]scenario{
		{name: "the new token works", method: "GET", url: "/api/v1/auth/me", headers: bearer, status: 200},
		{name: "the list never shows secrets", method: "GET", url: "/api/v1/tokens", status: 200,
			contains: []string{`"name":"ci"`, `"lastUsedAt":"`}, notContains: []string{secret, `"token"`}},
		{name: "bad expiry", method: "POST", url: "/api/v1/tokens", body: `{"name": "x", "expires": "forever"}`, status: 400,
			contains: []string{`"expires":"must be a number of hours`}},
		{name: "no name", method: "POST", url: "/api/v1/tokens", body: `{"expires": "1d"}`, status: 400, contains: []string{`"name":"is required"`}},
		{name: "revoke", method: "DELETE", url: "/api/v1/tokens/" + id, status: 204},
		{name: "revoked token refused", method: "GET", url: "/api/v1/auth/me", headers: bearer, status: 401, contains: []string{"unknown or revoked API token"}},
		{name: "revoke again", method: "DELETE", url: "/api/v1/tokens/" + id, status: 404},
		{name: "malformed token", method: "GET", url: "/api/v1/auth/me", headers: map[string]string{"Authorization": "Bearer tq_short"}, status: 401,
			contains: []string{"malformed API token"}},
	})
}

// TestMembersBadInput: unknown roles, users and apps change nothing.
func TestMembersBadInput(t *testing.T) {
	e := newAccessEnv(t)
	e.run([]scenario{
		{name: "unknown role", method: "POST", url: "/api/v1/apps/todo/members", body: `{"email": "spare@example.com", "role": "boss"}`, status: 400,
			contains: []string{`"role":"must be one of owner, editor, member, viewer, not \"boss\""`}},
		{name: "unknown user", method: "POST", url: "/api/v1/apps/todo/members", body: `{"email": "ghost@example.com", "role": "viewer"}`, status: 400,
			contains: []string{`"email":"no user with email \"ghost@example.com\""`}},
		{name: "unknown app", method: "POST", url: "/api/v1/apps/ghost/members", body: `{"email": "spare@example.com", "role": "viewer"}`, status: 404,
			contains: []string{`app \"ghost\" not found`}},
		{name: "remove a non-member", method: "DELETE", url: "/api/v1/apps/todo/members/" + e.users["outsider"], status: 404},
		{name: "user with a short password", method: "POST", url: "/api/v1/users", body: `{"email": "new@example.com", "password": "short"}`, status: 400,
			contains: []string{`"password":"must be at least 8 characters"`}},
		{name: "user with a bad email", method: "POST", url: "/api/v1/users", body: `{"email": "not-an-email", "password": "long-enough"}`, status: 400,
			contains: []string{`"email":"must be an email address"`}},
		{name: "duplicate user", method: "POST", url: "/api/v1/users", body: `{"email": "SPARE@example.com", "password": "long-enough"}`, status: 409},
	})
	// A role change takes effect at once.
	e.must("POST", "/api/v1/apps/todo/members", `{"email": "viewer@example.com", "role": "member"}`, 200)
	e.run([]scenario{{name: "promoted viewer writes", method: "POST", url: "/api/v1/apps/todo/entities/Tag", body: `{"data": {"label": "now"}}`,
		headers: e.as(personas[1]), status: 201}})
	e.must("DELETE", "/api/v1/apps/todo/members/"+e.users["viewer"], "", 204)
	e.run([]scenario{{name: "removed member loses the app", method: "GET", url: "/api/v1/apps/todo", headers: e.as(personas[1]), status: 404}})
}

// TestPasswordsNeverShown: no answer and no log line (at debug level) holds
// a password, whatever happens to it.
func TestPasswordsNeverShown(t *testing.T) {
	var logs bytes.Buffer
	e := newEnvLogging(t, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	const first, second, wrong = "first-secret-pw", "second-secret-pw", "wrong-secret-pw"
	var bodies []string
	keep := func(_ *http.Response, body string) { bodies = append(bodies, body) }
	keep(e.do("POST", "/api/v1/users", `{"email": "pat@example.com", "password": "`+first+`"}`, nil))
	keep(e.do("POST", "/api/v1/auth/login", `{"email": "pat@example.com", "password": "`+wrong+`"}`, map[string]string{"Authorization": ""}))
	keep(e.do("POST", "/api/v1/auth/login", `{"email": "pat@example.com", "password": "`+first+`"}`, map[string]string{"Authorization": ""}))
	keep(e.do("POST", "/api/v1/users", `{"email": "bad", "password": "`+first+`"}`, nil))
	keep(e.do("GET", "/api/v1/users", "", nil))
	keep(e.do("GET", "/api/v1/audit", "", nil))
	tok, err := e.svc.CreateUserToken(torque.WithActor(context.Background(), torque.SystemActor), "pat@example.com", "pat", 0)
	if err != nil {
		t.Fatal(err)
	}
	keep(e.do("PUT", "/api/v1/auth/password", `{"password": "`+second+`"}`, map[string]string{"Authorization": "Bearer " + tok.Secret}))
	keep(e.do("GET", "/api/v1/audit", "", nil))
	if !strings.Contains(strings.Join(bodies, "\n"), "auth.login_failed") {
		t.Fatalf("the audit log lacks the failed sign-in: %v", bodies)
	}
	for _, pw := range []string{first, second, wrong} {
		for _, b := range bodies {
			if strings.Contains(b, pw) {
				t.Errorf("an answer holds a password: %s", b)
			}
		}
		if strings.Contains(logs.String(), pw) {
			t.Errorf("the log holds a password: %s", logs.String())
		}
	}
}
