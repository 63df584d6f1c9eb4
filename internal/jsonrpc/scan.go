package jsonrpc

import (
	"bytes"
	"encoding/json"
)

// The scanner below walks JSON text that is known to be valid (checked with
// json.Valid first): it finds the members of an object and the elements of
// an array without decoding them, so that member names are matched exactly
// (encoding/json matches them without regard to case), duplicates are seen,
// and values are kept as the client wrote them.

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// trimSpace returns b without the JSON whitespace around it.
func trimSpace(b []byte) []byte {
	return bytes.TrimFunc(b, func(r rune) bool { return r < 0x80 && isSpace(byte(r)) })
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// stringEnd returns the index just past the string that starts at b[i].
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// valueEnd returns the index just past the value that starts at b[i].
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = stringEnd(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	default: // a number, true, false or null
		for i < len(b) && !isSpace(b[i]) && b[i] != ',' && b[i] != '}' && b[i] != ']' {
			i++
		}
		return i
	}
}

// objectMembers calls fn with the name and the value of each member of the
// valid JSON object b, in order.
func objectMembers(b []byte, fn func(name string, value []byte)) {
	i := skipSpace(b, 1)
	for i < len(b) && b[i] != '}' {
		end := stringEnd(b, i)
		name := unquote(b[i:end])
		i = skipSpace(b, end) // at ':'
		i = skipSpace(b, i+1)
		end = valueEnd(b, i)
		fn(name, b[i:end])
		i = skipSpace(b, end) // at ',' or '}'
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
}

// arrayElements returns the elements of the valid JSON array b, at most
// limit of them.
func arrayElements(b []byte, limit int) [][]byte {
	var elems [][]byte
	i := skipSpace(b, 1)
	for i < len(b) && b[i] != ']' && len(elems) < limit {
		end := valueEnd(b, i)
		elems = append(elems, b[i:end])
		i = skipSpace(b, end)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	return elems
}

// unquote returns the value of the valid JSON string s.
func unquote(s []byte) string {
	if bytes.IndexByte(s, '\\') < 0 {
		return string(s[1 : len(s)-1])
	}
	var v string
	_ = json.Unmarshal(s, &v) // s is valid
	return v
}
