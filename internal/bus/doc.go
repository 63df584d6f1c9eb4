// Package bus is Torque's in-process change bus: write paths publish an
// Event on a topic ("model:TODO", "entities:todo:Task") and subscribers
// (GraphQL subscriptions, TorqueApp pages) receive the events of the topics
// they follow, in order, each numbered by a per-topic sequence.
//
// A Hub keeps the last events of every topic in a ring so that a client that
// lost its connection can resume after the last sequence it saw, with no gap
// and no duplicate, or learn (ErrResync) that it must reload. Publishers
// never wait for subscribers: a subscriber that falls too far behind is cut
// off with ErrLagged and resumes by subscribing again with its last sequence.
//
// Sequences live in memory only: a new Hub (a restarted process) numbers
// every topic from 1 again, and two instances number independently. The
// cross-instance layer (PostgreSQL LISTEN/NOTIFY) will own durable sequences
// later; it feeds remote events to Publish like any local writer.
package bus
