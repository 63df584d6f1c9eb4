package webapp

import "testing"

// TestEditorRelationshipsInBrowser starts the real binary and runs
// web/e2e/editor-relationships.spec.mjs (Playwright) against the Model
// Editor's Relationships section: a blank model given three entity types
// through the UI, relationships added with suggested names and checked on
// the server, the diagram, onDelete changed and undone (on the server
// too), and a relationship deleted after confirming. Like the other
// browser scenarios it is skipped without a browser, unless CI=true.
func TestEditorRelationshipsInBrowser(t *testing.T) {
	b := newBrowserRun(t)
	password := b.init(t, "--example", "todo")
	b.script(t, "editor-relationships.spec.mjs", serve(t, b.bin, b.data), password)
}
