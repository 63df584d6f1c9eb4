package torque

import (
	"fmt"
	"regexp"
)

// ValueCheck returns a function that checks a value of f (decoded JSON,
// numbers as json.Number, not null) against the field's type and rules as
// model validation checks a default, and returns what is wrong with it in
// plain words, or "". It fails only when f's pattern does not compile, which
// a valid model rules out.
func (f *Field) ValueCheck() (func(v any) string, error) {
	var re *regexp.Regexp
	if f.Pattern != "" {
		var err error
		if re, err = regexp.Compile(f.Pattern); err != nil {
			return nil, fmt.Errorf("field %q: pattern: %w", f.Name, err)
		}
	}
	field := *f
	return func(v any) string { return checkValue(&field, v, re) }, nil
}
