package store_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/torquehq/torque/internal/store"
	"github.com/torquehq/torque/internal/storetest"
)

const defaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

var (
	pgOnce  sync.Once
	pgAdmin *sql.DB
	pgErr   error
)

// postgresDSN returns the test server's DSN, skipping the test when the
// server is unreachable, unless CI=true, where that is a failure.
func postgresDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("TORQUE_TEST_POSTGRES")
	if dsn == "" {
		dsn = defaultPostgres
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

// openPostgres opens a store in a fresh schema, dropped when the test ends.
func openPostgres(t *testing.T) *store.DB {
	t.Helper()
	ctx := context.Background()
	dsn := postgresDSN(t)
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

func TestPostgres(t *testing.T) {
	storetest.Run(t, openPostgres)
}

func TestOpenPostgres(t *testing.T) {
	dsn := postgresDSN(t)
	ctx := context.Background()
	t.Run("refuses a schema that is not an identifier", func(t *testing.T) {
		db, err := store.Open(ctx, dsn, "", store.Options{Schema: `x"; DROP TABLE y; --`})
		if err == nil {
			db.Close()
			t.Fatal("Open: got nil error, want one")
		}
	})
	t.Run("dialect", func(t *testing.T) {
		db := openPostgres(t)
		if got := db.Dialect(); got != "postgres" {
			t.Errorf("Dialect: got %q, want postgres", got)
		}
	})
}
