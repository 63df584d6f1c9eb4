package jsonrpc

import (
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"strings"
	"testing"
	"time"
)

type paramsFilter struct {
	Status string   `json:"status" jsonrpc:"required"`
	Tags   []string `json:"tags"`
}

type paramsItem struct {
	ID   int    `json:"id" jsonrpc:"required"`
	Note string `json:"note,omitempty"`
}

type PageRef struct {
	Page string `json:"page"`
}

type testParams struct {
	App     string          `json:"app" jsonrpc:"required"`
	Limit   int             `json:"limit"`
	Offset  uint8           `json:"offset"`
	Ratio   float32         `json:"ratio"`
	Count   bool            `json:"count"`
	Filter  *paramsFilter   `json:"filter"`
	Data    json.RawMessage `json:"data"`
	Items   []paramsItem    `json:"items"`
	Meta    map[string]int  `json:"meta"`
	When    time.Time       `json:"when"`
	Any     any             `json:"any"`
	Bytes   []byte          `json:"bytes"`
	Skip    string          `json:"-"`
	Renamed string
	PageRef
	//lint:ignore U1000 an unexported field is no parameter, which the tests check
	hidden string
}

func TestDecodeParams(t *testing.T) {
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name   string
		params string
		want   testParams        // when fields is nil
		fields map[string]string // the problems; a value ending in * is a prefix
	}{
		{name: "decodes every kind of field",
			params: `{"app":"todo","limit":10,"offset":255,"ratio":0.5,"count":true,"filter":{"status":"open","tags":["a"]},
				"data":{"x": [1, 2]},"items":[{"id":1},{"id":2,"note":"n"}],"meta":{"a":1},"when":"2026-01-02T03:04:05Z",
				"any":[1,"x"],"bytes":"aGk=","Renamed":"r","page":"home"}`,
			want: testParams{App: "todo", Limit: 10, Offset: 255, Ratio: 0.5, Count: true,
				Filter: &paramsFilter{Status: "open", Tags: []string{"a"}}, Data: json.RawMessage(`{"x": [1, 2]}`),
				Items: []paramsItem{{ID: 1}, {ID: 2, Note: "n"}}, Meta: map[string]int{"a": 1}, When: when,
				Any: []any{1.0, "x"}, Bytes: []byte("hi"), Renamed: "r", PageRef: PageRef{Page: "home"}}},
		{name: "decodes the required fields alone", params: `{"app":"todo"}`, want: testParams{App: "todo"}},
		{name: "leaves optional fields set to null alone", params: `{"app":"a","limit":null,"filter":null,"items":null,"any":null}`, want: testParams{App: "a"}},
		{name: "decodes escaped strings", params: `{"app":"t\u00f6d\"o\n"}`, want: testParams{App: "töd\"o\n"}},
		{name: "accepts an empty array", params: `{"app":"a","items":[]}`, want: testParams{App: "a", Items: []paramsItem{}}},
		{name: "decodes integers at their limits", params: `{"app":"a","limit":-9223372036854775808,"offset":0}`, want: testParams{App: "a", Limit: -9223372036854775808}},

		{name: "requires params when a field is required", params: ``, fields: map[string]string{"app": "is required"}},
		{name: "refuses an array", params: `["todo"]`, fields: map[string]string{"params": "must be an object of named parameters"}},
		{name: "refuses a string", params: `"todo"`, fields: map[string]string{"params": "must be an object of named parameters"}},
		{name: "refuses null", params: `null`, fields: map[string]string{"params": "must be an object of named parameters"}},
		{name: "refuses invalid JSON", params: `{"app":`, fields: map[string]string{"params": "must be valid JSON"}},
		{name: "refuses text that is not UTF-8", params: "{\"app\":\"\xff\"}", fields: map[string]string{"params": "must be valid JSON"}},
		{name: "refuses an unknown member", params: `{"app":"a","nope":1}`, fields: map[string]string{"nope": "unknown parameter"}},
		{name: "matches names exactly", params: `{"App":"a"}`, fields: map[string]string{"App": "unknown parameter", "app": "is required"}},
		{name: "does not know fields tagged -", params: `{"app":"a","Skip":"x","-":1}`, fields: map[string]string{"Skip": "unknown parameter", "-": "unknown parameter"}},
		{name: "does not know unexported fields", params: `{"app":"a","hidden":"x"}`, fields: map[string]string{"hidden": "unknown parameter"}},
		{name: "refuses a duplicate member", params: `{"app":"a","app":"b"}`, fields: map[string]string{"app": "appears more than once"}},
		{name: "refuses a duplicate key of a map", params: `{"app":"a","meta":{"k":1,"k":2}}`, fields: map[string]string{"meta.k": "appears more than once"}},
		{name: "requires a required field set to null", params: `{"app":null}`, fields: map[string]string{"app": "is required"}},
		{name: "names wrong types",
			params: `{"app":5,"limit":"5","offset":-1,"ratio":"x","count":1,"filter":[],"items":{},"meta":[],"bytes":5,"Renamed":true}`,
			fields: map[string]string{"app": "must be a string", "limit": "must be an integer", "offset": "must be a non-negative integer",
				"ratio": "must be a number", "count": "must be a boolean", "filter": "must be an object", "items": "must be an array",
				"meta": "must be an object", "bytes": "must be a base64 string", "Renamed": "must be a string"}},
		{name: "refuses fractions for integers", params: `{"app":"a","limit":1.5}`, fields: map[string]string{"limit": "must be an integer"}},
		{name: "refuses exponents for integers", params: `{"app":"a","limit":1e2}`, fields: map[string]string{"limit": "must be an integer"}},
		{name: "refuses integers out of range", params: `{"app":"a","limit":9223372036854775808,"offset":256,"ratio":1e39}`,
			fields: map[string]string{"limit": "is out of range", "offset": "is out of range", "ratio": "is out of range"}},
		{name: "names nested problems with dots",
			params: `{"app":"a","filter":{"tags":[1,"x",null]},"items":[{"id":1},{"note":"n"},{"id":"3","x":0}],"meta":{"a":"b"}}`,
			fields: map[string]string{"filter.status": "is required", "filter.tags.0": "must be a string",
				"items.1.id": "is required", "items.2.id": "must be an integer", "items.2.x": "unknown parameter", "meta.a": "must be an integer"}},
		{name: "names a value a type refuses", params: `{"app":"a","when":"yesterday"}`, fields: map[string]string{"when": "is not valid: *"}},
		{name: "names a value a type refuses for its kind", params: `{"app":"a","when":5}`, fields: map[string]string{"when": "is not valid: *"}},
		{name: "names a base64 string that is not", params: `{"app":"a","bytes":"!!"}`, fields: map[string]string{"bytes": "is not valid: *"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got testParams
			err := DecodeParams(json.RawMessage(tt.params), &got)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("got %v (%v), want no error", err, fieldsOf(err))
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("got  %+v\nwant %+v", got, tt.want)
				}
				return
			}
			e, ok := errors.AsType[*Error](err)
			if !ok {
				t.Fatalf("got %v, want *Error", err)
			}
			if e.Code != CodeInvalidParams || e.Message != "invalid params" {
				t.Errorf("got code %d message %q, want %d \"invalid params\"", e.Code, e.Message, CodeInvalidParams)
			}
			fields := fieldsOf(err)
			for k, want := range tt.fields {
				if prefix, ok := strings.CutSuffix(want, "*"); ok && strings.HasPrefix(fields[k], prefix) {
					fields[k] = want
				}
			}
			if !maps.Equal(fields, tt.fields) {
				t.Errorf("fields: got %v, want %v", fieldsOf(err), tt.fields)
			}
		})
	}
}

func fieldsOf(err error) map[string]string {
	e, ok := errors.AsType[*Error](err)
	if !ok {
		return nil
	}
	data, _ := e.Data.(map[string]any)
	fields, _ := data["fields"].(map[string]string)
	return maps.Clone(fields)
}

func TestDecodeParamsDataEncoding(t *testing.T) {
	var p testParams
	err := DecodeParams(json.RawMessage(`{"limit":"x","nope":1}`), &p)
	b, _ := json.Marshal(err)
	if want := `{"code":-32602,"message":"invalid params","data":{"fields":{"app":"is required","limit":"must be an integer","nope":"unknown parameter"}}}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
}

func TestDecodeParamsOptionalOnly(t *testing.T) {
	var p struct {
		Page string `json:"page"`
	}
	if err := DecodeParams(nil, &p); err != nil {
		t.Errorf("absent params: got %v, want no error", err)
	}
}

func TestDecodeParamsTarget(t *testing.T) {
	var n int
	var nilPtr *testParams
	for _, v := range []any{nil, n, &n, testParams{}, nilPtr} {
		err := DecodeParams(json.RawMessage(`{}`), v)
		if _, isRPC := errors.AsType[*Error](err); err == nil || isRPC {
			t.Errorf("DecodeParams into %T: got %v, want an error that is not *Error", v, err)
		}
	}
}

// Embedding as encoding/json does: the shallower field wins, then the
// tagged one; two at the same depth, neither tagged, hide each other.
type embedA struct {
	Name  string `json:"name"`
	Both  string
	Depth string
}

type EmbedB struct {
	Name string
	Both string
}

type embedDeep struct{ embedA }

type embedHidden struct{ X string }

type embedding struct {
	embedA
	*EmbedB
	Depth string `json:"Depth"`
}

func TestDecodeParamsEmbedding(t *testing.T) {
	info := structInfoOf(reflect.TypeFor[embedding]())
	var names []string
	for _, f := range info.fields {
		names = append(names, f.name)
	}
	if got, want := strings.Join(names, ","), "name,Name,Depth"; got != want {
		t.Errorf("fields: got %s, want %s", got, want)
	}
	var p embedding
	err := DecodeParams(json.RawMessage(`{"name":"a","Name":"b","Depth":"c"}`), &p)
	if err != nil {
		t.Fatal(err)
	}
	if p.embedA.Name != "a" || p.EmbedB == nil || p.EmbedB.Name != "b" || p.Depth != "c" {
		t.Errorf("got %+v %+v", p, p.EmbedB)
	}
	if err := DecodeParams(json.RawMessage(`{"Both":"x"}`), &p); fieldsOf(err)["Both"] != "unknown parameter" {
		t.Errorf("ambiguous field: got %v, want unknown parameter", err)
	}
	var u struct{ *embedHidden }
	if err := DecodeParams(json.RawMessage(`{"X":"x"}`), &u); fieldsOf(err)["X"] != "cannot be decoded" {
		t.Errorf("field of a nil pointer to an unexported struct: got %v, want cannot be decoded", fieldsOf(err))
	}
	var d embedDeep
	if err := DecodeParams(json.RawMessage(`{"name":"n"}`), &d); err != nil || d.Name != "n" {
		t.Errorf("deep embedding: got %v %+v", err, d)
	}
}
