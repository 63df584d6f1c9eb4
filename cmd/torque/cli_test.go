package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/torquehq/torque/internal/service"
)

// run executes the torque command line in process and returns its
// standard output and error together.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	stdout, stderr, err := runSplit(t, "", args...)
	return stdout + stderr, err
}

// runSplit executes the torque command line in process with stdin as its
// standard input and returns its standard output and error (where the log
// goes) apart.
func runSplit(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := newRootCmd()
	var out, errOut bytes.Buffer
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err = cmd.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

func TestCommands(t *testing.T) {
	t.Chdir(t.TempDir())
	data := filepath.Join(t.TempDir(), "data")
	must := func(args ...string) string {
		t.Helper()
		out, err := run(t, append(args, "--data", data)...)
		if err != nil {
			t.Fatalf("torque %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}

	t.Run("version", func(t *testing.T) {
		if out, err := run(t, "version"); err != nil || !strings.HasPrefix(out, "torque ") {
			t.Fatalf("got %q, %v", out, err)
		}
	})
	t.Run("init with the example twice changes nothing the second time", func(t *testing.T) {
		out := must("init", "--example", "todo")
		if !strings.Contains(out, "app todo created") || !strings.Contains(out, "admin user created: "+service.FirstAdminEmail) {
			t.Fatalf("got %q", out)
		}
		out = must("init", "--example", "todo")
		if !strings.Contains(out, "app todo already exists") || strings.Contains(out, "password") {
			t.Fatalf("got %q, want the app found and no admin password", out)
		}
	})
	t.Run("migrate", func(t *testing.T) {
		if out := must("migrate"); !strings.Contains(out, "migrations applied (sqlite)") {
			t.Fatalf("got %q", out)
		}
	})
	t.Run("export then import gives the same model", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "todo.json")
		must("model", "export", "TODO", "-o", file)
		first, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		copyFile := filepath.Join(t.TempDir(), "copy.json")
		doc := strings.Replace(string(first), `"name": "TODO"`, `"name": "TODOCopy"`, 1)
		if err := os.WriteFile(copyFile, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		if out := must("model", "import", copyFile); !strings.Contains(out, "model TODOCopy imported at version 1") {
			t.Fatalf("got %q", out)
		}
		again := must("model", "export", "TODOCopy")
		if again != doc {
			t.Fatalf("round trip differs:\n got %s\nwant %s", again, doc)
		}
	})
	t.Run("app create", func(t *testing.T) {
		if out := must("app", "create", "--model", "TODO", "--name", "todo2"); !strings.Contains(out, "app todo2 created") {
			t.Fatalf("got %q", out)
		}
	})

	refusals := []struct {
		name string
		args []string
		want string
	}{
		{"import of a malformed model names the path", []string{"model", "import", writeTemp(t, `{"name": "X", "entities": [{"name": "T", "fields": [{"name": "a", "type": "strng"}]}]}`)}, `entities[0].fields[0].type`},
		{"export of an unknown model", []string{"model", "export", "Nope"}, "Nope"},
		{"app from an unknown model", []string{"app", "create", "--model", "Nope", "--name", "x"}, "model"},
		{"duplicate app", []string{"app", "create", "--model", "TODO", "--name", "todo"}, "todo"},
		{"unknown example", []string{"init", "--example", "crm"}, "unknown example"},
		{"bad setting", []string{"migrate", "--log-level", "loud"}, "log_level"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			out, err := run(t, append(tt.args, "--data", data)...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got error %v (output %q), want one mentioning %q", err, out, tt.want)
			}
		})
	}
}

func writeTemp(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "model.json")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
