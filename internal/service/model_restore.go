package service

import (
	"context"

	"github.com/torquehq/torque"
)

// RestoreModelVersion stores the document of version v of the model named
// name as its next version, made from base: as UpdateModel, so the same
// rights, validation and events apply, and a stale base is ECONFLICT
// carrying the current version and the changes since base. It is audited
// as one entry, model.restore, naming the new version, its base and the
// version restored (from). A version that is not kept is ENOTFOUND naming
// it.
func (s *Service) RestoreModelVersion(ctx context.Context, name string, v, base int64) (*torque.Model, error) {
	if err := s.modelAccess(ctx, name, true); err != nil {
		return nil, err
	}
	old, err := s.db.ModelAtVersion(ctx, name, v) // edit rights include reading
	if err != nil {
		return nil, err
	}
	m := old.Document()
	m.Version = base
	return s.updateModel(ctx, m, modelWrite{action: "model.restore", detail: map[string]any{"from": v}})
}
