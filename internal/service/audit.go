package service

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/store"
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

// auditTx records an action of the actor of ctx in the audit log within the
// transaction of the change, so the entry is kept exactly when the change
// is.
func (s *Service) auditTx(ctx context.Context, tx *store.Tx, action, target string, detail map[string]any) error {
	e := &torque.AuditEntry{At: s.now().UTC(), Action: action, Target: target}
	if a := torque.ActorFrom(ctx); a != nil {
		e.ActorID, e.Actor, e.IP = a.UserID, a.Email, a.IP
	}
	if len(detail) > 0 {
		b, err := json.Marshal(detail)
		if err != nil {
			return fmt.Errorf("encode audit detail: %w", err)
		}
		e.Detail = b
	}
	return tx.AddAudit(ctx, e)
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
