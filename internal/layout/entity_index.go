package layout

import "github.com/torquehq/torque"

// shownSystemFields are the system fields a grid, a detail view or a form
// may show (read-only), with their types and labels.
var shownSystemFields = []struct {
	name, label string
	typ         torque.FieldType
}{
	{"id", "ID", torque.FieldString},
	{"createdAt", "Created at", torque.FieldDateTime},
	{"updatedAt", "Updated at", torque.FieldDateTime},
	{"createdBy", "Created by", torque.FieldString},
}

// sortSystemFields are the types of the system fields usable in filters and
// sorts (docs/filter.md).
var sortSystemFields = map[string]torque.FieldType{
	"id":        torque.FieldString,
	"type":      torque.FieldString,
	"version":   torque.FieldInteger,
	"createdAt": torque.FieldDateTime,
	"updatedAt": torque.FieldDateTime,
	"createdBy": torque.FieldString,
}

// entityInfo is what layouts need to know of one entity type.
type entityInfo struct {
	typ  *torque.EntityType
	refs []reference // reference fields, in relationship order
}

// reference is a reference field: the toField of a one-to-one or
// one-to-many relationship whose "to" end is the entity type.
type reference struct {
	field string
	rel   *torque.Relationship
}

// dataFields returns the names of the fields an entity's data holds: its
// fields in order, then its reference fields.
func (e *entityInfo) dataFields() []string {
	names := make([]string, 0, len(e.typ.Fields)+len(e.refs))
	for i := range e.typ.Fields {
		names = append(names, e.typ.Fields[i].Name)
	}
	for _, r := range e.refs {
		names = append(names, r.field)
	}
	return names
}

// reference returns the reference field named name, or nil.
func (e *entityInfo) reference(name string) *reference {
	for i := range e.refs {
		if e.refs[i].field == name {
			return &e.refs[i]
		}
	}
	return nil
}

// hasDataField reports whether name is a field or a reference field.
func (e *entityInfo) hasDataField(name string) bool {
	return e.typ.Field(name) != nil || e.reference(name) != nil
}

// fieldType returns the type of a field usable in filters and sorts: a
// field, a reference field (a string) or a system field.
func (e *entityInfo) fieldType(name string) (torque.FieldType, bool) {
	if f := e.typ.Field(name); f != nil {
		return f.Type, true
	}
	if e.reference(name) != nil {
		return torque.FieldString, true
	}
	t, ok := sortSystemFields[name]
	return t, ok
}

// isShownSystemField reports whether name is one of shownSystemFields.
func isShownSystemField(name string) bool {
	for _, s := range shownSystemFields {
		if s.name == name {
			return true
		}
	}
	return false
}

// modelIndex finds the entity types of a model by name.
type modelIndex struct {
	m        *torque.Model
	entities map[string]*entityInfo
	names    []string // entity type names in model order, for suggestions
}

func newModelIndex(m *torque.Model) *modelIndex {
	x := &modelIndex{m: m, entities: make(map[string]*entityInfo, len(m.Entities))}
	for i := range m.Entities {
		e := &m.Entities[i]
		x.names = append(x.names, e.Name)
		if _, dup := x.entities[e.Name]; !dup {
			x.entities[e.Name] = &entityInfo{typ: e}
		}
	}
	for i := range m.Relationships {
		r := &m.Relationships[i]
		if r.Kind == torque.ManyToMany {
			continue
		}
		if e := x.entities[r.To]; e != nil {
			e.refs = append(e.refs, reference{field: r.ToField, rel: r})
		}
	}
	return x
}

// entity returns the entity type named name, or nil.
func (x *modelIndex) entity(name string) *entityInfo { return x.entities[name] }

// unknownEntity describes name, which names no entity type.
func (x *modelIndex) unknownEntity(name string) string {
	return "unknown entity type " + quote(name) + suggest(name, x.names)
}
