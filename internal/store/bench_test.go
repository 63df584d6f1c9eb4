package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/filter"
)

var bench1M = flag.Bool("torque.bench1m", false, "also run the benchmarks over 1,000,000 entities")

// benchModel is the Task model of the benchmarks.
var benchModel = torque.Model{
	Name:    "tasks",
	Version: 1,
	Entities: []torque.EntityType{{
		Name: "Task",
		Fields: []torque.Field{
			{Name: "title", Type: torque.FieldString, Required: true},
			{Name: "status", Type: torque.FieldEnum, Values: []string{"todo", "doing", "done"}},
			{Name: "priority", Type: torque.FieldInteger},
			{Name: "due", Type: torque.FieldDate},
		},
	}},
}

var benchFields = FieldTypes{
	"title": torque.FieldString, "status": torque.FieldEnum,
	"priority": torque.FieldInteger, "due": torque.FieldDate,
}

var benchStatuses = []string{"todo", "doing", "done"}

// benchTask returns the data of task i, the same on every run.
func benchTask(r *rand.Rand, i int) []byte {
	b, _ := json.Marshal(map[string]any{
		"title":    fmt.Sprintf("Task %d: review the quarterly report of team %d", i, r.IntN(100)),
		"status":   benchStatuses[r.IntN(3)],
		"priority": 1 + r.IntN(5),
		"due":      time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(365)).Format(time.DateOnly),
	})
	return b
}

// fillTasks inserts n tasks into app in transactions of multi-row inserts,
// and returns their ids.
func fillTasks(tb testing.TB, db *DB, appID int64, n int) []string {
	tb.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	ids := make([]string, 0, n)
	const rowsPerInsert, rowsPerTx = 500, 50000
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for done := 0; done < n; {
		err := db.InTx(ctx, func(tx *Tx) error {
			for end := min(done+rowsPerTx, n); done < end; {
				rows := min(rowsPerInsert, end-done)
				var q strings.Builder
				q.WriteString("INSERT INTO entities (app_id, type, id, data, version, created_at, updated_at) VALUES ")
				args := make([]any, 0, rows*7)
				for j := 0; j < rows; j++ {
					if j > 0 {
						q.WriteString(", ")
					}
					q.WriteString("(?, ?, ?, ?, ?, ?, ?)")
					id := uuid.Must(uuid.NewV7()).String()
					ids = append(ids, id)
					at := db.d.timeArg(start.Add(time.Duration(done+j) * time.Millisecond))
					args = append(args, appID, "Task", id, string(benchTask(r, done+j)), int64(1), at, at)
				}
				if _, err := tx.tx.ExecContext(ctx, db.d.rebind(q.String()), args...); err != nil {
					return err
				}
				done += rows
			}
			return nil
		})
		if err != nil {
			tb.Fatalf("fill tasks: %v", err)
		}
	}
	return ids
}

// newBenchDB returns a migrated SQLite store in a temporary directory with
// the Task model, one app and n tasks.
func newBenchDB(tb testing.TB, dir string, n int) (*DB, int64, []string) {
	tb.Helper()
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(dir, "bench.db"), "", Options{})
	if err != nil {
		tb.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	m := benchModel
	if err := db.CreateModel(ctx, &m); err != nil {
		tb.Fatal(err)
	}
	if err := db.EnsureIndexes(ctx, &m); err != nil {
		tb.Fatal(err)
	}
	app := &torque.App{Name: "bench", Model: m.Name}
	if err := db.CreateApp(ctx, app); err != nil {
		tb.Fatal(err)
	}
	return db, app.ID, fillTasks(tb, db, app.ID, n)
}

// fixtureKey changes whenever the schema or the fixture's data would.
func fixtureKey(n int) string {
	h := sha256.New()
	fmt.Fprintf(h, "fixture v2 %d\n", n)
	_ = fs.WalkDir(migrations, "migrations/sqlite", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := migrations.ReadFile(path)
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// benchFixture opens a store with n tasks, built once and cached under
// os.TempDir() for later runs. Benchmarks using it only read.
func benchFixture(b *testing.B, n int) (*DB, int64) {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("torque-bench-%d-%s.db", n, fixtureKey(n)))
	if _, err := os.Stat(path); err != nil {
		b.Logf("building the fixture of %d tasks in %s", n, path)
		dir, err := os.MkdirTemp(os.TempDir(), "torque-bench-build-")
		if err != nil {
			b.Fatal(err)
		}
		defer os.RemoveAll(dir)
		db, _, _ := newBenchDB(b, dir, n)
		// Planner statistics, as the store gathers them once a table grows.
		if err := db.maybeAnalyze(ctx); err != nil {
			b.Fatal(err)
		}
		// Closing the last connection checkpoints the WAL into the file.
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(filepath.Join(dir, "bench.db"), path); err != nil {
			b.Fatal(err)
		}
	}
	db, err := Open(ctx, "sqlite:"+path, "", Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	app, err := db.App(ctx, "bench")
	if err != nil {
		b.Fatal(err)
	}
	return db, app.ID
}

func BenchmarkEntityInsert(b *testing.B) {
	ctx := context.Background()
	db, appID, _ := newBenchDB(b, b.TempDir(), 0)
	defer db.Close()
	r := rand.New(rand.NewPCG(3, 4))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		now := time.Now()
		e := &torque.Entity{ID: uuid.Must(uuid.NewV7()).String(), Type: "Task", Data: benchTask(r, i),
			Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := db.InTx(ctx, func(tx *Tx) error { return tx.InsertEntity(ctx, appID, e) }); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEntityGet(b *testing.B) {
	ctx := context.Background()
	db, appID, ids := newBenchDB(b, b.TempDir(), 10000)
	defer db.Close()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := db.Entity(ctx, appID, "Task", ids[(i*7919)%len(ids)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEntityUpdate(b *testing.B) {
	ctx := context.Background()
	db, appID, ids := newBenchDB(b, b.TempDir(), 10000)
	defer db.Close()
	versions := make(map[string]int64, len(ids))
	r := rand.New(rand.NewPCG(5, 6))
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		id := ids[(i*7919)%len(ids)]
		base := versions[id] + 1
		e := &torque.Entity{ID: id, Type: "Task", Data: benchTask(r, i), Version: base + 1, UpdatedAt: time.Now()}
		if err := db.InTx(ctx, func(tx *Tx) error { return tx.UpdateEntity(ctx, appID, e, base) }); err != nil {
			b.Fatal(err)
		}
		versions[id] = base
	}
}

func BenchmarkEntityList(b *testing.B) {
	ctx := context.Background()
	db, appID, _ := newBenchDB(b, b.TempDir(), 10000)
	defer db.Close()
	b.ResetTimer()
	for b.Loop() {
		page, err := db.List(ctx, appID, "Task", Query{Fields: benchFields, Limit: 50})
		if err != nil {
			b.Fatal(err)
		}
		if len(page.Items) != 50 {
			b.Fatalf("got %d items, want 50", len(page.Items))
		}
	}
}

// BenchmarkFilteredSortedPage reads the first page and a page deep into
// priority >= 4 and status = "doing", sorted by -priority.
func BenchmarkFilteredSortedPage(b *testing.B) {
	sizes := []int{100_000}
	if *bench1M {
		sizes = append(sizes, 1_000_000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			ctx := context.Background()
			db, appID := benchFixture(b, n)
			q := Query{
				Fields: benchFields,
				Where: &filter.And{
					Left:  &filter.Compare{Field: "priority", Op: filter.OpGe, Value: int64(4)},
					Right: &filter.Compare{Field: "status", Op: filter.OpEq, Value: "doing"},
				},
				Sort:  []filter.SortKey{{Field: "priority", Desc: true}},
				Limit: 20,
			}
			plan, err := db.Explain(ctx, appID, "Task", q)
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("plan:\n%s", plan)
			// A cursor two hundred pages in.
			deep := q
			for range 200 {
				page, err := db.List(ctx, appID, "Task", deep)
				if err != nil {
					b.Fatal(err)
				}
				if page.NextCursor == "" {
					break
				}
				deep.Cursor = page.NextCursor
			}
			if plan, err := db.Explain(ctx, appID, "Task", deep); err == nil {
				b.Logf("plan of the page 200 pages in:\n%s", plan)
			}
			for _, c := range []struct {
				name string
				q    Query
			}{{"first", q}, {"deep", deep}} {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						page, err := db.List(ctx, appID, "Task", c.q)
						if err != nil {
							b.Fatal(err)
						}
						if len(page.Items) != 20 {
							b.Fatalf("got %d items, want 20", len(page.Items))
						}
					}
				})
			}
		})
	}
}
