package layout

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/torquehq/torque"
)

// maxProblems is the most problems one error lists, as ParseModel does.
const maxProblems = 100

// problems collects path: problem pairs, keeping the first problem of each
// path and at most maxProblems paths.
type problems struct {
	fields map[string]string
	n      int // paths kept
	extra  int // problems not kept
}

func newProblems() *problems { return &problems{fields: map[string]string{}} }

func (p *problems) add(path, msg string) {
	if _, ok := p.fields[path]; ok {
		return
	}
	if p.n >= maxProblems {
		p.extra++
		return
	}
	p.fields[path] = msg
	p.n++
}

// err returns the problems as one EINVALID *torque.Error, or nil.
func (p *problems) err(message string) error {
	if p.n == 0 {
		return nil
	}
	if p.extra > 0 {
		message = fmt.Sprintf("%s (%d of %d problems shown)", message, p.n, p.n+p.extra)
	}
	return torque.Invalid(message, p.fields)
}

// index returns the path of element i of the array at path.
func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// keyPath returns the path of key in the object at path: path.key for plain
// keys, else path["key"], as the paths of ParseModel read.
func keyPath(path, key string) string {
	plain := key != "" && len(key) <= 64
	for i := 0; plain && i < len(key); i++ {
		c := key[i]
		plain = c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9'
	}
	if plain {
		return path + "." + key
	}
	return path + "[" + quote(key) + "]"
}

// quote quotes s for a message, cutting it to 64 characters.
func quote(s string) string {
	if utf8.RuneCountInString(s) > 64 {
		r := []rune(s)
		return strconv.Quote(string(r[:64])) + "…"
	}
	return strconv.Quote(s)
}

// suggest returns ` (did you mean "x"?)` for the candidate closest to s,
// or "": see torque.Suggest.
func suggest(s string, candidates []string) string { return torque.Suggest(s, candidates) }
