package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/config"
	"github.com/torquehq/torque/internal/server"
	"github.com/torquehq/torque/internal/service"
)

// adminPasswordRE finds the password init and serve print for the first admin.
var adminPasswordRE = regexp.MustCompile(`(?m)^  password: (\S+)`)

// tokenRE is the whole standard output of token create.
var tokenRE = regexp.MustCompile(`\Atq_[A-Za-z0-9_-]{43}\n\z`)

// openService opens the store in data as the torque commands do.
func openService(t *testing.T, data string) *service.Service {
	t.Helper()
	cfg := config.Default()
	cfg.Data = data
	db, err := server.OpenStore(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return service.New(db, service.Options{})
}

func TestUsersAndTokens(t *testing.T) {
	t.Chdir(t.TempDir())
	data := filepath.Join(t.TempDir(), "data")
	// Every command logs at debug level, so that a password or token that
	// reached the log would show.
	exec := func(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
		t.Helper()
		return runSplit(t, stdin, append(args, "--data", data, "--log-level", "debug", "--log-format", "text")...)
	}
	must := func(t *testing.T, stdin string, args ...string) (stdout, stderr string) {
		t.Helper()
		stdout, stderr, err := exec(t, stdin, args...)
		if err != nil {
			t.Fatalf("torque %s: %v\n%s%s", strings.Join(args, " "), err, stdout, stderr)
		}
		return stdout, stderr
	}
	// secrets are every password and token the test used: none may be on
	// standard error, where the log goes.
	var secrets []string
	var logs strings.Builder
	mustQuiet := func(t *testing.T, stdin string, args ...string) string {
		t.Helper()
		stdout, stderr := must(t, stdin, args...)
		logs.WriteString(stderr)
		return stdout
	}

	var adminPassword string
	t.Run("init prints the first admin's password once", func(t *testing.T) {
		out := mustQuiet(t, "", "init")
		m := adminPasswordRE.FindAllStringSubmatch(out, -1)
		if len(m) != 1 {
			t.Fatalf("got %d password lines in %q, want 1", len(m), out)
		}
		adminPassword = m[0][1]
		secrets = append(secrets, adminPassword)
		if n := strings.Count(out, adminPassword); n != 1 {
			t.Fatalf("got the password %d times in %q, want once", n, out)
		}
		if !strings.Contains(out, "admin user created: "+service.FirstAdminEmail) || !strings.Contains(out, "torque user passwd --email "+service.FirstAdminEmail) {
			t.Fatalf("got %q, want the admin's email and how to change the password", out)
		}
		if _, err := openService(t, data).Login(context.Background(), service.FirstAdminEmail, adminPassword, "127.0.0.1"); err != nil {
			t.Fatalf("sign in with the printed password: %v", err)
		}
	})
	t.Run("a second init prints no password", func(t *testing.T) {
		if out := mustQuiet(t, "", "init"); strings.Contains(out, "password") || strings.Contains(out, "admin user created") {
			t.Fatalf("got %q, want no admin made", out)
		}
	})

	const anaPassword = "correct horse battery"
	secrets = append(secrets, anaPassword)
	t.Run("user add reads the password from stdin", func(t *testing.T) {
		out := mustQuiet(t, anaPassword+"\n", "user", "add", "--email", "Ana@Example.com", "--password-stdin")
		if out != "user ana@example.com added\n" {
			t.Fatalf("got %q", out)
		}
	})
	t.Run("user add reads the password from TORQUE_PASSWORD", func(t *testing.T) {
		const pw = "env password 123"
		secrets = append(secrets, pw)
		t.Setenv("TORQUE_PASSWORD", pw)
		if out := mustQuiet(t, "", "user", "add", "--email", "ops@example.com", "--role", "admin"); out != "user ops@example.com added (admin)\n" {
			t.Fatalf("got %q", out)
		}
		if _, err := openService(t, data).Login(context.Background(), "ops@example.com", pw, "127.0.0.1"); err != nil {
			t.Fatalf("sign in: %v", err)
		}
	})
	t.Run("user add takes --password", func(t *testing.T) {
		const pw = "flag password 456"
		secrets = append(secrets, pw)
		if out := mustQuiet(t, "", "user", "add", "--email", "bo@example.com", "--password", pw); out != "user bo@example.com added\n" {
			t.Fatalf("got %q", out)
		}
	})
	t.Run("user list shows one line per user", func(t *testing.T) {
		out := mustQuiet(t, "", "user", "list")
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		want := map[string]string{service.FirstAdminEmail: "admin", "ana@example.com": "user", "ops@example.com": "admin", "bo@example.com": "user"}
		if len(lines) != len(want) {
			t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), out)
		}
		idRE := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$`)
		for _, line := range lines {
			f := strings.Fields(line)
			if len(f) != 3 || want[f[0]] != f[1] || !idRE.MatchString(f[2]) {
				t.Fatalf("got line %q, want email, admin or user, and a UUID", line)
			}
		}
	})

	var anaToken string
	t.Run("token create prints the token alone", func(t *testing.T) {
		stdout, stderr := must(t, "", "token", "create", "--email", "ana@example.com", "--name", "cli")
		if !tokenRE.MatchString(stdout) {
			t.Fatalf("got stdout %q, want one line with the token", stdout)
		}
		logs.WriteString(stderr)
		anaToken = strings.TrimSpace(stdout)
		secrets = append(secrets, anaToken)
		if !strings.Contains(stderr, `token "cli" for ana@example.com`) || !strings.Contains(stderr, "never expires") {
			t.Fatalf("got stderr %q, want a note on the token", stderr)
		}
		a, err := openService(t, data).Authenticate(context.Background(), torque.Credentials{Token: anaToken, IP: "127.0.0.1"})
		if err != nil || a == nil || a.Email != "ana@example.com" || a.Admin {
			t.Fatalf("authenticate with the token: got %+v, %v; want ana, not admin", a, err)
		}
	})
	t.Run("token create with an expiry", func(t *testing.T) {
		stdout, stderr := must(t, "", "token", "create", "--email", "ana@example.com", "--name", "month", "--expires", "30d")
		if !tokenRE.MatchString(stdout) || !strings.Contains(stderr, "expires at ") {
			t.Fatalf("got stdout %q, stderr %q", stdout, stderr)
		}
		logs.WriteString(stderr)
		secrets = append(secrets, strings.TrimSpace(stdout))
	})

	const newPassword = "a new password 789"
	secrets = append(secrets, newPassword)
	t.Run("user passwd changes the password", func(t *testing.T) {
		out := mustQuiet(t, newPassword+"\n", "user", "passwd", "--email", "ana@example.com", "--password-stdin")
		if !strings.Contains(out, "password of ana@example.com changed") {
			t.Fatalf("got %q", out)
		}
		svc := openService(t, data)
		ctx := context.Background()
		if _, err := svc.Login(ctx, "ana@example.com", newPassword, "127.0.0.1"); err != nil {
			t.Fatalf("sign in with the new password: %v", err)
		}
		if _, err := svc.Login(ctx, "ana@example.com", anaPassword, "127.0.0.1"); torque.ErrorCode(err) != torque.EUNAUTHORIZED {
			t.Fatalf("sign in with the old password: got %v, want EUNAUTHORIZED", err)
		}
	})

	refusals := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"user add without a password", "", []string{"user", "add", "--email", "x@example.com"}, "no password given"},
		{"user add with an empty line on stdin", "\n", []string{"user", "add", "--email", "x@example.com", "--password-stdin"}, "--password-stdin"},
		{"user add with a short password names the password", "", []string{"user", "add", "--email", "x@example.com", "--password", "short"}, "password: must be at least 8 characters"},
		{"user add with a bad email", "", []string{"user", "add", "--email", "not-an-email", "--password", "long enough 1"}, "email: must be an email address"},
		{"user add with an unknown role", "", []string{"user", "add", "--email", "x@example.com", "--password", "long enough 1", "--role", "owner"}, `--role: must be "admin" or "user"`},
		{"user add of an existing email", "", []string{"user", "add", "--email", "ana@example.com", "--password", "long enough 1"}, "ana@example.com"},
		{"user add with both password flags", "pw\n", []string{"user", "add", "--email", "x@example.com", "--password", "long enough 1", "--password-stdin"}, "password"},
		{"user passwd with a short password", "", []string{"user", "passwd", "--email", "ana@example.com", "--password", "short"}, "password: must be at least 8 characters"},
		{"user passwd of an unknown email", "", []string{"user", "passwd", "--email", "nobody@example.com", "--password", "long enough 1"}, `no user with email "nobody@example.com"`},
		{"token create for an unknown email", "", []string{"token", "create", "--email", "nobody@example.com", "--name", "x"}, `email: no user with email "nobody@example.com"`},
		{"token create without a name", "", []string{"token", "create", "--email", "ana@example.com"}, "name"},
		{"token create with a bad expiry", "", []string{"token", "create", "--email", "ana@example.com", "--name", "x", "--expires", "3x"}, "--expires"},
		{"token create past the longest expiry", "", []string{"token", "create", "--email", "ana@example.com", "--name", "x", "--expires", "1000w"}, "expires: must be from 0 (never) to 10 years"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := exec(t, tt.stdin, tt.args...)
			logs.WriteString(stderr)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got error %v (output %q), want one mentioning %q", err, stdout, tt.want)
			}
			if stdout != "" {
				t.Fatalf("got stdout %q, want none", stdout)
			}
			for _, a := range tt.args {
				if strings.Contains(a, "long enough") && strings.Contains(err.Error(), a) {
					t.Fatalf("error %q shows the password", err)
				}
			}
		})
	}

	t.Run("no password or token reaches standard error", func(t *testing.T) {
		for _, s := range secrets {
			if s != "" && strings.Contains(logs.String(), s) {
				t.Fatalf("the log shows the secret %q:\n%s", s, logs.String())
			}
		}
	})
}
