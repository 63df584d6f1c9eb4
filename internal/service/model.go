package service

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/layout"
	"github.com/torquehq/torque/internal/store"
)

// Models returns the latest version of every model the actor may read.
func (s *Service) Models(ctx context.Context) ([]*torque.Model, error) {
	visible, err := s.visibleModels(ctx)
	if err != nil {
		return nil, err
	}
	all, err := s.db.Models(ctx)
	if err != nil || visible == nil {
		return all, err
	}
	out := all[:0]
	for _, m := range all {
		if visible[m.Name] {
			out = append(out, m)
		}
	}
	return out, nil
}

// Model returns the latest version of the model named name: a copy of the
// cached compiled model (kept current by the change bus, and checked with
// storage at most every recheck interval).
func (s *Service) Model(ctx context.Context, name string) (*torque.Model, error) {
	if err := s.modelAccess(ctx, name, false); err != nil {
		return nil, err
	}
	cm, err := s.compiled(ctx, name)
	if err != nil {
		return nil, err
	}
	return cloneModel(cm.model), nil
}

// ModelVersions lists the kept versions of a model, newest first.
func (s *Service) ModelVersions(ctx context.Context, name string) ([]torque.ModelVersion, error) {
	if err := s.modelAccess(ctx, name, false); err != nil {
		return nil, err
	}
	return s.db.ModelVersions(ctx, name)
}

// ModelVersionPage lists at most first kept versions of a model (every one
// when first is 0), newest first, older than version before when it is above
// 0, with their documents when documents is set: one access check and one
// read, however many versions.
func (s *Service) ModelVersionPage(ctx context.Context, name string, first int, before int64, documents bool) ([]torque.ModelVersion, error) {
	if err := s.modelAccess(ctx, name, false); err != nil {
		return nil, err
	}
	return s.db.ModelVersionPage(ctx, name, store.VersionPage{First: first, Before: before, Documents: documents})
}

// ModelAtVersion returns the model named name as it was at version v.
func (s *Service) ModelAtVersion(ctx context.Context, name string, v int64) (*torque.Model, error) {
	if err := s.modelAccess(ctx, name, false); err != nil {
		return nil, err
	}
	return s.db.ModelAtVersion(ctx, name, v)
}

// CreateModel validates m and stores it as version 1. Only admins create
// models.
func (s *Service) CreateModel(ctx context.Context, m *torque.Model) (*torque.Model, error) {
	if _, err := admin(ctx, "create models"); err != nil {
		return nil, err
	}
	m = cloneModel(m)
	m.Version = 1
	return s.createModel(ctx, m, "model.create")
}

func (s *Service) createModel(ctx context.Context, m *torque.Model, action string) (*torque.Model, error) {
	if err := prepareModel(m); err != nil {
		return nil, err
	}
	record := s.modelEvent(ctx, KindModelCreated, m.Name, m.Version, torque.DiffModels(nil, m),
		action, map[string]any{"version": m.Version})
	if err := s.db.CreateModel(ctx, m, record); err != nil {
		return nil, err
	}
	if err := s.afterModelWrite(ctx, m); err != nil {
		return nil, err
	}
	return m, nil
}

// UpdateModel stores m as the next version of the model named m.Name, if
// m.Version is still the current version. Admins, and owners or editors of
// every app made from the model, may change it.
func (s *Service) UpdateModel(ctx context.Context, m *torque.Model) (*torque.Model, error) {
	if err := s.modelAccess(ctx, m.Name, true); err != nil {
		return nil, err
	}
	return s.updateModel(ctx, m, modelWrite{action: "model.update"})
}

// modelWrite says how a new version of a model came about.
type modelWrite struct {
	// action names the write in the audit log (model.update, model.edit,
	// model.import, model.restore); detail is added to the entry's detail,
	// beside the new version and its base.
	action string
	detail map[string]any
	// edits made the document, when it was made by edits: problems with
	// stored records then also name the edit that caused them.
	edits []torque.ModelEdit
}

// updateModel stores m as the next version of its model, made from
// m.Version: the document, its event and its audit entry in one
// transaction.
func (s *Service) updateModel(ctx context.Context, m *torque.Model, w modelWrite) (*torque.Model, error) {
	m = cloneModel(m)
	base := m.Version
	if base < 1 {
		return nil, torque.Invalid("invalid model", map[string]string{"version": "is required: the version this change is based on"})
	}
	if err := prepareModel(m); err != nil {
		return nil, err
	}
	old, err := s.modelAt(ctx, m.Name, base)
	if err != nil {
		return nil, err
	}
	m.Version = base + 1
	detail := map[string]any{"version": m.Version, "base": base}
	maps.Copy(detail, w.detail)
	record := s.modelEvent(ctx, KindModelUpdated, m.Name, m.Version, torque.DiffModels(old, m), w.action, detail)
	// Stored records are checked in the write's transaction, against the
	// version the write replaces: a change they would break is refused.
	// Entity writes under way finish first, and later ones wait for this
	// write and are then checked against its version (see holdModel).
	check := func(tx *store.Tx) error {
		if err := tx.LockModel(ctx, m.Name); err != nil {
			return err
		}
		return checkStoredData(ctx, tx, old, m, w.edits, s.modelCheckTimeout())
	}
	if err := s.db.UpdateModel(ctx, m, base, check, record); err != nil {
		return nil, s.conflict(ctx, err, old)
	}
	if err := s.afterModelWrite(ctx, m); err != nil {
		return nil, err
	}
	return m, nil
}

// modelAt returns the model named name at version v, from the cache when it
// holds that version. A version that is not kept is ECONFLICT: a write based
// on it is stale.
func (s *Service) modelAt(ctx context.Context, name string, v int64) (*torque.Model, error) {
	s.mu.RLock()
	cm := s.models[name]
	s.mu.RUnlock()
	if cm != nil && cm.model.Version == v {
		return cm.model, nil
	}
	m, err := s.db.ModelAtVersion(ctx, name, v)
	if torque.ErrorCode(err) != torque.ENOTFOUND {
		return m, err
	}
	cur, err := s.db.Model(ctx, name)
	if err != nil {
		return nil, err
	}
	e := torque.Errorf(torque.ECONFLICT, "model %q has no version %d: current version %d", name, v, cur.Version)
	e.Conflict = &torque.Conflict{Version: cur.Version, Changes: torque.DiffModels(nil, cur)}
	return nil, e
}

// conflict completes a stale-version error of a write based on base with
// the changes made since: what the writer must merge its change into.
func (s *Service) conflict(ctx context.Context, err error, base *torque.Model) error {
	c := torque.ErrorConflict(err)
	if c == nil {
		return err
	}
	cur, cerr := s.db.ModelAtVersion(ctx, base.Name, c.Version)
	if cerr != nil {
		return err // the model moved on again, or went: the code still says it all
	}
	c.Changes = torque.DiffModels(base, cur)
	return err
}

// ImportModel creates a model from an exported document, keeping its
// version, or stores the document as the next version of an existing model.
// Creating takes an admin; replacing takes the right to update the model.
func (s *Service) ImportModel(ctx context.Context, m *torque.Model) (*torque.Model, error) {
	a, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	m = cloneModel(m)
	cur, err := s.db.Model(ctx, m.Name)
	switch {
	case torque.ErrorCode(err) == torque.ENOTFOUND && a.Admin:
		if m.Version < 1 {
			m.Version = 1
		}
		return s.createModel(ctx, m, "model.import")
	case torque.ErrorCode(err) == torque.ENOTFOUND:
		return nil, torque.Errorf(torque.EFORBIDDEN, "only platform admins may create models")
	case err != nil:
		return nil, err
	}
	if err := s.modelAccess(ctx, m.Name, true); err != nil {
		return nil, err
	}
	m.Version = cur.Version
	return s.updateModel(ctx, m, modelWrite{action: "model.import"})
}

// DeleteModel removes a model that no application uses. Only admins
// delete models.
func (s *Service) DeleteModel(ctx context.Context, name string) error {
	if err := s.modelAccess(ctx, name, false); err != nil {
		return err
	}
	if _, err := admin(ctx, "delete models"); err != nil {
		return err
	}
	old, err := s.db.Model(ctx, name)
	if err != nil {
		return err
	}
	record := s.modelEvent(ctx, KindModelDeleted, name, old.Version, torque.DiffModels(old, nil), "model.delete", nil)
	if err := s.db.DeleteModel(ctx, name, record); err != nil {
		return err
	}
	s.forgetModel(name)
	s.deliver(ctx, ModelTopic(name))
	return nil
}

// afterModelWrite delivers the write's event to subscribers, derives
// storage indexes from the new version and replaces the cached compiled
// model, so apps follow the change on their next request.
func (s *Service) afterModelWrite(ctx context.Context, m *torque.Model) error {
	defer s.recheckStreams() // permissions may have narrowed
	defer s.deliver(ctx, ModelTopic(m.Name))
	if err := s.db.EnsureIndexes(ctx, m); err != nil {
		return fmt.Errorf("ensure indexes for model %q: %w", m.Name, err)
	}
	if _, err := s.cacheModel(m, false); err != nil {
		s.forgetModel(m.Name)
		return fmt.Errorf("compile model %q: %w", m.Name, err)
	}
	return nil
}

// EditModel applies fine-grained edits to the model named name, if its
// current version is still base, and stores the result as the next
// version. A stale base is ECONFLICT carrying the current version and the
// changes since base; an edit that cannot apply, or a result that is not a
// valid model, is refused whole.
func (s *Service) EditModel(ctx context.Context, name string, base int64, edits []torque.ModelEdit) (*torque.Model, error) {
	if err := s.modelAccess(ctx, name, true); err != nil {
		return nil, err
	}
	if base < 1 {
		return nil, torque.Invalid("invalid edit", map[string]string{"version": "is required: the version the edits are based on"})
	}
	if len(edits) == 0 {
		return nil, torque.Invalid("invalid edit", map[string]string{"edits": "must hold at least one edit"})
	}
	old, err := s.modelAt(ctx, name, base)
	if err != nil {
		return nil, err
	}
	cur, err := s.db.ModelVersion(ctx, name)
	if err != nil {
		return nil, err
	}
	if cur != base {
		e := torque.Errorf(torque.ECONFLICT, "model %q changed since version %d: current version %d", name, base, cur)
		e.Conflict = &torque.Conflict{Version: cur}
		return nil, s.conflict(ctx, e, old)
	}
	m := cloneModel(old)
	if err := m.ApplyEdits(edits); err != nil {
		return nil, err
	}
	m.Version = base
	return s.updateModel(ctx, m, modelWrite{action: "model.edit", edits: edits})
}

// DuplicateModel stores a copy of the model named name, at version 1,
// under newName. Only admins create models.
func (s *Service) DuplicateModel(ctx context.Context, name, newName string) (*torque.Model, error) {
	if err := s.modelAccess(ctx, name, false); err != nil {
		return nil, err
	}
	if _, err := admin(ctx, "create models"); err != nil {
		return nil, err
	}
	src, err := s.db.Model(ctx, name)
	if err != nil {
		return nil, err
	}
	m := cloneModel(src)
	m.ID, m.Name, m.Version, m.CreatedAt, m.UpdatedAt = "", newName, 1, nil, nil
	return s.createModel(ctx, m, "model.duplicate")
}

// prepareModel normalises and validates a model before it is stored.
// Pages are checked as the TorqueApp will build them, so a broken page is
// refused when the model is saved, with its path, not when an app loads it.
func prepareModel(m *torque.Model) error {
	m.Normalize()
	if err := m.Validate(); err != nil {
		return err
	}
	_, err := layout.Build(m)
	return err
}

// cloneModel deep-copies m, so that normalising and caching never touch the
// caller's value.
func cloneModel(m *torque.Model) *torque.Model {
	c := *m
	c.Entities = slices.Clone(m.Entities)
	for i, et := range m.Entities {
		et.Fields = slices.Clone(et.Fields)
		if et.Permissions != nil {
			perms := make(map[torque.Role]*torque.OpGrants, len(et.Permissions))
			for role, g := range et.Permissions {
				if g != nil {
					g2 := *g
					g = &g2
				}
				perms[role] = g
			}
			et.Permissions = perms
		}
		c.Entities[i] = et
	}
	c.Relationships = slices.Clone(m.Relationships)
	c.Pages = slices.Clone(m.Pages)
	c.XFlows = slices.Clone(m.XFlows)
	return &c
}
