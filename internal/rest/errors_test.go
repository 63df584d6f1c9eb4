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
	"time"

	"github.com/torquehq/torque"
)

// newTestServer returns a server without services, logging into the
// returned buffer, for tests of the transport alone.
func newTestServer(t *testing.T) (*server, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	s := newServer(Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil)), Auth: adminToken{}})
	return s, &logs
}

// testToken is the one token adminToken accepts.
const testToken = "tq_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

// adminToken authenticates testToken as an admin, for tests of the
// transport alone; the services' own authentication is tested with them
// and through the real stack in api_test.go.
type adminToken struct{ torque.AuthService }

func (adminToken) Authenticate(ctx context.Context, c torque.Credentials) (*torque.Actor, error) {
	if c.Token != testToken {
		return nil, torque.Errorf(torque.EUNAUTHORIZED, "unknown or revoked API token")
	}
	return &torque.Actor{UserID: "u1", Email: "admin@example.com", Admin: true, TokenID: "t1"}, nil
}

// authed returns a request carrying testToken.
func authed(method, target string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	r.Header.Set("Authorization", "Bearer "+testToken)
	return r
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
		{torque.ETHROTTLED, 429},
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
		{"throttled", &torque.Error{Code: torque.ETHROTTLED, Message: "slow down", RetryAfter: 1500 * time.Millisecond}, 429, torque.ETHROTTLED, "slow down", nil},
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
			if got, want := rec.Header().Get("Retry-After"), map[int]string{429: "2"}[c.status]; got != want {
				t.Errorf("Retry-After %q, want %q", got, want)
			}
			if got, want := rec.Header().Get("WWW-Authenticate"), map[int]string{401: `Bearer realm="torque"`}[c.status]; got != want {
				t.Errorf("WWW-Authenticate %q, want %q", got, want)
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
