package bus

import (
	"container/list"
	"sync/atomic"
)

// topic holds one topic's sequence, its replay ring and the signal its
// subscribers wait on. Publishers write it under Hub.mu; subscribers read
// it without locks, through atomics, so they never hold up a publisher.
type topic struct {
	name string
	// base is the Seq before the first event this topic held: 0 unless an
	// earlier topic of the same name was evicted (see Hub.floor), or the
	// topic started over (see Hub.PublishAt and Hub.Seed).
	base   atomic.Uint64
	last   atomic.Uint64          // Seq of the newest event; base when none
	ring   atomic.Pointer[ring]   // the newest events; grows up to Options.Replay
	signal atomic.Pointer[signal] // closed by the next publish; nil when nobody waits

	// Guarded by Hub.mu.
	subs int           // live subscriptions
	idle *list.Element // in Hub.idle while subs == 0, else nil
}

// ring holds events by Seq modulo its length. It is replaced, never
// resized in place, so a reader holding an old ring still reads it safely.
type ring struct {
	slots []atomic.Pointer[Event]
}

// signal is closed to wake the subscribers waiting for a topic's next event.
type signal struct {
	c chan struct{}
}

// at returns the event held for seq, or nil or another event when the ring
// does not hold seq.
func (r *ring) at(seq uint64) *Event {
	if r == nil {
		return nil
	}
	return r.slots[seq%uint64(len(r.slots))].Load()
}

// first returns the oldest Seq the topic holds when its newest is last and
// replay events are kept; last+1 when it holds none.
func (t *topic) first(last uint64, replay int) uint64 {
	base := t.base.Load()
	if last-base > uint64(replay) {
		return last - uint64(replay) + 1
	}
	return base + 1
}

// store keeps ev, whose Seq is the topic's next, in the ring, growing the
// ring (by doubling, up to replay slots) while it is not full. The caller
// holds Hub.mu and publishes ev.Seq in t.last afterwards.
func (t *topic) store(ev *Event, replay int) {
	r := t.ring.Load()
	held := ev.Seq - t.base.Load() // events held once ev is in, before trimming
	if r == nil || (held > uint64(len(r.slots)) && len(r.slots) < replay) {
		n := 8
		if r != nil {
			n = 2 * len(r.slots)
		}
		n = min(n, replay)
		grown := &ring{slots: make([]atomic.Pointer[Event], n)}
		if r != nil {
			last := ev.Seq - 1
			for seq := t.first(last, len(r.slots)); seq <= last; seq++ {
				grown.slots[seq%uint64(n)].Store(r.at(seq))
			}
		}
		t.ring.Store(grown)
		r = grown
	}
	r.slots[ev.Seq%uint64(len(r.slots))].Store(ev)
}

// restart makes the topic hold nothing and continue after seq. The caller
// holds Hub.mu. A subscriber waiting for an event at or below seq finds it
// missing from the ring and is cut off with ErrLagged.
func (t *topic) restart(seq uint64) {
	t.ring.Store(nil)
	t.base.Store(seq)
	t.last.Store(seq)
}

// wait returns the signal the next publish will close, installing one when
// none is. A subscriber calls it before reading t.last; a publisher stores
// t.last before calling wake, so one of the two always sees the other.
func (t *topic) wait() *signal {
	for {
		if s := t.signal.Load(); s != nil {
			return s
		}
		s := &signal{c: make(chan struct{})}
		if t.signal.CompareAndSwap(nil, s) {
			return s
		}
	}
}

// wake wakes every subscriber waiting for the topic's next event.
func (t *topic) wake() {
	if s := t.signal.Swap(nil); s != nil {
		close(s.c)
	}
}
