// Package store keeps models, apps and entities, and the users, sessions, API
// tokens, app memberships and audit log of access control, and the durable
// change events, in SQLite or PostgreSQL.
//
// One package serves both databases; the differences (placeholders, JSON
// access, value encodings, index DDL, locking) sit behind a small dialect
// interface and everything else is shared SQL. See
// docs/decisions/0001-layout-and-storage.md.
//
// Entities live in one table, their fields in a JSON object (TEXT on SQLite,
// jsonb on PostgreSQL, where the table is hash-partitioned by app). Each
// indexed field of a model gets an expression index (app_id, type, <expr>,
// id), and every filter and sort reads the field through that very
// expression, so a filtered, sorted page walks one index in order and stops
// after the page. Pages are keyset-paginated over the sort keys plus id:
// page N costs what page 1 costs.
//
// On SQLite, writes go through a single connection that begins every
// transaction with BEGIN IMMEDIATE, and reads through a pool of query-only
// connections; WAL lets them run side by side. Fixed statements are prepared
// once per connection, and the store keeps the planner statistics current
// (see maybeAnalyze). On PostgreSQL one pool serves both, with ordinary READ
// COMMITTED transactions; pgx prepares and caches statements itself.
//
// Entity reads exist on *DB, reading committed data from the reader pool, and
// on *Tx, reading inside a write transaction; both run the same code over a
// runner. Conditions the caller can act on are returned as *torque.Error
// (ENOTFOUND, ECONFLICT, EINVALID); every other error is wrapped with context.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Options tune Open.
type Options struct {
	// SQLiteSynchronous is "normal" (the default: a process crash loses no
	// committed transaction, an OS crash may lose the last ones) or "full"
	// (an fsync per commit).
	SQLiteSynchronous string
	// MaxReaders is the SQLite reader pool size (default max(4,
	// 2*GOMAXPROCS)) or the PostgreSQL pool size (default 20).
	MaxReaders int
	// Schema is, on PostgreSQL only, the schema to work in (the search_path
	// of every connection); it is created if missing.
	Schema string
}

// DB is an open store. It is safe for concurrent use.
type DB struct {
	d      dialect
	writer *sql.DB // SQLite: the one writer connection; PostgreSQL: the pool
	reader *sql.DB // SQLite: the query-only pool; PostgreSQL: the pool
	schema string  // PostgreSQL schema, if one was asked for
	// Prepared static statements of the writer and the readers (SQLite).
	wstmts, rstmts *stmtCache
	readers        int                // SQLite reader pool size
	stopAnalyze    context.CancelFunc // stops analyzeLoop (SQLite)
	analyzeDone    chan struct{}      // closed when analyzeLoop has returned
	group          *group             // SQLite: the group committer of write transactions
	// pg is the connection configuration of PostgreSQL, for listeners.
	pg            *pgx.ConnConfig
	channel       string // the notification channel of this database and schema
	onListenError func(error, time.Duration)
}

// Open opens storage. dsn "" means SQLite at filepath.Join(dataDir,
// "torque.db") (the directory is created with mode 0o750); a postgres:// or
// postgresql:// URL means PostgreSQL; "sqlite:PATH" means SQLite at PATH.
// Open does not apply migrations: call Migrate.
func Open(ctx context.Context, dsn, dataDir string, opts Options) (*DB, error) {
	switch {
	case dsn == "":
		if dataDir == "" {
			return nil, errors.New("open store: no dsn and no data directory")
		}
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("open store: create data directory: %w", err)
		}
		return openSQLite(ctx, filepath.Join(dataDir, "torque.db"), opts)
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" {
			return nil, errors.New("open store: sqlite: empty path")
		}
		return openSQLite(ctx, path, opts)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		if opts.SQLiteSynchronous != "" {
			return nil, errors.New("open store: SQLiteSynchronous is set for a PostgreSQL dsn")
		}
		return openPostgres(ctx, dsn, opts)
	}
	return nil, errors.New(`open store: dsn must be "", "sqlite:PATH" or a postgres:// URL`)
}

// Close closes every connection.
func (db *DB) Close() error {
	if db.stopAnalyze != nil {
		db.stopAnalyze()
		<-db.analyzeDone
	}
	if db.group != nil {
		db.group.close()
	}
	if db.wstmts != nil {
		db.wstmts.close()
		db.rstmts.close()
	}
	err := db.reader.Close()
	if db.writer != db.reader {
		err = errors.Join(err, db.writer.Close())
	}
	return err
}

// Ping checks that the database answers, on the writer and the readers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.writer.PingContext(ctx); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	if db.reader != db.writer {
		if err := db.reader.PingContext(ctx); err != nil {
			return fmt.Errorf("ping readers: %w", err)
		}
	}
	return nil
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.d.name() }

// GroupCommits reports whether concurrent write transactions share one
// database transaction (SQLite, see group.go): one that takes long holds
// up every write waiting behind it.
func (db *DB) GroupCommits() bool { return db.group != nil }

// PoolStats returns the connection pool statistics: "writer" and "reader" on
// SQLite, "pool" on PostgreSQL.
func (db *DB) PoolStats() map[string]sql.DBStats {
	if db.reader == db.writer {
		return map[string]sql.DBStats{"pool": db.writer.Stats()}
	}
	return map[string]sql.DBStats{"writer": db.writer.Stats(), "reader": db.reader.Stats()}
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// runner runs queries of one dialect on a pool or inside a transaction.
// Entity reads are written once over it. Static queries (the ones with a
// fixed text, run through exec, queryRow and query) are prepared once per
// connection when stmts is set; dynamic ones run through q directly.
type runner struct {
	d     dialect
	q     querier
	tx    *sql.Tx    // set inside a transaction
	stmts *stmtCache // nil: no statement cache (PostgreSQL: pgx has its own)
	// missed collects, inside a transaction, the queries not prepared yet.
	missed *[]string
}

func (db *DB) read() runner { return runner{d: db.d, q: db.reader, stmts: db.rstmts} }

// stmt returns the prepared statement of the static query q, bound to the
// transaction if there is one, or nil when there is no cache or no
// statement yet; the query then runs unprepared.
//
// Inside a transaction the statement cannot be prepared on the writer pool:
// its one connection is the transaction's. The query is noted instead and
// prepared once the transaction has ended.
func (r runner) stmt(ctx context.Context, q string) *sql.Stmt {
	if r.stmts == nil {
		return nil
	}
	if r.tx == nil {
		return r.stmts.get(ctx, q)
	}
	if s, ok := r.stmts.m.Load(q); ok {
		return r.tx.StmtContext(ctx, s.(*sql.Stmt))
	}
	*r.missed = append(*r.missed, q)
	return nil
}

func (r runner) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	q = r.d.rebind(q)
	if s := r.stmt(ctx, q); s != nil {
		if r.tx != nil {
			defer s.Close()
		}
		return s.ExecContext(ctx, args...)
	}
	return r.q.ExecContext(ctx, q, args...)
}

func (r runner) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	q = r.d.rebind(q)
	if s := r.stmt(ctx, q); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return r.q.QueryRowContext(ctx, q, args...)
}

func (r runner) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = r.d.rebind(q)
	if s := r.stmt(ctx, q); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return r.q.QueryContext(ctx, q, args...)
}

// stmtCache keeps one prepared statement per static query text. database/sql
// prepares it again on each connection of the pool when first used there.
// Only fixed query texts are cached, so the cache stays small.
type stmtCache struct {
	db *sql.DB
	m  sync.Map // query text -> *sql.Stmt
}

func (c *stmtCache) get(ctx context.Context, q string) *sql.Stmt {
	if s, ok := c.m.Load(q); ok {
		return s.(*sql.Stmt)
	}
	s, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	if prev, loaded := c.m.LoadOrStore(q, s); loaded {
		s.Close()
		return prev.(*sql.Stmt)
	}
	return s
}

func (c *stmtCache) close() {
	c.m.Range(func(_, s any) bool {
		s.(*sql.Stmt).Close()
		return true
	})
}

// Tx is a write transaction. It is not safe for concurrent use.
type Tx struct {
	db *DB
	tx *sql.Tx
	r  runner
}

// InTx runs fn in a write transaction: it commits when fn returns nil, and
// otherwise rolls back and returns fn's error unchanged (a panic of fn is
// raised again in the caller). On SQLite concurrent write transactions share
// one commit (see group.go), and fn may run a second time if the shared
// transaction is lost before it is decided: fn must have no effects outside
// the transaction beyond setting its results. Calling InTx again from inside
// fn would wait for itself.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	if db.group != nil {
		return db.group.run(ctx, fn)
	}
	panicked, err := db.runTx(ctx, fn)
	if panicked != nil {
		panic(panicked)
	}
	return err
}

// Lock takes a lock on key until the transaction ends: an advisory lock on
// PostgreSQL; nothing on SQLite, where write transactions never overlap.
func (tx *Tx) Lock(ctx context.Context, key string) error {
	return tx.db.d.lock(ctx, tx.tx, key)
}
