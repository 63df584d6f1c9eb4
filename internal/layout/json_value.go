package layout

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxDepth bounds the nesting of arrays and objects in one page, as
// ParseModel bounds that of a whole model document.
const maxDepth = 512

// kind is the JSON type of a value.
type kind uint8

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

// value is a JSON value read strictly: objects keep their members in
// document order, without duplicates.
type value struct {
	kind    kind
	text    string // a string, or the literal of a number
	b       bool
	items   []*value
	members []member
}

type member struct {
	key string
	val *value
}

// get returns the member key of an object, or nil.
func (v *value) get(key string) *value {
	if v == nil {
		return nil
	}
	for _, m := range v.members {
		if m.key == key {
			return m.val
		}
	}
	return nil
}

// readValue reads the JSON text raw, found at path, reporting duplicate
// keys (keeping the first) to p. It fails on text that is not one JSON
// value, on invalid UTF-8 and on nesting deeper than maxDepth.
func readValue(raw []byte, path string, p *problems) (*value, error) {
	if !utf8.Valid(raw) {
		return nil, errors.New("invalid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	r := &valueReader{dec: dec, p: p}
	v, err := r.read(path, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the value")
	}
	return v, nil
}

type valueReader struct {
	dec *json.Decoder
	p   *problems
}

func (r *valueReader) token() (json.Token, error) {
	tok, err := r.dec.Token()
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return tok, err
}

func (r *valueReader) read(path string, depth int) (*value, error) {
	tok, err := r.token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case nil:
		return &value{kind: kindNull}, nil
	case bool:
		return &value{kind: kindBool, b: t}, nil
	case json.Number:
		return &value{kind: kindNumber, text: string(t)}, nil
	case string:
		return &value{kind: kindString, text: t}, nil
	}
	if depth >= maxDepth {
		return nil, fmt.Errorf("nesting deeper than %d levels", maxDepth)
	}
	if tok == json.Delim('[') {
		v := &value{kind: kindArray}
		for i := 0; r.dec.More(); i++ {
			item, err := r.read(index(path, i), depth+1)
			if err != nil {
				return nil, err
			}
			v.items = append(v.items, item)
		}
		_, err := r.token() // ']'
		return v, err
	}
	v := &value{kind: kindObject}
	var seen map[string]bool
	for r.dec.More() {
		tok, err := r.token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string) // in key position, Token returns a string or fails
		kp := keyPath(path, key)
		val, err := r.read(kp, depth+1)
		if err != nil {
			return nil, err
		}
		if seen == nil && len(v.members) >= 8 {
			seen = make(map[string]bool, 16)
			for _, m := range v.members {
				seen[m.key] = true
			}
		}
		dup := false
		if seen != nil {
			dup = seen[key]
			seen[key] = true
		} else {
			dup = v.get(key) != nil
		}
		if dup {
			r.p.add(kp, "duplicate key")
			continue
		}
		v.members = append(v.members, member{key, val})
	}
	_, err = r.token() // '}'
	return v, err
}

// wholeNumber returns the value of a JSON number literal that has an
// integral value ("12", "12.0", "1.2e1"), or says what is wrong with it.
// It decides on the decimal digits, so that rounding to a float64 hides no
// fraction ("1.0000000000000000001", "1e-400").
func wholeNumber(text string) (int, string) {
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		if int64(int(n)) != n {
			return 0, "is out of range"
		}
		return int(n), ""
	}
	mant, exp := text, "0"
	if i := strings.IndexAny(text, "eE"); i >= 0 {
		mant, exp = text[:i], text[i+1:]
	}
	whole, frac, _ := strings.Cut(strings.TrimPrefix(mant, "-"), ".")
	digits := strings.TrimLeft(whole+frac, "0")
	if digits == "" {
		return 0, "" // zero
	}
	e, err := strconv.Atoi(exp)
	switch {
	case err != nil && strings.HasPrefix(exp, "-"):
		return 0, "must be an integer"
	case err != nil:
		return 0, "is out of range"
	case len(frac)-e > len(digits)-len(strings.TrimRight(digits, "0")):
		return 0, "must be an integer" // more fraction digits than trailing zeros
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.Abs(f) >= 1<<53 {
		return 0, "is out of range"
	}
	return int(f), "" // exact: an integer below 2^53
}
