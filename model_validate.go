package torque

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of a model. See docs/model.md.
const (
	MaxEntityTypes       = 200    // entity types per model
	MaxFieldsPerEntity   = 500    // fields per entity type
	MaxRelationships     = 500    // relationships per model
	MaxEnumValues        = 1000   // values of an enum field
	MaxDescriptionLength = 10_000 // characters of a model description
	MaxDisplayNameLength = 200    // characters of a display name
	MaxEnumValueLength   = 200    // characters of one enum value
	MaxPatternLength     = 1000   // bytes of a field pattern
)

var (
	modelNameRE  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,63}$`)
	identifierRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,47}$`)
)

// IsIdentifier reports whether s is a valid name of an entity type, field or
// relationship: a letter, then letters, digits or "_", at most 48 in all.
func IsIdentifier(s string) bool { return identifierRE.MatchString(s) }

// Validate checks the semantics of m: names, field types and their rules,
// defaults, relationships and limits. It reports every problem it finds in
// one *Error with code EINVALID whose Fields map paths such as
// "entities[0].fields[2].type" to problems. Validate does not change m.
func (m *Model) Validate() error {
	p := newProblems()
	m.validate(p)
	return p.err()
}

// Normalize fills the defaults of m: empty lists instead of nil ones and
// onDelete "restrict" where it is empty. It is idempotent.
func (m *Model) Normalize() {
	if m.Entities == nil {
		m.Entities = []EntityType{}
	}
	for i := range m.Entities {
		e := &m.Entities[i]
		if e.Fields == nil {
			e.Fields = []Field{}
		}
		// A role entry that narrows nothing says nothing.
		for role, g := range e.Permissions {
			if g == nil || *g == (OpGrants{}) {
				delete(e.Permissions, role)
			}
		}
		if len(e.Permissions) == 0 {
			e.Permissions = nil
		}
	}
	if m.Relationships == nil {
		m.Relationships = []Relationship{}
	}
	for i := range m.Relationships {
		r := &m.Relationships[i]
		switch {
		case r.OnDelete != "":
		case r.Kind == ManyToMany:
			// Links belong to both ends: by default they go with either.
			r.OnDelete = OnDeleteSetNull
		default:
			r.OnDelete = OnDeleteRestrict
		}
	}
	if m.Pages == nil {
		m.Pages = []json.RawMessage{}
	}
	if m.XFlows == nil {
		m.XFlows = []json.RawMessage{}
	}
}

func (m *Model) validate(p *problems) {
	switch {
	case m.Name == "":
		p.add("name", "is required")
	case !modelNameRE.MatchString(m.Name):
		p.add("name", `must start with a letter and contain only letters, digits, "_" and "-" (at most 64 characters)`)
	}
	if n := utf8.RuneCountInString(m.Description); n > MaxDescriptionLength {
		p.add("description", fmt.Sprintf("must be at most %d characters", MaxDescriptionLength))
	}
	if m.Version < 0 {
		p.add("version", "must not be negative")
	}
	if len(m.Entities) > MaxEntityTypes {
		p.add("entities", fmt.Sprintf("must have at most %d entity types", MaxEntityTypes))
	}

	entities := make(map[string]int, len(m.Entities)) // name -> index
	for i := range m.Entities {
		e := &m.Entities[i]
		path := "entities[" + strconv.Itoa(i) + "]"
		if checkIdentifier(p, path+".name", e.Name) {
			claimName(p, entities, path+".name", e.Name, i, "entity type", "entities")
		}
		checkDisplayName(p, path+".displayName", e.DisplayName)
		if len(e.Fields) > MaxFieldsPerEntity {
			p.add(path+".fields", fmt.Sprintf("must have at most %d fields", MaxFieldsPerEntity))
		}
		fields := make(map[string]int, len(e.Fields))
		for j := range e.Fields {
			f := &e.Fields[j]
			fpath := path + ".fields[" + strconv.Itoa(j) + "]"
			if checkIdentifier(p, fpath+".name", f.Name) {
				if IsSystemField(f.Name) {
					p.add(fpath+".name", fmt.Sprintf("%q is a system field", f.Name))
				} else {
					claimName(p, fields, fpath+".name", f.Name, j, "field", "fields")
				}
			}
			validateField(p, fpath, f)
		}
		validatePermissions(p, path+".permissions", e.Permissions)
	}

	if len(m.Relationships) > MaxRelationships {
		p.add("relationships", fmt.Sprintf("must have at most %d relationships", MaxRelationships))
	}
	names := make(map[string]int, len(m.Relationships))
	// ends maps an entity type to the relation names (fromField or toField)
	// of relationships at that entity type, with the path that claimed each.
	ends := make(map[string]map[string]string)
	for i := range m.Relationships {
		r := &m.Relationships[i]
		path := "relationships[" + strconv.Itoa(i) + "]"
		if checkIdentifier(p, path+".name", r.Name) {
			claimName(p, names, path+".name", r.Name, i, "relationship", "relationships")
		}
		kindOK := false
		switch r.Kind {
		case OneToOne, OneToMany, ManyToMany:
			kindOK = true
		case "":
			p.add(path+".kind", "is required")
		default:
			p.add(path+".kind", "must be one of one-to-one, one-to-many, many-to-many")
		}
		fromOK := checkEntityRef(p, path+".from", r.From, m)
		toOK := checkEntityRef(p, path+".to", r.To, m)
		switch r.OnDelete {
		case "", OnDeleteRestrict, OnDeleteCascade:
		case OnDeleteSetNull:
			if r.Required {
				p.add(path+".onDelete", `"set-null" cannot be used with a required relationship`)
			}
		default:
			p.add(path+".onDelete", "must be one of restrict, cascade, set-null")
		}
		if r.Required && kindOK && r.Kind == ManyToMany {
			p.add(path+".required", "only one-to-one and one-to-many relationships can be required")
		}
		end := func(key, name, typ string, typeOK bool) {
			epath := path + "." + key
			if !checkIdentifier(p, epath, name) {
				return
			}
			if IsSystemField(name) {
				p.add(epath, fmt.Sprintf("%q is a system field", name))
				return
			}
			if !typeOK {
				return
			}
			if m.EntityType(typ).Field(name) != nil {
				p.add(epath, fmt.Sprintf("%q is already a field of entity type %q", name, typ))
				return
			}
			if ends[typ] == nil {
				ends[typ] = map[string]string{}
			}
			if other, dup := ends[typ][name]; dup {
				p.add(epath, fmt.Sprintf("%q is already used by %s on entity type %q", name, other, typ))
				return
			}
			ends[typ][name] = epath
		}
		end("fromField", r.FromField, r.From, fromOK)
		end("toField", r.ToField, r.To, toOK)
	}

	for i, raw := range m.Pages {
		if !isJSONObject(raw) {
			p.add("pages["+strconv.Itoa(i)+"]", "must be an object")
		}
	}
	for i, raw := range m.XFlows {
		if !isJSONObject(raw) {
			p.add("xflows["+strconv.Itoa(i)+"]", "must be an object")
		}
	}
}

func isJSONObject(raw json.RawMessage) bool {
	t := bytes.TrimLeft(raw, " \t\r\n")
	return len(t) > 0 && t[0] == '{' && json.Valid(t)
}

// checkIdentifier reports a missing or malformed name and returns whether
// name is a valid identifier.
func checkIdentifier(p *problems, path, name string) bool {
	switch {
	case name == "":
		p.add(path, "is required")
	case !identifierRE.MatchString(name):
		p.add(path, `must start with a letter and contain only letters, digits and "_" (at most 48 characters)`)
	default:
		return true
	}
	return false
}

func checkDisplayName(p *problems, path, s string) {
	if utf8.RuneCountInString(s) > MaxDisplayNameLength {
		p.add(path, fmt.Sprintf("must be at most %d characters", MaxDisplayNameLength))
	}
}

func checkEntityRef(p *problems, path, name string, m *Model) bool {
	if name == "" {
		p.add(path, "is required")
		return false
	}
	if m.EntityType(name) != nil {
		return true
	}
	names := make([]string, len(m.Entities))
	for i := range m.Entities {
		names[i] = m.Entities[i].Name
	}
	p.add(path, "unknown entity type "+quote(name)+Suggest(name, names))
	return false
}

// Suggest returns ` (did you mean "x"?)` for the candidate closest to s
// within edit distance 2 (ignoring case), or "": the hint every "unknown
// name" message of a model ends with.
func Suggest(s string, candidates []string) string {
	if s == "" || len(s) > 64 {
		return ""
	}
	best, bestD := "", 3
	for _, c := range candidates {
		if c == "" || len(c) > 64 || abs(len(c)-len(s)) > 2 {
			continue
		}
		if d := editDistance(strings.ToLower(s), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the Levenshtein distance of a and b, by bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func knownType(t FieldType) bool {
	for _, k := range FieldTypes {
		if k == t {
			return true
		}
	}
	return false
}

// isTextType reports whether values of t are strings that minLength,
// maxLength and pattern apply to.
func isTextType(t FieldType) bool {
	return t == FieldString || t == FieldText || t == FieldEmail || t == FieldURL
}

func validateField(p *problems, path string, f *Field) {
	checkDisplayName(p, path+".displayName", f.DisplayName)
	if f.Type == "" {
		p.add(path+".type", "is required")
		return
	}
	if !knownType(f.Type) {
		names := make([]string, len(FieldTypes))
		for i, t := range FieldTypes {
			names[i] = string(t)
		}
		p.add(path+".type", "unknown type "+quote(string(f.Type))+Suggest(string(f.Type), names))
		return // the other rules depend on the type
	}
	rulesOK := true
	bad := func(key, msg string) {
		p.add(path+"."+key, msg)
		rulesOK = false
	}

	// values
	if f.Type == FieldEnum {
		switch {
		case len(f.Values) == 0:
			bad("values", "an enum field needs at least one value")
		case len(f.Values) > MaxEnumValues:
			bad("values", fmt.Sprintf("must have at most %d values", MaxEnumValues))
		}
		seen := make(map[string]int, len(f.Values))
		for i, v := range f.Values {
			vpath := "values[" + strconv.Itoa(i) + "]"
			if v == "" {
				bad(vpath, "must not be empty")
			} else if utf8.RuneCountInString(v) > MaxEnumValueLength {
				bad(vpath, fmt.Sprintf("must be at most %d characters", MaxEnumValueLength))
			} else if j, dup := seen[v]; dup {
				bad(vpath, fmt.Sprintf("duplicate value %s (also values[%d])", quote(v), j))
			} else {
				seen[v] = i
			}
		}
	} else if f.Values != nil {
		bad("values", "only enum fields have values")
	}

	// min, max
	numeric := f.Type == FieldInteger || f.Type == FieldNumber
	for _, b := range []struct {
		key string
		v   *float64
	}{{"min", f.Min}, {"max", f.Max}} {
		switch {
		case b.v == nil:
		case !numeric:
			bad(b.key, "only integer and number fields have "+b.key)
		case math.IsNaN(*b.v) || math.IsInf(*b.v, 0):
			bad(b.key, "must be a finite number")
		case f.Type == FieldInteger && *b.v != math.Trunc(*b.v):
			bad(b.key, "must be a whole number for an integer field")
		case f.Type == FieldInteger && (*b.v < -(1<<63) || *b.v >= 1<<63):
			bad(b.key, "is outside the range of integer fields")
		}
	}
	if rulesOK && f.Min != nil && f.Max != nil && *f.Min > *f.Max {
		bad("max", "must not be less than min")
	}

	// minLength, maxLength, pattern
	for _, b := range []struct {
		key string
		v   *int
	}{{"minLength", f.MinLength}, {"maxLength", f.MaxLength}} {
		switch {
		case b.v == nil:
		case !isTextType(f.Type):
			bad(b.key, "only string, text, email and url fields have "+b.key)
		case *b.v < 0:
			bad(b.key, "must not be negative")
		}
	}
	if rulesOK && f.MinLength != nil && f.MaxLength != nil && *f.MinLength > *f.MaxLength {
		bad("maxLength", "must not be less than minLength")
	}
	var re *regexp.Regexp
	if f.Pattern != "" {
		switch {
		case !isTextType(f.Type):
			bad("pattern", "only string, text, email and url fields have a pattern")
		case len(f.Pattern) > MaxPatternLength:
			bad("pattern", fmt.Sprintf("must be at most %d bytes", MaxPatternLength))
		default:
			var err error
			if re, err = regexp.Compile(f.Pattern); err != nil {
				msg := err.Error()
				var rerr *syntax.Error
				if errors.As(err, &rerr) {
					msg = rerr.Code.String() + " in " + quote(rerr.Expr)
				}
				bad("pattern", "is not a valid regular expression: "+msg)
			}
		}
	}

	if f.Type == FieldJSON {
		if f.Unique {
			bad("unique", "json fields cannot be unique")
		}
		if f.Indexed != nil && *f.Indexed {
			bad("indexed", "json fields cannot be indexed")
		}
	}

	// default
	if len(f.Default) > 0 {
		var v any
		dec := json.NewDecoder(bytes.NewReader(f.Default))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil || dec.More() {
			p.add(path+".default", "must be valid JSON")
		} else if v == nil {
			p.add(path+".default", "must not be null (leave default out instead)")
		} else if rulesOK {
			if msg := checkValue(f, v, re); msg != "" {
				p.add(path+".default", msg)
			}
		}
	}
}

// checkValue checks a decoded JSON value (numbers as json.Number) against the
// type and rules of f and returns what is wrong with it, or "". re is the
// compiled pattern of f, if any.
func checkValue(f *Field, v any, re *regexp.Regexp) string {
	switch f.Type {
	case FieldString, FieldText, FieldEmail, FieldURL:
		s, ok := v.(string)
		if !ok {
			return f.TypeMessage()
		}
		n := utf8.RuneCountInString(s)
		if f.MinLength != nil && n < *f.MinLength {
			return "must be at least " + characters(*f.MinLength)
		}
		if f.MaxLength != nil && n > *f.MaxLength {
			return "must be at most " + characters(*f.MaxLength)
		}
		if re != nil && !re.MatchString(s) {
			return "must match the pattern " + f.Pattern
		}
		if f.Type == FieldEmail && !ValidEmail(s) || f.Type == FieldURL && !ValidURL(s) {
			return f.TypeMessage()
		}
	case FieldInteger, FieldNumber:
		num, ok := v.(json.Number)
		if !ok {
			return f.TypeMessage()
		}
		x, err := strconv.ParseFloat(string(num), 64)
		if err != nil {
			return "is out of range"
		}
		if f.Type == FieldInteger {
			n, msg := wholeNumber(string(num))
			if msg == "must be an integer" {
				return msg
			} else if msg != "" {
				return "is out of range"
			}
			x = float64(n)
		}
		if f.Min != nil && x < *f.Min {
			return "must be at least " + formatNumber(*f.Min)
		}
		if f.Max != nil && x > *f.Max {
			return "must be at most " + formatNumber(*f.Max)
		}
	case FieldBoolean:
		if _, ok := v.(bool); !ok {
			return f.TypeMessage()
		}
	case FieldDate:
		if s, ok := v.(string); !ok {
			return f.TypeMessage()
		} else if _, err := ParseDate(s); err != nil {
			return f.TypeMessage()
		}
	case FieldDateTime:
		if s, ok := v.(string); !ok {
			return f.TypeMessage()
		} else if _, err := ParseDateTime(s); err != nil {
			return f.TypeMessage()
		}
	case FieldEnum:
		s, ok := v.(string)
		if !ok {
			return f.TypeMessage()
		}
		for _, e := range f.Values {
			if e == s {
				return ""
			}
		}
		return f.TypeMessage()
	}
	return ""
}

// TypeMessage says in plain words what values of f must be, as in
// "must be a date (YYYY-MM-DD)" or "must be one of todo, doing, done".
func (f *Field) TypeMessage() string {
	switch f.Type {
	case FieldString, FieldText:
		return "must be a string"
	case FieldInteger:
		return "must be an integer"
	case FieldNumber:
		return "must be a number"
	case FieldBoolean:
		return "must be true or false"
	case FieldDate:
		return "must be a date (YYYY-MM-DD)"
	case FieldDateTime:
		return "must be a date and time (RFC 3339, such as 2026-11-24T17:00:00Z)"
	case FieldEnum:
		return "must be one of " + strings.Join(f.Values, ", ")
	case FieldEmail:
		return "must be an e-mail address"
	case FieldURL:
		return "must be an http or https URL"
	}
	return "must be a JSON value"
}

func characters(n int) string {
	if n == 1 {
		return "1 character"
	}
	return strconv.Itoa(n) + " characters"
}

// formatNumber writes a min or max for a message: whole numbers without
// fraction or exponent, others in the shortest form that reads back the same.
func formatNumber(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// ParseDate parses a value of a date field: a calendar date "2026-11-24".
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != 10 {
		return time.Time{}, errors.New("not a date (YYYY-MM-DD)")
	}
	return t, nil
}

// DateTimeLayout is the one stored form of datetime values: UTC with
// millisecond precision, fixed width, so that text order is time order.
const DateTimeLayout = "2006-01-02T15:04:05.000Z"

// FormatDateTime writes t in DateTimeLayout.
func FormatDateTime(t time.Time) string { return t.UTC().Format(DateTimeLayout) }

// ParseDateTime parses a value of a datetime field: an RFC 3339 date and time
// with an upper-case "T", an offset ("Z" or "+01:00"), at most nine digits of
// fraction after a ".", whose instant in UTC lies in the years 0000 to 9999.
func ParseDateTime(s string) (time.Time, error) {
	bad := errors.New("not a date and time (RFC 3339)")
	// 2006-01-02T15:04:05[.fraction](Z|±hh:mm)
	if len(s) < 20 || s[10] != 'T' {
		return time.Time{}, bad
	}
	rest := s[19:]
	if rest[0] == '.' {
		n := 1
		for n < len(rest) && '0' <= rest[n] && rest[n] <= '9' {
			n++
		}
		if n == 1 || n > 10 {
			return time.Time{}, bad
		}
		rest = rest[n:]
	}
	if rest != "Z" && (len(rest) != 6 || rest[0] != '+' && rest[0] != '-') {
		return time.Time{}, bad
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, bad
	}
	if y := t.UTC().Year(); y < 0 || y > 9999 {
		return time.Time{}, bad
	}
	return t, nil
}

// ValidEmail reports whether s is an e-mail address as values of email
// fields must be: local@domain, at most 254 bytes, the local part a
// dot-separated run of letters, digits and !#$%&'*+-/=?^_`{|}~ (at most 64
// bytes), the domain a host name of at least two labels.
func ValidEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || at > 64 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	for _, part := range strings.Split(local, ".") {
		if part == "" {
			return false
		}
		for i := 0; i < len(part); i++ {
			c := part[i]
			if !(isAlnum(c) || strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0) {
				return false
			}
		}
	}
	return strings.Contains(domain, ".") && validHostname(domain)
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func validHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !isAlnum(c) && c != '-' {
				return false
			}
		}
	}
	return true
}

// ValidURL reports whether s is a URL as values of url fields must be: an
// absolute http or https URL with a host, without spaces or control
// characters.
func ValidURL(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] == 0x7f {
			return false
		}
	}
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" || u.Hostname() == "" {
		return false
	}
	scheme := strings.ToLower(u.Scheme)
	return scheme == "http" || scheme == "https"
}

// claimName records that list[i] (at path) is named name, or reports a
// duplicate naming the element that took the name first.
func claimName(p *problems, seen map[string]int, path, name string, i int, what, list string) {
	if j, dup := seen[name]; dup {
		p.add(path, fmt.Sprintf("duplicate %s %q (also %s[%d])", what, name, list, j))
		return
	}
	seen[name] = i
}
