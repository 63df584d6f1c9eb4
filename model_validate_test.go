package torque

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
)

// rel wraps relationships into a model with entity types A (field "name")
// and B (field "title").
func rel(rels ...string) string {
	return `{"name": "m", "entities": [
	  {"name": "A", "fields": [{"name": "name", "type": "string"}]},
	  {"name": "B", "fields": [{"name": "title", "type": "string"}]}
	], "relationships": [` + strings.Join(rels, ",") + `]}`
}

func TestParseModelValidationProblems(t *testing.T) {
	const f0 = "entities[0].fields[0]."
	tests := []struct {
		name string
		doc  string
		want map[string]string
	}{
		// model
		{"requires a name", `{"entities": []}`, map[string]string{"name": "is required"}},
		{"refuses a model name with a space", `{"name": "my model"}`,
			map[string]string{"name": `must start with a letter and contain only letters, digits, "_" and "-" (at most 64 characters)`}},
		{"refuses a model name over 64 characters", `{"name": "a` + strings.Repeat("b", 64) + `"}`,
			map[string]string{"name": `must start with a letter and contain only letters, digits, "_" and "-" (at most 64 characters)`}},
		{"refuses a description over 10000 characters", `{"name": "a", "description": "` + strings.Repeat("x", 10001) + `"}`,
			map[string]string{"description": "must be at most 10000 characters"}},
		{"refuses a negative version", `{"name": "a", "version": -1}`, map[string]string{"version": "must not be negative"}},

		// entity types
		{"requires an entity name", `{"name": "a", "entities": [{}]}`, map[string]string{"entities[0].name": "is required"}},
		{"refuses an entity name with a dash", `{"name": "a", "entities": [{"name": "my-task"}]}`,
			map[string]string{"entities[0].name": `must start with a letter and contain only letters, digits and "_" (at most 48 characters)`}},
		{"refuses an entity name over 48 characters", `{"name": "a", "entities": [{"name": "A` + strings.Repeat("b", 48) + `"}]}`,
			map[string]string{"entities[0].name": `must start with a letter and contain only letters, digits and "_" (at most 48 characters)`}},
		{"refuses duplicate entity types", `{"name": "a", "entities": [{"name": "A"}, {"name": "B"}, {"name": "A"}]}`,
			map[string]string{"entities[2].name": `duplicate entity type "A" (also entities[0])`}},
		{"refuses a long display name", `{"name": "a", "entities": [{"name": "A", "displayName": "` + strings.Repeat("x", 201) + `"}]}`,
			map[string]string{"entities[0].displayName": "must be at most 200 characters"}},

		// permissions
		{"refuses an unknown role", `{"name": "a", "entities": [{"name": "A", "permissions": {"guest": {"read": false}}}]}`,
			map[string]string{"entities[0].permissions.guest": `unknown role "guest" (roles: owner, editor, member, viewer)`}},
		{"refuses an unknown operation", `{"name": "a", "entities": [{"name": "A", "permissions": {"member": {"list": false}}}]}`,
			map[string]string{"entities[0].permissions.member.list": "unknown key"}},
		{"refuses a permission that is not true, false or own", `{"name": "a", "entities": [{"name": "A", "permissions": {"member": {"read": 1}}}]}`,
			map[string]string{"entities[0].permissions.member.read": `must be true, false or "own"`}},
		{"refuses own on create", `{"name": "a", "entities": [{"name": "A", "permissions": {"member": {"create": "own"}}}]}`,
			map[string]string{"entities[0].permissions.member.create": `must be true or false: "own" applies to existing records`}},
		{"refuses widening a viewer", `{"name": "a", "entities": [{"name": "A", "permissions": {"viewer": {"update": "own"}}}]}`,
			map[string]string{"entities[0].permissions.viewer.update": "viewer may not update by default; permissions can only narrow a role's rights"}},
		{"refuses permissions that are not an object", `{"name": "a", "entities": [{"name": "A", "permissions": {"member": true}}]}`,
			map[string]string{"entities[0].permissions.member": "must be an object"}},

		// fields
		{"requires a field name", task(`{"type": "string"}`), map[string]string{f0 + "name": "is required"}},
		{"refuses a field name starting with a digit", task(`{"name": "1a", "type": "string"}`),
			map[string]string{f0 + "name": `must start with a letter and contain only letters, digits and "_" (at most 48 characters)`}},
		{"refuses a system field name", task(`{"name": "createdAt", "type": "datetime"}`), map[string]string{f0 + "name": `"createdAt" is a system field`}},
		{"refuses duplicate fields", task(`{"name": "a", "type": "string"}`, `{"name": "a", "type": "text"}`),
			map[string]string{"entities[0].fields[1].name": `duplicate field "a" (also fields[0])`}},
		{"requires a type", task(`{"name": "a"}`), map[string]string{f0 + "type": "is required"}},
		{"suggests the closest type", task(`{"name": "a", "type": "strng"}`), map[string]string{f0 + "type": `unknown type "strng" (did you mean "string"?)`}},
		{"suggests a type ignoring case", task(`{"name": "a", "type": "Integer"}`), map[string]string{f0 + "type": `unknown type "Integer" (did you mean "integer"?)`}},
		{"suggests nothing for a distant type", task(`{"name": "a", "type": "blob"}`), map[string]string{f0 + "type": `unknown type "blob"`}},
		{"needs values on an enum", task(`{"name": "a", "type": "enum"}`), map[string]string{f0 + "values": "an enum field needs at least one value"}},
		{"needs a non-empty list of values", task(`{"name": "a", "type": "enum", "values": []}`), map[string]string{f0 + "values": "an enum field needs at least one value"}},
		{"refuses duplicate values", task(`{"name": "a", "type": "enum", "values": ["todo", "done", "todo"]}`),
			map[string]string{f0 + "values[2]": `duplicate value "todo" (also values[0])`}},
		{"refuses an empty value", task(`{"name": "a", "type": "enum", "values": ["x", ""]}`), map[string]string{f0 + "values[1]": "must not be empty"}},
		{"refuses a long value", task(`{"name": "a", "type": "enum", "values": ["` + strings.Repeat("v", 201) + `"]}`),
			map[string]string{f0 + "values[0]": "must be at most 200 characters"}},
		{"refuses values on a string", task(`{"name": "a", "type": "string", "values": ["x"]}`), map[string]string{f0 + "values": "only enum fields have values"}},
		{"refuses min on a string", task(`{"name": "a", "type": "string", "min": 1}`), map[string]string{f0 + "min": "only integer and number fields have min"}},
		{"refuses max on a date", task(`{"name": "a", "type": "date", "max": 1}`), map[string]string{f0 + "max": "only integer and number fields have max"}},
		{"refuses min over max", task(`{"name": "a", "type": "number", "min": 5, "max": 1}`), map[string]string{f0 + "max": "must not be less than min"}},
		{"refuses a fractional min on an integer", task(`{"name": "a", "type": "integer", "min": 0.5}`),
			map[string]string{f0 + "min": "must be a whole number for an integer field"}},
		{"refuses an integer max past int64", task(`{"name": "a", "type": "integer", "max": 1e19}`),
			map[string]string{f0 + "max": "is outside the range of integer fields"}},
		{"refuses minLength on an integer", task(`{"name": "a", "type": "integer", "minLength": 1}`),
			map[string]string{f0 + "minLength": "only string, text, email and url fields have minLength"}},
		{"refuses a negative minLength", task(`{"name": "a", "type": "string", "minLength": -1}`), map[string]string{f0 + "minLength": "must not be negative"}},
		{"refuses minLength over maxLength", task(`{"name": "a", "type": "text", "minLength": 10, "maxLength": 2}`),
			map[string]string{f0 + "maxLength": "must not be less than minLength"}},
		{"refuses a pattern on an integer", task(`{"name": "a", "type": "integer", "pattern": "x"}`),
			map[string]string{f0 + "pattern": "only string, text, email and url fields have a pattern"}},
		{"refuses a pattern that does not compile", task(`{"name": "a", "type": "string", "pattern": "(a"}`),
			map[string]string{f0 + "pattern": `is not a valid regular expression: missing closing ) in "(a"`}},
		{"refuses a lookahead pattern", task(`{"name": "a", "type": "string", "pattern": "(?=a)"}`),
			map[string]string{f0 + "pattern": `is not a valid regular expression: invalid or unsupported Perl syntax in "(?="`}},
		{"refuses a long pattern", task(`{"name": "a", "type": "string", "pattern": "` + strings.Repeat("a", 1001) + `"}`),
			map[string]string{f0 + "pattern": "must be at most 1000 bytes"}},
		{"refuses an indexed json field", task(`{"name": "a", "type": "json", "indexed": true}`), map[string]string{f0 + "indexed": "json fields cannot be indexed"}},
		{"refuses a unique json field", task(`{"name": "a", "type": "json", "unique": true}`), map[string]string{f0 + "unique": "json fields cannot be unique"}},

		// defaults
		{"refuses a null default", task(`{"name": "a", "type": "string", "default": null}`),
			map[string]string{f0 + "default": "must not be null (leave default out instead)"}},
		{"refuses a number default for a string", task(`{"name": "a", "type": "string", "default": 5}`), map[string]string{f0 + "default": "must be a string"}},
		{"refuses a default shorter than minLength", task(`{"name": "a", "type": "string", "minLength": 2, "default": "x"}`),
			map[string]string{f0 + "default": "must be at least 2 characters"}},
		{"refuses a default longer than maxLength", task(`{"name": "a", "type": "string", "maxLength": 1, "default": "éé"}`),
			map[string]string{f0 + "default": "must be at most 1 character"}},
		{"refuses a default that misses the pattern", task(`{"name": "a", "type": "string", "pattern": "^[A-Z]+$", "default": "abc"}`),
			map[string]string{f0 + "default": "must match the pattern ^[A-Z]+$"}},
		{"refuses a default outside the values", task(`{"name": "a", "type": "enum", "values": ["todo", "done"], "default": "doing"}`),
			map[string]string{f0 + "default": "must be one of todo, done"}},
		{"refuses a fractional integer default", task(`{"name": "a", "type": "integer", "default": 2.5}`), map[string]string{f0 + "default": "must be an integer"}},
		{"refuses an integer default past int64", task(`{"name": "a", "type": "integer", "default": 9223372036854775808}`),
			map[string]string{f0 + "default": "is out of range"}},
		{"refuses a default under min", task(`{"name": "a", "type": "integer", "min": 1, "default": 0}`), map[string]string{f0 + "default": "must be at least 1"}},
		{"refuses a default over max", task(`{"name": "a", "type": "number", "max": 1.5, "default": 2}`), map[string]string{f0 + "default": "must be at most 1.5"}},
		{"refuses a string default for a boolean", task(`{"name": "a", "type": "boolean", "default": "true"}`), map[string]string{f0 + "default": "must be true or false"}},
		{"refuses an impossible date default", task(`{"name": "a", "type": "date", "default": "2026-02-30"}`),
			map[string]string{f0 + "default": "must be a date (YYYY-MM-DD)"}},
		{"refuses a datetime default without offset", task(`{"name": "a", "type": "datetime", "default": "2026-11-24T17:00:00"}`),
			map[string]string{f0 + "default": "must be a date and time (RFC 3339, such as 2026-11-24T17:00:00Z)"}},
		{"refuses an email default without domain", task(`{"name": "a", "type": "email", "default": "ann@"}`),
			map[string]string{f0 + "default": "must be an e-mail address"}},
		{"refuses a relative url default", task(`{"name": "a", "type": "url", "default": "/tasks"}`),
			map[string]string{f0 + "default": "must be an http or https URL"}},

		// relationships
		{"requires the parts of a relationship", rel(`{}`), map[string]string{
			"relationships[0].name": "is required", "relationships[0].kind": "is required", "relationships[0].from": "is required",
			"relationships[0].to": "is required", "relationships[0].fromField": "is required", "relationships[0].toField": "is required"}},
		{"refuses an unknown kind", rel(`{"name": "r", "kind": "many", "from": "A", "to": "B", "fromField": "bs", "toField": "a"}`),
			map[string]string{"relationships[0].kind": "must be one of one-to-one, one-to-many, many-to-many"}},
		{"refuses an unknown entity type", rel(`{"name": "r", "kind": "one-to-many", "from": "A", "to": "Bee", "fromField": "bs", "toField": "a"}`),
			map[string]string{"relationships[0].to": `unknown entity type "Bee" (did you mean "B"?)`}},
		{"refuses a fromField that is a field of from", rel(`{"name": "r", "kind": "one-to-many", "from": "A", "to": "B", "fromField": "name", "toField": "a"}`),
			map[string]string{"relationships[0].fromField": `"name" is already a field of entity type "A"`}},
		{"refuses a toField that is a field of to", rel(`{"name": "r", "kind": "one-to-many", "from": "A", "to": "B", "fromField": "bs", "toField": "title"}`),
			map[string]string{"relationships[0].toField": `"title" is already a field of entity type "B"`}},
		{"refuses a system toField", rel(`{"name": "r", "kind": "one-to-many", "from": "A", "to": "B", "fromField": "bs", "toField": "id"}`),
			map[string]string{"relationships[0].toField": `"id" is a system field`}},
		{"refuses a bad fromField", rel(`{"name": "r", "kind": "one-to-many", "from": "A", "to": "B", "fromField": "b s", "toField": "a"}`),
			map[string]string{"relationships[0].fromField": `must start with a letter and contain only letters, digits and "_" (at most 48 characters)`}},
		{"refuses the same end twice on a self relationship", rel(`{"name": "r", "kind": "one-to-one", "from": "A", "to": "A", "fromField": "x", "toField": "x"}`),
			map[string]string{"relationships[0].toField": `"x" is already used by relationships[0].fromField on entity type "A"`}},
		{"refuses an end another relationship uses", rel(
			`{"name": "r1", "kind": "one-to-many", "from": "A", "to": "B", "fromField": "bs", "toField": "owner"}`,
			`{"name": "r2", "kind": "many-to-many", "from": "A", "to": "B", "fromField": "others", "toField": "owner"}`),
			map[string]string{"relationships[1].toField": `"owner" is already used by relationships[0].toField on entity type "B"`}},
		{"refuses duplicate relationship names", rel(
			`{"name": "r", "kind": "one-to-many", "from": "A", "to": "B", "fromField": "bs", "toField": "a"}`,
			`{"name": "r", "kind": "one-to-many", "from": "A", "to": "B", "fromField": "bs2", "toField": "a2"}`),
			map[string]string{"relationships[1].name": `duplicate relationship "r" (also relationships[0])`}},
		{"refuses an unknown onDelete", rel(`{"name": "r", "kind": "one-to-many", "from": "A", "to": "B", "fromField": "bs", "toField": "a", "onDelete": "nullify"}`),
			map[string]string{"relationships[0].onDelete": "must be one of restrict, cascade, set-null"}},
		{"refuses a required many-to-many", rel(`{"name": "r", "kind": "many-to-many", "from": "A", "to": "B", "fromField": "bs", "toField": "as", "required": true}`),
			map[string]string{"relationships[0].required": "only one-to-one and one-to-many relationships can be required"}},
		{"refuses set-null on a required relationship", rel(`{"name": "r", "kind": "one-to-many", "from": "A", "to": "B", "fromField": "bs", "toField": "a", "required": true, "onDelete": "set-null"}`),
			map[string]string{"relationships[0].onDelete": `"set-null" cannot be used with a required relationship`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseModel([]byte(tt.doc))
			wantProblems(t, err, tt.want)
			if n := len(ErrorFields(err)); n != len(tt.want) {
				t.Errorf("got %d problems, want %d: %v", n, len(tt.want), err)
			}
		})
	}
}

func TestParseModelAcceptsEdgeCases(t *testing.T) {
	tests := []struct{ name, doc string }{
		{"a self relationship", rel(`{"name": "r", "kind": "one-to-one", "from": "A", "to": "A", "fromField": "mentee", "toField": "mentor"}`)},
		{"the same end name on different entity types", rel(
			`{"name": "r1", "kind": "one-to-many", "from": "A", "to": "B", "fromField": "items", "toField": "owner"}`,
			`{"name": "r2", "kind": "one-to-many", "from": "B", "to": "A", "fromField": "items", "toField": "owner"}`)},
		{"integers written with a fraction or exponent", task(`{"name": "a", "type": "integer", "min": 1.0, "max": 1e3, "default": 2.0}`)},
		{"a number default at its bounds", task(`{"name": "a", "type": "number", "min": -1.5, "max": 1.5, "default": -1.5}`)},
		{"a datetime default with an offset", task(`{"name": "a", "type": "datetime", "default": "2026-11-24T17:00:00.123+01:00"}`)},
		{"an indexed false json field", task(`{"name": "a", "type": "json", "indexed": false, "default": [1, "x"]}`)},
		{"an indexed date", task(`{"name": "a", "type": "date", "indexed": true, "unique": true}`)},
		{"a pattern on an email", task(`{"name": "a", "type": "email", "pattern": "@example\\.com$", "default": "ann@example.com"}`)},
		{"a field named like a filter keyword", task(`{"name": "and", "type": "string"}`, `{"name": "null", "type": "string"}`)},
	}
	for _, tt := range tests {
		t.Run("accepts "+tt.name, func(t *testing.T) {
			m, err := ParseModel([]byte(tt.doc))
			if err != nil {
				t.Fatalf("got %v, want no error", err)
			}
			roundTrip(t, m)
		})
	}
}

// TestParseModelAtLimits builds a model at every count limit and expects it
// to be accepted, in reasonable time.
func TestParseModelAtLimits(t *testing.T) {
	m := &Model{Name: "big", Version: 1}
	values := make([]string, MaxEnumValues)
	for i := range values {
		values[i] = fmt.Sprintf("v%d", i)
	}
	for i := range MaxEntityTypes {
		e := EntityType{Name: fmt.Sprintf("E%d", i)}
		if i == 0 {
			for j := range MaxFieldsPerEntity - 1 {
				e.Fields = append(e.Fields, Field{Name: fmt.Sprintf("f%d", j), Type: FieldString})
			}
			e.Fields = append(e.Fields, Field{Name: "state", Type: FieldEnum, Values: values})
		}
		m.Entities = append(m.Entities, e)
	}
	for i := range MaxRelationships {
		m.Relationships = append(m.Relationships, Relationship{
			Name: fmt.Sprintf("r%d", i), Kind: OneToMany, From: fmt.Sprintf("E%d", i%MaxEntityTypes), To: "E1",
			FromField: fmt.Sprintf("to%d", i), ToField: fmt.Sprintf("from%d", i),
		})
	}
	doc, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseModel(doc)
	if err != nil {
		t.Fatalf("got %v, want a valid model", err)
	}
	roundTrip(t, got)
}

func TestValidateProgrammaticModels(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		mutate func(m *Model)
		want   map[string]string
	}{
		{"refuses a NaN min", func(m *Model) { m.Entities[0].Fields[4].Min = &nan },
			map[string]string{"entities[0].fields[4].min": "must be a finite number"}},
		{"refuses a default that is not JSON", func(m *Model) { m.Entities[0].Fields[0].Default = json.RawMessage(`{`) },
			map[string]string{"entities[0].fields[0].default": "must be valid JSON"}},
		{"refuses a page that is not an object", func(m *Model) { m.Pages = append(m.Pages, json.RawMessage(`[1]`)) },
			map[string]string{"pages[1]": "must be an object"}},
		{"refuses an xflow that is not JSON", func(m *Model) { m.XFlows = []json.RawMessage{json.RawMessage(`{x}`)} },
			map[string]string{"xflows[0]": "must be an object"}},
		{"refuses too many entity types", func(m *Model) {
			for i := 0; len(m.Entities) <= MaxEntityTypes; i++ {
				m.Entities = append(m.Entities, EntityType{Name: "E" + strings.Repeat("x", i%40) + string(rune('a'+i/40))})
			}
		}, map[string]string{"entities": "must have at most 200 entity types"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mustParse(t, todoModel)
			tt.mutate(m)
			wantProblems(t, m.Validate(), tt.want)
		})
	}
}

func TestValidateDoesNotChangeTheModel(t *testing.T) {
	m := mustParse(t, projectsModel)
	m.Relationships[0].OnDelete = ""
	before, _ := json.Marshal(m)
	if err := m.Validate(); err != nil {
		t.Fatalf("got %v, want valid", err)
	}
	after, _ := json.Marshal(m)
	if string(before) != string(after) {
		t.Errorf("Validate changed the model:\ngot  %s\nwant %s", after, before)
	}
}

func TestNormalize(t *testing.T) {
	m := &Model{Name: "a", Entities: []EntityType{{Name: "A"}}, Relationships: []Relationship{
		{Name: "r", Kind: OneToMany, From: "A", To: "A", FromField: "x", ToField: "y"},
		{Name: "s", Kind: OneToMany, From: "A", To: "A", FromField: "p", ToField: "q", OnDelete: OnDeleteCascade},
	}}
	m.Normalize()
	if got := m.Relationships[0].OnDelete; got != OnDeleteRestrict {
		t.Errorf("got onDelete %q, want restrict", got)
	}
	if got := m.Relationships[1].OnDelete; got != OnDeleteCascade {
		t.Errorf("got onDelete %q, want cascade kept", got)
	}
	if m.Pages == nil || m.XFlows == nil || m.Entities[0].Fields == nil {
		t.Errorf("got nil lists, want empty ones")
	}
	once, _ := json.Marshal(m)
	m.Normalize()
	twice, _ := json.Marshal(m)
	if string(once) != string(twice) {
		t.Errorf("Normalize is not idempotent:\ngot  %s\nwant %s", twice, once)
	}
	if err := m.Validate(); err != nil {
		t.Errorf("got %v, want valid", err)
	}
	if !reflect.DeepEqual(m.Pages, []json.RawMessage{}) {
		t.Errorf("got pages %v, want []", m.Pages)
	}
}

func TestParseDateTime(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool
		want string // UTC, RFC3339Nano
	}{
		{"2026-11-24T17:00:00Z", true, "2026-11-24T17:00:00Z"},
		{"2026-11-24T18:00:00+01:00", true, "2026-11-24T17:00:00Z"},
		{"2026-11-24T17:00:00.123456789-02:30", true, "2026-11-24T19:30:00.123456789Z"},
		{"2026-11-24t17:00:00Z", false, ""},
		{"2026-11-24T17:00:00z", false, ""},
		{"2026-11-24 17:00:00Z", false, ""},
		{"2026-11-24T17:00:00", false, ""},
		{"2026-11-24T17:00:00,5Z", false, ""},
		{"2026-11-24T17:00:00.Z", false, ""},
		{"2026-11-24T17:00:00.1234567891Z", false, ""},
		{"2026-11-24T24:00:00Z", false, ""},
		{"2026-11-24T23:59:60Z", false, ""},
		{"2026-11-24T17:00:00+0100", false, ""},
		{"0000-01-01T00:30:00+01:00", false, ""},
		{"9999-12-31T23:30:00-01:00", false, ""},
		{"2026-02-29T00:00:00Z", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDateTime(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("got error %v, want ok=%v", err, tt.ok)
			}
			if tt.ok {
				if s := got.UTC().Format("2006-01-02T15:04:05.999999999Z07:00"); s != tt.want {
					t.Errorf("got %s, want %s", s, tt.want)
				}
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	for in, ok := range map[string]bool{
		"2026-11-24": true, "2028-02-29": true, "0000-01-01": true,
		"2026-02-29": false, "2026-13-01": false, "2026-1-01": false, "26-11-24": false, "2026-11-24T00:00:00Z": false, "": false,
	} {
		t.Run(in, func(t *testing.T) {
			if _, err := ParseDate(in); (err == nil) != ok {
				t.Errorf("got error %v, want ok=%v", err, ok)
			}
		})
	}
}

func TestValidEmail(t *testing.T) {
	for in, ok := range map[string]bool{
		"ann@example.com": true, "a.b+c@mail.example.org": true, "o'neil@x.io": true, "x@a-b.co": true,
		"ann": false, "@example.com": false, "ann@": false, "ann@localhost": false, "ann@@example.com": false,
		".ann@example.com": false, "ann.@example.com": false, "a..b@example.com": false, "ann@-x.com": false,
		"ann@x..com": false, "an n@example.com": false, "ann@exa mple.com": false, "ann@[1.2.3.4]": false,
		strings.Repeat("a", 65) + "@example.com": false, "ann@" + strings.Repeat("a", 64) + ".com": false,
		"jö@example.com": false,
	} {
		t.Run(in, func(t *testing.T) {
			if got := ValidEmail(in); got != ok {
				t.Errorf("got %v, want %v", got, ok)
			}
		})
	}
}

func TestValidURL(t *testing.T) {
	for in, ok := range map[string]bool{
		"https://example.com": true, "http://example.com/a?b=c#d": true, "HTTPS://EXAMPLE.COM": true,
		"http://user:pw@localhost:8080/x": true, "https://[::1]/": true,
		"ftp://example.com": false, "/tasks": false, "example.com": false, "https://": false, "http:///x": false,
		"https://exa mple.com": false, "https://example.com/a b": false, "mailto:ann@example.com": false,
		"http:example.com": false, "https://:80": false, "": false, "https://example.com/\x7f": false,
	} {
		t.Run(in, func(t *testing.T) {
			if got := ValidURL(in); got != ok {
				t.Errorf("got %v, want %v", got, ok)
			}
		})
	}
}

func TestFieldTypeMessage(t *testing.T) {
	for _, ft := range FieldTypes {
		f := &Field{Type: ft, Values: []string{"a", "b"}}
		if msg := f.TypeMessage(); !strings.HasPrefix(msg, "must be ") {
			t.Errorf("got %q for %s, want a message starting with \"must be \"", msg, ft)
		}
	}
}
