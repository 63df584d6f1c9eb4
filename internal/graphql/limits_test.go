package graphql

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"github.com/torquehq/torque/internal/graphql/generated"
)

// editorModels is the Model Editor's models list query
// (web/editor/src/graphql/operations.ts).
const editorModels = `query Models($search: String, $first: Int, $after: String) {
  models(search: $search, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id name description version updatedAt entities { name } } }
  }
}`

// withTypename adds __typename to every selection set but the operation's,
// as Apollo Client does.
func withTypename(q string) string {
	i := strings.Index(q, "{")
	return q[:i+1] + strings.ReplaceAll(q[i+1:], "{", "{ __typename")
}

// TestComplexity: the cost of representative operations. __typename and
// introspection are free, scalar fields cost nothing but at the root, so
// a page of models with their scalars fits at every page size, while
// service reads per item do not.
func TestComplexity(t *testing.T) {
	ec := generated.Config{Resolvers: &resolver{}}
	setComplexity(&ec.Complexity)
	l := &complexityLimit{max: DefaultMaxComplexity}
	if err := l.Validate(generated.NewExecutableSchema(ec)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		query string
		vars  map[string]any
		want  int
		fits  bool // within DefaultMaxComplexity
	}{
		{"the editor's list, default page", editorModels, nil, 1 + 50*4, true},
		{"the editor's list with __typename, 50", withTypename(editorModels), map[string]any{"first": 50}, 1 + 50*4, true},
		{"the editor's list with __typename, 100", withTypename(editorModels), map[string]any{"first": 100}, 1 + 100*4, true},
		{"a page size over the maximum counts as the maximum", `{ models(first: 1000) { nodes { name } } }`, nil, 1 + 100*1, true},
		{"introspection is free", `{ __typename __schema { types { name fields { name type { name } } } } __type(name: "Model") { name } }`, nil, 0, true},
		{"a root scalar costs 1", `mutation { deleteModel(name: "Notes") }`, nil, 1, true},
		{"the editor's history: a page of 100 versions", `{ model(name: "TODO") { id version versions { version createdAt } } }`, nil, 1 + readCost, true},
		{"a model's versions with their documents, a page of 100", `{ model(name: "TODO") { versions { version document } } }`, nil, 1 + readCost + 100*documentCost, true},
		{"versions are priced by first", `{ model(name: "TODO") { versions(first: 10, before: 50) { version document } } }`, nil, 1 + readCost + 10*documentCost, true},
		{"a page over the maximum counts as the maximum", `{ model(name: "TODO") { versions(first: 1000) { document } } }`, nil, 1 + readCost + 100*documentCost, true},
		{"versions with their documents of every model of a page", `{ models { nodes { versions { document } } } }`, nil, 1 + 50*(1+readCost+100*documentCost), false},
		{"versions of every model of a page", `{ models { nodes { name versions { version } } } }`, nil, 1 + 50*(1+readCost), false},
		{"versions and diffs of 100 models", `{ models(first: 100) { nodes { versions { version createdAt } diff(from: 1) { op path } } } }`, nil, 1 + 100*(1+2*readCost), false},
		{"13 models made with their versions, diffs and apps", createModels(13), nil, 1 + 13*(1+2*readCost+1), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, errs := gqlparser.LoadQueryWithRules(l.es.Schema(), tc.query, rules.NewDefaultRules())
			if errs != nil {
				t.Fatal(errs)
			}
			op := doc.Operations[0]
			vars, err := validator.VariableValues(l.es.Schema(), op, tc.vars)
			if err != nil {
				t.Fatal(err)
			}
			got := operationComplexity(context.Background(), l.es, l.ignore, op, vars)
			if got != tc.want {
				t.Errorf("got complexity %d, want %d", got, tc.want)
			}
			if fits := got <= DefaultMaxComplexity; fits != tc.fits {
				t.Errorf("complexity %d within the limit of %d: got %v, want %v", got, DefaultMaxComplexity, fits, tc.fits)
			}
		})
	}
}

// createModels is TestBadInput's mutation too complex: a deleteModel, then
// n createModel asking for versions, diff and apps.
func createModels(n int) string {
	var b strings.Builder
	b.WriteString(`mutation { deleteModel(name: "Notes")`)
	for i := range n {
		fmt.Fprintf(&b, ` m%d: createModel(input: {name: "M%d"}) { versions { version } diff(from: 1) { op } apps { name } }`, i, i)
	}
	b.WriteString(" }")
	return b.String()
}
