package rpc

import (
	"testing"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/layout"
)

// TestFirstPage: without a page named, loadPage opens the first page whose
// route takes no parameter, and says why there is none when none does.
func TestFirstPage(t *testing.T) {
	app := &torque.App{Name: "todo", Model: "TODO"}
	for _, tc := range []struct {
		name  string
		pages []layout.Page
		want  string // the page opened, or the error's message
	}{
		{"the first without a parameter", []layout.Page{{Name: "Task", Route: "/tasks/{id}"}, {Name: "Tasks", Route: "/tasks"}}, "Tasks"},
		{"no pages at all", nil, `app "todo" has no pages`},
		{"only pages with a parameter", []layout.Page{{Name: "Task", Route: "/tasks/{id}"}},
			`app "todo" has no page without a route parameter to open first: name a page or a path`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := pageResult(app, &layout.Layout{Model: "TODO", Version: 1, Pages: tc.pages}, "")
			got := ""
			if err != nil {
				if torque.ErrorCode(err) != torque.ENOTFOUND {
					t.Errorf("got code %s, want ENOTFOUND", torque.ErrorCode(err))
				}
				got = torque.ErrorMessage(err)
			} else {
				got = res.Page.Name
			}
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}
