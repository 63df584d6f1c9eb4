package auth

import (
	"sync"
	"time"
)

// ThrottleOptions configures a Throttle. Zero or negative fields take their
// defaults.
type ThrottleOptions struct {
	Free     int              // failures allowed before waits begin (default 5)
	Base     time.Duration    // the first wait (default 1s); each further failure doubles it
	Max      time.Duration    // the longest wait (default 15m)
	Capacity int              // keys remembered, least recently used forgotten first (default 100000)
	Now      func() time.Time // the clock (default time.Now)
}

// Throttle counts failed sign-ins per key (an account's email, or a client
// IP) and imposes growing waits: none for the first Free failures, then
// Base, doubling with each further failure up to Max. A key is forgotten
// once it has been quiet for Max after its wait ended, so a key that stops
// failing recovers, but one that keeps guessing at the longest wait never
// earns free attempts again. It is safe for concurrent use and holds at most Capacity keys.
//
// Callers check Wait before an attempt and refuse it while the wait is
// positive, call Fail when an attempt fails and Reset when one succeeds.
type Throttle struct {
	mu   sync.Mutex
	opts ThrottleOptions
	keys *lru[*failures]
}

// failures is a key's record of failed attempts.
type failures struct {
	count int
	last  time.Time // of the latest failure
}

// NewThrottle returns a Throttle configured by opts.
func NewThrottle(opts ThrottleOptions) *Throttle {
	if opts.Free <= 0 {
		opts.Free = 5
	}
	if opts.Base <= 0 {
		opts.Base = time.Second
	}
	if opts.Max <= 0 {
		opts.Max = 15 * time.Minute
	}
	if opts.Capacity <= 0 {
		opts.Capacity = 100000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Throttle{opts: opts, keys: newLRU[*failures](opts.Capacity)}
}

// Wait returns how long key must still wait before its next attempt; 0
// means it may try now.
func (t *Throttle) Wait(key string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.opts.Now()
	f, ok := t.lookup(key, now)
	if !ok {
		return 0
	}
	since := max(now.Sub(f.last), 0)
	return max(t.delay(f.count)-since, 0)
}

// Fail records a failed attempt of key and returns the wait it now
// imposes: 0 while key has at most Free failures.
func (t *Throttle) Fail(key string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.opts.Now()
	f, ok := t.lookup(key, now)
	if !ok {
		f = &failures{}
		t.keys.add(key, f)
	}
	f.count++
	f.last = now
	return t.delay(f.count)
}

// Reset forgets key's failures, after a successful sign-in.
func (t *Throttle) Reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.keys.remove(key)
}

// lookup returns key's failures, forgetting them first when the key has
// been quiet for Max after its wait.
func (t *Throttle) lookup(key string, now time.Time) (*failures, bool) {
	f, ok := t.keys.get(key)
	if !ok {
		return nil, false
	}
	// Written so that no sum can overflow with a huge Max.
	if since, wait := now.Sub(f.last), t.delay(f.count); since > wait && since-wait > t.opts.Max {
		t.keys.remove(key)
		return nil, false
	}
	return f, ok
}

// delay returns the wait imposed after n failures.
func (t *Throttle) delay(n int) time.Duration {
	if n <= t.opts.Free {
		return 0
	}
	d := t.opts.Base
	for range n - t.opts.Free - 1 {
		if d > t.opts.Max-d { // doubling would pass Max (or overflow)
			return t.opts.Max
		}
		d *= 2
	}
	return min(d, t.opts.Max)
}
