package filter

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/torquehq/torque"
)

// Limits of the filter and sort languages.
const (
	MaxFilterLength = 4096 // bytes
	MaxDepth        = 32   // nested parentheses
	MaxComparisons  = 100  // comparisons, in, is null
	MaxListValues   = 500  // values of one in list
	MaxSortKeys     = 8
	MaxSortLength   = 1024 // bytes
	MaxFieldLength  = 48   // bytes of a field name
)

// Parse parses a filter (docs/filter.md). An empty or all-blank filter gives
// nil, nil. Errors are *torque.Error with code EINVALID and Fields
// {"filter": problem}, the problem naming what is wrong and its position
// (1-based, in characters).
func Parse(s string) (Expr, error) {
	if len(s) > MaxFilterLength {
		return nil, filterError(fmt.Sprintf("filter is longer than %d bytes", MaxFilterLength))
	}
	if !utf8.ValidString(s) {
		return nil, filterError("filter is not valid UTF-8")
	}
	p := &parser{lx: lexer{src: s}}
	p.next()
	if p.tok.kind == tEOF {
		return nil, nil
	}
	e, err := p.or()
	if err == nil && p.tok.kind != tEOF {
		err = p.unexpected()
	}
	if err != nil {
		return nil, filterError(err.Error())
	}
	return e, nil
}

func filterError(msg string) error {
	return torque.Invalid("invalid filter", map[string]string{"filter": msg})
}

type tokenKind int

const (
	tEOF    tokenKind = iota
	tWord             // identifier or keyword
	tString           // JSON string; val holds the decoded value
	tNumber           // JSON number; val holds int64 or float64
	tOp               // = != < <= > >= ~
	tLParen
	tRParen
	tLBracket
	tRBracket
	tComma
	tError // the lexer failed; parser.err says why
)

type token struct {
	kind tokenKind
	text string // source text
	pos  int    // byte offset
	val  any
}

type lexer struct {
	src string
	pos int
}

type posError struct {
	msg string
}

func (e *posError) Error() string { return e.msg }

// position turns a byte offset into a 1-based character position.
func position(src string, off int) int {
	return utf8.RuneCountInString(src[:off]) + 1
}

func (lx *lexer) errorf(off int, format string, args ...any) error {
	return &posError{fmt.Sprintf(format, args...) + " at position " + strconv.Itoa(position(lx.src, off))}
}

func (lx *lexer) next() (token, error) {
	for lx.pos < len(lx.src) && isSpace(lx.src[lx.pos]) {
		lx.pos++
	}
	start := lx.pos
	if lx.pos >= len(lx.src) {
		return token{kind: tEOF, pos: start}, nil
	}
	c := lx.src[lx.pos]
	tok := func(k tokenKind, n int) (token, error) {
		lx.pos += n
		return token{kind: k, text: lx.src[start:lx.pos], pos: start}, nil
	}
	switch {
	case c == '(':
		return tok(tLParen, 1)
	case c == ')':
		return tok(tRParen, 1)
	case c == '[':
		return tok(tLBracket, 1)
	case c == ']':
		return tok(tRBracket, 1)
	case c == ',':
		return tok(tComma, 1)
	case c == '=' || c == '~':
		return tok(tOp, 1)
	case c == '<' || c == '>':
		if strings.HasPrefix(lx.src[lx.pos+1:], "=") {
			return tok(tOp, 2)
		}
		return tok(tOp, 1)
	case c == '!':
		if strings.HasPrefix(lx.src[lx.pos+1:], "=") {
			return tok(tOp, 2)
		}
	case isLetter(c):
		for lx.pos < len(lx.src) && (isLetter(lx.src[lx.pos]) || isDigit(lx.src[lx.pos]) || lx.src[lx.pos] == '_') {
			lx.pos++
		}
		return token{kind: tWord, text: lx.src[start:lx.pos], pos: start}, nil
	case c == '"':
		return lx.string()
	case c == '-' || isDigit(c):
		return lx.number()
	}
	r, _ := utf8.DecodeRuneInString(lx.src[lx.pos:])
	return token{}, lx.errorf(start, "unexpected %q", string(r))
}

func (lx *lexer) string() (token, error) {
	start := lx.pos
	escaped := false
	for i := start + 1; i < len(lx.src); i++ {
		switch c := lx.src[i]; {
		case c == '\\':
			escaped = true
			i++
		case c == '"':
			lx.pos = i + 1
			text := lx.src[start:lx.pos]
			v := text[1 : len(text)-1]
			if escaped {
				if err := json.Unmarshal([]byte(text), &v); err != nil {
					return token{}, lx.errorf(start, "invalid string %s", text)
				}
			}
			return token{kind: tString, text: text, pos: start, val: v}, nil
		case c < 0x20:
			return token{}, lx.errorf(i, "control character in string")
		}
	}
	return token{}, lx.errorf(start, "unterminated string")
}

func (lx *lexer) number() (token, error) {
	start := lx.pos
	i := start
	digits := func() int {
		n := 0
		for i < len(lx.src) && isDigit(lx.src[i]) {
			i++
			n++
		}
		return n
	}
	if lx.src[i] == '-' {
		i++
	}
	integer := true
	ok := true
	if i < len(lx.src) && lx.src[i] == '0' {
		i++
	} else if digits() == 0 {
		ok = false
	}
	if ok && i < len(lx.src) && lx.src[i] == '.' {
		i++
		integer = false
		ok = digits() > 0
	}
	if ok && i < len(lx.src) && (lx.src[i] == 'e' || lx.src[i] == 'E') {
		i++
		integer = false
		if i < len(lx.src) && (lx.src[i] == '+' || lx.src[i] == '-') {
			i++
		}
		ok = digits() > 0
	}
	// A number runs into no letter, digit or dot: "1a", "01", "1.2.3".
	for ok && i < len(lx.src) && (isLetter(lx.src[i]) || isDigit(lx.src[i]) || lx.src[i] == '_' || lx.src[i] == '.') {
		ok = false
	}
	if !ok {
		end := i
		for end < len(lx.src) && !isSpace(lx.src[end]) && !strings.ContainsRune("()[],=!<>~\"", rune(lx.src[end])) {
			end++
		}
		return token{}, lx.errorf(start, "invalid number %q", lx.src[start:max(end, start+1)])
	}
	lx.pos = i
	text := lx.src[start:i]
	t := token{kind: tNumber, text: text, pos: start}
	if integer {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			t.val = n
			return t, nil
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(f, 0) {
		return token{}, lx.errorf(start, "number %s is out of range", text)
	}
	t.val = f
	return t, nil
}

func isSpace(c byte) bool  { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

type parser struct {
	lx          lexer
	tok         token
	err         error // lexer error, reported when the token is used
	depth       int
	comparisons int
}

func (p *parser) next() {
	if p.err != nil {
		return
	}
	p.tok, p.err = p.lx.next()
	if p.err != nil {
		p.tok.kind = tError
	}
}

// is reports whether the current token is the keyword kw (case-insensitive).
func (p *parser) is(kw string) bool {
	return p.err == nil && p.tok.kind == tWord && strings.EqualFold(p.tok.text, kw)
}

func (p *parser) unexpected() error {
	if p.err != nil {
		return p.err
	}
	if p.tok.kind == tEOF {
		return &posError{"unexpected end of filter"}
	}
	return p.lx.errorf(p.tok.pos, "unexpected %s", display(p.tok.text))
}

var keywords = []string{"and", "or", "not", "in", "is", "null", "true", "false"}

func isKeyword(s string) bool {
	for _, k := range keywords {
		if strings.EqualFold(s, k) {
			return true
		}
	}
	return false
}

func display(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		return strconv.Quote(string([]rune(s)[:40])) + "…"
	}
	return strconv.Quote(s)
}

// or = and { "or" and }
func (p *parser) or() (Expr, error) {
	left, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.is("or") {
		p.next()
		right, err := p.and()
		if err != nil {
			return nil, err
		}
		left = &Or{Left: left, Right: right}
	}
	return left, nil
}

// and = primary { "and" primary }
func (p *parser) and() (Expr, error) {
	left, err := p.primary()
	if err != nil {
		return nil, err
	}
	for p.is("and") {
		p.next()
		right, err := p.primary()
		if err != nil {
			return nil, err
		}
		left = &And{Left: left, Right: right}
	}
	return left, nil
}

// primary = "(" or ")" | condition
func (p *parser) primary() (Expr, error) {
	if p.err != nil {
		return nil, p.err
	}
	if p.tok.kind == tLParen {
		if p.depth == MaxDepth {
			return nil, p.lx.errorf(p.tok.pos, "parentheses nest deeper than %d levels", MaxDepth)
		}
		p.depth++
		p.next()
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.err != nil || p.tok.kind != tRParen {
			return nil, p.unexpected()
		}
		p.depth--
		p.next()
		return e, nil
	}
	return p.condition()
}

// condition = field op literal | field ["not"] "in" list | field "is" ["not"] "null"
func (p *parser) condition() (Expr, error) {
	if p.tok.kind != tWord {
		return nil, p.unexpected()
	}
	field, fieldPos := p.tok.text, p.tok.pos
	if len(field) > MaxFieldLength {
		return nil, p.lx.errorf(fieldPos, "field name %s is longer than %d characters", display(field), MaxFieldLength)
	}
	p.comparisons++
	if p.comparisons > MaxComparisons {
		return nil, p.lx.errorf(fieldPos, "more than %d comparisons", MaxComparisons)
	}
	p.next()
	switch {
	case p.err != nil:
		return nil, p.err
	case p.tok.kind != tOp && !p.is("is") && !p.is("not") && !p.is("in") && isKeyword(field):
		// "a = 1 and and": a keyword where a field belongs is more likely a
		// slip than a field of that name.
		return nil, p.lx.errorf(fieldPos, "unexpected %s", display(field))
	case p.tok.kind == tOp:
		op := Op(p.tok.text)
		p.next()
		litPos := p.tok.pos
		v, err := p.literal()
		if err != nil {
			return nil, err
		}
		if v == nil && op != OpEq && op != OpNe {
			return nil, p.lx.errorf(litPos, "null can only be compared with = and != (or use is null)")
		}
		return &Compare{Field: field, Op: op, Value: v}, nil
	case p.is("is"):
		p.next()
		not := false
		if p.is("not") {
			not = true
			p.next()
		}
		if !p.is("null") {
			return nil, p.unexpected()
		}
		p.next()
		return &IsNull{Field: field, Not: not}, nil
	case p.is("not") || p.is("in"):
		not := false
		if p.is("not") {
			not = true
			p.next()
			if !p.is("in") {
				return nil, p.unexpected()
			}
		}
		p.next()
		values, err := p.list()
		if err != nil {
			return nil, err
		}
		return &In{Field: field, Values: values, Not: not}, nil
	}
	return nil, p.unexpected()
}

// list = "[" literal { "," literal } "]"
func (p *parser) list() ([]any, error) {
	if p.err != nil || p.tok.kind != tLBracket {
		return nil, p.unexpected()
	}
	listPos := p.tok.pos
	p.next()
	var values []any
	for {
		litPos := p.tok.pos
		v, err := p.literal()
		if err != nil {
			return nil, err
		}
		if v == nil {
			return nil, p.lx.errorf(litPos, "null cannot be in a list (use is null)")
		}
		if len(values) == MaxListValues {
			return nil, p.lx.errorf(listPos, "list has more than %d values", MaxListValues)
		}
		values = append(values, v)
		if p.err == nil && p.tok.kind == tComma {
			p.next()
			continue
		}
		if p.err == nil && p.tok.kind == tRBracket {
			p.next()
			return values, nil
		}
		return nil, p.unexpected()
	}
}

// literal = string | number | "true" | "false" | "null"
func (p *parser) literal() (any, error) {
	if p.err != nil {
		return nil, p.err
	}
	switch p.tok.kind {
	case tString, tNumber:
		v := p.tok.val
		p.next()
		return v, nil
	case tWord:
		switch {
		case p.is("true"):
			p.next()
			return true, nil
		case p.is("false"):
			p.next()
			return false, nil
		case p.is("null"):
			p.next()
			return nil, nil
		}
		if isKeyword(p.tok.text) {
			return nil, p.unexpected()
		}
		return nil, p.lx.errorf(p.tok.pos, "unexpected %s (strings need double quotes: %s)", display(p.tok.text), strconv.Quote(p.tok.text))
	}
	return nil, p.unexpected()
}

// String renders e in the filter language; Parse(String(e)) gives back an
// equal tree. A nil e renders as "".
func String(e Expr) string {
	var b strings.Builder
	write(&b, e)
	return b.String()
}

func write(b *strings.Builder, e Expr) {
	switch e := e.(type) {
	case nil:
	case *Or:
		write(b, e.Left)
		b.WriteString(" or ")
		writeOperand(b, e.Right, true)
	case *And:
		if _, ok := e.Left.(*Or); ok {
			writeOperand(b, e.Left, false)
		} else {
			write(b, e.Left)
		}
		b.WriteString(" and ")
		writeOperand(b, e.Right, false)
	case *Compare:
		b.WriteString(e.Field)
		b.WriteByte(' ')
		b.WriteString(string(e.Op))
		b.WriteByte(' ')
		writeLiteral(b, e.Value)
	case *In:
		b.WriteString(e.Field)
		if e.Not {
			b.WriteString(" not")
		}
		b.WriteString(" in [")
		for i, v := range e.Values {
			if i > 0 {
				b.WriteString(", ")
			}
			writeLiteral(b, v)
		}
		b.WriteByte(']')
	case *IsNull:
		b.WriteString(e.Field)
		if e.Not {
			b.WriteString(" is not null")
		} else {
			b.WriteString(" is null")
		}
	default:
		fmt.Fprintf(b, "<%T>", e)
	}
}

// writeOperand writes the right operand of "or" (rightOfOr) or of "and",
// or the left operand of "and" when it is an "or", with parentheses where
// precedence or left associativity need them.
func writeOperand(b *strings.Builder, e Expr, rightOfOr bool) {
	paren := false
	switch e.(type) {
	case *Or:
		paren = true
	case *And:
		paren = !rightOfOr
	}
	if paren {
		b.WriteByte('(')
		write(b, e)
		b.WriteByte(')')
		return
	}
	write(b, e)
}

func writeLiteral(b *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case float64:
		s := strconv.FormatFloat(v, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEnN") { // keep it a float: 5 -> 5.0
			s += ".0"
		}
		b.WriteString(s)
	case string:
		enc, _ := json.Marshal(v)
		b.Write(enc)
	default:
		fmt.Fprintf(b, "<%T>", v)
	}
}
