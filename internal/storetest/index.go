package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/filter"
	"github.com/torquehq/torque/internal/store"
)

// planRows is how many entities the plan tests load: enough for a planner
// to prefer an index over reading the table.
const planRows = 3000

func testIndexes(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()
	db := open(t)
	app := newApp(t, db, "app")
	m, err := db.Model(ctx, app.Model)
	must(t, "Model", err)

	t.Run("ensure is idempotent", func(t *testing.T) {
		for i := 0; i < 2; i++ {
			must(t, "EnsureIndexes", db.EnsureIndexes(ctx, m))
		}
		// A model of another app with a field of the same name and another
		// type shares the table; its indexes and data must not disturb these.
		other := newModel("other")
		other.Entities[0].Fields = []torque.Field{{Name: "priority", Type: torque.FieldString, Unique: true}}
		must(t, "CreateModel", db.CreateModel(ctx, other))
		must(t, "EnsureIndexes", db.EnsureIndexes(ctx, other))
		must(t, "EnsureIndexes", db.EnsureIndexes(ctx, other))
		a := &torque.App{Name: "other", Model: "other"}
		must(t, "CreateApp", db.CreateApp(ctx, a))
		insert(t, db, a.ID, entity(newIDs(t, 1)[0], "Item", `{"priority":"high"}`, base))
	})

	statuses := []string{"todo", "doing", "done"}
	ids := newIDs(t, planRows)
	es := make([]*torque.Entity, 0, planRows)
	for i, id := range ids {
		data := fmt.Sprintf(`{"title":"Task %d","status":%q,"priority":%d,"owner":"u%d"}`, i, statuses[i%3], 1+i%5, i%50)
		if i%10 == 0 {
			data = fmt.Sprintf(`{"title":"Task %d","status":%q}`, i, statuses[i%3])
		}
		e := entity(id, "Item", data, base)
		e.CreatedBy = fmt.Sprintf("u%d", i%50)
		es = append(es, e)
	}
	insert(t, db, app.ID, es...)

	page := store.Query{
		Fields: itemFields,
		Where:  and(cmp("priority", filter.OpGe, int64(4)), cmp("status", filter.OpEq, "doing")),
		Sort:   []filter.SortKey{{Field: "priority", Desc: true}},
		Limit:  20,
	}
	first, err := db.List(ctx, app.ID, "Item", page)
	must(t, "List", err)
	deep := page
	deep.Cursor = first.NextCursor

	tests := []struct {
		name  string
		q     store.Query
		index string // the SQLite index the plan must use
	}{
		{"filtered sorted page", page, "ix_entities_priority"},
		{"next page", deep, "ix_entities_priority"},
		{"ascending with nulls", store.Query{Fields: itemFields, Sort: []filter.SortKey{{Field: "priority"}}, Limit: 20}, "ix_entities_priority"},
		{"reference field in creation order", store.Query{Fields: itemFields, Where: cmp("owner", filter.OpEq, "u7"), Limit: 20}, "ix_entities_owner"},
		{"creation order", store.Query{Fields: itemFields, Limit: 20}, "entities_id"},
		{"newest first", store.Query{Fields: itemFields, Sort: []filter.SortKey{{Field: "createdAt", Desc: true}}, Limit: 20}, "entities_created"},
		{"recently updated", store.Query{Fields: itemFields, Sort: []filter.SortKey{{Field: "updatedAt", Desc: true}}, Limit: 20}, "entities_updated"},
		{"created by one user", store.Query{Fields: itemFields, Where: cmp("createdBy", filter.OpEq, "u7"), Limit: 20}, "entities_created_by"},
		{"by creator", store.Query{Fields: itemFields, Sort: []filter.SortKey{{Field: "createdBy", Desc: true}}, Limit: 20}, "entities_created_by"},
	}
	for _, tt := range tests {
		t.Run("plan/"+tt.name, func(t *testing.T) {
			plan, err := db.Explain(ctx, app.ID, "Item", tt.q)
			must(t, "Explain", err)
			t.Logf("plan:\n%s", plan)
			switch db.Dialect() {
			case "sqlite":
				if !strings.Contains(plan, "INDEX "+tt.index+" ") || strings.Contains(plan, "TEMP B-TREE") {
					t.Errorf("plan:\n%s\nwant a walk of %s without a sort", plan, tt.index)
				}
			case "postgres":
				if !strings.Contains(plan, "Index Scan") || strings.Contains(plan, "Sort") || strings.Contains(plan, "Seq Scan") {
					t.Errorf("plan:\n%s\nwant an index walk without a sort", plan)
				}
			}
		})
	}
}
