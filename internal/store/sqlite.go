package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// openSQLite opens the database file at path: one writer connection that
// begins every transaction with BEGIN IMMEDIATE, and a pool of query-only
// reader connections. WAL lets the readers run beside the writer.
func openSQLite(ctx context.Context, path string, opts Options) (*DB, error) {
	syncMode := "NORMAL"
	switch opts.SQLiteSynchronous {
	case "", "normal":
	case "full":
		syncMode = "FULL"
	default:
		return nil, fmt.Errorf("open sqlite: synchronous %q: want \"normal\" or \"full\"", opts.SQLiteSynchronous)
	}
	readers := opts.MaxReaders
	if readers <= 0 {
		readers = max(4, 2*runtime.GOMAXPROCS(0))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	// cache_size is per connection, in KiB when negative.
	base := "file:" + (&url.URL{Path: abs}).EscapedPath() +
		"?_busy_timeout=10000&_foreign_keys=1&_pragma=cache_size(-32768)&_pragma=temp_store(memory)"

	writer, err := sql.Open("sqlite", base+"&_journal_mode=WAL&_synchronous="+syncMode+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite writer: %w", err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	writer.SetConnMaxLifetime(0)
	writer.SetConnMaxIdleTime(0)
	// The first connection switches the file to WAL before any reader opens it.
	if err := writer.PingContext(ctx); err != nil {
		writer.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", abs, err)
	}

	reader, err := sql.Open("sqlite", base+"&_query_only=1")
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("open sqlite reader: %w", err)
	}
	reader.SetMaxOpenConns(readers)
	reader.SetMaxIdleConns(readers)
	// Connections are renewed now and then: a new connection reads the
	// planner statistics as they are now (see refreshReaders).
	reader.SetConnMaxLifetime(30 * time.Minute)
	reader.SetConnMaxIdleTime(5 * time.Minute)
	if err := reader.PingContext(ctx); err != nil {
		reader.Close()
		writer.Close()
		return nil, fmt.Errorf("open sqlite reader %s: %w", abs, err)
	}
	db := &DB{
		d: sqliteDialect{}, writer: writer, reader: reader, readers: readers,
		wstmts: &stmtCache{db: writer}, rstmts: &stmtCache{db: reader},
	}
	actx, cancel := context.WithCancel(context.Background())
	db.stopAnalyze, db.analyzeDone = cancel, make(chan struct{})
	go db.analyzeLoop(actx)
	db.group = startGroup(db)
	return db, nil
}

// Planner statistics.
//
// SQLite chooses among indexes by sqlite_stat1, which only ANALYZE writes.
// Without it the planner prefers the index that yields the page's order even
// when another index would find the few matching rows at once (a selective
// filter on one field, sorted by another): a read of every entity of the
// type instead of a small sort. So the store analyzes the entities table
// when it has doubled since the last analysis (checked at Open and every few
// minutes, so it happens logarithmically rarely as the table grows; it holds
// the writer for about two seconds per million entities), and analyzes each
// field index it creates.

const (
	analyzeEvery   = 5 * time.Minute
	analyzeMinRows = 1000
)

func (db *DB) analyzeLoop(ctx context.Context) {
	defer close(db.analyzeDone)
	tick := time.NewTicker(analyzeEvery)
	defer tick.Stop()
	for {
		// A failure (no table before Migrate, a closing database) is
		// retried at the next tick; the statistics are an optimisation.
		_ = db.maybeAnalyze(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// maybeAnalyze analyzes the entities table when it holds at least
// analyzeMinRows rows and twice as many as at the last analysis.
func (db *DB) maybeAnalyze(ctx context.Context) error {
	var rows sql.NullInt64 // rowids only grow: max(rowid) bounds the count in O(log n)
	if err := db.writer.QueryRowContext(ctx, "SELECT max(rowid) FROM entities").Scan(&rows); err != nil {
		return err
	}
	if rows.Int64 < analyzeMinRows {
		return nil
	}
	var analyzed int64
	var stat string
	err := db.writer.QueryRowContext(ctx,
		"SELECT stat FROM sqlite_stat1 WHERE idx = 'entities_id'").Scan(&stat)
	if err == nil {
		// "rows rows-per-app rows-per-type rows-per-id"
		analyzed, _ = strconv.ParseInt(strings.Fields(stat + " 0")[0], 10, 64)
	}
	if analyzed > 0 && rows.Int64 < 2*analyzed {
		return nil
	}
	if _, err := db.writer.ExecContext(ctx, "ANALYZE entities"); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	db.refreshReaders()
	return nil
}

// refreshReaders closes the idle reader connections: a connection reads the
// statistics when it opens, and ANALYZE does not make the others read them
// again. Busy ones are renewed by their maximum lifetime.
func (db *DB) refreshReaders() {
	db.reader.SetMaxIdleConns(0)
	db.reader.SetMaxIdleConns(db.readers)
}

type sqliteDialect struct{}

func (sqliteDialect) typed() bool             { return false }
func (sqliteDialect) name() string            { return "sqlite" }
func (sqliteDialect) rebind(q string) string  { return q }
func (sqliteDialect) placeholder(int) string  { return "?" }
func (sqliteDialect) explain(q string) string { return "EXPLAIN QUERY PLAN " + q }
func (sqliteDialect) timeArg(t time.Time) any { return t.UnixMicro() }
func (sqliteDialect) like(expr, ph string) string {
	return expr + ` LIKE ` + ph + ` ESCAPE '\'`
}

func (sqliteDialect) fieldExpr(f string, _ kind) string {
	return "json_extract(data, '$." + f + "')"
}

// order relies on SQLite's own null order: nulls are the lowest values.
func (sqliteDialect) order(expr string, desc, _ bool) string {
	if desc {
		return expr + " DESC"
	}
	return expr + " ASC"
}

func (sqliteDialect) distinct(expr, ph string) string { return expr + " IS NOT " + ph }

func (sqliteDialect) inList(col, ph string, values []string) (string, any) {
	b, _ := json.Marshal(values) // a []string always marshals
	return col + " IN (SELECT value FROM json_each(" + ph + "))", string(b)
}

// boolArg binds a boolean as json_extract returns one: 1 or 0.
func (sqliteDialect) boolArg(b bool) any {
	if b {
		return int64(1)
	}
	return int64(0)
}

func (sqliteDialect) cursorNumber(s string, integer bool) (any, error) {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i, nil
	}
	if integer {
		return nil, fmt.Errorf("%q is not an integer", s)
	}
	return strconv.ParseFloat(s, 64)
}

// index names the index by field alone: json_extract serves every kind.
// SQLite compares names without regard to case, JSON keys with it: a name
// with capitals gets a hash of the exact spelling.
func (d sqliteDialect) index(f string, k kind) (string, string) {
	name := "ix_entities_" + f
	if strings.ToLower(f) != f {
		h := fnv.New32a()
		h.Write([]byte(f))
		name += fmt.Sprintf("_%08x", h.Sum32())
	}
	return name, `CREATE INDEX IF NOT EXISTS "` + name + `" ON entities (app_id, type, ` + d.fieldExpr(f, k) + `, id)`
}

func (sqliteDialect) indexesQuery() string {
	return "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'entities'"
}

// analyze gathers statistics of new indexes only: ANALYZE of one index
// reads that index alone.
func (sqliteDialect) analyze(indexes []string) []string {
	out := make([]string, len(indexes))
	for i, name := range indexes {
		out[i] = `ANALYZE "` + name + `"`
	}
	return out
}

func (sqliteDialect) isUnique(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) &&
		(e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

// isDataError is false: SQLite stores any text.
func (sqliteDialect) isDataError(error) bool { return false }

func (sqliteDialect) isForeignKey(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// lock is a no-op: the single writer connection serialises every write
// transaction already.
func (sqliteDialect) lock(context.Context, *sql.Tx, string) error { return nil }

func (sqliteDialect) lockShared(context.Context, *sql.Tx, string) error { return nil }
