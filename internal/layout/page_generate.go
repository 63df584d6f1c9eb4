package layout

import (
	"strconv"
	"strings"
)

// generatedPages returns the generated pages, in entity type order: a list
// page for each entity type that no DataGrid of the declared pages shows,
// and a detail page for each that no declared page at a route with {id}
// shows in a Detail. A name or route that a page already has gets a
// numeric suffix: "Tasks 2", "/tasks-2", "/tasks-2/{id}".
func (b *builder) generatedPages(declared []Page) []Page {
	names := make(map[string]bool, len(declared))
	routes := make(map[string]bool, len(declared))
	for i := range declared {
		names[declared[i].Name] = true
		routes[declared[i].Route] = true
	}
	var out []Page
	done := map[string]bool{}
	for i := range b.x.m.Entities {
		name := b.x.m.Entities[i].Name
		if done[name] {
			continue
		}
		done[name] = true
		e := b.x.entity(name)
		g := newGeneratedNames(e)

		list := -1 // the index in out of the generated list page
		base := "/" + g.route
		if !b.covered[name] {
			pg := g.listPage(e)
			pg.Name = claimFree(names, pg.Name, " ")
			pg.Route = claimFree(routes, pg.Route, "-")
			b.listPages[name] = pg.Name
			base = pg.Route
			list = len(out)
			out = append(out, pg)
		}
		if _, ok := b.detailPages[name]; !ok {
			pg := g.detailPage(e, b.listPages[name])
			pg.Name = claimFree(names, pg.Name, " ")
			pg.Route = claimFreeRoute(routes, base, "/"+ParamID)
			b.detailPages[name] = pg.Name
			out = append(out, pg)
		}
		if list >= 0 {
			b.rowClicks(&out[list], out[list].Components)
		}
	}
	return out
}

// rowClicks gives each DataGrid among cs (and their children) on page pg
// without an onRowClick action one that navigates to the detail page of its
// entity type, unless that is pg.
func (b *builder) rowClicks(pg *Page, cs []Component) {
	for i := range cs {
		c := &cs[i]
		if c.Type == TypeDataGrid {
			entity, _ := c.Props["entity"].(string)
			if detail, ok := b.detailPages[entity]; ok && detail != pg.Name && c.Actions["onRowClick"].Type == "" {
				if c.Actions == nil {
					c.Actions = map[string]Action{}
				}
				c.Actions["onRowClick"] = Action{Type: ActionNavigateTo, Page: detail}
			}
		}
		b.rowClicks(pg, c.Children)
	}
}

// claimFree returns s, or s with the smallest suffix sep+n (n >= 2) that
// is not in taken, and adds it to taken.
func claimFree(taken map[string]bool, s, sep string) string {
	u := s
	for n := 2; taken[u]; n++ {
		u = s + sep + strconv.Itoa(n)
	}
	taken[u] = true
	return u
}

// claimFreeRoute returns base+tail, or base-n+tail with the smallest n >= 2
// that is not in taken, and adds it to taken.
func claimFreeRoute(taken map[string]bool, base, tail string) string {
	if base == "/" {
		base = ""
	}
	u := base + tail
	for n := 2; taken[u]; n++ {
		u = base + "-" + strconv.Itoa(n) + tail
	}
	taken[u] = true
	return u
}

// generatedNames are the names the generated pages of an entity type use.
type generatedNames struct {
	display string // what the type is called: "Task"
	plural  string // "Tasks"
	route   string // the route of its list without "/": "tasks"
	id      string // the prefix of component ids: "task"
}

func newGeneratedNames(e *entityInfo) generatedNames {
	display := displayName(e.typ.Name, e.typ.DisplayName)
	g := generatedNames{display: display, plural: plural(display), id: kebab(e.typ.Name)}
	g.route = kebab(g.plural)
	if kebab(display) == "" { // no letters nor digits: "***"
		g.route = kebab(plural(e.typ.Name))
	}
	if n := maxComponentID - len("-form-fields"); len(g.id) > n {
		g.id = strings.TrimRight(g.id[:n], "-") // entity names are ASCII
	}
	return g
}

// listPage is the page listing entity type e: a button opening a modal
// form, and a grid whose rows open the entity's detail page (generatedPages
// sets that action), can be edited in the same form, and deleted.
//
//	new-task         Button    row 0, span 3: "New Task", onClick: openModal task-form
//	task-grid        DataGrid  row 1, span 12: onRowClick: navigateTo "Task details",
//	                           onRowEdit: openModal task-form, onRowDelete: deleteEntity
//	task-form        Modal     "New Task"
//	task-form-fields   Form    every field; onSubmit: submitForm, onSuccess: closeModal task-form
func (g generatedNames) listPage(e *entityInfo) Page {
	modal := g.id + "-form"
	return Page{
		Name: g.plural, Route: "/" + g.route, Title: g.plural, Entity: e.typ.Name, Generated: true,
		Components: []Component{
			{
				ID: "new-" + g.id, Type: TypeButton, Position: &Position{Row: 0, Col: 0, Span: 3},
				Props:   map[string]any{"label": "New " + g.display},
				Actions: map[string]Action{"onClick": {Type: ActionOpenModal, Modal: modal}},
			},
			{
				ID: g.id + "-grid", Type: TypeDataGrid, Position: &Position{Row: 1, Col: 0, Span: 12},
				Props: map[string]any{"entity": e.typ.Name, "columns": defaultColumns(e), "pageSize": defaultPageSize},
				Actions: map[string]Action{
					"onRowEdit":   {Type: ActionOpenModal, Modal: modal},
					"onRowDelete": {Type: ActionDeleteEntity, Confirm: "Delete this " + g.display + "?"},
				},
			},
			g.formModal(e, "New "+g.display),
		},
	}
}

// detailPage is the page showing one entity of type e, at the route of its
// list followed by "/{id}": its fields, and actions to edit it in a modal
// form, delete it and go back to the page named list.
//
//	task-detail      Detail    row 0, span 12: every field, createdAt, updatedAt;
//	                           onEdit: openModal task-form, onDelete: deleteEntity,
//	                           onBack: navigateTo "Tasks"
//	task-form        Modal     "Edit Task"
//	task-form-fields   Form    every field; onSubmit: submitForm, onSuccess: closeModal task-form
func (g generatedNames) detailPage(e *entityInfo, list string) Page {
	modal := g.id + "-form"
	actions := map[string]Action{
		"onEdit":   {Type: ActionOpenModal, Modal: modal},
		"onDelete": {Type: ActionDeleteEntity, Confirm: "Delete this " + g.display + "?"},
	}
	if list != "" {
		actions["onBack"] = Action{Type: ActionNavigateTo, Page: list}
	}
	return Page{
		Name: g.display + " details", Route: "/" + g.route + "/" + ParamID, Title: g.display,
		Entity: e.typ.Name, Generated: true,
		Components: []Component{
			{
				ID: g.id + "-detail", Type: TypeDetail, Position: &Position{Row: 0, Col: 0, Span: 12},
				Props:   map[string]any{"entity": e.typ.Name, "fields": append(e.dataFields(), "createdAt", "updatedAt")},
				Actions: actions,
			},
			g.formModal(e, "Edit "+g.display),
		},
	}
}

// formModal is the modal holding the form of e, closed when it is saved.
func (g generatedNames) formModal(e *entityInfo, title string) Component {
	modal := g.id + "-form"
	return Component{
		ID: modal, Type: TypeModal,
		Props: map[string]any{"title": title},
		Children: []Component{{
			ID: modal + "-fields", Type: TypeForm,
			Props: map[string]any{"entity": e.typ.Name, "fields": e.dataFields(), "submitLabel": defaultSubmitLabel},
			Actions: map[string]Action{
				"onSubmit":  {Type: ActionSubmitForm},
				"onSuccess": {Type: ActionCloseModal, Modal: modal},
			},
		}},
	}
}
