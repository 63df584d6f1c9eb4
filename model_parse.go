package torque

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
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
	d := newModelDecoder(data)
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

// jsonSpace is the white space JSON allows between tokens.
const jsonSpace = " \t\r\n"

// modelDecoder decodes a model document into a Model with the tokens of a
// json.Decoder, collecting problems. On malformed input its methods panic
// with *syntaxError; decode recovers it.
type modelDecoder struct {
	data    []byte
	dec     *json.Decoder
	depth   int // arrays and objects open
	badUTF8 int // offset of the first invalid UTF-8 byte, or len(data)+1
	probs   *problems
}

func newModelDecoder(data []byte) *modelDecoder {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	d := &modelDecoder{data: data, dec: dec, badUTF8: len(data) + 1, probs: newProblems()}
	if !utf8.Valid(data) {
		// The decoder reads invalid UTF-8 in strings as U+FFFD: next
		// reports it once a token covers it.
		for i := 0; i < len(data); {
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n == 1 {
				d.badUTF8 = i
				break
			}
			i += n
		}
	}
	return d
}

// fail stops decoding with a syntax error at byte offset off. An error after
// the first invalid UTF-8 byte gives way to it: the decoder read that byte in
// a string (elsewhere it is a syntax error itself).
func (d *modelDecoder) fail(off int, msg string) {
	if off > d.badUTF8 {
		off, msg = d.badUTF8, "invalid UTF-8 in string"
	}
	before := d.data[:min(off, len(d.data))]
	line := 1 + bytes.Count(before, []byte("\n"))
	col := 1 + utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	panic(&syntaxError{msg: msg, line: line, col: col})
}

// failToken stops decoding with the error of json.Decoder.Token.
func (d *modelDecoder) failToken(err error) {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		// The decoder stopped before the token it could not finish, or
		// before the ':' or ',' in front of it.
		if rest := bytes.TrimLeft(d.data[d.dec.InputOffset():], jsonSpace+",:"); len(rest) > 0 && rest[0] == '"' {
			d.fail(len(d.data), "unterminated string")
		}
		d.fail(len(d.data), "unexpected end of document")
	}
	// The offsets of the decoder's syntax errors do not count all the bytes
	// read: find the first error again in the whole document.
	var se *json.SyntaxError
	if !errors.As(json.Unmarshal(d.data, new(json.RawMessage)), &se) || se.Offset < 1 || int(se.Offset) > len(d.data) {
		d.fail(int(d.dec.InputOffset()), err.Error())
	}
	off := int(se.Offset) - 1 // the offset counts the bad byte
	c, _ := utf8.DecodeRune(d.data[off:])
	switch msg := se.Error(); {
	case strings.HasSuffix(msg, " in string literal"):
		d.fail(off, "control character in string")
	case strings.HasSuffix(msg, " in string escape code"):
		d.fail(off-1, fmt.Sprintf("invalid escape %q in string", `\`+string(c)))
	case strings.HasSuffix(msg, " in \\u hexadecimal character escape"):
		d.fail(off, `invalid \u escape in string`)
	}
	d.fail(off, fmt.Sprintf("unexpected character %q", c))
}

// next reads a token: a json.Delim, string, json.Number, bool or nil.
func (d *modelDecoder) next() json.Token {
	tok, err := d.dec.Token()
	if err != nil {
		d.failToken(err)
	}
	end := int(d.dec.InputOffset())
	if end > d.badUTF8 {
		d.fail(d.badUTF8, "invalid UTF-8 in string")
	}
	switch tok {
	case json.Delim('{'), json.Delim('['):
		d.depth++
		if d.depth > maxJSONDepth {
			d.fail(end-1, fmt.Sprintf("nesting deeper than %d levels", maxJSONDepth))
		}
	case json.Delim('}'), json.Delim(']'):
		d.depth--
	}
	return tok
}

// skipRest reads the rest of the value that tok begins.
func (d *modelDecoder) skipRest(tok json.Token) {
	if tok == json.Delim('{') || tok == json.Delim('[') {
		for depth := d.depth; d.depth >= depth; {
			d.next()
		}
	}
}

// skip reads any value.
func (d *modelDecoder) skip() { d.skipRest(d.next()) }

// raw reads any value and returns its text and first token.
func (d *modelDecoder) raw() (json.RawMessage, json.Token) {
	start := int(d.dec.InputOffset())
	tok := d.next()
	// Between start and the value: white space and the ':' or ',' before it.
	start = len(d.data) - len(bytes.TrimLeft(d.data[start:], jsonSpace+",:"))
	d.skipRest(tok)
	return json.RawMessage(d.data[start:d.dec.InputOffset()]), tok
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
	if len(bytes.TrimLeft(d.data, jsonSpace)) == 0 {
		d.fail(len(d.data), "empty document")
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
	if rest := bytes.TrimLeft(d.data[d.dec.InputOffset():], jsonSpace); len(rest) > 0 {
		d.fail(len(d.data)-len(rest), "unexpected data after the document")
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
		case "permissions":
			e.Permissions = d.permissions(p)
		default:
			return false
		}
		return true
	})
	return e
}

// permissions reads an entity type's permissions: role -> operation ->
// true, false or "own". Unknown roles are kept for Validate to name.
func (d *modelDecoder) permissions(path string) map[Role]*OpGrants {
	perms := map[Role]*OpGrants{}
	d.object(path, path+".", func(role, rp string) bool {
		if len(perms) >= len(Roles)+4 {
			return false // more keys than roles: reported as unknown
		}
		g := &OpGrants{}
		perms[Role(role)] = g
		d.object(rp, rp+".", func(op, p string) bool {
			switch Op(op) {
			case OpRead, OpCreate, OpUpdate, OpDelete:
			default:
				return false
			}
			raw, _ := d.raw()
			v, ok := grantOf(raw)
			if !ok {
				d.probs.add(p, `must be true, false or "own"`)
			}
			g.set(Op(op), v)
			return true
		})
		return true
	})
	return perms
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
			f.Default, _ = d.raw()
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
	if tok := d.next(); tok != json.Delim('{') {
		d.probs.add(path, "must be an object")
		d.skipRest(tok)
		return
	}
	var seen []string
	var seenMap map[string]bool
	for d.dec.More() {
		key, _ := d.next().(string) // in key position, Token returns a string or fails
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
			d.skip()
		} else if !known(key, p) {
			d.probs.add(p, "unknown key")
			d.skip()
		}
	}
	d.next() // '}'
}

// array reads an array at path (null reads as an empty one), calling elem
// for each of at most limit elements (0: no limit).
func (d *modelDecoder) array(path string, limit int, what string, elem func(i int, path string)) {
	switch tok := d.next(); tok {
	case nil:
		return
	case json.Delim('['):
	default:
		d.probs.add(path, "must be an array")
		d.skipRest(tok)
		return
	}
	for i := 0; d.dec.More(); i++ {
		if limit > 0 && i >= limit {
			if i == limit {
				d.probs.addSoft(path, fmt.Sprintf("must have at most %d %s", limit, what))
			}
			d.skip()
		} else {
			elem(i, path+"["+strconv.Itoa(i)+"]")
		}
	}
	d.next() // ']'
}

func (d *modelDecoder) str(path string) (string, bool) {
	tok := d.next()
	if s, ok := tok.(string); ok {
		return s, true
	}
	d.probs.add(path, "must be a string")
	d.skipRest(tok)
	return "", false
}

func (d *modelDecoder) bool(path string) (bool, bool) {
	tok := d.next()
	if b, ok := tok.(bool); ok {
		return b, true
	}
	d.probs.add(path, "must be a boolean")
	d.skipRest(tok)
	return false, false
}

func (d *modelDecoder) numberText(path, want string) (string, bool) {
	tok := d.next()
	if n, ok := tok.(json.Number); ok {
		return string(n), true
	}
	d.probs.add(path, "must be "+want)
	d.skipRest(tok)
	return "", false
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
	raw, tok := d.raw()
	if tok != json.Delim('{') {
		d.probs.add(path, "must be an object")
	}
	return raw
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

// NameModelDocument checks the top-level "name" of a model document against
// name, the model a request names elsewhere (described by where, e.g. "the
// model named in the path"): a different name is refused, an absent one is
// filled in. Documents that are not JSON objects are returned unchanged for
// ParseModel to describe.
func NameModelDocument(doc []byte, name, where string) ([]byte, error) {
	var top map[string]json.RawMessage
	if json.Unmarshal(doc, &top) != nil || top == nil {
		return doc, nil
	}
	raw, ok := top["name"]
	if !ok {
		i := bytes.IndexByte(doc, '{') + 1
		quoted, _ := json.Marshal(name)
		member := `"name":` + string(quoted)
		if len(top) > 0 {
			member += ","
		}
		out := make([]byte, 0, len(doc)+len(member))
		out = append(out, doc[:i]...)
		out = append(out, member...)
		return append(out, doc[i:]...), nil
	}
	var got string
	if json.Unmarshal(raw, &got) == nil && got != name {
		return nil, Invalid("invalid model", map[string]string{
			"name": "must be " + strconv.Quote(name) + ", " + where + ", or absent",
		})
	}
	return doc, nil
}
