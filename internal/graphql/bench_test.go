package graphql_test

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/torquehq/torque"
)

// percentiles reports the p50 and p99 of durations on b.
func percentiles(b *testing.B, durations []time.Duration) {
	slices.Sort(durations)
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(durations[len(durations)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkModelQuery reads a model with its entities, fields,
// relationships and apps over POST /graphql, as the Model Editor opens it.
func BenchmarkModelQuery(b *testing.B) {
	e := newEnv(b)
	const q = `{ model(name: "TODO") { name version entities { name fields { name type required } } relationships { name kind from to } pages flows apps { name } } }`
	var times []time.Duration
	for b.Loop() {
		start := time.Now()
		if a := e.post(admin, q, nil); a.status != 200 || len(a.Errors) > 0 {
			b.Fatalf("status %d: %s", a.status, a.body)
		}
		times = append(times, time.Since(start))
	}
	percentiles(b, times)
}

// BenchmarkEditMutation adds a field and removes it in turn with
// editModel over POST /graphql: a write with its base version, event and
// audit entry.
func BenchmarkEditMutation(b *testing.B) {
	e := newEnv(b)
	version := e.version("TODO")
	var times []time.Duration
	for i := 0; b.Loop(); i++ {
		edit := `{op: addField, entity: "Task", value: {name: "extra", type: "string"}}`
		if i%2 == 1 {
			edit = `{op: removeField, entity: "Task", field: "extra"}`
		}
		start := time.Now()
		var out struct{ EditModel struct{ Version int64 } }
		e.ok(editor, fmt.Sprintf(`mutation { editModel(name: "TODO", baseVersion: %d, edits: [%s]) { version } }`, version, edit), nil, &out)
		times = append(times, time.Since(start))
		version = out.EditModel.Version
	}
	percentiles(b, times)
}

// BenchmarkSubscribers opens n WebSocket connections, each following the
// entity changes of one type, and measures the time from the start of an
// entity write (through the service) to each client's receipt of its
// event, and the memory each connected subscriber holds in the server and
// the client together (both run in this process).
func BenchmarkSubscribers(b *testing.B) {
	for _, n := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("subs=%d", n), func(b *testing.B) {
			e := newEnv(b)
			ctx := torque.WithActor(context.Background(), torque.SystemActor)
			before := heapInUse()
			conns := make([]*websocket.Conn, n)
			for i := range conns {
				conns[i] = benchSubscribe(b, e)
			}
			for e.svc.Hub().Stats().Subscribers < n {
				time.Sleep(time.Millisecond)
			}
			perSub := float64(heapInUse()-before) / float64(n)
			task, err := e.svc.CreateEntity(ctx, "todo", "Task", json.RawMessage(`{"title": "watched"}`))
			if err != nil {
				b.Fatal(err)
			}
			for _, c := range conns {
				benchNext(b, c)
			}
			var times []time.Duration
			for i := 0; b.Loop(); i++ {
				lat := make([]time.Duration, n)
				var got sync.WaitGroup
				got.Add(n)
				start := time.Now()
				for j, c := range conns {
					go func() {
						defer got.Done()
						benchNext(b, c)
						lat[j] = time.Since(start)
					}()
				}
				if task, err = e.svc.UpdateEntity(ctx, "todo", "Task", task.ID, task.Version, json.RawMessage(fmt.Sprintf(`{"title": "t%d"}`, i))); err != nil {
					b.Fatal(err)
				}
				got.Wait()
				times = append(times, lat...)
			}
			b.StopTimer()
			percentiles(b, times)
			b.ReportMetric(perSub, "bytes/sub")
			for _, c := range conns {
				c.CloseNow()
			}
		})
	}
}

// benchSubscribe opens a connection subscribed to the Task changes of todo.
func benchSubscribe(b *testing.B, e *env) *websocket.Conn {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(e.srv.URL, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		b.Fatal(err)
	}
	write := func(v any) {
		msg, _ := json.Marshal(v)
		if err := c.Write(ctx, websocket.MessageText, msg); err != nil {
			b.Fatal(err)
		}
	}
	write(map[string]any{"type": "connection_init", "payload": map[string]string{"Authorization": "Bearer " + e.tokens[admin]}})
	if _, msg, err := c.Read(ctx); err != nil || !strings.Contains(string(msg), "connection_ack") {
		b.Fatalf("connection_init: %v %s", err, msg)
	}
	write(map[string]any{"id": "1", "type": "subscribe", "payload": map[string]string{
		"query": `subscription { entityChanged(app: "todo", type: "Task") { kind id version } }`}})
	return c
}

// benchNext reads the next event of c.
func benchNext(b *testing.B, c *websocket.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		_, msg, err := c.Read(ctx)
		if err != nil {
			b.Error(err)
			return
		}
		if strings.Contains(string(msg), `"next"`) {
			return
		}
	}
}

// heapInUse returns the bytes of heap and goroutine stacks in use after a
// collection.
func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse + m.StackInuse)
}
