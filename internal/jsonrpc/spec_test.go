package jsonrpc

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"sync"
	"testing"
)

// calls records the calls a handler received.
type calls struct {
	mu   sync.Mutex
	list []string
}

func (c *calls) add(method string, params json.RawMessage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.list = append(c.list, method+" "+string(params))
}

func (c *calls) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.list
	c.list = nil
	slices.Sort(l)
	return l
}

// specServer serves the methods of the specification's examples; notes
// records the calls of the methods that are only notified.
func specServer(t testing.TB) (*Server, *calls) {
	logger, _ := testLogger(t)
	s := NewServer(Options{Logger: logger})
	notes := &calls{}
	s.Register("subtract", func(_ context.Context, params json.RawMessage) (any, error) {
		if len(params) > 0 && params[0] == '[' {
			var p []int
			if err := json.Unmarshal(params, &p); err != nil || len(p) != 2 {
				return nil, &Error{Code: CodeInvalidParams, Message: "invalid params"}
			}
			return p[0] - p[1], nil
		}
		var p struct {
			Minuend    int `json:"minuend" jsonrpc:"required"`
			Subtrahend int `json:"subtrahend" jsonrpc:"required"`
		}
		if err := DecodeParams(params, &p); err != nil {
			return nil, err
		}
		return p.Minuend - p.Subtrahend, nil
	})
	s.Register("sum", func(_ context.Context, params json.RawMessage) (any, error) {
		var p []int
		if err := json.Unmarshal(params, &p); err != nil {
			return nil, &Error{Code: CodeInvalidParams, Message: "invalid params"}
		}
		sum := 0
		for _, n := range p {
			sum += n
		}
		return sum, nil
	})
	s.Register("get_data", func(context.Context, json.RawMessage) (any, error) {
		return []any{"hello", 5}, nil
	})
	for _, m := range []string{"update", "notify_hello", "notify_sum"} {
		s.Register(m, func(_ context.Context, params json.RawMessage) (any, error) {
			notes.add(m, params)
			return nil, nil
		})
	}
	return s, notes
}

// specExamples are the examples of the specification
// (https://www.jsonrpc.org/specification#examples), verbatim: "-->" data
// sent to the server, "<--" the answer ("" for none), and notified the
// calls of notification methods the server must have run.
var specExamples = []struct {
	name     string
	request  string
	response string
	notified []string
}{
	{
		name:     "rpc call with positional parameters",
		request:  `{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}`,
		response: `{"jsonrpc": "2.0", "result": 19, "id": 1}`,
	},
	{
		name:     "rpc call with positional parameters reversed",
		request:  `{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}`,
		response: `{"jsonrpc": "2.0", "result": -19, "id": 2}`,
	},
	{
		name:     "rpc call with named parameters",
		request:  `{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}`,
		response: `{"jsonrpc": "2.0", "result": 19, "id": 3}`,
	},
	{
		name:     "rpc call with named parameters in another order",
		request:  `{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4}`,
		response: `{"jsonrpc": "2.0", "result": 19, "id": 4}`,
	},
	{
		name:     "a notification",
		request:  `{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}`,
		notified: []string{"update [1,2,3,4,5]"},
	},
	{
		name:    "a notification of a method that does not exist",
		request: `{"jsonrpc": "2.0", "method": "foobar"}`,
	},
	{
		name:     "rpc call of non-existent method",
		request:  `{"jsonrpc": "2.0", "method": "foobar", "id": "1"}`,
		response: `{"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "1"}`,
	},
	{
		name:     "rpc call with invalid JSON",
		request:  `{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]`,
		response: `{"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}`,
	},
	{
		name:     "rpc call with invalid Request object",
		request:  `{"jsonrpc": "2.0", "method": 1, "params": "bar"}`,
		response: `{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}`,
	},
	{
		name: "rpc call Batch, invalid JSON",
		request: `[
  {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
  {"jsonrpc": "2.0", "method"
]`,
		response: `{"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}`,
	},
	{
		name:     "rpc call with an empty Array",
		request:  `[]`,
		response: `{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}`,
	},
	{
		name:    "rpc call with an invalid Batch (but not empty)",
		request: `[1]`,
		response: `[
  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}
]`,
	},
	{
		name:    "rpc call with invalid Batch",
		request: `[1,2,3]`,
		response: `[
  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}
]`,
	},
	{
		name: "rpc call Batch",
		request: `[
        {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
        {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
        {"foo": "boo"},
        {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
        {"jsonrpc": "2.0", "method": "get_data", "id": "9"} 
    ]`,
		response: `[
        {"jsonrpc": "2.0", "result": 7, "id": "1"},
        {"jsonrpc": "2.0", "result": 19, "id": "2"},
        {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
        {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "5"},
        {"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"}
    ]`,
		notified: []string{"notify_hello [7]"},
	},
	{
		name: "rpc call Batch (all notifications)",
		request: `[
        {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
        {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
    ]`,
		notified: []string{"notify_hello [7]", "notify_sum [1,2,4]"},
	},
}

func TestSpecificationExamplesHTTP(t *testing.T) {
	s, notes := specServer(t)
	for _, tt := range specExamples {
		t.Run(tt.name, func(t *testing.T) {
			got := call(t, s, tt.request)
			if got != "" {
				checkAnswer(t, []byte(got))
			}
			sameJSON(t, got, tt.response)
			if got := notes.take(); !reflect.DeepEqual(got, tt.notified) {
				t.Errorf("notifications run: got %q, want %q", got, tt.notified)
			}
		})
	}
}

func TestSpecificationExamplesWebSocket(t *testing.T) {
	s, notes := specServer(t)
	url := startWS(t, s, nil, nil)
	for _, tt := range specExamples {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, url)
			write(t, c, tt.request)
			if tt.response != "" {
				got := read(t, c)
				checkAnswer(t, []byte(got))
				sameJSON(t, got, tt.response)
			}
			readNothing(t, c)
			if got := notes.take(); !reflect.DeepEqual(got, tt.notified) {
				t.Errorf("notifications run: got %q, want %q", got, tt.notified)
			}
		})
	}
}
