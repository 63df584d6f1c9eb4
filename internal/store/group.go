package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
)

// SQLite allows one writer at a time, and a commit's cost is mostly writing
// the changed pages to the write-ahead log, one write per page. Concurrent
// write transactions therefore share one SQLite transaction (group commit):
// a single goroutine takes every transaction waiting, runs each inside its
// own savepoint, and commits them together. A transaction that fails rolls
// back to its savepoint and leaves the others alone; none is acknowledged
// before the shared commit succeeds, so a crash loses nothing acknowledged.
// Under no load a batch has one transaction, and nothing waits for company.

// maxBatch bounds how many transactions share one commit.
const maxBatch = 128

// errClosed answers transactions still waiting when the store closes.
var errClosed = errors.New("store closed")

// Transaction request states.
const (
	txPending int32 = iota
	txRunning
	txAbandoned // the caller stopped waiting before it ran
)

// txRequest is one InTx call waiting for the group committer.
type txRequest struct {
	ctx   context.Context
	fn    func(*Tx) error
	state atomic.Int32
	err   error
	panic any // a panic of fn, raised again in the caller
	done  chan struct{}
}

// group is the group committer of a SQLite store.
type group struct {
	db       *DB
	requests chan *txRequest
	stop     chan struct{}
	stopped  chan struct{}
}

func startGroup(db *DB) *group {
	g := &group{
		db:       db,
		requests: make(chan *txRequest, maxBatch),
		stop:     make(chan struct{}),
		stopped:  make(chan struct{}),
	}
	go g.loop()
	return g
}

// close stops the committer after its current batch and fails the
// transactions still queued.
func (g *group) close() {
	close(g.stop)
	<-g.stopped
}

// run queues fn and waits for its outcome.
func (g *group) run(ctx context.Context, fn func(*Tx) error) error {
	r := &txRequest{ctx: ctx, fn: fn, done: make(chan struct{})}
	select {
	case g.requests <- r:
	case <-ctx.Done():
		return ctx.Err()
	case <-g.stop:
		return errClosed
	}
	select {
	case <-r.done:
	case <-ctx.Done():
		if r.state.CompareAndSwap(txPending, txAbandoned) {
			return ctx.Err()
		}
		<-r.done // it runs already: its outcome is the truth
	}
	if r.panic != nil {
		panic(r.panic)
	}
	return r.err
}

func (g *group) loop() {
	defer close(g.stopped)
	for {
		select {
		case <-g.stop:
			g.drain()
			return
		case r := <-g.requests:
			batch := []*txRequest{r}
		more:
			for len(batch) < maxBatch {
				select {
				case r := <-g.requests:
					batch = append(batch, r)
				default:
					break more
				}
			}
			g.commit(batch)
		}
	}
}

// drain fails every queued transaction once the store is closing.
func (g *group) drain() {
	for {
		select {
		case r := <-g.requests:
			r.err = errClosed
			close(r.done)
		default:
			return
		}
	}
}

// commit runs a batch in one transaction. If the shared transaction is lost
// midway (SQLite rolls back a whole transaction when a statement in it is
// interrupted by its context), the transactions not yet decided run again,
// each alone.
func (g *group) commit(batch []*txRequest) {
	var live []*txRequest
	for _, r := range batch {
		if r.state.CompareAndSwap(txPending, txRunning) {
			live = append(live, r)
		}
	}
	if len(live) == 0 {
		return
	}
	if len(live) == 1 {
		g.alone(live[0])
		return
	}
	sqlTx, err := g.db.writer.BeginTx(context.Background(), nil)
	if err != nil {
		g.finish(live, fmt.Errorf("begin: %w", err))
		return
	}
	var missed []string
	tx := g.db.newTx(sqlTx, &missed)
	var ok []*txRequest // ran without error, waiting for the commit
	for i, r := range live {
		if _, err := sqlTx.Exec("SAVEPOINT torque_tx"); err != nil {
			sqlTx.Rollback()
			g.redo(append(ok, live[i:]...))
			return
		}
		r.panic, r.err = call(r.fn, tx)
		failed := r.err != nil || r.panic != nil
		if err := endSavepoint(sqlTx, failed); err != nil {
			// The shared transaction is gone. This transaction's own
			// failure stands; the others have not happened yet.
			sqlTx.Rollback()
			if r.err == nil && r.panic == nil {
				ok = append(ok, r)
			} else {
				close(r.done)
			}
			g.redo(append(ok, live[i+1:]...))
			return
		}
		if failed {
			close(r.done)
			continue
		}
		ok = append(ok, r)
	}
	if err := sqlTx.Commit(); err != nil {
		g.finish(ok, fmt.Errorf("commit: %w", err))
	} else {
		g.finish(ok, nil)
	}
	g.db.prepareMissed(missed)
}

// endSavepoint keeps (or, when failed, undoes) the work of one transaction
// of a batch.
func endSavepoint(sqlTx *sql.Tx, failed bool) error {
	if failed {
		if _, err := sqlTx.Exec("ROLLBACK TO torque_tx"); err != nil {
			return err
		}
	}
	_, err := sqlTx.Exec("RELEASE torque_tx")
	return err
}

// redo runs transactions again, each in a transaction of its own.
func (g *group) redo(rs []*txRequest) {
	for _, r := range rs {
		r.err, r.panic = nil, nil
		g.alone(r)
	}
}

// alone runs one transaction by itself.
func (g *group) alone(r *txRequest) {
	r.panic, r.err = g.db.runTx(r.ctx, r.fn)
	close(r.done)
}

func (g *group) finish(rs []*txRequest, err error) {
	for _, r := range rs {
		r.err = err
		close(r.done)
	}
}

// call runs fn, turning a panic into a value for the caller to raise.
func call(fn func(*Tx) error, tx *Tx) (panicked any, err error) {
	defer func() {
		if v := recover(); v != nil {
			panicked = v
		}
	}()
	return nil, fn(tx)
}

// runTx runs fn in a transaction of its own: it commits when fn returns nil
// and rolls back otherwise.
func (db *DB) runTx(ctx context.Context, fn func(*Tx) error) (panicked any, err error) {
	sqlTx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	var missed []string
	defer func() { db.prepareMissed(missed) }()
	panicked, err = call(fn, db.newTx(sqlTx, &missed))
	if err != nil || panicked != nil {
		_ = sqlTx.Rollback() // fn's failure is what matters
		return panicked, err
	}
	if err := sqlTx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return nil, nil
}

func (db *DB) newTx(sqlTx *sql.Tx, missed *[]string) *Tx {
	return &Tx{db: db, tx: sqlTx, r: runner{d: db.d, q: sqlTx, tx: sqlTx, stmts: db.wstmts, missed: missed}}
}

// prepareMissed prepares, on the now idle writer, the statements a
// transaction ran unprepared, for the next ones.
func (db *DB) prepareMissed(missed []string) {
	if db.wstmts == nil {
		return
	}
	for _, q := range missed {
		db.wstmts.get(context.Background(), q)
	}
}
