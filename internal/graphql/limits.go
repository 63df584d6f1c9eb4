package graphql

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/torquehq/torque/internal/graphql/generated"
)

// Limits on every operation, unless Config says otherwise.
const (
	// DefaultMaxComplexity bounds the estimated cost of an operation: each field
	// counts 1, and lists count their elements' cost times their expected
	// length (first for the models connection; listWeight for lists whose
	// every element costs the service a read).
	DefaultMaxComplexity = 500
	// DefaultMaxDepth bounds how deep selections nest, fragments included.
	DefaultMaxDepth = 12
	// listWeight is the expected length of a nested list that costs a
	// service call per parent (versions, diff).
	listWeight = 10
	// appsWeight is the expected length of the lists of apps.
	appsWeight = 5
)

func init() {
	// An operation over a limit is refused before it runs, as one that
	// fails validation: HTTP 422.
	errcode.RegisterErrorType(codeDepth, errcode.KindProtocol)
	errcode.RegisterErrorType(codeComplexity, errcode.KindProtocol)
}

// setComplexity fills the cost functions of the fields whose cost is not
// the sum of their selections.
func setComplexity(c *generated.ComplexityRoot) {
	c.Query.Models = func(child int, search *string, first *int64, after *string) int {
		n := int64(defaultModelsPage)
		if first != nil {
			n = min(max(*first, 1), maxModelsPage)
		}
		return 1 + int(n)*child
	}
	c.Query.Apps = func(child int) int { return 1 + appsWeight*child }
	c.Model.Apps = func(child int) int { return 1 + appsWeight*child }
	c.Model.Versions = func(child int) int { return listWeight + listWeight*child }
	c.Model.Diff = func(child int, from int64, to *int64) int { return listWeight + listWeight*child }
}

// depthLimit refuses operations whose selections nest deeper than max.
// Fragments count as the fields they hold; introspection (__schema, __type)
// is not counted, so that tools' standard introspection query passes.
type depthLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (d depthLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if opCtx.Operation == nil {
		return nil
	}
	depth := selectionDepth(opCtx.Doc, opCtx.Operation.SelectionSet, map[string]bool{})
	if depth <= d.max {
		return nil
	}
	err := gqlerror.Errorf("operation has depth %d, which exceeds the limit of %d", depth, d.max)
	errcode.Set(err, codeDepth)
	return err
}

// selectionDepth is how deep set nests. visiting holds the fragments being
// expanded (validation refuses cycles already; this only guards).
func selectionDepth(doc *ast.QueryDocument, set ast.SelectionSet, visiting map[string]bool) int {
	deepest := 0
	for _, sel := range set {
		d := 0
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue
			}
			d = 1 + selectionDepth(doc, s.SelectionSet, visiting)
		case *ast.InlineFragment:
			d = selectionDepth(doc, s.SelectionSet, visiting)
		case *ast.FragmentSpread:
			f := doc.Fragments.ForName(s.Name)
			if f == nil || visiting[s.Name] {
				continue
			}
			visiting[s.Name] = true
			d = selectionDepth(doc, f.SelectionSet, visiting)
			delete(visiting, s.Name)
		}
		deepest = max(deepest, d)
	}
	return deepest
}
