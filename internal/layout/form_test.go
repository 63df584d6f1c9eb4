package layout

import (
	"encoding/json"
	"maps"
	"testing"

	"github.com/torquehq/torque"
)

// kitModel has an entity type with a field of every type, the "to" end of a
// one-to-many and of a one-to-one relationship, the "from" end of another
// one-to-many and an end of a many-to-many one.
const kitModel = `{
  "name": "kit",
  "entities": [
    {"name": "Item", "displayName": "Stock item", "fields": [
      {"name": "name", "displayName": "Item name", "type": "string", "required": true, "minLength": 1, "maxLength": 80, "pattern": "^[a-z]+$"},
      {"name": "notes", "type": "text", "maxLength": 5000},
      {"name": "count", "type": "integer", "min": 0, "max": 10, "default": 1},
      {"name": "unitPrice", "type": "number", "min": 0.5},
      {"name": "active", "type": "boolean", "default": false},
      {"name": "day", "type": "date"},
      {"name": "at", "type": "datetime"},
      {"name": "size", "type": "enum", "values": ["s", "m", "l"], "default": "m"},
      {"name": "contact", "type": "email"},
      {"name": "site", "type": "url"},
      {"name": "extra", "type": "json", "default": {"a": [1, 2.50, 12345678901234567890]}}
    ]},
    {"name": "Owner", "fields": [{"name": "bio", "type": "text"}, {"name": "handle", "type": "string"}]},
    {"name": "Blob", "fields": [{"name": "data", "type": "json"}]},
    {"name": "Part", "fields": []}
  ],
  "relationships": [
    {"name": "ownerItems", "kind": "one-to-many", "from": "Owner", "to": "Item", "fromField": "items", "toField": "owner", "required": true},
    {"name": "blobItem", "kind": "one-to-one", "from": "Blob", "to": "Item", "fromField": "item", "toField": "blob"},
    {"name": "itemTags", "kind": "many-to-many", "from": "Item", "to": "Owner", "fromField": "tags", "toField": "tagged"},
    {"name": "itemParts", "kind": "one-to-many", "from": "Item", "to": "Part", "fromField": "parts", "toField": "item"}
  ]
}`

func kit(t testing.TB) *torque.Model {
	t.Helper()
	m, err := torque.ParseModel([]byte(kitModel))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestFormForEveryFieldType(t *testing.T) {
	f, err := FormFor(kit(t), "Item", nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.Entity != "Item" || f.Title != "Stock item" {
		t.Errorf("got entity %q title %q, want Item, Stock item", f.Entity, f.Title)
	}
	widgets := map[string]string{}
	for _, ff := range f.Fields {
		widgets[ff.Name] = ff.Type + " " + ff.Widget
	}
	want := map[string]string{
		"name": "string text", "notes": "text textarea", "count": "integer integer", "unitPrice": "number number",
		"active": "boolean checkbox", "day": "date date", "at": "datetime datetime", "size": "enum select",
		"contact": "email email", "site": "url url", "extra": "json json",
		"owner": "string relation", "blob": "string relation",
	}
	if !maps.Equal(widgets, want) {
		t.Errorf("got types and widgets %v, want %v", widgets, want)
	}
	got, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "form_item.json", append(got, '\n'))

	m := kit(t)
	f, _ = FormFor(m, "Item", []string{"count", "name"})
	*f.Fields[0].Min, *f.Fields[1].MaxLength = 7, 7
	if again, _ := FormFor(m, "Item", []string{"count", "name"}); *again.Fields[0].Min != 0 || *again.Fields[1].MaxLength != 80 {
		t.Error("changing a form changed the model")
	}
}

func TestFormFor(t *testing.T) {
	tests := []struct {
		name   string
		entity string
		fields []string
		want   string
	}{
		{
			name: "a subset in its order, system fields read-only", entity: "Item", fields: []string{"size", "owner", "id", "createdAt", "updatedAt", "createdBy"},
			want: `{"entity":"Item","title":"Stock item","fields":[` +
				`{"name":"size","label":"Size","type":"enum","widget":"select","required":false,"default":"m","options":[{"value":"s","label":"s"},{"value":"m","label":"m"},{"value":"l","label":"l"}]},` +
				`{"name":"owner","label":"Owner","type":"string","widget":"relation","required":true,"relation":{"entity":"Owner","relationship":"ownerItems","displayField":"handle","multiple":false}},` +
				`{"name":"id","label":"ID","type":"string","widget":"text","required":false,"readOnly":true},` +
				`{"name":"createdAt","label":"Created at","type":"datetime","widget":"datetime","required":false,"readOnly":true},` +
				`{"name":"updatedAt","label":"Updated at","type":"datetime","widget":"datetime","required":false,"readOnly":true},` +
				`{"name":"createdBy","label":"Created by","type":"string","widget":"text","required":false,"readOnly":true}]}`,
		},
		{
			name: "the from end of relationships has no field; a type without string fields is picked by id", entity: "Part", fields: []string{},
			want: `{"entity":"Part","title":"Part","fields":[{"name":"item","label":"Item","type":"string","widget":"relation","required":false,"relation":{"entity":"Item","relationship":"itemParts","displayField":"name","multiple":false}}]}`,
		},
		{
			name: "many-to-many ends are not form fields", entity: "Owner",
			want: `{"entity":"Owner","title":"Owner","fields":[{"name":"bio","label":"Bio","type":"text","widget":"textarea","required":false},{"name":"handle","label":"Handle","type":"string","widget":"text","required":false}]}`,
		},
		{
			name: "a picker over a type without string fields shows ids", entity: "Item", fields: []string{"blob"},
			want: `{"entity":"Item","title":"Stock item","fields":[{"name":"blob","label":"Blob","type":"string","widget":"relation","required":false,"relation":{"entity":"Blob","relationship":"blobItem","displayField":"id","multiple":false}}]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := FormFor(kit(t), tt.entity, tt.fields)
			if err != nil {
				t.Fatal(err)
			}
			if got := marshal(t, f); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestFormForErrors(t *testing.T) {
	tests := []struct {
		name   string
		entity string
		fields []string
		code   string
		want   map[string]string
	}{
		{
			name: "an unknown entity type", entity: "Itme", code: torque.ENOTFOUND,
			want: map[string]string{"entity": `unknown entity type "Itme" (did you mean "Item"?)`},
		},
		{
			name: "unknown, repeated and hidden system fields", entity: "Item", fields: []string{"name", "nmae", "name", "version", "tags", "items", ""},
			code: torque.EINVALID,
			want: map[string]string{
				"fields[1]": `no field "nmae" in entity type "Item" (did you mean "name"?)`,
				"fields[2]": `repeats field "name"`,
				"fields[3]": `no field "version" in entity type "Item"`,
				"fields[4]": `no field "tags" in entity type "Item"`,
				"fields[5]": `no field "items" in entity type "Item"`,
				"fields[6]": `no field "" in entity type "Item"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := FormFor(kit(t), tt.entity, tt.fields)
			if err == nil {
				t.Fatalf("got form %s, want an error", marshal(t, f))
			}
			if code := torque.ErrorCode(err); code != tt.code {
				t.Errorf("got code %s, want %s", code, tt.code)
			}
			if got := torque.ErrorFields(err); !maps.Equal(got, tt.want) {
				t.Errorf("got fields\n%s\nwant\n%s", fieldLines(got), fieldLines(tt.want))
			}
		})
	}
}
