package service

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"time"
)

// note is a notification between instances sharing a PostgreSQL database.
// It stays small (PostgreSQL caps a payload under 8000 bytes): a durable
// event is named by its topic and Seq and read from storage, entity events
// travel whole, cache invalidations by name; presence notes (presence.go)
// travel whole.
type note struct {
	Instance string       `json:"i"`
	Topic    string       `json:"t,omitempty"` // a durable topic with a new event
	Seq      uint64       `json:"s,omitempty"`
	ActorID  string       `json:"a,omitempty"` // of Entities
	Actor    string       `json:"u,omitempty"`
	Entities []noteEntity `json:"e,omitempty"`
	Forget   string       `json:"f,omitempty"` // forgetRoles, forgetCredentials or "app:" + name
	Presence *presenceMsg `json:"p,omitempty"`
}

type noteEntity struct {
	Kind string          `json:"k"`
	Data EntityEventData `json:"d"`
}

// Cache invalidations carried by notes.
const (
	forgetRoles       = "roles"
	forgetCredentials = "credentials"
	forgetAppPrefix   = "app:"
)

func (s *Service) note(n note) string {
	n.Instance = s.instance
	b, _ := json.Marshal(n) // strings, numbers and plain structs always encode
	return string(b)
}

// broadcast tells the other instances to forget what changed after a
// committed write. A lost notification costs at most the recheck interval,
// after which every cache asks storage again.
func (s *Service) broadcast(ctx context.Context, forget string) {
	if !s.db.CanListen() {
		return
	}
	if err := s.db.Notify(context.WithoutCancel(ctx), s.note(note{Forget: forget})); err != nil {
		s.logger.WarnContext(ctx, "notify other instances", "forget", forget, "err", err)
	}
}

// onNote handles a notification of any instance; its own are ignored, as
// their effects happened at once.
func (s *Service) onNote(ctx context.Context, payload string) {
	var n note
	if err := json.Unmarshal([]byte(payload), &n); err != nil {
		s.logger.WarnContext(ctx, "unreadable notification", "err", err)
		return
	}
	if n.Instance == s.instance {
		return
	}
	if n.Presence != nil {
		s.onPresenceNote(ctx, n.Instance, n.Presence)
		return
	}
	if n.Topic != "" {
		if name, ok := strings.CutPrefix(n.Topic, "model:"); ok {
			s.staleModel(name)
		}
		s.deliver(ctx, n.Topic)
	}
	if len(n.Entities) > 0 {
		changes := make([]entityChange, len(n.Entities))
		for i, e := range n.Entities {
			changes[i] = entityChange{kind: e.Kind, EntityEventData: e.Data}
		}
		s.publishEntityEvents(n.ActorID, n.Actor, changes)
	}
	switch {
	case n.Forget == forgetRoles:
		s.forgetAllRoles()
	case n.Forget == forgetCredentials:
		s.forgetCredentials()
	case strings.HasPrefix(n.Forget, forgetAppPrefix):
		s.forgetApp(strings.TrimPrefix(n.Forget, forgetAppPrefix))
		s.forgetAllRoles()
	}
}

// catchUp runs when a listener (re)connects: notifications sent while none
// listened are lost, so every cache is checked again and every followed
// durable topic is brought up to date from storage.
func (s *Service) catchUp(ctx context.Context) {
	s.forgetAllRoles()
	s.forgetCredentials()
	s.mu.RLock()
	for _, cm := range s.models {
		cm.checked.Store(0)
	}
	for _, ca := range s.apps {
		ca.checked.Store(0)
	}
	s.mu.RUnlock()
	for _, topic := range s.hub.Topics("model:") {
		s.deliver(ctx, topic)
	}
}

// RunEvents follows the changes other instances and processes make, until
// ctx ends: on PostgreSQL through notifications, on SQLite by polling the
// stored model events every 250 ms (a torque command writing to the same
// file is another process). On PostgreSQL it also keeps the instances'
// presence in step (the notes and heartbeats of presence.go). It also
// deletes stored events past their retention, hourly. It returns when ctx
// ends.
func (s *Service) RunEvents(ctx context.Context) {
	go s.pruneEvents(ctx)
	if s.db.CanListen() {
		s.db.OnListenError(func(err error, wait time.Duration) {
			s.logger.WarnContext(ctx, "change notifications: connection lost; reconnecting", "err", err, "wait", wait)
		})
		var presence sync.WaitGroup
		presence.Go(func() { s.runPresence(ctx) })
		defer presence.Wait()
		onConnect := func(ctx context.Context) {
			s.catchUp(ctx)
			s.presenceConnected(ctx)
		}
		_ = s.db.Listen(ctx, onConnect, func(p string) { s.onNote(ctx, p) })
		return
	}
	last, err := s.db.LastEventID(ctx)
	if err != nil && ctx.Err() == nil {
		s.logger.ErrorContext(ctx, "read stored events", "err", err)
	}
	// What other processes wrote before polling began is caught up from
	// storage, as after a listener's connection.
	s.catchUp(ctx)
	tick := time.NewTicker(eventsPoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		topics, next, err := s.db.TopicsSince(ctx, last)
		if err != nil {
			if ctx.Err() == nil {
				s.logger.ErrorContext(ctx, "poll stored events", "err", err)
			}
			continue
		}
		last = next
		for _, t := range topics {
			if name, ok := strings.CutPrefix(t, "model:"); ok {
				s.staleModel(name)
			}
			s.deliver(ctx, t)
		}
	}
}

func (s *Service) pruneEvents(ctx context.Context) {
	tick := time.NewTicker(eventsPrune)
	defer tick.Stop()
	for {
		if n, err := s.db.PruneEvents(ctx, s.now().Add(-eventsKeepFor), eventsKeep); err != nil && ctx.Err() == nil {
			s.logger.ErrorContext(ctx, "prune stored events", "err", err)
		} else if n > 0 {
			s.logger.InfoContext(ctx, "pruned stored events", "deleted", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// staleModel makes the cached model named name be checked with storage on
// its next use.
func (s *Service) staleModel(name string) {
	s.mu.RLock()
	if cm := s.models[name]; cm != nil {
		cm.checked.Store(0)
	}
	s.mu.RUnlock()
	s.recheckStreams() // its permissions may have changed
}

// forgetAllRoles empties the role cache.
func (s *Service) forgetAllRoles() {
	s.rolesMu.Lock()
	clear(s.roles)
	s.rolesMu.Unlock()
	s.recheckStreams()
}
