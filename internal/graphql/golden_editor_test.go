package graphql_test

import "testing"

// TestGoldenEditor: what the Model Editor uses beside editing: templates,
// history and apps.
func TestGoldenEditor(t *testing.T) {
	transcript(t, "editor", []step{
		{title: "modelTemplates", as: viewer, query: `{ modelTemplates { name title description } }`},
		{title: "createModelFromTemplate", query: `mutation { createModelFromTemplate(template: "inventory", name: "Stock") { name version description entities { name } relationships { name kind from to } } }`},
		{title: "createModelFromTemplate with an unknown template", query: `mutation { createModelFromTemplate(template: "crm", name: "CRM") { name } }`},
		{title: "createModelFromTemplate as an editor", as: editor, query: `mutation { createModelFromTemplate(template: "todo", name: "Mine") { name } }`},
		{title: "a change to restore from", as: editor, query: `mutation { editModel(name: "TODO", baseVersion: 1, edits: [{op: setDescription, value: "Changed."}, {op: removeEntity, entity: "Tag"}]) { version } }`},
		{title: "versions with their documents", query: `{ model(name: "Notes") { versions { version createdAt document } } }`},
		{title: "restoreModelVersion", as: editor, query: `mutation { restoreModelVersion(name: "TODO", version: 1, baseVersion: 2) { version description entities { name } versions { version } } }`},
		{title: "restoreModelVersion with a stale base", as: editor, query: `mutation { restoreModelVersion(name: "TODO", version: 2, baseVersion: 2) { version } }`},
		{title: "restoreModelVersion of an unknown version", as: editor, query: `mutation { restoreModelVersion(name: "TODO", version: 7, baseVersion: 3) { version } }`},
		{title: "restoreModelVersion as a viewer", as: viewer, query: `mutation { restoreModelVersion(name: "TODO", version: 1, baseVersion: 3) { version } }`},
		{title: "a page of versions, newest first", as: viewer, query: `{ model(name: "TODO") { versions(first: 2) { version } } }`},
		{title: "the next page: versions before the last one shown, with their documents", as: viewer, query: `{ model(name: "TODO") { versions(first: 2, before: 2) { version document } } }`},
		{title: "no versions before the first", as: viewer, query: `{ model(name: "TODO") { versions(before: 1) { version } } }`},
		{title: "createApp", query: `mutation { createApp(name: "stock", model: "Stock") { name model createdAt } }`},
		{title: "createApp of an unknown model", query: `mutation { createApp(name: "crm", model: "CRM") { name } }`},
		{title: "createApp as an editor", as: editor, query: `mutation { createApp(name: "mine", model: "TODO") { name } }`},
		{title: "deleteApp as an editor", as: editor, query: `mutation { deleteApp(name: "todo") }`},
		{title: "deleteApp", query: `mutation { deleteApp(name: "stock") }`},
		{title: "deleteApp of an unknown app", query: `mutation { deleteApp(name: "stock") }`},
		{title: "setPresence of an unknown presence", as: editor, query: `mutation { setPresence(name: "TODO", id: "0", editing: "pages/Tasks") }`},
	})
}
