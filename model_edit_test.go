package torque

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// parseEdits reads edits written as JSON, refusing unknown members so that a
// typo in a test does not go unseen.
func parseEdits(t testing.TB, s string) []ModelEdit {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	var edits []ModelEdit
	if err := dec.Decode(&edits); err != nil {
		t.Fatalf("edits %s: %v", s, err)
	}
	return edits
}

// outline writes the structure of m on one line: entity types with their
// fields, relationships with their ends, pages with their component trees
// and flows ("?" for one without a name), the lists apart by "|".
func outline(m *Model) string {
	var entities, rels, pages, flows []string
	for _, et := range m.Entities {
		var fields []string
		for _, f := range et.Fields {
			fields = append(fields, f.Name)
		}
		entities = append(entities, et.Name+"["+strings.Join(fields, " ")+"]")
	}
	for _, r := range m.Relationships {
		rels = append(rels, r.Name+"("+r.From+">"+r.To+")")
	}
	var tree func(list any) string
	tree = func(list any) string {
		l, _ := list.([]any)
		var ids []string
		for _, c := range l {
			id, _ := memberOf(c, "id").(string)
			if children, ok := memberOf(c, "children").([]any); ok {
				id += "{" + tree(children) + "}"
			}
			ids = append(ids, id)
		}
		return strings.Join(ids, " ")
	}
	for _, raw := range m.Pages {
		v, _ := decodeJSON(raw)
		name, _ := memberOf(v, "name").(string)
		pages = append(pages, name+"{"+tree(memberOf(v, "components"))+"}")
	}
	for _, raw := range m.XFlows {
		v, _ := decodeJSON(raw)
		name, ok := memberOf(v, "name").(string)
		if !ok {
			name = "?"
		}
		flows = append(flows, name)
	}
	return strings.Join([]string{
		strings.Join(entities, " "), strings.Join(rels, " "), strings.Join(pages, " "), strings.Join(flows, " "),
	}, " | ")
}

const shopOutline = "Customer[email nick] Order[total] Item[] | customerOrders(Customer>Order) orderItems(Order>Item) | " +
	"Home{header panel{a b{b1}} footer} Orders{} | notify ?"

// wantJSON checks that v, a Go value or JSON text, reads as the same JSON
// as want.
func wantJSON(t *testing.T, what string, v any, want string) {
	t.Helper()
	if raw, ok := v.(json.RawMessage); ok {
		v = decodeCanonical(raw)
	}
	got, wantC := canonicalValue(v), canonicalValue(decodeCanonical([]byte(want)))
	if !bytes.Equal(got, wantC) {
		t.Errorf("got %s %s, want %s", what, got, wantC)
	}
}

func TestApplyEdits(t *testing.T) {
	tests := []struct {
		name  string
		edits string
		want  string // the outline of the result
		check func(t *testing.T, m *Model)
	}{
		{"sets the description", `[{"op": "setDescription", "value": "A big shop."}]`, shopOutline, func(t *testing.T, m *Model) {
			if m.Description != "A big shop." {
				t.Errorf("got description %q, want %q", m.Description, "A big shop.")
			}
		}},
		{"adds entity types at the end and at an index", `[
			{"op": "addEntity", "value": {"name": "Tag", "fields": [{"name": "label", "type": "string"}]}},
			{"op": "addEntity", "index": 0, "value": {"name": "Shop"}}]`,
			"Shop[] Customer[email nick] Order[total] Item[] Tag[label] | customerOrders(Customer>Order) orderItems(Order>Item) | " +
				"Home{header panel{a b{b1}} footer} Orders{} | notify ?", nil},
		{"updates an entity type by a merge patch", `[{"op": "updateEntity", "entity": "Customer",
			"value": {"displayName": "Client", "permissions": {"member": {"read": null, "delete": false}, "viewer": {"read": false}}}}]`,
			shopOutline, func(t *testing.T, m *Model) {
				wantJSON(t, "entity type", headOf(&m.Entities[0]),
					`{"name": "Customer", "displayName": "Client", "permissions": {"member": {"delete": false}, "viewer": {"read": false}}}`)
				if len(m.Entities[0].Fields) != 2 {
					t.Errorf("got fields %+v, want them kept", m.Entities[0].Fields)
				}
			}},
		{"renames an entity type in the relationships", `[{"op": "updateEntity", "entity": "Order", "value": {"name": "Purchase"}}]`,
			"Customer[email nick] Purchase[total] Item[] | customerOrders(Customer>Purchase) orderItems(Purchase>Item) | " +
				"Home{header panel{a b{b1}} footer} Orders{} | notify ?", nil},
		{"removes an entity type with its relationships", `[{"op": "removeEntity", "entity": "Order"}]`,
			"Customer[email nick] Item[] |  | Home{header panel{a b{b1}} footer} Orders{} | notify ?", nil},
		{"reorders entity types", `[{"op": "reorderEntities", "order": ["Item", "Customer", "Order"]}]`,
			"Item[] Customer[email nick] Order[total] | customerOrders(Customer>Order) orderItems(Order>Item) | " +
				"Home{header panel{a b{b1}} footer} Orders{} | notify ?", nil},
		{"adds fields at the end and at an index", `[
			{"op": "addField", "entity": "Customer", "value": {"name": "phone", "type": "string"}},
			{"op": "addField", "entity": "Customer", "index": 1, "value": {"name": "age", "type": "integer", "min": 0}},
			{"op": "addField", "entity": "Item", "index": 0, "value": {"name": "sku", "type": "string"}}]`,
			"Customer[email age nick phone] Order[total] Item[sku] | customerOrders(Customer>Order) orderItems(Order>Item) | " +
				"Home{header panel{a b{b1}} footer} Orders{} | notify ?", func(t *testing.T, m *Model) {
				wantJSON(t, "field", m.Entities[0].Fields[1], `{"name": "age", "type": "integer", "min": 0}`)
			}},
		{"updates and renames a field by a merge patch", `[{"op": "updateField", "entity": "Order", "field": "total",
			"value": {"name": "amount", "type": "integer", "min": null, "max": 1e3, "required": true}}]`,
			"Customer[email nick] Order[amount] Item[] | customerOrders(Customer>Order) orderItems(Order>Item) | " +
				"Home{header panel{a b{b1}} footer} Orders{} | notify ?", func(t *testing.T, m *Model) {
				wantJSON(t, "field", m.Entities[1].Fields[0], `{"name": "amount", "type": "integer", "max": 1000, "required": true}`)
			}},
		{"removes and reorders fields", `[
			{"op": "reorderFields", "entity": "Customer", "order": ["nick", "email"]},
			{"op": "removeField", "entity": "Order", "field": "total"}]`,
			"Customer[nick email] Order[] Item[] | customerOrders(Customer>Order) orderItems(Order>Item) | " +
				"Home{header panel{a b{b1}} footer} Orders{} | notify ?", nil},
		{"adds, updates and removes relationships", `[
			{"op": "addRelationship", "index": 0, "value": {"name": "itemTags", "kind": "many-to-many", "from": "Item", "to": "Item", "fromField": "tags", "toField": "tagged"}},
			{"op": "updateRelationship", "relationship": "customerOrders", "value": {"name": "buyerOrders", "onDelete": "cascade"}},
			{"op": "removeRelationship", "relationship": "orderItems"}]`,
			"Customer[email nick] Order[total] Item[] | itemTags(Item>Item) buyerOrders(Customer>Order) | " +
				"Home{header panel{a b{b1}} footer} Orders{} | notify ?", func(t *testing.T, m *Model) {
				wantJSON(t, "relationship", m.Relationships[1], `{"name": "buyerOrders", "kind": "one-to-many", "from": "Customer", "to": "Order",
					"fromField": "orders", "toField": "customer", "onDelete": "cascade"}`)
			}},
		{"adds, updates, removes and reorders pages", `[
			{"op": "addPage", "index": 0, "value": {"name": "About", "route": "/about", "components": [{"id": "x", "children": [{"id": "y"}]}]}},
			{"op": "updatePage", "page": "Orders", "value": {"name": "Purchases", "route": "/purchases", "title": "<b>Purchases</b>"}},
			{"op": "reorderPages", "order": ["Purchases", "About", "Home"]},
			{"op": "removePage", "page": "Home"}]`,
			"Customer[email nick] Order[total] Item[] | customerOrders(Customer>Order) orderItems(Order>Item) | " +
				"Purchases{} About{x{y}} | notify ?", func(t *testing.T, m *Model) {
				wantJSON(t, "page", m.Pages[0], `{"name": "Purchases", "route": "/purchases", "title": "<b>Purchases</b>"}`)
				if !bytes.Contains(m.Pages[0], []byte("<b>")) {
					t.Errorf("got page %s, want <b> written as it is", m.Pages[0])
				}
			}},
		{"adds components at the top, at an index and under a parent", `[
			{"op": "addComponent", "page": "Home", "value": {"id": "end", "type": "Text"}},
			{"op": "addComponent", "page": "Home", "index": 0, "value": {"id": "start", "children": [{"id": "s1"}]}},
			{"op": "addComponent", "page": "Home", "parent": "a", "value": {"id": "a1"}},
			{"op": "addComponent", "page": "Home", "parent": "b", "index": 0, "value": {"id": "b0"}},
			{"op": "addComponent", "page": "Orders", "value": {"id": "grid"}}]`,
			"Customer[email nick] Order[total] Item[] | customerOrders(Customer>Order) orderItems(Order>Item) | " +
				"Home{start{s1} header panel{a{a1} b{b0 b1}} footer end} Orders{grid} | notify ?", nil},
		{"updates and renames a nested component by a merge patch", `[{"op": "updateComponent", "page": "Home", "component": "b1",
			"value": {"id": "b2", "props": {"size": null, "label": "Hi"}}}]`,
			"Customer[email nick] Order[total] Item[] | customerOrders(Customer>Order) orderItems(Order>Item) | " +
				"Home{header panel{a b{b2}} footer} Orders{} | notify ?", func(t *testing.T, m *Model) {
				wantJSON(t, "page", m.Pages[0], `{"name": "Home", "route": "/", "components": [
					{"id": "header", "type": "Text"},
					{"id": "panel", "type": "Stack", "children": [
						{"id": "a", "type": "Text"},
						{"id": "b", "type": "Text", "children": [{"id": "b2", "type": "Text", "props": {"label": "Hi"}}]}]},
					{"id": "footer", "type": "Text"}]}`)
			}},
		{"removes a component with its children", `[{"op": "removeComponent", "page": "Home", "component": "panel"}]`,
			"Customer[email nick] Order[total] Item[] | customerOrders(Customer>Order) orderItems(Order>Item) | " +
				"Home{header footer} Orders{} | notify ?", nil},
		{"reorders components and children", `[
			{"op": "reorderComponents", "page": "Home", "order": ["footer", "panel", "header"]},
			{"op": "reorderComponents", "page": "Home", "parent": "panel", "order": ["b", "a"]},
			{"op": "reorderComponents", "page": "Orders", "order": []}]`,
			"Customer[email nick] Order[total] Item[] | customerOrders(Customer>Order) orderItems(Order>Item) | " +
				"Home{footer panel{b{b1} a} header} Orders{} | notify ?", func(t *testing.T, m *Model) {
				if bytes.Contains(m.Pages[1], []byte("components")) {
					t.Errorf("got page %s, want no components made up", m.Pages[1])
				}
			}},
		{"adds, updates and removes flows", `[
			{"op": "addFlow", "index": 1, "value": {"name": "audit", "on": "delete"}},
			{"op": "updateFlow", "flow": "notify", "value": {"name": "alert", "steps": [1, 2.50]}},
			{"op": "removeFlow", "flow": "audit"},
			{"op": "addFlow", "value": {"name": "audit", "on": "update"}}]`,
			"Customer[email nick] Order[total] Item[] | customerOrders(Customer>Order) orderItems(Order>Item) | " +
				"Home{header panel{a b{b1}} footer} Orders{} | alert ? audit", func(t *testing.T, m *Model) {
				if got, want := string(m.XFlows[0]), `{"name":"alert","on":"create","steps":[1,2.50]}`; got != want {
					t.Errorf("got flow %s, want %s (numbers as written)", got, want)
				}
			}},
		{"applies edits in order, each on the result of the last", `[
			{"op": "addEntity", "value": {"name": "Tag"}},
			{"op": "addField", "entity": "Tag", "value": {"name": "label", "type": "string"}},
			{"op": "updateEntity", "entity": "Tag", "value": {"name": "Label"}},
			{"op": "addRelationship", "value": {"name": "itemLabels", "kind": "many-to-many", "from": "Item", "to": "Label", "fromField": "labels", "toField": "items"}},
			{"op": "updateEntity", "entity": "Item", "value": {"name": "Product"}}]`,
			"Customer[email nick] Order[total] Product[] Label[label] | customerOrders(Customer>Order) orderItems(Order>Product) itemLabels(Product>Label) | " +
				"Home{header panel{a b{b1}} footer} Orders{} | notify ?", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, shopModel)
			if err := m.ApplyEdits(parseEdits(t, tt.edits)); err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if got := outline(m); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if tt.check != nil {
				tt.check(t, m)
			}
			m.Normalize()
			if err := m.Validate(); err != nil {
				t.Errorf("Validate: got %v, want none", err)
			}
			roundTrip(t, m)
		})
	}
}

func TestApplyEditsErrors(t *testing.T) {
	tests := []struct {
		name  string
		edits string
		code  string
		want  map[string]string
	}{
		{"refuses an unknown operation", `[{"op": "explode"}]`, EINVALID,
			map[string]string{"edits[0].op": "unknown edit operation"}},
		{"refuses a member the operation does not use", `[{"op": "removeEntity", "entity": "Order", "index": 0}]`, EINVALID,
			map[string]string{"edits[0].index": "is not used by removeEntity"}},
		{"refuses an edit without its target", `[{"op": "updateEntity", "value": {}}]`, EINVALID,
			map[string]string{"edits[0].entity": "is required"}},
		{"refuses an edit without its value", `[{"op": "addEntity"}]`, EINVALID,
			map[string]string{"edits[0].value": "is required"}},

		{"names an unknown entity type", `[{"op": "setDescription", "value": "x"}, {"op": "removeEntity", "entity": "Nope"}]`, ENOTFOUND,
			map[string]string{"edits[1].entity": `no entity "Nope"`}},
		{"names an unknown field", `[{"op": "updateField", "entity": "Customer", "field": "x", "value": {}}]`, ENOTFOUND,
			map[string]string{"edits[0].field": `no field "x" in entity "Customer"`}},
		{"names an unknown relationship", `[{"op": "removeRelationship", "relationship": "x"}]`, ENOTFOUND,
			map[string]string{"edits[0].relationship": `no relationship "x"`}},
		{"names an unknown page", `[{"op": "addComponent", "page": "x", "value": {"id": "y"}}]`, ENOTFOUND,
			map[string]string{"edits[0].page": `no page "x"`}},
		{"names an unknown component", `[{"op": "removeComponent", "page": "Home", "component": "x"}]`, ENOTFOUND,
			map[string]string{"edits[0].component": `no component "x" in page "Home"`}},
		{"names an unknown parent", `[{"op": "reorderComponents", "page": "Home", "parent": "x", "order": []}]`, ENOTFOUND,
			map[string]string{"edits[0].parent": `no component "x" in page "Home"`}},
		{"names an unknown flow", `[{"op": "updateFlow", "flow": "x", "value": {}}]`, ENOTFOUND,
			map[string]string{"edits[0].flow": `no flow "x"`}},
		{"names an entity type an earlier edit removed", `[{"op": "removeEntity", "entity": "Item"}, {"op": "addField", "entity": "Item", "value": {"name": "a", "type": "text"}}]`, ENOTFOUND,
			map[string]string{"edits[1].entity": `no entity "Item"`}},

		{"refuses a duplicate entity type", `[{"op": "addEntity", "value": {"name": "Order"}}]`, EINVALID,
			map[string]string{"edits[0].value.name": `entity "Order" already exists`}},
		{"refuses an entity type without a name", `[{"op": "addEntity", "value": {"fields": []}}]`, EINVALID,
			map[string]string{"edits[0].value.name": "is required"}},
		{"refuses renaming an entity type to a name in use", `[{"op": "updateEntity", "entity": "Order", "value": {"name": "Item"}}]`, EINVALID,
			map[string]string{"edits[0].value.name": `entity "Item" already exists`}},
		{"refuses a duplicate field", `[{"op": "addField", "entity": "Customer", "value": {"name": "nick", "type": "text"}}]`, EINVALID,
			map[string]string{"edits[0].value.name": `field "nick" already exists in entity "Customer"`}},
		{"refuses renaming a field to a name in use", `[{"op": "updateField", "entity": "Customer", "field": "nick", "value": {"name": "email"}}]`, EINVALID,
			map[string]string{"edits[0].value.name": `field "email" already exists in entity "Customer"`}},
		{"refuses a duplicate relationship", `[{"op": "updateRelationship", "relationship": "orderItems", "value": {"name": "customerOrders"}}]`, EINVALID,
			map[string]string{"edits[0].value.name": `relationship "customerOrders" already exists`}},
		{"refuses a duplicate page", `[{"op": "addPage", "value": {"name": "Home"}}]`, EINVALID,
			map[string]string{"edits[0].value.name": `page "Home" already exists`}},
		{"refuses renaming a page to a name in use", `[{"op": "updatePage", "page": "Home", "value": {"name": "Orders"}}]`, EINVALID,
			map[string]string{"edits[0].value.name": `page "Orders" already exists`}},
		{"refuses removing a page's name", `[{"op": "updatePage", "page": "Home", "value": {"name": null}}]`, EINVALID,
			map[string]string{"edits[0].value.name": "is required"}},
		{"refuses a duplicate flow", `[{"op": "addFlow", "value": {"name": "notify"}}]`, EINVALID,
			map[string]string{"edits[0].value.name": `flow "notify" already exists`}},
		{"refuses a flow without a name", `[{"op": "addFlow", "value": {"name": ""}}]`, EINVALID,
			map[string]string{"edits[0].value.name": "must not be empty"}},
		{"refuses a component id used deeper in the page", `[{"op": "addComponent", "page": "Home", "value": {"id": "b1"}}]`, EINVALID,
			map[string]string{"edits[0].value.id": `component id "b1" is already used in page "Home"`}},
		{"refuses a component id used twice in the value", `[{"op": "addComponent", "page": "Home", "value": {"id": "x", "children": [{"id": "y"}, {"id": "x"}]}}]`, EINVALID,
			map[string]string{"edits[0].value.children[1].id": `component id "x" is already used in page "Home"`}},
		{"refuses a page with a component id used twice", `[{"op": "addPage", "value": {"name": "P", "components": [{"id": "x"}, {"children": [{"id": "x"}]}]}}]`, EINVALID,
			map[string]string{"edits[0].value.components[1].children[0].id": `component id "x" is already used in page "P"`}},
		{"refuses renaming a component to an id in use", `[{"op": "updateComponent", "page": "Home", "component": "a", "value": {"id": "footer"}}]`, EINVALID,
			map[string]string{"edits[0].value.id": `component id "footer" is already used in page "Home"`}},
		{"refuses a component without an id", `[{"op": "addComponent", "page": "Home", "value": {"type": "Text"}}]`, EINVALID,
			map[string]string{"edits[0].value.id": "is required"}},
		{"refuses children that are not an array", `[{"op": "addComponent", "page": "Home", "value": {"id": "x", "children": {}}}]`, EINVALID,
			map[string]string{"edits[0].value.children": "must be an array"}},

		{"refuses a negative index", `[{"op": "addEntity", "index": -1, "value": {"name": "X"}}]`, EINVALID,
			map[string]string{"edits[0].index": "must be between 0 and 3"}},
		{"refuses an index past the end", `[{"op": "addField", "entity": "Customer", "index": 3, "value": {"name": "x", "type": "text"}}]`, EINVALID,
			map[string]string{"edits[0].index": "must be between 0 and 2"}},
		{"refuses an index in an empty list", `[{"op": "addComponent", "page": "Orders", "index": 1, "value": {"id": "x"}}]`, EINVALID,
			map[string]string{"edits[0].index": "must be 0 (the list is empty)"}},

		{"refuses an order missing a name", `[{"op": "reorderEntities", "order": ["Item", "Order"]}]`, EINVALID,
			map[string]string{"edits[0].order": `entity "Customer" is missing`}},
		{"refuses an order with an unknown name", `[{"op": "reorderFields", "entity": "Customer", "order": ["nick", "email", "x"]}]`, EINVALID,
			map[string]string{"edits[0].order": `no field "x" in the list`}},
		{"refuses an order naming one twice", `[{"op": "reorderPages", "order": ["Home", "Home", "Orders"]}]`, EINVALID,
			map[string]string{"edits[0].order": `"Home" is listed twice`}},
		{"refuses a missing order", `[{"op": "reorderComponents", "page": "Home", "parent": "b"}]`, EINVALID,
			map[string]string{"edits[0].order": `component "b1" is missing`}},
		{"refuses an order of components without an id", `[{"op": "addPage", "value": {"name": "P", "components": [{"type": "Text"}]}},
			{"op": "reorderComponents", "page": "P", "order": []}]`, EINVALID,
			map[string]string{"edits[1].order": "cannot reorder a list that holds a component without an id"}},
		{"refuses an order of a component deeper down", `[{"op": "reorderComponents", "page": "Home", "order": ["a", "header", "panel", "footer"]}]`, EINVALID,
			map[string]string{"edits[0].order": `no component "a" in the list`}},

		{"refuses an unknown key", `[{"op": "addEntity", "value": {"name": "X", "colour": "red"}}]`, EINVALID,
			map[string]string{"edits[0].value.colour": "unknown key"}},
		{"refuses a value of the wrong type deep down", `[{"op": "addEntity", "value": {"name": "X", "fields": [{"name": "a", "type": "text", "required": "yes"}]}}]`, EINVALID,
			map[string]string{"edits[0].value.fields[0].required": "must be a boolean"}},
		{"refuses a patch making a value of the wrong type", `[{"op": "updateField", "entity": "Order", "field": "total", "value": {"type": 5, "colour": 1}}]`, EINVALID,
			map[string]string{"edits[0].value.type": "must be a string", "edits[0].value.colour": "unknown key"}},
		{"refuses a patch that is not an object", `[{"op": "updateRelationship", "relationship": "orderItems", "value": [1]}]`, EINVALID,
			map[string]string{"edits[0].value": "must be an object"}},
		{"refuses a patch of an entity type's fields", `[{"op": "updateEntity", "entity": "Order", "value": {"fields": []}}]`, EINVALID,
			map[string]string{"edits[0].value.fields": "cannot be changed by updateEntity: use the field edits"}},
		{"refuses a patch of a page's components", `[{"op": "updatePage", "page": "Home", "value": {"components": null}}]`, EINVALID,
			map[string]string{"edits[0].value.components": "cannot be changed by updatePage: use the component edits"}},
		{"refuses a patch of a component's children", `[{"op": "updateComponent", "page": "Home", "component": "b", "value": {"children": []}}]`, EINVALID,
			map[string]string{"edits[0].value.children": "cannot be changed by updateComponent: use addComponent, removeComponent and reorderComponents with a parent"}},
		{"refuses a duplicate key in a patch", `[{"op": "updatePage", "page": "Home", "value": {"title": "a", "title": "b"}}]`, EINVALID,
			map[string]string{"edits[0].value.title": "duplicate key"}},
		{"refuses a description that is not a string", `[{"op": "setDescription", "value": 5}]`, EINVALID,
			map[string]string{"edits[0].value": "must be a string"}},
		{"refuses a page that is not an object", `[{"op": "addPage", "value": "Home"}]`, EINVALID,
			map[string]string{"edits[0].value": "must be an object"}},
		{"refuses a value nested too deep", `[{"op": "addFlow", "value": {"name": "x", "a": ` + strings.Repeat("[", 510) + strings.Repeat("]", 510) + `}}]`, EINVALID,
			map[string]string{"edits[0].value": "invalid JSON: nesting deeper than 512 levels at line 1, column 529"}},
		{"refuses a field default nested too deep for a document", `[{"op": "addField", "entity": "Item", "value": {"name": "x", "type": "json", "default": ` + strings.Repeat("[", 508) + strings.Repeat("]", 508) + `}}]`, EINVALID,
			map[string]string{"edits[0].value": "invalid JSON: nesting deeper than 512 levels at line 1, column 549"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, shopModel)
			err := m.ApplyEdits(parseEdits(t, tt.edits))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got error %v, want an *Error", err)
			}
			if e.Code != tt.code || !maps.Equal(e.Fields, tt.want) {
				t.Errorf("got %s %s, want %s %v", e.Code, e.FieldList(), tt.code, tt.want)
			}
		})
	}
}

// TestApplyEditsNestingAtTheLimit checks that ApplyEdits takes parts
// nested as deep as a document may be, and that the document says them.
func TestApplyEditsNestingAtTheLimit(t *testing.T) {
	m := mustParse(t, shopModel)
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	err := m.ApplyEdits(parseEdits(t, `[
		{"op": "addFlow", "value": {"name": "x", "a": `+deep(509)+`}},
		{"op": "addField", "entity": "Item", "value": {"name": "x", "type": "json", "default": `+deep(507)+`}},
		{"op": "addComponent", "page": "Home", "parent": "b1", "value": {"id": "c", "a": `+deep(501)+`}}]`))
	if err != nil {
		t.Fatalf("ApplyEdits: got %v, want none", err)
	}
	doc, _ := json.Marshal(m)
	if _, err := ParseModel(doc); err != nil {
		t.Fatalf("ParseModel: got %v, want none", err)
	}
	m = mustParse(t, shopModel)
	err = m.ApplyEdits(parseEdits(t, `[{"op": "addComponent", "page": "Home", "parent": "b1", "value": {"id": "c", "a": `+deep(502)+`}}]`))
	if got := ErrorFields(err)["edits[0].value"]; !strings.HasPrefix(got, "invalid JSON: nesting deeper than 512 levels") {
		t.Errorf("one level deeper: got %v, want nesting deeper than 512 levels", err)
	}
}

// TestApplyEditsOnDuplicateNames checks edits of a model whose duplicate
// names Validate would refuse: edits find the first part of a name, and
// lists holding a name twice cannot be reordered.
func TestApplyEditsOnDuplicateNames(t *testing.T) {
	m := &Model{
		Entities: []EntityType{{Name: "A"}, {Name: "A", DisplayName: "second"}},
		Pages:    []json.RawMessage{json.RawMessage(`{"name": "P", "components": [{"id": "x"}, {"id": "x", "n": 2}]}`)},
	}
	err := m.ApplyEdits(parseEdits(t, `[
		{"op": "updateEntity", "entity": "A", "value": {"displayName": "first"}},
		{"op": "updateComponent", "page": "P", "component": "x", "value": {"n": 1}}]`))
	if err != nil {
		t.Fatalf("got %v, want none", err)
	}
	if m.Entities[0].DisplayName != "first" || m.Entities[1].DisplayName != "second" {
		t.Errorf("got entity types %+v, want the first one changed", m.Entities)
	}
	wantJSON(t, "page", m.Pages[0], `{"name": "P", "components": [{"id": "x", "n": 1}, {"id": "x", "n": 2}]}`)
	for _, tt := range []struct{ edits, want string }{
		{`[{"op": "reorderEntities", "order": ["A", "A"]}]`, `cannot reorder a list that holds entity "A" twice`},
		{`[{"op": "reorderComponents", "page": "P", "order": ["x", "x"]}]`, `cannot reorder a list that holds component "x" twice`},
	} {
		err := m.ApplyEdits(parseEdits(t, tt.edits))
		if got := ErrorFields(err)["edits[0].order"]; got != tt.want {
			t.Errorf("%s: got %v, want %s", tt.edits, err, tt.want)
		}
	}
}

func TestApplyEditsRefusesInvalidJSON(t *testing.T) {
	m := mustParse(t, shopModel)
	edits := []ModelEdit{{Op: EditAddEntity, Value: json.RawMessage(`{"name": "X",}`)}}
	err := m.ApplyEdits(edits)
	if got, want := ErrorFields(err), map[string]string{"edits[0].value": `invalid JSON: unexpected character '}' at line 1, column 14`}; !maps.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	edits = []ModelEdit{{Op: EditSetDescription, Value: json.RawMessage(`"a" "b"`)}}
	err = m.ApplyEdits(edits)
	if got, want := ErrorFields(err), map[string]string{"edits[0].value": `invalid JSON: unexpected data after the value at line 1, column 5`}; !maps.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestApplyEditsCapsEdits(t *testing.T) {
	m := mustParse(t, shopModel)
	edits := make([]ModelEdit, MaxModelEdits)
	for i := range edits {
		edits[i] = ModelEdit{Op: EditSetDescription, Value: json.RawMessage(strconv.Quote(strconv.Itoa(i)))}
	}
	if err := m.ApplyEdits(edits); err != nil || m.Description != "999" {
		t.Fatalf("%d edits: got %v and description %q, want none and 999", MaxModelEdits, err, m.Description)
	}
	err := m.ApplyEdits(append(edits, edits[0]))
	if ErrorCode(err) != EINVALID || ErrorFields(err)["edits"] != "must have at most 1000 edits" {
		t.Errorf("%d edits: got %v, want EINVALID on edits", MaxModelEdits+1, err)
	}
}

// TestApplyEditsLeavesValidationToValidate checks that ApplyEdits takes
// edits that only Validate refuses, and that Validate then names the parts
// by their positions as for a document.
func TestApplyEditsLeavesValidationToValidate(t *testing.T) {
	m := mustParse(t, shopModel)
	err := m.ApplyEdits(parseEdits(t, `[
		{"op": "addField", "entity": "Customer", "value": {"name": "age", "type": "integr"}},
		{"op": "addRelationship", "value": {"name": "x", "kind": "one-to-many", "from": "Customer", "to": "Nope", "fromField": "a", "toField": "b"}},
		{"op": "updateEntity", "entity": "Item", "value": {"name": "bad name"}}]`))
	if err != nil {
		t.Fatalf("ApplyEdits: got %v, want none", err)
	}
	m.Normalize()
	wantProblems(t, m.Validate(), map[string]string{
		"entities[0].fields[2].type": `unknown type "integr" (did you mean "integer"?)`,
		"relationships[2].to":        `unknown entity type "Nope"`,
		"entities[2].name":           `must start with a letter and contain only letters, digits and "_" (at most 48 characters)`,
	})
}

func TestApplyEditsLeavesAShallowCopyAlone(t *testing.T) {
	m := mustParse(t, shopModel)
	before, _ := json.Marshal(m)
	c := *m
	err := c.ApplyEdits(parseEdits(t, `[
		{"op": "updateField", "entity": "Customer", "field": "email", "value": {"required": true}},
		{"op": "updateEntity", "entity": "Order", "value": {"name": "Purchase", "displayName": "P"}},
		{"op": "updateComponent", "page": "Home", "component": "b1", "value": {"type": "Card"}},
		{"op": "updateFlow", "flow": "notify", "value": {"on": "delete"}},
		{"op": "reorderEntities", "order": ["Item", "Purchase", "Customer"]},
		{"op": "removeField", "entity": "Customer", "field": "email"}]`))
	if err != nil {
		t.Fatalf("ApplyEdits: got %v, want none", err)
	}
	if after, _ := json.Marshal(m); !bytes.Equal(after, before) {
		t.Errorf("got the original changed to\n%s\nwant\n%s", after, before)
	}
	if len(DiffModels(m, &c)) == 0 {
		t.Errorf("got no changes in the copy, want some")
	}
}

func TestMergePatch(t *testing.T) {
	// The examples of RFC 7386, appendix A, and a few more.
	tests := []struct{ target, patch, want string }{
		{`{"a":"b"}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"b"}`, `{"b":"c"}`, `{"a":"b","b":"c"}`},
		{`{"a":"b"}`, `{"a":null}`, `{}`},
		{`{"a":"b","b":"c"}`, `{"a":null}`, `{"b":"c"}`},
		{`{"a":["b"]}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"c"}`, `{"a":["b"]}`, `{"a":["b"]}`},
		{`{"a":{"b":"c"}}`, `{"a":{"b":"d","c":null}}`, `{"a":{"b":"d"}}`},
		{`{"a":[{"b":"c"}]}`, `{"a":[1]}`, `{"a":[1]}`},
		{`["a","b"]`, `["c","d"]`, `["c","d"]`},
		{`{"a":"b"}`, `["c"]`, `["c"]`},
		{`{"a":"foo"}`, `null`, `null`},
		{`{"a":"foo"}`, `"bar"`, `"bar"`},
		{`{"e":null}`, `{"a":1}`, `{"e":null,"a":1}`},
		{`[1,2]`, `{"a":"b","c":null}`, `{"a":"b"}`},
		{`{}`, `{"a":{"bb":{"ccc":null}}}`, `{"a":{"bb":{}}}`},
		{`{"a":{"x":1}}`, `{"a":[{"k":null}]}`, `{"a":[{"k":null}]}`},
		{`{"a":1}`, `{}`, `{"a":1}`},
		{`{"n":1.50}`, `{"m":2.0}`, `{"m":2.0,"n":1.50}`},
	}
	for _, tt := range tests {
		got, err := mergePatchJSON([]byte(tt.target), []byte(tt.patch))
		if err != nil {
			t.Errorf("merge %s into %s: got error %v", tt.patch, tt.target, err)
			continue
		}
		want, _ := decodeJSON([]byte(tt.want))
		if wantJSON, _ := encodeJSON(want); !bytes.Equal(got, wantJSON) {
			t.Errorf("merge %s into %s: got %s, want %s", tt.patch, tt.target, got, wantJSON)
		}
	}
}

// mergePatchJSON applies a JSON merge patch to a JSON document.
func mergePatchJSON(target, patch []byte) ([]byte, error) {
	t, err := decodeJSON(target)
	if err != nil {
		return nil, err
	}
	p, err := decodeJSON(patch)
	if err != nil {
		return nil, err
	}
	return encodeJSON(mergePatch(t, p))
}

// referenceMergePatch is RFC 7386's MergePatch as the RFC writes it, making
// new values instead of changing target.
func referenceMergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	result := map[string]any{}
	if t, ok := target.(map[string]any); ok {
		maps.Copy(result, t)
	}
	for name, value := range p {
		if value == nil {
			delete(result, name)
		} else {
			result[name] = referenceMergePatch(result[name], value)
		}
	}
	return result
}

func FuzzMergePatch(f *testing.F) {
	f.Add(`{"a":{"b":"c"},"d":[1]}`, `{"a":{"b":null,"e":{"f":null}},"d":null}`)
	f.Add(`[1]`, `{"a":null}`)
	f.Add(`{"a":"foo"}`, `null`)
	f.Fuzz(func(t *testing.T, target, patch string) {
		tv, err := decodeJSON([]byte(target))
		if err != nil {
			return
		}
		pv, err := decodeJSON([]byte(patch))
		if err != nil {
			return
		}
		want, _ := encodeJSON(referenceMergePatch(tv, pv))
		got, err := mergePatchJSON([]byte(target), []byte(patch))
		if err != nil {
			t.Fatalf("mergePatchJSON: %v", err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("merge %s into %s: got %s, want %s", patch, target, got, want)
		}
		// A merge patch applied twice changes nothing more.
		again, err := mergePatchJSON(got, []byte(patch))
		if err != nil || !bytes.Equal(again, got) {
			t.Fatalf("merge %s twice into %s: got %s (%v), want %s", patch, target, again, err, got)
		}
	})
}

// randomEdit returns an edit of m drawn from a small set, so that two
// random series of edits often give equal models. Some of them fail; some
// change nothing, or change the text of a page and not its content.
func randomEdit(r *rand.Rand, m *Model) ModelEdit {
	pick := func(s ...string) string { return s[r.IntN(len(s))] }
	shuffled := func(names []string) []string {
		names = slices.Clone(names)
		if r.IntN(2) == 0 {
			r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
		}
		return names
	}
	entity := pick("Customer", "Order", "Item", "Goods")
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	switch r.IntN(16) {
	case 0:
		return ModelEdit{Op: EditSetDescription, Value: raw(pick(`"A shop."`, `"Two"`))}
	case 1:
		return ModelEdit{Op: EditUpdateEntity, Entity: entity, Value: raw(pick(`{"displayName": "X"}`, `{"displayName": null}`, `{}`,
			`{"permissions": {"viewer": {"read": false}}}`, `{"permissions": null}`))}
	case 2:
		// Renames go back and forth.
		return ModelEdit{Op: EditUpdateEntity, Entity: entity, Value: raw(pick(`{"name": "Item"}`, `{"name": "Goods"}`))}
	case 3:
		var names []string
		for _, et := range m.Entities {
			names = append(names, et.Name)
		}
		return ModelEdit{Op: EditReorderEntities, Order: shuffled(names)}
	case 4:
		return ModelEdit{Op: EditUpdateField, Entity: entity, Field: pick("email", "nick", "total"),
			Value: raw(pick(`{"required": true}`, `{"required": null}`, `{"displayName": "N"}`, `{"displayName": null}`, `{"min": 0.0}`))}
	case 5:
		if et := m.EntityType(entity); et != nil {
			var names []string
			for _, f := range et.Fields {
				names = append(names, f.Name)
			}
			return ModelEdit{Op: EditReorderFields, Entity: entity, Order: shuffled(names)}
		}
		return ModelEdit{Op: EditRemoveField, Entity: entity, Field: "extra"}
	case 6:
		return ModelEdit{Op: EditAddField, Entity: entity, Value: raw(`{"name": "extra", "type": "text"}`)}
	case 7:
		return ModelEdit{Op: EditRemoveField, Entity: entity, Field: "extra"}
	case 8:
		return ModelEdit{Op: EditAddRelationship, Value: raw(`{"name": "itemTags", "kind": "many-to-many", "from": "Order", "to": "Order", "fromField": "x", "toField": "y"}`)}
	case 9:
		return ModelEdit{Op: EditRemoveRelationship, Relationship: "itemTags"}
	case 10:
		return ModelEdit{Op: EditUpdatePage, Page: pick("Home", "Orders"), Value: raw(pick(`{}`, `{"route": "/x"}`, `{"title": "T"}`, `{"title": null}`))}
	case 11:
		return ModelEdit{Op: EditUpdateComponent, Page: "Home", Component: pick("header", "a", "b", "b1"),
			Value: raw(pick(`{"type": "Text"}`, `{"type": "Card"}`, `{"props": {"size": 1.5}}`, `{"props": null}`))}
	case 12:
		return ModelEdit{Op: EditReorderComponents, Page: "Home", Parent: "panel", Order: shuffled([]string{"a", "b"})}
	case 13:
		if r.IntN(2) == 0 {
			return ModelEdit{Op: EditRemoveComponent, Page: "Home", Component: "b1"}
		}
		return ModelEdit{Op: EditAddComponent, Page: "Home", Parent: pick("b", "a"), Value: raw(`{"id": "b1", "type": "Text", "props": {"size": 1.50}}`)}
	case 14:
		return ModelEdit{Op: EditUpdateFlow, Flow: "notify", Value: raw(pick(`{"on": "create"}`, `{"on": "delete"}`, `{}`))}
	default:
		return ModelEdit{Op: EditReorderPages, Order: shuffled([]string{"Home", "Orders"})}
	}
}

// randomModel applies up to n random edits to a shallow copy of base,
// skipping those that fail or make a model Validate refuses.
func randomModel(r *rand.Rand, base *Model, n int) *Model {
	m := *base
	for range r.IntN(n + 1) {
		next := m
		if next.ApplyEdits([]ModelEdit{randomEdit(r, &m)}) == nil && next.Validate() == nil {
			m = next
		}
	}
	return &m
}

// semanticJSON returns the content of m as DiffModels compares it: its JSON
// read back with encoding/json (objects as maps, numbers as float64), with
// name, id, version and timestamps left out, null lists as empty ones and
// empty "components" and "children" of pages left out.
func semanticJSON(t *testing.T, m *Model) any {
	t.Helper()
	doc, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"name", "id", "version", "createdAt", "updatedAt"} {
		delete(v, k)
	}
	for _, k := range []string{"entities", "relationships", "pages", "xflows"} {
		if v[k] == nil {
			v[k] = []any{}
		}
	}
	for _, et := range v["entities"].([]any) {
		if et := et.(map[string]any); et["fields"] == nil {
			et["fields"] = []any{}
		}
	}
	var dropEmpty func(v any, key string)
	dropEmpty = func(v any, key string) {
		obj, ok := v.(map[string]any)
		if !ok {
			return
		}
		list, ok := obj[key].([]any)
		if ok && len(list) == 0 {
			delete(obj, key)
		}
		for _, c := range list {
			dropEmpty(c, "children")
		}
	}
	for _, p := range v["pages"].([]any) {
		dropEmpty(p, "components")
	}
	return v
}

// TestDiffModelsAfterEdits checks, for many pairs of models made by random
// edits of one model, that DiffModels finds no change exactly when the two
// have the same content.
func TestDiffModelsAfterEdits(t *testing.T) {
	base := mustParse(t, shopModel)
	r := rand.New(rand.NewPCG(1, 2))
	equal, differ := 0, 0
	for i := range 2000 {
		a, b := randomModel(r, base, 4), randomModel(r, base, 4)
		if i%3 == 0 {
			// b is a, its pages written again in canonical form.
			b = randomModel(r, a, 0)
			c := *a
			if err := c.ApplyEdits([]ModelEdit{{Op: EditUpdatePage, Page: "Home", Value: json.RawMessage(`{}`)}}); err == nil {
				b = &c
			}
		}
		same := reflect.DeepEqual(semanticJSON(t, a), semanticJSON(t, b))
		changes := DiffModels(a, b)
		if same != (len(changes) == 0) {
			da, _ := json.Marshal(a)
			db, _ := json.Marshal(b)
			t.Fatalf("pair %d: same content %v, got changes %q\nold %s\nnew %s", i, same, changeLines(changes), da, db)
		}
		if back := DiffModels(b, a); len(back) != len(changes) {
			t.Fatalf("pair %d: got %d changes one way and %d the other: %q, %q", i, len(changes), len(back), changeLines(changes), changeLines(back))
		}
		if same {
			equal++
		} else {
			differ++
		}
	}
	t.Logf("%d equal and %d different pairs", equal, differ)
	if equal < 100 || differ < 100 {
		t.Errorf("got %d equal and %d different pairs, want at least 100 of each", equal, differ)
	}
}

func FuzzApplyEdits(f *testing.F) {
	f.Add([]byte(`[{"op": "setDescription", "value": "x"}]`))
	f.Add([]byte(`[{"op": "addField", "entity": "Task", "index": 0, "value": {"name": "tags", "type": "json", "default": [1]}},
		{"op": "updateField", "entity": "Task", "field": "status", "value": {"values": ["a", "b"], "default": "a"}}]`))
	f.Add([]byte(`[{"op": "updateEntity", "entity": "Task", "value": {"name": "Todo", "permissions": {"member": {"read": "own"}}}},
		{"op": "addEntity", "value": {"name": "Tag"}},
		{"op": "addRelationship", "value": {"name": "tags", "kind": "many-to-many", "from": "Todo", "to": "Tag", "fromField": "tags", "toField": "todos"}},
		{"op": "reorderEntities", "order": ["Tag", "Todo"]}]`))
	f.Add([]byte(`[{"op": "addComponent", "page": "Tasks", "parent": "task-form", "index": 0, "value": {"id": "x", "children": [{"id": "y"}]}},
		{"op": "updateComponent", "page": "Tasks", "component": "y", "value": {"id": "z", "props": {"a": null}}},
		{"op": "reorderComponents", "page": "Tasks", "order": ["tasks-grid", "new-task", "task-form"]},
		{"op": "removeComponent", "page": "Tasks", "component": "task-form-fields"}]`))
	f.Add([]byte(`[{"op": "addPage", "value": {"name": "P", "components": [{"id": "a"}]}}, {"op": "updatePage", "page": "P", "value": {"name": "Q"}},
		{"op": "reorderPages", "order": ["Q", "Tasks"]}, {"op": "addFlow", "value": {"name": "f"}}, {"op": "updateFlow", "flow": "f", "value": {"x": 1}},
		{"op": "removeFlow", "flow": "f"}, {"op": "removePage", "page": "Tasks"}, {"op": "removeEntity", "entity": "Task"}]`))
	doc, err := os.ReadFile("examples/todo/model.json")
	if err != nil {
		f.Fatal(err)
	}
	base, err := ParseModel(doc)
	if err != nil {
		f.Fatal(err)
	}
	baseJSON, _ := json.Marshal(base)
	f.Fuzz(func(t *testing.T, data []byte) {
		var edits []ModelEdit
		if json.Unmarshal(data, &edits) != nil {
			return
		}
		m := *base
		err := m.ApplyEdits(edits)
		if now, _ := json.Marshal(base); !bytes.Equal(now, baseJSON) {
			t.Fatalf("got the model changed under a shallow copy:\n%s", now)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID && e.Code != ENOTFOUND || len(e.Fields) == 0 {
				t.Fatalf("got error %#v, want an EINVALID or ENOTFOUND *Error with fields", err)
			}
			for path := range e.Fields {
				if !strings.HasPrefix(path, "edits") {
					t.Fatalf("got problem at %q, want a path in edits", path)
				}
			}
			return
		}
		m.Normalize()
		if m.Validate() != nil {
			return
		}
		first, second := DiffModels(base, &m), DiffModels(base, &m)
		if !reflect.DeepEqual(first, second) {
			t.Fatalf("got changes %q, then %q", changeLines(first), changeLines(second))
		}
		if same := DiffModels(&m, &m); len(same) != 0 {
			t.Fatalf("got changes %q between a model and itself", changeLines(same))
		}
		// What edits make and Validate accepts, a document can say.
		doc, err := json.Marshal(m.Document())
		if err != nil {
			t.Fatalf("marshal the edited model: %v", err)
		}
		back, err := ParseModel(doc)
		if err != nil {
			t.Fatalf("ParseModel of the edited model: got %v, want none\n%s", err, doc)
		}
		if changes := DiffModels(&m, back); len(changes) != 0 {
			t.Fatalf("got changes %q after export and import", changeLines(changes))
		}
		if _, err := json.Marshal(first); err != nil {
			t.Fatalf("marshal the changes: %v", err)
		}
	})
}

func ExampleModel_ApplyEdits() {
	m, _ := ParseModel([]byte(`{"name": "shop", "entities": [{"name": "Order", "fields": [{"name": "total", "type": "number"}]}]}`))
	old := *m
	err := m.ApplyEdits([]ModelEdit{
		{Op: EditUpdateField, Entity: "Order", Field: "total", Value: json.RawMessage(`{"required": true}`)},
		{Op: EditAddField, Entity: "Order", Index: new(0), Value: json.RawMessage(`{"name": "note", "type": "text"}`)},
	})
	fmt.Println(err)
	for _, c := range DiffModels(&old, m) {
		fmt.Println(c.Op, c.Path, string(c.After))
	}
	// Output:
	// <nil>
	// add entities/Order/fields/note {"name":"note","type":"text"}
	// update entities/Order/fields/total {"name":"total","required":true,"type":"number"}
}

func BenchmarkDiffModels(b *testing.B) {
	old := mustParse(b, shopModel)
	new := *old
	if err := new.ApplyEdits(parseEdits(b, `[
		{"op": "updateField", "entity": "Customer", "field": "email", "value": {"required": true}},
		{"op": "reorderComponents", "page": "Home", "parent": "panel", "order": ["b", "a"]},
		{"op": "updateFlow", "flow": "notify", "value": {"on": "delete"}}]`)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if len(DiffModels(old, &new)) != 3 {
			b.Fatal("got other than 3 changes")
		}
	}
}

func BenchmarkApplyEdits(b *testing.B) {
	base := mustParse(b, shopModel)
	edits := parseEdits(b, `[
		{"op": "addField", "entity": "Customer", "value": {"name": "phone", "type": "string"}},
		{"op": "updateEntity", "entity": "Order", "value": {"name": "Purchase"}},
		{"op": "updateComponent", "page": "Home", "component": "b1", "value": {"props": {"size": 2}}}]`)
	b.ReportAllocs()
	for b.Loop() {
		m := *base
		if err := m.ApplyEdits(edits); err != nil {
			b.Fatal(err)
		}
	}
}
