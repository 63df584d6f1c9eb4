package layout

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/torquehq/torque"
)

// countingCache returns a cache of size whose builds are counted in n.
func countingCache(size int, n *atomic.Int64) *Cache {
	c := NewCache(size)
	c.build = func(m *torque.Model) (*Layout, error) {
		n.Add(1)
		return Build(m)
	}
	return c
}

// version returns a copy of m at version v.
func version(m *torque.Model, v int64) *torque.Model {
	c := *m
	c.Version = v
	return &c
}

func TestCacheBuildsOncePerVersion(t *testing.T) {
	var builds atomic.Int64
	c := countingCache(0, &builds)
	m := todoModel(t)
	m.ID = "m1"

	l1, err := c.Get(m)
	if err != nil {
		t.Fatal(err)
	}
	l2, _ := c.Get(m)
	if l1 != l2 || builds.Load() != 1 {
		t.Errorf("got %d builds and layouts %p %p, want one build, one layout", builds.Load(), l1, l2)
	}

	l3, _ := c.Get(version(m, 2))
	if l3 == l1 || l3.Version != 2 || builds.Load() != 2 {
		t.Errorf("got %d builds, version %d: a new version must be built", builds.Load(), l3.Version)
	}

	other := version(m, 1)
	other.ID = "m2" // deleted and created again under the same name
	if l4, _ := c.Get(other); l4 == l1 || builds.Load() != 3 {
		t.Errorf("got %d builds: a model with another ID must be built", builds.Load())
	}
	if c.Len() != 3 {
		t.Errorf("got %d entries, want 3", c.Len())
	}
}

func TestCacheKeepsErrors(t *testing.T) {
	var builds atomic.Int64
	c := countingCache(0, &builds)
	m := testModel(t, `[{"name": ""}]`)
	_, err1 := c.Get(m)
	_, err2 := c.Get(m)
	if err1 == nil || err1 != err2 || builds.Load() != 1 {
		t.Errorf("got errors %v, %v after %d builds, want one error, one build", err1, err2, builds.Load())
	}
}

func TestCacheEvictsTheLeastRecentlyUsed(t *testing.T) {
	var builds atomic.Int64
	c := countingCache(2, &builds)
	m := todoModel(t)
	v1, v2, v3 := version(m, 1), version(m, 2), version(m, 3)
	for _, step := range []struct {
		m      *torque.Model
		builds int64
	}{
		{v1, 1}, {v2, 2}, {v1, 2}, // v1 is now the most recent
		{v3, 3},          // evicts v2
		{v1, 3}, {v3, 3}, // still cached
		{v2, 4}, // built again, evicts v1
		{v1, 5},
	} {
		if _, err := c.Get(step.m); err != nil {
			t.Fatal(err)
		}
		if got := builds.Load(); got != step.builds {
			t.Fatalf("after Get of version %d: got %d builds, want %d", step.m.Version, got, step.builds)
		}
	}
	if c.Len() != 2 {
		t.Errorf("got %d entries, want 2", c.Len())
	}
}

func TestCacheForget(t *testing.T) {
	var builds atomic.Int64
	c := countingCache(0, &builds)
	todo, work := todoModel(t), testModel(t, "")
	for _, m := range []*torque.Model{todo, version(todo, 2), work} {
		if _, err := c.Get(m); err != nil {
			t.Fatal(err)
		}
	}
	c.Forget("TODO")
	c.Forget("unknown")
	if c.Len() != 1 {
		t.Errorf("got %d entries, want 1 (work)", c.Len())
	}
	for _, m := range []*torque.Model{work, todo} {
		if _, err := c.Get(m); err != nil {
			t.Fatal(err)
		}
	}
	if builds.Load() != 4 {
		t.Errorf("got %d builds, want 4 (TODO built again, work not)", builds.Load())
	}
}

func TestCacheConcurrentGet(t *testing.T) {
	var builds atomic.Int64
	release := make(chan struct{})
	c := NewCache(4)
	c.build = func(m *torque.Model) (*Layout, error) {
		builds.Add(1)
		<-release // every caller arriving meanwhile must wait for this build
		return Build(m)
	}
	m := todoModel(t)
	const callers = 32
	layouts := make([]*Layout, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			l, err := c.Get(m)
			if err != nil {
				t.Error(err)
			}
			layouts[i] = l
		})
	}
	close(release)
	wg.Wait()
	if builds.Load() != 1 {
		t.Errorf("got %d builds, want 1", builds.Load())
	}
	for i, l := range layouts {
		if l == nil || l != layouts[0] {
			t.Fatalf("caller %d got layout %p, want %p", i, l, layouts[0])
		}
	}

	// Many versions, evictions and Forget at once: for the race detector.
	for i := range 8 {
		wg.Go(func() {
			for v := range int64(20) {
				l, err := c.Get(version(m, v%6))
				if err != nil || l.Version != v%6 {
					t.Errorf("got version %v, %v, want %d", l, err, v%6)
					return
				}
				if i == 0 && v%5 == 0 {
					c.Forget(m.Name)
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkCacheGet(b *testing.B) {
	c := NewCache(0)
	m := todoModel(b)
	if _, err := c.Get(m); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.Get(m); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
