// Package generated holds the GraphQL executor gqlgen writes from
// ../schema.graphqls (generated.go, models_gen.go) and, in this file, the
// one scalar written by hand: JSON. Only this file is edited by people.
package generated

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/99designs/gqlgen/graphql"

	"github.com/torquehq/torque"
)

// MarshalJSON writes a JSON scalar: the raw JSON as it is, or null when
// empty.
func MarshalJSON(v json.RawMessage) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		if len(bytes.TrimSpace(v)) == 0 {
			io.WriteString(w, "null")
			return
		}
		w.Write(v)
	})
}

// UnmarshalJSON reads a JSON scalar from a variable (decoded with numbers
// kept as json.Number) or from a literal in the query, where an empty list
// or object arrives as a nil slice or map: it stays a list or an object.
func UnmarshalJSON(v any) (json.RawMessage, error) {
	b, err := json.Marshal(emptyNotNull(v))
	if err != nil {
		return nil, torque.Errorf(torque.EINVALID, "not a JSON value: %v", err)
	}
	return b, nil
}

// emptyNotNull returns v with every nil list and object made empty, so that
// [] and {} are not written as null.
func emptyNotNull(v any) any {
	switch x := v.(type) {
	case []any:
		if x == nil {
			return []any{}
		}
		for i := range x {
			x[i] = emptyNotNull(x[i])
		}
	case map[string]any:
		if x == nil {
			return map[string]any{}
		}
		for k := range x {
			x[k] = emptyNotNull(x[k])
		}
	}
	return v
}
