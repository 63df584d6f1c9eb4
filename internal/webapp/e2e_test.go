package webapp

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// chromiumPath is the browser the scenario drives (Debian's chromium).
const chromiumPath = "/usr/bin/chromium"

// TestTodoScenarioInBrowser builds and starts the real binary with the TODO
// example and runs web/e2e/todo.spec.mjs (Playwright) against it. It
// needs the app built into the binary (make web), Node with web's
// node_modules, and Chromium; without them it is skipped, unless CI=true.
// TORQUE_SCREENSHOTS=docs/screenshots writes the screenshots of the docs.
func TestTodoScenarioInBrowser(t *testing.T) {
	b := newBrowserRun(t)
	password := b.init(t, "--example", "todo")
	b.script(t, "todo.spec.mjs", serve(t, b.bin, b.data), password)
}

// relationsModel has a one-to-many relationship and no pages: both entity
// types get generated pages, and the Task form a picker of its project.
const relationsModel = `{
  "name": "Projects",
  "entities": [
    {"name": "Project", "fields": [{"name": "name", "type": "string", "required": true}]},
    {"name": "Task", "fields": [{"name": "title", "type": "string", "required": true}]}
  ],
  "relationships": [
    {"name": "project_tasks", "kind": "one-to-many", "from": "Project", "to": "Task",
     "fromField": "tasks", "toField": "project", "onDelete": "set-null"}
  ]
}`

// TestRelationsScenarioInBrowser imports relationsModel through the CLI,
// creates an app of it, and runs web/e2e/relations.spec.mjs: a task's
// project is picked by name in its form.
func TestRelationsScenarioInBrowser(t *testing.T) {
	b := newBrowserRun(t)
	password := b.init(t)
	file := filepath.Join(t.TempDir(), "model.json")
	if err := os.WriteFile(file, []byte(relationsModel), 0o600); err != nil {
		t.Fatal(err)
	}
	b.run(t, "model", "import", file, "--data", b.data)
	b.run(t, "app", "create", "--model", "Projects", "--name", "projects", "--data", b.data)
	b.script(t, "relations.spec.mjs", serve(t, b.bin, b.data), password)
}

// formsModel has no pages: Contact gets a generated list and detail page.
// Its fields cover the formats of grids and detail pages.
const formsModel = `{
  "name": "Contacts",
  "entities": [
    {"name": "Contact", "fields": [
      {"name": "name", "type": "string", "required": true},
      {"name": "email", "type": "email"},
      {"name": "phone", "type": "string"},
      {"name": "vip", "type": "boolean"},
      {"name": "score", "type": "number"},
      {"name": "since", "type": "date"},
      {"name": "notes", "type": "text"}
    ]}
  ]
}`

// TestFormsScenarioInBrowser imports formsModel, creates an app of it, and
// runs web/e2e/app-forms.spec.mjs: a field removed from the model while
// its form is open, formatted values, the page of one contact, and a grid
// of 200 rows.
func TestFormsScenarioInBrowser(t *testing.T) {
	b := newBrowserRun(t)
	password := b.init(t)
	file := filepath.Join(t.TempDir(), "model.json")
	if err := os.WriteFile(file, []byte(formsModel), 0o600); err != nil {
		t.Fatal(err)
	}
	b.run(t, "model", "import", file, "--data", b.data)
	b.run(t, "app", "create", "--model", "Contacts", "--name", "contacts", "--data", b.data)
	b.script(t, "app-forms.spec.mjs", serve(t, b.bin, b.data), password)
}

// browserRun is what a browser scenario needs: the repository, the built
// binary and its data directory.
type browserRun struct {
	root, webDir, bin, data string
}

// newBrowserRun skips t (or fails it, with CI=true) when the browser, Node
// or the built app is missing, and builds the binary.
func newBrowserRun(t *testing.T) *browserRun {
	t.Helper()
	if testing.Short() {
		t.Skip("a browser scenario: not in -short")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	webDir := filepath.Join(root, "web")
	missing := ""
	switch {
	case !App().Built() || !Editor().Built():
		missing = "the web apps are not built into this package (make web)"
	case !exists(chromiumPath):
		missing = "no Chromium at " + chromiumPath
	case !exists(filepath.Join(webDir, "node_modules", "playwright-core")):
		missing = "no playwright-core in web/node_modules (npm ci in web)"
	}
	if _, err := exec.LookPath("node"); err != nil && missing == "" {
		missing = "no node on PATH"
	}
	if missing != "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %s", missing)
		}
		t.Skip(missing)
	}

	tmp := t.TempDir()
	bin := filepath.Join(tmp, "torque")
	build := exec.Command("go", "build", "-o", bin, "./cmd/torque")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return &browserRun{root: root, webDir: webDir, bin: bin, data: filepath.Join(tmp, "data")}
}

// init runs `torque init` with args and returns the admin's password.
func (b *browserRun) init(t *testing.T, args ...string) string {
	t.Helper()
	out := b.run(t, append([]string{"init", "--data", b.data}, args...)...)
	m := regexp.MustCompile(`password: (\S+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("torque init printed no admin password:\n%s", out)
	}
	return string(m[1])
}

// run runs the binary with args and returns its output.
func (b *browserRun) run(t *testing.T, args ...string) []byte {
	t.Helper()
	out, err := exec.Command(b.bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("torque %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// script runs web/e2e/name against the server at base.
func (b *browserRun) script(t *testing.T, name, base, password string) {
	t.Helper()
	script := exec.Command("node", filepath.Join("e2e", name))
	script.Dir = b.webDir
	script.Env = append(os.Environ(), "TORQUE_URL="+base, "TORQUE_PASSWORD="+password, "CHROMIUM="+chromiumPath)
	if dir := os.Getenv("TORQUE_SCREENSHOTS"); dir != "" && !filepath.IsAbs(dir) {
		script.Env = append(script.Env, "TORQUE_SCREENSHOTS="+filepath.Join(b.root, dir))
	}
	res, err := script.CombinedOutput()
	t.Logf("browser scenario %s:\n%s", name, res)
	if err != nil {
		t.Fatalf("the browser scenario %s failed: %v", name, err)
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// syncBuffer collects what a process writes, safe to read meanwhile.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serve runs `torque serve` on data and a free port until the test ends,
// and returns its address.
func serve(t *testing.T, bin, data string) string {
	t.Helper()
	var stdout, stderr syncBuffer
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", "127.0.0.1:0", "--log-level", "warn")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-done
		if t.Failed() {
			t.Logf("torque serve output:\n%s%s", stdout.String(), stderr.String())
		}
	})
	deadline := time.After(60 * time.Second)
	for !strings.Contains(stdout.String(), "Press Ctrl+C to stop.") {
		select {
		case <-done:
			t.Fatalf("torque serve exited:\n%s%s", stdout.String(), stderr.String())
		case <-deadline:
			t.Fatalf("torque serve did not start:\n%s%s", stdout.String(), stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	m := regexp.MustCompile(`running at (http://\S+)`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("no address in the banner:\n%s", stdout.String())
	}
	return strings.TrimSuffix(m[1], "/")
}
