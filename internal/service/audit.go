package service

import (
	"context"
	"encoding/json"

	"github.com/torquehq/torque"
)

// audit records an action of the actor of ctx on target in the audit log.
// The action has already happened: a failure to record it is logged, not
// returned.
func (s *Service) audit(ctx context.Context, action, target string, detail map[string]any) {
	e := &torque.AuditEntry{At: s.now().UTC(), Action: action, Target: target}
	if a := torque.ActorFrom(ctx); a != nil {
		e.ActorID, e.Actor, e.IP = a.UserID, a.Email, a.IP
	}
	s.addAudit(ctx, e, detail)
}

// addAudit stores e with detail as its JSON detail.
func (s *Service) addAudit(ctx context.Context, e *torque.AuditEntry, detail map[string]any) {
	if len(detail) > 0 {
		b, err := json.Marshal(detail)
		if err != nil {
			s.logger.ErrorContext(ctx, "encode audit detail", "action", e.Action, "err", err)
		}
		e.Detail = b
	}
	// The request may have been cancelled after its write: record anyway.
	if err := s.db.AddAudit(context.WithoutCancel(ctx), e); err != nil {
		s.logger.ErrorContext(ctx, "write audit log", "action", e.Action, "target", e.Target, "err", err)
	}
}

// Audit returns a page of the audit log, newest first. Only admins read it.
func (s *Service) Audit(ctx context.Context, q torque.AuditQuery) (*torque.AuditPage, error) {
	if _, err := admin(ctx, "read the audit log"); err != nil {
		return nil, err
	}
	return s.db.Audit(ctx, q)
}
