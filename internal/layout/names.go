package layout

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// words splits a name into its words: at runs of characters that are
// neither letters nor digits, and at case changes ("TaskList", "task_list"
// and "task list" are all "task" "list"; "HTTPServer" is "HTTP" "Server").
func words(s string) []string {
	var out []string
	runes := []rune(s)
	start := -1
	for i, r := range runes {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			if start >= 0 {
				out = append(out, string(runes[start:i]))
				start = -1
			}
			continue
		}
		if start >= 0 && unicode.IsUpper(r) {
			prev := runes[i-1]
			nextLower := i+1 < len(runes) && unicode.IsLower(runes[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || unicode.IsUpper(prev) && nextLower {
				out = append(out, string(runes[start:i]))
				start = i
			}
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, string(runes[start:]))
	}
	return out
}

// kebab writes a name in lower case with its words joined by "-":
// "TaskList" and "Task lists" become "task-list" and "task-lists".
func kebab(s string) string {
	return strings.ToLower(strings.Join(words(s), "-"))
}

// humanize turns a field name into a label: "dueDate" and "due_date" become
// "Due date"; words in capitals keep them ("homepageURL": "Homepage URL").
func humanize(s string) string {
	ws := words(s)
	for i, w := range ws {
		if w != strings.ToUpper(w) || utf8.RuneCountInString(w) == 1 {
			w = strings.ToLower(w)
		}
		if i == 0 {
			r, n := utf8.DecodeRuneInString(w)
			w = string(unicode.ToUpper(r)) + w[n:]
		}
		ws[i] = w
	}
	if len(ws) == 0 {
		return s
	}
	return strings.Join(ws, " ")
}

// plural is a plural-ish form of an English noun, good enough for page
// names: "Task" "Tasks", "Category" "Categories", "Status" "Status".
func plural(s string) string {
	switch {
	case s == "", strings.HasSuffix(s, "s"), strings.HasSuffix(s, "S"):
		return s
	case len(s) >= 2 && (s[len(s)-1] == 'y') && !strings.ContainsRune("aeiouAEIOU", rune(s[len(s)-2])):
		return s[:len(s)-1] + "ies"
	}
	return s + "s"
}

// displayName is what an entity type is called in a user interface.
func displayName(name, display string) string {
	if display != "" {
		return display
	}
	return name
}
