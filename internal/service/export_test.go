package service

import "context"

// Hooks for the tests of package service_test.

// NoteForTest hands s a notification as if another instance sent it on
// the listener of RunEvents.
func (s *Service) NoteForTest(payload string) { s.onNote(context.Background(), payload) }

// ExpirePresenceForTest runs the expiry of other instances' members now
// (a heartbeat of RunEvents does it otherwise).
func (s *Service) ExpirePresenceForTest() { s.expirePresence() }
