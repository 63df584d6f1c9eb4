package bus

import "sync"

// Subscription receives the events of one topic, in Seq order, on C.
type Subscription struct {
	hub   *Hub
	topic *topic
	c     chan Event
	stop  chan struct{} // closed by Close
	once  sync.Once

	next  uint64 // Seq of the next event to deliver; owned by run
	start uint64 // the topic's Seq at Subscribe; events up to it are replay

	mu  sync.Mutex
	err error
}

// Subscribe starts a subscription to topic.
//
// With after == 0 it delivers the events published from now on. With
// after > 0 it first delivers every held event with Seq > after, then live
// ones, with no gap and no duplicate even when publishes race with
// Subscribe. It fails with ErrResync when the Hub no longer holds the event
// after+1, or when after is above the topic's current Seq (the client
// learned it from another Hub, e.g. before a restart): the client must
// reload. It fails with ErrClosed after Close.
//
// A client that loads data and then follows its changes subscribes first
// and loads second when the topic has no events yet (Seq 0): subscribing
// with after == 0 after loading could miss the first event.
//
// The subscriber must receive from C until it is closed, or call Close.
func (h *Hub) Subscribe(topic string, after uint64) (*Subscription, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, ErrClosed
	}
	t := h.topics[topic]
	if t == nil && after > 0 {
		return nil, ErrResync // forgotten, or never published in this Hub
	}
	if t == nil {
		t = h.topic(topic)
	}
	last := t.last.Load() // stable: publishers hold h.mu
	next := last + 1
	if after > 0 {
		if after > last || after+1 < t.first(last, h.replay) {
			return nil, ErrResync
		}
		next = after + 1
	}
	if t.subs == 0 {
		h.idle.Remove(t.idle)
		t.idle = nil
	}
	t.subs++
	s := &Subscription{
		hub:   h,
		topic: t,
		c:     make(chan Event),
		stop:  make(chan struct{}),
		next:  next,
		start: last,
	}
	h.subscribers.Add(1)
	h.subs.Add(1)
	go s.run()
	return s, nil
}

// C returns the channel events arrive on. It is closed when the
// subscription ends; Err then tells why.
func (s *Subscription) C() <-chan Event { return s.c }

// Err returns why C was closed: nil while it is open and after Close,
// ErrLagged, ErrResync or ErrClosed otherwise.
func (s *Subscription) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Close ends the subscription. When it returns C is closed; events not yet
// received are dropped. Close may be called more than once and from any
// goroutine.
func (s *Subscription) Close() {
	s.once.Do(func() { close(s.stop) })
	for range s.c {
	}
}

// run delivers the topic's events from s.next on to s.c until the
// subscription ends.
func (s *Subscription) run() {
	err := s.deliver()
	if err == ErrLagged {
		s.hub.dropped.Add(1)
	}
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
	s.hub.unsubscribe(s.topic)
	close(s.c)
	s.hub.subs.Done()
}

// deliver sends events to s.c and returns why it stopped: nil when the
// subscriber closed, ErrLagged or ErrClosed.
func (s *Subscription) deliver() error {
	t, h := s.topic, s.hub
	for {
		sig := t.wait()
		last := t.last.Load()
		if s.next > last {
			select {
			case <-sig.c:
				continue
			case <-s.stop:
				return nil
			case <-h.done:
				return ErrClosed
			}
		}
		if s.lagged(last) {
			return ErrLagged
		}
		ev := t.ring.Load().at(s.next)
		if ev == nil || ev.Seq != s.next {
			return ErrLagged // overwritten since last was read
		}
	send:
		for {
			select {
			case s.c <- *ev:
				s.next++
				break send
			case <-sig.c:
				// Published while we wait on the subscriber: check that it
				// has not fallen too far behind.
				sig = t.wait()
				if s.lagged(t.last.Load()) {
					return ErrLagged
				}
			case <-s.stop:
				return nil
			case <-h.done:
				return ErrClosed
			}
		}
	}
}

// lagged reports whether the subscriber, about to receive s.next while the
// topic's newest event is last, is too far behind: more than Queue events
// published since it subscribed are waiting, or the event after s.next is
// no longer in the ring.
func (s *Subscription) lagged(last uint64) bool {
	waiting := last - max(s.next-1, s.start) // last >= both, always
	return waiting > uint64(s.hub.queue) || s.next+1 < s.topic.first(last, s.hub.replay)
}

// unsubscribe forgets a subscription of t that ended.
func (h *Hub) unsubscribe(t *topic) {
	h.subscribers.Add(-1)
	h.mu.Lock()
	defer h.mu.Unlock()
	t.subs--
	if t.subs == 0 && !h.closed {
		t.idle = h.idle.PushFront(t)
		h.evict()
	}
}
