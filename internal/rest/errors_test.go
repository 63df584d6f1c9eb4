package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/torquehq/torque"
)

// newTestServer returns a server without services, logging into the
// returned buffer, for tests of the transport alone.
func newTestServer(t *testing.T) (*server, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	s := newServer(Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	return s, &logs
}

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func decodeError(t *testing.T, body []byte) errorDetail {
	t.Helper()
	var b struct {
		Error *errorDetail `json:"error"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil || b.Error == nil {
		t.Fatalf("not an error body (%v): %s", err, body)
	}
	return *b.Error
}

func TestErrorStatusTable(t *testing.T) {
	cases := []struct {
		code   string
		status int
	}{
		{torque.EINVALID, 400},
		{torque.EUNAUTHORIZED, 401},
		{torque.EFORBIDDEN, 403},
		{torque.ENOTFOUND, 404},
		{codeMethod, 405},
		{torque.ECONFLICT, 409},
		{torque.ETOOLARGE, 413},
		{codeMediaType, 415},
		{torque.EINTERNAL, 500},
		{torque.ETIMEOUT, 503},
	}
	if len(cases) != len(statusOf) {
		t.Errorf("statusOf has %d codes, the test %d", len(statusOf), len(cases))
	}
	for _, c := range cases {
		if got := statusOf[c.code]; got != c.status {
			t.Errorf("statusOf[%s] = %d, want %d", c.code, got, c.status)
		}
	}
}

func TestWriteError(t *testing.T) {
	cases := []struct {
		name    string
		err     error
		status  int
		code    string
		message string
		fields  map[string]string
	}{
		{"invalid with fields", torque.Invalid("invalid Task", map[string]string{"title": "is required"}),
			400, torque.EINVALID, "invalid Task", map[string]string{"title": "is required"}},
		{"not found", torque.Errorf(torque.ENOTFOUND, "no app %q", "x"), 404, torque.ENOTFOUND, `no app "x"`, nil},
		{"wrapped conflict", fmt.Errorf("saving: %w", torque.Errorf(torque.ECONFLICT, "stale")), 409, torque.ECONFLICT, "stale", nil},
		{"too large", torque.Errorf(torque.ETOOLARGE, "big"), 413, torque.ETOOLARGE, "big", nil},
		{"unauthorized", torque.Errorf(torque.EUNAUTHORIZED, "who"), 401, torque.EUNAUTHORIZED, "who", nil},
		{"forbidden", torque.Errorf(torque.EFORBIDDEN, "no"), 403, torque.EFORBIDDEN, "no", nil},
		{"plain error is internal", errors.New("disk on fire"), 500, torque.EINTERNAL, "internal error", nil},
		{"internal torque error hides its message", torque.Errorf(torque.EINTERNAL, "secret detail"), 500, torque.EINTERNAL, "internal error", nil},
		{"unknown code is internal", torque.Errorf("EWHAT", "odd"), 500, torque.EINTERNAL, "internal error", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, logs := newTestServer(t)
			rec := httptest.NewRecorder()
			s.writeError(rec, httptest.NewRequest(http.MethodGet, "/api/v1/apps/x", nil), c.err)
			if rec.Code != c.status {
				t.Errorf("status %d, want %d", rec.Code, c.status)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			got := decodeError(t, rec.Body.Bytes())
			if got.Code != c.code || got.Message != c.message || fmt.Sprint(got.Fields) != fmt.Sprint(c.fields) {
				t.Errorf("got %+v, want code %s message %q fields %v", got, c.code, c.message, c.fields)
			}
			if c.fields == nil && strings.Contains(rec.Body.String(), `"fields"`) {
				t.Errorf("empty fields not omitted: %s", rec.Body)
			}
			logged := strings.Count(logs.String(), "\n")
			if c.status == 500 {
				if logged != 1 || !strings.Contains(logs.String(), `"method":"GET"`) || !strings.Contains(logs.String(), `"path":"/api/v1/apps/x"`) {
					t.Errorf("internal error not logged once with method and path: %s", logs)
				}
				if cause := c.err.Error(); !strings.Contains(logs.String(), cause[strings.LastIndex(cause, " ")+1:]) {
					t.Errorf("log lacks the cause %q: %s", cause, logs)
				}
			} else if logged != 0 {
				t.Errorf("client error logged: %s", logs)
			}
		})
	}
}

func TestWriteErrorClientGone(t *testing.T) {
	s, logs := newTestServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodGet, "/api/v1/apps", nil).WithContext(ctx)
	s.writeError(rec, r, fmt.Errorf("query: %w", context.Canceled))
	if rec.Code != statusClientClosed {
		t.Errorf("status %d, want %d", rec.Code, statusClientClosed)
	}
	if strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("a client that went away was logged as an error: %s", logs)
	}
}
