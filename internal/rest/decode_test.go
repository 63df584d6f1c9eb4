package rest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/torquehq/torque"
)

func TestDecodeMembers(t *testing.T) {
	cases := []struct {
		name    string
		body    string
		code    string
		message string            // substring of the message
		fields  map[string]string // exact
	}{
		{name: "ok", body: `{"version": 3, "data": {"title": "x"}}`},
		{name: "null data counts as absent", body: `{"version": 3, "data": null}`,
			code: torque.EINVALID, fields: map[string]string{"data": "is required"}},
		{name: "empty body", body: ``, code: torque.EINVALID, message: "request body is empty"},
		{name: "blank body", body: " \n\t", code: torque.EINVALID, message: "request body is empty"},
		{name: "syntax error offset", body: `{"version": 3, "data": }`, code: torque.EINVALID, message: "invalid JSON at offset 23"},
		{name: "offset counts leading space", body: `   {"version": x}`, code: torque.EINVALID, message: "invalid JSON at offset 15"},
		{name: "truncated", body: `{"version": 3, "data": {"title": "x"`, code: torque.EINVALID, message: "invalid JSON at offset 36: unexpected end"},
		{name: "trailing data", body: `{"version": 3, "data": {}} {}`, code: torque.EINVALID, message: "invalid JSON at offset 27"},
		{name: "array body", body: `[1, 2]`, code: torque.EINVALID, message: "body must be a JSON object"},
		{name: "string body", body: `"hello"`, code: torque.EINVALID, message: "body must be a JSON object"},
		{name: "null body", body: `null`, code: torque.EINVALID, message: "body must be a JSON object"},
		{name: "missing version", body: `{"data": {}}`, code: torque.EINVALID,
			fields: map[string]string{"version": "is required"}},
		{name: "version of the wrong type", body: `{"version": "3", "data": {}}`, code: torque.EINVALID,
			fields: map[string]string{"version": "must be a positive integer"}},
		{name: "fractional version", body: `{"version": 1.5, "data": {}}`, code: torque.EINVALID,
			fields: map[string]string{"version": "must be a positive integer"}},
		{name: "zero version", body: `{"version": 0, "data": {}}`, code: torque.EINVALID,
			fields: map[string]string{"version": "must be a positive integer"}},
		{name: "data not an object", body: `{"version": 1, "data": [1]}`, code: torque.EINVALID,
			fields: map[string]string{"data": "must be a JSON object"}},
		{name: "unknown member and wrong type together", body: `{"version": true, "data": {}, "colour": "red"}`, code: torque.EINVALID,
			fields: map[string]string{"version": "must be a positive integer", "colour": "unknown field"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var version int64
			var data json.RawMessage
			err := decodeMembers([]byte(c.body), versionMember("version", &version), objectMember("data", &data, true))
			if c.code == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if version != 3 || string(data) != `{"title": "x"}` {
					t.Errorf("decoded version %d data %s", version, data)
				}
				return
			}
			if got := torque.ErrorCode(err); got != c.code {
				t.Fatalf("code %q (%v), want %q", got, err, c.code)
			}
			if !strings.Contains(torque.ErrorMessage(err), c.message) {
				t.Errorf("message %q lacks %q", torque.ErrorMessage(err), c.message)
			}
			if c.fields != nil && fmt.Sprint(torque.ErrorFields(err)) != fmt.Sprint(c.fields) {
				t.Errorf("fields %v, want %v", torque.ErrorFields(err), c.fields)
			}
		})
	}
}

func TestStringMember(t *testing.T) {
	var name, model string
	err := decodeMembers([]byte(`{"name": 5}`), stringMember("name", &name, true), stringMember("model", &model, true))
	want := map[string]string{"name": "must be a string", "model": "is required"}
	if fmt.Sprint(torque.ErrorFields(err)) != fmt.Sprint(want) {
		t.Errorf("fields %v, want %v", torque.ErrorFields(err), want)
	}
}

func TestReadBody(t *testing.T) {
	cases := []struct {
		name        string
		contentType string
		body        string
		chunked     bool // no Content-Length: the limit is met while reading
		code        string
	}{
		{name: "no content type", body: `{}`},
		{name: "json", contentType: "application/json", body: `{}`},
		{name: "json with charset", contentType: "application/json; charset=utf-8", body: `{}`},
		{name: "json, odd case", contentType: "Application/JSON", body: `{}`},
		{name: "text", contentType: "text/plain", body: `{}`, code: codeMediaType},
		{name: "form", contentType: "application/x-www-form-urlencoded", body: `a=b`, code: codeMediaType},
		{name: "malformed content type", contentType: "application/json; ===", body: `{}`, code: codeMediaType},
		{name: "at the limit", body: strings.Repeat(" ", 62) + "{}"},
		{name: "over the limit", body: strings.Repeat(" ", 63) + "{}", code: torque.ETOOLARGE},
		{name: "over the limit, chunked", body: strings.Repeat(" ", 63) + "{}", chunked: true, code: torque.ETOOLARGE},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/x", strings.NewReader(c.body))
			if c.chunked {
				r.ContentLength = -1
			}
			if c.contentType != "" {
				r.Header.Set("Content-Type", c.contentType)
			}
			b, err := readBody(httptest.NewRecorder(), r, 64)
			if got := torque.ErrorCode(err); got != c.code {
				t.Fatalf("code %q (%v), want %q", got, err, c.code)
			}
			if err == nil && string(b) != c.body {
				t.Errorf("read %q", b)
			}
		})
	}
}

func TestCheckQuery(t *testing.T) {
	cases := []struct {
		query  string
		fields map[string]string
		code   string
	}{
		{query: "limit=5&filter=x"},
		{query: "limit=5&colour=red", code: torque.EINVALID, fields: map[string]string{"colour": "unknown parameter; allowed: filter, sort, limit, cursor, count, include"}},
		{query: "limit=5&limit=6", code: torque.EINVALID, fields: map[string]string{"limit": "must be given once"}},
		{query: "filter=%zz", code: torque.EINVALID},
	}
	for _, c := range cases {
		_, err := checkQuery(c.query, listParams)
		if got := torque.ErrorCode(err); got != c.code {
			t.Errorf("%s: code %q (%v), want %q", c.query, got, err, c.code)
		}
		if c.fields != nil && fmt.Sprint(torque.ErrorFields(err)) != fmt.Sprint(c.fields) {
			t.Errorf("%s: fields %v, want %v", c.query, torque.ErrorFields(err), c.fields)
		}
	}
}

func TestListQuery(t *testing.T) {
	cases := []struct {
		query  string
		want   torque.EntityQuery
		fields map[string]string
	}{
		{query: "", want: torque.EntityQuery{}},
		{query: "filter=priority+%3E%3D+4&sort=-due,title&limit=10&cursor=abc&count=true&include=project,+tags",
			want: torque.EntityQuery{Filter: "priority >= 4", Sort: "-due,title", Limit: 10, Cursor: "abc", Count: true, Include: []string{"project", "tags"}}},
		{query: "count=false", want: torque.EntityQuery{}},
		{query: "limit=1000", want: torque.EntityQuery{Limit: 1000}},
		{query: "limit=0", fields: map[string]string{"limit": "must be an integer from 1 to 1000"}},
		{query: "limit=1001", fields: map[string]string{"limit": "must be an integer from 1 to 1000"}},
		{query: "limit=ten", fields: map[string]string{"limit": "must be an integer from 1 to 1000"}},
		{query: "limit=", fields: map[string]string{"limit": "must be an integer from 1 to 1000"}},
		{query: "count=yes", fields: map[string]string{"count": "must be true or false"}},
		{query: "include=project,,tags", fields: map[string]string{"include": "must be a comma-separated list of relation names"}},
	}
	for _, c := range cases {
		r := httptest.NewRequest(http.MethodGet, "/x?"+c.query, nil)
		q, err := listQuery(r)
		if c.fields != nil {
			if fmt.Sprint(torque.ErrorFields(err)) != fmt.Sprint(c.fields) {
				t.Errorf("%q: fields %v, want %v", c.query, torque.ErrorFields(err), c.fields)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.query, err)
		} else if fmt.Sprintf("%+v", q) != fmt.Sprintf("%+v", c.want) {
			t.Errorf("%q: got %+v, want %+v", c.query, q, c.want)
		}
	}
}

// FuzzDecodeMembers checks that no body makes decoding panic or fail with
// anything but EINVALID.
func FuzzDecodeMembers(f *testing.F) {
	for _, seed := range []string{``, `{}`, `{"version": 1, "data": {}}`, `{"version": 1.5}`, `[`, `{"data": [}`, `null`, "{\"data\": \"\xff\"}"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var version int64
		var data json.RawMessage
		err := decodeMembers(body, versionMember("version", &version), objectMember("data", &data, true))
		if err == nil {
			if version < 1 || len(data) == 0 || data[0] != '{' {
				t.Errorf("accepted %q as version %d data %s", body, version, data)
			}
		} else if torque.ErrorCode(err) != torque.EINVALID {
			t.Errorf("%q: %v", body, err)
		}
	})
}
