package layout

import (
	"strconv"
	"strings"
)

// generatedPages returns a page for each entity type that no DataGrid of
// the declared pages shows, in entity type order. A name or route that a
// page already has gets a numeric suffix: "Tasks 2", "/tasks-2".
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
		if b.covered[name] || done[name] {
			continue
		}
		done[name] = true
		pg := b.x.generatedPage(b.x.entity(name))
		pg.Name = claimFree(names, pg.Name, " ")
		pg.Route = claimFree(routes, pg.Route, "-")
		out = append(out, pg)
	}
	return out
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

// generatedPage is the page of entity type e: a button opening a modal
// form, and a grid whose rows open the same form and can be deleted.
//
//	new-task         Button    row 0, span 3: "New Task", onClick: openModal task-form
//	task-grid        DataGrid  row 1, span 12: onRowClick: openModal task-form, onRowDelete: deleteEntity
//	task-form        Modal     "New Task"
//	task-form-fields   Form    every field; onSubmit: submitForm, onSuccess: closeModal task-form
func (x *modelIndex) generatedPage(e *entityInfo) Page {
	display := displayName(e.typ.Name, e.typ.DisplayName)
	name := plural(display)
	route := kebab(name)
	if kebab(display) == "" { // no letters nor digits: "***"
		route = kebab(plural(e.typ.Name))
	}
	k := kebab(e.typ.Name)
	if n := maxComponentID - len("-form-fields"); len(k) > n {
		k = strings.TrimRight(k[:n], "-") // entity names are ASCII
	}
	modal := k + "-form"
	return Page{
		Name: name, Route: "/" + route, Title: name, Entity: e.typ.Name, Generated: true,
		Components: []Component{
			{
				ID: "new-" + k, Type: TypeButton, Position: &Position{Row: 0, Col: 0, Span: 3},
				Props:   map[string]any{"label": "New " + display},
				Actions: map[string]Action{"onClick": {Type: ActionOpenModal, Modal: modal}},
			},
			{
				ID: k + "-grid", Type: TypeDataGrid, Position: &Position{Row: 1, Col: 0, Span: 12},
				Props: map[string]any{"entity": e.typ.Name, "columns": defaultColumns(e), "pageSize": defaultPageSize},
				Actions: map[string]Action{
					"onRowClick":  {Type: ActionOpenModal, Modal: modal},
					"onRowDelete": {Type: ActionDeleteEntity, Confirm: "Delete this " + display + "?"},
				},
			},
			{
				ID: modal, Type: TypeModal,
				Props: map[string]any{"title": "New " + display},
				Children: []Component{{
					ID: modal + "-fields", Type: TypeForm,
					Props: map[string]any{"entity": e.typ.Name, "fields": e.dataFields(), "submitLabel": defaultSubmitLabel},
					Actions: map[string]Action{
						"onSubmit":  {Type: ActionSubmitForm},
						"onSuccess": {Type: ActionCloseModal, Modal: modal},
					},
				}},
			},
		},
	}
}
