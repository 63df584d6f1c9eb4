package auth

import "strings"

// ParseBearer returns the credential of an Authorization header of the form
// "Bearer <token>": the scheme in any case, one or more spaces, and a token
// of RFC 6750's b64token characters (letters, digits, - . _ ~ + / and
// trailing =). ok is false for anything else, including other whitespace
// or trailing junk.
func ParseBearer(header string) (token string, ok bool) {
	const scheme = "Bearer"
	if len(header) <= len(scheme) || !strings.EqualFold(header[:len(scheme)], scheme) || header[len(scheme)] != ' ' {
		return "", false
	}
	token = strings.TrimLeft(header[len(scheme):], " ")
	if !isB64Token(token) {
		return "", false
	}
	return token, true
}

// isB64Token reports whether s matches
// 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
func isB64Token(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" {
		return false
	}
	for i := range len(body) {
		c := body[i]
		if !isBase64URL(c) && c != '.' && c != '~' && c != '+' && c != '/' {
			return false
		}
	}
	return true
}
