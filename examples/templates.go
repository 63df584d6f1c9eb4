// Package examples holds the example models Torque ships (todo/, contacts/,
// inventory/, each a model.json) and offers them as templates a new model
// can start from (the Model Editor's "new model from a template").
package examples

import (
	"embed"
	"fmt"
	"slices"
)

//go:embed todo/model.json contacts/model.json inventory/model.json
var files embed.FS

// Template is an example model a new model can be made from.
type Template struct {
	// Name identifies the template: the directory of its model.json.
	Name string
	// Title and Description are shown to people choosing a template.
	Title       string
	Description string
	// Document is the model document (docs/model.md); its name is the
	// example's model name, which a copy replaces.
	Document []byte
}

// templates lists the templates in the order they are offered.
var templates = []struct{ name, title, description string }{
	{"todo", "TODO", "A task list: tasks with a status, a due date and a priority."},
	{"contacts", "Contacts", "A small CRM: companies, their people, the conversations had with them, and tags."},
	{"inventory", "Inventory", "Stock keeping: products by category and supplier, locations, and stock movements in and out."},
}

// Templates returns every template, in the order they are offered. Each
// call returns fresh copies of the documents.
func Templates() []Template {
	out := make([]Template, len(templates))
	for i, t := range templates {
		out[i] = Template{Name: t.name, Title: t.title, Description: t.description, Document: document(t.name)}
	}
	return out
}

// Lookup returns the template named name.
func Lookup(name string) (Template, bool) {
	ts := Templates()
	i := slices.IndexFunc(ts, func(t Template) bool { return t.Name == name })
	if i < 0 {
		return Template{}, false
	}
	return ts[i], true
}

// Names returns the names of the templates.
func Names() []string {
	out := make([]string, len(templates))
	for i, t := range templates {
		out[i] = t.name
	}
	return out
}

func document(name string) []byte {
	b, err := files.ReadFile(name + "/model.json")
	if err != nil {
		panic(fmt.Sprintf("examples: template %q has no model.json: %v", name, err)) // embedded at build time
	}
	return b
}
