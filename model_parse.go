package torque

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxModelBytes is the largest model document ParseModel reads (4 MiB).
const MaxModelBytes = 4 << 20

// maxJSONDepth bounds the nesting of arrays and objects in a model document,
// pages and xflows included.
const maxJSONDepth = 512

// ParseModel decodes a model document strictly: unknown keys, duplicate
// keys and values of the wrong JSON type are errors with their path, such as
// "entities[0].fields[1].required: must be a boolean" or
// "entities[0].colour: unknown key". It reports every problem it finds, then
// runs Validate and adds the problems that finds, all in one *Error with code
// EINVALID, message "invalid model" and Fields mapping each path to its
// problem ("$" is the document itself). A document larger than MaxModelBytes
// fails with ETOOLARGE. See docs/model.md.
//
// ParseModel does not fill defaults; call Normalize for that.
func ParseModel(data []byte) (*Model, error) {
	if len(data) > MaxModelBytes {
		return nil, &Error{Code: ETOOLARGE, Message: fmt.Sprintf("model document is larger than %d bytes (4 MiB)", MaxModelBytes)}
	}
	d := &modelDecoder{sc: scanner{data: data}, probs: newProblems()}
	m, err := d.decode()
	if err != nil {
		return nil, Invalid("invalid model", map[string]string{"$": err.Error()})
	}
	decoded := d.probs
	v := newProblems()
	m.validate(v)
	for _, path := range v.order {
		if !decoded.coversPath(path) {
			decoded.add(path, v.fields[path])
		}
	}
	decoded.extra += v.extra
	if err := decoded.err(); err != nil {
		return nil, err
	}
	return m, nil
}

// problems collects path: problem pairs, keeping the first problem of each
// path and at most maxProblems paths.
type problems struct {
	fields map[string]string
	order  []string
	extra  int             // problems not kept
	soft   map[string]bool // paths whose problems hide nothing below them
}

const maxProblems = 100

func newProblems() *problems { return &problems{fields: map[string]string{}} }

func (p *problems) add(path, msg string) {
	if _, ok := p.fields[path]; ok {
		return
	}
	if len(p.order) >= maxProblems {
		p.extra++
		return
	}
	p.fields[path] = msg
	p.order = append(p.order, path)
}

// addSoft adds a problem that, unlike those of add, does not hide the
// problems validation finds below path (such as a list over its limit).
func (p *problems) addSoft(path, msg string) {
	if p.soft == nil {
		p.soft = map[string]bool{}
	}
	p.soft[path] = true
	p.add(path, msg)
}

// coversPath reports whether path or one of its ancestors has a problem:
// a value of the wrong type found while decoding hides what validation
// says below it (about the placeholder decoded in its place).
func (p *problems) coversPath(path string) bool {
	if _, ok := p.fields[path]; ok {
		return true
	}
	for i := len(path) - 1; i > 0; i-- {
		if path[i] == '.' || path[i] == '[' {
			if _, ok := p.fields[path[:i]]; ok && !p.soft[path[:i]] {
				return true
			}
		}
	}
	return false
}

func (p *problems) err() error {
	if len(p.order) == 0 {
		return nil
	}
	msg := "invalid model"
	if p.extra > 0 {
		msg = fmt.Sprintf("invalid model (%d of %d problems shown)", len(p.order), len(p.order)+p.extra)
	}
	return Invalid(msg, p.fields)
}

// syntaxError is a JSON syntax error at a byte offset.
type syntaxError struct {
	msg  string
	line int
	col  int
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("invalid JSON: %s at line %d, column %d", e.msg, e.line, e.col)
}

// scanner reads JSON values from data. Its methods panic with *syntaxError
// on malformed input; modelDecoder.decode recovers it.
type scanner struct {
	data  []byte
	pos   int
	depth int
}

func (s *scanner) fail(msg string) {
	line, col := 1, 1
	for _, c := range string(s.data[:min(s.pos, len(s.data))]) {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	panic(&syntaxError{msg: msg, line: line, col: col})
}

func (s *scanner) failUnexpected() {
	if s.pos >= len(s.data) {
		s.fail("unexpected end of document")
	}
	r, _ := utf8.DecodeRune(s.data[s.pos:])
	s.fail(fmt.Sprintf("unexpected character %q", r))
}

func (s *scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek skips white space and returns the next byte, failing at the end.
func (s *scanner) peek() byte {
	s.ws()
	if s.pos >= len(s.data) {
		s.fail("unexpected end of document")
	}
	return s.data[s.pos]
}

func (s *scanner) expect(c byte) {
	if s.peek() != c {
		s.failUnexpected()
	}
	s.pos++
}

func (s *scanner) literal(word string) {
	if !strings.HasPrefix(string(s.data[s.pos:min(len(s.data), s.pos+len(word))]), word) {
		s.failUnexpected()
	}
	s.pos += len(word)
}

// str reads a string; the scanner is at its opening quote.
func (s *scanner) str() string {
	s.pos++ // opening quote
	start := s.pos
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			v := string(s.data[start:s.pos])
			s.pos++
			return v
		case c == '\\':
			return s.strEscaped(start)
		case c < 0x20:
			s.fail("control character in string")
		case c < utf8.RuneSelf:
			s.pos++
		default:
			r, n := utf8.DecodeRune(s.data[s.pos:])
			if r == utf8.RuneError && n == 1 {
				s.fail("invalid UTF-8 in string")
			}
			s.pos += n
		}
	}
	s.fail("unterminated string")
	return ""
}

func (s *scanner) strEscaped(start int) string {
	var b strings.Builder
	b.Write(s.data[start:s.pos])
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			s.pos++
			return b.String()
		case c == '\\':
			s.pos++
			if s.pos >= len(s.data) {
				s.fail("unterminated string")
			}
			e := s.data[s.pos]
			s.pos++
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r := s.hex4()
				if utf16.IsSurrogate(r) {
					r2 := rune(-1)
					if s.pos+1 < len(s.data) && s.data[s.pos] == '\\' && s.data[s.pos+1] == 'u' {
						save := s.pos
						s.pos += 2
						r2 = s.hex4()
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							b.WriteRune(d)
							continue
						}
						s.pos = save
					}
					r = utf8.RuneError
				}
				b.WriteRune(r)
			default:
				s.pos -= 2
				s.fail(fmt.Sprintf("invalid escape %q in string", "\\"+string(rune(e))))
			}
		case c < 0x20:
			s.fail("control character in string")
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			s.pos++
		default:
			r, n := utf8.DecodeRune(s.data[s.pos:])
			if r == utf8.RuneError && n == 1 {
				s.fail("invalid UTF-8 in string")
			}
			b.Write(s.data[s.pos : s.pos+n])
			s.pos += n
		}
	}
	s.fail("unterminated string")
	return ""
}

func (s *scanner) hex4() rune {
	if s.pos+4 > len(s.data) {
		s.pos = len(s.data)
		s.fail("unterminated string")
	}
	var r rune
	for i := 0; i < 4; i++ {
		c := s.data[s.pos]
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			s.fail("invalid \\u escape in string")
		}
		s.pos++
	}
	return r
}

// number reads a number and returns its literal text.
func (s *scanner) number() string {
	start := s.pos
	digits := func() int {
		n := 0
		for s.pos < len(s.data) && '0' <= s.data[s.pos] && s.data[s.pos] <= '9' {
			s.pos++
			n++
		}
		return n
	}
	if s.data[s.pos] == '-' {
		s.pos++
	}
	if s.pos < len(s.data) && s.data[s.pos] == '0' {
		s.pos++
	} else if digits() == 0 {
		s.failUnexpected()
	}
	if s.pos < len(s.data) && s.data[s.pos] == '.' {
		s.pos++
		if digits() == 0 {
			s.failUnexpected()
		}
	}
	if s.pos < len(s.data) && (s.data[s.pos] == 'e' || s.data[s.pos] == 'E') {
		s.pos++
		if s.pos < len(s.data) && (s.data[s.pos] == '+' || s.data[s.pos] == '-') {
			s.pos++
		}
		if digits() == 0 {
			s.failUnexpected()
		}
	}
	return string(s.data[start:s.pos])
}

// skip reads any value and returns its text.
func (s *scanner) skip() []byte {
	s.ws()
	start := s.pos
	switch c := s.peek(); {
	case c == '{':
		s.enter()
		s.pos++
		if s.peek() != '}' {
			for {
				if s.peek() != '"' {
					s.failUnexpected()
				}
				s.str()
				s.expect(':')
				s.skip()
				if s.peek() == ',' {
					s.pos++
					continue
				}
				break
			}
		}
		s.expect('}')
		s.depth--
	case c == '[':
		s.enter()
		s.pos++
		if s.peek() != ']' {
			for {
				s.skip()
				if s.peek() == ',' {
					s.pos++
					continue
				}
				break
			}
		}
		s.expect(']')
		s.depth--
	case c == '"':
		s.str()
	case c == 't':
		s.literal("true")
	case c == 'f':
		s.literal("false")
	case c == 'n':
		s.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		s.number()
	default:
		s.failUnexpected()
	}
	return s.data[start:s.pos]
}

func (s *scanner) enter() {
	s.depth++
	if s.depth > maxJSONDepth {
		s.fail(fmt.Sprintf("nesting deeper than %d levels", maxJSONDepth))
	}
}

// modelDecoder decodes a model document into a Model, collecting problems.
type modelDecoder struct {
	sc    scanner
	probs *problems
}

func (d *modelDecoder) decode() (m *Model, err error) {
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*syntaxError)
			if !ok {
				panic(r)
			}
			m, err = nil, se
		}
	}()
	m = &Model{Entities: []EntityType{}, Relationships: []Relationship{}, Pages: []json.RawMessage{}, XFlows: []json.RawMessage{}}
	d.sc.ws()
	if d.sc.pos >= len(d.sc.data) {
		d.sc.fail("empty document")
	}
	d.object("$", "", func(key, path string) bool {
		switch key {
		case "$schema":
			d.str(path)
		case "id":
			m.ID, _ = d.str(path)
		case "name":
			m.Name, _ = d.str(path)
		case "description":
			m.Description, _ = d.str(path)
		case "version":
			m.Version, _ = d.int64(path)
		case "entities":
			d.array(path, MaxEntityTypes, "entity types", func(i int, p string) {
				m.Entities = append(m.Entities, d.entityType(p))
			})
		case "relationships":
			d.array(path, MaxRelationships, "relationships", func(i int, p string) {
				m.Relationships = append(m.Relationships, d.relationship(p))
			})
		case "pages":
			d.array(path, 0, "", func(i int, p string) {
				m.Pages = append(m.Pages, d.rawObject(p))
			})
		case "xflows":
			d.array(path, 0, "", func(i int, p string) {
				m.XFlows = append(m.XFlows, d.rawObject(p))
			})
		case "createdAt":
			m.CreatedAt = d.time(path)
		case "updatedAt":
			m.UpdatedAt = d.time(path)
		default:
			return false
		}
		return true
	})
	d.sc.ws()
	if d.sc.pos < len(d.sc.data) {
		d.sc.fail("unexpected data after the document")
	}
	return m, nil
}

func (d *modelDecoder) entityType(path string) EntityType {
	e := EntityType{Fields: []Field{}}
	d.object(path, path+".", func(key, p string) bool {
		switch key {
		case "name":
			e.Name, _ = d.str(p)
		case "displayName":
			e.DisplayName, _ = d.str(p)
		case "fields":
			d.array(p, MaxFieldsPerEntity, "fields", func(i int, fp string) {
				e.Fields = append(e.Fields, d.field(fp))
			})
		default:
			return false
		}
		return true
	})
	return e
}

func (d *modelDecoder) field(path string) Field {
	var f Field
	d.object(path, path+".", func(key, p string) bool {
		switch key {
		case "name":
			f.Name, _ = d.str(p)
		case "displayName":
			f.DisplayName, _ = d.str(p)
		case "type":
			s, _ := d.str(p)
			f.Type = FieldType(s)
		case "required":
			f.Required, _ = d.bool(p)
		case "unique":
			f.Unique, _ = d.bool(p)
		case "default":
			f.Default = json.RawMessage(d.sc.skip())
		case "min":
			f.Min = d.float(p)
		case "max":
			f.Max = d.float(p)
		case "minLength":
			f.MinLength = d.int(p)
		case "maxLength":
			f.MaxLength = d.int(p)
		case "pattern":
			if s, ok := d.str(p); ok && s == "" {
				d.probs.add(p, "must not be empty (leave pattern out instead)")
			} else {
				f.Pattern = s
			}
		case "values":
			f.Values = []string{}
			d.array(p, MaxEnumValues, "values", func(i int, vp string) {
				s, _ := d.str(vp)
				f.Values = append(f.Values, s) // "" keeps the indexes of later values
			})
		case "indexed":
			if b, ok := d.bool(p); ok {
				f.Indexed = &b
			}
		default:
			return false
		}
		return true
	})
	return f
}

func (d *modelDecoder) relationship(path string) Relationship {
	var r Relationship
	d.object(path, path+".", func(key, p string) bool {
		var s string
		switch key {
		case "name":
			r.Name, _ = d.str(p)
		case "kind":
			s, _ = d.str(p)
			r.Kind = RelationshipKind(s)
		case "from":
			r.From, _ = d.str(p)
		case "to":
			r.To, _ = d.str(p)
		case "fromField":
			r.FromField, _ = d.str(p)
		case "toField":
			r.ToField, _ = d.str(p)
		case "onDelete":
			if s, ok := d.str(p); ok && s == "" {
				d.probs.add(p, "must be one of restrict, cascade, set-null")
			} else {
				r.OnDelete = OnDelete(s)
			}
		case "required":
			r.Required, _ = d.bool(p)
		default:
			return false
		}
		return true
	})
	return r
}

// object reads an object at path, calling known for each key; known reads the
// value and returns true, or returns false (reading nothing) for an unknown
// key. Keys are prefixed with prefix to make their paths. A value that is not
// an object is a problem at path and is skipped.
func (d *modelDecoder) object(path, prefix string, known func(key, path string) bool) {
	if d.sc.peek() != '{' {
		d.probs.add(path, "must be an object")
		d.sc.skip()
		return
	}
	d.sc.enter()
	d.sc.pos++
	var seen []string
	var seenMap map[string]bool
	if d.sc.peek() != '}' {
		for {
			if d.sc.peek() != '"' {
				d.sc.failUnexpected()
			}
			key := d.sc.str()
			d.sc.expect(':')
			p := keyPath(prefix, key)
			dup := false
			if seenMap != nil {
				dup = seenMap[key]
				seenMap[key] = true
			} else {
				for _, k := range seen {
					if k == key {
						dup = true
						break
					}
				}
				seen = append(seen, key)
				if len(seen) > 16 {
					seenMap = make(map[string]bool, 32)
					for _, k := range seen {
						seenMap[k] = true
					}
				}
			}
			if dup {
				d.probs.add(p, "duplicate key")
				d.sc.skip()
			} else if !known(key, p) {
				d.probs.add(p, "unknown key")
				d.sc.skip()
			}
			if d.sc.peek() == ',' {
				d.sc.pos++
				continue
			}
			break
		}
	}
	d.sc.expect('}')
	d.sc.depth--
}

// array reads an array at path (null reads as an empty one), calling elem
// for each of at most limit elements (0: no limit).
func (d *modelDecoder) array(path string, limit int, what string, elem func(i int, path string)) {
	switch d.sc.peek() {
	case 'n':
		d.sc.literal("null")
		return
	case '[':
	default:
		d.probs.add(path, "must be an array")
		d.sc.skip()
		return
	}
	d.sc.enter()
	d.sc.pos++
	if d.sc.peek() != ']' {
		for i := 0; ; i++ {
			if limit > 0 && i >= limit {
				if i == limit {
					d.probs.addSoft(path, fmt.Sprintf("must have at most %d %s", limit, what))
				}
				d.sc.skip()
			} else {
				elem(i, path+"["+strconv.Itoa(i)+"]")
			}
			if d.sc.peek() == ',' {
				d.sc.pos++
				continue
			}
			break
		}
	}
	d.sc.expect(']')
	d.sc.depth--
}

func (d *modelDecoder) str(path string) (string, bool) {
	if d.sc.peek() != '"' {
		d.probs.add(path, "must be a string")
		d.sc.skip()
		return "", false
	}
	return d.sc.str(), true
}

func (d *modelDecoder) bool(path string) (bool, bool) {
	switch d.sc.peek() {
	case 't':
		d.sc.literal("true")
		return true, true
	case 'f':
		d.sc.literal("false")
		return false, true
	}
	d.probs.add(path, "must be a boolean")
	d.sc.skip()
	return false, false
}

func (d *modelDecoder) numberText(path, want string) (string, bool) {
	if c := d.sc.peek(); c != '-' && (c < '0' || c > '9') {
		d.probs.add(path, "must be "+want)
		d.sc.skip()
		return "", false
	}
	return d.sc.number(), true
}

func (d *modelDecoder) float(path string) *float64 {
	text, ok := d.numberText(path, "a number")
	if !ok {
		return nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		d.probs.add(path, "is out of range")
		return nil
	}
	return &f
}

func (d *modelDecoder) int64(path string) (int64, bool) {
	text, ok := d.numberText(path, "an integer")
	if !ok {
		return 0, false
	}
	n, msg := wholeNumber(text)
	if msg != "" {
		d.probs.add(path, msg)
		return 0, false
	}
	return n, true
}

func (d *modelDecoder) int(path string) *int {
	n, ok := d.int64(path)
	if !ok {
		return nil
	}
	if int64(int(n)) != n {
		d.probs.add(path, "is out of range")
		return nil
	}
	i := int(n)
	return &i
}

func (d *modelDecoder) time(path string) *time.Time {
	s, ok := d.str(path)
	if !ok {
		return nil
	}
	t, err := ParseDateTime(s)
	if err != nil {
		d.probs.add(path, "must be a date and time (RFC 3339)")
		return nil
	}
	return &t
}

// rawObject reads a JSON object verbatim.
func (d *modelDecoder) rawObject(path string) json.RawMessage {
	isObject := d.sc.peek() == '{'
	raw := d.sc.skip()
	if !isObject {
		d.probs.add(path, "must be an object")
	}
	return json.RawMessage(raw)
}

// wholeNumber converts a JSON number literal that has an integral value
// ("12", "1.0", "1e3") to an int64, or says what is wrong with it.
func wholeNumber(text string) (int64, string) {
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, ""
	} else if !strings.ContainsAny(text, ".eE") {
		return 0, "is out of range"
	}
	f, err := strconv.ParseFloat(text, 64)
	switch {
	case err != nil || f < -(1<<63) || f >= 1<<63:
		return 0, "is out of range"
	case f != math.Trunc(f):
		return 0, "must be an integer"
	}
	// Rounding to float64 may hide a fraction ("1.000000000000000001") or
	// change a large value: decide exactly, unless the literal is so long or
	// its exponent so large that exact arithmetic would be costly.
	exp := ""
	if i := strings.IndexAny(text, "eE"); i >= 0 {
		exp = strings.TrimLeft(text[i+1:], "+-0")
	}
	if len(text) > 64 || len(exp) > 2 {
		return int64(f), ""
	}
	r, ok := new(big.Rat).SetString(text)
	if !ok || !r.IsInt() {
		return 0, "must be an integer"
	}
	if !r.Num().IsInt64() {
		return 0, "is out of range"
	}
	return r.Num().Int64(), ""
}

// keyPath returns the path of key under prefix (which ends in "." or is
// empty): prefix+key for plain keys, otherwise a quoted, bracketed key.
func keyPath(prefix, key string) string {
	plain := key != "" && len(key) <= 64
	for i := 0; plain && i < len(key); i++ {
		c := key[i]
		plain = c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9'
	}
	if plain {
		return prefix + key
	}
	return strings.TrimSuffix(prefix, ".") + "[" + quote(key) + "]"
}

// quote quotes s for a message, cutting it to 64 characters.
func quote(s string) string {
	if utf8.RuneCountInString(s) > 64 {
		r := []rune(s)
		return strconv.Quote(string(r[:64])) + "…"
	}
	return strconv.Quote(s)
}
