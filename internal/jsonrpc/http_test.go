package jsonrpc

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestServeHTTP(t *testing.T) {
	const call = `{"jsonrpc":"2.0","method":"echo","id":1}`
	tests := []struct {
		name        string
		method      string
		contentType string
		body        string
		maxBody     int64
		status      int
		headers     map[string]string
		response    string // "" for an empty body
	}{
		{"answers a POST", http.MethodPost, "application/json", call, 0, http.StatusOK,
			map[string]string{"Content-Type": "application/json"}, `{"jsonrpc":"2.0","id":1,"result":null}`},
		{"accepts a charset of utf-8", http.MethodPost, "application/json; charset=UTF-8", call, 0, http.StatusOK,
			nil, `{"jsonrpc":"2.0","id":1,"result":null}`},
		{"accepts a media type in capitals", http.MethodPost, "Application/JSON", call, 0, http.StatusOK,
			nil, `{"jsonrpc":"2.0","id":1,"result":null}`},
		{"answers 200 to errors", http.MethodPost, "application/json", `{`, 0, http.StatusOK,
			nil, `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error"}}`},
		{"answers 204 to a notification", http.MethodPost, "application/json", `{"jsonrpc":"2.0","method":"echo"}`, 0, http.StatusNoContent,
			map[string]string{"Content-Type": ""}, ""},
		{"answers 204 to a batch of notifications", http.MethodPost, "application/json", `[{"jsonrpc":"2.0","method":"echo"}]`, 0, http.StatusNoContent,
			nil, ""},
		{"refuses GET", http.MethodGet, "", "", 0, http.StatusMethodNotAllowed,
			map[string]string{"Allow": "POST"}, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: send requests with POST"}}`},
		{"refuses PUT", http.MethodPut, "application/json", call, 0, http.StatusMethodNotAllowed,
			map[string]string{"Allow": "POST"}, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: send requests with POST"}}`},
		{"refuses a missing Content-Type", http.MethodPost, "", call, 0, http.StatusUnsupportedMediaType,
			nil, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: Content-Type must be application/json"}}`},
		{"refuses text/plain", http.MethodPost, "text/plain", call, 0, http.StatusUnsupportedMediaType,
			nil, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: Content-Type must be application/json"}}`},
		{"refuses another charset", http.MethodPost, "application/json; charset=latin1", call, 0, http.StatusUnsupportedMediaType,
			nil, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: Content-Type must be application/json"}}`},
		{"refuses a malformed Content-Type", http.MethodPost, "application/json; charset", call, 0, http.StatusUnsupportedMediaType,
			nil, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: Content-Type must be application/json"}}`},
		{"answers a body at the limit", http.MethodPost, "application/json", call, int64(len(call)), http.StatusOK,
			nil, `{"jsonrpc":"2.0","id":1,"result":null}`},
		{"refuses a body over the limit", http.MethodPost, "application/json", call + " ", int64(len(call)), http.StatusRequestEntityTooLarge,
			map[string]string{"Content-Type": "application/json"}, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: the body is larger than 40 bytes"}}`},
		{"refuses a body over the default limit", http.MethodPost, "application/json", `[` + strings.Repeat(" ", 1<<20) + `]`, 0, http.StatusRequestEntityTooLarge,
			nil, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: the body is larger than 1048576 bytes"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := envelopeServer(t, Options{MaxBodyBytes: tt.maxBody})
			r := httptest.NewRequest(tt.method, "/rpc", strings.NewReader(tt.body))
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if w.Code != tt.status {
				t.Errorf("status: got %d, want %d", w.Code, tt.status)
			}
			for k, v := range tt.headers {
				if got := w.Header().Get(k); got != v {
					t.Errorf("%s: got %q, want %q", k, got, v)
				}
			}
			if tt.response == "" {
				if w.Body.Len() != 0 {
					t.Errorf("body: got %s, want none", w.Body)
				}
				return
			}
			checkAnswer(t, w.Body.Bytes())
			sameJSON(t, w.Body.String(), tt.response)
		})
	}
}

// brokenBody fails to be read.
type brokenBody struct{}

func (brokenBody) Read([]byte) (int, error) { return 0, http.ErrBodyReadAfterClose }

func TestServeHTTPUnreadableBody(t *testing.T) {
	s, _, _ := envelopeServer(t, Options{})
	r := httptest.NewRequest(http.MethodPost, "/rpc", brokenBody{})
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != http.StatusBadRequest {
		t.Errorf("status: got %d, want 400", w.Code)
	}
	sameJSON(t, w.Body.String(), `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error: the body could not be read"}}`)
}
