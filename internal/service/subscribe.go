package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

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
// Its rights are checked again whenever credentials, roles, apps or models
// change: a stream whose actor was signed out, lost its token or its role,
// ends with that error.
type Stream struct {
	sub   *bus.Subscription
	c     <-chan bus.Event
	stop  chan struct{}
	once  sync.Once
	done  chan struct{} // closed when the forwarder has ended; nil without one
	svc   *Service
	check func(context.Context) error // the stream's rights, checked again on changes

	mu    sync.Mutex
	err   error // why the forwarder ended
	ended error // why the Service ended the stream
}

// C returns the channel events arrive on, in sequence order. It is closed
// when the stream ends; Err then tells why.
func (st *Stream) C() <-chan bus.Event { return st.c }

// Err returns why C was closed: nil while open or after Close, else
// bus.ErrLagged (subscribe again after the last Seq received), ErrResync
// (reload, then subscribe again), bus.ErrClosed (the server is stopping),
// or a *torque.Error when the subscriber's rights ended (EUNAUTHORIZED,
// EFORBIDDEN, ENOTFOUND).
func (st *Stream) Err() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.ended != nil {
		return st.ended
	}
	if st.done == nil {
		return st.sub.Err()
	}
	return st.err
}

// Close ends the stream; C is closed when it returns.
func (st *Stream) Close() {
	st.svc.forgetStream(st)
	if st.done == nil {
		st.sub.Close()
		return
	}
	st.once.Do(func() { close(st.stop) })
	st.sub.Close()
	<-st.done
}

// end ends the stream because err: its rights are gone.
func (st *Stream) end(err error) {
	st.mu.Lock()
	if st.ended == nil {
		st.ended = err
	}
	st.mu.Unlock()
	st.Close()
}

// newStream wraps sub. Without a backlog and a filter C is the hub's own
// channel: no goroutine of its own. check is run again when rights may
// have changed.
func (s *Service) newStream(sub *bus.Subscription, backlog []bus.Event, keep func(bus.Event) bool, check func(context.Context) error) *Stream {
	st := &Stream{sub: sub, c: sub.C(), svc: s, check: check}
	if len(backlog) > 0 || keep != nil {
		out := make(chan bus.Event)
		st.c, st.stop, st.done = out, make(chan struct{}), make(chan struct{})
		go st.forward(out, backlog, keep)
	}
	s.streamsMu.Lock()
	s.streams[st] = struct{}{}
	s.streamsMu.Unlock()
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

func (s *Service) forgetStream(st *Stream) {
	s.streamsMu.Lock()
	delete(s.streams, st)
	s.streamsMu.Unlock()
}

// recheckStreams checks the rights of every live stream again, soon and
// off the caller's path; checks asked for while one runs are run once
// after it.
func (s *Service) recheckStreams() {
	s.streamsMu.Lock()
	none := len(s.streams) == 0
	s.streamsMu.Unlock()
	if none || s.recheckPending.Swap(true) {
		return // nothing to check, or a check is pending: it will see this change too
	}
	go func() {
		s.recheckMu.Lock()
		defer s.recheckMu.Unlock()
		s.recheckPending.Store(false)
		s.streamsMu.Lock()
		streams := make([]*Stream, 0, len(s.streams))
		for st := range s.streams {
			streams = append(streams, st)
		}
		s.streamsMu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), recheckTimeout)
		defer cancel()
		for _, st := range streams {
			err := st.check(ctx)
			switch code := torque.ErrorCode(err); code {
			case "":
			case torque.EUNAUTHORIZED, torque.EFORBIDDEN, torque.ENOTFOUND:
				st.end(err)
			default:
				s.logger.WarnContext(ctx, "recheck a subscription", "err", err)
			}
		}
	}()
}

// recheckTimeout bounds one pass of recheckStreams.
const recheckTimeout = time.Minute

// signedIn checks, when a stream opens, that the actor of ctx is signed in
// and that the credentials it authenticated with still hold: a long-lived
// connection authenticated once may outlive them.
func (s *Service) signedIn(ctx context.Context) error {
	a, err := actor(ctx)
	if err != nil {
		return err
	}
	return s.stillSignedIn(ctx, a)
}

// streamCheck returns the check of a stream of the actor of ctx: its
// credentials still hold, and access (the check it was opened with) is
// still granted. It runs with the actor, not with ctx, which may end.
func (s *Service) streamCheck(ctx context.Context, access func(context.Context) error) func(context.Context) error {
	a := torque.ActorFrom(ctx)
	return func(c context.Context) error {
		c = torque.WithActor(c, a)
		if a != nil {
			if err := s.stillSignedIn(c, a); err != nil {
				return err
			}
		}
		return access(c)
	}
}

// SubscribeModel follows the changes of the model named name, which the
// actor may read. With after > 0 it first delivers every change after that
// sequence number, from the hub or from storage (so also after a restart
// or on another instance); when they are no longer kept it fails with
// ErrResync.
func (s *Service) SubscribeModel(ctx context.Context, name string, after uint64) (*Stream, error) {
	if err := s.signedIn(ctx); err != nil {
		return nil, err
	}
	if err := s.modelAccess(ctx, name, false); err != nil {
		return nil, err
	}
	check := s.streamCheck(ctx, func(c context.Context) error {
		err := s.modelAccess(c, name, false)
		if torque.ErrorCode(err) == torque.ENOTFOUND {
			// A deleted model ends nothing: its subscribers hear of the
			// deletion. One hidden from the actor ends the stream.
			if _, verr := s.db.ModelVersion(c, name); torque.ErrorCode(verr) == torque.ENOTFOUND {
				return nil
			}
		}
		return err
	})
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
		return s.newStream(sub, nil, nil, check), nil
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
	return s.newStream(sub, backlog, nil, check), nil
}

// SubscribeEntities follows the changes of entities of type typ in app,
// which the actor may read; a member who reads only their own records gets
// only their events. Entity events are kept in memory: after a restart, or
// on another instance, a resume fails with ErrResync and the client
// reloads its data.
func (s *Service) SubscribeEntities(ctx context.Context, app, typ string, after uint64) (*Stream, error) {
	if err := s.signedIn(ctx); err != nil {
		return nil, err
	}
	t, err := s.resolve(ctx, app, typ, torque.OpRead)
	if err != nil {
		return nil, err
	}
	check := s.streamCheck(ctx, func(c context.Context) error {
		_, err := s.resolve(c, app, typ, torque.OpRead)
		return err
	})
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
	return s.newStream(sub, nil, keep, check), nil
}
