package rpc

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/jsonrpc"
	"github.com/torquehq/torque/internal/layout"
)

// pageParams are those of loadPage: the page by name, or by a path that
// its route matches ("/tasks/0190…" for the route "/tasks/{id}"); none
// means the app's first page whose route has no parameter.
type pageParams struct {
	App  string `json:"app" jsonrpc:"required"`
	Page string `json:"page"`
}

// PageLink names a page for navigation. Pages whose route has a parameter
// ("/tasks/{id}") show one entity: they are reached from a row, not listed
// in the navigation.
type PageLink struct {
	Name   string `json:"name"`
	Route  string `json:"route"`
	Title  string `json:"title"`
	Entity string `json:"entity,omitempty"` // the entity type a generated page lists or shows
}

// PageResult is the answer of loadPage and the params of the pageChanged
// notification.
type PageResult struct {
	App     string       `json:"app"`
	Model   string       `json:"model"`
	Version int64        `json:"version"`
	Page    *layout.Page `json:"page"`
	// Params are the route parameters of the path loadPage was asked for
	// ({"id": "0190…"}); absent when it named the page or its route has none.
	Params map[string]string `json:"params,omitempty"`
	Pages  []PageLink        `json:"pages"`
	// Rights says, per entity type, what the caller may do (read, create,
	// update, delete: true, false or "own"), so the app offers only that.
	Rights map[string]torque.OpGrants `json:"rights"`
}

func (h *Handler) loadPage(ctx context.Context, raw json.RawMessage) (any, error) {
	var p pageParams
	if err := jsonrpc.DecodeParams(raw, &p); err != nil {
		return nil, err
	}
	l, app, err := h.appLayout(ctx, p.App)
	if err != nil {
		return nil, err
	}
	res, err := pageResult(app, l, p.Page)
	if err != nil {
		return nil, err
	}
	if res.Rights, err = h.svc.Rights(ctx, app.Name); err != nil {
		return nil, err
	}
	return res, nil
}

// appLayout returns the layout of the current model version of app.
func (h *Handler) appLayout(ctx context.Context, name string) (*layout.Layout, *torque.App, error) {
	app, err := h.svc.App(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	m, err := h.svc.Model(ctx, app.Model)
	if err != nil {
		return nil, nil, err
	}
	l, err := h.layouts.Get(m)
	if err != nil {
		return nil, nil, err
	}
	return l, app, nil
}

// pageResult finds page (a name or a path; "" for the first page) in l.
func pageResult(app *torque.App, l *layout.Layout, page string) (*PageResult, error) {
	res := &PageResult{App: app.Name, Model: l.Model, Version: l.Version, Pages: links(l)}
	switch {
	case page == "":
		for i := range l.Pages {
			if !layout.HasParams(l.Pages[i].Route) {
				res.Page = &l.Pages[i]
				break
			}
		}
	case strings.HasPrefix(page, "/"):
		res.Page, res.Params = l.Match(page)
	default:
		res.Page = l.Page(page)
	}
	if res.Page == nil {
		if page == "" && len(l.Pages) == 0 {
			return nil, torque.Errorf(torque.ENOTFOUND, "app %q has no pages", app.Name)
		}
		if page == "" {
			// Every page's route takes a parameter, such as /tasks/{id}:
			// none can open without one.
			return nil, torque.Errorf(torque.ENOTFOUND, "app %q has no page without a route parameter to open first: name a page or a path", app.Name)
		}
		return nil, &torque.Error{Code: torque.ENOTFOUND, Message: fmt.Sprintf("app %q has no page %q", app.Name, page),
			Fields: map[string]string{"page": "no such page"}}
	}
	return res, nil
}

// dataParams are those of loadEntityData. search keeps the entities whose
// text fields contain it, ignoring case; it is combined with filter.
type dataParams struct {
	App    string `json:"app" jsonrpc:"required"`
	Entity string `json:"entity" jsonrpc:"required"`
	Filter string `json:"filter"`
	Sort   string `json:"sort"`
	Limit  int    `json:"limit"`
	Cursor string `json:"cursor"`
	Search string `json:"search"`
	Count  bool   `json:"count"`
}

// maxSearch bounds the search text.
const maxSearch = 200

func (h *Handler) loadEntityData(ctx context.Context, raw json.RawMessage) (any, error) {
	var p dataParams
	if err := jsonrpc.DecodeParams(raw, &p); err != nil {
		return nil, err
	}
	q := torque.EntityQuery{Filter: p.Filter, Sort: p.Sort, Limit: p.Limit, Cursor: p.Cursor, Count: p.Count}
	if p.Search = strings.TrimSpace(p.Search); p.Search != "" {
		if len([]rune(p.Search)) > maxSearch {
			return nil, torque.Invalid("invalid search", map[string]string{"search": fmt.Sprintf("must be at most %d characters", maxSearch)})
		}
		search, err := h.searchFilter(ctx, p.App, p.Entity, p.Search)
		if err != nil {
			return nil, err
		}
		if q.Filter != "" {
			q.Filter = "(" + q.Filter + ") and (" + search + ")"
		} else {
			q.Filter = search
		}
	}
	page, err := h.svc.Entities(ctx, p.App, p.Entity, q)
	if err != nil {
		return nil, err
	}
	return page, nil
}

// searchFilter is a filter keeping the entities of typ whose text fields
// contain text: `a ~ "text" or b ~ "text"`.
func (h *Handler) searchFilter(ctx context.Context, appName, typ, text string) (string, error) {
	app, err := h.svc.App(ctx, appName)
	if err != nil {
		return "", err
	}
	m, err := h.svc.Model(ctx, app.Model)
	if err != nil {
		return "", err
	}
	et := m.EntityType(typ)
	if et == nil {
		return "", torque.Errorf(torque.ENOTFOUND, "app %q has no entity type %q", appName, typ)
	}
	lit, err := json.Marshal(text)
	if err != nil {
		return "", fmt.Errorf("encode search: %w", err)
	}
	var terms []string
	for _, f := range et.Fields {
		switch f.Type {
		case torque.FieldString, torque.FieldText, torque.FieldEmail, torque.FieldURL, torque.FieldEnum:
			terms = append(terms, f.Name+" ~ "+string(lit))
		}
	}
	if len(terms) == 0 {
		return "", torque.Invalid("invalid search", map[string]string{"search": fmt.Sprintf("%s has no text fields to search", typ)})
	}
	return strings.Join(terms, " or "), nil
}

// formParams are those of getFormDefinition: the form of an entity type,
// for a new entity or, with id, for editing one (whose current values come
// along); fields picks and orders the fields shown.
type formParams struct {
	App    string   `json:"app" jsonrpc:"required"`
	Entity string   `json:"entity" jsonrpc:"required"`
	ID     string   `json:"id"`
	Fields []string `json:"fields"`
}

// FormResult is the answer of getFormDefinition.
type FormResult struct {
	Form   *layout.Form   `json:"form"`
	Entity *torque.Entity `json:"entity,omitempty"`
}

func (h *Handler) getFormDefinition(ctx context.Context, raw json.RawMessage) (any, error) {
	var p formParams
	if err := jsonrpc.DecodeParams(raw, &p); err != nil {
		return nil, err
	}
	app, err := h.svc.App(ctx, p.App)
	if err != nil {
		return nil, err
	}
	m, err := h.svc.Model(ctx, app.Model)
	if err != nil {
		return nil, err
	}
	res := &FormResult{}
	if p.ID != "" {
		// Reading the entity checks the right to read it (and that the
		// type exists in the app).
		if res.Entity, err = h.svc.Entity(ctx, p.App, p.Entity, p.ID); err != nil {
			return nil, err
		}
	}
	if res.Form, err = layout.FormFor(m, p.Entity, p.Fields); err != nil {
		return nil, err
	}
	return res, nil
}

type createParams struct {
	App    string          `json:"app" jsonrpc:"required"`
	Entity string          `json:"entity" jsonrpc:"required"`
	Data   json.RawMessage `json:"data" jsonrpc:"required"`
}

func (h *Handler) createEntity(ctx context.Context, raw json.RawMessage) (any, error) {
	var p createParams
	if err := jsonrpc.DecodeParams(raw, &p); err != nil {
		return nil, err
	}
	return h.svc.CreateEntity(ctx, p.App, p.Entity, p.Data)
}

type updateParams struct {
	App     string          `json:"app" jsonrpc:"required"`
	Entity  string          `json:"entity" jsonrpc:"required"`
	ID      string          `json:"id" jsonrpc:"required"`
	Data    json.RawMessage `json:"data" jsonrpc:"required"`
	Version int64           `json:"version" jsonrpc:"required"`
}

func (h *Handler) updateEntity(ctx context.Context, raw json.RawMessage) (any, error) {
	var p updateParams
	if err := jsonrpc.DecodeParams(raw, &p); err != nil {
		return nil, err
	}
	return h.svc.UpdateEntity(ctx, p.App, p.Entity, p.ID, p.Version, p.Data)
}

type deleteParams struct {
	App    string `json:"app" jsonrpc:"required"`
	Entity string `json:"entity" jsonrpc:"required"`
	ID     string `json:"id" jsonrpc:"required"`
}

// Deleted is the answer of deleteEntity.
type Deleted struct {
	ID      string `json:"id"`
	Deleted bool   `json:"deleted"`
}

func (h *Handler) deleteEntity(ctx context.Context, raw json.RawMessage) (any, error) {
	var p deleteParams
	if err := jsonrpc.DecodeParams(raw, &p); err != nil {
		return nil, err
	}
	if err := h.svc.DeleteEntity(ctx, p.App, p.Entity, p.ID); err != nil {
		return nil, err
	}
	return Deleted{ID: p.ID, Deleted: true}, nil
}
