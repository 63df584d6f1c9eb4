package webapp

import "testing"

// TestEditorPagesScenarioInBrowser starts the real binary with the TODO
// example and runs web/e2e/editor-pages.spec.mjs (Playwright): the TODO
// app built from nothing in the Model Editor (the entity type Task with
// five validated fields, a page Tasks with a grid and a "New Task" button
// opening a form modal, its live preview), then an app made from the model
// that refuses a title that is too long and lists a valid task. Like the
// other browser scenarios it is skipped without a browser, unless CI=true.
func TestEditorPagesScenarioInBrowser(t *testing.T) {
	b := newBrowserRun(t)
	password := b.init(t, "--example", "todo")
	b.script(t, "editor-pages.spec.mjs", serve(t, b.bin, b.data), password)
}
