package bus

import (
	"errors"
	"testing"
)

func TestPublishAtKeepsTheGivenNumbers(t *testing.T) {
	h := New(Options{})
	defer h.Close()
	if got := h.Seed("model:TODO", 40); got != 40 {
		t.Fatalf("Seed = %d, want 40", got)
	}
	if !h.Known("model:TODO") || h.Known("model:other") {
		t.Fatal("Known is wrong")
	}
	s, err := h.Subscribe("model:TODO", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !h.PublishAt(Event{Topic: "model:TODO", Seq: 41, Kind: "model.updated"}) {
		t.Fatal("PublishAt(41) = false")
	}
	if h.PublishAt(Event{Topic: "model:TODO", Seq: 41}) || h.PublishAt(Event{Topic: "model:TODO", Seq: 7}) {
		t.Fatal("an event already published was published again")
	}
	if e := receive(t, s); e.Seq != 41 || e.Kind != "model.updated" {
		t.Fatalf("got %d %q, want 41 model.updated", e.Seq, e.Kind)
	}
	quiet(t, s)

	// A subscriber resuming after 41 is served from the ring.
	r, err := h.Subscribe("model:TODO", 40)
	if err != nil {
		t.Fatal(err)
	}
	if e := receive(t, r); e.Seq != 41 {
		t.Fatalf("replay got %d, want 41", e.Seq)
	}
	r.Close()
}

func TestPublishAtSkippingCutsOffWaitingSubscribers(t *testing.T) {
	h := New(Options{})
	defer h.Close()
	h.Seed("model:TODO", 1)
	s, err := h.Subscribe("model:TODO", 0)
	if err != nil {
		t.Fatal(err)
	}
	// Events 2 and 3 never reached this hub; 4 does.
	h.PublishAt(Event{Topic: "model:TODO", Seq: 4})
	if n := ended(t, s); n != 0 || !errors.Is(s.Err(), ErrLagged) {
		t.Fatalf("got %d events and %v, want 0 and ErrLagged", n, s.Err())
	}
	// Resuming after 1 cannot be served: the hub never held 2.
	if _, err := h.Subscribe("model:TODO", 1); !errors.Is(err, ErrResync) {
		t.Fatalf("Subscribe after the gap: %v, want ErrResync", err)
	}
	r, err := h.Subscribe("model:TODO", 3)
	if err != nil {
		t.Fatal(err)
	}
	if e := receive(t, r); e.Seq != 4 {
		t.Fatalf("got %d, want 4", e.Seq)
	}
	r.Close()
}

func TestSeedStartsAnIdleTopicOver(t *testing.T) {
	h := New(Options{MaxTopics: 1})
	defer h.Close()
	publishN(h, "a", 3)
	publishN(h, "b", 1) // evicts a: a topic "a" made again numbers above 3
	if got := h.Seed("a", 2); got != 2 {
		t.Fatalf("Seed of an idle topic = %d, want 2", got)
	}
	s, err := h.Subscribe("a", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := h.Seed("a", 1); got != 2 {
		t.Fatalf("Seed below a followed topic's Seq = %d, want 2 (unchanged)", got)
	}
	h.PublishAt(Event{Topic: "a", Seq: 3})
	if e := receive(t, s); e.Seq != 3 {
		t.Fatalf("got %d, want 3", e.Seq)
	}
}
