package service

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/filter"
	"github.com/torquehq/torque/internal/store"
)

// MaxCascade bounds how many entities one delete may remove or change
// through onDelete rules; a larger cascade is refused whole.
const MaxCascade = 10000

// deletion is one delete with its cascade, inside one transaction.
type deletion struct {
	s       *Service
	tx      *store.Tx
	app     *torque.App
	model   *compiledModel
	acc     access          // what the actor may do: the cascade must stay within it
	seen    map[string]bool // entities deleted or being deleted
	touch   int             // entities deleted or changed so far
	changes *entityChanges  // what was deleted or changed, for the change bus
}

func (d *deletion) delete(ctx context.Context, typ, id string) error {
	if d.seen[id] {
		return nil
	}
	d.seen[id] = true
	if err := d.count(); err != nil {
		return err
	}
	rels := d.model.model.Relationships
	for i := range rels {
		r := &rels[i]
		if r.From != typ {
			continue
		}
		related, err := d.relatedIDs(ctx, r, id)
		if err != nil {
			return err
		}
		related = d.unseen(related)
		if len(related) == 0 {
			continue
		}
		switch r.OnDelete {
		case torque.OnDeleteCascade:
			if err := d.acc.forbidCascade(d.model.model.EntityType(r.To), torque.OpDelete, typ); err != nil {
				return err
			}
			for _, rid := range related {
				if err := d.delete(ctx, r.To, rid); err != nil {
					return err
				}
			}
		case torque.OnDeleteSetNull:
			if r.Kind == torque.ManyToMany {
				continue // the links go with the entity
			}
			if err := d.acc.forbidCascade(d.model.model.EntityType(r.To), torque.OpUpdate, typ); err != nil {
				return err
			}
			if r.Required {
				return d.refused(typ, id, r, len(related), "the reference is required")
			}
			for _, rid := range related {
				if err := d.clearReference(ctx, r, rid); err != nil {
					return err
				}
			}
		default:
			return d.refused(typ, id, r, len(related), "onDelete is restrict")
		}
	}
	if err := d.tx.DeleteEntity(ctx, d.app.ID, typ, id); err != nil {
		return err
	}
	d.changes.add(KindEntityDeleted, typ, nil, id)
	return nil
}

// relatedIDs lists the "to" entities that entity id of r.From reaches.
func (d *deletion) relatedIDs(ctx context.Context, r *torque.Relationship, id string) ([]string, error) {
	if r.Kind == torque.ManyToMany {
		links, err := d.tx.LinkedIDs(ctx, d.app.ID, r.Name, []string{id}, true)
		if err != nil {
			return nil, err
		}
		return links[id], nil
	}
	return d.tx.IDs(ctx, d.app.ID, r.To, d.model.fieldTypes(r.To),
		&filter.Compare{Field: r.ToField, Op: filter.OpEq, Value: id}, MaxCascade+1)
}

func (d *deletion) unseen(ids []string) []string {
	out := ids[:0:0]
	for _, id := range ids {
		if !d.seen[id] {
			out = append(out, id)
		}
	}
	return out
}

// clearReference removes the reference field of entity id, as a new version.
func (d *deletion) clearReference(ctx context.Context, r *torque.Relationship, id string) error {
	if err := d.count(); err != nil {
		return err
	}
	e, err := d.tx.Entity(ctx, d.app.ID, r.To, id)
	if err != nil {
		return err
	}
	data, err := decodeObject(e.Data, "data")
	if err != nil {
		return fmt.Errorf("stored %s %s: %w", r.To, id, err)
	}
	delete(data, r.ToField)
	body, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("encode %s: %w", r.To, err)
	}
	base := e.Version
	e.Data, e.Version, e.UpdatedAt = body, base+1, d.s.now().UTC()
	if err := d.tx.UpdateEntity(ctx, d.app.ID, e, base); err != nil {
		return err
	}
	d.changes.add(KindEntityUpdated, r.To, e, "")
	return nil
}

func (d *deletion) count() error {
	d.touch++
	if d.touch > MaxCascade {
		return torque.Errorf(torque.ETOOLARGE, "delete would remove or change more than %d entities", MaxCascade)
	}
	return nil
}

func (d *deletion) refused(typ, id string, r *torque.Relationship, n int, why string) error {
	return torque.Errorf(torque.ECONFLICT, "cannot delete %s %s: %d %s entities are related through %q (%s)",
		typ, id, n, r.To, r.Name, why)
}
