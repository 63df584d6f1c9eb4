package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// TokenPrefix starts every API token, so that leaked tokens are easy to
// recognise (by people and by secret scanners).
const TokenPrefix = "tq_"

const (
	secretBytes = 32 // random bytes in a token or session secret
	secretLen   = 43 // their unpadded base64url length
)

// NewToken returns a new API token, "tq_" followed by 32 random bytes in
// unpadded base64url, and its SHA-256 hash, which is what is stored.
func NewToken() (secret string, hash []byte) {
	secret = TokenPrefix + newSecret()
	return secret, hashSecret(secret)
}

// ParseToken checks that s has the exact form of NewToken's secrets and
// returns the SHA-256 hash of the whole of s; ok is false for anything else.
func ParseToken(s string) (hash []byte, ok bool) {
	body, ok := strings.CutPrefix(s, TokenPrefix)
	if !ok || !isSecret(body) {
		return nil, false
	}
	return hashSecret(s), true
}

// NewSessionSecret returns a new browser session secret, 32 random bytes in
// unpadded base64url (43 characters), and its SHA-256 hash, which is what
// is stored.
func NewSessionSecret() (secret string, hash []byte) {
	secret = newSecret()
	return secret, hashSecret(secret)
}

// ParseSessionSecret checks that s has the exact form of NewSessionSecret's
// secrets and returns its SHA-256 hash; ok is false for anything else.
func ParseSessionSecret(s string) (hash []byte, ok bool) {
	if !isSecret(s) {
		return nil, false
	}
	return hashSecret(s), true
}

// newSecret returns 32 random bytes in unpadded base64url.
func newSecret() string {
	b := make([]byte, secretBytes)
	rand.Read(b) // never fails: crypto/rand crashes the program instead
	return base64.RawURLEncoding.EncodeToString(b)
}

// isSecret reports whether s is the canonical unpadded base64url encoding
// of 32 bytes.
func isSecret(s string) bool {
	if len(s) != secretLen {
		return false
	}
	for i := range len(s) {
		if !isBase64URL(s[i]) {
			return false
		}
	}
	// Strict refuses a last character with non-zero unused bits, which
	// would decode to the same bytes as a canonical one.
	_, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return err == nil
}

func isBase64URL(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_'
}

func hashSecret(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}
