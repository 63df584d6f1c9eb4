package bus

import (
	"encoding/json"
	"errors"
	"time"
)

// Event is one change published on a topic.
type Event struct {
	Topic   string          // e.g. "model:TODO" or "entities:todo:Task"
	Seq     uint64          // set by the Hub: consecutive per topic, in publish order
	Kind    string          // e.g. "model.updated", "entity.created"
	ActorID string          // id of the user who made the change
	Actor   string          // email, or "system"
	At      time.Time       // when the change was made
	Data    json.RawMessage // the payload: new version, delta, entity id and version…
}

// Reasons a subscription ends, reported by Subscription.Err; Subscribe
// returns ErrResync and ErrClosed too.
var (
	// ErrLagged: the subscriber fell too far behind the publishers and was
	// cut off. It may subscribe again after the last Seq it received.
	ErrLagged = errors.New("subscriber lagged behind the topic")
	// ErrResync: the events after the Seq asked for are no longer held (or
	// never were, in this Hub). The client must reload its state and
	// subscribe again from the Seq it loaded at.
	ErrResync = errors.New("events after the given seq are not available; reload")
	// ErrClosed: the Hub was closed.
	ErrClosed = errors.New("hub closed")
)
