package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/bus"
)

// maxBacklog bounds the stored model events one subscription replays; a
// client further behind reloads.
const maxBacklog = 10000

// ErrResync is returned (wrapped) by SubscribeModel and SubscribeEntities
// when the events after the given sequence number are no longer kept: the
// client reloads what it shows and subscribes again from the newest
// sequence number (see Seq).
var ErrResync = bus.ErrResync

// Stream is a subscription to changes as the services hand it out: access
// checked, replayed from storage for models when the hub no longer holds
// what the client missed, and holding only events the subscriber may see.
type Stream struct {
	sub  *bus.Subscription
	c    <-chan bus.Event
	stop chan struct{}
	once sync.Once
	done chan struct{} // closed when the forwarder has ended; nil without one

	mu  sync.Mutex
	err error
}

// C returns the channel events arrive on, in sequence order. It is closed
// when the stream ends; Err then tells why.
func (st *Stream) C() <-chan bus.Event { return st.c }

// Err returns why C was closed: nil while open or after Close, else
// bus.ErrLagged (subscribe again after the last Seq received), ErrResync
// (reload, then subscribe again) or bus.ErrClosed (the server is stopping).
func (st *Stream) Err() error {
	if st.done == nil {
		return st.sub.Err()
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.err
}

// Close ends the stream; C is closed when it returns.
func (st *Stream) Close() {
	if st.done == nil {
		st.sub.Close()
		return
	}
	st.once.Do(func() { close(st.stop) })
	st.sub.Close()
	<-st.done
}

// newStream wraps sub. Without a backlog and a filter C is the hub's own
// channel: no goroutine of its own.
func newStream(sub *bus.Subscription, backlog []bus.Event, keep func(bus.Event) bool) *Stream {
	st := &Stream{sub: sub, c: sub.C()}
	if len(backlog) == 0 && keep == nil {
		return st
	}
	out := make(chan bus.Event)
	st.c, st.stop, st.done = out, make(chan struct{}), make(chan struct{})
	go st.forward(out, backlog, keep)
	return st
}

func (st *Stream) forward(out chan<- bus.Event, backlog []bus.Event, keep func(bus.Event) bool) {
	defer close(st.done)
	defer close(out)
	send := func(e bus.Event) bool {
		select {
		case out <- e:
			return true
		case <-st.stop:
			return false
		}
	}
	for _, e := range backlog {
		if !send(e) {
			return
		}
	}
	for e := range st.sub.C() {
		if keep != nil && !keep(e) {
			continue
		}
		if !send(e) {
			return
		}
	}
	st.mu.Lock()
	st.err = st.sub.Err()
	st.mu.Unlock()
}

// SubscribeModel follows the changes of the model named name, which the
// actor may read. With after > 0 it first delivers every change after that
// sequence number, from the hub or from storage (so also after a restart
// or on another instance); when they are no longer kept it fails with
// ErrResync.
func (s *Service) SubscribeModel(ctx context.Context, name string, after uint64) (*Stream, error) {
	if err := s.modelAccess(ctx, name, false); err != nil {
		return nil, err
	}
	topic := ModelTopic(name)
	s.deliverMu.Lock()
	defer s.deliverMu.Unlock()
	if s.hub.Known(topic) {
		if err := s.deliverLocked(ctx, topic); err != nil {
			return nil, err
		}
	} else {
		seq, err := s.db.EventSeq(ctx, topic)
		if err != nil {
			return nil, err
		}
		s.hub.Seed(topic, seq)
	}
	// Holding deliverMu, nothing is published on topic until we return.
	cur := s.hub.Seq(topic)
	if after > cur {
		return nil, fmt.Errorf("model %q has no change %d (its newest is %d): %w", name, after, cur, ErrResync)
	}
	sub, err := s.hub.Subscribe(topic, after)
	if err == nil {
		return newStream(sub, nil, nil), nil
	}
	if !errors.Is(err, bus.ErrResync) {
		return nil, err
	}
	if cur-after > maxBacklog {
		return nil, fmt.Errorf("model %q changed %d times since %d: %w", name, cur-after, after, ErrResync)
	}
	backlog, err := s.db.Events(ctx, topic, after, int(cur-after))
	if err != nil {
		return nil, err
	}
	if uint64(len(backlog)) != cur-after || backlog[0].Seq != after+1 {
		return nil, fmt.Errorf("the changes of model %q after %d are no longer kept: %w", name, after, ErrResync)
	}
	if sub, err = s.hub.Subscribe(topic, cur); err != nil {
		return nil, err
	}
	return newStream(sub, backlog, nil), nil
}

// SubscribeEntities follows the changes of entities of type typ in app,
// which the actor may read; a member who reads only their own records gets
// only their events. Entity events are kept in memory: after a restart, or
// on another instance, a resume fails with ErrResync and the client
// reloads its data.
func (s *Service) SubscribeEntities(ctx context.Context, app, typ string, after uint64) (*Stream, error) {
	t, err := s.resolve(ctx, app, typ, torque.OpRead)
	if err != nil {
		return nil, err
	}
	sub, err := s.hub.Subscribe(EntityTopic(app, typ), after)
	if errors.Is(err, bus.ErrResync) {
		return nil, fmt.Errorf("the changes of %s in %q after %d are not kept here: %w", typ, app, after, ErrResync)
	} else if err != nil {
		return nil, err
	}
	var keep func(bus.Event) bool
	if t.own != "" {
		user := t.acc.actor.UserID
		keep = func(e bus.Event) bool {
			var d EntityEventData
			return json.Unmarshal(e.Data, &d) == nil && d.CreatedBy == user
		}
	}
	return newStream(sub, nil, keep), nil
}
