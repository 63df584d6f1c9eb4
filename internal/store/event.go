package store

import (
	"context"

	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/torquehq/torque/internal/bus"
)

// MaxEventData bounds the payload of one stored event.
const MaxEventData = 1 << 20

// AddEvent stores e in the transaction with the next sequence number of its
// topic, which it sets in e.Seq. Numbers of a topic have no gaps and follow
// the order in which writers commit: the topic is locked until the
// transaction ends. The caller sets e.At.
func (tx *Tx) AddEvent(ctx context.Context, e *bus.Event) error {
	if !isText(e.Topic) || e.Topic == "" {
		return fmt.Errorf("add event: invalid topic %q", e.Topic)
	}
	if len(e.Data) > MaxEventData || !json.Valid(e.Data) {
		return fmt.Errorf("add event on %s: data is not JSON of at most %d bytes", e.Topic, MaxEventData)
	}
	if err := tx.Lock(ctx, "events:"+e.Topic); err != nil {
		return err
	}
	var last int64
	if err := tx.r.queryRow(ctx, "SELECT COALESCE(MAX(seq), 0) FROM events WHERE topic = ?", e.Topic).Scan(&last); err != nil {
		return fmt.Errorf("add event on %s: %w", e.Topic, err)
	}
	e.At = storedTime(e.At)
	_, err := tx.r.exec(ctx,
		"INSERT INTO events (topic, seq, kind, actor_id, actor, at, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
		e.Topic, last+1, e.Kind, auditText(e.ActorID), auditText(e.Actor), tx.db.d.timeArg(e.At), string(e.Data))
	if err != nil {
		return fmt.Errorf("add event on %s: %w", e.Topic, err)
	}
	e.Seq = uint64(last + 1)
	return nil
}

// Events returns the stored events of topic with a Seq above after, oldest
// first, at most limit of them.
func (db *DB) Events(ctx context.Context, topic string, after uint64, limit int) ([]bus.Event, error) {
	if !isText(topic) {
		return nil, nil
	}
	rows, err := db.read().query(ctx,
		"SELECT seq, kind, actor_id, actor, at, data FROM events WHERE topic = ? AND seq > ? ORDER BY seq LIMIT ?",
		topic, int64(after), limit)
	if err != nil {
		return nil, fmt.Errorf("read events of %s: %w", topic, err)
	}
	defer rows.Close()
	var out []bus.Event
	for rows.Next() {
		e := bus.Event{Topic: topic}
		var (
			seq  int64
			data []byte
		)
		if err := rows.Scan(&seq, &e.Kind, &e.ActorID, &e.Actor, timeScanner{&e.At}, &data); err != nil {
			return nil, fmt.Errorf("read events of %s: %w", topic, err)
		}
		e.Seq, e.Data = uint64(seq), json.RawMessage(data)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read events of %s: %w", topic, err)
	}
	return out, nil
}

// EventSeq returns the Seq of the newest stored event of topic, 0 if none.
func (db *DB) EventSeq(ctx context.Context, topic string) (uint64, error) {
	if !isText(topic) {
		return 0, nil
	}
	var last int64
	if err := db.read().queryRow(ctx, "SELECT COALESCE(MAX(seq), 0) FROM events WHERE topic = ?", topic).Scan(&last); err != nil {
		return 0, fmt.Errorf("read sequence of %s: %w", topic, err)
	}
	return uint64(last), nil
}

// LastEventID returns the id of the newest stored event, 0 if none.
func (db *DB) LastEventID(ctx context.Context) (int64, error) {
	var id int64
	if err := db.read().queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM events").Scan(&id); err != nil {
		return 0, fmt.Errorf("read last event id: %w", err)
	}
	return id, nil
}

// TopicsSince returns the topics of the events stored with an id above
// after, and the highest such id (after when there are none). On SQLite ids
// follow commit order, so polling with the last id returned misses nothing.
func (db *DB) TopicsSince(ctx context.Context, after int64) ([]string, int64, error) {
	rows, err := db.read().query(ctx,
		"SELECT topic, MAX(id) FROM events WHERE id > ? GROUP BY topic ORDER BY MAX(id)", after)
	if err != nil {
		return nil, after, fmt.Errorf("poll events: %w", err)
	}
	defer rows.Close()
	var topics []string
	last := after
	for rows.Next() {
		var (
			t  string
			id int64
		)
		if err := rows.Scan(&t, &id); err != nil {
			return nil, after, fmt.Errorf("poll events: %w", err)
		}
		topics = append(topics, t)
		last = max(last, id)
	}
	if err := rows.Err(); err != nil {
		return nil, after, fmt.Errorf("poll events: %w", err)
	}
	return topics, last, nil
}

// PruneEvents deletes the events stored before the given time, except the
// newest keep of each topic, and returns how many it deleted.
func (db *DB) PruneEvents(ctx context.Context, before time.Time, keep int) (int64, error) {
	var n int64
	err := db.InTx(ctx, func(tx *Tx) error {
		res, err := tx.r.exec(ctx, `DELETE FROM events WHERE at < ?
			AND seq <= (SELECT MAX(e.seq) FROM events e WHERE e.topic = events.topic) - ?`,
			db.d.timeArg(storedTime(before)), keep)
		if err != nil {
			return fmt.Errorf("prune events: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// Notifications tell other instances sharing a PostgreSQL database what
// changed. They are sent only when the transaction commits, in commit
// order. On SQLite there are no other instances and Notify does nothing.

// MaxNotifyBytes bounds one notification's payload (PostgreSQL refuses
// 8000 bytes and more).
const MaxNotifyBytes = 7900

// Notify sends payload to the listeners of every instance when the
// transaction commits.
func (tx *Tx) Notify(ctx context.Context, payload string) error {
	if !tx.db.CanListen() {
		return nil
	}
	if len(payload) > MaxNotifyBytes {
		return fmt.Errorf("notify: payload of %d bytes is over %d", len(payload), MaxNotifyBytes)
	}
	if _, err := tx.tx.ExecContext(ctx, "SELECT pg_notify($1, $2)", tx.db.channel, payload); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// Notify sends payload to the listeners of every instance now.
func (db *DB) Notify(ctx context.Context, payload string) error {
	if !db.CanListen() {
		return nil
	}
	if len(payload) > MaxNotifyBytes {
		return fmt.Errorf("notify: payload of %d bytes is over %d", len(payload), MaxNotifyBytes)
	}
	if _, err := db.writer.ExecContext(ctx, "SELECT pg_notify($1, $2)", db.channel, payload); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// CanListen reports whether instances can notify one another (PostgreSQL).
func (db *DB) CanListen() bool { return db.pg != nil }

// listenRetry bounds the wait between attempts to reconnect a listener.
const listenRetry = 5 * time.Second

// Listen receives the notifications of every instance (its own included)
// until ctx ends, on a connection of its own, calling onNotify with each
// payload in commit order. After each connection is made and listening,
// before any notification, it calls onConnect: notifications sent while
// no connection listened are lost, and the caller catches up from storage
// there. A lost connection is made again, with growing waits up to 5 s.
// It returns ctx's error, or an error at once on SQLite.
func (db *DB) Listen(ctx context.Context, onConnect func(context.Context), onNotify func(payload string)) error {
	if !db.CanListen() {
		return errors.New("listen: notifications need PostgreSQL")
	}
	wait := 100 * time.Millisecond
	for {
		err := db.listenOnce(ctx, onConnect, onNotify, func() { wait = 100 * time.Millisecond })
		if ctx.Err() != nil {
			return ctx.Err()
		}
		db.logListen(err, wait)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, listenRetry)
	}
}

func (db *DB) listenOnce(ctx context.Context, onConnect func(context.Context), onNotify func(string), connected func()) error {
	conn, err := pgx.ConnectConfig(ctx, db.pg)
	if err != nil {
		return err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		conn.Close(closeCtx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{db.channel}.Sanitize()); err != nil {
		return err
	}
	connected()
	onConnect(ctx)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		onNotify(n.Payload)
	}
}

// logListen reports a lost listener connection to OnListenError's function.
func (db *DB) logListen(err error, wait time.Duration) {
	if db.onListenError != nil && err != nil {
		db.onListenError(err, wait)
	}
}

// OnListenError sets a function told why a listener connection was lost
// and how long Listen waits before trying again. Call it before Listen.
func (db *DB) OnListenError(fn func(err error, wait time.Duration)) { db.onListenError = fn }
