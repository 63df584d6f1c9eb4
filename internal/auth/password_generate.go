package auth

import "crypto/rand"

// passwordAlphabet has no characters easily mistaken for one another
// (0/O, 1/l/I).
const passwordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"

// generatedLen is the length of GeneratePassword's passwords: about 117
// bits of entropy.
const generatedLen = 20

// GeneratePassword returns a random password of 20 characters from an
// alphabet without ambiguous characters (no 0, O, 1, l or I), for initial
// or reset passwords that people copy by hand.
func GeneratePassword() string {
	// Bytes at or above the largest multiple of the alphabet's size are
	// dropped so that every character is equally likely.
	const limit = 256 - 256%len(passwordAlphabet)
	out := make([]byte, 0, generatedLen)
	var buf [2 * generatedLen]byte
	for len(out) < generatedLen {
		rand.Read(buf[:]) // never fails: crypto/rand crashes the program instead
		for _, b := range buf {
			if int(b) < limit && len(out) < generatedLen {
				out = append(out, passwordAlphabet[int(b)%len(passwordAlphabet)])
			}
		}
	}
	return string(out)
}
