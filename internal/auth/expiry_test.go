package auth

import (
	"testing"
	"time"
)

func TestParseExpiry(t *testing.T) {
	day := 24 * time.Hour
	good := map[string]time.Duration{"": 0, "never": 0, "1h": time.Hour, "30d": 30 * day, "8w": 56 * day, "100000h": 100000 * time.Hour, "5214w": 5214 * 7 * day}
	for in, want := range good {
		if got, err := ParseExpiry(in); err != nil || got != want {
			t.Errorf("ParseExpiry(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"d", "0d", "-1d", "+1d", "01d", "1.5d", "1y", "1D", "30", " 30d", "30d ", "876001h", "5215w", "99999999999999999999d", "1e3d", "never!"} {
		if got, err := ParseExpiry(in); err == nil {
			t.Errorf("ParseExpiry(%q) = %v, want an error", in, got)
		}
	}
}

func FuzzParseExpiry(f *testing.F) {
	for _, s := range []string{"", "never", "30d", "12h", "8w", "0d", "-1h", "9999999999d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseExpiry(s)
		if err != nil {
			return
		}
		if d < 0 || d > MaxExpiry {
			t.Fatalf("ParseExpiry(%q) = %v: out of bounds", s, d)
		}
		if d == 0 && s != "" && s != "never" {
			t.Fatalf("ParseExpiry(%q) = 0 for a lifetime", s)
		}
	})
}
