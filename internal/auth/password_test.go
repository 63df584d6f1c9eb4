package auth

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		name     string
		password string
		want     string
	}{
		{"empty", "", "must be at least 8 characters"},
		{"seven characters", "abcdefg", "must be at least 8 characters"},
		{"eight characters", "abcdefgh", ""},
		{"eight multibyte characters", "äöüßéèêë", ""},
		{"seven multibyte characters in more than eight bytes", "äöüßéèê", "must be at least 8 characters"},
		{"spaces count", "a b c d ", ""},
		{"longest", strings.Repeat("a", MaxPasswordLen), ""},
		{"one byte too long", strings.Repeat("a", MaxPasswordLen+1), "must be at most 1024 bytes"},
		{"too long in bytes though not in characters", strings.Repeat("é", MaxPasswordLen/2+1), "must be at most 1024 bytes"},
		{"invalid UTF-8", "abcdefgh\xff", "must be valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckPassword(tt.password); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestHashPassword(t *testing.T) {
	ctx := context.Background()
	const password = "correct horse battery staple"
	encoded, err := HashPassword(ctx, password)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("writes the OWASP baseline parameters", func(t *testing.T) {
		const prefix = "$argon2id$v=19$m=19456,t=2,p=1$"
		if !strings.HasPrefix(encoded, prefix) {
			t.Fatalf("got %q, want prefix %q", encoded, prefix)
		}
		p, err := parseHash(encoded)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.salt) != 16 || len(p.key) != 32 {
			t.Errorf("got %d-byte salt and %d-byte key, want 16 and 32", len(p.salt), len(p.key))
		}
	})
	t.Run("verifies the password", func(t *testing.T) {
		ok, err := VerifyPassword(ctx, encoded, password)
		if err != nil || !ok {
			t.Errorf("got %v, %v, want true, nil", ok, err)
		}
	})
	t.Run("refuses another password", func(t *testing.T) {
		ok, err := VerifyPassword(ctx, encoded, password+"!")
		if err != nil || ok {
			t.Errorf("got %v, %v, want false, nil", ok, err)
		}
	})
	t.Run("salts each hash", func(t *testing.T) {
		again, err := HashPassword(ctx, password)
		if err != nil {
			t.Fatal(err)
		}
		if again == encoded {
			t.Errorf("two hashes of the same password are both %q", again)
		}
	})
	t.Run("refuses a password over the limit", func(t *testing.T) {
		_, err := HashPassword(ctx, strings.Repeat("a", MaxPasswordLen+1))
		if err == nil {
			t.Error("got nil error, want one")
		}
	})
}

// cheapHash returns a hash of password with the smallest costs, so that
// tests may verify against it often.
func cheapHash(password string) string {
	p := hashParams{memory: 8, time: 1, threads: 1, salt: []byte("0123456789abcdef")}
	p.key = p.derive(password, 32)
	return p.encode()
}

func TestVerifyPassword(t *testing.T) {
	ctx := context.Background()
	encoded := cheapHash("hunter22")
	tests := []struct {
		name     string
		encoded  string
		password string
		want     bool
	}{
		{"right password", encoded, "hunter22", true},
		{"wrong password", encoded, "hunter23", false},
		{"empty password", encoded, "", false},
		{"password over the limit is not hashed", encoded, strings.Repeat("a", MaxPasswordLen+1), false},
		{"other parameters", func() string {
			p := hashParams{memory: 64, time: 3, threads: 2, salt: make([]byte, 8)}
			p.key = p.derive("hunter22", 64)
			return p.encode()
		}(), "hunter22", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := VerifyPassword(ctx, tt.encoded, tt.password)
			if err != nil || got != tt.want {
				t.Errorf("got %v, %v, want %v, nil", got, err, tt.want)
			}
		})
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	b64 := base64.RawStdEncoding.EncodeToString
	salt, key := b64([]byte("0123456789abcdef")), b64(make([]byte, 32))
	hash := func(params string) string { return "$argon2id$v=19$" + params + "$" + salt + "$" + key }
	tests := []struct {
		name    string
		encoded string
	}{
		{"empty", ""},
		{"plain text", "hunter22"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", "$argon2i$v=19$m=8,t=1,p=1$" + salt + "$" + key},
		{"algorithm in capitals", "$ARGON2ID$v=19$m=8,t=1,p=1$" + salt + "$" + key},
		{"no leading dollar", "argon2id$v=19$m=8,t=1,p=1$" + salt + "$" + key},
		{"version 16", "$argon2id$v=16$m=8,t=1,p=1$" + salt + "$" + key},
		{"version with a leading zero", "$argon2id$v=019$m=8,t=1,p=1$" + salt + "$" + key},
		{"no version", "$argon2id$m=8,t=1,p=1$" + salt + "$" + key},
		{"huge memory", hash("m=4194304,t=1,p=1")},
		{"memory just over the bound", hash("m=262145,t=1,p=1")},
		{"memory past 32 bits", hash("m=4294967296,t=1,p=1")},
		{"memory under 8 KiB per thread", hash("m=15,t=1,p=2")},
		{"zero memory", hash("m=0,t=1,p=1")},
		{"zero time", hash("m=8,t=0,p=1")},
		{"too much time", hash("m=8,t=17,p=1")},
		{"zero threads", hash("m=8,t=1,p=0")},
		{"too many threads", hash("m=1024,t=1,p=17")},
		{"threads past 8 bits", hash("m=8,t=1,p=257")},
		{"negative time", hash("m=8,t=-1,p=1")},
		{"plus sign", hash("m=+8,t=1,p=1")},
		{"leading zero", hash("m=08,t=1,p=1")},
		{"blank in parameters", hash("m=8, t=1,p=1")},
		{"parameters out of order", hash("t=1,m=8,p=1")},
		{"missing parameter", hash("m=8,t=1")},
		{"extra parameter", hash("m=8,t=1,p=1,k=1")},
		{"empty value", hash("m=,t=1,p=1")},
		{"salt not base64", "$argon2id$v=19$m=8,t=1,p=1$!!!!!!!!!!!!$" + key},
		{"padded salt", "$argon2id$v=19$m=8,t=1,p=1$" + salt + "==$" + key},
		{"url-safe salt", "$argon2id$v=19$m=8,t=1,p=1$" + base64.RawURLEncoding.EncodeToString([]byte{0xfb, 0xff, 0xfe, 0xfb, 0xff, 0xfe, 0xfb, 0xff, 0xfe}) + "$" + key},
		{"newline in salt", "$argon2id$v=19$m=8,t=1,p=1$" + salt[:4] + "\n" + salt[4:] + "$" + key},
		{"salt with non-zero trailing bits", "$argon2id$v=19$m=8,t=1,p=1$" + salt[:len(salt)-1] + "x$" + key},
		{"salt too short", "$argon2id$v=19$m=8,t=1,p=1$" + b64(make([]byte, 7)) + "$" + key},
		{"salt too long", "$argon2id$v=19$m=8,t=1,p=1$" + b64(make([]byte, 65)) + "$" + key},
		{"empty salt", "$argon2id$v=19$m=8,t=1,p=1$$" + key},
		{"key too short", "$argon2id$v=19$m=8,t=1,p=1$" + salt + "$" + b64(make([]byte, 7))},
		{"key too long", "$argon2id$v=19$m=8,t=1,p=1$" + salt + "$" + b64(make([]byte, 65))},
		{"key missing", "$argon2id$v=19$m=8,t=1,p=1$" + salt},
		{"trailing dollar", hash("m=8,t=1,p=1") + "$"},
		{"trailing blank", hash("m=8,t=1,p=1") + " "},
		{"very long", hash("m=8,t=1,p=1") + strings.Repeat("A", 1<<20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := VerifyPassword(context.Background(), tt.encoded, "hunter22")
			if err == nil || ok {
				t.Errorf("got %v, %v, want false and an error", ok, err)
			}
		})
	}
}

func TestPasswordContext(t *testing.T) {
	encoded := cheapHash("hunter22")
	t.Run("canceled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := HashPassword(ctx, "hunter22"); !errors.Is(err, context.Canceled) {
			t.Errorf("hash: got %v, want %v", err, context.Canceled)
		}
		if _, err := VerifyPassword(ctx, encoded, "hunter22"); !errors.Is(err, context.Canceled) {
			t.Errorf("verify: got %v, want %v", err, context.Canceled)
		}
	})
	t.Run("waits for a free slot until the context ends", func(t *testing.T) {
		sem := slots()
		for range cap(sem) {
			sem <- struct{}{}
		}
		defer func() {
			for range cap(sem) {
				<-sem
			}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		if _, err := VerifyPassword(ctx, encoded, "hunter22"); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("got %v, want %v", err, context.DeadlineExceeded)
		}
	})
}

func TestDummyHash(t *testing.T) {
	h := DummyHash()
	p, err := parseHash(h)
	if err != nil {
		t.Fatalf("parse %q: %v", h, err)
	}
	if p.memory != defaultParams.memory || p.time != defaultParams.time || p.threads != defaultParams.threads {
		t.Errorf("got m=%d,t=%d,p=%d, want the defaults", p.memory, p.time, p.threads)
	}
	if again := DummyHash(); again != h {
		t.Errorf("got %q, then %q, want the same", h, again)
	}
	if ok, err := VerifyPassword(context.Background(), h, "hunter22"); err != nil || ok {
		t.Errorf("verify: got %v, %v, want false, nil", ok, err)
	}
}

func TestGeneratePassword(t *testing.T) {
	seen := make(map[string]bool)
	for range 200 {
		p := GeneratePassword()
		if utf8.RuneCountInString(p) != 20 {
			t.Fatalf("got %q, want 20 characters", p)
		}
		if strings.ContainsAny(p, "0O1lI") {
			t.Fatalf("got %q, want no 0, O, 1, l or I", p)
		}
		for _, c := range p {
			if !strings.ContainsRune(passwordAlphabet, c) {
				t.Fatalf("got %q, want only characters of %q", p, passwordAlphabet)
			}
		}
		if msg := CheckPassword(p); msg != "" {
			t.Fatalf("CheckPassword(%q) = %q, want \"\"", p, msg)
		}
		if seen[p] {
			t.Fatalf("got %q twice", p)
		}
		seen[p] = true
	}
}

// fuzzMaxMemory and fuzzMaxTime bound the costs of hashes FuzzVerifyPassword
// actually verifies; those that parse with greater costs are only parsed,
// so that no input takes long or allocates much.
const (
	fuzzMaxMemory = 256 // KiB
	fuzzMaxTime   = 2
)

func FuzzVerifyPassword(f *testing.F) {
	f.Add(cheapHash("hunter22"), "hunter22")
	f.Add(cheapHash("hunter22"), "hunter23")
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "x")
	f.Add("$argon2id$v=19$m=64,t=3,p=4$AAAAAAAAAAA$AAAAAAAAAAA", "")
	f.Add("$argon2id$v=19$m=4294967295,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAA", "")
	f.Add("$argon2i$v=19$m=8,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAA", "")
	f.Add("", "")
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, encoded, password string) {
		p, err := parseHash(encoded)
		if err != nil {
			// VerifyPassword refuses what parseHash refuses, before hashing.
			ok, verr := VerifyPassword(ctx, encoded, password)
			if ok || verr == nil {
				t.Fatalf("VerifyPassword(%q) = %v, %v, want false and an error like %v", encoded, ok, verr, err)
			}
			return
		}
		if got := p.encode(); got != encoded {
			t.Fatalf("parsed %q, re-encoded %q", encoded, got)
		}
		if p.memory < 8*uint32(p.threads) || p.memory > maxMemory || p.time < 1 || p.time > maxTime ||
			p.threads < 1 || p.threads > maxThreads ||
			len(p.salt) < minBytes || len(p.salt) > maxBytes || len(p.key) < minBytes || len(p.key) > maxBytes {
			t.Fatalf("parsed %q out of bounds: %+v", encoded, p)
		}
		if p.memory > fuzzMaxMemory || p.time > fuzzMaxTime {
			return
		}
		ok, err := VerifyPassword(ctx, encoded, password)
		if err != nil {
			t.Fatalf("VerifyPassword(%q): %v", encoded, err)
		}
		if len(password) > MaxPasswordLen {
			if ok {
				t.Fatalf("VerifyPassword(%q) matched a password over the limit", encoded)
			}
			return
		}
		want := argon2.IDKey([]byte(password), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
		if ok != (string(want) == string(p.key)) {
			t.Fatalf("VerifyPassword(%q, %q) = %v, want %v", encoded, password, ok, !ok)
		}
		// The same parameters with password's key verify.
		p.key = want
		if ok, err := VerifyPassword(ctx, p.encode(), password); err != nil || !ok {
			t.Fatalf("VerifyPassword(%q, %q) = %v, %v, want true, nil", p.encode(), password, ok, err)
		}
	})
}
