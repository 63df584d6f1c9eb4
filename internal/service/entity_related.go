package service

import (
	"context"
	"fmt"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/filter"
	"github.com/torquehq/torque/internal/store"
)

// RelatedEntities lists the entities that entity id reaches through the
// relation rel, with the list options of q.
func (s *Service) RelatedEntities(ctx context.Context, appName, typ, id, rel string, q torque.EntityQuery) (page *torque.EntityPage, err error) {
	defer s.observe("list", time.Now(), &err)
	t, end, err := s.resolveRel(ctx, appName, typ, rel, torque.OpRead)
	if err != nil {
		return nil, err
	}
	e, err := s.db.Entity(ctx, t.app.ID, typ, id)
	if err != nil {
		return nil, err
	}
	if err := t.check(e, torque.OpRead); err != nil {
		return nil, err
	}
	other, err := t.other(end.other)
	if err != nil {
		return nil, err
	}
	var extra filter.Expr
	var linked *store.Linked
	switch {
	case end.rel.Kind == torque.ManyToMany:
		linked = &store.Linked{Rel: end.rel.Name, ID: id, Forward: end.forward}
	case end.forward:
		extra = &filter.Compare{Field: end.rel.ToField, Op: filter.OpEq, Value: id}
	default:
		ref := stringField(e.Data, end.rel.ToField)
		if ref == "" {
			return &torque.EntityPage{Items: []*torque.Entity{}}, nil
		}
		extra = &filter.Compare{Field: "id", Op: filter.OpEq, Value: ref}
	}
	sq, err := other.query(q, extra)
	if err != nil {
		return nil, err
	}
	sq.Linked = linked
	page, err = s.db.List(ctx, t.app.ID, other.typ, sq)
	if err != nil {
		return nil, err
	}
	if err := s.include(ctx, other, page.Items, q.Include); err != nil {
		return nil, err
	}
	return page, nil
}

// Link links entity id to otherID through the many-to-many relation rel.
func (s *Service) Link(ctx context.Context, appName, typ, id, rel, otherID string) error {
	return s.link(ctx, appName, typ, id, rel, otherID, true)
}

// Unlink removes the link between entity id and otherID.
func (s *Service) Unlink(ctx context.Context, appName, typ, id, rel, otherID string) error {
	return s.link(ctx, appName, typ, id, rel, otherID, false)
}

func (s *Service) link(ctx context.Context, appName, typ, id, rel, otherID string, add bool) error {
	t, end, err := s.resolveRel(ctx, appName, typ, rel, torque.OpUpdate)
	if err != nil {
		return err
	}
	if end.rel.Kind != torque.ManyToMany {
		return torque.Invalid("invalid link", map[string]string{
			"relation": fmt.Sprintf("%q is %s: set the reference field %q of %s instead", rel, end.rel.Kind, end.rel.ToField, end.rel.To),
		})
	}
	from, to := id, otherID
	if !end.forward {
		from, to = otherID, id
	}
	changes := &entityChanges{app: appName}
	kind := KindEntityLinked
	if !add {
		kind = KindEntityUnlink
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		changes.reset()
		cur, err := tx.Entity(ctx, t.app.ID, typ, id)
		if err != nil {
			return err
		}
		if err := t.check(cur, torque.OpUpdate); err != nil {
			return err
		}
		if err := s.linkTx(ctx, tx, t, end, otherID, from, to, add); err != nil {
			return err
		}
		changes.addLink(kind, typ, id, cur.CreatedBy, end.rel.Name, otherID)
		changes.addLink(kind, end.other, otherID, "", end.rel.Name, id)
		return s.notifyEntities(ctx, tx, changes)
	})
	if err != nil {
		return err
	}
	s.publishEntities(ctx, changes)
	return nil
}

// linkTx adds or removes the link between from and to in tx, checking that
// otherID exists before adding.
func (s *Service) linkTx(ctx context.Context, tx *store.Tx, t *target, end relEnd, otherID, from, to string, add bool) error {
	if !add {
		return tx.Unlink(ctx, t.app.ID, end.rel.Name, from, to)
	}
	n, err := tx.Count(ctx, t.app.ID, end.other, t.model.fieldTypes(end.other),
		&filter.Compare{Field: "id", Op: filter.OpEq, Value: otherID})
	if err != nil {
		return err
	}
	if n == 0 {
		return torque.Invalid("invalid link", map[string]string{"id": fmt.Sprintf("no %s with id %q", end.other, otherID)})
	}
	return tx.Link(ctx, t.app.ID, end.rel.Name, from, to)
}

func (s *Service) resolveRel(ctx context.Context, appName, typ, rel string, op torque.Op) (*target, relEnd, error) {
	t, err := s.resolve(ctx, appName, typ, op)
	if err != nil {
		return nil, relEnd{}, err
	}
	end, ok := t.model.relEnd(typ, rel)
	if !ok {
		return nil, relEnd{}, torque.Errorf(torque.ENOTFOUND, "%s has no relation %q", typ, rel)
	}
	return t, end, nil
}

// include embeds, for every item, the entities reached through each named
// relation. It costs one or two queries per relation, whatever the number of
// items. The entities embedded through one many end may number at most
// torque.MaxPageSize for the whole page; more is refused (EINVALID naming the
// relation), since a smaller limit or the related endpoint serves them.
func (s *Service) include(ctx context.Context, t *target, items []*torque.Entity, names []string) error {
	if len(items) == 0 {
		return nil
	}
	for _, name := range names {
		end, _ := t.model.relEnd(t.typ, name)
		other, err := t.other(end.other)
		if err != nil {
			return fmt.Errorf("include %q: %w", name, err)
		}
		switch {
		case end.rel.Kind == torque.ManyToMany:
			err = s.includeLinked(ctx, t, other, end, name, items)
		case end.forward:
			err = s.includeReferrers(ctx, t, other, end, name, items)
		default:
			err = s.includeReferenced(ctx, t, other, end, name, items)
		}
		if err != nil {
			return fmt.Errorf("include %q: %w", name, err)
		}
	}
	return nil
}

// includeReferenced embeds the entity each item's reference field names.
func (s *Service) includeReferenced(ctx context.Context, t, other *target, end relEnd, name string, items []*torque.Entity) error {
	refs := make([]string, len(items))
	var ids []string
	for i, e := range items {
		if refs[i] = stringField(e.Data, end.rel.ToField); refs[i] != "" {
			ids = append(ids, refs[i])
		}
	}
	byID, err := s.entitiesByID(ctx, other, ids)
	if err != nil {
		return err
	}
	for i, e := range items {
		setRelated(e, name, byID[refs[i]])
	}
	return nil
}

// includeReferrers embeds the entities whose reference field names each item.
func (s *Service) includeReferrers(ctx context.Context, t, other *target, end relEnd, name string, items []*torque.Entity) error {
	ids := make([]any, len(items))
	for i, e := range items {
		ids[i] = e.ID
	}
	var where filter.Expr = &filter.In{Field: end.rel.ToField, Values: ids}
	if own := other.ownFilter(); own != nil {
		where = &filter.And{Left: own, Right: where}
	}
	page, err := s.db.List(ctx, t.app.ID, end.other, store.Query{
		Fields: other.fields,
		Where:  where,
		Limit:  torque.MaxPageSize,
	})
	if err != nil {
		return err
	}
	if page.NextCursor != "" {
		return tooManyIncluded(name)
	}
	byParent := map[string][]*torque.Entity{}
	for _, c := range page.Items {
		p := stringField(c.Data, end.rel.ToField)
		byParent[p] = append(byParent[p], c)
	}
	for _, e := range items {
		children := byParent[e.ID]
		if end.rel.Kind == torque.OneToOne {
			var one *torque.Entity
			if len(children) > 0 {
				one = children[0]
			}
			setRelated(e, name, one)
			continue
		}
		if children == nil {
			children = []*torque.Entity{}
		}
		setRelated(e, name, children)
	}
	return nil
}

// includeLinked embeds the entities each item is linked with.
func (s *Service) includeLinked(ctx context.Context, t, other *target, end relEnd, name string, items []*torque.Entity) error {
	ids := make([]string, len(items))
	for i, e := range items {
		ids[i] = e.ID
	}
	links, err := s.db.LinkedIDs(ctx, t.app.ID, end.rel.Name, ids, end.forward)
	if err != nil {
		return err
	}
	var all []string
	for _, id := range ids {
		all = append(all, links[id]...)
	}
	if len(all) > torque.MaxPageSize {
		return tooManyIncluded(name)
	}
	byID, err := s.entitiesByID(ctx, other, all)
	if err != nil {
		return err
	}
	for _, e := range items {
		linked := []*torque.Entity{}
		for _, id := range links[e.ID] {
			if o := byID[id]; o != nil {
				linked = append(linked, o)
			}
		}
		setRelated(e, name, linked)
	}
	return nil
}

// entitiesByID reads the entities of target t with the given ids, keeping
// those the actor may read.
func (s *Service) entitiesByID(ctx context.Context, t *target, ids []string) (map[string]*torque.Entity, error) {
	byID := make(map[string]*torque.Entity, len(ids))
	if len(ids) == 0 {
		return byID, nil
	}
	found, err := s.db.EntitiesByID(ctx, t.app.ID, t.typ, ids)
	if err != nil {
		return nil, err
	}
	for _, e := range found {
		if t.visible(e) {
			byID[e.ID] = e
		}
	}
	return byID, nil
}

func tooManyIncluded(name string) error {
	return torque.Invalid("invalid query", map[string]string{"include": fmt.Sprintf(
		"%q would embed more than %d entities for this page: use a smaller limit, or list them through related/%s",
		name, torque.MaxPageSize, name)})
}

func setRelated(e *torque.Entity, name string, v any) {
	if e.Related == nil {
		e.Related = map[string]any{}
	}
	e.Related[name] = v
}
