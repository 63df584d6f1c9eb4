package service

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/google/uuid"
	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/filter"
	"github.com/torquehq/torque/internal/store"
)

// CreateEntity validates data against the entity type and stores it.
func (s *Service) CreateEntity(ctx context.Context, appName, typ string, raw json.RawMessage) (e *torque.Entity, err error) {
	defer s.observe("create", time.Now(), &err)
	t, err := s.resolve(ctx, appName, typ, torque.OpCreate)
	if err != nil {
		return nil, err
	}
	data, err := decodeObject(raw, "data")
	if err != nil {
		return nil, err
	}
	if err := t.schema.Prepare(data, true); err != nil {
		return nil, err
	}
	body, err := json.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", typ, err)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, fmt.Errorf("new id: %w", err)
	}
	now := s.now().UTC()
	e = &torque.Entity{ID: id.String(), Type: typ, Data: body, Version: 1, CreatedAt: now, UpdatedAt: now, CreatedBy: t.acc.actor.UserID}
	changes := &entityChanges{app: appName}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		changes.reset()
		if err := checkWrite(ctx, tx, t, e.ID, data, nil); err != nil {
			return err
		}
		if err := tx.InsertEntity(ctx, t.app.ID, e); err != nil {
			return err
		}
		changes.add(KindEntityCreated, typ, e, "")
		return s.notifyEntities(ctx, tx, changes)
	})
	if err != nil {
		return nil, err
	}
	s.publishEntities(ctx, changes)
	return e, nil
}

// Entity returns one entity.
func (s *Service) Entity(ctx context.Context, appName, typ, id string) (e *torque.Entity, err error) {
	defer s.observe("get", time.Now(), &err)
	t, err := s.resolve(ctx, appName, typ, torque.OpRead)
	if err != nil {
		return nil, err
	}
	e, err = s.db.Entity(ctx, t.app.ID, typ, id)
	if err != nil {
		return nil, err
	}
	if err := t.check(e, torque.OpRead); err != nil {
		return nil, err
	}
	return e, nil
}

// UpdateEntity merges patch into the entity, if it is still at version.
// A null in patch clears the field. Values of fields the model no longer has
// are dropped.
func (s *Service) UpdateEntity(ctx context.Context, appName, typ, id string, version int64, raw json.RawMessage) (e *torque.Entity, err error) {
	defer s.observe("update", time.Now(), &err)
	t, err := s.resolve(ctx, appName, typ, torque.OpUpdate)
	if err != nil {
		return nil, err
	}
	patch, err := decodeObject(raw, "data")
	if err != nil {
		return nil, err
	}
	changes := &entityChanges{app: appName}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		changes.reset()
		cur, err := tx.Entity(ctx, t.app.ID, typ, id)
		if err != nil {
			return err
		}
		if err := t.check(cur, torque.OpUpdate); err != nil {
			return err
		}
		if cur.Version != version {
			return torque.Errorf(torque.ECONFLICT, "%s %s changed since version %d: current version %d", typ, id, version, cur.Version)
		}
		old, err := decodeObject(cur.Data, "data")
		if err != nil {
			return fmt.Errorf("stored %s %s: %w", typ, id, err)
		}
		data := make(map[string]any, len(old)+len(patch))
		for k, v := range old {
			if _, ok := t.fields[k]; ok {
				data[k] = v
			}
		}
		for k, v := range patch {
			if v == nil {
				delete(data, k)
			} else {
				data[k] = v
			}
		}
		if err := t.schema.Prepare(data, false); err != nil {
			return err
		}
		if reflect.DeepEqual(data, old) {
			e = cur // nothing changes: no new version
			return nil
		}
		if err := checkWrite(ctx, tx, t, id, data, old); err != nil {
			return err
		}
		body, err := json.Marshal(data)
		if err != nil {
			return fmt.Errorf("encode %s: %w", typ, err)
		}
		e = &torque.Entity{ID: id, Type: typ, Data: body, Version: version + 1, CreatedAt: cur.CreatedAt, UpdatedAt: s.now().UTC(), CreatedBy: cur.CreatedBy}
		if err := tx.UpdateEntity(ctx, t.app.ID, e, version); err != nil {
			return err
		}
		changes.add(KindEntityUpdated, typ, e, "")
		return s.notifyEntities(ctx, tx, changes)
	})
	if err != nil {
		return nil, err
	}
	s.publishEntities(ctx, changes)
	return e, nil
}

// DeleteEntity deletes one entity, applying the onDelete rule of every
// relationship that starts at its type.
func (s *Service) DeleteEntity(ctx context.Context, appName, typ, id string) (err error) {
	defer s.observe("delete", time.Now(), &err)
	t, err := s.resolve(ctx, appName, typ, torque.OpDelete)
	if err != nil {
		return err
	}
	changes := &entityChanges{app: appName}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		changes.reset()
		if t.own != "" {
			cur, err := tx.Entity(ctx, t.app.ID, typ, id)
			if err != nil {
				return err
			}
			if err := t.check(cur, torque.OpDelete); err != nil {
				return err
			}
		}
		d := &deletion{s: s, tx: tx, app: t.app, model: t.model, acc: t.acc, seen: map[string]bool{}, changes: changes}
		if err := d.delete(ctx, typ, id); err != nil {
			return err
		}
		return s.notifyEntities(ctx, tx, changes)
	})
	if err != nil {
		return err
	}
	s.publishEntities(ctx, changes)
	return nil
}

// Entities lists one page of entities of a type.
func (s *Service) Entities(ctx context.Context, appName, typ string, q torque.EntityQuery) (page *torque.EntityPage, err error) {
	defer s.observe("list", time.Now(), &err)
	t, err := s.resolve(ctx, appName, typ, torque.OpRead)
	if err != nil {
		return nil, err
	}
	sq, err := t.query(q, nil)
	if err != nil {
		return nil, err
	}
	page, err = s.db.List(ctx, t.app.ID, typ, sq)
	if err != nil {
		return nil, err
	}
	if err := s.include(ctx, t, page.Items, q.Include); err != nil {
		return nil, err
	}
	return page, nil
}

// checkWrite enforces, inside the write transaction, what JSON Schema cannot:
// references point at existing entities, and unique fields (and one-to-one
// references) hold values no other entity of the type holds. old is the
// stored data of an update (nil on create); unchanged values are not checked
// again.
func checkWrite(ctx context.Context, tx *store.Tx, t *target, id string, data, old map[string]any) error {
	invalid := map[string]string{}
	conflict := map[string]string{}
	changed := func(field string) bool {
		v := data[field]
		return v != nil && (old == nil || !reflect.DeepEqual(old[field], v))
	}
	unique := func(field string, typ torque.FieldType) error {
		value := literal(data[field], typ)
		if err := tx.Lock(ctx, fmt.Sprintf("unique/%d/%s/%s/%v", t.app.ID, t.typ, field, value)); err != nil {
			return err
		}
		n, err := tx.Count(ctx, t.app.ID, t.typ, t.fields, &filter.And{
			Left:  &filter.Compare{Field: field, Op: filter.OpEq, Value: value},
			Right: &filter.Compare{Field: "id", Op: filter.OpNe, Value: id},
		})
		if err != nil {
			return err
		}
		if n > 0 {
			conflict[field] = fmt.Sprintf("must be unique: another %s has this value", t.typ)
		}
		return nil
	}
	for _, ref := range t.schema.References() {
		if !changed(ref.Field) {
			continue
		}
		target, _ := data[ref.Field].(string)
		n, err := tx.Count(ctx, t.app.ID, ref.Target, t.model.fieldTypes(ref.Target),
			&filter.Compare{Field: "id", Op: filter.OpEq, Value: target})
		if err != nil {
			return err
		}
		if n == 0 {
			invalid[ref.Field] = fmt.Sprintf("no %s with id %q", ref.Target, target)
			continue
		}
		if ref.Relationship.Kind == torque.OneToOne {
			if err := unique(ref.Field, torque.FieldString); err != nil {
				return err
			}
		}
	}
	if len(invalid) > 0 {
		return torque.Invalid(fmt.Sprintf("invalid %s", t.typ), invalid)
	}
	et := t.model.model.EntityType(t.typ)
	for i := range et.Fields {
		f := &et.Fields[i]
		if f.Unique && changed(f.Name) {
			if err := unique(f.Name, f.Type); err != nil {
				return err
			}
		}
	}
	if len(conflict) > 0 {
		return &torque.Error{Code: torque.ECONFLICT, Message: fmt.Sprintf("%s conflicts with another %s", t.typ, t.typ), Fields: conflict}
	}
	return nil
}
