package auth

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Bounds on the parameters of a stored hash, so that a hostile or corrupt
// hash cannot make verification exhaust memory or time.
const (
	maxMemory  = 256 * 1024 // KiB
	maxTime    = 16
	maxThreads = 16
	minBytes   = 8  // shortest salt and key
	maxBytes   = 64 // longest salt and key
	// maxEncodedLen is longer than any string within the bounds above.
	maxEncodedLen = 256
)

// hashParams is a parsed argon2id PHC string.
type hashParams struct {
	memory  uint32 // KiB
	time    uint32 // passes
	threads uint8
	salt    []byte
	key     []byte
}

// encode returns p as a PHC string.
func (p hashParams) encode() string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s",
		p.memory, p.time, p.threads, b64.EncodeToString(p.salt), b64.EncodeToString(p.key))
}

// parseHash parses an argon2id PHC string in the exact form encode writes,
// so that parseHash(s).encode() == s, and checks its parameters' bounds.
func parseHash(s string) (hashParams, error) {
	var p hashParams
	if len(s) > maxEncodedLen {
		return p, errors.New("password hash too long")
	}
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return p, errors.New("malformed password hash")
	}
	if parts[1] != "argon2id" {
		return p, fmt.Errorf("password hash algorithm %q is not argon2id", parts[1])
	}
	if parts[2] != "v=19" {
		return p, fmt.Errorf("password hash version %q is not v=19", parts[2])
	}
	costs := strings.Split(parts[3], ",")
	if len(costs) != 3 {
		return p, fmt.Errorf("malformed password hash parameters %q", parts[3])
	}
	m, err := parseParam(costs[0], "m", 1, maxMemory)
	if err != nil {
		return p, err
	}
	t, err := parseParam(costs[1], "t", 1, maxTime)
	if err != nil {
		return p, err
	}
	threads, err := parseParam(costs[2], "p", 1, maxThreads)
	if err != nil {
		return p, err
	}
	if m < 8*threads {
		return p, fmt.Errorf("password hash memory %d KiB is below 8 KiB per thread", m)
	}
	p.memory, p.time, p.threads = m, t, uint8(threads)
	if p.salt, err = parseBytes(parts[4], "salt"); err != nil {
		return p, err
	}
	if p.key, err = parseBytes(parts[5], "key"); err != nil {
		return p, err
	}
	return p, nil
}

// parseParam parses "name=value" with value a decimal number without sign
// or leading zeros in [lo, hi].
func parseParam(s, name string, lo, hi uint32) (uint32, error) {
	v, ok := strings.CutPrefix(s, name+"=")
	if !ok || v == "" || (v[0] == '0' && len(v) > 1) {
		return 0, fmt.Errorf("malformed password hash parameter %q", s)
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil || uint32(n) < lo || uint32(n) > hi {
		return 0, fmt.Errorf("password hash parameter %q out of range [%d, %d]", s, lo, hi)
	}
	return uint32(n), nil
}

// parseBytes decodes canonical unpadded standard base64 of minBytes to
// maxBytes bytes.
func parseBytes(s, name string) ([]byte, error) {
	b64 := base64.RawStdEncoding
	if len(s) > b64.EncodedLen(maxBytes) {
		return nil, fmt.Errorf("password hash %s longer than %d bytes", name, maxBytes)
	}
	b, err := b64.DecodeString(s)
	// The decoder skips newlines and ignores non-zero trailing bits; only
	// the exact encoding of b is accepted.
	if err != nil || b64.EncodeToString(b) != s {
		return nil, fmt.Errorf("password hash %s is not unpadded base64", name)
	}
	if len(b) < minBytes || len(b) > maxBytes {
		return nil, fmt.Errorf("password hash %s has %d bytes, want %d to %d", name, len(b), minBytes, maxBytes)
	}
	return b, nil
}
