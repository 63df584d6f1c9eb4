package jsonrpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// envelopeServer has methods to exercise the protocol: echo answers its
// params, and the others fail in their own ways.
func envelopeServer(t testing.TB, opts Options) (*Server, *atomic.Int32, *logBuffer) {
	logger, logs := testLogger(t)
	opts.Logger = logger
	s := NewServer(opts)
	var ran atomic.Int32
	s.Register("echo", func(_ context.Context, params json.RawMessage) (any, error) {
		ran.Add(1)
		return params, nil
	})
	s.Register("nothing", func(context.Context, json.RawMessage) (any, error) { return nil, nil })
	s.Register("fail", func(context.Context, json.RawMessage) (any, error) {
		return nil, errors.New("disk on fire")
	})
	s.Register("refuse", func(context.Context, json.RawMessage) (any, error) {
		return nil, fmt.Errorf("check: %w", &Error{Code: -32001, Message: "forbidden", Data: []string{"why"}})
	})
	s.Register("typed nil", func(context.Context, json.RawMessage) (any, error) {
		var e *Error
		return nil, e
	})
	s.Register("panic", func(context.Context, json.RawMessage) (any, error) { panic("boom") })
	s.Register("bad result", func(context.Context, json.RawMessage) (any, error) { return make(chan int), nil })
	s.Register("bad data", func(context.Context, json.RawMessage) (any, error) {
		return nil, &Error{Code: 1, Message: "x", Data: func() {}}
	})
	s.Register("slow", func(ctx context.Context, _ json.RawMessage) (any, error) {
		if _, ok := ctx.Deadline(); !ok {
			return "no deadline", nil
		}
		<-ctx.Done()
		return nil, ctx.Err()
	})
	return s, &ran, logs
}

func TestRequests(t *testing.T) {
	const internal = `{"code":-32603,"message":"internal error"}`
	tests := []struct {
		name     string
		request  string
		response string // "" for no answer
		log      string // in the log, when not ""
	}{
		// The request object.
		{"answers a call", `{"jsonrpc":"2.0","method":"echo","params":{"a":[1]},"id":1}`, `{"jsonrpc":"2.0","id":1,"result":{"a":[1]}}`, ""},
		{"passes absent params as nil", `{"jsonrpc":"2.0","method":"echo","id":1}`, `{"jsonrpc":"2.0","id":1,"result":null}`, ""},
		{"accepts an escaped version", `{"jsonrpc":"2\u002e0","method":"ech\u006f","id":1}`, `{"jsonrpc":"2.0","id":1,"result":null}`, ""},
		{"accepts members in any order", `{"id":1,"params":[],"method":"echo","jsonrpc":"2.0"}`, `{"jsonrpc":"2.0","id":1,"result":[]}`, ""},
		{"ignores unknown members", `{"jsonrpc":"2.0","method":"echo","id":1,"extra":{"id":2},"version":"1.0"}`, `{"jsonrpc":"2.0","id":1,"result":null}`, ""},
		{"ignores whitespace around the text", " \t\r\n" + `{"jsonrpc":"2.0","method":"echo","id":1}` + "\n ", `{"jsonrpc":"2.0","id":1,"result":null}`, ""},
		{"refuses version 1.0", `{"jsonrpc":"1.0","method":"echo","id":1}`, `{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"refuses version 2.0 as a number", `{"jsonrpc":2.0,"method":"echo","id":1}`, `{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"refuses a missing version", `{"method":"echo","id":1}`, `{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"refuses a missing method", `{"jsonrpc":"2.0","id":1}`, `{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"refuses a method that is not a string", `{"jsonrpc":"2.0","method":["echo"],"id":1}`, `{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"refuses a null method", `{"jsonrpc":"2.0","method":null,"id":1}`, `{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"matches member names exactly", `{"jsonrpc":"2.0","Method":"echo","id":1}`, `{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"refuses params as a string", `{"jsonrpc":"2.0","method":"echo","params":"x","id":1}`, `{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"refuses params as a number", `{"jsonrpc":"2.0","method":"echo","params":1,"id":1}`, `{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"refuses params as null", `{"jsonrpc":"2.0","method":"echo","params":null,"id":1}`, `{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"refuses params as a boolean", `{"jsonrpc":"2.0","method":"echo","params":true,"id":1}`, `{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"refuses a duplicate method", `{"jsonrpc":"2.0","method":"echo","method":"fail","id":1}`, `{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"refuses a duplicate id, answering null", `{"jsonrpc":"2.0","method":"echo","id":1,"id":2}`, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"refuses a number", `1`, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"refuses a string", `"call"`, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"refuses null", `null`, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"answers an invalid request without id", `{"jsonrpc":"2.0","method":1}`, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"logs an invalid request", `{"jsonrpc":"2.0"}`, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}`, "jsonrpc invalid request"},

		// Ids.
		{"answers id null", `{"jsonrpc":"2.0","method":"echo","id":null}`, `{"jsonrpc":"2.0","id":null,"result":null}`, ""},
		{"answers a string id", `{"jsonrpc":"2.0","method":"echo","id":"a-1"}`, `{"jsonrpc":"2.0","id":"a-1","result":null}`, ""},
		{"refuses an object id", `{"jsonrpc":"2.0","method":"echo","id":{"a":1}}`, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"refuses an array id", `{"jsonrpc":"2.0","method":"echo","id":[1]}`, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"refuses a true id", `{"jsonrpc":"2.0","method":"echo","id":true}`, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"refuses a false id", `{"jsonrpc":"2.0","method":"echo","id":false}`, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}`, ""},

		// Notifications.
		{"answers no notification", `{"jsonrpc":"2.0","method":"echo","params":[1]}`, "", ""},
		{"treats an ID member as unknown: a notification", `{"jsonrpc":"2.0","method":"echo","ID":1}`, "", ""},
		{"answers no notification of an unknown method", `{"jsonrpc":"2.0","method":"nope"}`, "", ""},
		{"answers no failing notification", `{"jsonrpc":"2.0","method":"fail"}`, "", "disk on fire"},
		{"answers no panicking notification", `{"jsonrpc":"2.0","method":"panic"}`, "", "boom"},

		// Methods and their errors.
		{"answers an unknown method", `{"jsonrpc":"2.0","method":"nope","id":1}`, `{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"method not found"}}`, ""},
		{"answers an empty method name", `{"jsonrpc":"2.0","method":"","id":1}`, `{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"method not found"}}`, ""},
		{"answers a reserved method name", `{"jsonrpc":"2.0","method":"rpc.discover","id":1}`, `{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"method not found"}}`, ""},
		{"answers a nil result as null", `{"jsonrpc":"2.0","method":"nothing","id":1}`, `{"jsonrpc":"2.0","id":1,"result":null}`, ""},
		{"answers an *Error as it is, wrapped or not", `{"jsonrpc":"2.0","method":"refuse","id":1}`, `{"jsonrpc":"2.0","id":1,"error":{"code":-32001,"message":"forbidden","data":["why"]}}`, ""},
		{"answers other errors as internal, logged", `{"jsonrpc":"2.0","method":"fail","id":1}`, `{"jsonrpc":"2.0","id":1,"error":` + internal + `}`, "disk on fire"},
		{"answers a typed nil *Error as internal", `{"jsonrpc":"2.0","method":"typed nil","id":1}`, `{"jsonrpc":"2.0","id":1,"error":` + internal + `}`, "jsonrpc internal error"},
		{"answers a panic as internal, logged", `{"jsonrpc":"2.0","method":"panic","id":1}`, `{"jsonrpc":"2.0","id":1,"error":` + internal + `}`, "boom"},
		{"answers a result it cannot encode as internal", `{"jsonrpc":"2.0","method":"bad result","id":1}`, `{"jsonrpc":"2.0","id":1,"error":` + internal + `}`, "jsonrpc encode result"},
		{"answers error data it cannot encode as internal", `{"jsonrpc":"2.0","method":"bad data","id":1}`, `{"jsonrpc":"2.0","id":1,"error":` + internal + `}`, "jsonrpc encode error"},

		// Parse errors.
		{"answers an empty text", ``, `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}`, ""},
		{"answers whitespace", " \n", `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}`, ""},
		{"answers two values", `{"jsonrpc":"2.0","method":"echo","id":1} {}`, `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}`, ""},
		{"answers text that is not UTF-8", "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"\xff\"],\"id\":1}", `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}`, ""},
		{"answers a trailing comma", `{"jsonrpc":"2.0","method":"echo","id":1,}`, `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}`, ""},

		// Batches.
		{"answers a batch of one", `[{"jsonrpc":"2.0","method":"echo","id":1}]`, `[{"jsonrpc":"2.0","id":1,"result":null}]`, ""},
		{"answers a nested batch as invalid", `[[{"jsonrpc":"2.0","method":"echo","id":1}]]`, `[{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}]`, ""},
		{"answers nothing for a batch of notifications", `[{"jsonrpc":"2.0","method":"nope"},{"jsonrpc":"2.0","method":"fail"}]`, "", ""},
		{"answers an empty batch with an object", ` [ ] `, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}`, ""},
		{"answers id null in a batch", `[{"jsonrpc":"2.0","method":"echo","id":null},{"jsonrpc":"2.0","method":"echo"}]`, `[{"jsonrpc":"2.0","id":null,"result":null}]`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, logs := envelopeServer(t, Options{})
			got := call(t, s, tt.request)
			if got != "" {
				checkAnswer(t, []byte(got))
			}
			sameJSON(t, got, tt.response)
			if tt.log != "" && !strings.Contains(logs.String(), tt.log) {
				t.Errorf("log: got %q, want it to contain %q", logs.String(), tt.log)
			}
		})
	}
}

func TestIDsKeepTheirText(t *testing.T) {
	s, _, _ := envelopeServer(t, Options{})
	for _, id := range []string{`1`, `-1`, `0`, `1.0`, `-0`, `1e3`, `1E+03`, `12345678901234567890`, `0.1000000000000000000001`, `"1"`, `""`, `"\u00e9t\u00e9"`, `"é"`, `"a\"b"`, `null`} {
		t.Run(id, func(t *testing.T) {
			got := call(t, s, `{"jsonrpc":"2.0","method":"echo","id":`+id+`}`)
			if want := `{"jsonrpc":"2.0","id":` + id + `,"result":null}`; got != want {
				t.Errorf("got %s, want %s", got, want)
			}
		})
	}
}

func TestBatchKeepsIDsWithResults(t *testing.T) {
	logger, _ := testLogger(t)
	s := NewServer(Options{Logger: logger})
	var running, most atomic.Int32
	s.Register("sleep", func(_ context.Context, params json.RawMessage) (any, error) {
		n := running.Add(1)
		defer running.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		var p []int
		if err := json.Unmarshal(params, &p); err != nil {
			return nil, err
		}
		time.Sleep(time.Duration(p[0]) * time.Millisecond)
		return p[0], nil
	})
	// Later members finish first.
	var b strings.Builder
	b.WriteString("[")
	const n = 12
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"jsonrpc":"2.0","method":"sleep","params":[%d],"id":"%d"}`, 2*(n-i), 2*(n-i))
	}
	b.WriteString("]")
	got := checkAnswer(t, []byte(call(t, s, b.String())))
	if len(got) != n {
		t.Fatalf("got %d answers, want %d", len(got), n)
	}
	for _, r := range got {
		var id string
		if err := json.Unmarshal(r["id"], &id); err != nil || string(r["result"]) != id {
			t.Errorf("id %s answered with result %s", r["id"], r["result"])
		}
	}
	if m := most.Load(); m < 2 || m > batchWorkers {
		t.Errorf("members running at once: got %d, want 2 to %d", m, batchWorkers)
	}
}

func TestLimits(t *testing.T) {
	batch := func(n int) string {
		var b strings.Builder
		b.WriteString("[")
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"jsonrpc":"2.0","method":"echo","id":%d}`, i)
		}
		return b.String() + "]"
	}
	tests := []struct {
		name     string
		opts     Options
		request  string
		answers  int    // responses in the answer, when it is a batch answer
		response string // the answer, when it is one object
		ran      int32
	}{
		{"runs a batch at the default limit", Options{}, batch(50), 50, "", 50},
		{"refuses a batch over the default limit, running nothing", Options{}, batch(51), 0,
			`{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: a batch holds at most 50 requests"}}`, 0},
		{"runs a batch at a set limit", Options{MaxBatch: 3}, batch(3), 3, "", 3},
		{"refuses a batch over a set limit", Options{MaxBatch: 3}, batch(4), 0,
			`{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: a batch holds at most 3 requests"}}`, 0},
		{"refuses a large batch of anything", Options{MaxBatch: 3}, "[" + strings.Repeat("1,", 100000) + "1]", 0,
			`{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: a batch holds at most 3 requests"}}`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ran, _ := envelopeServer(t, tt.opts)
			got := call(t, s, tt.request)
			if tt.response != "" {
				sameJSON(t, got, tt.response)
			} else if n := len(checkAnswer(t, []byte(got))); n != tt.answers {
				t.Errorf("answers: got %d, want %d", n, tt.answers)
			}
			if got := ran.Load(); got != tt.ran {
				t.Errorf("calls run: got %d, want %d", got, tt.ran)
			}
		})
	}
}

func TestTimeout(t *testing.T) {
	tests := []struct {
		name     string
		opts     Options
		response string
	}{
		{"gives calls no deadline by default", Options{}, `{"jsonrpc":"2.0","id":1,"result":"no deadline"}`},
		{"ends a call at its deadline", Options{Timeout: 10 * time.Millisecond}, `{"jsonrpc":"2.0","id":1,"error":{"code":-32603,"message":"request timed out"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := envelopeServer(t, tt.opts)
			sameJSON(t, call(t, s, `{"jsonrpc":"2.0","method":"slow","id":1}`), tt.response)
		})
	}
}

func TestErrorOf(t *testing.T) {
	var seen []string
	errorOf := func(ctx context.Context, err error) *Error {
		seen = append(seen, err.Error())
		if strings.Contains(err.Error(), "fire") {
			return &Error{Code: -32050, Message: "on fire", Data: map[string]string{"code": "EFIRE"}}
		}
		return nil // left to the default
	}
	s, _, _ := envelopeServer(t, Options{ErrorOf: errorOf})
	s.Register("other", func(context.Context, json.RawMessage) (any, error) { return nil, errors.New("other") })
	tests := []struct {
		name, request, response string
	}{
		{"maps an error", `{"jsonrpc":"2.0","method":"fail","id":1}`,
			`{"jsonrpc":"2.0","id":1,"error":{"code":-32050,"message":"on fire","data":{"code":"EFIRE"}}}`},
		{"leaves *Error alone", `{"jsonrpc":"2.0","method":"refuse","id":2}`,
			`{"jsonrpc":"2.0","id":2,"error":{"code":-32001,"message":"forbidden","data":["why"]}}`},
		{"answers internal when it returns nil", `{"jsonrpc":"2.0","method":"other","id":3}`,
			`{"jsonrpc":"2.0","id":3,"error":{"code":-32603,"message":"internal error"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sameJSON(t, call(t, s, tt.request), tt.response)
		})
	}
	if want := []string{"disk on fire", "other"}; strings.Join(seen, ",") != strings.Join(want, ",") {
		t.Errorf("ErrorOf saw %q, want %q", seen, want)
	}
}

func TestParseRequest(t *testing.T) {
	tests := []struct {
		in     string
		ok     bool
		method string
		params string
		id     string
	}{
		{`{"jsonrpc":"2.0","method":"m"}`, true, "m", "", ""},
		{`{"jsonrpc":"2.0","method":"m","params":[1],"id":7}`, true, "m", "[1]", "7"},
		{`{ "jsonrpc" : "2.0" , "method" : "m" , "params" : { "a" : [ 1 , 2 ] } , "id" : "x" }`, true, "m", `{ "a" : [ 1 , 2 ] }`, `"x"`},
		{`{"jsonrpc":"2.0","method":"m","id":null}`, true, "m", "", "null"},
		{`{"jsonrpc":"2.0","method":"m\"\\\/\u00e9","id":1}`, true, "m\"\\/é", "", "1"},
		{`{"jsonrpc":"2.0","method":"m","id":true}`, false, "m", "", "null"},
		{`{"jsonrpc":"2.0","method":"m","id":1,"jsonrpc":"2.0"}`, false, "m", "", "1"},
		{`{}`, false, "", "", "null"},
		{`[]`, false, "", "", "null"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			req, ok := parseRequest([]byte(tt.in))
			got := fmt.Sprintf("%v %q %s %s", ok, req.method, req.params, req.id)
			want := fmt.Sprintf("%v %q %s %s", tt.ok, tt.method, tt.params, tt.id)
			if got != want {
				t.Errorf("got %s, want %s", got, want)
			}
		})
	}
}
