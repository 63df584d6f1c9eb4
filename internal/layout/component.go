package layout

import (
	"fmt"
	"slices"
	"strings"
)

// componentType describes one type of component: its props, the events its
// actions answer and whether it has children.
type componentType struct {
	name     string
	props    []string
	events   []string
	children bool
	// check reads props (nil when absent; its keys are known) at path into
	// out, filling defaults.
	check func(pc *pageCheck, path string, props *value, out map[string]any)
}

// componentTypes lists every component type.
var componentTypes = []*componentType{
	{name: TypeDataGrid, props: []string{"entity", "columns", "pageSize", "sort", "filter"},
		events: []string{"onRowClick", "onRowEdit", "onRowDelete"}, check: checkDataGrid},
	{name: TypeForm, props: []string{"entity", "fields", "submitLabel"},
		events: []string{"onSubmit", "onSuccess", "onCancel"}, check: checkForm},
	{name: TypeButton, props: []string{"label"}, events: []string{"onClick"}, check: checkButton},
	{name: TypeText, props: []string{"text"}, check: checkText},
	{name: TypeModal, props: []string{"title"}, children: true, check: checkModal},
	{name: TypeContainer, children: true, check: func(*pageCheck, string, *value, map[string]any) {}},
	{name: TypeDetail, props: []string{"entity", "fields"},
		events: []string{"onEdit", "onDelete", "onBack"}, check: checkDetail},
}

// componentTypeNames are the names of componentTypes, for messages.
var componentTypeNames = func() []string {
	names := make([]string, len(componentTypes))
	for i, t := range componentTypes {
		names[i] = t.name
	}
	return names
}()

func lookupComponentType(name string) *componentType {
	for _, t := range componentTypes {
		if t.name == name {
			return t
		}
	}
	return nil
}

// maxComponentID is the longest component id.
const maxComponentID = 64

// validID reports whether id is 1 to 64 ASCII letters, digits, "_" or "-".
func validID(id string) bool {
	if id == "" || len(id) > maxComponentID {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// pageCheck reads the components of one declared page.
type pageCheck struct {
	b    *builder
	page string
	// entityPage is true when the page's route has the parameter {id}.
	entityPage bool
	ids        map[string]componentID
	// modalRefs and targetRefs are the component ids actions name,
	// checked once the whole page is read.
	modalRefs, targetRefs []ref
}

// componentID is where a component id was first used, and by which type.
type componentID struct {
	path, typ string
}

// list reads the array of components v at path; top says whether they are
// the page's own components (which need a position) or children.
func (pc *pageCheck) list(path string, v *value, top bool) []Component {
	out := make([]Component, 0, len(v.items))
	if v.kind != kindArray {
		pc.b.p.add(path, "must be an array")
		return out
	}
	for i, item := range v.items {
		out = append(out, pc.component(index(path, i), item, top))
	}
	return out
}

// component reads one component at path.
func (pc *pageCheck) component(path string, v *value, top bool) Component {
	b := pc.b
	c := Component{Props: map[string]any{}}
	if v.kind != kindObject {
		b.p.add(path, "must be an object")
		return c
	}
	var position, props, actions, children *value
	b.object(path, v, func(key, p string, val *value) bool {
		switch key {
		case "id":
			c.ID, _ = b.str(p, val)
		case "type":
			c.Type, _ = b.str(p, val)
		case "position":
			position = val
		case "props":
			props = val
		case "actions":
			actions = val
		case "children":
			children = val
		default:
			return false
		}
		return true
	})

	var ct *componentType
	switch tv := v.get("type"); {
	case tv == nil:
		b.p.add(path+".type", "is required")
	case tv.kind != kindString:
	default:
		if ct = lookupComponentType(c.Type); ct == nil {
			b.p.add(path+".type", "unknown component type "+quote(c.Type)+suggest(c.Type, componentTypeNames)+
				" (known: "+strings.Join(componentTypeNames, ", ")+")")
		}
	}

	switch idv := v.get("id"); {
	case idv == nil:
		b.p.add(path+".id", "is required")
	case idv.kind != kindString:
	case !validID(c.ID):
		b.p.add(path+".id", fmt.Sprintf(`must be 1 to %d letters, digits, "_" or "-"`, maxComponentID))
	default:
		if first, dup := pc.ids[c.ID]; dup {
			b.p.add(path+".id", "component id "+quote(c.ID)+" is already used by "+first.path)
		} else {
			pc.ids[c.ID] = componentID{path: path, typ: c.Type}
		}
	}

	pp := path + ".position"
	switch {
	case position != nil && ct != nil && ct.name == TypeModal:
		b.p.add(pp, "must be absent: a Modal opens over the page")
	case position != nil:
		c.Position = pc.position(pp, position)
	case top && ct != nil && ct.name != TypeModal:
		b.p.add(pp, "is required")
	}

	pp = path + ".props"
	switch {
	case props != nil && props.kind != kindObject:
		b.p.add(pp, "must be an object")
	case ct != nil:
		if props != nil {
			b.object(pp, props, func(key, _ string, _ *value) bool { return slices.Contains(ct.props, key) })
		}
		ct.check(pc, pp, props, c.Props)
	}

	if actions != nil {
		c.Actions = pc.actions(path+".actions", actions, ct)
	}

	if children != nil {
		cp := path + ".children"
		if ct != nil && !ct.children {
			b.p.add(cp, "only Container and Modal components have children")
		} else if c.Children = pc.list(cp, children, false); len(c.Children) == 0 {
			c.Children = nil
		}
	}
	return c
}

// position reads the position v at path: row is required, col defaults to 0
// and span to the rest of the row (12 - col).
func (pc *pageCheck) position(path string, v *value) *Position {
	b := pc.b
	if v.kind != kindObject {
		b.p.add(path, "must be an object")
		return nil
	}
	pos := &Position{}
	fits := true // col and span are valid
	b.object(path, v, func(key, p string, val *value) bool {
		switch key {
		case "row":
			switch n, ok := b.integer(p, val); {
			case ok && n < 0:
				b.p.add(p, "must not be negative")
			case ok:
				pos.Row = n
			}
		case "col":
			if n, ok := b.integer(p, val); !ok {
				fits = false
			} else if n < 0 || n > 11 {
				b.p.add(p, "must be from 0 to 11")
				fits = false
			} else {
				pos.Col = n
			}
		case "span":
			if n, ok := b.integer(p, val); !ok {
				fits = false
			} else if n < 1 || n > 12 {
				b.p.add(p, "must be from 1 to 12")
				fits = false
			} else {
				pos.Span = n
			}
		default:
			return false
		}
		return true
	})
	if v.get("row") == nil {
		b.p.add(path+".row", "is required")
	}
	if v.get("span") == nil {
		pos.Span = 12 - pos.Col
	}
	if fits && pos.Col+pos.Span > 12 {
		b.p.add(path+".span", fmt.Sprintf("must be at most %d: col %d + span %d is more than 12 columns", 12-pos.Col, pos.Col, pos.Span))
	}
	return pos
}

// resolve checks the component ids the actions of the page name.
func (pc *pageCheck) resolve() {
	if len(pc.modalRefs)+len(pc.targetRefs) == 0 {
		return
	}
	ids := make([]string, 0, len(pc.ids))
	for id := range pc.ids {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, r := range pc.modalRefs {
		switch c, ok := pc.ids[r.name]; {
		case !ok:
			pc.b.p.add(r.path, "no component "+quote(r.name)+" in page "+quote(pc.page)+suggest(r.name, ids))
		case c.typ != TypeModal:
			pc.b.p.add(r.path, "component "+quote(r.name)+" is not a Modal")
		}
	}
	for _, r := range pc.targetRefs {
		if _, ok := pc.ids[r.name]; !ok {
			pc.b.p.add(r.path, "no component "+quote(r.name)+" in page "+quote(pc.page)+suggest(r.name, ids))
		}
	}
}
