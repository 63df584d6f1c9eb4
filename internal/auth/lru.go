package auth

import "container/list"

// lru maps keys to values and holds at most capacity of them, forgetting
// the least recently used first. It is not safe for concurrent use; its
// owners lock around it.
type lru[V any] struct {
	capacity int
	order    *list.List // of *lruEntry[V], most recently used first
	items    map[string]*list.Element
}

type lruEntry[V any] struct {
	key   string
	value V
}

func newLRU[V any](capacity int) *lru[V] {
	return &lru[V]{capacity: capacity, order: list.New(), items: make(map[string]*list.Element)}
}

// get returns key's value and marks it most recently used.
func (c *lru[V]) get(key string) (V, bool) {
	e, ok := c.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*lruEntry[V]).value, true
}

// add stores value under key, which must be absent, as most recently used,
// and forgets the least recently used key when over capacity.
func (c *lru[V]) add(key string, value V) {
	c.items[key] = c.order.PushFront(&lruEntry[V]{key: key, value: value})
	if c.order.Len() > c.capacity {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.items, oldest.Value.(*lruEntry[V]).key)
	}
}

// remove forgets key.
func (c *lru[V]) remove(key string) {
	if e, ok := c.items[key]; ok {
		c.order.Remove(e)
		delete(c.items, key)
	}
}

// len returns the number of keys held.
func (c *lru[V]) len() int { return c.order.Len() }
