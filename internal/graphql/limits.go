package graphql

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/torquehq/torque/internal/graphql/generated"
)

// Limits on every operation, unless Config says otherwise.
const (
	// DefaultMaxComplexity bounds the estimated cost of an operation (see
	// complexityLimit): a page of the models list with their scalar fields
	// and entity names costs 4 per model, so even 100 of them fit; selections
	// that cost the service a read per item do not.
	DefaultMaxComplexity = 500
	// DefaultMaxDepth bounds how deep selections nest, fragments included.
	DefaultMaxDepth = 12
	// readCost is the cost of a field whose value costs the service a read
	// for each parent: a model's versions and diff.
	// (A model's apps are loaded once for all the models of a response.)
	readCost = 20
	// listWeight is the expected length of a list that costs a service
	// read per parent (diff).
	listWeight = 10
	// documentCost is the cost of a model document read with others (the
	// documents of a page of versions).
	documentCost = 4
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
// the rule's (see complexityLimit).
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
	c.Model.Versions = func(child int, first, _ *int64) int { return readCost + versionsPage(first)*child }
	c.Model.Diff = func(child int, from int64, to *int64) int { return readCost + listWeight*child }
	// Versions' documents are read with the versions, in one query: each
	// costs what a whole model document is to read, decode and send.
	c.ModelVersion.Document = func(child int) int { return documentCost }
}

// complexityLimit refuses operations whose estimated cost is over max. The
// cost of an operation is the sum of its fields' costs:
//
//   - __typename and introspection (__schema, __type) cost 0;
//   - a scalar or enum field costs 0, unless it is a field of Query,
//     Mutation or Subscription, which costs 1 (each is a call to a service);
//   - an object field costs 1 plus the cost of its selections;
//   - the fields setComplexity names cost what it says: lists multiply
//     their elements' cost by their expected length, and a field that costs
//     the service a read per parent costs readCost.
//
// It is gqlgen's complexity computation (complexity.Calculate) with these
// rules; gqlgen's own extension counts every field, __typename included,
// at least 1, which Apollo Client, adding __typename to every selection,
// pays for on every object.
type complexityLimit struct {
	max    int
	es     costs
	ignore map[string]struct{} // "Type.field" of the meta fields
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = &complexityLimit{}

func (*complexityLimit) ExtensionName() string { return "ComplexityLimit" }

func (l *complexityLimit) Validate(es graphql.ExecutableSchema) error {
	l.es = costs{es}
	l.ignore = map[string]struct{}{}
	for _, t := range es.Schema().Types {
		switch t.Kind {
		case ast.Object, ast.Interface, ast.Union:
			l.ignore[t.Name+".__typename"] = struct{}{}
		}
	}
	if q := es.Schema().Query; q != nil {
		l.ignore[q.Name+".__schema"] = struct{}{}
		l.ignore[q.Name+".__type"] = struct{}{}
	}
	return nil
}

func (l *complexityLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if opCtx.Operation == nil {
		return nil
	}
	n := operationComplexity(ctx, l.es, l.ignore, opCtx.Operation, opCtx.Variables)
	opCtx.Stats.SetExtension(l.ExtensionName(), &extension.ComplexityStats{Complexity: n, ComplexityLimit: l.max})
	if n <= l.max {
		return nil
	}
	err := gqlerror.Errorf("operation has complexity %d, which exceeds the limit of %d", n, l.max)
	errcode.Set(err, codeComplexity)
	return err
}

func operationComplexity(ctx context.Context, es costs, ignore map[string]struct{}, op *ast.OperationDefinition, vars map[string]any) int {
	return complexity.Calculate(ctx, es, op, vars,
		complexity.WithFixedScalarValue(0), complexity.WithIgnoreFields(ignore))
}

// costs is the executable schema as complexityLimit sees it: a field of
// Query, Mutation or Subscription costs at least 1, a scalar one too.
type costs struct{ graphql.ExecutableSchema }

func (c costs) Complexity(ctx context.Context, typeName, field string, child int, args map[string]any) (int, bool) {
	if n, ok := c.ExecutableSchema.Complexity(ctx, typeName, field, child, args); ok {
		return n, true
	}
	s := c.Schema()
	for _, root := range []*ast.Definition{s.Query, s.Mutation, s.Subscription} {
		if root != nil && root.Name == typeName {
			return 1 + child, true
		}
	}
	return 0, false
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
