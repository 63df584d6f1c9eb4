package service

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/bus"
	"github.com/torquehq/torque/internal/store"
)

// The change bus: every write that succeeds publishes what changed, after
// its transaction commits, on the Service's hub. Model events are durable:
// written to storage in the write's transaction, numbered per model there,
// and delivered to the hub from storage, so every instance numbers them
// alike and a client resuming after a restart is served from storage.
// Entity events live in the hub only. Instances sharing a PostgreSQL
// database tell one another through notifications (see RunEvents). See
// docs/decisions/0003-graphql-and-change-bus.md.

// Event kinds.
const (
	KindModelCreated  = "model.created"
	KindModelUpdated  = "model.updated"
	KindModelDeleted  = "model.deleted"
	KindEntityCreated = "entity.created"
	KindEntityUpdated = "entity.updated"
	KindEntityDeleted = "entity.deleted"
	KindEntityLinked  = "entity.linked"
	KindEntityUnlink  = "entity.unlinked"
)

// ModelTopic is the topic of the changes of the model named name.
func ModelTopic(name string) string { return "model:" + name }

// EntityTopic is the topic of the changes of entities of type typ in app.
func EntityTopic(app, typ string) string { return "entities:" + app + ":" + typ }

// ModelEventData is the payload of a model event.
type ModelEventData struct {
	Model   string          `json:"model"`
	Version int64           `json:"version"`
	Changes []torque.Change `json:"changes"`
	// Truncated says Changes were left out for their size: reload the model.
	Truncated bool `json:"truncated,omitempty"`
}

// EntityEventData is the payload of an entity event.
type EntityEventData struct {
	App       string `json:"app"`
	Type      string `json:"type"`
	ID        string `json:"id"`
	Version   int64  `json:"version,omitempty"`
	CreatedBy string `json:"createdBy,omitempty"`
	// Relation and Other name the link, on linked and unlinked events.
	Relation string `json:"relation,omitempty"`
	Other    string `json:"other,omitempty"`
}

// maxEventChanges bounds the encoded changes a model event carries; past
// it the event says Truncated and subscribers reload the model.
const maxEventChanges = 256 << 10

// durableBatch is how many stored events one delivery reads at a time.
const durableBatch = 500

// modelEvent returns a function recording, in a model write's transaction,
// the event of the change and its audit entry.
func (s *Service) modelEvent(ctx context.Context, kind, name string, version int64, changes []torque.Change,
	action string, detail map[string]any) func(*store.Tx) error {
	return func(tx *store.Tx) error {
		d := ModelEventData{Model: name, Version: version, Changes: changes}
		if d.Changes == nil {
			d.Changes = []torque.Change{}
		}
		data, err := json.Marshal(d)
		if err != nil {
			return fmt.Errorf("encode model event: %w", err)
		}
		if len(data) > maxEventChanges {
			d.Changes, d.Truncated = []torque.Change{}, true
			if data, err = json.Marshal(d); err != nil {
				return fmt.Errorf("encode model event: %w", err)
			}
		}
		e := s.event(ctx, ModelTopic(name), kind, data)
		if err := tx.AddEvent(ctx, &e); err != nil {
			return err
		}
		if err := tx.Notify(ctx, s.note(note{Topic: e.Topic, Seq: e.Seq})); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, action, "model/"+name, detail)
	}
}

// event returns an event of the actor of ctx, made now.
func (s *Service) event(ctx context.Context, topic, kind string, data json.RawMessage) bus.Event {
	e := bus.Event{Topic: topic, Kind: kind, At: s.now().UTC(), Data: data, Actor: "system"}
	if a := torque.ActorFrom(ctx); a != nil && a.UserID != "" {
		e.ActorID, e.Actor = a.UserID, a.Email
	}
	return e
}

// deliver brings the hub's copy of a durable topic up to date with storage,
// publishing the stored events it lacks in order. A topic the hub does not
// hold has no subscribers: there is nothing to deliver.
func (s *Service) deliver(ctx context.Context, topic string) {
	s.deliverMu.Lock()
	defer s.deliverMu.Unlock()
	if !s.hub.Known(topic) {
		return
	}
	if err := s.deliverLocked(ctx, topic); err != nil {
		s.logger.ErrorContext(ctx, "deliver events", "topic", topic, "err", err)
	}
}

// deliverLocked publishes the stored events of topic after the hub's Seq.
// The caller holds deliverMu.
func (s *Service) deliverLocked(ctx context.Context, topic string) error {
	ctx = context.WithoutCancel(ctx)
	for {
		evs, err := s.db.Events(ctx, topic, s.hub.Seq(topic), durableBatch)
		if err != nil {
			return err
		}
		for _, e := range evs {
			s.hub.PublishAt(e)
		}
		if len(evs) < durableBatch {
			return nil
		}
	}
}

// entityChange is one entity an operation wrote, for its event.
type entityChange struct {
	kind string
	EntityEventData
}

// entityChanges collects the entities one transaction writes. Its reset
// runs at the start of the transaction's function, which storage may run
// more than once.
type entityChanges struct {
	app     string
	changes []entityChange
}

func (c *entityChanges) reset() { c.changes = c.changes[:0] }

func (c *entityChanges) add(kind, typ string, e *torque.Entity, id string) {
	ch := entityChange{kind: kind, EntityEventData: EntityEventData{App: c.app, Type: typ, ID: id}}
	if e != nil {
		ch.ID, ch.Version, ch.CreatedBy = e.ID, e.Version, e.CreatedBy
	}
	c.changes = append(c.changes, ch)
}

// addLink records a link added or removed at entity id of typ.
func (c *entityChanges) addLink(kind, typ, id, createdBy, rel, other string) {
	c.changes = append(c.changes, entityChange{kind: kind, EntityEventData: EntityEventData{
		App: c.app, Type: typ, ID: id, CreatedBy: createdBy, Relation: rel, Other: other,
	}})
}

// notify tells the other instances, when the transaction commits, of the
// entities it wrote: as few notifications as fit the size limit.
func (s *Service) notifyEntities(ctx context.Context, tx *store.Tx, c *entityChanges) error {
	if !s.db.CanListen() || len(c.changes) == 0 {
		return nil
	}
	n := note{}
	if a := torque.ActorFrom(ctx); a != nil && a.UserID != "" {
		n.ActorID, n.Actor = a.UserID, a.Email
	}
	size := 0
	for _, ch := range c.changes {
		item := noteEntity{Kind: ch.kind, Data: ch.EntityEventData}
		b, err := json.Marshal(item)
		if err != nil {
			return fmt.Errorf("encode entity event: %w", err)
		}
		if size+len(b) > store.MaxNotifyBytes-512 && len(n.Entities) > 0 {
			if err := tx.Notify(ctx, s.note(n)); err != nil {
				return err
			}
			n.Entities, size = nil, 0
		}
		n.Entities = append(n.Entities, item)
		size += len(b) + 1
	}
	return tx.Notify(ctx, s.note(n))
}

// publishEntities publishes, after commit, the entity events of c.
func (s *Service) publishEntities(ctx context.Context, c *entityChanges) {
	var actorID, actor string
	if a := torque.ActorFrom(ctx); a != nil && a.UserID != "" {
		actorID, actor = a.UserID, a.Email
	}
	s.publishEntityEvents(actorID, actor, c.changes)
}

func (s *Service) publishEntityEvents(actorID, actor string, changes []entityChange) {
	if actor == "" {
		actor = "system"
	}
	now := s.now().UTC()
	for _, ch := range changes {
		data, err := json.Marshal(ch.EntityEventData)
		if err != nil {
			continue // plain strings and numbers always encode
		}
		s.hub.Publish(bus.Event{
			Topic: EntityTopic(ch.App, ch.Type), Kind: ch.kind,
			ActorID: actorID, Actor: actor, At: now, Data: data,
		})
	}
}

// Hub returns the hub the Service publishes on.
func (s *Service) Hub() *bus.Hub { return s.hub }

// eventsPoll is how often, on SQLite, storage is polled for the model
// events of other processes sharing the database file.
const eventsPoll = 250 * time.Millisecond

// Event retention: stored events older than eventsKeepFor are deleted,
// except the newest eventsKeep of each topic.
const (
	eventsKeepFor = 24 * time.Hour
	eventsKeep    = 1024
	eventsPrune   = time.Hour
)
