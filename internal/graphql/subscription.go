package graphql

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/bus"
	"github.com/torquehq/torque/internal/graphql/generated"
	"github.com/torquehq/torque/internal/service"
)

// afterSeq checks the optional after argument of a subscription.
func afterSeq(after *int64) (uint64, error) {
	if after == nil {
		return 0, nil
	}
	if *after < 0 {
		return 0, torque.Invalid("invalid arguments", map[string]string{"after": "must be 0 or a seq received before"})
	}
	return uint64(*after), nil
}

func (r *subscriptionResolver) ModelChanged(ctx context.Context, name string, after *int64) (<-chan *generated.ModelEvent, error) {
	seq, err := afterSeq(after)
	if err != nil {
		return nil, err
	}
	st, err := r.svc.SubscribeModel(ctx, name, seq)
	if err != nil {
		return nil, err
	}
	return follow(ctx, (*resolver)(r), st, modelEvent), nil
}

func (r *subscriptionResolver) EntityChanged(ctx context.Context, app string, typeArg string, after *int64) (<-chan *generated.EntityEvent, error) {
	seq, err := afterSeq(after)
	if err != nil {
		return nil, err
	}
	st, err := r.svc.SubscribeEntities(ctx, app, typeArg, seq)
	if err != nil {
		return nil, err
	}
	return follow(ctx, (*resolver)(r), st, entityEvent), nil
}

// follow forwards the events of st, converted by convert, until the client
// goes away (ctx ends) or the stream ends; then it closes st. A stream
// ending for a reason (lagged, resync, closed) ends the subscription with
// an error coded RESYNC.
func follow[T any](ctx context.Context, r *resolver, st *service.Stream, convert func(bus.Event) (*T, error)) <-chan *T {
	out := make(chan *T)
	go func() {
		defer close(out)
		defer st.Close()
		for {
			var ev bus.Event
			var ok bool
			select {
			case <-ctx.Done():
				return
			case ev, ok = <-st.C():
			}
			if !ok {
				// A closed hub means the server is stopping and closing the
				// connection: gqlgen then stops reading this subscription
				// without waiting for it, so no error is added (its holder is
				// not safe for a write after the connection's end).
				if err := st.Err(); err != nil && !errors.Is(err, bus.ErrClosed) && ctx.Err() == nil {
					transport.AddSubscriptionError(ctx, r.h.present(ctx, err))
				}
				return
			}
			v, err := convert(ev)
			if err != nil {
				transport.AddSubscriptionError(ctx, r.h.present(ctx, fmt.Errorf("event %d of %s: %w", ev.Seq, ev.Topic, err)))
				return
			}
			select {
			case out <- v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// actorOf is who made the change of ev.
func actorOf(ev bus.Event) *generated.Actor {
	a := &generated.Actor{Email: ev.Actor}
	if ev.ActorID != "" {
		id := ev.ActorID
		a.ID = &id
	}
	return a
}

// modelEvent converts an event of a model topic.
func modelEvent(ev bus.Event) (*generated.ModelEvent, error) {
	var data service.ModelEventData
	if err := json.Unmarshal(ev.Data, &data); err != nil {
		return nil, fmt.Errorf("decode model event: %w", err)
	}
	if data.Changes == nil {
		data.Changes = []torque.Change{}
	}
	return &generated.ModelEvent{
		Seq:       int64(ev.Seq),
		Kind:      ev.Kind,
		Name:      data.Model,
		Version:   data.Version,
		Actor:     actorOf(ev),
		At:        ev.At,
		Changes:   data.Changes,
		Truncated: data.Truncated,
	}, nil
}

// entityEvent converts an event of an entities topic.
func entityEvent(ev bus.Event) (*generated.EntityEvent, error) {
	var data service.EntityEventData
	if err := json.Unmarshal(ev.Data, &data); err != nil {
		return nil, fmt.Errorf("decode entity event: %w", err)
	}
	return &generated.EntityEvent{
		Seq:      int64(ev.Seq),
		Kind:     ev.Kind,
		App:      data.App,
		Type:     data.Type,
		ID:       data.ID,
		Version:  data.Version,
		Relation: optional(data.Relation),
		Other:    optional(data.Other),
		Actor:    actorOf(ev),
		At:       ev.At,
	}, nil
}

// optional is s, or nil when s is empty.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Model is the model of the event as it is now, read when asked for: null
// once the model is deleted.
func (r *modelEventResolver) Model(ctx context.Context, ev *generated.ModelEvent) (*torque.Model, error) {
	if ev.Kind == service.KindModelDeleted {
		return nil, nil
	}
	m, err := r.svc.Model(ctx, ev.Name)
	if torque.ErrorCode(err) == torque.ENOTFOUND {
		return nil, nil
	}
	return m, err
}
