package torque

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

// shopModel has every kind of part: entity types with fields and
// permissions, relationships, a page with nested components, a page
// without, a named and an unnamed flow.
const shopModel = `{
  "name": "shop",
  "description": "A shop.",
  "version": 3,
  "entities": [
    {"name": "Customer", "fields": [{"name": "email", "type": "email"}, {"name": "nick", "type": "string"}],
     "permissions": {"member": {"read": "own"}}},
    {"name": "Order", "fields": [{"name": "total", "type": "number", "min": 0}]},
    {"name": "Item", "fields": []}
  ],
  "relationships": [
    {"name": "customerOrders", "kind": "one-to-many", "from": "Customer", "to": "Order", "fromField": "orders", "toField": "customer"},
    {"name": "orderItems", "kind": "one-to-many", "from": "Order", "to": "Item", "fromField": "items", "toField": "order"}
  ],
  "pages": [
    {"name": "Home", "route": "/", "components": [
      {"id": "header", "type": "Text"},
      {"id": "panel", "type": "Stack", "children": [
        {"id": "a", "type": "Text"},
        {"id": "b", "type": "Text", "children": [{"id": "b1", "type": "Text", "props": {"size": 1.50}}]}
      ]},
      {"id": "footer", "type": "Text"}
    ]},
    {"name": "Orders", "route": "/orders"}
  ],
  "xflows": [{"name": "notify", "on": "create"}, {"on": "update"}]
}`

// changeLines writes changes one a line as "op path before -> after".
func changeLines(changes []Change) []string {
	lines := make([]string, len(changes))
	for i, c := range changes {
		lines[i] = c.Op + " " + c.Path
		if c.Before != nil || c.After != nil {
			lines[i] += " " + string(c.Before) + " -> " + string(c.After)
		}
	}
	return lines
}

func wantChanges(t *testing.T, got []Change, want []string) {
	t.Helper()
	if lines := changeLines(got); !slices.Equal(lines, want) {
		t.Errorf("got changes\n\t%s\nwant\n\t%s", strings.Join(lines, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func TestDiffModels(t *testing.T) {
	tests := []struct {
		name   string
		change func(m *Model)
		want   []string
	}{
		{"finds nothing in an equal model", func(m *Model) {}, nil},
		{"leaves out version, id and timestamps", func(m *Model) {
			m.Version, m.ID, m.Name = 9, "x", "other"
		}, nil},
		{"leaves out the layout and key order of pages and flows", func(m *Model) {
			m.Pages[1] = json.RawMessage("{ \"route\" : \"/orders\",\n \"name\": \"Orders\" }")
			m.XFlows[0] = json.RawMessage(`{"on":"create","name":"notify"}`)
		}, nil},
		{"compares numbers by value", func(m *Model) {
			m.Pages[0] = json.RawMessage(strings.Replace(string(m.Pages[0]), "1.50", "15e-1", 1))
			zero := 0.0
			m.Entities[1].Fields[0].Min = &zero
		}, nil},
		{"reads a missing children list as an empty one", func(m *Model) {
			m.Pages[1] = json.RawMessage(`{"name": "Orders", "route": "/orders", "components": []}`)
		}, nil},
		{"updates the description", func(m *Model) { m.Description = "A big shop." },
			[]string{`update description "A shop." -> "A big shop."`}},
		{"removes the description", func(m *Model) { m.Description = "" },
			[]string{`remove description "A shop." -> `}},
		{"updates an entity type without its fields", func(m *Model) {
			m.Entities[0].DisplayName = "Client"
			m.Entities[0].Permissions = nil
		}, []string{`update entities/Customer {"name":"Customer","permissions":{"member":{"read":"own"}}} -> {"displayName":"Client","name":"Customer"}`}},
		{"adds an entity type with its fields and without a reorder", func(m *Model) {
			m.Entities = slices.Insert(m.Entities, 1, EntityType{Name: "Tag", Fields: []Field{{Name: "label", Type: FieldString}}})
		}, []string{`add entities/Tag  -> {"fields":[{"name":"label","type":"string"}],"name":"Tag"}`}},
		{"removes an entity type with its fields", func(m *Model) {
			m.Entities = slices.Delete(m.Entities, 1, 2)
		}, []string{`remove entities/Order {"fields":[{"min":0,"name":"total","type":"number"}],"name":"Order"} -> `}},
		{"reorders entity types", func(m *Model) {
			m.Entities[0], m.Entities[2] = m.Entities[2], m.Entities[0]
		}, []string{`reorder entities ["Customer","Order","Item"] -> ["Item","Order","Customer"]`}},
		{"updates, adds, removes and reorders fields", func(m *Model) {
			c := &m.Entities[0]
			c.Fields[0].Required = true
			c.Fields = []Field{{Name: "phone", Type: FieldString}, c.Fields[0]}
			o := &m.Entities[1]
			o.Fields = append(o.Fields, Field{Name: "note", Type: FieldText}, Field{Name: "paid", Type: FieldBoolean})
			o.Fields[0], o.Fields[2] = o.Fields[2], o.Fields[0]
		}, []string{
			`remove entities/Customer/fields/nick {"name":"nick","type":"string"} -> `,
			`add entities/Customer/fields/phone  -> {"name":"phone","type":"string"}`,
			`update entities/Customer/fields/email {"name":"email","type":"email"} -> {"name":"email","required":true,"type":"email"}`,
			`add entities/Order/fields/paid  -> {"name":"paid","type":"boolean"}`,
			`add entities/Order/fields/note  -> {"name":"note","type":"text"}`,
		}},
		{"reorders fields", func(m *Model) {
			c := &m.Entities[0]
			c.Fields[0], c.Fields[1] = c.Fields[1], c.Fields[0]
		}, []string{`reorder entities/Customer/fields ["email","nick"] -> ["nick","email"]`}},
		{"sees a change of a large integer default", func(m *Model) {
			m.Entities[2].Fields = []Field{{Name: "n", Type: FieldInteger, Default: json.RawMessage("9223372036854775806")}}
		}, []string{`add entities/Item/fields/n  -> {"default":9223372036854775806,"name":"n","type":"integer"}`}},
		{"updates, adds, removes and reorders relationships", func(m *Model) {
			m.Relationships[0].OnDelete = OnDeleteCascade
			m.Relationships = append(m.Relationships, Relationship{Name: "tags", Kind: ManyToMany, From: "Item", To: "Item", FromField: "a", ToField: "b"})
			m.Relationships[0], m.Relationships[1] = m.Relationships[1], m.Relationships[0]
		}, []string{
			`update relationships/customerOrders {"from":"Customer","fromField":"orders","kind":"one-to-many","name":"customerOrders","to":"Order","toField":"customer"} -> {"from":"Customer","fromField":"orders","kind":"one-to-many","name":"customerOrders","onDelete":"cascade","to":"Order","toField":"customer"}`,
			`add relationships/tags  -> {"from":"Item","fromField":"a","kind":"many-to-many","name":"tags","to":"Item","toField":"b"}`,
			`reorder relationships ["customerOrders","orderItems"] -> ["orderItems","customerOrders","tags"]`,
		}},
		{"updates a page without its components", func(m *Model) {
			m.Pages[0] = json.RawMessage(strings.Replace(string(m.Pages[0]), `"route": "/"`, `"route": "/home", "title": "<Home>"`, 1))
		}, []string{`update pages/Home {"name":"Home","route":"/"} -> {"name":"Home","route":"/home","title":"<Home>"}`}},
		{"adds and removes pages", func(m *Model) {
			m.Pages = []json.RawMessage{json.RawMessage(`{"name": "About"}`), m.Pages[1]}
		}, []string{
			`remove pages/Home {"components":[{"id":"header","type":"Text"},{"children":[{"id":"a","type":"Text"},{"children":[{"id":"b1","props":{"size":1.5},"type":"Text"}],"id":"b","type":"Text"}],"id":"panel","type":"Stack"},{"id":"footer","type":"Text"}],"name":"Home","route":"/"} -> `,
			`add pages/About  -> {"name":"About"}`,
		}},
		{"updates a nested component without its children", func(m *Model) {
			m.Pages[0] = json.RawMessage(strings.Replace(string(m.Pages[0]), `"id": "b", "type": "Text"`, `"id": "b", "type": "Card"`, 1))
		}, []string{`update pages/Home/components/b {"id":"b","type":"Text"} -> {"id":"b","type":"Card"}`}},
		{"adds a component with its children and removes one with its children", func(m *Model) {
			m.Pages[0] = json.RawMessage(`{"name": "Home", "route": "/", "components": [
				{"id": "header", "type": "Text", "children": [{"id": "new", "type": "Box", "children": [{"id": "inner"}]}]},
				{"id": "panel", "type": "Stack", "children": [{"id": "a", "type": "Text"}]},
				{"id": "footer", "type": "Text"}]}`)
		}, []string{
			`remove pages/Home/components/b {"children":[{"id":"b1","props":{"size":1.5},"type":"Text"}],"id":"b","type":"Text"} -> `,
			`add pages/Home/components/new  -> {"children":[{"id":"inner"}],"id":"new","type":"Box"}`,
		}},
		{"shows a moved component in the lists of both parents", func(m *Model) {
			m.Pages[0] = json.RawMessage(`{"name": "Home", "route": "/", "components": [
				{"id": "header", "type": "Text"},
				{"id": "b", "type": "Text", "children": [{"id": "b1", "type": "Text", "props": {"size": 1.5}}]},
				{"id": "panel", "type": "Stack", "children": [{"id": "a", "type": "Text"}]},
				{"id": "footer", "type": "Text"}]}`)
		}, []string{
			`reorder pages/Home/components ["header","panel","footer"] -> ["header","b","panel","footer"]`,
			`reorder pages/Home/components/panel/children ["a","b"] -> ["a"]`,
		}},
		{"reorders children", func(m *Model) {
			m.Pages[0] = json.RawMessage(`{"name": "Home", "route": "/", "components": [
				{"id": "header", "type": "Text"},
				{"id": "panel", "type": "Stack", "children": [
					{"id": "b", "type": "Text", "children": [{"id": "b1", "type": "Text", "props": {"size": 1.5}}]},
					{"id": "a", "type": "Text"}]},
				{"id": "footer", "type": "Text"}]}`)
		}, []string{`reorder pages/Home/components/panel/children ["a","b"] -> ["b","a"]`}},
		{"keys components without an id by their position", func(m *Model) {
			m.Pages[1] = json.RawMessage(`{"name": "Orders", "route": "/orders", "components": [{"type": "Grid"}, {"type": "Text", "id": "#0"}]}`)
		}, []string{
			`add pages/Orders/components/#0  -> {"type":"Grid"}`,
			`add pages/Orders/components/#1  -> {"id":"#0","type":"Text"}`,
		}},
		{"updates and reorders flows, an unnamed one by its position", func(m *Model) {
			m.XFlows = []json.RawMessage{json.RawMessage(`{"on": "delete"}`), json.RawMessage(`{"name": "notify", "on": "update"}`)}
		}, []string{
			`remove xflows/#1 {"on":"update"} -> `,
			`add xflows/#0  -> {"on":"delete"}`,
			`update xflows/notify {"name":"notify","on":"create"} -> {"name":"notify","on":"update"}`,
		}},
		{"escapes / and ~ in names", func(m *Model) {
			m.Pages[1] = json.RawMessage(`{"name": "a/b~c", "components": [{"id": "x/y"}]}`)
		}, []string{
			`remove pages/Orders {"name":"Orders","route":"/orders"} -> `,
			`add pages/a~1b~0c  -> {"components":[{"id":"x/y"}],"name":"a/b~c"}`,
		}},
		{"keys a duplicate name by its position", func(m *Model) {
			m.Pages = append(m.Pages, json.RawMessage(`{"name": "Orders", "route": "/again"}`))
		}, []string{`add pages/#2  -> {"name":"Orders","route":"/again"}`}},
		{"lists changes in the order of the document", func(m *Model) {
			m.XFlows = m.XFlows[:1]
			m.Pages = m.Pages[:1]
			m.Relationships = m.Relationships[:1]
			m.Entities[2].DisplayName = "Line"
			m.Entities[0].Fields = m.Entities[0].Fields[:1]
			m.Description = "x"
		}, []string{
			`update description "A shop." -> "x"`,
			`remove entities/Customer/fields/nick {"name":"nick","type":"string"} -> `,
			`update entities/Item {"name":"Item"} -> {"displayName":"Line","name":"Item"}`,
			`remove relationships/orderItems {"from":"Order","fromField":"items","kind":"one-to-many","name":"orderItems","to":"Item","toField":"order"} -> `,
			`remove pages/Orders {"name":"Orders","route":"/orders"} -> `,
			`remove xflows/#1 {"on":"update"} -> `,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := mustParse(t, shopModel)
			new := mustParse(t, shopModel)
			tt.change(new)
			wantChanges(t, DiffModels(old, new), tt.want)
		})
	}
}

func TestDiffModelsNil(t *testing.T) {
	m := mustParse(t, shopModel)
	got := changeLines(DiffModels(nil, m))
	want := []string{"add description", "add entities/Customer", "add entities/Order", "add entities/Item",
		"add relationships/customerOrders", "add relationships/orderItems", "add pages/Home", "add pages/Orders",
		"add xflows/notify", "add xflows/#1"}
	if len(got) != len(want) {
		t.Fatalf("got %d changes %q, want %d", len(got), got, len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]+" ") {
			t.Errorf("got change %d %q, want %q", i, got[i], want[i])
		}
	}
	if got := DiffModels(m, nil); len(got) != len(want) || got[0].Op != ChangeRemove || got[0].After != nil {
		t.Errorf("got %q, want %d removals", changeLines(got), len(want))
	}
	if got := DiffModels(nil, nil); got == nil || len(got) != 0 {
		t.Errorf("got %#v, want an empty list", got)
	}
}

func TestDiffModelsTodoExample(t *testing.T) {
	doc, err := os.ReadFile("examples/todo/model.json")
	if err != nil {
		t.Fatal(err)
	}
	m := mustParse(t, string(doc))
	if got := DiffModels(m, mustParse(t, string(doc))); len(got) != 0 {
		t.Errorf("got changes %q, want none", changeLines(got))
	}
	n := mustParse(t, string(doc))
	n.Normalize()
	if got := DiffModels(m, n); len(got) != 0 {
		t.Errorf("after Normalize: got changes %q, want none", changeLines(got))
	}
	// Every change is valid JSON when written, as transports write it.
	if _, err := json.Marshal(DiffModels(nil, m)); err != nil {
		t.Errorf("marshal the changes: %v", err)
	}
}

func TestCanonicalNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0", "0"}, {"-0", "0"}, {"0.0", "0"}, {"-0.0e5", "0"},
		{"12", "12"}, {"12.0", "12"}, {"1.2e1", "12"}, {"1e2", "100"},
		{"1.50", "1.5"}, {"15e-1", "1.5"}, {"1e21", "1e+21"}, {"1e-7", "1e-07"},
		{"9223372036854775807", "9223372036854775807"},
		{"123456789012345678901234567890", "123456789012345678901234567890"},
		{"1e999", "1e999"},
	}
	for _, tt := range tests {
		if got := canonicalNumber(json.Number(tt.in)); string(got) != tt.want {
			t.Errorf("canonicalNumber(%s): got %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestCanonicalValueOfBadJSON(t *testing.T) {
	m := mustParse(t, shopModel)
	m.Pages[1] = json.RawMessage(`{"name": `)
	changes := DiffModels(mustParse(t, shopModel), m)
	if _, err := json.Marshal(changes); err != nil {
		t.Fatalf("got changes that cannot be written (%v), want valid JSON", err)
	}
	wantChanges(t, changes, []string{
		`remove pages/Orders {"name":"Orders","route":"/orders"} -> `,
		`add pages/#1  -> "{\"name\": "`,
	})
}
