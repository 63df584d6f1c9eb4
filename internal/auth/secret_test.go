package auth

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"
)

func TestNewToken(t *testing.T) {
	secret, hash := NewToken()
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) != 46 {
		t.Fatalf("got %q, want %q and 43 characters", secret, TokenPrefix)
	}
	if want := sha256.Sum256([]byte(secret)); !bytes.Equal(hash, want[:]) {
		t.Errorf("got hash %x, want %x", hash, want)
	}
	parsed, ok := ParseToken(secret)
	if !ok || !bytes.Equal(parsed, hash) {
		t.Errorf("ParseToken(%q) = %x, %v, want %x, true", secret, parsed, ok, hash)
	}
	if other, _ := NewToken(); other == secret {
		t.Errorf("got %q twice", secret)
	}
}

func TestNewSessionSecret(t *testing.T) {
	secret, hash := NewSessionSecret()
	if len(secret) != 43 {
		t.Fatalf("got %q, want 43 characters", secret)
	}
	if want := sha256.Sum256([]byte(secret)); !bytes.Equal(hash, want[:]) {
		t.Errorf("got hash %x, want %x", hash, want)
	}
	parsed, ok := ParseSessionSecret(secret)
	if !ok || !bytes.Equal(parsed, hash) {
		t.Errorf("ParseSessionSecret(%q) = %x, %v, want %x, true", secret, parsed, ok, hash)
	}
	if _, ok := ParseToken(secret); ok {
		t.Errorf("ParseToken accepted session secret %q", secret)
	}
	if other, _ := NewSessionSecret(); other == secret {
		t.Errorf("got %q twice", secret)
	}
}

// nearMisses returns strings that differ from the secret body (43 base64url
// characters whose last one has zero unused bits) in one way each.
func nearMisses(body string) map[string]string {
	// A last character that decodes to the same bytes but with non-zero
	// unused bits: the next one in the alphabet.
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, body[42])
	return map[string]string{
		"empty":                        "",
		"one character short":          body[:42],
		"one character long":           body + "A",
		"padded":                       body + "=",
		"padding instead of the last":  body[:42] + "=",
		"plus":                         "+" + body[1:],
		"slash":                        body[:10] + "/" + body[11:],
		"leading blank":                " " + body[1:],
		"trailing blank":               body[:42] + " ",
		"trailing newline":             body + "\n",
		"newline inside":               body[:20] + "\n" + body[21:],
		"tab":                          body[:20] + "\t" + body[21:],
		"non-ASCII":                    body[:20] + "é" + body[22:],
		"NUL":                          body[:20] + "\x00" + body[21:],
		"dot":                          body[:20] + "." + body[21:],
		"non-zero unused bits in last": body[:42] + string(alphabet[last+1]),
		"standard base64 of 32 bytes":  strings.Repeat("+", 42) + "8",
	}
}

func TestParseTokenRefuses(t *testing.T) {
	secret, _ := NewToken()
	body := secret[len(TokenPrefix):]
	tests := map[string]string{
		"no prefix":             body,
		"prefix in capitals":    "TQ_" + body,
		"other prefix":          "tk_" + body,
		"prefix with a dash":    "tq-" + body,
		"blank before":          " " + secret,
		"only the prefix":       TokenPrefix,
		"session-like and long": body + body,
	}
	for name, s := range nearMisses(body) {
		tests[name] = TokenPrefix + s
	}
	for name, s := range tests {
		t.Run(name, func(t *testing.T) {
			if hash, ok := ParseToken(s); ok || hash != nil {
				t.Errorf("ParseToken(%q) = %x, %v, want nil, false", s, hash, ok)
			}
		})
	}
}

func TestParseSessionSecretRefuses(t *testing.T) {
	secret, _ := NewSessionSecret()
	tests := nearMisses(secret)
	token, _ := NewToken()
	tests["a token"] = token
	for name, s := range tests {
		t.Run(name, func(t *testing.T) {
			if hash, ok := ParseSessionSecret(s); ok || hash != nil {
				t.Errorf("ParseSessionSecret(%q) = %x, %v, want nil, false", s, hash, ok)
			}
		})
	}
}

// isCanonicalSecret is the definition ParseToken and ParseSessionSecret
// implement: the canonical unpadded base64url encoding of 32 bytes.
func isCanonicalSecret(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == 32 && base64.RawURLEncoding.EncodeToString(b) == s
}

func FuzzParseToken(f *testing.F) {
	secret, _ := NewToken()
	f.Add(secret)
	f.Add(TokenPrefix + strings.Repeat("A", 43))
	f.Add(TokenPrefix + strings.Repeat("A", 42) + "B")
	f.Add(TokenPrefix + strings.Repeat("/", 43))
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		hash, ok := ParseToken(s)
		body, prefixed := strings.CutPrefix(s, TokenPrefix)
		if want := prefixed && isCanonicalSecret(body); ok != want {
			t.Fatalf("ParseToken(%q) ok = %v, want %v", s, ok, want)
		}
		checkSecretHash(t, s, hash, ok)
	})
}

func FuzzParseSessionSecret(f *testing.F) {
	secret, _ := NewSessionSecret()
	f.Add(secret)
	f.Add(strings.Repeat("A", 43))
	f.Add(strings.Repeat("A", 42) + "B")
	f.Add(strings.Repeat("+", 43))
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		hash, ok := ParseSessionSecret(s)
		if want := isCanonicalSecret(s); ok != want {
			t.Fatalf("ParseSessionSecret(%q) ok = %v, want %v", s, ok, want)
		}
		checkSecretHash(t, s, hash, ok)
	})
}

// checkSecretHash checks that hash is the SHA-256 of s when ok, and nil
// otherwise.
func checkSecretHash(t *testing.T, s string, hash []byte, ok bool) {
	t.Helper()
	if !ok {
		if hash != nil {
			t.Fatalf("refused %q but returned hash %x", s, hash)
		}
		return
	}
	if want := sha256.Sum256([]byte(s)); len(hash) != 32 || !bytes.Equal(hash, want[:]) {
		t.Fatalf("hash of %q = %x, want %x", s, hash, want)
	}
}
