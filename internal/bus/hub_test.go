package bus

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// receive returns the next event of s, failing the test when none comes
// within a few seconds or C is closed.
func receive(t *testing.T, s *Subscription) Event {
	t.Helper()
	select {
	case e, ok := <-s.C():
		if !ok {
			t.Fatalf("C closed early: %v", s.Err())
		}
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5s")
	}
	return Event{}
}

// ended drains s until C is closed and returns how many events it held.
func ended(t *testing.T, s *Subscription) int {
	t.Helper()
	n := 0
	timeout := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-s.C():
			if !ok {
				return n
			}
			n++
		case <-timeout:
			t.Fatal("C not closed within 5s")
		}
	}
}

// quiet fails the test when s delivers an event within a short while.
func quiet(t *testing.T, s *Subscription) {
	t.Helper()
	select {
	case e, ok := <-s.C():
		t.Fatalf("got event %d (open %v), want none", e.Seq, ok)
	case <-time.After(20 * time.Millisecond):
	}
}

func publishN(h *Hub, topic string, n int) {
	for range n {
		h.Publish(Event{Topic: topic, Kind: "entity.updated"})
	}
}

func TestPublishNumbersEachTopic(t *testing.T) {
	h := New(Options{})
	defer h.Close()
	for i, topic := range []string{"a", "b", "a", "a", "b"} {
		e := h.Publish(Event{Topic: topic, Kind: "k", Actor: "system", Data: []byte(fmt.Sprint(i))})
		if e.Topic != topic || e.Kind != "k" || e.Actor != "system" || string(e.Data) != fmt.Sprint(i) {
			t.Errorf("publish %d: got %+v, want the event published", i, e)
		}
	}
	if got := h.Seq("a"); got != 3 {
		t.Errorf("Seq(a): got %d, want 3", got)
	}
	if got := h.Seq("b"); got != 2 {
		t.Errorf("Seq(b): got %d, want 2", got)
	}
	if got := h.Seq("none"); got != 0 {
		t.Errorf("Seq(none): got %d, want 0", got)
	}
	if e := h.Publish(Event{Topic: "a", Seq: 99}); e.Seq != 4 {
		t.Errorf("publish with Seq 99: got Seq %d, want 4", e.Seq)
	}
}

func TestSubscriberReceivesInOrder(t *testing.T) {
	h := New(Options{Queue: 2000, Replay: 2000})
	defer h.Close()
	subs := make([]*Subscription, 3)
	for i := range subs {
		s, err := h.Subscribe("t", 0)
		if err != nil {
			t.Fatal(err)
		}
		subs[i] = s
	}
	other, err := h.Subscribe("other", 0)
	if err != nil {
		t.Fatal(err)
	}
	publishN(h, "t", 2000)
	for i, s := range subs {
		for want := uint64(1); want <= 2000; want++ {
			if e := receive(t, s); e.Seq != want || e.Topic != "t" {
				t.Fatalf("subscriber %d: got %s %d, want t %d", i, e.Topic, e.Seq, want)
			}
		}
	}
	quiet(t, other)
}

func TestSubscribeAfter(t *testing.T) {
	tests := []struct {
		name    string
		after   uint64
		want    []uint64 // Seqs before the live event 11
		wantErr error
	}{
		{"zero means live only", 0, nil, nil},
		{"replays exactly after", 3, []uint64{4, 5, 6, 7, 8, 9, 10}, nil},
		{"replays from the first", 1, []uint64{2, 3, 4, 5, 6, 7, 8, 9, 10}, nil},
		{"current seq means live", 10, nil, nil},
		{"seq from another hub", 11, nil, ErrResync},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := New(Options{})
			defer h.Close()
			publishN(h, "t", 10)
			s, err := h.Subscribe("t", tt.after)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			defer s.Close()
			h.Publish(Event{Topic: "t"})
			for _, want := range append(tt.want, 11) {
				if e := receive(t, s); e.Seq != want {
					t.Fatalf("got Seq %d, want %d", e.Seq, want)
				}
			}
			quiet(t, s)
		})
	}
	t.Run("unknown topic with a seq", func(t *testing.T) {
		h := New(Options{})
		defer h.Close()
		if _, err := h.Subscribe("t", 5); !errors.Is(err, ErrResync) {
			t.Errorf("got %v, want ErrResync", err)
		}
	})
}

func TestSubscribeAfterRingOverflow(t *testing.T) {
	h := New(Options{Replay: 4})
	defer h.Close()
	publishN(h, "t", 10) // the ring holds 7 to 10
	if _, err := h.Subscribe("t", 5); !errors.Is(err, ErrResync) {
		t.Errorf("after 5: got %v, want ErrResync", err)
	}
	s, err := h.Subscribe("t", 6)
	if err != nil {
		t.Fatalf("after 6: %v", err)
	}
	defer s.Close()
	for want := uint64(7); want <= 10; want++ {
		if e := receive(t, s); e.Seq != want {
			t.Fatalf("got Seq %d, want %d", e.Seq, want)
		}
	}
}

// TestReplayRacesPublish resumes many subscribers, at random points, while
// several goroutines publish: each must see every Seq after the one it asked
// for exactly once, in order, whether it came from the ring or live.
func TestReplayRacesPublish(t *testing.T) {
	const publishers, perPublisher, subscribers = 4, 2000, 32
	const total = 1 + publishers*perPublisher
	h := New(Options{Replay: total, Queue: 64})
	defer h.Close()
	h.Publish(Event{Topic: "t"}) // so that every subscriber resumes after a Seq
	var wg sync.WaitGroup
	for range publishers {
		wg.Go(func() { publishN(h, "t", perPublisher) })
	}
	errs := make(chan error, subscribers)
	for i := range subscribers {
		wg.Go(func() {
			errs <- follow(h, "t", max(1, h.Seq("t")/uint64(1+i%3)), total)
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if st := h.Stats(); st.Published != total || st.Subscribers != 0 {
		t.Errorf("got %+v, want %d published and no subscriber", st, total)
	}
}

// follow subscribes to topic after after and checks that Seqs arrive
// consecutively up to last, subscribing again after its last Seq each time
// it is cut off for lagging.
func follow(h *Hub, topic string, after, last uint64) error {
	for after < last {
		s, err := h.Subscribe(topic, after)
		if err != nil {
			return fmt.Errorf("subscribe after %d: %w", after, err)
		}
		for e := range s.C() {
			if e.Seq != after+1 {
				s.Close()
				return fmt.Errorf("got Seq %d, want %d", e.Seq, after+1)
			}
			after = e.Seq
			if after == last {
				s.Close()
				break
			}
		}
		if err := s.Err(); err != nil && err != ErrLagged {
			return err
		}
	}
	return nil
}

func TestLaggingSubscriberIsCutOff(t *testing.T) {
	h := New(Options{Queue: 8, Replay: 1024})
	defer h.Close()
	slow, err := h.Subscribe("t", 0)
	if err != nil {
		t.Fatal(err)
	}
	fast, err := h.Subscribe("t", 0)
	if err != nil {
		t.Fatal(err)
	}
	h.Publish(Event{Topic: "t"})
	first := receive(t, slow) // then stop reading
	receive(t, fast)
	// The publisher and the fast subscriber go on regardless of the slow one.
	for want := uint64(2); want <= 100; want++ {
		if e := h.Publish(Event{Topic: "t"}); e.Seq != want {
			t.Fatalf("publish: got Seq %d, want %d", e.Seq, want)
		}
		if e := receive(t, fast); e.Seq != want {
			t.Fatalf("fast subscriber: got Seq %d, want %d", e.Seq, want)
		}
	}
	fast.Close()
	ended(t, slow)
	if err := slow.Err(); err != ErrLagged {
		t.Fatalf("slow subscriber: got %v, want ErrLagged", err)
	}
	if st := h.Stats(); st.Dropped != 1 {
		t.Errorf("got %d dropped, want 1", st.Dropped)
	}
	// It resumes from the last Seq it received.
	if err := follow(h, "t", first.Seq, 100); err != nil {
		t.Errorf("resume: %v", err)
	}
}

func TestLaggingPastTheRing(t *testing.T) {
	h := New(Options{Queue: 1000, Replay: 16})
	defer h.Close()
	s, err := h.Subscribe("t", 0)
	if err != nil {
		t.Fatal(err)
	}
	publishN(h, "t", 100)
	ended(t, s)
	if err := s.Err(); err != ErrLagged {
		t.Errorf("got %v, want ErrLagged", err)
	}
}

func TestClose(t *testing.T) {
	t.Run("subscription", func(t *testing.T) {
		h := New(Options{})
		defer h.Close()
		s, err := h.Subscribe("t", 0)
		if err != nil {
			t.Fatal(err)
		}
		publishN(h, "t", 3) // left unread
		s.Close()
		s.Close()
		if _, ok := <-s.C(); ok {
			t.Error("C open after Close")
		}
		if err := s.Err(); err != nil {
			t.Errorf("got %v, want nil", err)
		}
		if st := h.Stats(); st.Subscribers != 0 {
			t.Errorf("got %d subscribers, want 0", st.Subscribers)
		}
	})
	t.Run("hub", func(t *testing.T) {
		h := New(Options{})
		a, _ := h.Subscribe("a", 0)
		b, _ := h.Subscribe("b", 0)
		h.Publish(Event{Topic: "a"})
		h.Close()
		h.Close()
		for _, s := range []*Subscription{a, b} {
			if _, ok := <-s.C(); ok {
				t.Error("C open after Hub.Close")
			}
			if err := s.Err(); err != ErrClosed {
				t.Errorf("got %v, want ErrClosed", err)
			}
			s.Close()
			if err := s.Err(); err != ErrClosed {
				t.Errorf("after Subscription.Close: got %v, want ErrClosed still", err)
			}
		}
		if _, err := h.Subscribe("a", 0); err != ErrClosed {
			t.Errorf("Subscribe: got %v, want ErrClosed", err)
		}
		if e := h.Publish(Event{Topic: "a"}); e.Seq != 0 {
			t.Errorf("Publish: got Seq %d, want 0", e.Seq)
		}
		if st := h.Stats(); st.Topics != 0 || st.Subscribers != 0 {
			t.Errorf("got %+v, want no topic and no subscriber", st)
		}
	})
	t.Run("lagged stays lagged", func(t *testing.T) {
		h := New(Options{Queue: 1})
		defer h.Close()
		s, _ := h.Subscribe("t", 0)
		publishN(h, "t", 5)
		ended(t, s)
		s.Close()
		if err := s.Err(); err != ErrLagged {
			t.Errorf("got %v, want ErrLagged", err)
		}
	})
}

func TestMaxTopics(t *testing.T) {
	t.Run("forgets the least recently published", func(t *testing.T) {
		h := New(Options{MaxTopics: 3})
		defer h.Close()
		for _, topic := range []string{"a", "b", "c", "a", "d"} {
			h.Publish(Event{Topic: topic})
		}
		for topic, want := range map[string]uint64{"a": 2, "b": 0, "c": 1, "d": 1} {
			if got := h.Seq(topic); got != want {
				t.Errorf("Seq(%s): got %d, want %d", topic, got, want)
			}
		}
		if st := h.Stats(); st.Topics != 3 || st.Evicted != 1 {
			t.Errorf("got %+v, want 3 topics, 1 evicted", st)
		}
	})
	t.Run("keeps topics with subscribers", func(t *testing.T) {
		h := New(Options{MaxTopics: 2})
		defer h.Close()
		h.Publish(Event{Topic: "kept"})
		s, err := h.Subscribe("kept", 0)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 10 {
			h.Publish(Event{Topic: fmt.Sprint(i)})
		}
		h.Publish(Event{Topic: "kept"})
		if e := receive(t, s); e.Seq != 2 {
			t.Errorf("got Seq %d, want 2", e.Seq)
		}
		if st := h.Stats(); st.Topics != 2 {
			t.Errorf("got %d topics, want 2", st.Topics)
		}
		s.Close()
		h.Publish(Event{Topic: "new"})
		if got := h.Seq("kept"); got != 2 {
			t.Errorf("kept was the most recently followed: got Seq %d, want 2", got)
		}
	})
	t.Run("a forgotten seq is never reused", func(t *testing.T) {
		h := New(Options{MaxTopics: 1})
		defer h.Close()
		publishN(h, "a", 5)
		h.Publish(Event{Topic: "b"}) // forgets a
		publishN(h, "a", 10)         // forgets b; a starts again above 5
		if got := h.Seq("a"); got <= 10 {
			t.Errorf("Seq(a): got %d, want above 10 (past the forgotten 5)", got)
		}
		for _, after := range []uint64{1, 4, 5} {
			if _, err := h.Subscribe("a", after); !errors.Is(err, ErrResync) {
				t.Errorf("after %d: got %v, want ErrResync", after, err)
			}
		}
		if _, err := h.Subscribe("b", 1); !errors.Is(err, ErrResync) {
			t.Errorf("forgotten b: got %v, want ErrResync", err)
		}
	})
}

func TestStats(t *testing.T) {
	h := New(Options{Queue: 1})
	defer h.Close()
	a, _ := h.Subscribe("a", 0)
	b, _ := h.Subscribe("b", 0)
	defer b.Close()
	publishN(h, "a", 3)
	publishN(h, "c", 2)
	ended(t, a) // lagged: 3 waiting, queue 1
	want := Stats{Topics: 3, Subscribers: 1, Published: 5, Dropped: 1}
	if got := h.Stats(); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
