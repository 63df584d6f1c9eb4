package bus

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"
)

// drain follows topic until the hub closes, subscribing again live each
// time it is cut off, and returns how many times it was.
func drain(h *Hub, topic string) (lagged int) {
	for {
		s, err := h.Subscribe(topic, 0)
		if err != nil {
			return lagged
		}
		for range s.C() {
		}
		if s.Err() != ErrLagged {
			return lagged
		}
		lagged++
	}
}

// BenchmarkPublish measures one Publish on a topic followed by n
// subscribers that receive as fast as they can.
func BenchmarkPublish(b *testing.B) {
	for _, n := range []int{0, 1, 100, 1000} {
		b.Run(fmt.Sprintf("subs=%d", n), func(b *testing.B) {
			h := New(Options{})
			var wg sync.WaitGroup
			var mu sync.Mutex
			lagged := 0
			for range n {
				wg.Go(func() {
					l := drain(h, "t")
					mu.Lock()
					lagged += l
					mu.Unlock()
				})
			}
			for h.Stats().Subscribers < n {
				runtime.Gosched()
			}
			e := Event{Topic: "t", Kind: "entity.updated", Actor: "system", Data: []byte(`{"id":"x","version":2}`)}
			for b.Loop() {
				h.Publish(e)
			}
			b.StopTimer()
			h.Close()
			wg.Wait()
			b.ReportMetric(float64(lagged)/float64(b.N), "lagged/op")
		})
	}
}

// BenchmarkDeliveryLatency publishes one event at a time and measures how
// long each of n subscribers takes to receive it.
func BenchmarkDeliveryLatency(b *testing.B) {
	for _, n := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("subs=%d", n), func(b *testing.B) {
			h := New(Options{})
			defer h.Close()
			lat := make([][]time.Duration, n)
			var got sync.WaitGroup
			var done sync.WaitGroup
			for i := range n {
				s, err := h.Subscribe("t", 0)
				if err != nil {
					b.Fatal(err)
				}
				done.Go(func() {
					for e := range s.C() {
						lat[i] = append(lat[i], time.Since(e.At))
						got.Done()
					}
				})
			}
			for b.Loop() {
				got.Add(n)
				h.Publish(Event{Topic: "t", At: time.Now()})
				got.Wait()
			}
			b.StopTimer()
			h.Close()
			done.Wait()
			all := slices.Concat(lat...)
			slices.Sort(all)
			b.ReportMetric(float64(all[len(all)/2]), "p50-ns")
			b.ReportMetric(float64(all[len(all)*99/100]), "p99-ns")
		})
	}
}

// BenchmarkIdleSubscriber measures the memory, heap and goroutine stack,
// that 10000 subscriptions waiting on one quiet topic hold.
func BenchmarkIdleSubscriber(b *testing.B) {
	const n = 10000
	var total float64
	for b.Loop() {
		h := New(Options{})
		h.Publish(Event{Topic: "t"})
		before := inUse()
		subs := make([]*Subscription, n)
		for i := range subs {
			s, err := h.Subscribe("t", 0)
			if err != nil {
				b.Fatal(err)
			}
			subs[i] = s
		}
		time.Sleep(10 * time.Millisecond) // let every subscription park
		total += float64(inUse()-before) / n
		runtime.KeepAlive(subs)
		h.Close()
	}
	b.ReportMetric(total/float64(b.N), "bytes/sub")
}

func inUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc + m.StackInuse)
}
