// Package schema compiles the entity types of a model to JSON Schema
// 2020-12 documents and validates entity data with them
// (github.com/santhosh-tekuri/jsonschema/v6, format assertions on).
//
// A Set is compiled once per model version; callers cache it. Prepare turns
// the library's errors into plain words per field, fills defaults on create
// and normalises values (datetimes to UTC, integers without fraction,
// reference ids in lower case).
package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"github.com/torquehq/torque"
)

// Set holds the validators of one model version.
type Set struct {
	model    *torque.Model
	entities map[string]*Entity
}

// Entity validates the data of one entity type.
type Entity struct {
	name     string
	doc      json.RawMessage
	compiled *jsonschema.Schema
	fields   []*fieldInfo // model fields in model order, then reference fields
	byName   map[string]*fieldInfo
	defaults []*fieldInfo // fields with a default
	numeric  []*fieldInfo // integer and number fields
	fixups   []*fieldInfo // datetime, integer and reference fields, normalised after validation
	refs     []Reference
}

// Reference is a reference field: the toField of a one-to-one or one-to-many
// relationship, held by the relationship's "to" entity type. Its value is the
// id of an entity of type Target (the relationship's "from" type) or null.
type Reference struct {
	Field        string
	Relationship *torque.Relationship
	Target       string
}

type fieldInfo struct {
	name     string
	typ      torque.FieldType
	field    *torque.Field // nil for a reference field
	ref      *Reference    // nil for a model field
	required bool
	typeMsg  string // what values must be, in plain words
	def      any    // decoded default (numbers as json.Number)
	hasDef   bool
}

// systemTypes are the types of the system fields usable in filters and sorts.
var systemTypes = map[string]torque.FieldType{
	"id":        torque.FieldString,
	"type":      torque.FieldString,
	"version":   torque.FieldInteger,
	"createdAt": torque.FieldDateTime,
	"updatedAt": torque.FieldDateTime,
	"createdBy": torque.FieldString,
}

// Compile compiles every entity type of m. m must be valid: Compile checks
// it with m.Validate and returns that error when it is not.
func Compile(m *torque.Model) (*Set, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	// Torque's own value rules, shared with model validation (defaults) so
	// that a default that passes Validate always passes Prepare.
	c.RegisterFormat(&jsonschema.Format{Name: "date", Validate: stringFormat(func(s string) bool {
		_, err := torque.ParseDate(s)
		return err == nil
	})})
	c.RegisterFormat(&jsonschema.Format{Name: "date-time", Validate: stringFormat(func(s string) bool {
		_, err := torque.ParseDateTime(s)
		return err == nil
	})})
	c.RegisterFormat(&jsonschema.Format{Name: "email", Validate: stringFormat(torque.ValidEmail)})
	c.RegisterFormat(&jsonschema.Format{Name: "uri", Validate: stringFormat(torque.ValidURL)})

	s := &Set{model: m, entities: make(map[string]*Entity, len(m.Entities))}
	for i := range m.Entities {
		e, err := compileEntity(c, m, &m.Entities[i])
		if err != nil {
			return nil, fmt.Errorf("compile entity type %q of model %q: %w", m.Entities[i].Name, m.Name, err)
		}
		s.entities[e.name] = e
	}
	return s, nil
}

func stringFormat(ok func(string) bool) func(any) error {
	return func(v any) error {
		if s, isString := v.(string); isString && !ok(s) {
			return errors.New("invalid")
		}
		return nil
	}
}

// Model returns the model the set was compiled from.
func (s *Set) Model() *torque.Model { return s.model }

// Entity returns the validator of the entity type named name, or nil.
func (s *Set) Entity(name string) *Entity { return s.entities[name] }

// Name returns the name of the entity type.
func (e *Entity) Name() string { return e.name }

// Schema returns the JSON Schema (2020-12) document of the entity type's data.
func (e *Entity) Schema() json.RawMessage { return e.doc }

// References returns the reference fields of the entity type.
func (e *Entity) References() []Reference { return e.refs }

// FieldType returns the type of a queryable field: a model field, a
// reference field (string) or a system field (id and type string, version
// integer, createdAt and updatedAt datetime).
func (e *Entity) FieldType(name string) (torque.FieldType, bool) {
	if f, ok := e.byName[name]; ok {
		return f.typ, true
	}
	t, ok := systemTypes[name]
	return t, ok
}

func compileEntity(c *jsonschema.Compiler, m *torque.Model, et *torque.EntityType) (*Entity, error) {
	e := &Entity{name: et.Name, byName: make(map[string]*fieldInfo, len(et.Fields))}
	for i := range et.Fields {
		f := &et.Fields[i]
		fi := &fieldInfo{name: f.Name, typ: f.Type, field: f, required: f.Required, typeMsg: f.TypeMessage()}
		if len(f.Default) > 0 {
			dec := json.NewDecoder(bytes.NewReader(f.Default))
			dec.UseNumber()
			if err := dec.Decode(&fi.def); err != nil {
				return nil, fmt.Errorf("default of field %q: %w", f.Name, err)
			}
			fi.hasDef = true
		}
		e.add(fi)
	}
	for i := range m.Relationships {
		r := &m.Relationships[i]
		if r.To != et.Name || r.Kind == torque.ManyToMany {
			continue
		}
		e.refs = append(e.refs, Reference{Field: r.ToField, Relationship: r, Target: r.From})
	}
	for i := range e.refs {
		ref := &e.refs[i]
		e.add(&fieldInfo{
			name: ref.Field, typ: torque.FieldString, ref: ref, required: ref.Relationship.Required,
			typeMsg: fmt.Sprintf("must be the id (a UUID) of a %s", ref.Target),
		})
	}

	doc, err := json.Marshal(e.document(et))
	if err != nil {
		return nil, err
	}
	e.doc = doc
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return nil, err
	}
	loc := "mem:///" + m.Name + "/" + et.Name + ".schema.json"
	if err := c.AddResource(loc, v); err != nil {
		return nil, err
	}
	if e.compiled, err = c.Compile(loc); err != nil {
		return nil, err
	}
	return e, nil
}

func (e *Entity) add(fi *fieldInfo) {
	e.fields = append(e.fields, fi)
	e.byName[fi.name] = fi
	if fi.hasDef {
		e.defaults = append(e.defaults, fi)
	}
	switch {
	case fi.typ == torque.FieldInteger:
		e.numeric = append(e.numeric, fi)
		e.fixups = append(e.fixups, fi)
	case fi.typ == torque.FieldNumber:
		e.numeric = append(e.numeric, fi)
	case fi.typ == torque.FieldDateTime, fi.ref != nil:
		e.fixups = append(e.fixups, fi)
	}
}

// document is the JSON Schema of an entity type's data; property keeps the
// order of the model's fields.
type document struct {
	Schema               string     `json:"$schema"`
	Title                string     `json:"title"`
	Type                 string     `json:"type"`
	Properties           properties `json:"properties"`
	Required             []string   `json:"required,omitempty"`
	AdditionalProperties bool       `json:"additionalProperties"`
}

type property struct {
	Title       string          `json:"title,omitempty"`
	Description string          `json:"description,omitempty"`
	Type        any             `json:"type,omitempty"`
	Enum        []any           `json:"enum,omitempty"`
	Format      string          `json:"format,omitempty"`
	MinLength   *int            `json:"minLength,omitempty"`
	MaxLength   *int            `json:"maxLength,omitempty"`
	Pattern     string          `json:"pattern,omitempty"`
	Minimum     json.Number     `json:"minimum,omitempty"`
	Maximum     json.Number     `json:"maximum,omitempty"`
	Default     json.RawMessage `json:"default,omitempty"`
}

type namedProperty struct {
	name string
	p    *property
}

type properties []namedProperty

func (ps properties) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, np := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(np.name)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(np.p)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (e *Entity) document(et *torque.EntityType) *document {
	d := &document{
		Schema: "https://json-schema.org/draft/2020-12/schema",
		Title:  et.Name,
		Type:   "object",
	}
	if et.DisplayName != "" {
		d.Title = et.DisplayName
	}
	for _, fi := range e.fields {
		if fi.required {
			d.Required = append(d.Required, fi.name)
		}
		d.Properties = append(d.Properties, namedProperty{fi.name, fi.property()})
	}
	return d
}

// JSON Schema types of the field types, as a required value.
var jsonTypes = map[torque.FieldType]string{
	torque.FieldString:   "string",
	torque.FieldText:     "string",
	torque.FieldInteger:  "integer",
	torque.FieldNumber:   "number",
	torque.FieldBoolean:  "boolean",
	torque.FieldDate:     "string",
	torque.FieldDateTime: "string",
	torque.FieldEnum:     "string",
	torque.FieldEmail:    "string",
	torque.FieldURL:      "string",
}

func (fi *fieldInfo) property() *property {
	p := &property{}
	if fi.ref != nil {
		p.Description = fmt.Sprintf("id of a %s (relationship %s)", fi.ref.Target, fi.ref.Relationship.Name)
		p.Type = nullable("string", fi.required)
		p.Format = "uuid"
		return p
	}
	f := fi.field
	p.Title = f.DisplayName
	p.Default = f.Default
	if f.Type == torque.FieldJSON {
		if fi.required {
			p.Type = []string{"object", "array", "string", "number", "boolean"}
		}
		return p
	}
	p.Type = nullable(jsonTypes[f.Type], fi.required)
	switch f.Type {
	case torque.FieldEnum:
		for _, v := range f.Values {
			p.Enum = append(p.Enum, v)
		}
		if !fi.required {
			p.Enum = append(p.Enum, nil)
		}
	case torque.FieldDate:
		p.Format = "date"
	case torque.FieldDateTime:
		p.Format = "date-time"
	case torque.FieldEmail:
		p.Format = "email"
	case torque.FieldURL:
		p.Format = "uri"
	case torque.FieldInteger:
		// Integers are int64: the bounds apply when the model sets none.
		p.Minimum, p.Maximum = json.Number(strconv.FormatInt(math.MinInt64, 10)), json.Number(strconv.FormatInt(math.MaxInt64, 10))
	}
	if f.Min != nil {
		p.Minimum = json.Number(formatNumber(*f.Min))
	}
	if f.Max != nil {
		p.Maximum = json.Number(formatNumber(*f.Max))
	}
	p.MinLength, p.MaxLength, p.Pattern = f.MinLength, f.MaxLength, f.Pattern
	return p
}

func nullable(t string, required bool) any {
	if required {
		return t
	}
	return []string{t, "null"}
}

func formatNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// Prepare validates data, an entity's fields decoded with json.Decoder's
// UseNumber: for a create (create is true; absent fields with a default get
// it) or the merged result of an update. It refuses unknown keys. On success
// it normalises values in place: datetimes to UTC ("2026-11-24T18:00:00+01:00"
// becomes "2026-11-24T17:00:00Z", keeping the fraction digits given),
// integers to json.Number without fraction or exponent, reference ids to
// lower case. Otherwise it returns a *torque.Error with code EINVALID,
// message "invalid <Type>" and Fields mapping every failing field to what is
// wrong, in plain words.
func (e *Entity) Prepare(data map[string]any, create bool) error {
	if data == nil {
		return torque.Invalid("invalid "+e.name, map[string]string{"$": "must be a JSON object"})
	}
	if create {
		for _, fi := range e.defaults {
			if _, ok := data[fi.name]; !ok {
				data[fi.name] = clone(fi.def)
			}
		}
	}

	var problems map[string]string
	add := func(field, msg string) {
		if problems == nil {
			problems = make(map[string]string, 4)
		}
		if prev, ok := problems[field]; !ok {
			problems[field] = msg
		} else if !strings.Contains(prev, msg) {
			problems[field] = prev + "; " + msg
		}
	}

	// Numbers beyond float64 are refused here: exact arithmetic on them in
	// the schema library could take long ("1e999999").
	obj := data
	var early map[string]bool
	for _, fi := range e.numeric {
		v, ok := data[fi.name]
		if !ok {
			continue
		}
		if msg := numberProblem(v); msg != "" {
			if early == nil {
				early = map[string]bool{}
				obj = make(map[string]any, len(data))
				for k, v := range data {
					obj[k] = v
				}
			}
			add(fi.name, msg)
			early[fi.name] = true
			obj[fi.name] = "" // a cheap value; its error is already known
		}
	}

	if err := e.compiled.Validate(obj); err != nil {
		var verr *jsonschema.ValidationError
		if !errors.As(err, &verr) {
			return fmt.Errorf("validate %s: %w", e.name, err)
		}
		e.collect(verr, func(field, msg string) {
			if !early[field] {
				add(field, msg)
			}
		})
	}
	if problems != nil {
		return torque.Invalid("invalid "+e.name, problems)
	}
	for _, fi := range e.fixups {
		if v, ok := data[fi.name]; ok && v != nil {
			data[fi.name] = fi.normalize(v)
		}
	}
	return nil
}

// numberProblem reports a number that does not fit a float64.
func numberProblem(v any) string {
	switch v := v.(type) {
	case json.Number:
		if _, err := strconv.ParseFloat(string(v), 64); err != nil {
			var nerr *strconv.NumError
			if errors.As(err, &nerr) && nerr.Err == strconv.ErrRange {
				return "is out of range"
			}
			return "must be a number"
		}
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "must be a finite number"
		}
	case float32:
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return "must be a finite number"
		}
	}
	return ""
}

// collect reports each leaf error of a validation error tree as a message
// for its field.
func (e *Entity) collect(verr *jsonschema.ValidationError, add func(field, msg string)) {
	if len(verr.Causes) > 0 {
		for _, c := range verr.Causes {
			e.collect(c, add)
		}
		return
	}
	switch k := verr.ErrorKind.(type) {
	case *kind.Required:
		for _, name := range k.Missing {
			add(name, "is required")
		}
		return
	case *kind.AdditionalProperties:
		for _, name := range k.Properties {
			add(name, "unknown field")
		}
		return
	}
	if len(verr.InstanceLocation) == 0 {
		add("$", "must be a JSON object")
		return
	}
	name := verr.InstanceLocation[0]
	fi := e.byName[name]
	if fi == nil {
		add(name, "unknown field")
		return
	}
	add(name, fi.message(verr.ErrorKind))
}

// message words one failed schema keyword of a field.
func (fi *fieldInfo) message(k jsonschema.ErrorKind) string {
	switch k := k.(type) {
	case *kind.Type:
		if k.Got == "null" {
			return "is required"
		}
		return fi.typeMsg
	case *kind.Enum, *kind.Format:
		return fi.typeMsg
	case *kind.MinLength:
		return "must be at least " + characters(k.Want)
	case *kind.MaxLength:
		return "must be at most " + characters(k.Want)
	case *kind.Pattern:
		return "must match the pattern " + fi.field.Pattern
	case *kind.Minimum:
		return "must be at least " + ratString(k.Want)
	case *kind.Maximum:
		return "must be at most " + ratString(k.Want)
	case *kind.InvalidJsonValue:
		return "is not a JSON value"
	}
	return "is not valid"
}

func characters(n int) string {
	if n == 1 {
		return "1 character"
	}
	return strconv.Itoa(n) + " characters"
}

func ratString(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return formatNumber(f)
}

// normalize returns the stored form of a valid value of the field.
func (fi *fieldInfo) normalize(v any) any {
	switch {
	case fi.ref != nil:
		if s, ok := v.(string); ok && strings.ContainsAny(s, "ABCDEF") {
			return strings.ToLower(s)
		}
	case fi.typ == torque.FieldDateTime:
		if s, ok := v.(string); ok && !strings.HasSuffix(s, "Z") {
			return utcDateTime(s)
		}
	case fi.typ == torque.FieldInteger:
		return integer(v)
	}
	return v
}

// utcDateTime rewrites a valid datetime in its stored form
// (torque.DateTimeLayout): UTC, milliseconds, fixed width.
func utcDateTime(s string) string {
	t, err := torque.ParseDateTime(s)
	if err != nil {
		return s
	}
	return torque.FormatDateTime(t)
}

// integer returns a valid integer value as a json.Number without fraction or
// exponent.
func integer(v any) any {
	switch n := v.(type) {
	case json.Number:
		s := string(n)
		if !strings.ContainsAny(s, ".eE") && s != "-0" {
			return n
		}
		if r, ok := new(big.Rat).SetString(s); ok && r.IsInt() {
			return json.Number(r.Num().String())
		}
	case float64:
		return json.Number(strconv.FormatInt(int64(n), 10))
	case float32:
		return json.Number(strconv.FormatInt(int64(n), 10))
	case int:
		return json.Number(strconv.Itoa(n))
	case int64:
		return json.Number(strconv.FormatInt(n, 10))
	case int32:
		return json.Number(strconv.FormatInt(int64(n), 10))
	}
	return v
}

// clone deep-copies a decoded JSON value, so that a default given to one
// entity never shares maps or slices with another.
func clone(v any) any {
	switch v := v.(type) {
	case map[string]any:
		c := make(map[string]any, len(v))
		for k, x := range v {
			c[k] = clone(x)
		}
		return c
	case []any:
		c := make([]any, len(v))
		for i, x := range v {
			c[i] = clone(x)
		}
		return c
	}
	return v
}
