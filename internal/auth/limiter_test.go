package auth

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func newTestLimiter(perSecond float64, burst, capacity int) (*Limiter, *fakeClock) {
	clock := newFakeClock()
	l := NewLimiter(perSecond, burst, capacity)
	l.now = clock.now
	return l, clock
}

// allowN calls Allow n times and returns how many were allowed.
func allowN(l *Limiter, key string, n int) int {
	allowed := 0
	for range n {
		if ok, _ := l.Allow(key); ok {
			allowed++
		}
	}
	return allowed
}

func TestLimiter(t *testing.T) {
	t.Run("burst then refusal", func(t *testing.T) {
		l, _ := newTestLimiter(1, 3, 10)
		for i := range 3 {
			if ok, retry := l.Allow("k"); !ok || retry != 0 {
				t.Fatalf("request %d: got %v, %v, want true, 0", i+1, ok, retry)
			}
		}
		if ok, retry := l.Allow("k"); ok || retry != time.Second {
			t.Errorf("request 4: got %v, %v, want false, 1s", ok, retry)
		}
	})
	t.Run("retry after rounds up to whole seconds", func(t *testing.T) {
		l, clock := newTestLimiter(0.25, 1, 10) // a request every 4s
		l.Allow("k")
		if ok, retry := l.Allow("k"); ok || retry != 4*time.Second {
			t.Errorf("got %v, %v, want false, 4s", ok, retry)
		}
		clock.advance(1500 * time.Millisecond)
		if ok, retry := l.Allow("k"); ok || retry != 3*time.Second {
			t.Errorf("after 1.5s: got %v, %v, want false, 3s", ok, retry)
		}
	})
	t.Run("retry after is at least a second", func(t *testing.T) {
		l, _ := newTestLimiter(100, 1, 10)
		l.Allow("k")
		if ok, retry := l.Allow("k"); ok || retry != time.Second {
			t.Errorf("got %v, %v, want false, 1s", ok, retry)
		}
	})
	t.Run("refills over time", func(t *testing.T) {
		l, clock := newTestLimiter(2, 4, 10)
		if got := allowN(l, "k", 10); got != 4 {
			t.Fatalf("at once: allowed %d, want 4", got)
		}
		clock.advance(time.Second)
		if got := allowN(l, "k", 10); got != 2 {
			t.Errorf("a second later: allowed %d, want 2", got)
		}
		clock.advance(time.Hour)
		if got := allowN(l, "k", 10); got != 4 {
			t.Errorf("an hour later: allowed %d, want the burst of 4", got)
		}
	})
	t.Run("refused requests spend nothing", func(t *testing.T) {
		l, clock := newTestLimiter(1, 1, 10)
		l.Allow("k")
		allowN(l, "k", 20)
		clock.advance(time.Second)
		if ok, _ := l.Allow("k"); !ok {
			t.Error("got false a second later, want true")
		}
	})
	t.Run("keys are independent", func(t *testing.T) {
		l, _ := newTestLimiter(1, 2, 10)
		allowN(l, "a", 5)
		if got := allowN(l, "b", 5); got != 2 {
			t.Errorf("b: allowed %d, want 2", got)
		}
	})
	t.Run("capacity forgets the least recently used key", func(t *testing.T) {
		l, _ := newTestLimiter(1, 1, 2)
		allowN(l, "a", 1)
		allowN(l, "b", 1)
		l.Allow("a") // a is now more recent than b
		allowN(l, "c", 1)
		if n := l.keys.len(); n != 2 {
			t.Errorf("holds %d keys, want 2", n)
		}
		if ok, _ := l.Allow("a"); ok {
			t.Error("a: got true, want false (remembered)")
		}
		if ok, _ := l.Allow("b"); !ok {
			t.Error("b: got false, want true (forgotten, so a full bucket)")
		}
	})
}

func TestNewLimiterPanics(t *testing.T) {
	tests := []struct {
		name      string
		perSecond float64
		burst     int
		capacity  int
	}{
		{"zero rate", 0, 1, 1},
		{"negative rate", -1, 1, 1},
		{"zero burst", 1, 0, 1},
		{"zero capacity", 1, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("got no panic, want one")
				}
			}()
			NewLimiter(tt.perSecond, tt.burst, tt.capacity)
		})
	}
}

func TestLimiterConcurrent(t *testing.T) {
	l := NewLimiter(1000, 10, 50)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				l.Allow(fmt.Sprintf("k%d", (g*31+i)%100))
			}
		})
	}
	wg.Wait()
	if n := l.keys.len(); n > 50 {
		t.Errorf("holds %d keys, want at most 50", n)
	}
}
