package jsonrpc

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type benchParams struct {
	App    string `json:"app" jsonrpc:"required"`
	Entity string `json:"entity" jsonrpc:"required"`
	Limit  int    `json:"limit"`
}

func benchServer() *Server {
	s := NewServer(Options{Logger: slog.New(slog.DiscardHandler)})
	s.Register("load", func(_ context.Context, params json.RawMessage) (any, error) {
		var p benchParams
		if err := DecodeParams(params, &p); err != nil {
			return nil, err
		}
		return map[string]any{"app": p.App, "items": []int{1, 2, 3}, "limit": p.Limit}, nil
	})
	return s
}

const benchCall = `{"jsonrpc":"2.0","method":"load","params":{"app":"todo","entity":"task","limit":20},"id":1}`

func benchPost(b *testing.B, s *Server, body string) {
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "/rpc", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// BenchmarkCall is one call over ServeHTTP: envelope, strict params,
// result encoding.
func BenchmarkCall(b *testing.B) {
	b.ReportAllocs()
	benchPost(b, benchServer(), benchCall)
}

// BenchmarkBatch10 is a batch of ten such calls.
func BenchmarkBatch10(b *testing.B) {
	b.ReportAllocs()
	benchPost(b, benchServer(), "["+strings.TrimSuffix(strings.Repeat(benchCall+",", 10), ",")+"]")
}
