package webapp

import "testing"

// TestEditorScenarioInBrowser starts the real binary with the TODO example
// and runs web/e2e/editor.spec.mjs (Playwright) against the Model Editor:
// a model built through the UI, undo that reaches the server, two builders
// seeing each other's edits, and the conflict dialog. Like the other
// browser scenarios it is skipped without a browser, unless CI=true.
func TestEditorScenarioInBrowser(t *testing.T) {
	b := newBrowserRun(t)
	password := b.init(t, "--example", "todo")
	b.script(t, "editor.spec.mjs", serve(t, b.bin, b.data), password)
}
