package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"sync"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/bus"
	"github.com/torquehq/torque/internal/jsonrpc"
	"github.com/torquehq/torque/internal/layout"
	"github.com/torquehq/torque/internal/service"
)

// Notifications sent over the WebSocket.
const (
	// notePageChanged: the model changed; params are a PageResult of the
	// subscribed page (page null when it is gone) with the subscription.
	notePageChanged = "pageChanged"
	// noteDataChanged: an entity of a type the page shows changed.
	noteDataChanged = "dataChanged"
	// noteEnded: the subscription ended (the client reloads, or signs in
	// again, and subscribes anew).
	noteEnded = "subscriptionEnded"
)

// conn is the state of one WebSocket connection: its subscriptions.
type conn struct {
	c    *jsonrpc.Conn
	mu   sync.Mutex
	subs map[string]*pageSub
	next int
}

type connKey struct{}

func (h *Handler) openConn(ctx context.Context, c *jsonrpc.Conn) context.Context {
	return context.WithValue(ctx, connKey{}, &conn{c: c, subs: map[string]*pageSub{}})
}

// closeConn ends the connection's subscriptions.
func (h *Handler) closeConn(c *jsonrpc.Conn) {
	st, _ := c.Context().Value(connKey{}).(*conn)
	if st == nil {
		return
	}
	st.mu.Lock()
	subs := st.subs
	st.subs = map[string]*pageSub{}
	st.mu.Unlock()
	for _, s := range subs {
		s.stop()
	}
}

// pageSub follows one page of one app for a connection: the model (for
// layout changes) and the entity types the page shows (for data changes).
type pageSub struct {
	h     *Handler
	id    string
	conn  *conn
	app   *torque.App
	page  string // the page's name
	actor context.Context

	mu       sync.Mutex
	stopped  bool
	model    *service.Stream
	entities map[string]*service.Stream // by entity type
	wg       sync.WaitGroup
}

type subscribeParams struct {
	App  string `json:"app" jsonrpc:"required"`
	Page string `json:"page"`
}

// Subscribed is the answer of subscribe: the subscription's id and the
// page as it is now (notifications follow from there).
type Subscribed struct {
	Subscription string `json:"subscription"`
	PageResult
}

func (h *Handler) subscribe(ctx context.Context, raw json.RawMessage) (any, error) {
	var p subscribeParams
	if err := jsonrpc.DecodeParams(raw, &p); err != nil {
		return nil, err
	}
	st, _ := ctx.Value(connKey{}).(*conn)
	if st == nil {
		return nil, &jsonrpc.Error{Code: jsonrpc.CodeMethodNotFound, Message: "subscribe is served over the WebSocket at /rpc/ws only"}
	}
	app, err := h.svc.App(ctx, p.App)
	if err != nil {
		return nil, err
	}
	// Follow the model first, then read it: a change in between is heard.
	model, err := h.svc.SubscribeModel(ctx, app.Model, 0)
	if err != nil {
		return nil, err
	}
	l, app, err := h.appLayout(ctx, p.App)
	if err != nil {
		model.Close()
		return nil, err
	}
	res, err := pageResult(app, l, p.Page)
	if err == nil {
		res.Rights, err = h.svc.Rights(ctx, app.Name)
	}
	if err != nil {
		model.Close()
		return nil, err
	}
	st.mu.Lock()
	if len(st.subs) >= maxSubscriptions {
		st.mu.Unlock()
		model.Close()
		return nil, torque.Errorf(torque.ETOOLARGE, "a connection may hold at most %d subscriptions", maxSubscriptions)
	}
	st.next++
	s := &pageSub{h: h, id: "s" + strconv.Itoa(st.next), conn: st, app: app, page: res.Page.Name,
		actor: actorContext(ctx, st.c.Context()), model: model, entities: map[string]*service.Stream{}}
	st.subs[s.id] = s
	st.mu.Unlock()
	if err := s.follow(ctx, h.followedTypes(ctx, app, res.Page)); err != nil {
		s.end()
		return nil, err
	}
	s.wg.Add(1)
	go s.watchModel()
	return Subscribed{Subscription: s.id, PageResult: *res}, nil
}

type unsubscribeParams struct {
	Subscription string `json:"subscription" jsonrpc:"required"`
}

func (h *Handler) unsubscribe(ctx context.Context, raw json.RawMessage) (any, error) {
	var p unsubscribeParams
	if err := jsonrpc.DecodeParams(raw, &p); err != nil {
		return nil, err
	}
	st, _ := ctx.Value(connKey{}).(*conn)
	if st == nil {
		return nil, &jsonrpc.Error{Code: jsonrpc.CodeMethodNotFound, Message: "unsubscribe is served over the WebSocket at /rpc/ws only"}
	}
	st.mu.Lock()
	s := st.subs[p.Subscription]
	delete(st.subs, p.Subscription)
	st.mu.Unlock()
	if s == nil {
		return nil, &torque.Error{Code: torque.ENOTFOUND, Message: "no such subscription",
			Fields: map[string]string{"subscription": fmt.Sprintf("no subscription %q on this connection", p.Subscription)}}
	}
	s.stop()
	return map[string]bool{"unsubscribed": true}, nil
}

// actorContext is the connection's context carrying the actor of the call
// ctx: subscriptions outlive the call that made them, not the connection.
func actorContext(call, connection context.Context) context.Context {
	return torque.WithActor(connection, torque.ActorFrom(call))
}

// followedTypes lists the entity types whose data changes a page hears:
// those its components show, and those they refer to (the "from" end of a
// one-to-one or one-to-many relationship to a shown type), whose names the
// page shows in reference columns and fields.
func (h *Handler) followedTypes(ctx context.Context, app *torque.App, page *layout.Page) []string {
	shown := entitiesOf(page)
	m, err := h.svc.Model(ctx, app.Model)
	if err != nil {
		return shown // the page's own types still follow; the model's next change resubscribes
	}
	set := make(map[string]bool, len(shown))
	for _, t := range shown {
		set[t] = true
	}
	out := shown
	for _, r := range m.Relationships {
		if r.Kind != torque.ManyToMany && set[r.To] && !set[r.From] {
			set[r.From] = true
			out = append(out, r.From)
		}
	}
	sort.Strings(out)
	return out
}

// entitiesOf lists the entity types the components of page show.
func entitiesOf(page *layout.Page) []string {
	set := map[string]bool{}
	var walk func([]layout.Component)
	walk = func(cs []layout.Component) {
		for _, c := range cs {
			if e, ok := c.Props["entity"].(string); ok && e != "" {
				set[e] = true
			}
			walk(c.Children)
		}
	}
	if page != nil {
		walk(page.Components)
	}
	out := make([]string, 0, len(set))
	for e := range set {
		out = append(out, e)
	}
	sort.Strings(out)
	return out
}

// follow makes the subscription follow exactly the entity types types,
// opening and closing entity streams as needed.
func (s *pageSub) follow(ctx context.Context, types []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return nil
	}
	want := map[string]bool{}
	for _, t := range types {
		want[t] = true
		if s.entities[t] != nil {
			continue
		}
		st, err := s.h.svc.SubscribeEntities(ctx, s.app.Name, t, 0)
		if err != nil {
			return err
		}
		s.entities[t] = st
		s.wg.Add(1)
		go s.watchEntities(st)
	}
	for t, st := range s.entities {
		if !want[t] {
			delete(s.entities, t)
			go st.Close()
		}
	}
	return nil
}

// watchModel sends pageChanged with the new layout of the page on every
// model change, and follows the entity types the new page shows.
func (s *pageSub) watchModel() {
	defer s.wg.Done()
	for range s.model.C() {
		l, app, err := s.h.appLayout(s.actor, s.app.Name)
		if err != nil {
			s.endWith(err)
			return
		}
		res, err := pageResult(app, l, s.page)
		if torque.ErrorCode(err) == torque.ENOTFOUND {
			res = &PageResult{App: app.Name, Model: l.Model, Version: l.Version, Pages: links(l)}
		} else if err != nil {
			s.endWith(err)
			return
		}
		if res.Rights, err = s.h.svc.Rights(s.actor, app.Name); err != nil {
			s.endWith(err)
			return
		}
		if err := s.follow(s.actor, s.h.followedTypes(s.actor, app, res.Page)); err != nil {
			s.endWith(err)
			return
		}
		if err := s.conn.c.Notify(notePageChanged, Subscribed{Subscription: s.id, PageResult: *res}); err != nil {
			return // the connection is going
		}
	}
	s.endWith(s.model.Err())
}

func links(l *layout.Layout) []PageLink {
	out := make([]PageLink, len(l.Pages))
	for i, pg := range l.Pages {
		out[i] = PageLink{Name: pg.Name, Route: pg.Route, Title: pg.Title, Entity: pg.Entity}
	}
	return out
}

// DataChanged is the params of the dataChanged notification.
type DataChanged struct {
	Subscription string `json:"subscription"`
	service.EntityEventData
	Kind string `json:"kind"`
	Seq  uint64 `json:"seq"`
}

func (s *pageSub) watchEntities(st *service.Stream) {
	defer s.wg.Done()
	for ev := range st.C() {
		var d service.EntityEventData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			continue // events are written by the services: always readable
		}
		if err := s.conn.c.Notify(noteDataChanged, DataChanged{Subscription: s.id, EntityEventData: d, Kind: ev.Kind, Seq: ev.Seq}); err != nil {
			return
		}
	}
	if err := st.Err(); err != nil {
		s.endWith(err)
	}
}

// Ended is the params of the subscriptionEnded notification.
type Ended struct {
	Subscription string `json:"subscription"`
	// Reason is "resync" (events were missed: reload the page and its data,
	// then subscribe again) or the code of the error that ended it
	// (EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND).
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

// endWith ends the subscription because of err (nil: the stream closed
// normally), telling the client why.
func (s *pageSub) endWith(err error) {
	if !s.end() || err == nil {
		return
	}
	e := Ended{Subscription: s.id, Reason: torque.ErrorCode(err), Message: torque.ErrorMessage(err)}
	if errors.Is(err, bus.ErrLagged) || errors.Is(err, bus.ErrResync) || errors.Is(err, bus.ErrClosed) {
		e.Reason, e.Message = "resync", "changes were missed: reload the page and subscribe again"
	}
	_ = s.conn.c.Notify(noteEnded, e)
}

// end removes the subscription from its connection and stops it; it
// reports whether this call did (false when it was ended already).
func (s *pageSub) end() bool {
	s.conn.mu.Lock()
	_, live := s.conn.subs[s.id]
	delete(s.conn.subs, s.id)
	s.conn.mu.Unlock()
	go s.stop() // not from one of its own goroutines' stack: stop waits for them
	return live
}

// stop closes every stream of the subscription and waits for its
// goroutines.
func (s *pageSub) stop() {
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return
	}
	s.stopped = true
	streams := []*service.Stream{s.model}
	for _, st := range s.entities {
		streams = append(streams, st)
	}
	s.entities = nil
	s.mu.Unlock()
	for _, st := range streams {
		st.Close()
	}
	s.wg.Wait()
}
