// Package layout turns a model into what the TorqueApp renders: every page
// of the model as a tree of components on a 12-column grid, and the form of
// each entity type.
//
// Pages come from the model's "pages", checked strictly with the paths of
// the model document ("pages[0].components[2].position.span"), and are
// completed with generated pages: a list for every entity type that no page
// lists in a DataGrid, and a detail page ("/tasks/{id}") for every entity
// type that no page at a route with {id} shows in a Detail. Build does the work and Cache keeps its result per model
// version; FormFor describes the form of an entity type. The package does no
// I/O: see docs/decisions/0004-torqueapp-runtime.md for where it sits.
//
// A page of the model reads:
//
//	{"name": "Tasks", "route": "/tasks", "title": "Tasks", "components": [
//	  {"id": "new-task", "type": "Button", "position": {"row": 0, "col": 0, "span": 2},
//	   "props": {"label": "New Task"}, "actions": {"onClick": {"type": "openModal", "modal": "task-form"}}},
//	  {"id": "tasks-grid", "type": "DataGrid", "position": {"row": 1, "span": 12},
//	   "props": {"entity": "Task", "columns": ["title", "status"], "sort": "-due"}},
//	  {"id": "task-form", "type": "Modal", "props": {"title": "New Task"}, "children": [
//	    {"id": "task-form-fields", "type": "Form", "props": {"entity": "Task"},
//	     "actions": {"onSubmit": {"type": "submitForm"}, "onSuccess": {"type": "closeModal", "modal": "task-form"}}}]}]}
//
// Component types, their props and their events:
//
//	DataGrid   entity (required), columns, pageSize (1-200, default 20), sort, filter; onRowClick, onRowEdit, onRowDelete
//	Form       entity (required), fields, submitLabel (default "Save"); onSubmit, onSuccess, onCancel
//	Detail     entity (required), fields; onEdit, onDelete, onBack
//	Button     label (required); onClick
//	Text       text (required)
//	Modal      title; children; never a position (it opens over the page)
//	Container  children
//
// Top-level components other than Modals need a position {row, col, span}
// (col defaults to 0, span to the rest of the row); children may have one, within their
// parent's 12 columns. Built layouts fill the defaults: a DataGrid's
// columns and pageSize, a Form's fields and submitLabel, a Detail's fields,
// and a DataGrid's onRowClick, which navigates to the detail page of its
// entity type (the row's id fills the route's {id}).
//
// A route may have one parameter, a whole segment "{id}": its page shows
// one entity, whose id the app takes from the path ("/tasks/0190…") and
// gives to the page's Detail and Form components and to its actions (see
// Layout.Match). Such pages are reached from a row, not from the navigation.
package layout

import (
	"encoding/json"

	"github.com/torquehq/torque"
)

// Component types.
const (
	TypeDataGrid  = "DataGrid"
	TypeForm      = "Form"
	TypeButton    = "Button"
	TypeText      = "Text"
	TypeModal     = "Modal"
	TypeContainer = "Container"
	TypeDetail    = "Detail"
)

// Action types.
const (
	ActionOpenModal    = "openModal"
	ActionCloseModal   = "closeModal"
	ActionNavigateTo   = "navigateTo"
	ActionRefresh      = "refresh"
	ActionSubmitForm   = "submitForm"
	ActionDeleteEntity = "deleteEntity"
)

// Component is one node of a page's component tree, on a 12-column grid.
//
// Props hold Go values of the JSON types: strings, []string for lists of
// names (DataGrid columns, Form and Detail fields) and int for pageSize.
type Component struct {
	ID       string            `json:"id"`
	Type     string            `json:"type"`               // DataGrid, Form, Button, Text, Modal, Container, Detail
	Position *Position         `json:"position,omitempty"` // absent for Modals and for children laid out by their parent
	Props    map[string]any    `json:"props"`              // never nil
	Actions  map[string]Action `json:"actions,omitempty"`  // by event: onClick, onSubmit, onRowClick, onSuccess...
	Children []Component       `json:"children,omitempty"`
}

// Position places a component on the 12 columns of its page (or parent):
// Col 0..11, Span 1..12, Col+Span <= 12, Row >= 0.
type Position struct {
	Row  int `json:"row"`
	Col  int `json:"col"`
	Span int `json:"span"`
}

// Action is what an event of a component does.
type Action struct {
	Type    string `json:"type"`              // openModal, closeModal, navigateTo, refresh, submitForm, deleteEntity
	Modal   string `json:"modal,omitempty"`   // openModal, closeModal: the id of a Modal of the page
	Page    string `json:"page,omitempty"`    // navigateTo: a page name
	Target  string `json:"target,omitempty"`  // refresh: a component id (default: the page)
	Confirm string `json:"confirm,omitempty"` // deleteEntity: the confirmation shown first
}

// Page is one page of an app.
type Page struct {
	Name  string `json:"name"`
	Route string `json:"route"` // "/tasks", "/tasks/{id}"; unique
	Title string `json:"title"`
	// Entity is the entity type a generated page lists or shows.
	Entity     string      `json:"entity,omitempty"`
	Generated  bool        `json:"generated"`
	Components []Component `json:"components"` // never nil
}

// Layout is every page of one model version.
type Layout struct {
	Model   string `json:"model"`
	Version int64  `json:"version"`
	// Pages holds the declared pages first, in model order, then the
	// generated ones in entity type order (each type's list, then its
	// detail page).
	Pages []Page `json:"pages"`
}

// Page returns the page named name, or nil.
func (l *Layout) Page(name string) *Page {
	for i := range l.Pages {
		if l.Pages[i].Name == name {
			return &l.Pages[i]
		}
	}
	return nil
}

// PageByRoute returns the page at route, or nil.
func (l *Layout) PageByRoute(route string) *Page {
	for i := range l.Pages {
		if l.Pages[i].Route == route {
			return &l.Pages[i]
		}
	}
	return nil
}

// Build returns the layout of m: its declared pages, checked, then a
// generated list page for each entity type that no DataGrid of a declared
// page shows (pages at a route with {id} do not count), and a generated
// detail page for each entity type that no Detail of a declared page at a
// route with {id} shows. Problems make an *torque.Error with code EINVALID whose Fields map
// each path of the model document ("pages[0].components[2].position.span")
// to what is wrong there; at most 100 are listed. Build is deterministic:
// the same model gives the same layout and the same JSON.
//
// Build reads m and does not keep it; the layout shares nothing with m.
func Build(m *torque.Model) (*Layout, error) {
	b := &builder{x: newModelIndex(m), p: newProblems(),
		covered: map[string]bool{}, listPages: map[string]string{}, detailPages: map[string]string{},
		pageNames: map[string]string{}, pageRoutes: map[string]string{}}
	pages := make([]Page, 0, len(m.Pages)+2*len(m.Entities))
	for i, raw := range m.Pages {
		pages = append(pages, b.declaredPage(index("pages", i), raw))
	}
	pages = append(pages, b.generatedPages(pages)...)
	b.resolvePageRefs(pages)
	for i := range pages[:len(m.Pages)] {
		b.rowClicks(&pages[i], pages[i].Components)
	}
	if err := b.p.err("invalid pages"); err != nil {
		return nil, err
	}
	return &Layout{Model: m.Name, Version: m.Version, Pages: pages}, nil
}

// builder holds the state of one Build.
type builder struct {
	x *modelIndex
	p *problems
	// covered are the entity types shown by a DataGrid of a declared page
	// without route parameters; listPages is the first such page of each.
	covered   map[string]bool
	listPages map[string]string
	// detailPages is the page showing one entity of each type: the first
	// declared page at a route with {id} holding a Detail of it, else the
	// generated one.
	detailPages map[string]string
	// pageRefs are the navigateTo actions, checked once every page is known.
	pageRefs []ref
	// pageNames and pageRoutes are those of the declared pages (the first
	// of each), by name and route, with their paths.
	pageNames  map[string]string
	pageRoutes map[string]string
}

// ref is a reference, at path, to a component or a page by name.
type ref struct {
	path, name string
}

// resolvePageRefs checks that each navigateTo names a page.
func (b *builder) resolvePageRefs(pages []Page) {
	if len(b.pageRefs) == 0 {
		return
	}
	names := make([]string, len(pages))
	known := make(map[string]bool, len(pages))
	for i := range pages {
		names[i] = pages[i].Name
		known[pages[i].Name] = true
	}
	for _, r := range b.pageRefs {
		if !known[r.name] {
			b.p.add(r.path, "no page "+quote(r.name)+suggest(r.name, names))
		}
	}
}

// MarshalJSON writes a component with props {} when it has none.
func (c Component) MarshalJSON() ([]byte, error) {
	type plain Component
	if c.Props == nil {
		c.Props = map[string]any{}
	}
	return json.Marshal(plain(c))
}

// MarshalJSON writes a page with components [] when it has none.
func (p Page) MarshalJSON() ([]byte, error) {
	type plain Page
	if p.Components == nil {
		p.Components = []Component{}
	}
	return json.Marshal(plain(p))
}
