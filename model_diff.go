package torque

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
)

// DiffModels returns the changes that lead from old to new, two versions of
// one model (see Change). Either may be nil, which reads as an empty model:
// DiffModels(nil, m) adds every part of m. Only the content is compared:
// name, id, version and timestamps are not. The description, a string, is
// added when it was empty and removed when it becomes empty.
//
// Parts are matched by name: entity types, fields, relationships, pages
// and xflows by their "name", components by their "id" wherever they sit in
// a page's tree. A part without a name (or with one an earlier part of the
// same list took, or starting with "#") is matched by its position instead
// and shows as "#3" in paths; components count in pre-order through the
// page's tree. In paths, "~" and "/" of names are written "~0" and "~1" (as
// in a JSON Pointer). A renamed part is a removal and an addition.
//
// Before and After are the parts' JSON, compared and written in one
// canonical form: object keys sorted, no white space, numbers in their
// shortest form, so that neither the layout nor the key order of pages and
// xflows makes a change. An add or remove of an entity type, a page or a
// component carries the whole part, fields or children included, and the
// parts inside it get no change of their own (except components that were
// elsewhere in the old page, which are compared); an entity type's update
// compares its name, displayName and permissions, a page's update all but
// its "components", a component's all but its "children". A missing
// "components" or "children" reads as an empty one.
//
// A "reorder" change comes when the items present in both versions of a list
// are in another order; Before and After list all the names of the list as
// they were and are. The lists are "entities", "entities/<E>/fields",
// "relationships", "pages", "pages/<P>/components" (the top level of a page)
// and "pages/<P>/components/<id>/children"; for components, "present in
// both versions" means anywhere in the page, so a component moved to
// another parent shows in the lists of both parents.
//
// The changes come in a fixed order: description, entity types, relationships,
// pages, xflows. Within a list, removals come first in the old order, then
// additions and updates in the new order, each followed by the changes
// within it, then the list's reorder. Equal models give an empty list, not
// nil.
func DiffModels(old, new *Model) []Change {
	if old == nil {
		old = &Model{}
	}
	if new == nil {
		new = &Model{}
	}
	d := &differ{changes: []Change{}}
	d.description(old.Description, new.Description)

	oldEntities, newEntities := entityParts(old.Entities), entityParts(new.Entities)
	d.list("entities", oldEntities, newEntities, func(o, n int) {
		path := "entities/" + escapeName(newEntities[n].key) + "/fields"
		d.list(path, fieldParts(old.Entities[o].Fields), fieldParts(new.Entities[n].Fields), nil)
	})
	d.list("relationships", relationshipParts(old.Relationships), relationshipParts(new.Relationships), nil)

	oldPages, newPages := rawParts(old.Pages, "name", "components"), rawParts(new.Pages, "name", "components")
	d.list("pages", oldPages, newPages, func(o, n int) {
		path := "pages/" + escapeName(newPages[n].key) + "/components"
		d.components(path, flattenComponents(oldPages[o].value), flattenComponents(newPages[n].value))
	})
	d.list("xflows", rawParts(old.XFlows, "name", ""), rawParts(new.XFlows, "name", ""), nil)
	return d.changes
}

// differ collects the changes of DiffModels.
type differ struct {
	changes []Change
}

func (d *differ) add(op, path string, before, after json.RawMessage) {
	d.changes = append(d.changes, Change{Op: op, Path: path, Before: before, After: after})
}

func (d *differ) description(old, new string) {
	switch {
	case old == new:
	case old == "":
		d.add(ChangeAdd, "description", nil, canonicalValue(new))
	case new == "":
		d.add(ChangeRemove, "description", canonicalValue(old), nil)
	default:
		d.add(ChangeUpdate, "description", canonicalValue(old), canonicalValue(new))
	}
}

// part is one element of a list, as DiffModels compares it.
type part struct {
	key   string          // its name, or "#" and its position
	head  json.RawMessage // the canonical JSON an update compares
	value any             // the whole part (a decoded JSON value or a Go value), written lazily
}

// list compares the parts of the list at path; within, if not nil, is called
// with the positions of each part present in both, after its own change.
func (d *differ) list(path string, old, new []part, within func(o, n int)) {
	oldAt, newAt := partIndex(old), partIndex(new)
	for _, o := range old {
		if _, ok := newAt[o.key]; !ok {
			d.add(ChangeRemove, path+"/"+escapeName(o.key), canonicalValue(o.value), nil)
		}
	}
	for n, p := range new {
		o, ok := oldAt[p.key]
		if !ok {
			d.add(ChangeAdd, path+"/"+escapeName(p.key), nil, canonicalValue(p.value))
			continue
		}
		if !bytes.Equal(old[o].head, p.head) {
			d.add(ChangeUpdate, path+"/"+escapeName(p.key), old[o].head, p.head)
		}
		if within != nil {
			within(o, n)
		}
	}
	d.reorder(path, partKeys(old), partKeys(new), oldAt, newAt)
}

// reorder adds a reorder of the list at path when the keys of oldKeys
// present in newAll and the keys of newKeys present in oldAll differ.
func (d *differ) reorder(path string, oldKeys, newKeys []string, oldAll, newAll map[string]int) {
	if !slices.Equal(present(oldKeys, newAll), present(newKeys, oldAll)) {
		if oldKeys == nil {
			oldKeys = []string{}
		}
		if newKeys == nil {
			newKeys = []string{}
		}
		d.add(ChangeReorder, path, canonicalValue(oldKeys), canonicalValue(newKeys))
	}
}

// present returns the keys that are in all.
func present(keys []string, all map[string]int) []string {
	var in []string
	for _, k := range keys {
		if has(all, k) {
			in = append(in, k)
		}
	}
	return in
}

func partIndex(parts []part) map[string]int {
	at := make(map[string]int, len(parts))
	for i, p := range parts {
		at[p.key] = i
	}
	return at
}

func partKeys(parts []part) []string {
	keys := make([]string, len(parts))
	for i, p := range parts {
		keys[i] = p.key
	}
	return keys
}

// partKeyer gives the parts of one list their keys: their names, or
// "#<position>" for a part without a name of its own.
type partKeyer map[string]bool

func (k partKeyer) key(name string, i int) string {
	if name == "" || name[0] == '#' || k[name] {
		return "#" + strconv.Itoa(i)
	}
	k[name] = true
	return name
}

// entityHead is what an entity type's update compares: all but its fields.
type entityHead struct {
	Name        string             `json:"name"`
	DisplayName string             `json:"displayName,omitempty"`
	Permissions map[Role]*OpGrants `json:"permissions,omitempty"`
}

func headOf(et *EntityType) entityHead {
	return entityHead{Name: et.Name, DisplayName: et.DisplayName, Permissions: et.Permissions}
}

func entityParts(entities []EntityType) []part {
	parts := make([]part, len(entities))
	keys := partKeyer{}
	for i := range entities {
		et := entities[i]
		if et.Fields == nil {
			et.Fields = []Field{}
		}
		parts[i] = part{key: keys.key(et.Name, i), head: canonicalValue(headOf(&et)), value: et}
	}
	return parts
}

func fieldParts(fields []Field) []part {
	parts := make([]part, len(fields))
	keys := partKeyer{}
	for i, f := range fields {
		parts[i] = part{key: keys.key(f.Name, i), head: canonicalValue(f), value: f}
	}
	return parts
}

func relationshipParts(rels []Relationship) []part {
	parts := make([]part, len(rels))
	keys := partKeyer{}
	for i, r := range rels {
		parts[i] = part{key: keys.key(r.Name, i), head: canonicalValue(r), value: r}
	}
	return parts
}

// rawParts decodes pages or xflows. Each is keyed by its member named
// nameKey; its head leaves out the member named listKey (if any) when that
// is an array.
func rawParts(raws []json.RawMessage, nameKey, listKey string) []part {
	parts := make([]part, len(raws))
	keys := partKeyer{}
	for i, raw := range raws {
		v := decodeCanonical(raw)
		name, _ := memberOf(v, nameKey).(string)
		parts[i] = part{key: keys.key(name, i), head: canonicalValue(withoutList(v, listKey)), value: v}
	}
	return parts
}

// memberOf returns the member key of v when v is an object, or nil.
func memberOf(v any, key string) any {
	if obj, ok := v.(map[string]any); ok {
		return obj[key]
	}
	return nil
}

// withoutList returns v without its member key when v is an object and that
// member an array; otherwise v.
func withoutList(v any, key string) any {
	obj, ok := v.(map[string]any)
	if !ok || key == "" {
		return v
	}
	if _, ok := obj[key].([]any); !ok {
		return v
	}
	head := make(map[string]any, len(obj))
	for k, m := range obj {
		if k != key {
			head[k] = m
		}
	}
	return head
}

// componentTree is a page's components flattened in pre-order.
type componentTree struct {
	parts  []part
	at     map[string]int      // key -> position in parts
	parent []string            // the key of each part's parent, "" at the top
	lists  map[string][]string // the child keys of each parent, "" for the top
}

// flattenComponents flattens the "components" of page, with their
// "children", when they are arrays.
func flattenComponents(page any) *componentTree {
	t := &componentTree{lists: map[string][]string{}}
	keys := partKeyer{}
	var walk func(list []any, parent string)
	walk = func(list []any, parent string) {
		for _, c := range list {
			id, _ := memberOf(c, "id").(string)
			key := keys.key(id, len(t.parts))
			t.parts = append(t.parts, part{key: key, head: canonicalValue(withoutList(c, "children")), value: c})
			t.parent = append(t.parent, parent)
			t.lists[parent] = append(t.lists[parent], key)
			if children, ok := memberOf(c, "children").([]any); ok {
				walk(children, key)
			}
		}
	}
	if list, ok := memberOf(page, "components").([]any); ok {
		walk(list, "")
	}
	t.at = partIndex(t.parts)
	return t
}

// components compares the component trees of one page; path is
// "pages/<P>/components".
func (d *differ) components(path string, old, new *componentTree) {
	// A part inside an added or removed part is in that part's change.
	for i, p := range old.parts {
		if _, ok := new.at[p.key]; ok {
			continue
		}
		if parent := old.parent[i]; parent == "" || has(new.at, parent) {
			d.add(ChangeRemove, path+"/"+escapeName(p.key), canonicalValue(p.value), nil)
		}
	}
	for i, p := range new.parts {
		o, ok := old.at[p.key]
		if !ok {
			if parent := new.parent[i]; parent == "" || has(old.at, parent) {
				d.add(ChangeAdd, path+"/"+escapeName(p.key), nil, canonicalValue(p.value))
			}
			continue
		}
		if !bytes.Equal(old.parts[o].head, p.head) {
			d.add(ChangeUpdate, path+"/"+escapeName(p.key), old.parts[o].head, p.head)
		}
	}
	d.reorder(path, old.lists[""], new.lists[""], old.at, new.at)
	for _, p := range new.parts {
		if has(old.at, p.key) {
			d.reorder(path+"/"+escapeName(p.key)+"/children", old.lists[p.key], new.lists[p.key], old.at, new.at)
		}
	}
}

func has(m map[string]int, key string) bool {
	_, ok := m[key]
	return ok
}

// escapeName writes a name for a path as a JSON Pointer (RFC 6901) writes
// a key: "~" as "~0", "/" as "~1".
func escapeName(name string) string {
	if !strings.ContainsAny(name, "~/") {
		return name
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(name)
}

// canonicalValue returns the canonical JSON of v: a value decoded by
// decodeCanonical is written as it is, any other value is first written by
// encoding/json and read back. A value that cannot be written as JSON (such
// as a NaN) is written as a JSON string saying so.
func canonicalValue(v any) json.RawMessage {
	switch v.(type) {
	case nil, bool, string, json.Number, map[string]any, []any:
	default:
		data, err := json.Marshal(v)
		if err != nil {
			return mustEncode("cannot be written as JSON: " + err.Error())
		}
		v = decodeCanonical(data)
	}
	data, err := encodeJSON(v)
	if err != nil {
		return mustEncode("cannot be written as JSON: " + err.Error())
	}
	return data
}

// decodeCanonical decodes JSON with the numbers in canonical form (see
// canonicalNumber). Text that is not JSON decodes as a string of that text.
func decodeCanonical(data []byte) any {
	v, err := decodeJSON(data)
	if err != nil {
		return string(data)
	}
	return canonicalNumbers(v)
}

// canonicalNumbers replaces the numbers in v by their canonical forms, in
// place, and returns v.
func canonicalNumbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		return canonicalNumber(v)
	case map[string]any:
		for k, m := range v {
			v[k] = canonicalNumbers(m)
		}
	case []any:
		for i, m := range v {
			v[i] = canonicalNumbers(m)
		}
	}
	return v
}

// canonicalNumber writes equal numbers alike: integer literals exactly, in
// decimal; others by their float64 value, in decimal up to 1e21 for whole
// values ("1.0" and "1e0" as "1"), else in the shortest form ("1.5",
// "1e+21"). A literal out of the float64 range is kept as it is.
func canonicalNumber(n json.Number) json.Number {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		if i, ok := new(big.Int).SetString(s, 10); ok {
			return json.Number(i.String())
		}
		return n
	}
	f, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil:
		return n
	case f == 0:
		return "0"
	case f == math.Trunc(f) && math.Abs(f) < 1e21:
		return json.Number(strconv.FormatFloat(f, 'f', -1, 64))
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
}

// decodeJSON decodes one JSON value, numbers as json.Number.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errTrailingData
	}
	return v, nil
}

var errTrailingData = errors.New("unexpected data after the JSON value")

// encodeJSON writes v as compact JSON, leaving <, > and & as they are.
func encodeJSON(v any) (json.RawMessage, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// mustEncode writes a string as JSON.
func mustEncode(s string) json.RawMessage {
	data, _ := encodeJSON(s) // a string always encodes
	return data
}
