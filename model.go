package torque

import (
	"encoding/json"
	"time"
)

// FieldType is the type of an entity field. See docs/model.md.
type FieldType string

const (
	FieldString   FieldType = "string"   // short text, one line
	FieldText     FieldType = "text"     // long text
	FieldInteger  FieldType = "integer"  // whole number (int64 range)
	FieldNumber   FieldType = "number"   // floating point number
	FieldBoolean  FieldType = "boolean"  // true or false
	FieldDate     FieldType = "date"     // calendar date, "2026-11-24"
	FieldDateTime FieldType = "datetime" // RFC 3339 instant, "2026-11-24T17:00:00Z"
	FieldEnum     FieldType = "enum"     // one of Values
	FieldEmail    FieldType = "email"    // an e-mail address
	FieldURL      FieldType = "url"      // an absolute http(s) URL
	FieldJSON     FieldType = "json"     // any JSON value
)

// FieldTypes lists every field type in documentation order.
var FieldTypes = []FieldType{
	FieldString, FieldText, FieldInteger, FieldNumber, FieldBoolean, FieldDate,
	FieldDateTime, FieldEnum, FieldEmail, FieldURL, FieldJSON,
}

// RelationshipKind is the cardinality of a relationship.
type RelationshipKind string

const (
	OneToOne   RelationshipKind = "one-to-one"
	OneToMany  RelationshipKind = "one-to-many"
	ManyToMany RelationshipKind = "many-to-many"
)

// OnDelete says what happens to related entities when a "from" entity is deleted.
type OnDelete string

const (
	OnDeleteRestrict OnDelete = "restrict" // refuse the delete while related entities exist
	OnDeleteCascade  OnDelete = "cascade"  // delete the related entities too
	OnDeleteSetNull  OnDelete = "set-null" // clear the reference (or the link)
)

// Model is a versioned application definition. Its JSON form is the model
// document of docs/model.schema.json.
type Model struct {
	ID            string            `json:"id,omitempty"`
	Name          string            `json:"name"`
	Description   string            `json:"description,omitempty"`
	Version       int64             `json:"version"`
	Entities      []EntityType      `json:"entities"`
	Relationships []Relationship    `json:"relationships"`
	Pages         []json.RawMessage `json:"pages"`
	XFlows        []json.RawMessage `json:"xflows"`
	CreatedAt     *time.Time        `json:"createdAt,omitempty"`
	UpdatedAt     *time.Time        `json:"updatedAt,omitempty"`
}

// EntityType describes one kind of record of a model.
type EntityType struct {
	Name        string  `json:"name"`
	DisplayName string  `json:"displayName,omitempty"`
	Fields      []Field `json:"fields"`
	// Permissions narrow, per role, what members of an app may do with
	// entities of this type; see docs/model.md.
	Permissions map[Role]*OpGrants `json:"permissions,omitempty"`
}

// Field is one typed, validated attribute of an entity type.
type Field struct {
	Name        string          `json:"name"`
	DisplayName string          `json:"displayName,omitempty"`
	Type        FieldType       `json:"type"`
	Required    bool            `json:"required,omitempty"`
	Unique      bool            `json:"unique,omitempty"`
	Default     json.RawMessage `json:"default,omitempty"`
	Min         *float64        `json:"min,omitempty"`
	Max         *float64        `json:"max,omitempty"`
	MinLength   *int            `json:"minLength,omitempty"`
	MaxLength   *int            `json:"maxLength,omitempty"`
	Pattern     string          `json:"pattern,omitempty"`
	Values      []string        `json:"values,omitempty"`
	// Indexed asks for a storage index on the field. When absent, fields of
	// types that are usually filtered or sorted (integer, number, boolean,
	// date, datetime, enum) and unique fields are indexed; see IsIndexed.
	Indexed *bool `json:"indexed,omitempty"`
}

// IsIndexed reports whether storage keeps an index on the field.
func (f *Field) IsIndexed() bool {
	if f.Indexed != nil {
		return *f.Indexed || f.Unique
	}
	switch f.Type {
	case FieldInteger, FieldNumber, FieldBoolean, FieldDate, FieldDateTime, FieldEnum:
		return true
	}
	return f.Unique
}

// Relationship links two entity types of a model.
//
// For one-to-one and one-to-many the "to" entity holds the reference: its
// data carries ToField with the id of a "from" entity (or null). For
// many-to-many the links are kept apart from the data and managed through the
// related endpoints. FromField names the way from a "from" entity to its "to"
// entities, ToField the way back; both are used in
// /entities/{type}/{id}/related/{name} and in include lists.
type Relationship struct {
	Name      string           `json:"name"`
	Kind      RelationshipKind `json:"kind"`
	From      string           `json:"from"`
	To        string           `json:"to"`
	FromField string           `json:"fromField"`
	ToField   string           `json:"toField"`
	OnDelete  OnDelete         `json:"onDelete,omitempty"` // default restrict; set-null for many-to-many
	// Required means every "to" entity must reference a "from" entity
	// (one-to-one and one-to-many only).
	Required bool `json:"required,omitempty"`
}

// EntityType returns the entity type named name, or nil.
func (m *Model) EntityType(name string) *EntityType {
	for i := range m.Entities {
		if m.Entities[i].Name == name {
			return &m.Entities[i]
		}
	}
	return nil
}

// Field returns the field named name, or nil.
func (t *EntityType) Field(name string) *Field {
	for i := range t.Fields {
		if t.Fields[i].Name == name {
			return &t.Fields[i]
		}
	}
	return nil
}

// Document returns a copy of m without its storage identity (id, timestamps):
// the form written by export and read by import.
func (m *Model) Document() *Model {
	d := *m
	d.ID, d.CreatedAt, d.UpdatedAt = "", nil, nil
	return &d
}

// ModelVersion is one kept version of a model.
type ModelVersion struct {
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"createdAt"`
	Model     *Model    `json:"model,omitempty"`
}
