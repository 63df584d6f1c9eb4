package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/torquehq/torque/internal/store"
	"github.com/torquehq/torque/internal/storetest"
)

func TestSQLite(t *testing.T) {
	storetest.Run(t, storetest.OpenSQLite)
}

func TestOpenSQLite(t *testing.T) {
	ctx := context.Background()
	t.Run("data directory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "nested", "data")
		db, err := store.Open(ctx, "", dir, store.Options{})
		if err != nil {
			t.Fatalf("Open: got %v, want nil", err)
		}
		defer db.Close()
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		info, err := os.Stat(dir)
		if err != nil {
			t.Fatalf("data directory: %v", err)
		}
		if got := info.Mode().Perm(); got != 0o750 {
			t.Errorf("data directory mode: got %o, want 750", got)
		}
		if _, err := os.Stat(filepath.Join(dir, "torque.db")); err != nil {
			t.Errorf("database file: %v", err)
		}
		if got := db.Dialect(); got != "sqlite" {
			t.Errorf("Dialect: got %q, want sqlite", got)
		}
	})
	t.Run("path with query characters", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "a b?c#d%e.db")
		db, err := store.Open(ctx, "sqlite:"+path, "", store.Options{SQLiteSynchronous: "full"})
		if err != nil {
			t.Fatalf("Open: got %v, want nil", err)
		}
		defer db.Close()
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("database file: %v", err)
		}
	})
	t.Run("reopen keeps data", func(t *testing.T) {
		path := "sqlite:" + filepath.Join(t.TempDir(), "x.db")
		db, err := store.Open(ctx, path, "", store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		db, err = store.Open(ctx, path, "", store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("Migrate on reopen: got %v, want nil", err)
		}
		if _, err := db.Models(ctx); err != nil {
			t.Fatalf("Models: got %v, want nil", err)
		}
	})
	bad := []struct {
		name, dsn, dir string
		opts           store.Options
	}{
		{"no dsn and no directory", "", "", store.Options{}},
		{"empty sqlite path", "sqlite:", "", store.Options{}},
		{"unknown scheme", "mysql://x", "", store.Options{}},
		{"bad synchronous", "", "", store.Options{SQLiteSynchronous: "off"}},
		{"synchronous for postgres", "postgres://127.0.0.1:1/x", "", store.Options{SQLiteSynchronous: "full"}},
	}
	for _, tt := range bad {
		t.Run("refuses "+tt.name, func(t *testing.T) {
			dir := tt.dir
			if tt.name == "bad synchronous" {
				dir = t.TempDir()
			}
			db, err := store.Open(ctx, tt.dsn, dir, tt.opts)
			if err == nil {
				db.Close()
				t.Fatalf("Open: got nil error, want one")
			}
		})
	}
}
