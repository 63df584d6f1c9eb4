package graphql

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/bus"
)

func newTestHandler() (*Handler, *bytes.Buffer) {
	var logs bytes.Buffer
	return New(Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))}), &logs
}

// TestErrorCodeTable checks every torque code has its GraphQL code, and
// that internal errors are hidden and logged.
func TestErrorCodeTable(t *testing.T) {
	h, logs := newTestHandler()
	ctx := context.Background()
	want := map[string]string{
		torque.ECONFLICT: "CONFLICT", torque.EINVALID: "BAD_USER_INPUT", torque.ENOTFOUND: "NOT_FOUND",
		torque.EFORBIDDEN: "FORBIDDEN", torque.EUNAUTHORIZED: "UNAUTHENTICATED", torque.ETHROTTLED: "THROTTLED",
		torque.ETOOLARGE: "TOO_LARGE", torque.ETIMEOUT: "TIMEOUT", torque.EINTERNAL: "INTERNAL",
	}
	for code, gql := range want {
		t.Run(code, func(t *testing.T) {
			e := h.present(ctx, fmt.Errorf("wrapped: %w", torque.Errorf(code, "secret detail %s", code)))
			if e.Extensions["code"] != gql {
				t.Errorf("code %v, want %s", e.Extensions["code"], gql)
			}
			if code == torque.EINTERNAL && e.Message != "internal error" {
				t.Errorf("message %q, want internal error", e.Message)
			} else if code != torque.EINTERNAL && e.Message != "secret detail "+code {
				t.Errorf("message %q", e.Message)
			}
		})
	}
	if len(codeOf) != len(want) {
		t.Errorf("codeOf has %d codes, want %d", len(codeOf), len(want))
	}
	logs.Reset()
	e := h.present(ctx, errors.New("disk on fire"))
	if e.Message != "internal error" || e.Extensions["code"] != "INTERNAL" || !strings.Contains(logs.String(), "disk on fire") {
		t.Errorf("plain error: %+v; log %q", e, logs.String())
	}
}

func TestErrorExtensions(t *testing.T) {
	h, _ := newTestHandler()
	ctx := context.Background()
	err := torque.Invalid("invalid model", map[string]string{"entities[0].name": "is required"})
	if e := h.present(ctx, err); fmt.Sprint(e.Extensions["fields"]) != "map[entities[0].name:is required]" {
		t.Errorf("fields %v", e.Extensions["fields"])
	}
	c := &torque.Error{Code: torque.ECONFLICT, Message: "stale", Conflict: &torque.Conflict{Version: 4}}
	e := h.present(ctx, c)
	if got, ok := e.Extensions["conflict"].(*torque.Conflict); !ok || got.Version != 4 || got.Changes == nil {
		t.Errorf("conflict %#v", e.Extensions["conflict"])
	}
	thr := &torque.Error{Code: torque.ETHROTTLED, Message: "slow down", RetryAfter: 1500 * 1e6}
	if e := h.present(ctx, thr); e.Extensions["retryAfter"] != int64(2) {
		t.Errorf("retryAfter %v, want 2", e.Extensions["retryAfter"])
	}
	for _, err := range []error{bus.ErrLagged, bus.ErrResync, bus.ErrClosed, fmt.Errorf("model gone: %w", bus.ErrResync)} {
		if e := h.present(ctx, err); e.Extensions["code"] != "RESYNC" {
			t.Errorf("%v: code %v, want RESYNC", err, e.Extensions["code"])
		}
	}
	v := gqlerror.Errorf("Cannot query field")
	v.Extensions = map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"}
	if e := h.present(ctx, v); e.Extensions["code"] != "GRAPHQL_VALIDATION_FAILED" || e.Message != "Cannot query field" {
		t.Errorf("validation error changed: %+v", e)
	}
}

func TestPanicsAreInternal(t *testing.T) {
	h, logs := newTestHandler()
	ctx := graphql.WithPathContext(context.Background(), graphql.NewPathWithField("models"))
	err := h.recoverPanic(ctx, "boom")
	e := h.present(ctx, err)
	if e.Message != "internal error" || e.Extensions["code"] != "INTERNAL" {
		t.Errorf("panic presented as %+v", e)
	}
	if n := strings.Count(logs.String(), "boom"); n != 1 {
		t.Errorf("the panic was logged %d times, want once: %s", n, logs.String())
	}
}

// TestSelectionDepth checks the depth count on a schema that nests
// without end.
func TestSelectionDepth(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  int
	}{
		{`{ a { name } }`, 2},
		{`{ a { a { a { name } } } }`, 4},
		{`{ a { ...F } } fragment F on Node { a { a { name } } }`, 4},
		{`{ a { ... on Node { a { name } } } }`, 3},
		{`{ a { name } b: a { a { a { a { name } } } } }`, 5},
		{`{ __schema { types { fields { type { ofType { ofType { name } } } } } } }`, 0},
	} {
		doc := parseQuery(t, tc.query)
		if got := selectionDepth(doc, doc.Operations[0].SelectionSet, map[string]bool{}); got != tc.want {
			t.Errorf("%s: depth %d, want %d", tc.query, got, tc.want)
		}
	}
}

func parseQuery(t *testing.T, q string) *ast.QueryDocument {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: q})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
