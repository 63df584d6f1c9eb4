package rest_test

import (
	"strings"
	"testing"
)

// TestModelUpdatesAgainstStoredData: a model update that stored records
// would break is refused with 400, the field's path and the count of
// records, and changes nothing; bad documents are refused with their path;
// changes every record survives go through and the records read back.
func TestModelUpdatesAgainstStoredData(t *testing.T) {
	e := newEnv(t)
	e.seedTODO()
	e.create("t1", "Task", `{"title": "write report", "due": "2026-01-02", "priority": 2}`)
	e.create("t2", "Task", `{"title": "call"}`)
	doc := func(pairs ...string) string { return strings.NewReplacer(pairs...).Replace(todoModel) }
	const (
		due      = `{"name": "due", "type": "date"}`
		priority = `{"name": "priority", "type": "integer", "min": 1, "max": 5}`
		title    = `{"name": "title", "type": "string", "required": true, "minLength": 1, "maxLength": 200}`
	)
	e.run([]scenario{
		{name: "type change stored values cannot hold", method: "PUT", url: "/api/v1/models/TODO",
			body: doc(due, `{"name": "due", "type": "integer"}`), status: 400,
			contains: []string{`"code":"EINVALID"`,
				`"entities[0].fields[3].type":"cannot change \"due\" from date to integer: 1 stored Task record holds a value that is not an integer (first: \"2026-01-02\")"`}},
		{name: "maxLength below stored values", method: "PUT", url: "/api/v1/models/TODO",
			body: doc(title, `{"name": "title", "type": "string", "required": true, "maxLength": 3}`), status: 400,
			contains: []string{`"entities[0].fields[0].maxLength":"cannot set the maxLength of \"title\" to 3: 2 stored Task records hold longer values (first: \"write report\")"`}},
		{name: "required over records without a value", method: "PUT", url: "/api/v1/models/TODO",
			body: doc(due, `{"name": "due", "type": "date", "required": true}`), status: 400,
			contains: []string{`"entities[0].fields[3].required":"cannot make \"due\" required: 1 stored Task record has no value for it"`}},
		{name: "min above stored values", method: "PUT", url: "/api/v1/models/TODO",
			body: doc(priority, `{"name": "priority", "type": "integer", "min": 3, "max": 5}`), status: 400,
			contains: []string{`"entities[0].fields[4].min":"cannot set the min of \"priority\" to 3: 1 stored Task record holds a smaller value (first: 2)"`}},

		{name: "invalid field name", method: "PUT", url: "/api/v1/models/TODO",
			body: doc(`"name": "due"`, `"name": "due date"`), status: 400,
			contains: []string{`"entities[0].fields[3].name":`}},
		{name: "duplicate field", method: "PUT", url: "/api/v1/models/TODO",
			body: doc(`"name": "due"`, `"name": "title"`), status: 400,
			contains: []string{`"entities[0].fields[3].name":"duplicate field`}},
		{name: "duplicate entity", method: "PUT", url: "/api/v1/models/TODO",
			body: doc(`"name": "Tag",`, `"name": "Project",`), status: 400,
			contains: []string{`"entities[2].name":"duplicate entity`}},
		{name: "relationship to a missing entity", method: "PUT", url: "/api/v1/models/TODO",
			body: doc(`"from": "Project"`, `"from": "Customer"`), status: 400,
			contains: []string{`"relationships[0].from":`}},
		{name: "malformed document", method: "PUT", url: "/api/v1/models/TODO",
			body: strings.TrimSuffix(strings.TrimSpace(todoModel), "}"), status: 400,
			contains: []string{`"$":"invalid JSON`}},

		{name: "type change every record survives", method: "PUT", url: "/api/v1/models/TODO",
			body: doc(priority, `{"name": "priority", "type": "number", "min": 1, "max": 5}`, due, `{"name": "due", "type": "string"}`), status: 200,
			contains: []string{`"version":2`, `"name":"priority","type":"number"`}},
		{name: "records read back", method: "GET", url: "/api/v1/apps/todo/entities/Task/{{t1}}", status: 200,
			contains: []string{`"due":"2026-01-02"`, `"priority":2`}},
		{name: "records filter by the new type", method: "GET", url: "/api/v1/apps/todo/entities/Task?filter=" + q(`priority < 2.5`), status: 200,
			contains: []string{`"id":"{{t1}}"`}, notContains: []string{`"id":"{{t2}}"`}},
		{name: "removing a field with data", method: "PUT", url: "/api/v1/models/TODO",
			body: doc(`"version": 1`, `"version": 2`, due+`,`, ``), status: 200,
			contains: []string{`"version":3`}, notContains: []string{`"name":"due"`}},
	})
}
