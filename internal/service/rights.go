package service

import (
	"context"

	"github.com/torquehq/torque"
)

// Rights reports what the actor may do with the records of each entity
// type of app's current model: per operation true, false or "own". A user
// interface uses it to offer only what will be allowed; the services still
// check every operation.
func (s *Service) Rights(ctx context.Context, appName string) (map[string]torque.OpGrants, error) {
	a, acc, err := s.appAccess(ctx, appName)
	if err != nil {
		return nil, err
	}
	cm, err := s.compiled(ctx, a.Model)
	if err != nil {
		return nil, err
	}
	out := make(map[string]torque.OpGrants, len(cm.model.Entities))
	for i := range cm.model.Entities {
		et := &cm.model.Entities[i]
		out[et.Name] = torque.OpGrants{
			Read:   acc.grant(et, torque.OpRead),
			Create: acc.grant(et, torque.OpCreate),
			Update: acc.grant(et, torque.OpUpdate),
			Delete: acc.grant(et, torque.OpDelete),
		}
	}
	return out, nil
}
