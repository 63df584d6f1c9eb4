package service_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/service"
	"github.com/torquehq/torque/internal/storetest"
)

// shopModel has a field of most types, all loose, so that tests can
// tighten them over records of every kind.
const shopModel = `{
  "name": "Shop", "version": 1,
  "entities": [
    {"name": "Item", "fields": [
      {"name": "code", "type": "string"},
      {"name": "label", "type": "string"},
      {"name": "qty", "type": "integer"},
      {"name": "price", "type": "number"},
      {"name": "when", "type": "string"},
      {"name": "stamp", "type": "string"},
      {"name": "status", "type": "enum", "values": ["new", "old", "gone"]},
      {"name": "mail", "type": "string"},
      {"name": "flag", "type": "boolean"},
      {"name": "extra", "type": "json"},
      {"name": "whole", "type": "number"}
    ]},
    {"name": "Owner", "fields": [{"name": "name", "type": "string"}]},
    {"name": "Empty", "fields": [{"name": "x", "type": "string"}]}
  ],
  "relationships": [
    {"name": "owner_items", "kind": "one-to-many", "from": "Owner", "to": "Item", "fromField": "items", "toField": "owner", "onDelete": "set-null"}
  ]
}`

type shop struct {
	*fixture
	items []*torque.Entity
	owner *torque.Entity
}

// newShop creates the Shop model, the app "shop" and three items.
func newShop(t *testing.T, open opener) *shop {
	t.Helper()
	db := open(t)
	f := &fixture{t: t, ctx: torque.WithActor(t.Context(), torque.SystemActor), db: db, svc: service.New(db, service.Options{})}
	m, err := torque.ParseModel([]byte(shopModel))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CreateModel(f.ctx, m); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CreateApp(f.ctx, "shop", "Shop"); err != nil {
		t.Fatal(err)
	}
	s := &shop{fixture: f}
	own, err := f.svc.CreateEntity(f.ctx, "shop", "Owner", json.RawMessage(`{"name": "Ann"}`))
	if err != nil {
		t.Fatal(err)
	}
	s.owner = own
	for _, data := range []string{
		`{"code": "A1", "label": "alpha", "qty": 3, "price": 2.5, "when": "2026-01-02", "stamp": "2026-01-02T10:00:00.000Z",
		  "status": "new", "mail": "ann@example.com", "flag": true, "extra": {"a": 1}, "whole": 2, "owner": "` + own.ID + `"}`,
		`{"code": "A1", "label": "tomorrow", "qty": 7, "price": 4, "when": "tomorrow", "stamp": "2026-01-02T11:00:00+01:00",
		  "status": "old", "mail": "not mail", "extra": "s", "whole": 3.0, "owner": "` + own.ID + `"}`,
		`{"code": "B2", "qty": 5, "price": 1.5, "when": "2026-03-04", "whole": -4}`,
	} {
		e, err := f.svc.CreateEntity(f.ctx, "shop", "Item", json.RawMessage(data))
		if err != nil {
			t.Fatalf("create %s: %v", data, err)
		}
		s.items = append(s.items, e)
	}
	return s
}

func (s *shop) version() int64 {
	s.t.Helper()
	m, err := s.svc.Model(s.ctx, "Shop")
	if err != nil {
		s.t.Fatal(err)
	}
	return m.Version
}

func (s *shop) edit(edits ...torque.ModelEdit) (*torque.Model, error) {
	s.t.Helper()
	return s.svc.EditModel(s.ctx, "Shop", s.version(), edits)
}

func updateField(field, patch string) torque.ModelEdit {
	return torque.ModelEdit{Op: torque.EditUpdateField, Entity: "Item", Field: field, Value: json.RawMessage(patch)}
}

// TestModelChangesAgainstStoredData runs on every store: changes that
// stored records would break are refused with the field's path and leave
// the model alone; the others are stored, and the records read back.
func TestModelChangesAgainstStoredData(t *testing.T) {
	for _, st := range storetest.Openers {
		t.Run(st.Name, func(t *testing.T) {
			t.Run("refused", func(t *testing.T) { testRefusedModelChanges(t, st.Open) })
			t.Run("allowed", func(t *testing.T) { testAllowedModelChanges(t, st.Open) })
			t.Run("whole documents", func(t *testing.T) { testModelDocumentsAgainstData(t, st.Open) })
			t.Run("bad documents change nothing", func(t *testing.T) { testBadModelWrites(t, st.Open) })
		})
	}
}

func testRefusedModelChanges(t *testing.T, open opener) {
	s := newShop(t, open)
	tests := []struct {
		name  string
		edits []torque.ModelEdit
		paths []string // every key the error's fields must have
		msg   string   // the problem, word for word
	}{
		{"string to date with a non-date", []torque.ModelEdit{updateField("when", `{"type": "date"}`)},
			[]string{"entities[0].fields[4].type", "edits[0].value.type"},
			`cannot change "when" from string to date: 1 stored Item record holds a value that is not a date (first: "tomorrow")`},
		{"string to integer", []torque.ModelEdit{updateField("label", `{"type": "integer"}`)},
			[]string{"entities[0].fields[1].type"},
			`cannot change "label" from string to integer: 2 stored Item records hold values that are not integers (first: "alpha")`},
		{"number to integer with a fraction", []torque.ModelEdit{updateField("price", `{"type": "integer"}`)},
			[]string{"entities[0].fields[3].type"},
			`cannot change "price" from number to integer: 2 stored Item records hold values that are not integers (first: 2.5)`},
		{"integer to boolean", []torque.ModelEdit{updateField("qty", `{"type": "boolean"}`)},
			[]string{"entities[0].fields[2].type"},
			`cannot change "qty" from integer to boolean: 3 stored Item records hold values that are not true or false (first: 3)`},
		{"integer to string (storage converts nothing)", []torque.ModelEdit{updateField("qty", `{"type": "string"}`)},
			[]string{"entities[0].fields[2].type"},
			`cannot change "qty" from integer to string: 3 stored Item records hold values that are not strings (first: 3)`},
		{"string to datetime with an offset", []torque.ModelEdit{updateField("stamp", `{"type": "datetime"}`)},
			[]string{"entities[0].fields[5].type"},
			`cannot change "stamp" from string to datetime: 1 stored Item record holds a value that is not a date and time in UTC (first: "2026-01-02T11:00:00+01:00")`},
		{"string to email", []torque.ModelEdit{updateField("mail", `{"type": "email"}`)},
			[]string{"entities[0].fields[7].type"},
			`cannot change "mail" from string to email: 1 stored Item record holds a value that is not an e-mail address (first: "not mail")`},
		{"string to enum", []torque.ModelEdit{updateField("code", `{"type": "enum", "values": ["A1"]}`)},
			[]string{"entities[0].fields[0].type"},
			`cannot change "code" from string to enum: 1 stored Item record holds a value that is not one of A1 (first: "B2")`},
		{"json to string", []torque.ModelEdit{updateField("extra", `{"type": "string"}`)},
			[]string{"entities[0].fields[9].type"},
			`cannot change "extra" from json to string: 1 stored Item record holds a value that is not a string (first: {"a": 1})`},
		{"enum values narrowed", []torque.ModelEdit{updateField("status", `{"values": ["new", "gone"]}`)},
			[]string{"entities[0].fields[6].values", "edits[0].value.values"},
			`cannot remove "old" from the values of "status": 1 stored Item record holds a removed value (first: "old")`},
		{"made unique over repeats", []torque.ModelEdit{updateField("code", `{"unique": true}`)},
			[]string{"entities[0].fields[0].unique"},
			`cannot make "code" unique: 2 stored Item records share their value with another (first: "A1")`},
		{"made required over gaps, even with a default", []torque.ModelEdit{updateField("label", `{"required": true, "default": "x"}`)},
			[]string{"entities[0].fields[1].required"},
			`cannot make "label" required: 1 stored Item record has no value for it (a default is given to new records only)`},
		{"min above stored values", []torque.ModelEdit{updateField("qty", `{"min": 4}`)},
			[]string{"entities[0].fields[2].min"},
			`cannot set the min of "qty" to 4: 1 stored Item record holds a smaller value (first: 3)`},
		{"max below stored values", []torque.ModelEdit{updateField("price", `{"max": 2}`)},
			[]string{"entities[0].fields[3].max"},
			`cannot set the max of "price" to 2: 2 stored Item records hold larger values (first: 2.5)`},
		{"maxLength below stored values", []torque.ModelEdit{updateField("label", `{"maxLength": 5}`)},
			[]string{"entities[0].fields[1].maxLength"},
			`cannot set the maxLength of "label" to 5: 1 stored Item record holds a longer value (first: "tomorrow")`},
		{"minLength above stored values", []torque.ModelEdit{updateField("label", `{"minLength": 6}`)},
			[]string{"entities[0].fields[1].minLength"},
			`cannot set the minLength of "label" to 6: 1 stored Item record holds a shorter value (first: "alpha")`},
		{"pattern stored values miss", []torque.ModelEdit{updateField("code", `{"pattern": "^B"}`)},
			[]string{"entities[0].fields[0].pattern"},
			`cannot set the pattern of "code" to ^B: 2 stored Item records hold values that do not match it (first: "A1")`},
		{"required field added", []torque.ModelEdit{{Op: torque.EditAddField, Entity: "Item", Value: json.RawMessage(`{"name": "size", "type": "integer", "required": true, "default": 1}`)}},
			[]string{"entities[0].fields[11].required", "edits[0].value.required"},
			`cannot add required field "size": 3 stored Item records have no value for it (a default is given to new records only)`},
		{"relationship made required", []torque.ModelEdit{{Op: torque.EditUpdateRelationship, Relationship: "owner_items", Value: json.RawMessage(`{"required": true, "onDelete": "restrict"}`)}},
			[]string{"relationships[0].required", "edits[0].value.required"},
			`cannot make relationship "owner_items" required: 1 stored Item record has no owner`},
		{"relationship made one-to-one", []torque.ModelEdit{{Op: torque.EditUpdateRelationship, Relationship: "owner_items", Value: json.RawMessage(`{"kind": "one-to-one"}`)}},
			[]string{"relationships[0].kind", "edits[0].value.kind"},
			`cannot make relationship "owner_items" one-to-one: 2 stored Item records share their owner with another (first: "` + s.owner.ID + `")`},
		{"the change of a later edit is named", []torque.ModelEdit{
			{Op: torque.EditSetDescription, Value: json.RawMessage(`"shop"`)},
			updateField("when", `{"displayName": "When"}`),
			updateField("when", `{"type": "date"}`)},
			[]string{"entities[0].fields[4].type", "edits[2].value.type"},
			`cannot change "when" from string to date: 1 stored Item record holds a value that is not a date (first: "tomorrow")`},
	}
	before, err := s.svc.Model(s.ctx, "Shop")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.edit(tt.edits...)
			wantCode(t, err, torque.EINVALID)
			fields := torque.ErrorFields(err)
			for _, p := range tt.paths {
				got := fields[p]
				// PostgreSQL writes JSON objects with a space after ":".
				got = strings.ReplaceAll(got, `{"a":1}`, `{"a": 1}`)
				if got != tt.msg {
					t.Errorf("fields[%q]: got %q, want %q (all: %v)", p, got, tt.msg, fields)
				}
			}
			if got := strings.ReplaceAll(torque.ErrorMessage(err), `{"a":1}`, `{"a": 1}`); got != tt.msg {
				t.Errorf("message: got %q, want %q", got, tt.msg)
			}
			after, err := s.svc.Model(s.ctx, "Shop")
			if err != nil {
				t.Fatal(err)
			}
			if after.Version != before.Version {
				t.Fatalf("got version %d, want %d unchanged", after.Version, before.Version)
			}
		})
	}

	t.Run("every problem at once", func(t *testing.T) {
		_, err := s.edit(updateField("when", `{"type": "date"}`), updateField("code", `{"unique": true}`))
		wantCode(t, err, torque.EINVALID)
		fields := torque.ErrorFields(err)
		for _, p := range []string{"entities[0].fields[4].type", "edits[0].value.type", "entities[0].fields[0].unique", "edits[1].value.unique"} {
			if fields[p] == "" {
				t.Errorf("fields lack %q: %v", p, fields)
			}
		}
		if msg := torque.ErrorMessage(err); !strings.Contains(msg, "(2 problems)") {
			t.Errorf("got message %q, want it to count 2 problems", msg)
		}
	})

	t.Run("a unique field that comes back meets the repeats it left", func(t *testing.T) {
		if _, err := s.edit(torque.ModelEdit{Op: torque.EditRemoveField, Entity: "Item", Field: "code"}); err != nil {
			t.Fatalf("removing a field with data: %v", err)
		}
		_, err := s.edit(torque.ModelEdit{Op: torque.EditAddField, Entity: "Item", Value: json.RawMessage(`{"name": "code", "type": "string", "unique": true}`)})
		wantCode(t, err, torque.EINVALID)
		want := `cannot add unique field "code": 2 stored Item records share a value left by an earlier field "code" with another (first: "A1")`
		if got := torque.ErrorFields(err)["edits[0].value.unique"]; got != want {
			t.Fatalf("got %q (%v), want %q", got, torque.ErrorFields(err), want)
		}
		if _, err := s.edit(torque.ModelEdit{Op: torque.EditAddField, Entity: "Item", Value: json.RawMessage(`{"name": "code", "type": "string"}`)}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("a relationship that comes back meets the references it left", func(t *testing.T) {
		if _, err := s.edit(torque.ModelEdit{Op: torque.EditRemoveRelationship, Relationship: "owner_items"}); err != nil {
			t.Fatalf("removing a relationship with data: %v", err)
		}
		// The values in owner are ids of Owner records, not of Empty ones.
		_, err := s.edit(torque.ModelEdit{Op: torque.EditAddRelationship, Value: json.RawMessage(
			`{"name": "empty_items", "kind": "one-to-many", "from": "Empty", "to": "Item", "fromField": "items", "toField": "owner"}`)})
		wantCode(t, err, torque.EINVALID)
		want := `cannot add relationship "empty_items": 2 stored Item records hold in owner values that are not ids of Empty records (first: "` + s.owner.ID + `")`
		fields := torque.ErrorFields(err)
		if fields["edits[0].value.toField"] != want || fields["relationships[0].toField"] != want {
			t.Fatalf("got %v, want %q at the edit's and the document's toField", fields, want)
		}
		// Nor is a label an id.
		_, err = s.edit(torque.ModelEdit{Op: torque.EditAddRelationship, Value: json.RawMessage(
			`{"name": "owner_labels", "kind": "one-to-many", "from": "Owner", "to": "Item", "fromField": "labels", "toField": "label"}`)})
		wantCode(t, err, torque.EINVALID)
		if _, err := s.edit(torque.ModelEdit{Op: torque.EditRemoveField, Entity: "Item", Field: "label"}); err != nil {
			t.Fatal(err)
		}
		_, err = s.edit(torque.ModelEdit{Op: torque.EditAddRelationship, Value: json.RawMessage(
			`{"name": "owner_labels", "kind": "one-to-many", "from": "Owner", "to": "Item", "fromField": "labels", "toField": "label"}`)})
		wantCode(t, err, torque.EINVALID)
		if got := torque.ErrorMessage(err); !strings.Contains(got, `(first: "alpha")`) {
			t.Fatalf("got %q, want the first label named", got)
		}
		// Made one-to-one, the owner shared by two items is refused too.
		_, err = s.edit(torque.ModelEdit{Op: torque.EditAddRelationship, Value: json.RawMessage(
			`{"name": "owner_items", "kind": "one-to-one", "from": "Owner", "to": "Item", "fromField": "items", "toField": "owner"}`)})
		wantCode(t, err, torque.EINVALID)
		if _, err := s.edit(torque.ModelEdit{Op: torque.EditAddRelationship, Value: json.RawMessage(
			`{"name": "owner_items", "kind": "one-to-many", "from": "Owner", "to": "Item", "fromField": "items", "toField": "owner"}`)}); err != nil {
			t.Fatalf("the references fit the relationship they were made for: %v", err)
		}
	})

	t.Run("a field that comes back meets the values it left", func(t *testing.T) {
		if _, err := s.edit(torque.ModelEdit{Op: torque.EditRemoveField, Entity: "Item", Field: "when"}); err != nil {
			t.Fatalf("removing a field with data: %v", err)
		}
		_, err := s.edit(torque.ModelEdit{Op: torque.EditAddField, Entity: "Item", Value: json.RawMessage(`{"name": "when", "type": "date"}`)})
		wantCode(t, err, torque.EINVALID)
		want := `cannot add field "when": 1 stored Item record holds values left by an earlier field "when" that do not fit it (first: "tomorrow"): must be a date (YYYY-MM-DD)`
		if got := torque.ErrorFields(err)["edits[0].value.type"]; got != want {
			t.Fatalf("got %q (%v), want %q", got, torque.ErrorFields(err), want)
		}
		// As a string it holds them all.
		if _, err := s.edit(torque.ModelEdit{Op: torque.EditAddField, Entity: "Item", Value: json.RawMessage(`{"name": "when", "type": "string"}`)}); err != nil {
			t.Fatal(err)
		}
	})
}

func testAllowedModelChanges(t *testing.T, open opener) {
	s := newShop(t, open)
	steps := []struct {
		name  string
		edits []torque.ModelEdit
	}{
		{"integer to number", []torque.ModelEdit{updateField("qty", `{"type": "number"}`)}},
		{"string to text", []torque.ModelEdit{updateField("label", `{"type": "text"}`)}},
		{"enum to string", []torque.ModelEdit{updateField("status", `{"type": "string", "values": null}`)}},
		{"number with whole values to integer", []torque.ModelEdit{updateField("whole", `{"type": "integer"}`)}},
		{"anything to json", []torque.ModelEdit{updateField("price", `{"type": "json"}`)}},
		{"loosening and tightening that stored data meets", []torque.ModelEdit{
			updateField("code", `{"maxLength": 2, "pattern": "^[A-Z][0-9]$"}`),
			updateField("flag", `{"unique": true}`),
			updateField("qty", `{"min": 3, "max": 7}`)}},
		{"required where every record has a value", []torque.ModelEdit{updateField("code", `{"required": true}`)}},
		{"optional field added", []torque.ModelEdit{{Op: torque.EditAddField, Entity: "Item", Value: json.RawMessage(`{"name": "size", "type": "integer"}`)}}},
		{"required field added to a type without records", []torque.ModelEdit{{Op: torque.EditAddField, Entity: "Empty", Value: json.RawMessage(`{"name": "y", "type": "string", "required": true}`)}}},
		{"field with data removed", []torque.ModelEdit{{Op: torque.EditRemoveField, Entity: "Item", Field: "mail"}}},
		{"entity with data removed", []torque.ModelEdit{{Op: torque.EditRemoveEntity, Entity: "Owner"}}},
	}
	for _, st := range steps {
		if _, err := s.edit(st.edits...); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
	}

	t.Run("records read back", func(t *testing.T) {
		page, err := s.svc.Entities(s.ctx, "shop", "Item", torque.EntityQuery{Filter: `qty > 4.5`, Sort: "qty"})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 2 || page.Items[0].ID != s.items[2].ID || page.Items[1].ID != s.items[1].ID {
			t.Fatalf("got %d items, want items 3 and 2 by qty", len(page.Items))
		}
		e, err := s.svc.Entity(s.ctx, "shop", "Item", s.items[1].ID)
		if err != nil {
			t.Fatal(err)
		}
		d := dataOf(t, e)
		if d["label"] != "tomorrow" || d["status"] != "old" || d["qty"] != 7.0 || d["whole"] != 3.0 {
			t.Fatalf("got %s, want the values as stored", e.Data)
		}
		page, err = s.svc.Entities(s.ctx, "shop", "Item", torque.EntityQuery{Filter: `whole < 0`})
		if err != nil || len(page.Items) != 1 || page.Items[0].ID != s.items[2].ID {
			t.Fatalf("got %v, %v; want item 3 by its integer", page, err)
		}
	})
	t.Run("records update under the new model", func(t *testing.T) {
		e, err := s.svc.UpdateEntity(s.ctx, "shop", "Item", s.items[1].ID, s.items[1].Version, json.RawMessage(`{"qty": 6.5}`))
		if err != nil {
			t.Fatal(err)
		}
		d := dataOf(t, e)
		if d["qty"] != 6.5 || d["whole"] != 3.0 {
			t.Fatalf("got %s", e.Data)
		}
		if strings.Contains(string(e.Data), `"whole":3.0`) {
			t.Fatalf("got %s, want the integer rewritten without fraction", e.Data)
		}
	})
}

// testModelDocumentsAgainstData writes whole documents (UpdateModel,
// ImportModel): problems carry the document's paths.
func testModelDocumentsAgainstData(t *testing.T, open opener) {
	s := newShop(t, open)
	m, err := s.svc.Model(s.ctx, "Shop")
	if err != nil {
		t.Fatal(err)
	}
	m.Entities[0].Fields[4].Type = torque.FieldDate
	_, err = s.svc.UpdateModel(s.ctx, m)
	wantCode(t, err, torque.EINVALID)
	if got := torque.ErrorFields(err); len(got) != 1 || !strings.HasPrefix(got["entities[0].fields[4].type"], `cannot change "when" from string to date`) {
		t.Fatalf("update: got %v, want the field's path alone", got)
	}
	doc := m.Document()
	doc.Version = 0
	_, err = s.svc.ImportModel(s.ctx, doc)
	wantCode(t, err, torque.EINVALID)
	if got := torque.ErrorFields(err); !strings.HasPrefix(got["entities[0].fields[4].type"], `cannot change "when"`) {
		t.Fatalf("import: got %v", got)
	}
	if v := s.version(); v != 1 {
		t.Fatalf("got version %d, want 1", v)
	}
}

// testBadModelWrites checks that documents and edits a model editor may
// send wrong are refused with a path and leave the model as it was.
func testBadModelWrites(t *testing.T, open opener) {
	s := newShop(t, open)
	withDoc := func(change func(m *torque.Model)) func() error {
		return func() error {
			m, err := s.svc.Model(s.ctx, "Shop")
			if err != nil {
				return err
			}
			change(m)
			_, err = s.svc.UpdateModel(s.ctx, m)
			return err
		}
	}
	edit := func(edits ...torque.ModelEdit) func() error {
		return func() error { _, err := s.edit(edits...); return err }
	}
	tests := []struct {
		name  string
		write func() error
		code  string
		path  string
	}{
		{"invalid entity name", withDoc(func(m *torque.Model) { m.Entities[1].Name = "1 Owner" }), torque.EINVALID, "entities[1].name"},
		{"invalid field name", withDoc(func(m *torque.Model) { m.Entities[0].Fields[0].Name = "co de" }), torque.EINVALID, "entities[0].fields[0].name"},
		{"duplicate entity", withDoc(func(m *torque.Model) { m.Entities[2].Name = "Owner" }), torque.EINVALID, "entities[2].name"},
		{"duplicate field", withDoc(func(m *torque.Model) { m.Entities[0].Fields[1].Name = "code" }), torque.EINVALID, "entities[0].fields[1].name"},
		{"relationship to a missing entity", withDoc(func(m *torque.Model) { m.Relationships[0].From = "Nobody" }), torque.EINVALID, "relationships[0].from"},
		{"edit: invalid field name", edit(updateField("code", `{"name": "co de"}`)), torque.EINVALID, "entities[0].fields[0].name"},
		{"edit: duplicate field", edit(updateField("code", `{"name": "label"}`)), torque.EINVALID, "edits[0].value.name"},
		{"edit: duplicate entity", edit(torque.ModelEdit{Op: torque.EditAddEntity, Value: json.RawMessage(`{"name": "Owner", "fields": []}`)}), torque.EINVALID, "edits[0].value.name"},
		{"edit: relationship to a missing entity", edit(torque.ModelEdit{Op: torque.EditAddRelationship, Value: json.RawMessage(
			`{"name": "r", "kind": "one-to-many", "from": "Nobody", "to": "Item", "fromField": "a", "toField": "b"}`)}), torque.EINVALID, "relationships[1].from"},
		{"edit: missing field", edit(updateField("nope", `{"type": "date"}`)), torque.ENOTFOUND, "edits[0].field"},
		{"edit: malformed value", edit(updateField("code", `{"type": 3}`)), torque.EINVALID, "edits[0].value.type"},
		{"import: malformed document", func() error {
			_, err := torque.ParseModel([]byte(`{"name": "Shop", "entities": [}`))
			return err
		}, torque.EINVALID, "$"},
		{"import: unknown type", func() error {
			m, err := torque.ParseModel([]byte(`{"name": "Shop", "entities": [{"name": "Item", "fields": [{"name": "code", "type": "strng"}]}]}`))
			if err != nil {
				return err
			}
			_, err = s.svc.ImportModel(s.ctx, m)
			return err
		}, torque.EINVALID, "entities[0].fields[0].type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.write()
			wantCode(t, err, tt.code)
			if _, ok := torque.ErrorFields(err)[tt.path]; !ok {
				t.Fatalf("got fields %v, want %q", torque.ErrorFields(err), tt.path)
			}
			if v := s.version(); v != 1 {
				t.Fatalf("got version %d, want 1 unchanged", v)
			}
		})
	}
}
