package graphql

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/bus"
	"github.com/torquehq/torque/internal/graphql/generated"
	"github.com/torquehq/torque/internal/service"
)

// maxPresencesPerConnection bounds the modelPresence subscriptions one
// WebSocket connection holds at once.
const maxPresencesPerConnection = 8

// connState is what one WebSocket connection keeps across its operations.
type connState struct {
	presences atomic.Int32
}

type connStateKey struct{}

// withConnState gives a connection's context its state (initWebsocket).
func withConnState(ctx context.Context) context.Context {
	return context.WithValue(ctx, connStateKey{}, &connState{})
}

// ModelPresence joins the model's presence for as long as the subscription
// runs: the first event at once, then one whenever the members change
// (changes coming together are sent as one event).
func (r *subscriptionResolver) ModelPresence(ctx context.Context, name string) (<-chan *generated.PresenceEvent, error) {
	conn, _ := ctx.Value(connStateKey{}).(*connState)
	if conn != nil {
		if conn.presences.Add(1) > maxPresencesPerConnection {
			conn.presences.Add(-1)
			return nil, torque.Errorf(torque.ETOOLARGE, "a connection may hold at most %d presences", maxPresencesPerConnection)
		}
	}
	release := func() {
		if conn != nil {
			conn.presences.Add(-1)
		}
	}
	p, err := r.svc.JoinPresence(ctx, name)
	if err != nil {
		release()
		return nil, err
	}
	out := make(chan *generated.PresenceEvent)
	go func() {
		defer close(out)
		defer release() // last (defers run last first): the slot is free once the presence is gone
		defer p.Close()
		var last uint64
		send := func() bool {
			rev, members := p.Members()
			if rev == last {
				return true
			}
			last = rev
			select {
			case out <- presenceEvent(p, members):
				return true
			case <-ctx.Done():
				return false
			}
		}
		if !send() {
			return
		}
		for {
			select {
			case <-ctx.Done():
				return
			case _, ok := <-p.C():
				if !ok {
					err := p.Err()
					if errors.Is(err, bus.ErrLagged) {
						// Events only say "read the list again": having
						// missed some is one more such event.
						if err = p.Resume(ctx); err == nil {
							break
						}
					}
					if err != nil && !errors.Is(err, bus.ErrClosed) && ctx.Err() == nil {
						transport.AddSubscriptionError(ctx, r.h.present(ctx, err))
					}
					return
				}
			}
			if !send() {
				return
			}
		}
	}()
	return out, nil
}

func presenceEvent(p *service.Presence, members []service.PresenceMember) *generated.PresenceEvent {
	ev := &generated.PresenceEvent{You: p.ID, Model: p.Model, Members: make([]generated.PresenceMember, len(members))}
	for i, m := range members {
		ev.Members[i] = generated.PresenceMember{
			ID:      m.ID,
			User:    &generated.PresenceUser{ID: m.UserID, Email: m.Email},
			Editing: optional(m.Editing),
			Since:   m.Since,
		}
	}
	return ev
}

func (r *mutationResolver) SetPresence(ctx context.Context, name string, id string, editing *string) (bool, error) {
	if err := r.svc.SetPresence(ctx, name, id, str(editing)); err != nil {
		return false, err
	}
	return true, nil
}
