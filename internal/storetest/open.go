package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver for the admin connection

	"github.com/torquehq/torque/internal/store"
)

// DefaultPostgres is the test server used when TORQUE_TEST_POSTGRES is empty.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Openers names every store a suite above storage should run on.
var Openers = []struct {
	Name string
	Open func(t *testing.T) *store.DB
}{
	{"sqlite", OpenSQLite},
	{"postgres", OpenPostgres},
}

// OpenSQLite opens a migrated SQLite store in t.TempDir(), closed when the
// test ends.
func OpenSQLite(t *testing.T) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "test.db"), "", store.Options{MaxReaders: 4})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return db
}

var (
	pgOnce  sync.Once
	pgAdmin *sql.DB
	pgErr   error
)

// PostgresDSN returns the test server's DSN, skipping the test when the
// server is unreachable, unless CI=true, where that is a failure.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("TORQUE_TEST_POSTGRES")
	if dsn == "" {
		dsn = DefaultPostgres
	}
	pgOnce.Do(func() {
		pgAdmin, pgErr = sql.Open("pgx", dsn)
		if pgErr == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			pgErr = pgAdmin.PingContext(ctx)
		}
	})
	if pgErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL at %s: %v", dsn, pgErr)
		}
		t.Skipf("PostgreSQL at %s unreachable: %v", dsn, pgErr)
	}
	return dsn
}

// OpenPostgres opens a migrated store in a fresh PostgreSQL schema, dropped
// when the test ends.
func OpenPostgres(t *testing.T) *store.DB { return openPostgres(t) }

// OpenPostgresB is OpenPostgres for benchmarks.
func OpenPostgresB(b *testing.B) *store.DB { return openPostgres(b) }

func openPostgres(t testing.TB) *store.DB {
	t.Helper()
	ctx := context.Background()
	dsn := PostgresDSN(t)
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	schema := "t_" + hex.EncodeToString(b)
	db, err := store.Open(ctx, dsn, "", store.Options{Schema: schema, MaxReaders: 8})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if _, err := pgAdmin.ExecContext(ctx, `DROP SCHEMA "`+schema+`" CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return db
}
