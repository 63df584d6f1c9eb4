package store_test

import (
	"context"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/torquehq/torque/internal/store"
	"github.com/torquehq/torque/internal/storetest"
)

func TestPostgres(t *testing.T) {
	storetest.Run(t, storetest.OpenPostgres)
}

func TestOpenPostgres(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	ctx := context.Background()
	t.Run("refuses a schema that is not an identifier", func(t *testing.T) {
		db, err := store.Open(ctx, dsn, "", store.Options{Schema: `x"; DROP TABLE y; --`})
		if err == nil {
			db.Close()
			t.Fatal("Open: got nil error, want one")
		}
	})
	t.Run("dialect", func(t *testing.T) {
		db := storetest.OpenPostgres(t)
		if got := db.Dialect(); got != "postgres" {
			t.Errorf("Dialect: got %q, want postgres", got)
		}
	})
}
