package auth

import (
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter limits the rate of requests per key (an API token's id or a
// client IP) with a token bucket per key. It is safe for concurrent use and
// remembers at most capacity keys, forgetting the least recently used
// first; a forgotten key starts again with a full bucket.
type Limiter struct {
	mu    sync.Mutex
	limit rate.Limit
	burst int
	keys  *lru[*rate.Limiter]
	now   func() time.Time // time.Now; tests set a fake clock
}

// NewLimiter returns a Limiter that lets each key make perSecond requests
// a second on average and burst at once. perSecond, burst and capacity
// must be positive; NewLimiter panics otherwise.
func NewLimiter(perSecond float64, burst, capacity int) *Limiter {
	if !(perSecond > 0) || burst < 1 || capacity < 1 {
		panic(fmt.Sprintf("auth: NewLimiter(%v, %d, %d): arguments must be positive", perSecond, burst, capacity))
	}
	return &Limiter{limit: rate.Limit(perSecond), burst: burst, keys: newLRU[*rate.Limiter](capacity), now: time.Now}
}

// Allow reports whether a request of key may go now, and takes its token
// if so. When not, retryAfter is how long until it may, rounded up to
// whole seconds and at least one second, for a Retry-After header.
func (l *Limiter) Allow(key string) (ok bool, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	bucket, found := l.keys.get(key)
	if !found {
		bucket = rate.NewLimiter(l.limit, l.burst)
		l.keys.add(key, bucket)
	}
	r := bucket.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	if wait == 0 {
		return true, 0
	}
	r.CancelAt(now) // a refused request spends no token
	seconds := (wait + time.Second - 1) / time.Second
	return false, max(seconds, 1) * time.Second
}
