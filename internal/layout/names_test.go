package layout

import "testing"

func TestNames(t *testing.T) {
	tests := []struct {
		in, kebab, human, plural string
	}{
		{"Task", "task", "Task", "Tasks"},
		{"TaskList", "task-list", "Task list", "TaskLists"},
		{"task_list", "task-list", "Task list", "task_lists"},
		{"Task lists", "task-lists", "Task lists", "Task lists"},
		{"dueDate", "due-date", "Due date", "dueDates"},
		{"HTTPServer", "http-server", "HTTP server", "HTTPServers"},
		{"homepageURL", "homepage-url", "Homepage URL", "homepageURLs"},
		{"Category", "category", "Category", "Categories"},
		{"Day", "day", "Day", "Days"},
		{"Status", "status", "Status", "Status"},
		{"ADDRESS", "address", "ADDRESS", "ADDRESS"},
		{"item2Go", "item2-go", "Item2 go", "item2Gos"},
		{"  --Tasks  2--", "tasks-2", "Tasks 2", "  --Tasks  2--s"},
		{"Ärger Über", "ärger-über", "Ärger über", "Ärger Übers"},
		{"x", "x", "X", "xs"},
		{"!!!", "", "!!!", "!!!s"},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := kebab(tt.in); got != tt.kebab {
				t.Errorf("kebab: got %q, want %q", got, tt.kebab)
			}
			if got := humanize(tt.in); got != tt.human {
				t.Errorf("humanize: got %q, want %q", got, tt.human)
			}
			if got := plural(tt.in); got != tt.plural {
				t.Errorf("plural: got %q, want %q", got, tt.plural)
			}
		})
	}
}
