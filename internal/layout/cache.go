package layout

import (
	"container/list"
	"sync"

	"github.com/torquehq/torque"
)

// DefaultCacheSize is the number of layouts a Cache of size 0 keeps.
const DefaultCacheSize = 256

// Cache keeps built layouts, and the errors of models whose pages are
// invalid, per model version, dropping the least recently used beyond its
// size. It is safe for concurrent use; concurrent callers asking for a
// version not yet built wait for one Build.
//
// A version is identified by the model's name, ID and version: a model
// version never changes, and a model deleted and created again under the
// same name has another ID. Call Forget when a model is deleted or to drop
// its versions early.
type Cache struct {
	mu      sync.Mutex
	size    int
	entries map[cacheKey]*list.Element // of *cacheEntry
	lru     *list.List                 // most recently used first
	build   func(*torque.Model) (*Layout, error)
}

type cacheKey struct {
	name, id string
	version  int64
}

type cacheEntry struct {
	key    cacheKey
	once   sync.Once
	layout *Layout
	err    error
}

// NewCache returns a cache of at most size layouts (DefaultCacheSize when
// size is 0 or less).
func NewCache(size int) *Cache {
	if size <= 0 {
		size = DefaultCacheSize
	}
	return &Cache{size: size, entries: map[cacheKey]*list.Element{}, lru: list.New(), build: Build}
}

// Get returns the layout of m, building it on first use of its version.
// The layout is shared: callers must not change it.
func (c *Cache) Get(m *torque.Model) (*Layout, error) {
	k := cacheKey{name: m.Name, id: m.ID, version: m.Version}
	c.mu.Lock()
	el, ok := c.entries[k]
	if ok {
		c.lru.MoveToFront(el)
	} else {
		el = c.lru.PushFront(&cacheEntry{key: k})
		c.entries[k] = el
		for c.lru.Len() > c.size {
			last := c.lru.Back()
			delete(c.entries, last.Value.(*cacheEntry).key)
			c.lru.Remove(last)
		}
	}
	e := el.Value.(*cacheEntry)
	c.mu.Unlock()
	e.once.Do(func() { e.layout, e.err = c.build(m) })
	return e.layout, e.err
}

// Forget drops every version of the model named model.
func (c *Cache) Forget(model string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for el := c.lru.Front(); el != nil; {
		next := el.Next()
		if e := el.Value.(*cacheEntry); e.key.name == model {
			delete(c.entries, e.key)
			c.lru.Remove(el)
		}
		el = next
	}
}

// Len returns the number of versions the cache holds.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}
