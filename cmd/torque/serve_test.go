package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/torquehq/torque/internal/service"
)

// The binary is built once per test run, into binDir.
var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// buildTorque compiles the binary once per test run and returns its path.
func buildTorque(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "torque-test-"); buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "torque")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
		cmd.Stderr = os.Stderr
		buildErr = cmd.Run()
	})
	if buildErr != nil {
		t.Fatalf("build torque: %v", buildErr)
	}
	return binPath
}

// output collects what a process writes, safe to read while it writes.
type output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// served is a running `torque serve`.
type served struct {
	cmd    *exec.Cmd
	base   string  // e.g. http://127.0.0.1:41234
	stdout *output // the banner
	stderr *output // the log
	done   chan struct{}
}

// stop sends sig to the server and waits for it to exit.
func (s *served) stop(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := s.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.done:
	case <-time.After(60 * time.Second):
		t.Fatal("torque serve did not stop")
	}
}

var servingRE = regexp.MustCompile(`running at (http://\S+)`)

// startTorque runs `torque serve` on data and a free port, with extra
// arguments, and returns once it has printed its whole banner.
func startTorque(t *testing.T, bin, data string, extra ...string) *served {
	t.Helper()
	args := append([]string{"serve", "--data", data, "--addr", "127.0.0.1:0", "--log-level", "warn"}, extra...)
	s := &served{cmd: exec.Command(bin, args...), stdout: &output{}, stderr: &output{}, done: make(chan struct{})}
	s.cmd.Stdout, s.cmd.Stderr = s.stdout, s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		<-s.done
		if t.Failed() {
			t.Logf("torque serve output:\n%s%s", s.stdout, s.stderr)
		}
	})
	deadline := time.After(60 * time.Second)
	for !strings.Contains(s.stdout.String(), "Press Ctrl+C to stop.") {
		select {
		case <-s.done:
			t.Fatalf("torque serve exited before serving:\n%s%s", s.stdout, s.stderr)
		case <-deadline:
			t.Fatalf("torque serve did not start:\n%s%s", s.stdout, s.stderr)
		case <-time.After(10 * time.Millisecond):
		}
	}
	m := servingRE.FindStringSubmatch(s.stdout.String())
	if m == nil {
		t.Fatalf("no address in the banner:\n%s", s.stdout)
	}
	s.base = m[1]
	return s
}

// createToken runs `torque token create` on data for email and returns the
// token it prints.
func createToken(t *testing.T, bin, data, email string) string {
	t.Helper()
	cmd := exec.Command(bin, "token", "create", "--data", data, "--email", email, "--name", t.Name())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("token create: %v\n%s", err, stderr.String())
	}
	if !tokenRE.Match(out) {
		t.Fatalf("token create printed %q, want the token alone", out)
	}
	return strings.TrimSpace(string(out))
}

// TestServeWithAuthentication starts the binary on an empty store and
// signs in every way there is: with the password the first serve prints,
// and with tokens made by `torque token create` while it runs.
func TestServeWithAuthentication(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildTorque(t)
	data := t.TempDir()
	srv := startTorque(t, bin, data, "--log-level", "debug", "--log-format", "json")
	banner := srv.stdout.String()
	m := adminPasswordRE.FindStringSubmatch(banner)
	if m == nil || !strings.Contains(banner, "admin user created: "+service.FirstAdminEmail) {
		t.Fatalf("the first serve printed no admin password:\n%s", banner)
	}
	adminPassword := m[1]
	for _, want := range []string{"POST " + srv.base + "/api/v1/auth/login", "torque token create --email " + service.FirstAdminEmail} {
		if !strings.Contains(banner, want) {
			t.Fatalf("the banner does not say %q:\n%s", want, banner)
		}
	}
	secrets := []string{adminPassword}

	t.Run("anonymous requests are refused", func(t *testing.T) {
		if status, body := call(t, http.DefaultClient, http.MethodGet, srv.base+"/api/v1/apps", "", ""); status != http.StatusUnauthorized {
			t.Fatalf("got %d %s, want 401", status, body)
		}
	})
	t.Run("the printed password signs in", func(t *testing.T) {
		jar, err := cookiejar.New(nil)
		if err != nil {
			t.Fatal(err)
		}
		browser := &http.Client{Jar: jar, Timeout: 10 * time.Second}
		login, _ := json.Marshal(map[string]string{"email": service.FirstAdminEmail, "password": adminPassword})
		if status, body := call(t, browser, http.MethodPost, srv.base+"/api/v1/auth/login", "", string(login)); status != http.StatusOK {
			t.Fatalf("sign in: got %d %s, want 200", status, body)
		}
		if email, admin := me(t, browser, srv.base, ""); email != service.FirstAdminEmail || !admin {
			t.Fatalf("me: got %s (admin %v), want the admin", email, admin)
		}
	})
	t.Run("a token made for a new user while the server runs authenticates", func(t *testing.T) {
		const password = "ana's password 1"
		secrets = append(secrets, password)
		add := exec.Command(bin, "user", "add", "--data", data, "--email", "ana@example.com", "--password-stdin")
		add.Stdin = strings.NewReader(password + "\n")
		if out, err := add.CombinedOutput(); err != nil || string(out) != "user ana@example.com added\n" {
			t.Fatalf("user add: %v\n%s", err, out)
		}
		token := createToken(t, bin, data, "ana@example.com")
		secrets = append(secrets, token)
		if email, admin := me(t, http.DefaultClient, srv.base, token); email != "ana@example.com" || admin {
			t.Fatalf("me: got %s (admin %v), want ana, not admin", email, admin)
		}
	})
	t.Run("bench asks for a token, then runs with one", func(t *testing.T) {
		args := []string{"bench", "--url", srv.base, "-d", "1s", "-c", "2", "--seed", "5"}
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "TORQUE_TOKEN=") {
				env = append(env, kv)
			}
		}
		anonymous := exec.Command(bin, args...)
		anonymous.Env = env
		out, err := anonymous.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "pass --token or set TORQUE_TOKEN") {
			t.Fatalf("bench without a token: got %v\n%s\nwant a failure saying how to give a token", err, out)
		}
		token := createToken(t, bin, data, service.FirstAdminEmail)
		secrets = append(secrets, token)
		withToken := exec.Command(bin, args...)
		withToken.Env = append(env, "TORQUE_TOKEN="+token)
		if out, err := withToken.CombinedOutput(); err != nil || !strings.Contains(string(out), "ops/s") || strings.Contains(string(out), "first error") {
			t.Fatalf("bench with a token: %v\n%s", err, out)
		}
	})

	srv.stop(t, os.Interrupt)
	t.Run("no password or token reaches the log", func(t *testing.T) {
		logs := srv.stderr.String()
		if !strings.Contains(logs, `"msg":"torque serving"`) {
			t.Fatalf("want the server's log, got:\n%s", logs)
		}
		for _, s := range secrets {
			if strings.Contains(logs, s) {
				t.Fatalf("the log shows the secret %q:\n%s", s, logs)
			}
		}
	})
	t.Run("the next serve makes no admin", func(t *testing.T) {
		again := startTorque(t, bin, data)
		if out := again.stdout.String(); strings.Contains(out, "admin user created") || adminPasswordRE.MatchString(out) {
			t.Fatalf("the second serve printed a password:\n%s", out)
		}
	})
}

// call sends a request, with a bearer token unless token is "", and
// returns the status and body of the answer.
func call(t *testing.T, client *http.Client, method, url, token, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(answer)
}

// me asks GET /api/v1/auth/me whom the client (or token) acts for.
func me(t *testing.T, client *http.Client, base, token string) (email string, admin bool) {
	t.Helper()
	status, body := call(t, client, http.MethodGet, base+"/api/v1/auth/me", token, "")
	if status != http.StatusOK {
		t.Fatalf("GET /api/v1/auth/me: got %d %s, want 200", status, body)
	}
	var u struct {
		Email string
		Admin bool
	}
	if err := json.Unmarshal([]byte(body), &u); err != nil {
		t.Fatalf("GET /api/v1/auth/me: %v in %s", err, body)
	}
	return u.Email, u.Admin
}
