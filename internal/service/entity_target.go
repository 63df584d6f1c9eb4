package service

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/filter"
	"github.com/torquehq/torque/internal/schema"
	"github.com/torquehq/torque/internal/store"
)

// target is an entity type of an app, resolved against the app's current
// model version, with what the actor may do there.
type target struct {
	app    *torque.App
	model  *compiledModel
	typ    string
	et     *torque.EntityType
	schema *schema.Entity
	fields store.FieldTypes
	acc    access
	// own, when not "", restricts the operation the target was resolved for
	// to records created by this user ID.
	own string
}

// resolve finds the app and its entity type typ, and checks that the actor
// may do op there.
func (s *Service) resolve(ctx context.Context, appName, typ string, op torque.Op) (*target, error) {
	a, acc, err := s.appAccess(ctx, appName)
	if err != nil {
		return nil, err
	}
	cm, err := s.compiled(ctx, a.Model)
	if err != nil {
		return nil, fmt.Errorf("model of app %q: %w", appName, err)
	}
	t, err := cm.target(a, typ)
	if err != nil {
		return nil, err
	}
	t.acc = acc
	if t.own, err = acc.owner(t.et, op); err != nil {
		return nil, err
	}
	return t, nil
}

func (cm *compiledModel) target(a *torque.App, typ string) (*target, error) {
	es := cm.schemas.Entity(typ)
	if es == nil {
		return nil, torque.Errorf(torque.ENOTFOUND, "app %q has no entity type %q", a.Name, typ)
	}
	return &target{app: a, model: cm, typ: typ, et: cm.model.EntityType(typ), schema: es, fields: cm.fieldTypes(typ)}, nil
}

// other resolves the entity type typ of the same app for reading, as a step
// from t (a relation, an include).
func (t *target) other(typ string) (*target, error) {
	o, err := t.model.target(t.app, typ)
	if err != nil {
		return nil, err
	}
	o.acc = t.acc
	if o.own, err = o.acc.owner(o.et, torque.OpRead); err != nil {
		return nil, err
	}
	return o, nil
}

// check refuses e when the target's operation op is restricted to the
// actor's own records and e is someone else's: ENOTFOUND when the actor may
// not even read it, EFORBIDDEN otherwise.
func (t *target) check(e *torque.Entity, op torque.Op) error {
	if t.own == "" || e.CreatedBy == t.own {
		return nil
	}
	if op == torque.OpRead || t.acc.grant(t.et, torque.OpRead) != torque.GrantAll {
		return torque.Errorf(torque.ENOTFOUND, "%s %s not found", e.Type, e.ID)
	}
	return torque.Errorf(torque.EFORBIDDEN, "role %s may %s only the %s records they created", t.acc.role, op, t.typ)
}

// visible reports whether the actor may read e, for targets resolved for
// reading.
func (t *target) visible(e *torque.Entity) bool {
	return t.own == "" || e.CreatedBy == t.own
}

// ownFilter is the filter that keeps a restricted target's own records; nil
// when the target is not restricted.
func (t *target) ownFilter() filter.Expr {
	if t.own == "" {
		return nil
	}
	return &filter.Compare{Field: "createdBy", Op: filter.OpEq, Value: t.own}
}

// fieldTypes returns the queryable fields of an entity type: its model
// fields and the reference fields it holds.
func (cm *compiledModel) fieldTypes(typ string) store.FieldTypes {
	cm.fieldsOnce.Do(func() {
		cm.fields = make(map[string]store.FieldTypes, len(cm.model.Entities))
		for _, et := range cm.model.Entities {
			ft := make(store.FieldTypes, len(et.Fields))
			for _, f := range et.Fields {
				ft[f.Name] = f.Type
			}
			cm.fields[et.Name] = ft
		}
		for _, r := range cm.model.Relationships {
			if r.Kind != torque.ManyToMany {
				cm.fields[r.To][r.ToField] = torque.FieldString
			}
		}
	})
	return cm.fields[typ]
}

// relEnd is one end of a relationship seen from an entity type.
type relEnd struct {
	rel     *torque.Relationship
	forward bool   // the entity type is the relationship's "from" side
	other   string // the entity type at the far end
}

// relEnd finds the relation named name from entity type typ: a fromField,
// a toField, or (going forward when typ is the "from" side) a
// relationship's name.
func (cm *compiledModel) relEnd(typ, name string) (relEnd, bool) {
	rels := cm.model.Relationships
	for i := range rels {
		r := &rels[i]
		if r.From == typ && r.FromField == name {
			return relEnd{rel: r, forward: true, other: r.To}, true
		}
		if r.To == typ && r.ToField == name {
			return relEnd{rel: r, forward: false, other: r.From}, true
		}
	}
	for i := range rels {
		r := &rels[i]
		if r.Name != name {
			continue
		}
		if r.From == typ {
			return relEnd{rel: r, forward: true, other: r.To}, true
		}
		if r.To == typ {
			return relEnd{rel: r, forward: false, other: r.From}, true
		}
	}
	return relEnd{}, false
}

// query checks a list request against the entity type and turns it into a
// storage query. extra, when not nil, is and-ed with the user's filter.
func (t *target) query(q torque.EntityQuery, extra filter.Expr) (store.Query, error) {
	fields := map[string]string{}
	where, err := filter.Parse(q.Filter)
	if err == nil {
		err = filter.Check(where, t.schema.FieldType)
	}
	addFieldErrors(fields, err, "filter")
	sort, err := filter.ParseSort(q.Sort)
	if err == nil {
		err = filter.CheckSort(sort, t.schema.FieldType)
	}
	addFieldErrors(fields, err, "sort")
	limit := q.Limit
	if limit == 0 {
		limit = torque.DefaultPageSize
	} else if limit < 0 || limit > torque.MaxPageSize {
		fields["limit"] = fmt.Sprintf("must be from 1 to %d", torque.MaxPageSize)
	}
	for _, name := range q.Include {
		if _, ok := t.model.relEnd(t.typ, name); !ok {
			fields["include"] = fmt.Sprintf("%s has no relation %q", t.typ, name)
			break
		}
	}
	if len(q.Include) > torque.MaxIncludes {
		fields["include"] = fmt.Sprintf("at most %d relations", torque.MaxIncludes)
	}
	if len(fields) > 0 {
		return store.Query{}, torque.Invalid("invalid query", fields)
	}
	for _, e := range []filter.Expr{extra, t.ownFilter()} {
		switch {
		case e == nil:
		case where == nil:
			where = e
		default:
			where = &filter.And{Left: e, Right: where}
		}
	}
	return store.Query{
		Fields: t.fields,
		Where:  where,
		Sort:   sort,
		Limit:  limit,
		Cursor: q.Cursor,
		Count:  q.Count,
	}, nil
}

// addFieldErrors copies the problems of err into fields; an error without
// field details is filed under key.
func addFieldErrors(fields map[string]string, err error, key string) {
	if err == nil {
		return
	}
	if fe := torque.ErrorFields(err); len(fe) > 0 {
		for k, v := range fe {
			fields[k] = v
		}
		return
	}
	fields[key] = torque.ErrorMessage(err)
}

// decodeObject decodes a JSON object, keeping numbers exact.
func decodeObject(raw json.RawMessage, name string) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, torque.Invalid("invalid "+name, map[string]string{name: "must be a JSON object"})
	}
	if dec.More() {
		return nil, torque.Invalid("invalid "+name, map[string]string{name: "must be a single JSON object"})
	}
	return obj, nil
}

// literal turns a prepared data value into a filter literal.
func literal(v any, typ torque.FieldType) any {
	n, ok := v.(json.Number)
	if !ok {
		return v
	}
	if typ == torque.FieldInteger {
		if i, err := n.Int64(); err == nil {
			return i
		}
	}
	f, _ := strconv.ParseFloat(string(n), 64)
	return f
}

// stringField reads the string value of one top-level key of a JSON object;
// "" when absent, null or not a string.
func stringField(data json.RawMessage, name string) string {
	var obj map[string]json.RawMessage
	if json.Unmarshal(data, &obj) != nil {
		return ""
	}
	var s string
	if json.Unmarshal(obj[name], &s) != nil {
		return ""
	}
	return s
}
