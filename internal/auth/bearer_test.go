package auth

import (
	"strings"
	"testing"
)

func TestParseBearer(t *testing.T) {
	token, _ := NewToken()
	tests := []struct {
		name   string
		header string
		want   string
		ok     bool
	}{
		{"token", "Bearer " + token, token, true},
		{"lower-case scheme", "bearer abc", "abc", true},
		{"upper-case scheme", "BEARER abc", "abc", true},
		{"mixed-case scheme", "bEaReR abc", "abc", true},
		{"several spaces", "Bearer   abc", "abc", true},
		{"every b64token character", "Bearer aZ09-._~+/==", "aZ09-._~+/==", true},
		{"empty", "", "", false},
		{"scheme only", "Bearer", "", false},
		{"scheme and a space", "Bearer ", "", false},
		{"scheme and spaces", "Bearer   ", "", false},
		{"no space", "Bearerabc", "", false},
		{"other scheme", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "", false},
		{"scheme with a colon", "Bearer: abc", "", false},
		{"tab", "Bearer\tabc", "", false},
		{"tab after the space", "Bearer \tabc", "", false},
		{"leading space", " Bearer abc", "", false},
		{"trailing space", "Bearer abc ", "", false},
		{"trailing newline", "Bearer abc\n", "", false},
		{"carriage return", "Bearer abc\r\nX: y", "", false},
		{"two tokens", "Bearer abc def", "", false},
		{"comma", "Bearer abc,def", "", false},
		{"padding first", "Bearer =abc", "", false},
		{"padding inside", "Bearer ab=c", "", false},
		{"padding only", "Bearer ==", "", false},
		{"quotes", `Bearer "abc"`, "", false},
		{"non-ASCII", "Bearer abcé", "", false},
		{"non-ASCII scheme", "Beárer abc", "", false},
		{"NUL", "Bearer ab\x00c", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseBearer(tt.header)
			if got != tt.want || ok != tt.ok {
				t.Errorf("got %q, %v, want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func FuzzParseBearer(f *testing.F) {
	token, _ := NewToken()
	f.Add("Bearer " + token)
	f.Add("bearer   abc==")
	f.Add("Bearer a.b~c+d/e")
	f.Add("Basic abc")
	f.Add("Bearer abc def")
	f.Add("")
	f.Fuzz(func(t *testing.T, header string) {
		token, ok := ParseBearer(header)
		if !ok {
			if token != "" {
				t.Fatalf("refused %q but returned %q", header, token)
			}
			return
		}
		// header is the scheme, spaces and the token, nothing else.
		if !strings.EqualFold(header[:6], "bearer") || !strings.HasSuffix(header, token) {
			t.Fatalf("ParseBearer(%q) = %q", header, token)
		}
		if gap := header[6 : len(header)-len(token)]; gap == "" || strings.Trim(gap, " ") != "" {
			t.Fatalf("ParseBearer(%q) = %q, separated by %q", header, token, gap)
		}
		if token == "" || strings.Trim(token, "=") == "" || strings.ContainsAny(token, " \t\r\n\v\f") {
			t.Fatalf("ParseBearer(%q) = %q", header, token)
		}
		for i, c := range strings.TrimRight(token, "=") {
			if !strings.ContainsRune("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/", c) {
				t.Fatalf("ParseBearer(%q) = %q with %q at %d", header, token, c, i)
			}
		}
		// The canonical header gives the same token back.
		if again, ok := ParseBearer("Bearer " + token); !ok || again != token {
			t.Fatalf("ParseBearer(%q) = %q, %v, want %q, true", "Bearer "+token, again, ok, token)
		}
	})
}
