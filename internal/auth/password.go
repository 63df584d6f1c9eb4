package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"runtime"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

const (
	// MinPasswordLen is the fewest characters (runes) a password may have.
	MinPasswordLen = 8
	// MaxPasswordLen is the most bytes a password may have; longer input is
	// refused before hashing.
	MaxPasswordLen = 1024
)

// The cost of new hashes: the OWASP baseline for argon2id.
var defaultParams = hashParams{memory: 19 * 1024, time: 2, threads: 1}

const (
	saltLen = 16 // bytes of salt in new hashes
	keyLen  = 32 // bytes of derived key in new hashes
)

// CheckPassword returns what is wrong with password as a message to show
// its owner ("must be at least 8 characters"), or "" when it is acceptable.
func CheckPassword(password string) string {
	switch {
	case len(password) > MaxPasswordLen:
		return fmt.Sprintf("must be at most %d bytes", MaxPasswordLen)
	case !utf8.ValidString(password):
		return "must be valid UTF-8"
	case utf8.RuneCountInString(password) < MinPasswordLen:
		return fmt.Sprintf("must be at least %d characters", MinPasswordLen)
	}
	return ""
}

// HashPassword hashes password with argon2id and a random salt and returns
// the PHC string "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>" (base64,
// standard alphabet, no padding). It refuses passwords longer than
// MaxPasswordLen but does not apply CheckPassword's other rules. At most
// GOMAXPROCS hashes and verifications run at once; waiting for a turn ends
// with ctx.
func HashPassword(ctx context.Context, password string) (string, error) {
	if len(password) > MaxPasswordLen {
		return "", fmt.Errorf("hash password: longer than %d bytes", MaxPasswordLen)
	}
	if err := acquire(ctx); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	defer release()
	return newHash(password), nil
}

// VerifyPassword reports whether password matches encoded, a string made by
// HashPassword, comparing keys in constant time. A malformed encoded string,
// or one whose cost parameters are out of bounds, is an error. A password
// longer than MaxPasswordLen never matches and is not hashed. It waits for
// its turn as HashPassword does.
func VerifyPassword(ctx context.Context, encoded, password string) (bool, error) {
	p, err := parseHash(encoded)
	if err != nil {
		return false, fmt.Errorf("verify password: %w", err)
	}
	if len(password) > MaxPasswordLen {
		return false, nil
	}
	if err := acquire(ctx); err != nil {
		return false, fmt.Errorf("verify password: %w", err)
	}
	defer release()
	key := p.derive(password, len(p.key))
	return subtle.ConstantTimeCompare(key, p.key) == 1, nil
}

// DummyHash returns a valid hash of a random password, computed once on
// first use. Services verify against it when an email is unknown, so that
// the time a sign-in takes does not reveal which emails exist.
func DummyHash() string { return dummyHash() }

var dummyHash = sync.OnceValue(func() string { return newHash(GeneratePassword()) })

// newHash hashes password with defaultParams and a fresh salt, without
// waiting for a turn.
func newHash(password string) string {
	p := defaultParams
	p.salt = make([]byte, saltLen)
	rand.Read(p.salt) // never fails: crypto/rand crashes the program instead
	p.key = p.derive(password, keyLen)
	return p.encode()
}

// derive computes the argon2id key of password under p's salt and costs.
func (p hashParams) derive(password string, n int) []byte {
	return argon2.IDKey([]byte(password), p.salt, p.time, p.memory, p.threads, uint32(n))
}

// slots is the semaphore bounding concurrent hashes: each one takes up to
// 19 MiB (or, for a stored hash with other costs, up to maxMemory KiB) and
// a CPU for tens of milliseconds. It is sized on first use, after main may
// have set GOMAXPROCS.
var slots = sync.OnceValue(func() chan struct{} {
	return make(chan struct{}, runtime.GOMAXPROCS(0))
})

// acquire waits for a free slot or for ctx to end.
func acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case slots() <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// release frees the slot taken by acquire.
func release() { <-slots() }
