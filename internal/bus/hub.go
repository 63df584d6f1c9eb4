package bus

import (
	"container/list"
	"strings"
	"sync"
	"sync/atomic"
)

// Options size a Hub. Zero fields take their defaults.
type Options struct {
	// Replay is how many events of each topic are kept for subscribers
	// resuming after a Seq (default 1024).
	Replay int
	// Queue is how many events published after a subscription started may
	// wait, not yet received, before the subscriber is cut off with
	// ErrLagged (default 256). Waiting events live in the topic's ring, not
	// in a per-subscriber copy, so Queue bounds staleness, not memory; a
	// subscriber whose next event leaves the ring is cut off too.
	Queue int
	// MaxTopics is how many topics a Hub keeps history for (default 10000).
	// Past it the topic least recently published or followed, among those
	// without subscribers, is forgotten; topics with subscribers are kept.
	MaxTopics int
}

// Default sizes, used for zero Options fields.
const (
	DefaultReplay    = 1024
	DefaultQueue     = 256
	DefaultMaxTopics = 10000
)

// Stats are a Hub's counters, for metrics.
type Stats struct {
	Topics      int    // topics held
	Subscribers int    // live subscriptions
	Published   uint64 // events published since New
	Dropped     uint64 // subscriptions cut off with ErrLagged since New
	Evicted     uint64 // topics forgotten to stay within MaxTopics since New
}

// Hub numbers, keeps and delivers the events of every topic. It is safe for
// concurrent use; the zero value is not usable, call New.
type Hub struct {
	replay, queue, maxTopics int

	done chan struct{} // closed by Close
	subs sync.WaitGroup

	mu     sync.Mutex
	closed bool
	topics map[string]*topic
	idle   *list.List // of *topic without subscribers, most recently used first
	// floor is above every Seq of every evicted topic: a topic created again
	// numbers from floor+1, so a client holding a Seq of the forgotten topic
	// gets ErrResync instead of another event under the same number.
	floor uint64

	published, dropped, evicted atomic.Uint64
	subscribers                 atomic.Int64
}

// New returns a Hub sized by opts.
func New(opts Options) *Hub {
	if opts.Replay <= 0 {
		opts.Replay = DefaultReplay
	}
	if opts.Queue <= 0 {
		opts.Queue = DefaultQueue
	}
	if opts.MaxTopics <= 0 {
		opts.MaxTopics = DefaultMaxTopics
	}
	return &Hub{
		replay:    opts.Replay,
		queue:     opts.Queue,
		maxTopics: opts.MaxTopics,
		done:      make(chan struct{}),
		topics:    make(map[string]*topic),
		idle:      list.New(),
	}
}

// Publish assigns e the next Seq of e.Topic (any Seq e carries is ignored),
// keeps it in the topic's replay ring and wakes the topic's subscribers. It
// never waits for a subscriber. It serves local writers and, later, the
// reader of events from other instances alike. It returns the event as
// published; after Close it publishes nothing and returns e with Seq 0.
func (h *Hub) Publish(e Event) Event {
	ev := new(Event)
	*ev = e
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		e.Seq = 0
		return e
	}
	t := h.topic(e.Topic)
	ev.Seq = t.last.Load() + 1
	t.store(ev, h.replay)
	t.last.Store(ev.Seq)
	h.mu.Unlock()
	h.published.Add(1)
	t.wake()
	return *ev
}

// PublishAt publishes e under the Seq it carries, for topics numbered
// elsewhere: durable events numbered by storage, the same on every
// instance. It returns false and publishes nothing when e.Seq is not above
// the topic's Seq (the event was published already) or after Close. When
// e.Seq skips numbers the topic starts over before e.Seq: subscribers still
// waiting for the skipped events are cut off with ErrLagged, to fetch them
// from where they are kept.
func (h *Hub) PublishAt(e Event) bool {
	ev := new(Event)
	*ev = e
	h.mu.Lock()
	if h.closed || e.Seq == 0 {
		h.mu.Unlock()
		return false
	}
	t := h.topic(e.Topic)
	last := t.last.Load()
	if e.Seq <= last {
		h.mu.Unlock()
		return false
	}
	if e.Seq > last+1 {
		t.restart(e.Seq - 1)
	}
	t.store(ev, h.replay)
	t.last.Store(ev.Seq)
	h.mu.Unlock()
	h.published.Add(1)
	t.wake()
	return true
}

// Seed sets the Seq of a topic numbered elsewhere (see PublishAt) before
// it is followed. A topic without subscribers starts over at seq,
// forgetting the events it held; a followed one moves up to seq when seq
// is above its Seq, cutting off subscribers waiting for the numbers
// skipped. Seed returns the topic's Seq afterwards.
func (h *Hub) Seed(topic string, seq uint64) uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return 0
	}
	t := h.topic(topic)
	if last := t.last.Load(); t.subs == 0 || seq > last {
		t.restart(seq)
		t.wake()
	}
	return t.last.Load()
}

// Known reports whether the Hub holds topic: it was published on,
// followed or seeded, and not forgotten since.
func (h *Hub) Known(topic string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.topics[topic] != nil
}

// Seq returns the Seq of the last event published on topic, 0 if none is
// known. Sequences begin at 1 in every new Hub.
func (h *Hub) Seq(topic string) uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	if t := h.topics[topic]; t != nil {
		return t.last.Load()
	}
	return 0
}

// Close ends every subscription (their Err is ErrClosed), waits until all
// their channels are closed and forgets every topic. Later Subscribe calls
// fail with ErrClosed and Publish does nothing.
func (h *Hub) Close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	close(h.done)
	h.mu.Unlock()
	h.subs.Wait()
	h.mu.Lock()
	clear(h.topics)
	h.idle.Init()
	h.mu.Unlock()
}

// Stats returns the Hub's counters.
func (h *Hub) Stats() Stats {
	h.mu.Lock()
	topics := len(h.topics)
	h.mu.Unlock()
	return Stats{
		Topics:      topics,
		Subscribers: int(h.subscribers.Load()),
		Published:   h.published.Load(),
		Dropped:     h.dropped.Load(),
		Evicted:     h.evicted.Load(),
	}
}

// topic returns the topic named name, creating it if needed, and marks it
// most recently used. The caller holds h.mu.
func (h *Hub) topic(name string) *topic {
	t := h.topics[name]
	if t != nil {
		if t.idle != nil {
			h.idle.MoveToFront(t.idle)
		}
		return t
	}
	t = &topic{name: name}
	t.base.Store(h.floor)
	t.last.Store(h.floor)
	t.idle = h.idle.PushFront(t)
	h.topics[name] = t
	h.evict()
	return t
}

// evict forgets the least recently used topics without subscribers while
// more than maxTopics are held, sparing the most recent one. The caller
// holds h.mu.
func (h *Hub) evict() {
	for len(h.topics) > h.maxTopics && h.idle.Len() > 1 {
		t := h.idle.Remove(h.idle.Back()).(*topic)
		t.idle = nil
		delete(h.topics, t.name)
		if last := t.last.Load(); last > t.base.Load() {
			h.floor = max(h.floor, last+1)
		}
		h.evicted.Add(1)
	}
}

// Topics returns the names of the topics the Hub holds that begin with
// prefix.
func (h *Hub) Topics(prefix string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for name := range h.topics {
		if strings.HasPrefix(name, prefix) {
			out = append(out, name)
		}
	}
	return out
}
