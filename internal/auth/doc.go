// Package auth holds the security primitives that services and transports
// use for access control: password hashing (argon2id), API tokens and
// session secrets, Bearer header parsing, a sign-in throttle and a
// per-key request-rate limiter. It knows nothing of users or storage.
package auth
