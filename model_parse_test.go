package torque

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// todoModel is the example model of docs/model.md: a task list.
const todoModel = `{
  "name": "TODO",
  "description": "A task list.",
  "version": 1,
  "entities": [
    {
      "name": "Task",
      "displayName": "Task",
      "fields": [
        {"name": "title", "type": "string", "required": true, "minLength": 1, "maxLength": 200},
        {"name": "description", "type": "text"},
        {"name": "status", "type": "enum", "values": ["todo", "doing", "done"], "default": "todo"},
        {"name": "due", "type": "date"},
        {"name": "priority", "type": "integer", "min": 1, "max": 5}
      ]
    }
  ],
  "relationships": [],
  "pages": [
    {"name": "Tasks", "route": "/tasks", "components": [{"type": "DataGrid", "props": {"entity": "Task", "columns": ["title", "status"]}}]}
  ],
  "xflows": []
}`

// projectsModel uses every field type and every kind of relationship.
const projectsModel = `{
  "name": "projects",
  "version": 7,
  "entities": [
    {"name": "Project", "fields": [
      {"name": "name", "type": "string", "required": true, "unique": true, "pattern": "^[A-Z]"},
      {"name": "budget", "type": "number", "min": 0, "max": 1e9, "default": 1000.5},
      {"name": "active", "type": "boolean", "default": true},
      {"name": "start", "type": "datetime", "default": "2026-11-24T17:00:00+01:00"},
      {"name": "site", "type": "url", "default": "https://example.com/x"},
      {"name": "owner", "type": "email", "indexed": true, "default": "ann@example.com"},
      {"name": "meta", "type": "json", "default": {"a": [1, 2, {"b": null}]}}
    ]},
    {"name": "Task", "fields": [
      {"name": "title", "type": "string", "required": true, "minLength": 1, "maxLength": 200},
      {"name": "priority", "type": "integer", "min": -3, "max": 5, "default": 2},
      {"name": "due", "type": "date", "default": "2026-12-31"}
    ]},
    {"name": "Tag", "fields": [{"name": "label", "type": "string"}]},
    {"name": "Person", "fields": [{"name": "nick", "type": "string"}]}
  ],
  "relationships": [
    {"name": "projectTasks", "kind": "one-to-many", "from": "Project", "to": "Task", "fromField": "tasks", "toField": "project", "onDelete": "cascade", "required": true},
    {"name": "taskTags", "kind": "many-to-many", "from": "Task", "to": "Tag", "fromField": "tags", "toField": "tasks", "onDelete": "set-null"},
    {"name": "mentor", "kind": "one-to-one", "from": "Person", "to": "Person", "fromField": "mentee", "toField": "mentor"}
  ],
  "pages": [{"name": "Board", "x": "<b>&amp;</b>", "n": 1.50}],
  "xflows": [{"on": "create", "entity": "Task"}]
}`

func mustParse(t testing.TB, doc string) *Model {
	t.Helper()
	m, err := ParseModel([]byte(doc))
	if err != nil {
		t.Fatalf("ParseModel: got error %v, want none", err)
	}
	return m
}

func TestParseModelExample(t *testing.T) {
	m := mustParse(t, todoModel)
	if m.Name != "TODO" || m.Version != 1 || len(m.Entities) != 1 {
		t.Fatalf("got name %q version %d entities %d, want TODO 1 1", m.Name, m.Version, len(m.Entities))
	}
	task := m.EntityType("Task")
	if task == nil || len(task.Fields) != 5 {
		t.Fatalf("got entity type Task %+v, want 5 fields", task)
	}
	title := task.Field("title")
	if !title.Required || *title.MinLength != 1 || *title.MaxLength != 200 || title.Type != FieldString {
		t.Errorf("got title %+v, want required string of 1..200 characters", title)
	}
	if got := string(task.Field("status").Default); got != `"todo"` {
		t.Errorf("got status default %s, want \"todo\"", got)
	}
	if p := task.Field("priority"); *p.Min != 1 || *p.Max != 5 {
		t.Errorf("got priority min %v max %v, want 1 and 5", *p.Min, *p.Max)
	}
	wantPage := `{"name": "Tasks", "route": "/tasks", "components": [{"type": "DataGrid", "props": {"entity": "Task", "columns": ["title", "status"]}}]}`
	if len(m.Pages) != 1 || string(m.Pages[0]) != wantPage {
		t.Errorf("got pages %q, want the page verbatim %q", m.Pages, wantPage)
	}
	if m.Relationships == nil || m.XFlows == nil {
		t.Errorf("got nil relationships or xflows, want empty lists")
	}
}

// roundTrip checks that export then import gives back an identical model.
func roundTrip(t testing.TB, m *Model) {
	t.Helper()
	first, err := json.Marshal(m.Document())
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	m2, err := ParseModel(first)
	if err != nil {
		t.Fatalf("ParseModel of exported document %s: got error %v, want none", first, err)
	}
	second, err := json.Marshal(m2.Document())
	if err != nil {
		t.Fatalf("marshal again: %v", err)
	}
	if !bytes.Equal(first, second) {
		t.Fatalf("round trip changed the document:\ngot  %s\nwant %s", second, first)
	}
}

func TestModelRoundTrip(t *testing.T) {
	for name, doc := range map[string]string{"todo": todoModel, "projects": projectsModel} {
		t.Run(name, func(t *testing.T) {
			m := mustParse(t, doc)
			roundTrip(t, m)
			m.Normalize()
			roundTrip(t, m)
		})
	}
}

func TestParseModelKeepsStorageIdentity(t *testing.T) {
	m := mustParse(t, `{"$schema": "./model.schema.json", "id": "m1", "name": "a", "createdAt": "2026-11-24T17:00:00Z", "updatedAt": "2026-11-25T17:00:00.5+01:00"}`)
	if m.ID != "m1" || m.CreatedAt == nil || m.UpdatedAt == nil || m.UpdatedAt.Nanosecond() != 5e8 {
		t.Fatalf("got id %q createdAt %v updatedAt %v, want m1 and both times", m.ID, m.CreatedAt, m.UpdatedAt)
	}
	d := m.Document()
	if d.ID != "" || d.CreatedAt != nil || d.UpdatedAt != nil {
		t.Errorf("got document with id %q createdAt %v, want neither", d.ID, d.CreatedAt)
	}
}

func TestParseModelNullLists(t *testing.T) {
	m := mustParse(t, `{"name": "a", "entities": [{"name": "A", "fields": null}], "relationships": null, "pages": null, "xflows": null}`)
	if m.Relationships == nil || m.Pages == nil || m.XFlows == nil || m.Entities[0].Fields == nil {
		t.Fatalf("got nil lists in %+v, want empty ones", m)
	}
}

// wantProblems checks that err is an EINVALID *Error whose Fields hold every
// entry of want.
func wantProblems(t *testing.T, err error, want map[string]string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v, want an *Error", err)
	}
	if e.Code != EINVALID {
		t.Fatalf("got code %s, want EINVALID (%v)", e.Code, err)
	}
	for path, msg := range want {
		got, ok := e.Fields[path]
		if !ok {
			t.Errorf("got no problem at %s, want %q; problems: %s", path, msg, e.FieldList())
		} else if got != msg {
			t.Errorf("got %s: %q, want %q", path, got, msg)
		}
	}
}

// task wraps field definitions into a model with one entity type "Task".
func task(fields ...string) string {
	return `{"name": "m", "entities": [{"name": "Task", "fields": [` + strings.Join(fields, ",") + `]}]}`
}

func TestParseModelDecodingProblems(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want map[string]string
	}{
		{"refuses an unknown key", `{"name": "m", "entities": [{"name": "Task", "colour": "red"}]}`,
			map[string]string{"entities[0].colour": "unknown key"}},
		{"refuses a string for a boolean", task(`{"name": "a", "type": "string"}`, `{"name": "b", "type": "string", "required": "yes"}`),
			map[string]string{"entities[0].fields[1].required": "must be a boolean"}},
		{"refuses a document that is not an object", `[]`, map[string]string{"$": "must be an object"}},
		{"refuses an empty document", ``, map[string]string{"$": "invalid JSON: empty document at line 1, column 1"}},
		{"refuses truncated JSON", `{"name":`, map[string]string{"$": "invalid JSON: unexpected end of document at line 1, column 9"}},
		{"refuses a missing comma with its line and column", "{\n  \"name\": \"a\"\n  \"version\": 1}",
			map[string]string{"$": `invalid JSON: unexpected character '"' at line 3, column 3`}},
		{"refuses data after the document", `{"name": "a"} {}`, map[string]string{"$": "invalid JSON: unexpected data after the document at line 1, column 15"}},
		{"refuses a trailing comma", `{"name": "a",}`, map[string]string{"$": "invalid JSON: unexpected character '}' at line 1, column 14"}},
		{"refuses a duplicate key", `{"name": "a", "name": "b"}`, map[string]string{"name": "duplicate key"}},
		{"refuses a number for a name", `{"name": 5}`, map[string]string{"name": "must be a string"}},
		{"refuses null for a name", `{"name": null}`, map[string]string{"name": "must be a string"}},
		{"refuses an object for entities", `{"name": "a", "entities": {}}`, map[string]string{"entities": "must be an array"}},
		{"refuses an entity that is not an object", `{"name": "a", "entities": [1]}`, map[string]string{"entities[0]": "must be an object"}},
		{"refuses a page that is not an object", `{"name": "a", "pages": [{"name": "P"}, "Tasks"]}`, map[string]string{"pages[1]": "must be an object"}},
		{"refuses an xflow that is not an object", `{"name": "a", "xflows": [[]]}`, map[string]string{"xflows[0]": "must be an object"}},
		{"refuses a fractional version", `{"name": "a", "version": 1.5}`, map[string]string{"version": "must be an integer"}},
		{"refuses a huge version", `{"name": "a", "version": 1e40}`, map[string]string{"version": "is out of range"}},
		{"refuses a version past int64", `{"name": "a", "version": 9223372036854775808}`, map[string]string{"version": "is out of range"}},
		{"refuses a string min", task(`{"name": "a", "type": "integer", "min": "1"}`), map[string]string{"entities[0].fields[0].min": "must be a number"}},
		{"refuses a min beyond float64", task(`{"name": "a", "type": "number", "min": 1e400}`), map[string]string{"entities[0].fields[0].min": "is out of range"}},
		{"refuses a fractional minLength", task(`{"name": "a", "type": "string", "minLength": 1.5}`), map[string]string{"entities[0].fields[0].minLength": "must be an integer"}},
		{"refuses a value that is not a string", task(`{"name": "a", "type": "enum", "values": ["x", 2, "y"]}`),
			map[string]string{"entities[0].fields[0].values[1]": "must be a string"}},
		{"quotes a key that is not a plain name", `{"name": "a", "entities": [{"name": "A", "we ird": 1}]}`,
			map[string]string{`entities[0]["we ird"]`: "unknown key"}},
		{"refuses invalid UTF-8", "{\"name\": \"a\xff\"}", map[string]string{"$": "invalid JSON: invalid UTF-8 in string at line 1, column 12"}},
		{"refuses a control character in a string", "{\"name\": \"a\tb\"}", map[string]string{"$": "invalid JSON: control character in string at line 1, column 12"}},
		{"refuses a bad escape", `{"name": "a\x"}`, map[string]string{"$": `invalid JSON: invalid escape "\\x" in string at line 1, column 12`}},
		{"refuses a leading zero", `{"name": "a", "version": 01}`, map[string]string{"$": "invalid JSON: unexpected character '1' at line 1, column 27"}},
		{"refuses deep nesting in a page", `{"name": "a", "pages": [{"x": ` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}]}`,
			map[string]string{"$": "invalid JSON: nesting deeper than 512 levels at line 1, column 540"}},
		{"refuses a bad createdAt", `{"name": "a", "createdAt": "yesterday"}`, map[string]string{"createdAt": "must be a date and time (RFC 3339)"}},
		{"refuses an empty pattern", task(`{"name": "a", "type": "string", "pattern": ""}`),
			map[string]string{"entities[0].fields[0].pattern": "must not be empty (leave pattern out instead)"}},
		{"refuses an empty onDelete", `{"name": "a", "entities": [{"name": "A"}], "relationships": [{"name": "r", "kind": "one-to-many", "from": "A", "to": "A", "fromField": "x", "toField": "y", "onDelete": ""}]}`,
			map[string]string{"relationships[0].onDelete": "must be one of restrict, cascade, set-null"}},
		{"refuses more than 200 entity types", `{"name": "a", "entities": [` + strings.TrimSuffix(strings.Repeat(`{"name": "A"},`, 201), ",") + `]}`,
			map[string]string{"entities": "must have at most 200 entity types"}},
		{"refuses more than 500 fields", task(strings.TrimSuffix(strings.Repeat(`{"name": "a", "type": "string"},`, 501), ",")),
			map[string]string{"entities[0].fields": "must have at most 500 fields"}},
		{"refuses more than 500 relationships", `{"name": "a", "relationships": [` + strings.TrimSuffix(strings.Repeat(`{},`, 501), ",") + `]}`,
			map[string]string{"relationships": "must have at most 500 relationships"}},
		{"refuses more than 1000 enum values", task(`{"name": "a", "type": "enum", "values": [` + strings.TrimSuffix(strings.Repeat(`"v",`, 1001), ",") + `]}`),
			map[string]string{"entities[0].fields[0].values": "must have at most 1000 values"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseModel([]byte(tt.doc))
			if m != nil {
				t.Errorf("got a model, want none")
			}
			wantProblems(t, err, tt.want)
		})
	}
}

func TestParseModelReportsEveryProblem(t *testing.T) {
	doc := `{
	  "name": "bad name",
	  "colour": 1,
	  "entities": [
	    {"name": "Task", "fields": [
	      {"name": "title", "type": "strng"},
	      {"name": "done", "type": "boolean", "required": "yes"},
	      {"name": "id", "type": "string"}
	    ]},
	    {"name": "Task"}
	  ],
	  "relationships": [{"name": "r", "kind": "one-to-many", "from": "Tsk", "to": "Task", "fromField": "x", "toField": "title"}],
	  "pages": [1]
	}`
	_, err := ParseModel([]byte(doc))
	want := map[string]string{
		"name":                           `must start with a letter and contain only letters, digits, "_" and "-" (at most 64 characters)`,
		"colour":                         "unknown key",
		"entities[0].fields[0].type":     `unknown type "strng" (did you mean "string"?)`,
		"entities[0].fields[1].required": "must be a boolean",
		"entities[0].fields[2].name":     `"id" is a system field`,
		"entities[1].name":               `duplicate entity type "Task" (also entities[0])`,
		"relationships[0].from":          `unknown entity type "Tsk" (did you mean "Task"?)`,
		"relationships[0].toField":       `"title" is already a field of entity type "Task"`,
		"pages[0]":                       "must be an object",
	}
	wantProblems(t, err, want)
	if n := len(ErrorFields(err)); n != len(want) {
		t.Errorf("got %d problems, want %d: %s", n, len(want), err)
	}
}

func TestParseModelHidesProblemsBelowDecodingProblems(t *testing.T) {
	// entities[1] is not an object: its placeholder must not add "is required".
	_, err := ParseModel([]byte(`{"name": "a", "entities": [{"name": "A"}, 7]}`))
	if got := ErrorFields(err); len(got) != 1 || got["entities[1]"] != "must be an object" {
		t.Errorf("got problems %v, want only entities[1]: must be an object", got)
	}
}

func TestParseModelKeepsProblemsBelowALongList(t *testing.T) {
	_, err := ParseModel([]byte(`{"name": "a", "entities": [{"name": "a b"},` + strings.TrimSuffix(strings.Repeat(`{"name": "A"},`, 200), ",") + `]}`))
	wantProblems(t, err, map[string]string{
		"entities":         "must have at most 200 entity types",
		"entities[0].name": `must start with a letter and contain only letters, digits and "_" (at most 48 characters)`,
		"entities[2].name": `duplicate entity type "A" (also entities[1])`,
	})
}

func TestParseModelTooLarge(t *testing.T) {
	doc := []byte(`{"name": "a", "description": "` + strings.Repeat("x", MaxModelBytes) + `"}`)
	_, err := ParseModel(doc)
	if ErrorCode(err) != ETOOLARGE {
		t.Fatalf("got %v, want ETOOLARGE", err)
	}
}

func TestParseModelCapsProblems(t *testing.T) {
	var keys []string
	for i := range 300 {
		keys = append(keys, fmt.Sprintf(`"k%d": 1`, i))
	}
	_, err := ParseModel([]byte(`{"name": "a", ` + strings.Join(keys, ",") + `}`))
	if n := len(ErrorFields(err)); n != maxProblems {
		t.Errorf("got %d problems, want %d", n, maxProblems)
	}
	if got, want := ErrorMessage(err), "invalid model (100 of 300 problems shown)"; got != want {
		t.Errorf("got message %q, want %q", got, want)
	}
}

func TestParseModelStrings(t *testing.T) {
	m := mustParse(t, `{"name": "a", "description": "tab\t nl\n quote\" slash\/ u\u00e9 pair\ud83d\ude00 lone\ud800 end"}`)
	want := "tab\t nl\n quote\" slash/ u\u00e9 pair\U0001F600 lone\uFFFD end"
	if m.Description != want {
		t.Errorf("got %q, want %q", m.Description, want)
	}
}

func TestWholeNumber(t *testing.T) {
	tests := []struct {
		text string
		want int64
		msg  string
	}{
		{"12", 12, ""},
		{"-0", 0, ""},
		{"1.0", 1, ""},
		{"1e3", 1000, ""},
		{"1.5", 0, "must be an integer"},
		{"1.000000000000000001", 0, "must be an integer"},
		{"9223372036854775807", 1<<63 - 1, ""},
		{"9223372036854775808", 0, "is out of range"},
		{"1e19", 0, "is out of range"},
		{"1e999999", 0, "is out of range"},
		{"0e999999", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, msg := wholeNumber(tt.text)
			if got != tt.want || msg != tt.msg {
				t.Errorf("got %d %q, want %d %q", got, msg, tt.want, tt.msg)
			}
		})
	}
}

// modelSchema compiles docs/model.schema.json.
func modelSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("docs/model.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("docs/model.schema.json: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("mem:///model.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("mem:///model.schema.json")
	if err != nil {
		t.Fatalf("compile docs/model.schema.json: %v", err)
	}
	return s
}

func validateWithSchema(s *jsonschema.Schema, doc []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return err
	}
	return s.Validate(v)
}

// TestModelSchemaDocument keeps docs/model.schema.json and ParseModel in
// step: documents ParseModel accepts pass the schema, and documents of the
// wrong shape fail both.
func TestModelSchemaDocument(t *testing.T) {
	s := modelSchema(t)
	for name, doc := range map[string]string{"todo": todoModel, "projects": projectsModel} {
		t.Run("accepts "+name, func(t *testing.T) {
			if err := validateWithSchema(s, []byte(doc)); err != nil {
				t.Errorf("schema: got %v, want valid", err)
			}
			if _, err := ParseModel([]byte(doc)); err != nil {
				t.Errorf("ParseModel: got %v, want valid", err)
			}
		})
	}
	invalid := []struct{ name, doc string }{
		{"without name", `{"entities": []}`},
		{"with an unknown key", `{"name": "a", "colour": 1}`},
		{"with a bad model name", `{"name": "1a"}`},
		{"with a negative version", `{"name": "a", "version": -1}`},
		{"with a page that is not an object", `{"name": "a", "pages": [1]}`},
		{"with an unknown entity key", `{"name": "a", "entities": [{"name": "A", "colour": 1}]}`},
		{"with a bad entity name", `{"name": "a", "entities": [{"name": "a-b"}]}`},
		{"with an unknown field type", task(`{"name": "a", "type": "strng"}`)},
		{"with a field without type", task(`{"name": "a"}`)},
		{"with a system field", task(`{"name": "id", "type": "string"}`)},
		{"with a string for required", task(`{"name": "a", "type": "string", "required": "yes"}`)},
		{"with values on a string", task(`{"name": "a", "type": "string", "values": ["x"]}`)},
		{"with an enum without values", task(`{"name": "a", "type": "enum"}`)},
		{"with an enum with no values", task(`{"name": "a", "type": "enum", "values": []}`)},
		{"with duplicate enum values", task(`{"name": "a", "type": "enum", "values": ["x", "x"]}`)},
		{"with min on a string", task(`{"name": "a", "type": "string", "min": 1}`)},
		{"with a fractional integer min", task(`{"name": "a", "type": "integer", "min": 1.5}`)},
		{"with minLength on an integer", task(`{"name": "a", "type": "integer", "minLength": 1}`)},
		{"with a negative maxLength", task(`{"name": "a", "type": "string", "maxLength": -1}`)},
		{"with a pattern on a date", task(`{"name": "a", "type": "date", "pattern": "x"}`)},
		{"with a bad pattern", task(`{"name": "a", "type": "string", "pattern": "("}`)},
		{"with a null default", task(`{"name": "a", "type": "string", "default": null}`)},
		{"with an indexed json field", task(`{"name": "a", "type": "json", "indexed": true}`)},
		{"with a unique json field", task(`{"name": "a", "type": "json", "unique": true}`)},
		{"with an unknown relationship kind", `{"name": "a", "entities": [{"name": "A"}], "relationships": [{"name": "r", "kind": "many", "from": "A", "to": "A", "fromField": "x", "toField": "y"}]}`},
		{"with a relationship without toField", `{"name": "a", "entities": [{"name": "A"}], "relationships": [{"name": "r", "kind": "one-to-many", "from": "A", "to": "A", "fromField": "x"}]}`},
		{"with a system toField", `{"name": "a", "entities": [{"name": "A"}], "relationships": [{"name": "r", "kind": "one-to-many", "from": "A", "to": "A", "fromField": "x", "toField": "version"}]}`},
		{"with a bad onDelete", `{"name": "a", "entities": [{"name": "A"}], "relationships": [{"name": "r", "kind": "one-to-many", "from": "A", "to": "A", "fromField": "x", "toField": "y", "onDelete": "nullify"}]}`},
		{"with a required many-to-many", `{"name": "a", "entities": [{"name": "A"}], "relationships": [{"name": "r", "kind": "many-to-many", "from": "A", "to": "A", "fromField": "x", "toField": "y", "required": true}]}`},
		{"with set-null on a required relationship", `{"name": "a", "entities": [{"name": "A"}], "relationships": [{"name": "r", "kind": "one-to-many", "from": "A", "to": "A", "fromField": "x", "toField": "y", "required": true, "onDelete": "set-null"}]}`},
		{"with an unknown role in permissions", `{"name": "a", "entities": [{"name": "A", "permissions": {"guest": {"read": false}}}]}`},
		{"with an unknown operation in permissions", `{"name": "a", "entities": [{"name": "A", "permissions": {"member": {"list": false}}}]}`},
		{"with a bad permission value", `{"name": "a", "entities": [{"name": "A", "permissions": {"member": {"read": "mine"}}}]}`},
		{"with own on create", `{"name": "a", "entities": [{"name": "A", "permissions": {"member": {"create": "own"}}}]}`},
		{"with a viewer allowed to delete", `{"name": "a", "entities": [{"name": "A", "permissions": {"viewer": {"delete": true}}}]}`},
		{"with a long description", `{"name": "a", "description": "` + strings.Repeat("é", MaxDescriptionLength+1) + `"}`},
	}
	for _, tt := range invalid {
		t.Run("refuses a model "+tt.name, func(t *testing.T) {
			if err := validateWithSchema(s, []byte(tt.doc)); err == nil {
				t.Errorf("schema: got valid, want an error")
			}
			if _, err := ParseModel([]byte(tt.doc)); err == nil {
				t.Errorf("ParseModel: got valid, want an error")
			}
		})
	}
}

// TestDocsModelExamples parses the JSON examples of docs/model.md marked as
// complete models.
func TestDocsModelExamples(t *testing.T) {
	md, err := os.ReadFile("docs/model.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)<!-- model -->\n```json\n(.*?)```").FindAllSubmatch(md, -1)
	if len(blocks) == 0 {
		t.Fatal("got no <!-- model --> examples in docs/model.md, want some")
	}
	s := modelSchema(t)
	for i, b := range blocks {
		m, err := ParseModel(b[1])
		if err != nil {
			t.Errorf("example %d: got %v, want a valid model", i+1, err)
			continue
		}
		if err := validateWithSchema(s, b[1]); err != nil {
			t.Errorf("example %d: schema: got %v, want valid", i+1, err)
		}
		roundTrip(t, m)
	}
}

func FuzzParseModel(f *testing.F) {
	f.Add([]byte(todoModel))
	f.Add([]byte(projectsModel))
	f.Add([]byte(`{"name": "a", "entities": null, "pages": [{"a": "\u003c\u2028"}]}`))
	f.Add([]byte(task(`{"name": "a", "type": "integer", "min": 1e2, "max": 1.0E3, "default": 5e1}`)))
	f.Add([]byte(task(`{"name": "a", "type": "string", "default": "\ud800x", "pattern": "^\\w"}`)))
	f.Add([]byte(`{"name": "a", "version": -0}`))
	if doc, err := os.ReadFile("examples/todo/model.json"); err == nil {
		f.Add(doc)
	}
	s := modelSchema(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		m, err := ParseModel(doc)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || (e.Code != EINVALID && e.Code != ETOOLARGE) || e.Code == EINVALID && len(e.Fields) == 0 {
				t.Fatalf("got error %#v, want an EINVALID *Error with fields or ETOOLARGE", err)
			}
			return
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("Validate of a parsed model: got %v, want none", err)
		}
		roundTrip(t, m)
		if err := validateWithSchema(s, doc); err != nil {
			t.Fatalf("ParseModel accepted a document docs/model.schema.json refuses: %v", err)
		}
		n := *m
		n.Normalize()
		if err := n.Validate(); err != nil {
			t.Fatalf("Validate after Normalize: got %v, want none", err)
		}
	})
}

func BenchmarkParseModel(b *testing.B) {
	doc, err := os.ReadFile("examples/todo/model.json")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseModel(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func TestNameModelDocument(t *testing.T) {
	cases := []struct {
		body, want string
		invalid    bool
	}{
		{body: `{"name": "TODO", "version": 1}`, want: `{"name": "TODO", "version": 1}`},
		{body: ` {"version": 1}`, want: ` {"name":"TODO","version": 1}`},
		{body: `{}`, want: `{"name":"TODO"}`},
		{body: `{"name": "Other"}`, invalid: true},
		{body: `[1]`, want: `[1]`},                         // left for ParseModel to refuse
		{body: `{"name": 5}`, want: `{"name": 5}`},         // idem
		{body: `{"name": "TODO"`, want: `{"name": "TODO"`}, // idem
	}
	for _, c := range cases {
		got, err := NameModelDocument([]byte(c.body), "TODO", "the model named in the path")
		if c.invalid {
			if ErrorFields(err)["name"] == "" {
				t.Errorf("%s: want a name problem, got %v", c.body, err)
			}
			continue
		}
		if err != nil || string(got) != c.want {
			t.Errorf("%s: got %s, %v; want %s", c.body, got, err, c.want)
		}
	}
}
