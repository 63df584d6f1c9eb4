// Package filter parses the entity filter and sort languages of docs/filter.md
// into a typed syntax tree that storage compiles to parameterised SQL.
package filter

// Op is a comparison operator.
type Op string

const (
	OpEq       Op = "="
	OpNe       Op = "!="
	OpLt       Op = "<"
	OpLe       Op = "<="
	OpGt       Op = ">"
	OpGe       Op = ">="
	OpContains Op = "~" // substring, case-insensitive; strings only
)

// Expr is a node of a filter: *And, *Or, *Compare, *In or *IsNull.
type Expr interface{ expr() }

// And is true when both sides are.
type And struct{ Left, Right Expr }

// Or is true when either side is.
type Or struct{ Left, Right Expr }

// Compare compares a field with a literal. Value is a string, float64, int64,
// bool or nil (a JSON null literal; only with = and !=, meaning is null and
// is not null).
type Compare struct {
	Field string
	Op    Op
	Value any
}

// In is true when the field equals one of Values (literals as in Compare,
// never nil). Not negates it ("not in").
type In struct {
	Field  string
	Values []any
	Not    bool
}

// IsNull is true when the field is absent or null; Not negates it
// ("is not null").
type IsNull struct {
	Field string
	Not   bool
}

func (*And) expr()     {}
func (*Or) expr()      {}
func (*Compare) expr() {}
func (*In) expr()      {}
func (*IsNull) expr()  {}

// SortKey is one key of a sort: a field, ascending unless Desc.
type SortKey struct {
	Field string
	Desc  bool
}
