package jsonrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

// post sends body to h as a JSON-RPC POST.
func post(t testing.TB, h http.Handler, body string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/rpc", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// call posts body and returns the answer, "" when there is none (204).
func call(t testing.TB, s *Server, body string) string {
	t.Helper()
	w := post(t, s, body)
	switch w.Code {
	case http.StatusOK:
		if ct := w.Header().Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type: got %q, want application/json", ct)
		}
		return w.Body.String()
	case http.StatusNoContent:
		if w.Body.Len() != 0 {
			t.Errorf("204 with a body: %s", w.Body)
		}
		return ""
	default:
		t.Fatalf("status: got %d, want 200 or 204 (body %s)", w.Code, w.Body)
		return ""
	}
}

// canonical returns the JSON text s in a canonical form for comparing
// answers semantically: members sorted, numbers as written, the elements of
// a batch answer sorted (a batch may be answered in any order), and error
// messages in lower case (the specification's examples capitalize them;
// messages are free text, and this package writes them in lower case).
func canonical(t testing.TB, s string) string {
	t.Helper()
	if strings.TrimSpace(s) == "" {
		return ""
	}
	v, err := decodeJSON([]byte(s))
	if err != nil {
		t.Fatalf("not JSON: %v: %s", err, s)
	}
	if batch, ok := v.([]any); ok {
		elems := make([]string, len(batch))
		for i, e := range batch {
			elems[i] = marshal(t, lowerMessage(e))
		}
		slices.Sort(elems)
		return "[" + strings.Join(elems, ",") + "]"
	}
	return marshal(t, lowerMessage(v))
}

func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the value")
	}
	return v, nil
}

func lowerMessage(v any) any {
	if m, ok := v.(map[string]any); ok {
		if e, ok := m["error"].(map[string]any); ok {
			if msg, ok := e["message"].(string); ok {
				e["message"] = strings.ToLower(msg)
			}
		}
	}
	return v
}

func marshal(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sameJSON fails t when got and want differ semantically.
func sameJSON(t testing.TB, got, want string) {
	t.Helper()
	if g, w := canonical(t, got), canonical(t, want); g != w {
		t.Errorf("got  %s\nwant %s", g, w)
	}
}

// checkAnswer fails t unless answer (non-empty) is a valid response or a
// non-empty array of them; it returns the responses.
func checkAnswer(t testing.TB, answer []byte) []map[string]json.RawMessage {
	t.Helper()
	var list []json.RawMessage
	if bytes.HasPrefix(answer, []byte("[")) {
		if err := json.Unmarshal(answer, &list); err != nil {
			t.Fatalf("answer is not a JSON array: %v: %s", err, answer)
		}
		if len(list) == 0 {
			t.Fatalf("empty array answered")
		}
	} else {
		list = []json.RawMessage{answer}
	}
	var out []map[string]json.RawMessage
	for _, r := range list {
		out = append(out, checkResponse(t, r))
	}
	return out
}

// checkResponse fails t unless r is a response object: exactly "jsonrpc":
// "2.0", an "id" (string, number or null) and one of "result" and "error",
// an error having an integer code and a string message.
func checkResponse(t testing.TB, r []byte) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(r, &m); err != nil || m == nil {
		t.Fatalf("response is not an object: %s", r)
	}
	if string(m["jsonrpc"]) != `"2.0"` {
		t.Errorf("jsonrpc: got %s, want \"2.0\" in %s", m["jsonrpc"], r)
	}
	id, ok := m["id"]
	if !ok {
		t.Errorf("no id in %s", r)
	} else if c := id[0]; c != '"' && c != 'n' && c != '-' && (c < '0' || c > '9') {
		t.Errorf("id %s is not a string, a number or null", id)
	}
	_, hasResult := m["result"]
	e, hasError := m["error"]
	if hasResult == hasError {
		t.Errorf("want exactly one of result and error in %s", r)
	}
	if len(m) != 3 {
		t.Errorf("got %d members, want 3 in %s", len(m), r)
	}
	if hasError {
		var eo struct {
			Code    *json.Number
			Message *string
		}
		if err := json.Unmarshal(e, &eo); err != nil || eo.Code == nil || eo.Message == nil {
			t.Errorf("error object without code or message: %s", e)
		} else if _, err := eo.Code.Int64(); err != nil || strings.ContainsAny(eo.Code.String(), ".eE") {
			t.Errorf("error code %s is not an integer", eo.Code)
		}
	}
	return m
}

// logBuffer collects log output, safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func testLogger(t testing.TB) (*slog.Logger, *logBuffer) {
	var b logBuffer
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("log:\n%s", b.String())
		}
	})
	return slog.New(slog.NewTextHandler(&b, &slog.HandlerOptions{Level: slog.LevelDebug})), &b
}

func TestRegister(t *testing.T) {
	noop := func(context.Context, json.RawMessage) (any, error) { return nil, nil }
	tests := []struct {
		name   string
		method string
		h      Handler
		panics bool
	}{
		{"accepts a name", "ping", noop, false},
		{"accepts a name with dots", "foo.get", noop, false},
		{"accepts a name starting with rpc without the dot", "rpcx", noop, false},
		{"rejects an empty name", "", noop, true},
		{"rejects a name starting with rpc.", "rpc.discover", noop, true},
		{"rejects a nil handler", "nil", nil, true},
		{"rejects a duplicate", "dup", noop, true},
	}
	s := NewServer(Options{})
	s.Register("dup", noop)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if got := recover() != nil; got != tt.panics {
					t.Errorf("panicked: got %v, want %v", got, tt.panics)
				}
			}()
			s.Register(tt.method, tt.h)
		})
	}
}

func TestErrorError(t *testing.T) {
	e := &Error{Code: CodeMethodNotFound, Message: "method not found"}
	if got, want := e.Error(), "method not found (json-rpc error -32601)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	var err error = fmt.Errorf("load: %w", e)
	if !errors.Is(err, e) {
		t.Error("errors.Is does not find a wrapped *Error")
	}
}

func TestNewServerDefaults(t *testing.T) {
	s := NewServer(Options{MaxBatch: -1, MaxBodyBytes: -1, Timeout: -1})
	got := []any{s.maxBatch, s.maxBody, s.timeout, s.logger != nil}
	want := []any{defaultMaxBatch, int64(defaultMaxBodyBytes), s.timeout * 0, true}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
