package jsonrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func fuzzServer() *Server {
	s := NewServer(Options{Logger: slog.New(slog.DiscardHandler), MaxBatch: 8})
	s.Register("echo", func(_ context.Context, params json.RawMessage) (any, error) { return params, nil })
	s.Register("fail", func(context.Context, json.RawMessage) (any, error) { return nil, errors.New("failed") })
	s.Register("panic", func(context.Context, json.RawMessage) (any, error) { panic("boom") })
	s.Register("params", func(_ context.Context, params json.RawMessage) (any, error) {
		var p fuzzParams
		if err := DecodeParams(params, &p); err != nil {
			return nil, err
		}
		return p, nil
	})
	return s
}

// FuzzServe posts arbitrary bodies: the server must never panic, and must
// answer exactly what a reference reading of the specification expects
// (built on encoding/json's tokenizer rather than on the package's own
// scanner), as valid responses.
func FuzzServe(f *testing.F) {
	for _, ex := range specExamples {
		f.Add(ex.request)
	}
	for _, seed := range []string{
		`{"jsonrpc":"2.0","method":"echo","params":{"a":1},"id":1.0}`,
		`{"jsonrpc":"2.0","method":"fail","id":"x"}`,
		`{"jsonrpc":"2.0","method":"panic","id":null}`,
		`{"jsonrpc":"2.0","method":"params","params":{"a":"x","b":1,"d":[{"e":true}],"f":{"k":2}},"id":2}`,
		`[{"jsonrpc":"2.0","method":"echo","id":1,"id":2},{"jsonrpc":"2\u002e0","method":"echo"},{"id":{}}]`,
		`{"jsonrpc":"2.0","method":"echo","ID":1,"Id":[]}`,
		`[1,2,3,4,5,6,7,8,9]`,
		"[\"\\u00e9\", \"\xff\"]",
	} {
		f.Add(seed)
	}
	s := fuzzServer()
	f.Fuzz(func(t *testing.T, body string) {
		w := post(t, s, body)
		want, array := expectedAnswers(body, s.maxBatch)
		switch w.Code {
		case http.StatusNoContent:
			if w.Body.Len() != 0 {
				t.Fatalf("204 with a body: %s", w.Body)
			}
			if len(want) != 0 {
				t.Fatalf("no answer, want %q", want)
			}
		case http.StatusOK:
			var got []string
			for _, r := range checkAnswer(t, w.Body.Bytes()) {
				got = append(got, answerKey(r))
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("answered %q, want %q\nbody %q\nanswer %s", got, want, body, w.Body)
			}
			if got := w.Body.Bytes()[0] == '['; got != array {
				t.Fatalf("answered an array: got %v, want %v: %s for %q", got, array, w.Body, body)
			}
		default:
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		checkScanner(t, []byte(body))
	})
}

func isBatch(body string) bool {
	return strings.HasPrefix(strings.TrimLeft(body, " \t\r\n"), "[")
}

// answerKey describes a response as "<id> <kind>".
func answerKey(r map[string]json.RawMessage) string {
	kind := "result"
	if e, ok := r["error"]; ok {
		var eo struct{ Code int }
		_ = json.Unmarshal(e, &eo)
		switch eo.Code {
		case CodeParseError:
			kind = "parse"
		case CodeInvalidRequest:
			kind = "invalid"
		case CodeMethodNotFound:
			kind = "not found"
		default:
			kind = "error"
		}
	}
	return string(r["id"]) + " " + kind
}

// expectedAnswers reads body as the specification does and returns the
// answers due, sorted, as answerKey describes them, and whether they come
// in an array.
func expectedAnswers(body string, maxBatch int) (keys []string, array bool) {
	b := []byte(body)
	if !utf8.Valid(b) || !json.Valid(b) {
		return []string{"null parse"}, false
	}
	var batch []json.RawMessage
	if !isBatch(body) {
		batch = []json.RawMessage{b}
	} else if err := json.Unmarshal(b, &batch); err != nil {
		panic(err)
	} else if len(batch) == 0 || len(batch) > maxBatch {
		return []string{"null invalid"}, false
	}
	for _, m := range batch {
		if k := expectedAnswer(m); k != "" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys, isBatch(body)
}

func expectedAnswer(m json.RawMessage) string {
	dec := json.NewDecoder(bytes.NewReader(m))
	if tok, _ := dec.Token(); tok != json.Delim('{') {
		return "null invalid"
	}
	members := map[string]json.RawMessage{}
	count := map[string]int{}
	for dec.More() {
		tok, _ := dec.Token()
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			panic(err)
		}
		name := tok.(string)
		members[name] = v
		count[name]++
	}
	id, hasID := members["id"]
	valid := true
	for _, name := range []string{"jsonrpc", "method", "params", "id"} {
		valid = valid && count[name] <= 1
	}
	var version, method string
	valid = valid && json.Unmarshal(members["jsonrpc"], &version) == nil && version == "2.0"
	valid = valid && members["method"] != nil && members["method"][0] == '"' && json.Unmarshal(members["method"], &method) == nil
	if p, ok := members["params"]; ok && p[0] != '{' && p[0] != '[' {
		valid = false
	}
	idText := "null"
	if hasID {
		var v any
		_ = json.Unmarshal(id, &v)
		switch v.(type) {
		case string, float64, nil:
			if count["id"] == 1 {
				idText = string(id)
			}
		default:
			valid = false
		}
		if count["id"] > 1 {
			valid = false
		}
	}
	switch {
	case !valid:
		return idText + " invalid"
	case !hasID:
		return ""
	}
	switch method {
	case "echo":
		return idText + " result"
	case "params":
		var p fuzzParams
		if DecodeParams(members["params"], &p) == nil {
			return idText + " result"
		}
		return idText + " error"
	case "fail", "panic":
		return idText + " error"
	}
	return idText + " not found"
}

// checkScanner compares the package's scanner with encoding/json's.
func checkScanner(t *testing.T, b []byte) {
	b = trimSpace(b)
	if !utf8.Valid(b) || !json.Valid(b) {
		return
	}
	switch b[0] {
	case '[':
		var want []json.RawMessage
		_ = json.Unmarshal(b, &want)
		got := arrayElements(b, len(want)+1)
		if len(got) != len(want) {
			t.Fatalf("arrayElements: got %d elements, want %d", len(got), len(want))
		}
		for i := range got {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("element %d: got %s, want %s", i, got[i], want[i])
			}
		}
	case '{':
		var got []string
		objectMembers(b, func(name string, v []byte) { got = append(got, fmt.Sprintf("%q=%s", name, v)) })
		var want []string
		dec := json.NewDecoder(bytes.NewReader(b))
		_, _ = dec.Token()
		for dec.More() {
			tok, _ := dec.Token()
			var v json.RawMessage
			_ = dec.Decode(&v)
			want = append(want, fmt.Sprintf("%q=%s", tok, v))
		}
		if !slices.Equal(got, want) {
			t.Fatalf("objectMembers: got %q, want %q", got, want)
		}
	}
}

type fuzzParams struct {
	A string   `json:"a" jsonrpc:"required"`
	B int8     `json:"b"`
	C *float64 `json:"c"`
	D []struct {
		E bool `json:"e"`
	} `json:"d"`
	F map[string]uint16 `json:"f"`
	G any               `json:"g"`
	H json.RawMessage   `json:"h"`
	I []byte            `json:"i"`
	J [2]int            `json:"j"`
	PageRef
}

// FuzzDecodeParams decodes arbitrary params: DecodeParams must never panic,
// must refuse with a -32602 error naming at least one member, and what it
// accepts encoding/json must accept too, with the same result (strict
// decoding is lenient decoding, refused more often).
func FuzzDecodeParams(f *testing.F) {
	for _, seed := range []string{
		``, `{}`, `[]`, `null`, `{"a":"x"}`, `{"a":"x","b":-128,"c":1.5e3,"d":[{"e":true},null],"f":{"k":65535},"g":[{}],"h":{"x":[1]},"i":"aGk=","j":[1,2],"page":"p"}`,
		`{"a":"x","b":128}`, `{"a":"\u00e9\ud800","A":"y"}`, `{"a":"x","a":"y"}`, `{"a":"x","d":[{"e":1,"E":true}]}`, `{"a":null,"c":null,"f":{"k":-1}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, params []byte) {
		var got fuzzParams
		err := DecodeParams(params, &got)
		if err != nil {
			e, ok := errors.AsType[*Error](err)
			if !ok || e.Code != CodeInvalidParams || e.Message != "invalid params" {
				t.Fatalf("got %v, want a -32602 *Error", err)
			}
			if len(fieldsOf(err)) == 0 {
				t.Fatalf("error %v names no member", err)
			}
			if _, err := json.Marshal(e); err != nil {
				t.Fatalf("the error does not encode: %v", err)
			}
			return
		}
		var want fuzzParams
		if len(trimSpace(params)) > 0 {
			dec := json.NewDecoder(bytes.NewReader(params))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&want); err != nil {
				t.Fatalf("DecodeParams accepted %q, which encoding/json refuses: %v", params, err)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("DecodeParams(%q):\ngot  %+v\nwant %+v", params, got, want)
		}
	})
}
