package layout

import (
	"slices"
	"strings"
)

// actionTypes lists every action type.
var actionTypes = []string{
	ActionOpenModal, ActionCloseModal, ActionNavigateTo, ActionRefresh, ActionSubmitForm, ActionDeleteEntity,
}

// actionMembers are the members of an action besides its type, with the
// action types that read each and whether those need it.
var actionMembers = []struct {
	key      string
	types    []string
	what     string // the types, for messages
	required bool
}{
	{"modal", []string{ActionOpenModal, ActionCloseModal}, "openModal and closeModal", true},
	{"page", []string{ActionNavigateTo}, "navigateTo", true},
	{"target", []string{ActionRefresh}, "refresh", false},
	{"confirm", []string{ActionDeleteEntity}, "deleteEntity", false},
}

// actions reads the actions v (at path) of a component of type ct (nil
// when unknown): an object from event to action.
func (pc *pageCheck) actions(path string, v *value, ct *componentType) map[string]Action {
	b := pc.b
	if v.kind != kindObject {
		b.p.add(path, "must be an object")
		return nil
	}
	out := make(map[string]Action, len(v.members))
	for _, m := range v.members {
		p := keyPath(path, m.key)
		if ct != nil && !slices.Contains(ct.events, m.key) {
			if len(ct.events) == 0 {
				b.p.add(p, "unknown event: a "+ct.name+" has no events")
			} else {
				b.p.add(p, "unknown event "+quote(m.key)+" of a "+ct.name+suggest(m.key, ct.events)+
					" (known: "+strings.Join(ct.events, ", ")+")")
			}
			continue
		}
		out[m.key] = pc.action(p, m.val)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// action reads one action at path.
func (pc *pageCheck) action(path string, v *value) Action {
	b := pc.b
	var a Action
	if v.kind != kindObject {
		b.p.add(path, "must be an object")
		return a
	}
	b.object(path, v, func(key, p string, val *value) bool {
		switch key {
		case "type":
			a.Type, _ = b.str(p, val)
		case "modal":
			a.Modal, _ = b.str(p, val)
		case "page":
			a.Page, _ = b.str(p, val)
		case "target":
			a.Target, _ = b.str(p, val)
		case "confirm":
			a.Confirm, _ = b.str(p, val)
		default:
			return false
		}
		return true
	})

	known := false
	switch tv := v.get("type"); {
	case tv == nil:
		b.p.add(path+".type", "is required")
	case tv.kind != kindString:
	case !slices.Contains(actionTypes, a.Type):
		b.p.add(path+".type", "unknown action type "+quote(a.Type)+suggest(a.Type, actionTypes)+
			" (known: "+strings.Join(actionTypes, ", ")+")")
	default:
		known = true
	}
	if !known {
		return a
	}

	for _, m := range actionMembers {
		mv := v.get(m.key)
		p := path + "." + m.key
		switch {
		case mv != nil && !slices.Contains(m.types, a.Type):
			b.p.add(p, "only for "+m.what+" actions")
		case mv == nil && m.required && slices.Contains(m.types, a.Type):
			b.p.add(p, "is required")
		}
	}
	switch a.Type {
	case ActionOpenModal, ActionCloseModal:
		if v.get("modal") != nil && v.get("modal").kind == kindString {
			pc.modalRefs = append(pc.modalRefs, ref{path + ".modal", a.Modal})
		}
	case ActionNavigateTo:
		if v.get("page") != nil && v.get("page").kind == kindString {
			b.pageRefs = append(b.pageRefs, ref{path + ".page", a.Page})
		}
	case ActionRefresh:
		if v.get("target") != nil && v.get("target").kind == kindString {
			pc.targetRefs = append(pc.targetRefs, ref{path + ".target", a.Target})
		}
	}
	return a
}
