package torque

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// MaxModelEdits is the most edits ApplyEdits takes in one call.
const MaxModelEdits = 1000

// ApplyEdits applies edits to m in order, as the Edit operations describe:
//
//   - An add reads the whole part from Value as ParseModel reads it in a
//     document (unknown keys, duplicate keys and values of the wrong type are
//     refused) and inserts it at Index (0 to the length of the list) or, without
//     Index, at the end. Its name (a component's id) must be given and unused.
//   - An update applies Value, a JSON merge patch (RFC 7386) that must be an
//     object, to the part's JSON and reads the result as an add does. It may
//     rename the part, to an unused name; renaming an entity type renames it
//     in the relationships too. It may not change the parts that have edits
//     of their own: an entity type's "fields", a page's "components", a
//     component's "children".
//   - A remove takes the part away: an entity type with the relationships from
//     or to it, a component with its children.
//   - A reorder takes Order, every name (component id) of the list once.
//   - Components are found by id anywhere in the page's tree; Parent names
//     the component whose "children" addComponent and reorderComponents
//     work on instead of the page's top-level "components". Component ids
//     must be unique in a page.
//
// ApplyEdits does not fill defaults nor check the semantics of the result:
// call Normalize and Validate afterwards, as for a parsed model. Pages and
// xflows stay JSON objects; those edited are written again with their keys
// sorted, without white space, numbers as they were written.
//
// An edit that sets a member its operation does not read (such as Index on
// an update) is refused.
//
// ApplyEdits changes m in place and leaves alone what m shares with another
// model (a shallow copy shares its lists). On error m may hold some of the
// edits: the caller must discard it. The error is an *Error whose Fields map
// the edit's member to what is wrong with it, such as
// "edits[2].field": `no field "x" in entity "Task"` or
// "edits[0].value.type": "must be a string"; its code is ENOTFOUND when a
// part an edit names does not exist, else EINVALID.
func (m *Model) ApplyEdits(edits []ModelEdit) (err error) {
	if len(edits) > MaxModelEdits {
		return Invalid("too many edits", map[string]string{"edits": fmt.Sprintf("must have at most %d edits", MaxModelEdits)})
	}
	m.unshare()
	e := &modelEditor{m: m}
	defer func() {
		if ferr := e.flush(); err == nil {
			err = ferr
		}
	}()
	for i := range edits {
		e.at, e.edit = "edits["+strconv.Itoa(i)+"]", &edits[i]
		if err := e.apply(); err != nil {
			return err
		}
	}
	return nil
}

// unshare gives m lists of its own, so that edits in place leave alone a
// model that m is a shallow copy of. Elements are replaced, never changed in
// place, below these lists.
func (m *Model) unshare() {
	m.Entities = slices.Clone(m.Entities)
	for i := range m.Entities {
		m.Entities[i].Fields = slices.Clone(m.Entities[i].Fields)
	}
	m.Relationships = slices.Clone(m.Relationships)
	m.Pages = slices.Clone(m.Pages)
	m.XFlows = slices.Clone(m.XFlows)
}

// modelEditor applies the edits of one ApplyEdits call.
type modelEditor struct {
	m     *Model
	at    string // the path of the edit: "edits[3]"
	edit  *ModelEdit
	pages *rawList // m.Pages, once an edit needs them
	flows *rawList // m.XFlows, likewise
}

// editMembers is a set of members of a ModelEdit.
type editMembers uint16

const (
	usesEntity editMembers = 1 << iota
	usesField
	usesRelationship
	usesPage
	usesComponent
	usesParent
	usesFlow
	usesIndex
	usesOrder
	usesValue
)

// editOps holds, for each operation, the members it reads and what it does.
var editOps = map[EditOp]struct {
	uses  editMembers
	apply func(*modelEditor) error
}{
	EditSetDescription: {usesValue, (*modelEditor).setDescription},

	EditAddEntity:       {usesValue | usesIndex, (*modelEditor).addEntity},
	EditUpdateEntity:    {usesEntity | usesValue, (*modelEditor).updateEntity},
	EditRemoveEntity:    {usesEntity, (*modelEditor).removeEntity},
	EditReorderEntities: {usesOrder, (*modelEditor).reorderEntities},

	EditAddField:      {usesEntity | usesValue | usesIndex, (*modelEditor).addField},
	EditUpdateField:   {usesEntity | usesField | usesValue, (*modelEditor).updateField},
	EditRemoveField:   {usesEntity | usesField, (*modelEditor).removeField},
	EditReorderFields: {usesEntity | usesOrder, (*modelEditor).reorderFields},

	EditAddRelationship:    {usesValue | usesIndex, (*modelEditor).addRelationship},
	EditUpdateRelationship: {usesRelationship | usesValue, (*modelEditor).updateRelationship},
	EditRemoveRelationship: {usesRelationship, (*modelEditor).removeRelationship},

	EditAddPage:      {usesValue | usesIndex, (*modelEditor).addPage},
	EditUpdatePage:   {usesPage | usesValue, (*modelEditor).updatePage},
	EditRemovePage:   {usesPage, (*modelEditor).removePage},
	EditReorderPages: {usesOrder, (*modelEditor).reorderPages},

	EditAddComponent:      {usesPage | usesParent | usesValue | usesIndex, (*modelEditor).addComponent},
	EditUpdateComponent:   {usesPage | usesComponent | usesValue, (*modelEditor).updateComponent},
	EditRemoveComponent:   {usesPage | usesComponent, (*modelEditor).removeComponent},
	EditReorderComponents: {usesPage | usesParent | usesOrder, (*modelEditor).reorderComponents},

	EditAddFlow:    {usesValue | usesIndex, (*modelEditor).addFlow},
	EditUpdateFlow: {usesFlow | usesValue, (*modelEditor).updateFlow},
	EditRemoveFlow: {usesFlow, (*modelEditor).removeFlow},
}

func (e *modelEditor) apply() error {
	op, ok := editOps[e.edit.Op]
	if !ok {
		return e.invalid("op", "unknown edit operation")
	}
	ed := e.edit
	for _, m := range []struct {
		bit  editMembers
		name string
		set  bool
	}{
		{usesEntity, "entity", ed.Entity != ""},
		{usesField, "field", ed.Field != ""},
		{usesRelationship, "relationship", ed.Relationship != ""},
		{usesPage, "page", ed.Page != ""},
		{usesComponent, "component", ed.Component != ""},
		{usesParent, "parent", ed.Parent != ""},
		{usesFlow, "flow", ed.Flow != ""},
		{usesIndex, "index", ed.Index != nil},
		{usesOrder, "order", ed.Order != nil},
		{usesValue, "value", len(ed.Value) > 0},
	} {
		if m.set && op.uses&m.bit == 0 {
			return e.invalid(m.name, "is not used by "+string(ed.Op))
		}
	}
	return op.apply(e)
}

// flush writes back the pages and xflows that edits decoded.
func (e *modelEditor) flush() error {
	for _, l := range []*rawList{e.pages, e.flows} {
		if l == nil {
			continue
		}
		for i, tree := range l.trees {
			if tree == nil {
				continue
			}
			data, err := encodeJSON(tree)
			if err != nil {
				return fmt.Errorf("write %s %q: %w", l.what, l.names[i], err)
			}
			(*l.raws)[i] = data
		}
	}
	return nil
}

func (e *modelEditor) path(member string) string { return e.at + "." + member }

func (e *modelEditor) invalid(member, problem string) error {
	return Invalid("invalid edit", map[string]string{e.path(member): problem})
}

func (e *modelEditor) notFound(member, problem string) error {
	return &Error{Code: ENOTFOUND, Message: problem, Fields: map[string]string{e.path(member): problem}}
}

// index returns where an add inserts into a list of n parts.
func (e *modelEditor) index(n int) (int, error) {
	if e.edit.Index == nil {
		return n, nil
	}
	i := *e.edit.Index
	if i < 0 || i > n {
		if n == 0 {
			return 0, e.invalid("index", "must be 0 (the list is empty)")
		}
		return 0, e.invalid("index", fmt.Sprintf("must be between 0 and %d", n))
	}
	return i, nil
}

// permutation returns the positions in names of the names of the edit's
// Order, which must list each of names once; what names an item of the list.
func (e *modelEditor) permutation(names []string, what string) ([]int, error) {
	at := make(map[string]int, len(names))
	for i, n := range names {
		if n == "" {
			name := "a name"
			if what == "component" {
				name = "an id"
			}
			return nil, e.invalid("order", fmt.Sprintf("cannot reorder a list that holds a %s without %s", what, name))
		}
		if _, dup := at[n]; dup {
			return nil, e.invalid("order", fmt.Sprintf("cannot reorder a list that holds %s %s twice", what, quote(n)))
		}
		at[n] = i
	}
	perm := make([]int, 0, len(names))
	seen := make([]bool, len(names))
	for _, n := range e.edit.Order {
		i, ok := at[n]
		if !ok {
			return nil, e.invalid("order", fmt.Sprintf("no %s %s in the list", what, quote(n)))
		}
		if seen[i] {
			return nil, e.invalid("order", fmt.Sprintf("%s is listed twice", quote(n)))
		}
		seen[i] = true
		perm = append(perm, i)
	}
	for i, ok := range seen {
		if !ok {
			return nil, e.invalid("order", fmt.Sprintf("%s %s is missing", what, quote(names[i])))
		}
	}
	return perm, nil
}

// permute returns the elements of s in the order perm gives.
func permute[T any](s []T, perm []int) []T {
	out := make([]T, len(perm))
	for j, i := range perm {
		out[j] = s[i]
	}
	return out
}

// value returns the edit's Value, which must be given.
func (e *modelEditor) value() ([]byte, error) {
	switch v := e.edit.Value; {
	case len(bytes.TrimLeft(v, jsonSpace)) == 0:
		return nil, e.invalid("value", "is required")
	case len(v) > MaxModelBytes:
		return nil, e.invalid("value", fmt.Sprintf("must be at most %d bytes (4 MiB)", MaxModelBytes))
	default:
		return v, nil
	}
}

// object decodes the edit's Value, which must be a JSON object, for a part
// with depth arrays and objects around it in a model document.
func (e *modelEditor) object(depth int) (map[string]any, error) {
	data, err := e.value()
	if err != nil {
		return nil, err
	}
	v, err := decodePart(data, e.path("value"), depth, (*modelDecoder).anyValue)
	if err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, e.invalid("value", "must be an object")
	}
	return obj, nil
}

// patch decodes the edit's Value as a merge patch of a part with depth
// arrays and objects around it, refusing the member that edits of their own
// change (if not ""), with what to use instead.
func (e *modelEditor) patch(depth int, refused, instead string) (map[string]any, error) {
	patch, err := e.object(depth)
	if err != nil {
		return nil, err
	}
	if _, ok := patch[refused]; ok && refused != "" {
		return nil, e.invalid("value."+refused, fmt.Sprintf("cannot be changed by %s: use %s", e.edit.Op, instead))
	}
	return patch, nil
}

// patchPart applies the edit's merge patch to the JSON of part and reads the
// result with read, a reader of the model decoder; depth is the number of
// arrays and objects around the part in a model document.
func patchPart[T any](e *modelEditor, part any, depth int, refused, instead string, read func(*modelDecoder, string) T) (T, error) {
	var zero T
	patch, err := e.patch(depth, refused, instead)
	if err != nil {
		return zero, err
	}
	data, err := json.Marshal(part)
	if err != nil {
		return zero, e.invalid("value", "the part cannot be written as JSON: "+err.Error())
	}
	target, err := decodeJSON(data)
	if err != nil {
		return zero, fmt.Errorf("read back %s: %w", data, err)
	}
	patched, err := encodeJSON(mergePatch(target, patch))
	if err != nil {
		return zero, fmt.Errorf("write patched part: %w", err)
	}
	return decodePart(patched, e.path("value"), depth, read)
}

// decodePart reads data as ParseModel reads one part of a model document,
// refusing unknown keys, duplicate keys, values of the wrong type and
// invalid JSON: read is the model decoder's reader of the part, path the
// path of data in the problems, and depth the number of arrays and objects
// around the part in a model document (for the nesting limit).
func decodePart[T any](data []byte, path string, depth int, read func(*modelDecoder, string) T) (v T, err error) {
	d := newModelDecoder(data)
	d.depth = depth
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*syntaxError)
			if !ok {
				panic(r)
			}
			var zero T
			v, err = zero, Invalid("invalid edit", map[string]string{path: se.Error()})
		}
	}()
	v = read(d, path)
	if rest := bytes.TrimLeft(data[d.dec.InputOffset():], jsonSpace); len(rest) > 0 {
		d.fail(len(data)-len(rest), "unexpected data after the value")
	}
	if err := d.probs.err(); err != nil {
		return v, Invalid("invalid edit", ErrorFields(err))
	}
	return v, nil
}

// anyValue reads any JSON value: objects as map[string]any (a duplicate
// key is a problem), arrays as []any, numbers as json.Number.
func (d *modelDecoder) anyValue(path string) any {
	switch tok := d.next(); tok {
	case json.Delim('{'):
		obj := map[string]any{}
		for d.dec.More() {
			key, _ := d.next().(string) // in key position, Token returns a string or fails
			p := keyPath(path+".", key)
			if _, dup := obj[key]; dup {
				d.probs.add(p, "duplicate key")
				d.skip()
				continue
			}
			obj[key] = d.anyValue(p)
		}
		d.next() // '}'
		return obj
	case json.Delim('['):
		list := []any{}
		for i := 0; d.dec.More(); i++ {
			list = append(list, d.anyValue(path+"["+strconv.Itoa(i)+"]"))
		}
		d.next() // ']'
		return list
	default:
		return tok // a string, json.Number, bool or nil
	}
}

// mergePatch applies patch to target as a JSON merge patch (RFC 7386) and
// returns the result. Both are decoded JSON values (objects as
// map[string]any); the objects of target are changed in place and the
// result may share parts of patch.
func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = make(map[string]any, len(p))
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
		} else {
			t[k] = mergePatch(t[k], v)
		}
	}
	return t
}

// The depths of parts in a model document: how many arrays and objects are
// around them.
const (
	depthEntity    = 2 // {"entities": [ … ]}
	depthField     = 4 // {"entities": [{"fields": [ … ]}]}
	depthTopLevel  = 2 // relationships, pages, xflows
	depthComponent = 4 // {"pages": [{"components": [ … ]}]}, two more for each level of children
)

func (e *modelEditor) setDescription() error {
	data, err := e.value()
	if err != nil {
		return err
	}
	s, err := decodePart(data, e.path("value"), 1, func(d *modelDecoder, path string) string {
		s, _ := d.str(path)
		return s
	})
	if err != nil {
		return err
	}
	e.m.Description = s
	return nil
}

// insertPart decodes the edit's value as a part (read, at depth) and
// returns items with it inserted at the edit's index. A part without a
// name, or with one index already finds, is refused; taken words that.
func insertPart[T any](e *modelEditor, items []T, depth int, read func(*modelDecoder, string) T,
	name func(*T) string, index func(string) int, taken func(string) string) ([]T, error) {
	at, err := e.index(len(items))
	if err != nil {
		return nil, err
	}
	data, err := e.value()
	if err != nil {
		return nil, err
	}
	part, err := decodePart(data, e.path("value"), depth, read)
	if err != nil {
		return nil, err
	}
	n := name(&part)
	if n == "" {
		return nil, e.invalid("value.name", "is required")
	}
	if index(n) >= 0 {
		return nil, e.invalid("value.name", taken(n))
	}
	return slices.Insert(items, at, part), nil
}

// Entity types.

func (e *modelEditor) entityIndex(name string) int {
	return slices.IndexFunc(e.m.Entities, func(et EntityType) bool { return et.Name == name })
}

// entity returns the position of the entity type the edit names.
func (e *modelEditor) entity() (int, error) {
	return e.find("entity", "entity", e.edit.Entity, e.entityIndex)
}

// find returns the position index gives the name the edit's member holds;
// what names the kind of part in messages.
func (e *modelEditor) find(member, what, name string, index func(string) int) (int, error) {
	if name == "" {
		return 0, e.invalid(member, "is required")
	}
	if i := index(name); i >= 0 {
		return i, nil
	}
	return 0, e.notFound(member, "no "+what+" "+quote(name))
}

func (e *modelEditor) addEntity() error {
	ents, err := insertPart(e, e.m.Entities, depthEntity, (*modelDecoder).entityType,
		func(et *EntityType) string { return et.Name }, e.entityIndex,
		func(name string) string { return "entity " + quote(name) + " already exists" })
	if err == nil {
		e.m.Entities = ents
	}
	return err
}

func (e *modelEditor) updateEntity() error {
	i, err := e.entity()
	if err != nil {
		return err
	}
	et := &e.m.Entities[i]
	head := headOf(et)
	if et.Permissions != nil {
		head.Permissions = make(map[Role]*OpGrants, len(et.Permissions))
		for role, g := range et.Permissions {
			if g != nil {
				head.Permissions[role] = g
			}
		}
	}
	upd, err := patchPart(e, head, depthEntity, "fields", "the field edits", (*modelDecoder).entityType)
	if err != nil {
		return err
	}
	if upd.Name == "" {
		return e.invalid("value.name", "is required")
	}
	if old := et.Name; upd.Name != old {
		if e.entityIndex(upd.Name) >= 0 {
			return e.invalid("value.name", fmt.Sprintf("entity %s already exists", quote(upd.Name)))
		}
		for j := range e.m.Relationships {
			r := &e.m.Relationships[j]
			if r.From == old {
				r.From = upd.Name
			}
			if r.To == old {
				r.To = upd.Name
			}
		}
	}
	et.Name, et.DisplayName, et.Permissions = upd.Name, upd.DisplayName, upd.Permissions
	return nil
}

func (e *modelEditor) removeEntity() error {
	i, err := e.entity()
	if err != nil {
		return err
	}
	name := e.m.Entities[i].Name
	e.m.Entities = slices.Delete(e.m.Entities, i, i+1)
	e.m.Relationships = slices.DeleteFunc(e.m.Relationships, func(r Relationship) bool {
		return r.From == name || r.To == name
	})
	return nil
}

func (e *modelEditor) reorderEntities() error {
	names := make([]string, len(e.m.Entities))
	for i := range e.m.Entities {
		names[i] = e.m.Entities[i].Name
	}
	perm, err := e.permutation(names, "entity")
	if err != nil {
		return err
	}
	e.m.Entities = permute(e.m.Entities, perm)
	return nil
}

// Fields.

func fieldIndex(et *EntityType, name string) int {
	return slices.IndexFunc(et.Fields, func(f Field) bool { return f.Name == name })
}

// field returns the entity type and the position of the field the edit
// names.
func (e *modelEditor) field() (*EntityType, int, error) {
	i, err := e.entity()
	if err != nil {
		return nil, 0, err
	}
	et := &e.m.Entities[i]
	name := e.edit.Field
	if name == "" {
		return nil, 0, e.invalid("field", "is required")
	}
	if j := fieldIndex(et, name); j >= 0 {
		return et, j, nil
	}
	return nil, 0, e.notFound("field", fmt.Sprintf("no field %s in entity %s", quote(name), quote(et.Name)))
}

func (e *modelEditor) addField() error {
	i, err := e.entity()
	if err != nil {
		return err
	}
	et := &e.m.Entities[i]
	fields, err := insertPart(e, et.Fields, depthField, (*modelDecoder).field,
		func(f *Field) string { return f.Name }, func(name string) int { return fieldIndex(et, name) },
		func(name string) string {
			return fmt.Sprintf("field %s already exists in entity %s", quote(name), quote(et.Name))
		})
	if err == nil {
		et.Fields = fields
	}
	return err
}

func (e *modelEditor) updateField() error {
	et, j, err := e.field()
	if err != nil {
		return err
	}
	f, err := patchPart(e, et.Fields[j], depthField, "", "", (*modelDecoder).field)
	if err != nil {
		return err
	}
	if f.Name == "" {
		return e.invalid("value.name", "is required")
	}
	if f.Name != et.Fields[j].Name && fieldIndex(et, f.Name) >= 0 {
		return e.invalid("value.name", fmt.Sprintf("field %s already exists in entity %s", quote(f.Name), quote(et.Name)))
	}
	et.Fields[j] = f
	return nil
}

func (e *modelEditor) removeField() error {
	et, j, err := e.field()
	if err != nil {
		return err
	}
	et.Fields = slices.Delete(et.Fields, j, j+1)
	return nil
}

func (e *modelEditor) reorderFields() error {
	i, err := e.entity()
	if err != nil {
		return err
	}
	et := &e.m.Entities[i]
	names := make([]string, len(et.Fields))
	for j := range et.Fields {
		names[j] = et.Fields[j].Name
	}
	perm, err := e.permutation(names, "field")
	if err != nil {
		return err
	}
	et.Fields = permute(et.Fields, perm)
	return nil
}

// Relationships.

func (e *modelEditor) relationshipIndex(name string) int {
	return slices.IndexFunc(e.m.Relationships, func(r Relationship) bool { return r.Name == name })
}

// relationship returns the position of the relationship the edit names.
func (e *modelEditor) relationship() (int, error) {
	return e.find("relationship", "relationship", e.edit.Relationship, e.relationshipIndex)
}

func (e *modelEditor) addRelationship() error {
	rels, err := insertPart(e, e.m.Relationships, depthTopLevel, (*modelDecoder).relationship,
		func(r *Relationship) string { return r.Name }, e.relationshipIndex,
		func(name string) string { return "relationship " + quote(name) + " already exists" })
	if err == nil {
		e.m.Relationships = rels
	}
	return err
}

func (e *modelEditor) updateRelationship() error {
	i, err := e.relationship()
	if err != nil {
		return err
	}
	r, err := patchPart(e, e.m.Relationships[i], depthTopLevel, "", "", (*modelDecoder).relationship)
	if err != nil {
		return err
	}
	if r.Name == "" {
		return e.invalid("value.name", "is required")
	}
	if r.Name != e.m.Relationships[i].Name && e.relationshipIndex(r.Name) >= 0 {
		return e.invalid("value.name", fmt.Sprintf("relationship %s already exists", quote(r.Name)))
	}
	e.m.Relationships[i] = r
	return nil
}

func (e *modelEditor) removeRelationship() error {
	i, err := e.relationship()
	if err != nil {
		return err
	}
	e.m.Relationships = slices.Delete(e.m.Relationships, i, i+1)
	return nil
}

// Pages and xflows.

// rawList is the pages or the xflows of the model being edited, with their
// names and, once an edit has decoded them, their objects, which flush
// writes back.
type rawList struct {
	raws  *[]json.RawMessage
	what  string           // "page" or "flow"
	names []string         // the "name" of each, "" when it has none
	trees []map[string]any // the decoded objects, nil for those not decoded
}

func newRawList(raws *[]json.RawMessage, what string) *rawList {
	l := &rawList{raws: raws, what: what, names: make([]string, len(*raws)), trees: make([]map[string]any, len(*raws))}
	for i, raw := range *raws {
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) == nil {
			_ = json.Unmarshal(obj["name"], &l.names[i]) // a name that is not a string is no name
		}
	}
	return l
}

func (l *rawList) index(name string) int { return slices.Index(l.names, name) }

func (l *rawList) insert(at int, name string, tree map[string]any) {
	*l.raws = slices.Insert(*l.raws, at, nil) // flush writes it
	l.names = slices.Insert(l.names, at, name)
	l.trees = slices.Insert(l.trees, at, tree)
}

func (l *rawList) remove(i int) {
	*l.raws = slices.Delete(*l.raws, i, i+1)
	l.names = slices.Delete(l.names, i, i+1)
	l.trees = slices.Delete(l.trees, i, i+1)
}

func (l *rawList) permute(perm []int) {
	*l.raws = permute(*l.raws, perm)
	l.names = permute(l.names, perm)
	l.trees = permute(l.trees, perm)
}

// tree returns the decoded object at i, which becomes the one flush writes.
func (l *rawList) tree(i int) (map[string]any, error) {
	if l.trees[i] == nil {
		v, err := decodeJSON((*l.raws)[i])
		if err != nil {
			return nil, fmt.Errorf("read %s %q: %w", l.what, l.names[i], err)
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("read %s %q: not an object", l.what, l.names[i])
		}
		l.trees[i] = obj
	}
	return l.trees[i], nil
}

func (e *modelEditor) pageList() *rawList {
	if e.pages == nil {
		e.pages = newRawList(&e.m.Pages, "page")
	}
	return e.pages
}

func (e *modelEditor) flowList() *rawList {
	if e.flows == nil {
		e.flows = newRawList(&e.m.XFlows, "flow")
	}
	return e.flows
}

// named returns the position and object of the page or flow the edit names
// in member.
func (e *modelEditor) named(l *rawList, member, name string) (int, map[string]any, error) {
	if name == "" {
		return 0, nil, e.invalid(member, "is required")
	}
	i := l.index(name)
	if i < 0 {
		return 0, nil, e.notFound(member, fmt.Sprintf("no %s %s", l.what, quote(name)))
	}
	tree, err := l.tree(i)
	if err != nil {
		return 0, nil, err
	}
	return i, tree, nil
}

// addNamed reads a new page or flow: an object with a name unused in l. It
// returns where it goes, its name and the object.
func (e *modelEditor) addNamed(l *rawList) (int, string, map[string]any, error) {
	at, err := e.index(len(*l.raws))
	if err != nil {
		return 0, "", nil, err
	}
	obj, err := e.object(depthTopLevel)
	if err != nil {
		return 0, "", nil, err
	}
	name, err := e.nameMember(obj, "name")
	if err != nil {
		return 0, "", nil, err
	}
	if l.index(name) >= 0 {
		return 0, "", nil, e.invalid("value.name", fmt.Sprintf("%s %s already exists", l.what, quote(name)))
	}
	return at, name, obj, nil
}

// nameMember returns the member key of obj (a new part or a patch), a
// page's or flow's name or a component's id, which must be a non-empty
// string.
func (e *modelEditor) nameMember(obj map[string]any, key string) (string, error) {
	v, ok := obj[key]
	if !ok || v == nil {
		return "", e.invalid("value."+key, "is required")
	}
	name, ok := v.(string)
	switch {
	case !ok:
		return "", e.invalid("value."+key, "must be a string")
	case name == "":
		return "", e.invalid("value."+key, "must not be empty")
	}
	return name, nil
}

// patchNamed applies the edit's patch to the page or flow at i of l,
// refusing a name another one has.
func (e *modelEditor) patchNamed(l *rawList, i int, tree map[string]any, refused, instead string) error {
	patch, err := e.patch(depthTopLevel, refused, instead)
	if err != nil {
		return err
	}
	name := l.names[i]
	if _, ok := patch["name"]; ok {
		if name, err = e.nameMember(patch, "name"); err != nil {
			return err
		}
		if name != l.names[i] && l.index(name) >= 0 {
			return e.invalid("value.name", fmt.Sprintf("%s %s already exists", l.what, quote(name)))
		}
	}
	mergePatch(tree, patch)
	l.names[i] = name
	return nil
}

func (e *modelEditor) addPage() error {
	l := e.pageList()
	at, name, page, err := e.addNamed(l)
	if err != nil {
		return err
	}
	if err := e.checkComponents(page, "components", "value.components", name, map[string]bool{}); err != nil {
		return err
	}
	l.insert(at, name, page)
	return nil
}

func (e *modelEditor) updatePage() error {
	l := e.pageList()
	i, page, err := e.named(l, "page", e.edit.Page)
	if err != nil {
		return err
	}
	return e.patchNamed(l, i, page, "components", "the component edits")
}

func (e *modelEditor) removePage() error {
	l := e.pageList()
	i, _, err := e.named(l, "page", e.edit.Page)
	if err != nil {
		return err
	}
	l.remove(i)
	return nil
}

func (e *modelEditor) reorderPages() error {
	l := e.pageList()
	perm, err := e.permutation(l.names, "page")
	if err != nil {
		return err
	}
	l.permute(perm)
	return nil
}

func (e *modelEditor) addFlow() error {
	l := e.flowList()
	at, name, flow, err := e.addNamed(l)
	if err != nil {
		return err
	}
	l.insert(at, name, flow)
	return nil
}

func (e *modelEditor) updateFlow() error {
	l := e.flowList()
	i, flow, err := e.named(l, "flow", e.edit.Flow)
	if err != nil {
		return err
	}
	return e.patchNamed(l, i, flow, "", "")
}

func (e *modelEditor) removeFlow() error {
	l := e.flowList()
	i, _, err := e.named(l, "flow", e.edit.Flow)
	if err != nil {
		return err
	}
	l.remove(i)
	return nil
}

// Components.

// componentList is a list of components: the "components" of a page or the
// "children" of a component.
type componentList struct {
	owner map[string]any // the page or component
	key   string         // "components" or "children"
	depth int            // arrays and objects around its components in a model document
}

func (c componentList) items() []any {
	list, _ := c.owner[c.key].([]any)
	return list
}

func (c componentList) set(list []any) { c.owner[c.key] = list }

// findComponent returns the list holding the component with the given id,
// searching in and below list, and its position there.
func findComponent(list componentList, id string) (componentList, int, bool) {
	for i, c := range list.items() {
		obj, ok := c.(map[string]any)
		if !ok {
			continue
		}
		if s, _ := obj["id"].(string); s == id {
			return list, i, true
		}
		if in, j, ok := findComponent(componentList{obj, "children", list.depth + 2}, id); ok {
			return in, j, true
		}
	}
	return componentList{}, 0, false
}

// collectIDs adds the ids of the components in and below list to ids.
func collectIDs(list []any, ids map[string]bool) {
	for _, c := range list {
		if obj, ok := c.(map[string]any); ok {
			if id, ok := obj["id"].(string); ok {
				ids[id] = true
			}
			children, _ := obj["children"].([]any)
			collectIDs(children, ids)
		}
	}
}

// checkComponents checks the components of a new page or component: the
// member key of owner (at path member), when present, must be an array of
// objects whose ids, where they have one, are non-empty strings not in ids,
// and whose "children" are components likewise. It adds their ids to ids.
func (e *modelEditor) checkComponents(owner map[string]any, key, member, page string, ids map[string]bool) error {
	v := owner[key]
	if v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		return e.invalid(member, "must be an array")
	}
	for i, c := range list {
		path := member + "[" + strconv.Itoa(i) + "]"
		obj, ok := c.(map[string]any)
		if !ok {
			return e.invalid(path, "must be an object")
		}
		if err := e.checkComponentID(obj, path, page, ids); err != nil {
			return err
		}
		if err := e.checkComponents(obj, "children", path+".children", page, ids); err != nil {
			return err
		}
	}
	return nil
}

// checkComponentID checks the id of a new component, if it has one, and
// adds it to ids.
func (e *modelEditor) checkComponentID(obj map[string]any, path, page string, ids map[string]bool) error {
	v, ok := obj["id"]
	if !ok {
		return nil
	}
	id, ok := v.(string)
	switch {
	case !ok:
		return e.invalid(path+".id", "must be a string")
	case id == "":
		return e.invalid(path+".id", "must not be empty")
	case ids[id]:
		return e.invalid(path+".id", fmt.Sprintf("component id %s is already used in page %s", quote(id), quote(page)))
	}
	ids[id] = true
	return nil
}

// componentPage returns the page the edit names and its top-level list.
func (e *modelEditor) componentPage() (string, componentList, error) {
	_, page, err := e.named(e.pageList(), "page", e.edit.Page)
	if err != nil {
		return "", componentList{}, err
	}
	return e.edit.Page, componentList{page, "components", depthComponent}, nil
}

// parentList returns the list addComponent and reorderComponents work on:
// the page's components, or the children of the edit's Parent.
func (e *modelEditor) parentList(page string, top componentList) (componentList, error) {
	list, member := top, "page"
	if id := e.edit.Parent; id != "" {
		in, i, ok := findComponent(top, id)
		if !ok {
			return componentList{}, e.notFound("parent", fmt.Sprintf("no component %s in page %s", quote(id), quote(page)))
		}
		list, member = componentList{in.items()[i].(map[string]any), "children", in.depth + 2}, "parent"
	}
	if v := list.owner[list.key]; v != nil {
		if _, ok := v.([]any); !ok {
			return componentList{}, e.invalid(member, fmt.Sprintf("its %q is not an array", list.key))
		}
	}
	return list, nil
}

// component returns the page the edit names, its top-level list, and the
// list holding the component the edit names with its position there.
func (e *modelEditor) component() (page string, top, in componentList, i int, err error) {
	if page, top, err = e.componentPage(); err != nil {
		return
	}
	id := e.edit.Component
	if id == "" {
		return "", top, in, 0, e.invalid("component", "is required")
	}
	in, i, ok := findComponent(top, id)
	if !ok {
		return "", top, in, 0, e.notFound("component", fmt.Sprintf("no component %s in page %s", quote(id), quote(page)))
	}
	return page, top, in, i, nil
}

func (e *modelEditor) addComponent() error {
	page, top, err := e.componentPage()
	if err != nil {
		return err
	}
	list, err := e.parentList(page, top)
	if err != nil {
		return err
	}
	items := list.items()
	at, err := e.index(len(items))
	if err != nil {
		return err
	}
	c, err := e.object(list.depth)
	if err != nil {
		return err
	}
	if _, err := e.nameMember(c, "id"); err != nil {
		return err
	}
	ids := map[string]bool{}
	collectIDs(top.items(), ids)
	if err := e.checkComponentID(c, "value", page, ids); err != nil {
		return err
	}
	if err := e.checkComponents(c, "children", "value.children", page, ids); err != nil {
		return err
	}
	list.set(slices.Insert(items, at, any(c)))
	return nil
}

func (e *modelEditor) updateComponent() error {
	page, top, in, i, err := e.component()
	if err != nil {
		return err
	}
	c := in.items()[i].(map[string]any)
	patch, err := e.patch(in.depth, "children", "addComponent, removeComponent and reorderComponents with a parent")
	if err != nil {
		return err
	}
	if _, ok := patch["id"]; ok {
		id, err := e.nameMember(patch, "id")
		if err != nil {
			return err
		}
		if id != e.edit.Component {
			ids := map[string]bool{}
			collectIDs(top.items(), ids)
			if ids[id] {
				return e.invalid("value.id", fmt.Sprintf("component id %s is already used in page %s", quote(id), quote(page)))
			}
		}
	}
	mergePatch(c, patch)
	return nil
}

func (e *modelEditor) removeComponent() error {
	_, _, in, i, err := e.component()
	if err != nil {
		return err
	}
	in.set(slices.Delete(in.items(), i, i+1))
	return nil
}

func (e *modelEditor) reorderComponents() error {
	page, top, err := e.componentPage()
	if err != nil {
		return err
	}
	list, err := e.parentList(page, top)
	if err != nil {
		return err
	}
	items := list.items()
	ids := make([]string, len(items))
	for i, c := range items {
		ids[i], _ = memberOf(c, "id").(string)
	}
	perm, err := e.permutation(ids, "component")
	if err != nil || len(items) == 0 {
		return err
	}
	list.set(permute(items, perm))
	return nil
}
