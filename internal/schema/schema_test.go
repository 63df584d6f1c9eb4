package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/torquehq/torque"
)

const testModel = `{
  "name": "work",
  "version": 3,
  "entities": [
    {"name": "Task", "fields": [
      {"name": "title", "type": "string", "required": true, "minLength": 1, "maxLength": 200},
      {"name": "description", "type": "text"},
      {"name": "status", "type": "enum", "values": ["todo", "doing", "done"], "default": "todo"},
      {"name": "due", "type": "date"},
      {"name": "priority", "type": "integer", "min": 1, "max": 5},
      {"name": "estimate", "type": "number", "min": 0, "max": 99.5},
      {"name": "done", "type": "boolean", "default": false},
      {"name": "remind", "type": "datetime"},
      {"name": "owner", "type": "email"},
      {"name": "link", "type": "url"},
      {"name": "code", "type": "string", "minLength": 3, "pattern": "^[A-Z]"},
      {"name": "meta", "type": "json", "default": {"tags": ["a"]}},
      {"name": "count", "type": "integer"}
    ]},
    {"name": "Project", "fields": [
      {"name": "name", "type": "string", "required": true},
      {"name": "spec", "type": "json", "required": true}
    ]},
    {"name": "Person", "fields": []}
  ],
  "relationships": [
    {"name": "projectTasks", "kind": "one-to-many", "from": "Project", "to": "Task", "fromField": "tasks", "toField": "project", "required": true},
    {"name": "assignees", "kind": "many-to-many", "from": "Task", "to": "Person", "fromField": "people", "toField": "tasks"},
    {"name": "mentor", "kind": "one-to-one", "from": "Person", "to": "Person", "fromField": "mentee", "toField": "mentor"}
  ]
}`

const projectID = "0190a3c1-7c1e-7a2b-8c3d-4e5f60718293"

func compileTest(t testing.TB) *Set {
	t.Helper()
	m, err := torque.ParseModel([]byte(testModel))
	if err != nil {
		t.Fatalf("ParseModel: %v", err)
	}
	s, err := Compile(m)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return s
}

func decode(t testing.TB, s string) map[string]any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return m
}

func TestPrepare(t *testing.T) {
	s := compileTest(t)
	task := s.Entity("Task")
	const base = `"title": "Write", "project": "` + projectID + `"`
	tests := []struct {
		name   string
		data   string
		create bool
		want   map[string]string // problems; nil means valid
		check  map[string]any    // values after a valid Prepare
	}{
		{name: "accepts a minimal task and fills defaults", data: `{` + base + `}`, create: true,
			check: map[string]any{"status": "todo", "done": false, "meta": map[string]any{"tags": []any{"a"}}}},
		{name: "keeps a given value over the default", data: `{` + base + `, "status": "doing"}`, create: true,
			check: map[string]any{"status": "doing"}},
		{name: "keeps null over the default", data: `{` + base + `, "status": null}`, create: true,
			check: map[string]any{"status": nil}},
		{name: "fills no defaults on update", data: `{` + base + `}`, create: false,
			check: map[string]any{"status": nil}},
		{name: "accepts every type", create: true, data: `{` + base + `, "description": "long\ntext", "due": "2026-11-24",
			"priority": 5, "estimate": 99.5, "done": true, "remind": "2026-11-24T17:00:00.000Z", "owner": "ann@example.com",
			"link": "https://example.com/x", "code": "ABC", "meta": [1, {"x": null}], "count": -9223372036854775808}`},
		{name: "accepts null for optional fields", create: false, data: `{` + base + `, "description": null, "due": null, "priority": null,
			"estimate": null, "done": null, "remind": null, "owner": null, "link": null, "code": null, "meta": null, "status": null}`},
		{name: "normalises a datetime to UTC", data: `{` + base + `, "remind": "2026-11-24T18:00:00+01:00"}`,
			check: map[string]any{"remind": "2026-11-24T17:00:00.000Z"}},
		{name: "keeps milliseconds of a datetime", data: `{` + base + `, "remind": "2026-11-24T00:30:00.50-02:00"}`,
			check: map[string]any{"remind": "2026-11-24T02:30:00.500Z"}},
		{name: "normalises an integer with a fraction", data: `{` + base + `, "priority": 3.0, "count": 1e3}`,
			check: map[string]any{"priority": json.Number("3"), "count": json.Number("1000")}},
		{name: "normalises minus zero", data: `{` + base + `, "count": -0}`, check: map[string]any{"count": json.Number("0")}},
		{name: "keeps a number as given", data: `{` + base + `, "estimate": 1.50}`, check: map[string]any{"estimate": json.Number("1.50")}},
		{name: "lower-cases a reference id", data: `{"title": "x", "project": "0190A3C1-7C1E-7A2B-8C3D-4E5F60718293"}`,
			check: map[string]any{"project": projectID}},

		{name: "rejects title over 200 chars", data: `{"title": "` + strings.Repeat("é", 201) + `", "project": "` + projectID + `"}`,
			want: map[string]string{"title": "must be at most 200 characters"}},
		{name: "rejects an empty title", data: `{"title": "", "project": "` + projectID + `"}`,
			want: map[string]string{"title": "must be at least 1 character"}},
		{name: "requires title", create: true, data: `{"project": "` + projectID + `"}`, want: map[string]string{"title": "is required"}},
		{name: "requires title on update", data: `{"project": "` + projectID + `"}`, want: map[string]string{"title": "is required"}},
		{name: "rejects a null title", data: `{"title": null, "project": "` + projectID + `"}`, want: map[string]string{"title": "is required"}},
		{name: "rejects a number title", data: `{"title": 5, "project": "` + projectID + `"}`, want: map[string]string{"title": "must be a string"}},
		{name: "rejects a status outside the values", data: `{` + base + `, "status": "later"}`,
			want: map[string]string{"status": "must be one of todo, doing, done"}},
		{name: "rejects a number status", data: `{` + base + `, "status": 1}`, want: map[string]string{"status": "must be one of todo, doing, done"}},
		{name: "rejects an impossible date", data: `{` + base + `, "due": "2026-02-30"}`, want: map[string]string{"due": "must be a date (YYYY-MM-DD)"}},
		{name: "rejects a datetime for a date", data: `{` + base + `, "due": "2026-11-24T00:00:00Z"}`, want: map[string]string{"due": "must be a date (YYYY-MM-DD)"}},
		{name: "rejects a fractional priority", data: `{` + base + `, "priority": 2.5}`, want: map[string]string{"priority": "must be an integer"}},
		{name: "rejects a string priority", data: `{` + base + `, "priority": "3"}`, want: map[string]string{"priority": "must be an integer"}},
		{name: "rejects priority under min", data: `{` + base + `, "priority": 0}`, want: map[string]string{"priority": "must be at least 1"}},
		{name: "rejects priority over max", data: `{` + base + `, "priority": 6}`, want: map[string]string{"priority": "must be at most 5"}},
		{name: "rejects an integer past int64", data: `{` + base + `, "count": 9223372036854775808}`,
			want: map[string]string{"count": "must be at most 9223372036854775807"}},
		{name: "rejects an estimate over a fractional max", data: `{` + base + `, "estimate": 99.51}`, want: map[string]string{"estimate": "must be at most 99.5"}},
		{name: "rejects a number beyond float64", data: `{` + base + `, "estimate": 1e999999, "count": -1e400}`,
			want: map[string]string{"estimate": "is out of range", "count": "is out of range"}},
		{name: "rejects a string boolean", data: `{` + base + `, "done": "true"}`, want: map[string]string{"done": "must be true or false"}},
		{name: "rejects a datetime without offset", data: `{` + base + `, "remind": "2026-11-24T17:00:00"}`,
			want: map[string]string{"remind": "must be a date and time (RFC 3339, such as 2026-11-24T17:00:00Z)"}},
		{name: "rejects a lower-case t in a datetime", data: `{` + base + `, "remind": "2026-11-24t17:00:00Z"}`,
			want: map[string]string{"remind": "must be a date and time (RFC 3339, such as 2026-11-24T17:00:00Z)"}},
		{name: "rejects a bad email", data: `{` + base + `, "owner": "ann@"}`, want: map[string]string{"owner": "must be an e-mail address"}},
		{name: "rejects an ftp url", data: `{` + base + `, "link": "ftp://example.com"}`, want: map[string]string{"link": "must be an http or https URL"}},
		{name: "rejects a relative url", data: `{` + base + `, "link": "/x"}`, want: map[string]string{"link": "must be an http or https URL"}},
		{name: "rejects a code missing its pattern", data: `{` + base + `, "code": "abc"}`, want: map[string]string{"code": "must match the pattern ^[A-Z]"}},
		{name: "reports every rule a value breaks", data: `{` + base + `, "code": "ab"}`,
			want: map[string]string{"code": "must be at least 3 characters; must match the pattern ^[A-Z]"}},
		{name: "rejects an unknown field", data: `{` + base + `, "colour": "red"}`, want: map[string]string{"colour": "unknown field"}},
		{name: "rejects a system field in data", data: `{` + base + `, "id": "x"}`, want: map[string]string{"id": "unknown field"}},
		{name: "rejects a many-to-many name in data", data: `{` + base + `, "people": []}`, want: map[string]string{"people": "unknown field"}},
		{name: "requires the required reference", data: `{"title": "x"}`, want: map[string]string{"project": "is required"}},
		{name: "rejects a null required reference", data: `{"title": "x", "project": null}`, want: map[string]string{"project": "is required"}},
		{name: "rejects a reference that is not a UUID", data: `{"title": "x", "project": "p1"}`,
			want: map[string]string{"project": "must be the id (a UUID) of a Project"}},
		{name: "reports every failing field", create: true, data: `{"title": "", "status": "x", "due": "soon", "priority": 9, "extra": 1, "project": 7}`,
			want: map[string]string{
				"title": "must be at least 1 character", "status": "must be one of todo, doing, done", "due": "must be a date (YYYY-MM-DD)",
				"priority": "must be at most 5", "extra": "unknown field", "project": "must be the id (a UUID) of a Project",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := decode(t, tt.data)
			err := task.Prepare(data, tt.create)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				for k, want := range tt.check {
					if got := data[k]; !reflect.DeepEqual(got, want) {
						t.Errorf("got %s = %#v, want %#v", k, got, want)
					}
				}
				return
			}
			var e *torque.Error
			if !errors.As(err, &e) {
				t.Fatalf("got error %v, want a *torque.Error", err)
			}
			if e.Code != torque.EINVALID || e.Message != "invalid Task" {
				t.Errorf("got code %s message %q, want EINVALID \"invalid Task\"", e.Code, e.Message)
			}
			if !reflect.DeepEqual(e.Fields, tt.want) {
				t.Errorf("got problems %v, want %v", e.Fields, tt.want)
			}
		})
	}
}

func TestPrepareOtherTypes(t *testing.T) {
	s := compileTest(t)
	t.Run("requires a required json field", func(t *testing.T) {
		err := s.Entity("Project").Prepare(decode(t, `{"name": "p", "spec": null}`), true)
		if got, want := torque.ErrorFields(err), map[string]string{"spec": "is required"}; !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("accepts any value in a json field", func(t *testing.T) {
		for _, v := range []string{`0`, `"x"`, `false`, `[]`, `{"a": [1e999999]}`} {
			if err := s.Entity("Project").Prepare(decode(t, `{"name": "p", "spec": `+v+`}`), true); err != nil {
				t.Errorf("spec %s: got %v, want none", v, err)
			}
		}
	})
	t.Run("accepts an absent optional reference", func(t *testing.T) {
		if err := s.Entity("Person").Prepare(map[string]any{}, true); err != nil {
			t.Errorf("got %v, want none", err)
		}
	})
	t.Run("rejects nil data", func(t *testing.T) {
		err := s.Entity("Person").Prepare(nil, true)
		if got, want := torque.ErrorFields(err), map[string]string{"$": "must be a JSON object"}; !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("rejects a value that is not JSON", func(t *testing.T) {
		err := s.Entity("Person").Prepare(map[string]any{"mentor": struct{}{}}, true)
		if got, want := torque.ErrorFields(err), map[string]string{"mentor": "is not a JSON value"}; !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("gives each entity its own copy of a default", func(t *testing.T) {
		a := decode(t, `{"title": "a", "project": "`+projectID+`"}`)
		b := decode(t, `{"title": "b", "project": "`+projectID+`"}`)
		task := s.Entity("Task")
		if err := task.Prepare(a, true); err != nil {
			t.Fatal(err)
		}
		a["meta"].(map[string]any)["tags"] = "changed"
		if err := task.Prepare(b, true); err != nil {
			t.Fatal(err)
		}
		if got := b["meta"].(map[string]any)["tags"]; !reflect.DeepEqual(got, []any{"a"}) {
			t.Errorf("got default %v, want [a]", got)
		}
	})
	t.Run("accepts Go numbers", func(t *testing.T) {
		data := map[string]any{"title": "x", "project": projectID, "priority": 2.0, "count": int64(7)}
		if err := s.Entity("Task").Prepare(data, false); err != nil {
			t.Fatal(err)
		}
		if data["priority"] != json.Number("2") || data["count"] != json.Number("7") {
			t.Errorf("got priority %#v count %#v, want json.Number 2 and 7", data["priority"], data["count"])
		}
	})
}

// TestModelDefaultsPassPrepare checks that defaults model validation accepts
// are accepted by the compiled schema too.
func TestModelDefaultsPassPrepare(t *testing.T) {
	m, err := torque.ParseModel([]byte(`{"name": "d", "entities": [{"name": "D", "fields": [
	  {"name": "s", "type": "string", "minLength": 2, "maxLength": 2, "pattern": "^é", "default": "éa"},
	  {"name": "i", "type": "integer", "min": -5, "max": -5, "default": -5.0},
	  {"name": "n", "type": "number", "min": 0.1, "max": 0.1, "default": 0.1},
	  {"name": "b", "type": "boolean", "default": true},
	  {"name": "d", "type": "date", "default": "2028-02-29"},
	  {"name": "t", "type": "datetime", "default": "2026-11-24T23:30:00.123-01:00"},
	  {"name": "e", "type": "enum", "values": ["x"], "default": "x"},
	  {"name": "m", "type": "email", "default": "a.b+c@example.co.uk"},
	  {"name": "u", "type": "url", "default": "HTTP://example.com:8080/a?b#c"},
	  {"name": "j", "type": "json", "default": {"x": [1]}}
	]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	data := map[string]any{}
	if err := s.Entity("D").Prepare(data, true); err != nil {
		t.Fatalf("got %v, want the defaults accepted", err)
	}
	want := map[string]any{
		"s": "éa", "i": json.Number("-5"), "n": json.Number("0.1"), "b": true, "d": "2028-02-29",
		"t": "2026-11-25T00:30:00.123Z", "e": "x", "m": "a.b+c@example.co.uk", "u": "HTTP://example.com:8080/a?b#c",
		"j": map[string]any{"x": []any{json.Number("1")}},
	}
	if !reflect.DeepEqual(data, want) {
		t.Errorf("got %v, want %v", data, want)
	}
}

func TestFieldType(t *testing.T) {
	s := compileTest(t)
	task := s.Entity("Task")
	tests := []struct {
		name string
		want torque.FieldType
		ok   bool
	}{
		{"title", torque.FieldString, true},
		{"priority", torque.FieldInteger, true},
		{"meta", torque.FieldJSON, true},
		{"project", torque.FieldString, true},
		{"id", torque.FieldString, true},
		{"type", torque.FieldString, true},
		{"version", torque.FieldInteger, true},
		{"createdAt", torque.FieldDateTime, true},
		{"updatedAt", torque.FieldDateTime, true},
		{"people", "", false},
		{"colour", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := task.FieldType(tt.name)
			if got != tt.want || ok != tt.ok {
				t.Errorf("got %q %v, want %q %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestReferences(t *testing.T) {
	s := compileTest(t)
	if s.Entity("Nope") != nil {
		t.Errorf("got an entity for an unknown type, want nil")
	}
	refs := s.Entity("Task").References()
	if len(refs) != 1 || refs[0].Field != "project" || refs[0].Target != "Project" || refs[0].Relationship.Name != "projectTasks" {
		t.Errorf("got Task references %+v, want project -> Project", refs)
	}
	if refs := s.Entity("Project").References(); len(refs) != 0 {
		t.Errorf("got Project references %+v, want none", refs)
	}
	refs = s.Entity("Person").References()
	if len(refs) != 1 || refs[0].Field != "mentor" || refs[0].Target != "Person" {
		t.Errorf("got Person references %+v, want mentor -> Person", refs)
	}
	if s.Model().Name != "work" || s.Entity("Task").Name() != "Task" {
		t.Errorf("got model %q entity %q, want work and Task", s.Model().Name, s.Entity("Task").Name())
	}
}

func TestSchemaDocument(t *testing.T) {
	s := compileTest(t)
	doc := s.Entity("Task").Schema()
	var got struct {
		Schema               string                    `json:"$schema"`
		Properties           map[string]map[string]any `json:"properties"`
		Required             []string                  `json:"required"`
		AdditionalProperties bool                      `json:"additionalProperties"`
	}
	if err := json.Unmarshal(doc, &got); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	if got.Schema != "https://json-schema.org/draft/2020-12/schema" || got.AdditionalProperties {
		t.Errorf("got $schema %q additionalProperties %v, want 2020-12 and false", got.Schema, got.AdditionalProperties)
	}
	if !reflect.DeepEqual(got.Required, []string{"title", "project"}) {
		t.Errorf("got required %v, want [title project]", got.Required)
	}
	if f := got.Properties["remind"]["format"]; f != "date-time" {
		t.Errorf("got remind format %v, want date-time", f)
	}
	if f := got.Properties["project"]["format"]; f != "uuid" {
		t.Errorf("got project format %v, want uuid", f)
	}
	if !bytes.HasPrefix(doc, []byte(`{"$schema":`)) || strings.Index(string(doc), `"title":{`) > strings.Index(string(doc), `"description":{`) {
		t.Errorf("got properties out of model order: %s", doc)
	}
	// The document is a valid schema by itself, for any 2020-12 validator.
	c := jsonschema.NewCompiler()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("mem:///task.json", v); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Compile("mem:///task.json"); err != nil {
		t.Errorf("got %v compiling the document alone, want none", err)
	}
}

func TestCompileRefusesAnInvalidModel(t *testing.T) {
	m := &torque.Model{Name: "bad", Entities: []torque.EntityType{{Name: "A", Fields: []torque.Field{{Name: "x", Type: "strng"}}}}}
	_, err := Compile(m)
	if torque.ErrorCode(err) != torque.EINVALID {
		t.Fatalf("got %v, want EINVALID", err)
	}
}

func FuzzPrepare(f *testing.F) {
	for _, s := range []string{
		`{"title": "x", "project": "` + projectID + `"}`,
		`{"title": "", "priority": 2.0, "remind": "2026-11-24T18:00:00.5+01:00", "estimate": 1e999}`,
		`{"title": "x", "project": "` + strings.ToUpper(projectID) + `", "count": -0.0e5, "meta": {"a": 1}}`,
		`{"code": "ABC", "owner": "a@b.co", "link": "http://x.y", "due": "2026-01-01", "status": "done"}`,
	} {
		f.Add(s, true)
	}
	s := compileTest(f)
	task := s.Entity("Task")
	f.Fuzz(func(t *testing.T, in string, create bool) {
		d := json.NewDecoder(strings.NewReader(in))
		d.UseNumber()
		var data map[string]any
		if d.Decode(&data) != nil || data == nil {
			return
		}
		err := task.Prepare(data, create)
		if err != nil {
			var e *torque.Error
			if !errors.As(err, &e) || e.Code != torque.EINVALID || len(e.Fields) == 0 {
				t.Fatalf("got %#v, want EINVALID with fields", err)
			}
			for k, msg := range e.Fields {
				if strings.Contains(msg, "mem://") || strings.Contains(msg, "jsonschema") || msg == "" {
					t.Fatalf("got raw message %s: %q", k, msg)
				}
			}
			return
		}
		// A prepared value is stored; preparing it again must accept it as is.
		once, _ := json.Marshal(data)
		if err := task.Prepare(data, false); err != nil {
			t.Fatalf("second Prepare of %s: %v", once, err)
		}
		twice, _ := json.Marshal(data)
		if !bytes.Equal(once, twice) {
			t.Fatalf("normalising is not idempotent: %s then %s", once, twice)
		}
	})
}

func BenchmarkPrepare(b *testing.B) {
	s := compileTest(b)
	task := s.Entity("Task")
	b.ReportAllocs()
	for b.Loop() {
		data := map[string]any{
			"title": "Write the quarterly report", "description": "Numbers for Q4", "due": "2026-11-24",
			"priority": json.Number("3"), "project": projectID,
		}
		if err := task.Prepare(data, true); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPrepareInvalid(b *testing.B) {
	s := compileTest(b)
	task := s.Entity("Task")
	b.ReportAllocs()
	for b.Loop() {
		data := map[string]any{"title": "", "status": "later", "priority": json.Number("9"), "project": projectID}
		if err := task.Prepare(data, true); err == nil {
			b.Fatal("got no error")
		}
	}
}

func BenchmarkCompile(b *testing.B) {
	m, err := torque.ParseModel([]byte(testModel))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(m); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDocsTaskSchema keeps the Task schema shown in docs/model.md equal to
// what Compile makes of the example model there.
func TestDocsTaskSchema(t *testing.T) {
	md, err := os.ReadFile("../../docs/model.md")
	if err != nil {
		t.Fatal(err)
	}
	model := regexp.MustCompile("(?s)<!-- model -->\n```json\n(.*?)```").FindSubmatch(md)
	shown := regexp.MustCompile("(?s)For the example's `Task`:\n\n```json\n(.*?)```").FindSubmatch(md)
	if model == nil || shown == nil {
		t.Fatal("got no example model or Task schema in docs/model.md")
	}
	m, err := torque.ParseModel(model[1])
	if err != nil {
		t.Fatal(err)
	}
	s, err := Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	var got, want any
	if err := json.Unmarshal(s.Entity("Task").Schema(), &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(shown[1], &want); err != nil {
		t.Fatalf("docs/model.md Task schema: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("docs/model.md shows a Task schema Compile does not make:\ngot  %s\nwant %s", s.Entity("Task").Schema(), shown[1])
	}
}
