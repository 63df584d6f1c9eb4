package webapp

import "testing"

// TestEditorPagesScenarioInBrowser starts the real binary with the TODO
// example and runs web/e2e/editor-pages.spec.mjs (Playwright) against the
// Model Editor's page designer: a model with an entity type built through
// the UI, a page with a grid and a button opening a form modal, its live
// preview, the page on the server, and an app made from the model whose
// button creates a record the grid lists. Like the other browser scenarios
// it is skipped without a browser, unless CI=true.
func TestEditorPagesScenarioInBrowser(t *testing.T) {
	b := newBrowserRun(t)
	password := b.init(t, "--example", "todo")
	b.script(t, "editor-pages.spec.mjs", serve(t, b.bin, b.data), password)
}
