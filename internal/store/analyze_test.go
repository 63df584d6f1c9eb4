package store

import (
	"context"
	"strings"
	"testing"

	"github.com/torquehq/torque/internal/filter"
)

// TestAnalyze checks that the statistics gathered once the table has grown
// let SQLite pick the selective index over the one giving the order.
func TestAnalyze(t *testing.T) {
	ctx := context.Background()
	db, appID, _ := newBenchDB(t, t.TempDir(), 3000)
	defer db.Close()
	q := Query{
		Fields: benchFields,
		Where:  &filter.Compare{Field: "due", Op: filter.OpEq, Value: "2026-05-05"},
		Sort:   []filter.SortKey{{Field: "priority", Desc: true}},
		Limit:  20,
	}
	plan := func() string {
		t.Helper()
		p, err := db.Explain(ctx, appID, "Task", q)
		if err != nil {
			t.Fatalf("Explain: %v", err)
		}
		return p
	}
	before := plan()
	if err := db.maybeAnalyze(ctx); err != nil {
		t.Fatalf("maybeAnalyze: %v", err)
	}
	after := plan()
	if !strings.Contains(after, "INDEX ix_entities_due ") {
		t.Errorf("plan after analysis:\n%s\nwant the due index (before:\n%s)", after, before)
	}
	var stat string
	if err := db.reader.QueryRowContext(ctx, "SELECT stat FROM sqlite_stat1 WHERE idx = 'entities_id'").Scan(&stat); err != nil {
		t.Fatalf("statistics: %v", err)
	}
	if !strings.HasPrefix(stat, "3000 ") {
		t.Errorf("statistics of entities_id: got %q, want 3000 rows", stat)
	}
	// Not grown since: no second analysis.
	if _, err := db.writer.ExecContext(ctx, "UPDATE sqlite_stat1 SET stat = '2900 2900 2900 1' WHERE idx = 'entities_id'"); err != nil {
		t.Fatal(err)
	}
	if err := db.maybeAnalyze(ctx); err != nil {
		t.Fatalf("maybeAnalyze: %v", err)
	}
	if err := db.reader.QueryRowContext(ctx, "SELECT stat FROM sqlite_stat1 WHERE idx = 'entities_id'").Scan(&stat); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stat, "2900 ") {
		t.Errorf("statistics after a second check: got %q, want them untouched", stat)
	}
}
