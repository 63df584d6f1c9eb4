package service

import (
	"context"
	"encoding/json"
	"errors"
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
	err = s.againIfModelMoved(ctx, func() (err error) {
		e, err = s.createEntity(ctx, appName, typ, raw)
		return err
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

func (s *Service) createEntity(ctx context.Context, appName, typ string, raw json.RawMessage) (*torque.Entity, error) {
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
	e := &torque.Entity{ID: id.String(), Type: typ, Data: body, Version: 1, CreatedAt: now, UpdatedAt: now, CreatedBy: t.acc.actor.UserID}
	changes := &entityChanges{app: appName}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		changes.reset()
		if err := holdModel(ctx, tx, t); err != nil {
			return err
		}
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
	err = s.againIfModelMoved(ctx, func() (err error) {
		e, err = s.updateEntity(ctx, appName, typ, id, version, raw)
		return err
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

func (s *Service) updateEntity(ctx context.Context, appName, typ, id string, version int64, raw json.RawMessage) (e *torque.Entity, err error) {
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
		if err := holdModel(ctx, tx, t); err != nil {
			return err
		}
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
	return s.againIfModelMoved(ctx, func() error { return s.deleteEntity(ctx, appName, typ, id) })
}

func (s *Service) deleteEntity(ctx context.Context, appName, typ, id string) error {
	t, err := s.resolve(ctx, appName, typ, torque.OpDelete)
	if err != nil {
		return err
	}
	changes := &entityChanges{app: appName}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		changes.reset()
		// The onDelete rules applied are those of the model version held.
		if err := holdModel(ctx, tx, t); err != nil {
			return err
		}
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

// modelWriteAttempts bounds how often an entity write runs when the model
// keeps changing under it (see againIfModelMoved).
const modelWriteAttempts = 3

// modelMoved is what an entity write's transaction returns when the model
// there is not at the version the write resolved and validated against.
type modelMoved struct {
	model   string
	version int64 // the version the transaction saw
}

func (e *modelMoved) Error() string {
	return fmt.Sprintf("model %q is at version %d", e.model, e.version)
}

// holdModel is the first step of an entity write's transaction: it keeps
// the model at its current version until the transaction ends
// (store.Tx.HoldModel) and refuses to go on (modelMoved) when that is not
// the version t was resolved against. So a record is always checked
// against the model version committed before it, and a model write checking
// stored records sees every record checked against an older version.
func holdModel(ctx context.Context, tx *store.Tx, t *target) error {
	m := t.model.model
	v, err := tx.HoldModel(ctx, m.Name)
	if err != nil {
		return err
	}
	if v != m.Version {
		return &modelMoved{model: m.Name, version: v}
	}
	return nil
}

// againIfModelMoved runs write, an entity write that resolves its target
// and validates its data against the cached model, again when its
// transaction found the model at another version (modelMoved): with that
// version, read from storage. A model that keeps changing is ECONFLICT
// after modelWriteAttempts.
func (s *Service) againIfModelMoved(ctx context.Context, write func() error) error {
	for attempt := 1; ; attempt++ {
		err := write()
		var moved *modelMoved
		if !errors.As(err, &moved) {
			return err
		}
		if attempt == modelWriteAttempts {
			return torque.Errorf(torque.ECONFLICT, "model %q changed while the record was written: try again", moved.model)
		}
		if err := s.refreshModel(ctx, moved.model, moved.version); err != nil {
			return err
		}
	}
}

// refreshModel makes the cached compiled model the one storage holds, unless
// the cache holds version v already.
func (s *Service) refreshModel(ctx context.Context, name string, v int64) error {
	s.mu.RLock()
	cm := s.models[name]
	s.mu.RUnlock()
	if cm != nil && cm.model.Version == v {
		return nil
	}
	m, err := s.db.Model(ctx, name)
	if err != nil {
		return err
	}
	_, err = s.cacheModel(m, true)
	return err
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
