package service

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/torquehq/torque"
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

// Model returns the latest version of the model named name.
func (s *Service) Model(ctx context.Context, name string) (*torque.Model, error) {
	if err := s.modelAccess(ctx, name, false); err != nil {
		return nil, err
	}
	return s.db.Model(ctx, name)
}

// ModelVersions lists the kept versions of a model, newest first.
func (s *Service) ModelVersions(ctx context.Context, name string) ([]torque.ModelVersion, error) {
	if err := s.modelAccess(ctx, name, false); err != nil {
		return nil, err
	}
	return s.db.ModelVersions(ctx, name)
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
	if err := s.db.CreateModel(ctx, m); err != nil {
		return nil, err
	}
	s.audit(ctx, action, "model/"+m.Name, map[string]any{"version": m.Version})
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
	return s.updateModel(ctx, m, "model.update")
}

func (s *Service) updateModel(ctx context.Context, m *torque.Model, action string) (*torque.Model, error) {
	m = cloneModel(m)
	base := m.Version
	if base < 1 {
		return nil, torque.Invalid("invalid model", map[string]string{"version": "is required: the version this change is based on"})
	}
	if err := prepareModel(m); err != nil {
		return nil, err
	}
	m.Version = base + 1
	if err := s.db.UpdateModel(ctx, m, base); err != nil {
		return nil, err
	}
	s.audit(ctx, action, "model/"+m.Name, map[string]any{"version": m.Version, "base": base})
	if err := s.afterModelWrite(ctx, m); err != nil {
		return nil, err
	}
	return m, nil
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
	return s.updateModel(ctx, m, "model.import")
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
	if err := s.db.DeleteModel(ctx, name); err != nil {
		return err
	}
	s.forgetModel(name)
	s.audit(ctx, "model.delete", "model/"+name, nil)
	return nil
}

// afterModelWrite derives storage indexes from the new version and replaces
// the cached compiled model, so apps follow the change on their next request.
func (s *Service) afterModelWrite(ctx context.Context, m *torque.Model) error {
	if err := s.db.EnsureIndexes(ctx, m); err != nil {
		return fmt.Errorf("ensure indexes for model %q: %w", m.Name, err)
	}
	if _, err := s.cacheModel(m, false); err != nil {
		s.forgetModel(m.Name)
		return fmt.Errorf("compile model %q: %w", m.Name, err)
	}
	return nil
}

// prepareModel normalises and validates a model before it is stored.
func prepareModel(m *torque.Model) error {
	m.Normalize()
	return m.Validate()
}

// cloneModel deep-copies m, so that normalising and caching never touch the
// caller's value.
func cloneModel(m *torque.Model) *torque.Model {
	c := *m
	c.Entities = make([]torque.EntityType, len(m.Entities))
	for i, et := range m.Entities {
		et.Fields = append([]torque.Field(nil), et.Fields...)
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
	c.Relationships = append([]torque.Relationship(nil), m.Relationships...)
	c.Pages = append([]json.RawMessage(nil), m.Pages...)
	c.XFlows = append([]json.RawMessage(nil), m.XFlows...)
	return &c
}
