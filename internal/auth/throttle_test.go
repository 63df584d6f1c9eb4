package auth

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestThrottleFail(t *testing.T) {
	tests := []struct {
		name string
		opts ThrottleOptions
		want []time.Duration // returned by each Fail in turn
	}{
		{"defaults", ThrottleOptions{}, []time.Duration{
			0, 0, 0, 0, 0, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second,
			16 * time.Second, 32 * time.Second, 64 * time.Second, 128 * time.Second, 256 * time.Second,
			512 * time.Second, 15 * time.Minute, 15 * time.Minute,
		}},
		{"capped at Max", ThrottleOptions{Free: 2, Base: time.Second, Max: 10 * time.Second}, []time.Duration{
			0, 0, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second,
		}},
		{"Base over Max", ThrottleOptions{Free: 1, Base: time.Hour, Max: time.Minute}, []time.Duration{
			0, time.Minute, time.Minute,
		}},
		{"huge Max does not overflow", ThrottleOptions{Free: 1, Base: time.Second, Max: 1<<63 - 1}, []time.Duration{
			0, time.Second, 2 * time.Second,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock()
			tt.opts.Now = clock.now
			th := NewThrottle(tt.opts)
			for i, want := range tt.want {
				if got := th.Fail("a@example.com"); got != want {
					t.Fatalf("failure %d: got %v, want %v", i+1, got, want)
				}
				if got := th.Wait("a@example.com"); got != want {
					t.Fatalf("wait after failure %d: got %v, want %v", i+1, got, want)
				}
			}
		})
	}
}

func TestThrottleLongRun(t *testing.T) {
	clock := newFakeClock()
	th := NewThrottle(ThrottleOptions{Free: 1, Base: time.Second, Max: 1<<63 - 1, Now: clock.now})
	var got time.Duration
	for range 200 {
		got = th.Fail("k")
	}
	if got != 1<<63-1 {
		t.Errorf("after 200 failures got %v, want Max", got)
	}
}

// failN fails key n times, n at least 1, and returns the last wait.
func failN(th *Throttle, key string, n int) time.Duration {
	var d time.Duration
	for range n {
		d = th.Fail(key)
	}
	return d
}

func TestThrottleWait(t *testing.T) {
	clock := newFakeClock()
	opts := ThrottleOptions{Free: 5, Base: time.Second, Max: time.Minute, Capacity: 3, Now: clock.now}

	t.Run("unknown key may try", func(t *testing.T) {
		th := NewThrottle(opts)
		if got := th.Wait("nobody"); got != 0 {
			t.Errorf("got %v, want 0", got)
		}
	})
	t.Run("no wait for the free failures", func(t *testing.T) {
		th := NewThrottle(opts)
		for i := range 5 {
			if got := th.Fail("k"); got != 0 {
				t.Fatalf("failure %d: got %v, want 0", i+1, got)
			}
			if got := th.Wait("k"); got != 0 {
				t.Fatalf("wait after failure %d: got %v, want 0", i+1, got)
			}
		}
	})
	t.Run("wait shrinks as time passes", func(t *testing.T) {
		th := NewThrottle(opts)
		if got := failN(th, "k", 7); got != 2*time.Second {
			t.Fatalf("got %v, want 2s", got)
		}
		clock.advance(1500 * time.Millisecond)
		if got := th.Wait("k"); got != 500*time.Millisecond {
			t.Errorf("got %v, want 500ms", got)
		}
		clock.advance(time.Second)
		if got := th.Wait("k"); got != 0 {
			t.Errorf("got %v, want 0", got)
		}
		// Failures are still counted after the wait is over.
		if got := th.Fail("k"); got != 4*time.Second {
			t.Errorf("next failure: got %v, want 4s", got)
		}
	})
	t.Run("keys are independent", func(t *testing.T) {
		th := NewThrottle(opts)
		failN(th, "a", 8)
		if got := th.Wait("b"); got != 0 {
			t.Errorf("b: got %v, want 0", got)
		}
		if got := th.Fail("b"); got != 0 {
			t.Errorf("b's first failure: got %v, want 0", got)
		}
	})
	t.Run("reset forgets failures", func(t *testing.T) {
		th := NewThrottle(opts)
		failN(th, "k", 8)
		th.Reset("k")
		if got := th.Wait("k"); got != 0 {
			t.Errorf("wait: got %v, want 0", got)
		}
		if got := failN(th, "k", 5); got != 0 {
			t.Errorf("five failures after reset: got %v, want 0", got)
		}
		th.Reset("unknown") // no effect
	})
	t.Run("failures quiet for Max after the wait are forgotten", func(t *testing.T) {
		th := NewThrottle(opts)
		failN(th, "k", 10) // waits 16s
		clock.advance(16*time.Second + time.Minute + time.Nanosecond)
		if got := th.Wait("k"); got != 0 {
			t.Errorf("wait: got %v, want 0", got)
		}
		if got := failN(th, "k", 5); got != 0 {
			t.Errorf("five failures later: got %v, want 0", got)
		}
		failN(th, "j", 10)
		clock.advance(16*time.Second + time.Minute + time.Nanosecond)
		if got := th.Fail("j"); got != 0 {
			t.Errorf("failure without a wait first: got %v, want 0", got)
		}
	})
	t.Run("failures just inside the quiet time are kept", func(t *testing.T) {
		th := NewThrottle(opts)
		failN(th, "k", 6) // waits 1s
		clock.advance(time.Second + time.Minute)
		if got := th.Fail("k"); got != 2*time.Second {
			t.Errorf("got %v, want 2s", got)
		}
	})
	t.Run("guessing at the longest wait earns no free attempts", func(t *testing.T) {
		th := NewThrottle(opts)
		failN(th, "k", 20) // at Max
		for i := 0; i < 3; i++ {
			clock.advance(time.Minute) // the wait ends: one more guess
			if got := th.Fail("k"); got != time.Minute {
				t.Fatalf("guess %d after the longest wait: got %v, want 1m", i+1, got)
			}
		}
	})
	t.Run("capacity forgets the least recently used key", func(t *testing.T) {
		th := NewThrottle(opts)
		for _, k := range []string{"a", "b", "c"} {
			failN(th, k, 6)
		}
		th.Wait("a") // a is now more recent than b
		th.Fail("d")
		if n := th.keys.len(); n != 3 {
			t.Errorf("holds %d keys, want 3", n)
		}
		if got := th.Wait("b"); got != 0 {
			t.Errorf("b: got %v, want 0 (forgotten)", got)
		}
		for _, k := range []string{"a", "c"} {
			if got := th.Wait(k); got != time.Second {
				t.Errorf("%s: got %v, want 1s", k, got)
			}
		}
	})
	t.Run("clock going back does not shorten waits", func(t *testing.T) {
		th := NewThrottle(opts)
		failN(th, "k", 6)
		clock.advance(-time.Hour)
		if got := th.Wait("k"); got != time.Second {
			t.Errorf("got %v, want 1s", got)
		}
	})
}

func TestThrottleConcurrent(t *testing.T) {
	th := NewThrottle(ThrottleOptions{Capacity: 50})
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				key := fmt.Sprintf("k%d", (g*31+i)%100)
				th.Fail(key)
				th.Wait(key)
				if i%7 == 0 {
					th.Reset(key)
				}
			}
		})
	}
	wg.Wait()
	if n := th.keys.len(); n > 50 {
		t.Errorf("holds %d keys, want at most 50", n)
	}
}
