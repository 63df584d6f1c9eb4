package examples_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/examples"
	"github.com/torquehq/torque/examples/todo"
	"github.com/torquehq/torque/internal/layout"
)

// TestTemplatesValidateAndBuild: every template is a model the server
// accepts (strict parsing, validation) and whose pages the TorqueApp
// builds.
func TestTemplatesValidateAndBuild(t *testing.T) {
	ts := examples.Templates()
	if got, want := examples.Names(), []string{"todo", "contacts", "inventory"}; !slices.Equal(got, want) {
		t.Fatalf("got templates %v, want %v", got, want)
	}
	for _, tmpl := range ts {
		t.Run(tmpl.Name, func(t *testing.T) {
			if tmpl.Title == "" || tmpl.Description == "" {
				t.Errorf("got title %q and description %q, want both", tmpl.Title, tmpl.Description)
			}
			m, err := torque.ParseModel(tmpl.Document)
			if err != nil {
				t.Fatalf("parse: %v (fields %v)", err, torque.ErrorFields(err))
			}
			m.Normalize()
			if err := m.Validate(); err != nil {
				t.Fatalf("validate: %v (fields %v)", err, torque.ErrorFields(err))
			}
			l, err := layout.Build(m)
			if err != nil {
				t.Fatalf("build pages: %v (fields %v)", err, torque.ErrorFields(err))
			}
			// Every entity type is reachable: on a page of the model or a
			// generated one.
			if len(l.Pages) < len(m.Pages) || len(m.Pages) == 0 {
				t.Errorf("got %d built pages of %d written, want at least one page and every written one", len(l.Pages), len(m.Pages))
			}
			if len(m.Entities) < 2 && tmpl.Name != "todo" {
				t.Errorf("got %d entity types, want a realistic model", len(m.Entities))
			}
		})
	}
}

func TestLookup(t *testing.T) {
	tmpl, ok := examples.Lookup("todo")
	if !ok || !json.Valid(tmpl.Document) || string(tmpl.Document) != string(todo.Model) {
		t.Fatalf("todo template: ok %v, want the TODO example's document", ok)
	}
	if _, ok := examples.Lookup("nope"); ok {
		t.Fatal("an unknown template was found")
	}
	// Documents are copies: changing one changes no other.
	a, _ := examples.Lookup("contacts")
	a.Document[0] = 'x'
	if b, _ := examples.Lookup("contacts"); b.Document[0] != '{' {
		t.Fatal("a template's document was changed through a copy")
	}
}
