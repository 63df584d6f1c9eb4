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
// model version.
type target struct {
	app    *torque.App
	model  *compiledModel
	typ    string
	schema *schema.Entity
	fields store.FieldTypes
}

// resolve finds the app and its entity type typ.
func (s *Service) resolve(ctx context.Context, appName, typ string) (*target, error) {
	a, err := s.app(ctx, appName)
	if err != nil {
		return nil, err
	}
	cm, err := s.compiled(ctx, a.Model)
	if err != nil {
		return nil, fmt.Errorf("model of app %q: %w", appName, err)
	}
	return cm.target(a, typ)
}

func (cm *compiledModel) target(a *torque.App, typ string) (*target, error) {
	es := cm.schemas.Entity(typ)
	if es == nil {
		return nil, torque.Errorf(torque.ENOTFOUND, "app %q has no entity type %q", a.Name, typ)
	}
	return &target{app: a, model: cm, typ: typ, schema: es, fields: cm.fieldTypes(typ)}, nil
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
	switch {
	case extra == nil:
	case where == nil:
		where = extra
	default:
		where = &filter.And{Left: extra, Right: where}
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
