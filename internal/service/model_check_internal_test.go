package service

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/store"
	"github.com/torquehq/torque/internal/storetest"
)

const checkedModel = `{"name": "Checked", "version": 1, "entities": [
  {"name": "Task", "fields": [
    {"name": "title", "type": "string", "maxLength": 100},
    {"name": "n", "type": "integer", "min": 0},
    {"name": "status", "type": "enum", "values": ["a", "b"]}
  ]},
  {"name": "Tag", "fields": [{"name": "label", "type": "string"}]}
], "relationships": [
  {"name": "tags", "kind": "one-to-many", "from": "Tag", "to": "Task", "fromField": "tasks", "toField": "tag"}
]}`

func parsedModel(t *testing.T, doc string) *torque.Model {
	t.Helper()
	m, err := torque.ParseModel([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	m.Normalize()
	return m
}

// TestDataChecksOnlyForChangedRules: a write that changes no field's type
// or rules asks storage nothing.
func TestDataChecksOnlyForChangedRules(t *testing.T) {
	old := parsedModel(t, checkedModel)
	tests := []struct {
		name   string
		change func(m *torque.Model)
		want   []string // paths of the checks
	}{
		{"nothing", func(*torque.Model) {}, nil},
		{"description, display names, order, pages", func(m *torque.Model) {
			m.Description = "x"
			m.Entities[0].DisplayName = "Tasks"
			m.Entities[0].Fields[0].DisplayName = "Title"
			m.Entities[0].Fields[0], m.Entities[0].Fields[1] = m.Entities[0].Fields[1], m.Entities[0].Fields[0]
			m.Entities[0], m.Entities[1] = m.Entities[1], m.Entities[0]
			m.Pages = []json.RawMessage{json.RawMessage(`{"name": "P", "route": "/p", "components": []}`)}
		}, nil},
		{"loosened rules", func(m *torque.Model) {
			f := &m.Entities[0].Fields
			(*f)[0].MaxLength = nil
			(*f)[1].Min = nil
			(*f)[2].Values = append((*f)[2].Values, "c")
		}, nil},
		{"types every value survives", func(m *torque.Model) {
			f := &m.Entities[0].Fields
			(*f)[0].Type = torque.FieldText
			(*f)[1].Type = torque.FieldNumber
			(*f)[2].Type, (*f)[2].Values = torque.FieldString, nil
		}, nil},
		{"removed field and entity", func(m *torque.Model) {
			m.Entities[0].Fields = m.Entities[0].Fields[1:]
			m.Entities = m.Entities[:1]
			m.Relationships = nil
		}, nil},
		{"tightened rules", func(m *torque.Model) {
			f := &m.Entities[0].Fields
			one := 1.0
			(*f)[0].Unique, (*f)[0].Type = true, torque.FieldDate
			(*f)[1].Min = &one
			(*f)[2].Values = []string{"a"}
			m.Relationships[0].Required = true
		}, []string{"entities[0].fields[0].type", "entities[0].fields[0].unique", "entities[0].fields[1].min",
			"entities[0].fields[2].values", "relationships[0].required"}},
		{"added field", func(m *torque.Model) {
			m.Entities[1].Fields = append(m.Entities[1].Fields, torque.Field{Name: "color", Type: torque.FieldString, Required: true})
		}, []string{"entities[1].fields[1].required", "entities[1].fields[1].type"}},
		{"added unique field", func(m *torque.Model) {
			m.Entities[1].Fields = append(m.Entities[1].Fields, torque.Field{Name: "color", Type: torque.FieldString, Unique: true})
		}, []string{"entities[1].fields[1].type", "entities[1].fields[1].unique"}},
		{"added relationship", func(m *torque.Model) {
			m.Relationships = append(m.Relationships, torque.Relationship{Name: "solo", Kind: torque.OneToOne,
				From: "Tag", To: "Task", FromField: "solo", ToField: "soloTag"})
		}, []string{"relationships[1].toField", "relationships[1].kind"}},
		{"relationship moved to another toField", func(m *torque.Model) {
			m.Relationships[0].ToField = "label"
		}, []string{"relationships[0].toField"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := cloneModel(old)
			m.Entities[0].Fields = append([]torque.Field(nil), m.Entities[0].Fields...)
			tt.change(m)
			var got []string
			for _, c := range dataChecks(old, m) {
				got = append(got, c.path)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got checks %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got checks %v, want %v", got, tt.want)
				}
			}
		})
	}
}

// TestStoredDataCheckTimesOut: checks that run out of time refuse the
// write with ETIMEOUT instead of letting it through unchecked.
func TestStoredDataCheckTimesOut(t *testing.T) {
	for _, st := range storetest.Openers {
		t.Run(st.Name, func(t *testing.T) {
			db := st.Open(t)
			ctx := torque.WithActor(t.Context(), torque.SystemActor)
			s := New(db, Options{})
			// On SQLite the checks hold up every write (group commit): a
			// shorter budget there.
			want := map[string]time.Duration{"sqlite": time.Second, "postgres": 5 * time.Second}[st.Name]
			if got := s.modelCheckTimeout(); got != want {
				t.Errorf("got a budget of %s, want %s", got, want)
			}
			old := parsedModel(t, checkedModel)
			if _, err := s.CreateModel(ctx, old); err != nil {
				t.Fatal(err)
			}
			if _, err := s.CreateApp(ctx, "checked", "Checked"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.CreateEntity(ctx, "checked", "Task", json.RawMessage(`{"title": "a title"}`)); err != nil {
				t.Fatal(err)
			}
			m := cloneModel(old)
			m.Entities[0].Fields = append([]torque.Field(nil), m.Entities[0].Fields...)
			m.Entities[0].Fields[0].Type = torque.FieldDate
			err := db.InTx(ctx, func(tx *store.Tx) error {
				return checkStoredData(ctx, tx, old, m, nil, time.Nanosecond)
			})
			if torque.ErrorCode(err) != torque.ETIMEOUT {
				t.Fatalf("got %v, want ETIMEOUT", err)
			}
			err = db.InTx(ctx, func(tx *store.Tx) error {
				return checkStoredData(ctx, tx, old, m, nil, time.Minute)
			})
			if torque.ErrorCode(err) != torque.EINVALID {
				t.Fatalf("got %v, want EINVALID with time enough", err)
			}
		})
	}
}
