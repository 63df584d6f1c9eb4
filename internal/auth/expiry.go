package auth

import (
	"fmt"
	"strconv"
	"time"
)

// MaxExpiry bounds what ParseExpiry reads.
const MaxExpiry = 100 * 365 * 24 * time.Hour

// ParseExpiry reads a token lifetime: a whole number of hours, days or weeks
// ("12h", "30d", "8w"), or "" or "never" for a token that does not expire
// (zero).
func ParseExpiry(s string) (time.Duration, error) {
	if s == "" || s == "never" {
		return 0, nil
	}
	unit := map[byte]time.Duration{'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[s[len(s)-1]]
	digits := s[:len(s)-1]
	n, err := strconv.Atoi(digits)
	if unit == 0 || err != nil || n < 1 || time.Duration(n) > MaxExpiry/unit || digits[0] == '+' || digits[0] == '0' {
		return 0, fmt.Errorf(`must be a number of hours, days or weeks such as "12h", "30d" or "8w", or "never", not %q`, s)
	}
	return time.Duration(n) * unit, nil
}
