package layout

import (
	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/filter"
)

// Grid page sizes.
const (
	defaultPageSize = 20
	maxPageSize     = 200
	// maxDefaultColumns is how many fields a grid shows when its columns
	// are not given.
	maxDefaultColumns = 6
)

// defaultSubmitLabel labels a form's submit button when it has none.
const defaultSubmitLabel = "Save"

func checkDataGrid(pc *pageCheck, path string, props *value, out map[string]any) {
	b := pc.b
	e := pc.entityProp(path, props, out)
	if e != nil && !pc.entityPage {
		b.covered[e.typ.Name] = true
		if _, ok := b.listPages[e.typ.Name]; !ok {
			b.listPages[e.typ.Name] = pc.page
		}
	}

	if v := props.get("columns"); v != nil {
		p := path + ".columns"
		cols, at, ok := b.names(p, v)
		switch {
		case ok && len(v.items) == 0:
			b.p.add(p, "must name at least one column")
		case ok && e != nil:
			for i, name := range cols {
				if !e.hasDataField(name) && !isShownSystemField(name) {
					b.p.add(index(p, at[i]), pc.unknownField(e, name, true))
				}
			}
		}
		out["columns"] = cols
	} else if e != nil {
		out["columns"] = defaultColumns(e)
	}

	out["pageSize"] = defaultPageSize
	if v := props.get("pageSize"); v != nil {
		p := path + ".pageSize"
		if n, ok := b.integer(p, v); ok && (n < 1 || n > maxPageSize) {
			b.p.add(p, "must be from 1 to 200")
		} else if ok {
			out["pageSize"] = n
		}
	}

	if v := props.get("sort"); v != nil {
		p := path + ".sort"
		if s, ok := b.str(p, v); ok {
			keys, err := filter.ParseSort(s)
			if err == nil && e != nil {
				err = filter.CheckSort(keys, e.fieldType)
			}
			if err != nil {
				b.p.add(p, problemOf(err, "sort"))
			}
			out["sort"] = s
		}
	}

	if v := props.get("filter"); v != nil {
		p := path + ".filter"
		if s, ok := b.str(p, v); ok {
			expr, err := filter.Parse(s)
			if err == nil && e != nil {
				err = filter.Check(expr, e.fieldType)
			}
			if err != nil {
				b.p.add(p, problemOf(err, "filter"))
			}
			out["filter"] = s
		}
	}
}

// defaultColumns are the columns of a grid of e that names none: its
// first fields, leaving out json and text ones; "id" when there are none.
func defaultColumns(e *entityInfo) []string {
	cols := []string{}
	for i := range e.typ.Fields {
		f := &e.typ.Fields[i]
		if f.Type == torque.FieldJSON || f.Type == torque.FieldText {
			continue
		}
		if cols = append(cols, f.Name); len(cols) == maxDefaultColumns {
			break
		}
	}
	if len(cols) == 0 {
		cols = append(cols, "id")
	}
	return cols
}

// problemOf returns the problem the filter package reports for key.
func problemOf(err error, key string) string {
	if msg := torque.ErrorFields(err)[key]; msg != "" {
		return msg
	}
	return err.Error()
}

func checkForm(pc *pageCheck, path string, props *value, out map[string]any) {
	e := pc.entityProp(path, props, out)
	pc.fieldsProp(path, props, out, e, false)
	out["submitLabel"] = defaultSubmitLabel
	if v := props.get("submitLabel"); v != nil {
		if s, ok := pc.b.str(path+".submitLabel", v); ok {
			out["submitLabel"] = s
		}
	}
}

func checkDetail(pc *pageCheck, path string, props *value, out map[string]any) {
	e := pc.entityProp(path, props, out)
	if e != nil && pc.entityPage {
		if _, ok := pc.b.detailPages[e.typ.Name]; !ok {
			pc.b.detailPages[e.typ.Name] = pc.page
		}
	}
	pc.fieldsProp(path, props, out, e, true)
}

func checkButton(pc *pageCheck, path string, props *value, out map[string]any) {
	p := path + ".label"
	v := props.get("label")
	if v == nil {
		pc.b.p.add(p, "is required")
		return
	}
	if s, ok := pc.b.str(p, v); ok {
		if s == "" {
			pc.b.p.add(p, "must not be empty")
		}
		out["label"] = s
	}
}

func checkText(pc *pageCheck, path string, props *value, out map[string]any) {
	p := path + ".text"
	v := props.get("text")
	if v == nil {
		pc.b.p.add(p, "is required")
		return
	}
	if s, ok := pc.b.str(p, v); ok {
		out["text"] = s
	}
}

func checkModal(pc *pageCheck, path string, props *value, out map[string]any) {
	if v := props.get("title"); v != nil {
		if s, ok := pc.b.str(path+".title", v); ok {
			out["title"] = s
		}
	}
}

// entityProp reads the required entity prop, which must name an entity
// type of the model, and returns that type (nil when it does not).
func (pc *pageCheck) entityProp(path string, props *value, out map[string]any) *entityInfo {
	p := path + ".entity"
	v := props.get("entity")
	if v == nil {
		pc.b.p.add(p, "is required")
		return nil
	}
	name, ok := pc.b.str(p, v)
	if !ok {
		return nil
	}
	e := pc.b.x.entity(name)
	if e == nil {
		pc.b.p.add(p, pc.b.x.unknownEntity(name))
		return nil
	}
	out["entity"] = name
	return e
}

// fieldsProp reads the fields prop of a Form or Detail: fields and
// reference fields of e, and with system the system fields a Detail may
// show. It defaults to every field of e.
func (pc *pageCheck) fieldsProp(path string, props *value, out map[string]any, e *entityInfo, system bool) {
	v := props.get("fields")
	if v == nil {
		if e != nil {
			out["fields"] = e.dataFields()
		}
		return
	}
	p := path + ".fields"
	fields, at, ok := pc.b.names(p, v)
	switch {
	case ok && len(v.items) == 0:
		pc.b.p.add(p, "must name at least one field")
	case ok && e != nil:
		for i, name := range fields {
			if !e.hasDataField(name) && !(system && isShownSystemField(name)) {
				pc.b.p.add(index(p, at[i]), pc.unknownField(e, name, system))
			}
		}
	}
	out["fields"] = fields
}

// unknownField describes name, which is not a field of e (nor, with
// system, a system field that may be shown).
func (pc *pageCheck) unknownField(e *entityInfo, name string, system bool) string {
	candidates := e.dataFields()
	msg := "no field " + quote(name) + " in entity type " + quote(e.typ.Name)
	if system {
		for _, s := range shownSystemFields {
			candidates = append(candidates, s.name)
		}
	} else if isShownSystemField(name) || torque.IsSystemField(name) {
		return msg + " (system fields are not form fields)"
	}
	return msg + suggest(name, candidates)
}
