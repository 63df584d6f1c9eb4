package webapp

import "testing"

// TestEditorHistoryScenarioInBrowser starts the real binary with the TODO
// example (and its app "todo") and runs web/e2e/editor-history.spec.mjs
// (Playwright) against the Model Editor: versions and the diff in words
// after two edits, restoring the first version (and a restore made on a
// stale version), creating and deleting an app, and the Flows section's
// empty state. Like the other browser scenarios it is skipped without a
// browser, unless CI=true.
func TestEditorHistoryScenarioInBrowser(t *testing.T) {
	b := newBrowserRun(t)
	password := b.init(t, "--example", "todo")
	b.script(t, "editor-history.spec.mjs", serve(t, b.bin, b.data), password)
}
