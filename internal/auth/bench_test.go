package auth

import (
	"context"
	"testing"
)

// BenchmarkPassword measures one argon2id hash and one verification at the
// production cost (m=19 MiB, t=2, p=1): what a sign-in costs in CPU.
func BenchmarkPassword(b *testing.B) {
	ctx := context.Background()
	b.Run("hash", func(b *testing.B) {
		for b.Loop() {
			if _, err := HashPassword(ctx, "correct horse battery"); err != nil {
				b.Fatal(err)
			}
		}
	})
	h, err := HashPassword(ctx, "correct horse battery")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("verify", func(b *testing.B) {
		for b.Loop() {
			if ok, err := VerifyPassword(ctx, h, "correct horse battery"); err != nil || !ok {
				b.Fatal(ok, err)
			}
		}
	})
}
