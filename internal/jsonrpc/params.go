package jsonrpc

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Problems DecodeParams reports, by member.
const (
	problemUnknown   = "unknown parameter"
	problemRequired  = "is required"
	problemDuplicate = "appears more than once"
	problemRange     = "is out of range"
)

// DecodeParams decodes named params (a JSON object) strictly into v, a
// pointer to a struct whose fields are named as encoding/json names them
// (json tags, embedded structs), but matched exactly, case included.
//
// Every problem is reported at once, in one *Error with code
// CodeInvalidParams, message "invalid params" and data
// {"fields": {"<member>": "<problem>"}}: params that are not an object
// (reported as "params"), unknown members ("unknown parameter"), members
// that appear twice, values of the wrong type ("must be an integer", "must
// be a string", ...) or out of range, and fields tagged `jsonrpc:"required"`
// that are missing or null ("is required"). Members of nested objects are
// named with dots ("filter.status"), elements of arrays by their index
// ("items.0.id").
//
// Absent params (nil) are decoded as an empty object: a struct without
// required fields accepts them. A null member leaves its field as it is (a
// pointer, slice, map or interface becomes nil), as with encoding/json.
// Types that implement json.Unmarshaler or encoding.TextUnmarshaler decode
// themselves; the ",string" tag option is not supported. v holds what could
// be decoded when an error is returned.
//
// An error that is not *Error means v is not a pointer to a struct: a
// mistake of the caller, which the server answers as an internal error.
func DecodeParams(params json.RawMessage, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("jsonrpc: DecodeParams into %T: want a non-nil pointer to a struct", v)
	}
	raw := trimSpace(params)
	switch {
	case len(raw) == 0:
		raw = []byte("{}")
	case !utf8.Valid(raw) || !json.Valid(raw):
		return invalidParams(map[string]string{"params": "must be valid JSON"})
	case raw[0] != '{':
		return invalidParams(map[string]string{"params": "must be an object of named parameters"})
	}
	d := paramsDecoder{problems: map[string]string{}}
	d.object("", raw, rv.Elem())
	if len(d.problems) > 0 {
		return invalidParams(d.problems)
	}
	return nil
}

func invalidParams(fields map[string]string) *Error {
	return &Error{Code: CodeInvalidParams, Message: msgInvalidParams, Data: map[string]any{"fields": fields}}
}

// paramsDecoder decodes valid JSON into Go values, noting the problems by
// path.
type paramsDecoder struct {
	problems map[string]string
}

func (d *paramsDecoder) problem(path, problem string) {
	if _, ok := d.problems[path]; !ok {
		d.problems[path] = problem
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// Field states while an object is decoded.
const (
	fieldAbsent = iota
	fieldPresent
	fieldNull
)

// object decodes the JSON object raw into the struct v.
func (d *paramsDecoder) object(path string, raw []byte, v reflect.Value) {
	info := structInfoOf(v.Type())
	state := make([]uint8, len(info.fields))
	objectMembers(raw, func(name string, value []byte) {
		p := join(path, name)
		i, ok := info.byName[name]
		if !ok {
			d.problem(p, problemUnknown)
			return
		}
		if state[i] != fieldAbsent {
			d.problems[p] = problemDuplicate
			return
		}
		state[i] = fieldPresent
		f := info.fields[i]
		if value[0] == 'n' {
			state[i] = fieldNull
			if f.required {
				return // reported below
			}
		}
		fv, ok := fieldAlloc(v, f.index)
		if !ok {
			d.problem(p, "cannot be decoded")
			return
		}
		d.value(p, value, fv)
	})
	for i, f := range info.fields {
		if f.required && state[i] != fieldPresent {
			d.problem(join(path, f.name), problemRequired)
		}
	}
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// value decodes the JSON value raw into v.
func (d *paramsDecoder) value(path string, raw []byte, v reflect.Value) {
	t := v.Type()
	if t.Kind() == reflect.Pointer && t.Name() == "" {
		if raw[0] == 'n' {
			v.SetZero()
			return
		}
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		d.value(path, raw, v.Elem())
		return
	}
	if pt := reflect.PointerTo(t); pt.Implements(unmarshalerType) || pt.Implements(textUnmarshalerType) {
		d.delegate(path, raw, v)
		return
	}
	if raw[0] == 'n' {
		if k := t.Kind(); k == reflect.Interface || k == reflect.Map || k == reflect.Slice {
			v.SetZero()
		}
		return // no effect on other kinds, as with encoding/json
	}

	switch t.Kind() {
	case reflect.Bool:
		if raw[0] != 't' && raw[0] != 'f' {
			d.problem(path, "must be a boolean")
			return
		}
		v.SetBool(raw[0] == 't')
	case reflect.String:
		if raw[0] != '"' {
			d.problem(path, "must be a string")
			return
		}
		v.SetString(unquote(raw))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if !isNumber(raw) || bytes.ContainsAny(raw, ".eE") {
			d.problem(path, "must be an integer")
			return
		}
		n, err := strconv.ParseInt(string(raw), 10, t.Bits())
		if err != nil {
			d.problem(path, problemRange)
			return
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if !isNumber(raw) || bytes.ContainsAny(raw, ".eE") || raw[0] == '-' {
			d.problem(path, "must be a non-negative integer")
			return
		}
		n, err := strconv.ParseUint(string(raw), 10, t.Bits())
		if err != nil {
			d.problem(path, problemRange)
			return
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		if !isNumber(raw) {
			d.problem(path, "must be a number")
			return
		}
		f, err := strconv.ParseFloat(string(raw), t.Bits())
		if err != nil || math.IsInf(f, 0) {
			d.problem(path, problemRange)
			return
		}
		v.SetFloat(f)
	case reflect.Struct:
		if raw[0] != '{' {
			d.problem(path, "must be an object")
			return
		}
		d.object(path, raw, v)
	case reflect.Map:
		if raw[0] != '{' {
			d.problem(path, "must be an object")
			return
		}
		kt := t.Key()
		if kt.Kind() != reflect.String || reflect.PointerTo(kt).Implements(textUnmarshalerType) {
			d.delegate(path, raw, v)
			return
		}
		if v.IsNil() {
			v.Set(reflect.MakeMap(t))
		}
		seen := map[string]bool{}
		objectMembers(raw, func(name string, value []byte) {
			p := join(path, name)
			if seen[name] {
				d.problems[p] = problemDuplicate
				return
			}
			seen[name] = true
			elem := reflect.New(t.Elem()).Elem()
			d.value(p, value, elem)
			v.SetMapIndex(reflect.ValueOf(name).Convert(kt), elem)
		})
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !reflect.PointerTo(t.Elem()).Implements(unmarshalerType) && !reflect.PointerTo(t.Elem()).Implements(textUnmarshalerType) {
			if raw[0] != '"' {
				d.problem(path, "must be a base64 string")
				return
			}
			d.delegate(path, raw, v)
			return
		}
		if raw[0] != '[' {
			d.problem(path, "must be an array")
			return
		}
		elems := arrayElements(raw, math.MaxInt)
		s := reflect.MakeSlice(t, len(elems), len(elems))
		for i, e := range elems {
			d.value(join(path, strconv.Itoa(i)), e, s.Index(i))
		}
		v.Set(s)
	case reflect.Array:
		if raw[0] != '[' {
			d.problem(path, "must be an array")
			return
		}
		d.delegate(path, raw, v)
	case reflect.Interface:
		d.delegate(path, raw, v)
	default: // channels, functions, complex numbers: no JSON for them
		d.problem(path, "cannot be decoded")
	}
}

// delegate decodes raw into v with encoding/json: for types that decode
// themselves, and for the rare kinds decoded without a closer look.
func (d *paramsDecoder) delegate(path string, raw []byte, v reflect.Value) {
	err := json.Unmarshal(raw, v.Addr().Interface())
	if err == nil {
		return
	}
	pt := reflect.PointerTo(v.Type())
	var typeErr *json.UnmarshalTypeError
	switch {
	case raw[0] != '"' && !pt.Implements(unmarshalerType) && pt.Implements(textUnmarshalerType):
		d.problem(path, "must be a string")
	case errors.As(err, &typeErr):
		d.problem(path, "has the wrong type")
	default:
		d.problem(path, "is not valid: "+err.Error())
	}
}

func isNumber(raw []byte) bool {
	return raw[0] == '-' || '0' <= raw[0] && raw[0] <= '9'
}

// structInfo is what DecodeParams knows of a struct type.
type structInfo struct {
	fields []paramField
	byName map[string]int
}

type paramField struct {
	name     string
	index    []int
	required bool
}

var structInfos sync.Map // reflect.Type -> *structInfo

func structInfoOf(t reflect.Type) *structInfo {
	if info, ok := structInfos.Load(t); ok {
		return info.(*structInfo)
	}
	info := &structInfo{fields: typeFields(t), byName: map[string]int{}}
	for i, f := range info.fields {
		info.byName[f.name] = i
	}
	actual, _ := structInfos.LoadOrStore(t, info)
	return actual.(*structInfo)
}

// typeFields returns the fields of struct type t as encoding/json sees
// them: exported fields named by their json tag or their own name, fields
// of embedded structs promoted, and of two fields with one name the
// shallower one, or the tagged one at the same depth (neither when that does
// not decide).
func typeFields(t reflect.Type) []paramField {
	type candidate struct {
		paramField
		tagged bool
	}
	type level struct {
		t     reflect.Type
		index []int
	}
	var found []candidate
	visited := map[reflect.Type]bool{}
	for next := []level{{t: t}}; len(next) > 0; {
		current := next
		next = nil
		for _, l := range current {
			if visited[l.t] {
				continue
			}
			visited[l.t] = true
			for i := range l.t.NumField() {
				sf := l.t.Field(i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if sf.Anonymous {
					if !sf.IsExported() && ft.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, _, _ := strings.Cut(tag, ",")
				index := append(slices.Clone(l.index), i)
				if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
					next = append(next, level{t: ft, index: index})
					continue
				}
				tagged := name != ""
				if !tagged {
					name = sf.Name
				}
				found = append(found, candidate{paramField{name: name, index: index, required: sf.Tag.Get("jsonrpc") == "required"}, tagged})
			}
		}
	}

	// Keep the dominant field of each name.
	slices.SortStableFunc(found, func(a, b candidate) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if c := len(a.index) - len(b.index); c != 0 {
			return c
		}
		switch {
		case a.tagged && !b.tagged:
			return -1
		case b.tagged && !a.tagged:
			return 1
		}
		return 0
	})
	var fields []paramField
	for i := 0; i < len(found); {
		j := i + 1
		for j < len(found) && found[j].name == found[i].name {
			j++
		}
		group := found[i:j]
		if len(group) == 1 || len(group[1].index) > len(group[0].index) || group[0].tagged && !group[1].tagged {
			fields = append(fields, group[0].paramField)
		}
		i = j
	}
	slices.SortFunc(fields, func(a, b paramField) int { return slices.Compare(a.index, b.index) })
	return fields
}

// fieldAlloc returns the field of struct v at index, allocating the
// embedded structs on the way; false when one cannot be allocated (a nil
// pointer to an unexported struct).
func fieldAlloc(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !v.CanSet() {
					return reflect.Value{}, false
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}
