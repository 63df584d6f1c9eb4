package layout

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/torquehq/torque"
)

// Form is what a create or edit form shows for an entity type.
type Form struct {
	Entity string      `json:"entity"`
	Title  string      `json:"title"` // the entity type's display name
	Fields []FormField `json:"fields"`
}

// FormField is one input of a form, with the rules of its field so that the
// app can check input before sending it (the server checks it again).
type FormField struct {
	Name  string `json:"name"`
	Label string `json:"label"` // the field's display name, or its name in words
	// Type is the field's torque.FieldType; a reference field is a "string"
	// holding the id of the entity it refers to.
	Type string `json:"type"`
	// Widget is the input to show: text, textarea, number, integer,
	// checkbox, date, datetime, select, email, url, json or relation.
	Widget    string          `json:"widget"`
	Required  bool            `json:"required"`
	Default   any             `json:"default,omitempty"` // decoded JSON (numbers as json.Number)
	Min       *float64        `json:"min,omitempty"`
	Max       *float64        `json:"max,omitempty"`
	MinLength *int            `json:"minLength,omitempty"`
	MaxLength *int            `json:"maxLength,omitempty"`
	Pattern   string          `json:"pattern,omitempty"`
	Options   []Option        `json:"options,omitempty"`  // enum values
	Relation  *RelationPicker `json:"relation,omitempty"` // reference fields
	// ReadOnly marks the system fields a form may show (id, createdAt,
	// updatedAt, createdBy): shown, never sent.
	ReadOnly bool `json:"readOnly,omitempty"`
}

// Option is one choice of a select.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// RelationPicker picks the entity a reference field refers to: the field is
// the "to" end of a one-to-one or one-to-many relationship, and the picker
// lists entities of the "from" type.
type RelationPicker struct {
	Entity       string `json:"entity"`       // the type picked from
	Relationship string `json:"relationship"` // the relationship's name
	// DisplayField is the field that names a picked entity: the first
	// string field of Entity, or "id".
	DisplayField string `json:"displayField"`
	// Multiple is true when several entities may be picked. References in
	// entity data are single, so FormFor sets it false; many-to-many links
	// are kept apart from the data and are not form fields.
	Multiple bool `json:"multiple"`
}

// widgets maps each field type to its input.
var widgets = map[torque.FieldType]string{
	torque.FieldString:   "text",
	torque.FieldText:     "textarea",
	torque.FieldInteger:  "integer",
	torque.FieldNumber:   "number",
	torque.FieldBoolean:  "checkbox",
	torque.FieldDate:     "date",
	torque.FieldDateTime: "datetime",
	torque.FieldEnum:     "select",
	torque.FieldEmail:    "email",
	torque.FieldURL:      "url",
	torque.FieldJSON:     "json",
}

// FormFor returns the form of entity type entity of m. fields picks the
// fields to show and their order: fields and reference fields of the type,
// and the system fields id, createdAt, updatedAt and createdBy (read-only);
// nil or empty means every field of the type in model order, then its
// reference fields. An unknown entity type is ENOTFOUND; unknown or repeated
// fields are EINVALID with Fields naming each ("fields[2]"). The form
// shares nothing with m.
func FormFor(m *torque.Model, entity string, fields []string) (*Form, error) {
	x := newModelIndex(m)
	e := x.entity(entity)
	if e == nil {
		return nil, &torque.Error{Code: torque.ENOTFOUND, Message: fmt.Sprintf("model %q has no entity type %q", m.Name, entity),
			Fields: map[string]string{"entity": x.unknownEntity(entity)}}
	}
	if len(fields) == 0 {
		fields = e.dataFields()
	}
	f := &Form{Entity: entity, Title: displayName(e.typ.Name, e.typ.DisplayName), Fields: make([]FormField, 0, len(fields))}
	p := newProblems()
	seen := make(map[string]bool, len(fields))
	for i, name := range fields {
		path := index("fields", i)
		if seen[name] {
			p.add(path, "repeats field "+quote(name))
			continue
		}
		seen[name] = true
		ff, ok := x.formField(e, name)
		if !ok {
			p.add(path, "no field "+quote(name)+" in entity type "+quote(entity)+suggest(name, e.dataFields()))
			continue
		}
		f.Fields = append(f.Fields, ff)
	}
	if err := p.err("invalid form fields"); err != nil {
		return nil, err
	}
	return f, nil
}

// formField returns the form field of name in e: a field, a reference field
// or a shown system field.
func (x *modelIndex) formField(e *entityInfo, name string) (FormField, bool) {
	if fd := e.typ.Field(name); fd != nil {
		ff := FormField{
			Name: fd.Name, Label: displayName(humanize(fd.Name), fd.DisplayName),
			Type: string(fd.Type), Widget: widgets[fd.Type], Required: fd.Required,
			Min: clone(fd.Min), Max: clone(fd.Max), MinLength: clone(fd.MinLength), MaxLength: clone(fd.MaxLength), Pattern: fd.Pattern,
		}
		if ff.Widget == "" {
			ff.Widget = "text" // a model that did not pass Validate
		}
		if len(fd.Default) > 0 {
			dec := json.NewDecoder(bytes.NewReader(fd.Default))
			dec.UseNumber()
			if dec.Decode(&ff.Default) != nil {
				ff.Default = nil
			}
		}
		if fd.Type == torque.FieldEnum {
			ff.Options = make([]Option, len(fd.Values))
			for i, v := range fd.Values {
				ff.Options[i] = Option{Value: v, Label: v}
			}
		}
		return ff, true
	}
	if r := e.reference(name); r != nil {
		return FormField{
			Name: name, Label: humanize(name), Type: string(torque.FieldString), Widget: "relation",
			Required: r.rel.Required,
			Relation: &RelationPicker{Entity: r.rel.From, Relationship: r.rel.Name, DisplayField: x.displayField(r.rel.From)},
		}, true
	}
	for _, s := range shownSystemFields {
		if s.name == name {
			return FormField{Name: name, Label: s.label, Type: string(s.typ), Widget: widgets[s.typ], ReadOnly: true}, true
		}
	}
	return FormField{}, false
}

// displayField is the field that names entities of type entity: its first
// string field, or "id".
func (x *modelIndex) displayField(entity string) string {
	if e := x.entity(entity); e != nil {
		for i := range e.typ.Fields {
			if e.typ.Fields[i].Type == torque.FieldString {
				return e.typ.Fields[i].Name
			}
		}
	}
	return "id"
}

// clone returns a pointer to a copy of *p, or nil: a form shares nothing
// with its model.
func clone[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
