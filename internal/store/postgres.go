package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
)

var schemaName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// openPostgres opens one pool. pgx prepares and caches every statement per
// connection, so repeated queries skip parsing and planning.
func openPostgres(ctx context.Context, dsn string, opts Options) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if opts.Schema != "" {
		if !schemaName.MatchString(opts.Schema) {
			return nil, fmt.Errorf("open postgres: schema %q is not a plain identifier", opts.Schema)
		}
		cfg.RuntimeParams["search_path"] = opts.Schema
	}
	size := opts.MaxReaders
	if size <= 0 {
		size = 20
	}
	pool := stdlib.OpenDB(*cfg)
	pool.SetMaxOpenConns(size)
	pool.SetMaxIdleConns(size)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	pool.SetConnMaxLifetime(time.Hour)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if opts.Schema != "" {
		_, err := pool.ExecContext(ctx, `CREATE SCHEMA IF NOT EXISTS "`+opts.Schema+`"`)
		// Two processes creating the schema at once: the loser sees a
		// unique violation, and the schema exists.
		if err != nil && !isPgCode(err, "23505", "42P06") {
			pool.Close()
			return nil, fmt.Errorf("open postgres: create schema %s: %w", opts.Schema, err)
		}
	}
	// Notifications are per database; the channel names the schema, so that
	// deployments in two schemas of one database never hear each other.
	var current string
	if err := pool.QueryRowContext(ctx, "SELECT COALESCE(current_schema(), '')").Scan(&current); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	if opts.Schema != "" {
		current = opts.Schema
	}
	return &DB{d: &postgresDialect{}, writer: pool, reader: pool, schema: opts.Schema, pg: cfg,
		channel: channelName(current)}, nil
}

// channelName is the notification channel of a schema: "torque_events_"
// and the schema's name, or a hash of it when the name would pass
// PostgreSQL's 63-byte limit on identifiers.
func channelName(schema string) string {
	name := "torque_events_" + schema
	if len(name) > 63 {
		sum := sha256.Sum256([]byte(schema))
		name = "torque_events_" + hex.EncodeToString(sum[:16])
	}
	return name
}

type postgresDialect struct{ rebinder }

func (*postgresDialect) typed() bool                 { return true }
func (*postgresDialect) name() string                { return "postgres" }
func (*postgresDialect) placeholder(n int) string    { return "$" + strconv.Itoa(n) }
func (*postgresDialect) explain(q string) string     { return "EXPLAIN " + q }
func (*postgresDialect) boolArg(b bool) any          { return b }
func (*postgresDialect) timeArg(t time.Time) any     { return storedTime(t) }
func (*postgresDialect) distinct(e, p string) string { return e + " IS DISTINCT FROM " + p }
func (*postgresDialect) like(expr, ph string) string {
	return expr + ` ILIKE ` + ph + ` ESCAPE '\'`
}

// fieldExpr reads a field as text (in byte order, as on SQLite), or casts it
// to numeric or boolean when the JSON value has that type. The guard keeps
// the cast, and so every insert into the shared index, from failing on
// another app's field of the same name but another type.
func (*postgresDialect) fieldExpr(f string, k kind) string {
	switch k {
	case kindNumber:
		return "(CASE WHEN jsonb_typeof(data->'" + f + "') = 'number' THEN (data->>'" + f + "')::numeric END)"
	case kindBool:
		return "(CASE WHEN jsonb_typeof(data->'" + f + "') = 'boolean' THEN (data->>'" + f + "')::boolean END)"
	case kindJSON:
		return "(data->>'" + f + "')"
	}
	return "((data->>'" + f + "') COLLATE \"C\")"
}

// order puts nulls where SQLite does: first ascending, last descending.
// Indexes on data fields are built NULLS FIRST, so either direction is one
// index walk.
func (*postgresDialect) order(expr string, desc, nullable bool) string {
	switch {
	case desc && nullable:
		return expr + " DESC NULLS LAST"
	case desc:
		return expr + " DESC"
	case nullable:
		return expr + " ASC NULLS FIRST"
	}
	return expr + " ASC"
}

func (*postgresDialect) inList(col, ph string, values []string) (string, any) {
	return col + " = ANY(" + ph + ")", values
}

func (*postgresDialect) cursorNumber(s string, integer bool) (any, error) {
	if integer {
		return strconv.ParseInt(s, 10, 64)
	}
	var n pgtype.Numeric
	if err := n.Scan(s); err != nil {
		return nil, err
	}
	return n, nil
}

// index names the index by field and kind: the typed expressions differ.
func (d *postgresDialect) index(f string, k kind) (string, string) {
	name := "ix_entities_" + f + "_" + k.String()[:1]
	return name, `CREATE INDEX IF NOT EXISTS "` + name + `" ON entities (app_id, type, ` + d.fieldExpr(f, k) + ` NULLS FIRST, id)`
}

func (*postgresDialect) indexesQuery() string {
	return "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'entities'"
}

// analyze refreshes the statistics of the table, which hold those of the
// index expressions; autovacuum does so only after enough writes.
func (*postgresDialect) analyze([]string) []string { return []string{"ANALYZE entities"} }

func (*postgresDialect) isUnique(err error) bool     { return isPgCode(err, "23505") }
func (*postgresDialect) isForeignKey(err error) bool { return isPgCode(err, "23503") }

// isDataError reports a value PostgreSQL refused (class 22, data exception),
// such as a \u0000 in jsonb.
func (*postgresDialect) isDataError(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && strings.HasPrefix(e.Code, "22")
}

func (*postgresDialect) lock(ctx context.Context, tx *sql.Tx, key string) error {
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", key); err != nil {
		return fmt.Errorf("lock %q: %w", key, err)
	}
	return nil
}

func (*postgresDialect) lockShared(ctx context.Context, tx *sql.Tx, key string) error {
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))", key); err != nil {
		return fmt.Errorf("lock %q shared: %w", key, err)
	}
	return nil
}

func isPgCode(err error, codes ...string) bool {
	var e *pgconn.PgError
	if !errors.As(err, &e) {
		return false
	}
	for _, c := range codes {
		if e.Code == c {
			return true
		}
	}
	return false
}
