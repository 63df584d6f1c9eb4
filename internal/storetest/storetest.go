// Package storetest is the conformance suite of internal/store: every dialect
// must pass Run.
package storetest

import (
	"context"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/store"
)

// Run runs the suite. open returns a fresh, migrated store for one test and
// arranges for it to be closed when the test ends.
func Run(t *testing.T, open func(t *testing.T) *store.DB) {
	t.Run("Store", func(t *testing.T) { testStore(t, open) })
	t.Run("Models", func(t *testing.T) { testModels(t, open) })
	t.Run("Apps", func(t *testing.T) { testApps(t, open) })
	t.Run("Entities", func(t *testing.T) { testEntities(t, open) })
	t.Run("Tx", func(t *testing.T) { testTx(t, open) })
	t.Run("Filter", func(t *testing.T) { testFilter(t, open) })
	t.Run("Sort", func(t *testing.T) { testSort(t, open) })
	t.Run("Cursor", func(t *testing.T) { testCursor(t, open) })
	t.Run("Links", func(t *testing.T) { testLinks(t, open) })
	t.Run("Indexes", func(t *testing.T) { testIndexes(t, open) })
	t.Run("Concurrency", func(t *testing.T) { testConcurrency(t, open) })
	t.Run("ModelHold", func(t *testing.T) { testModelHold(t, open) })
	t.Run("Users", func(t *testing.T) { testUsers(t, open) })
	t.Run("Sessions", func(t *testing.T) { testSessions(t, open) })
	t.Run("Tokens", func(t *testing.T) { testTokens(t, open) })
	t.Run("Members", func(t *testing.T) { testMembers(t, open) })
	t.Run("Audit", func(t *testing.T) { testAudit(t, open) })
	t.Run("CreatedBy", func(t *testing.T) { testCreatedBy(t, open) })
	t.Run("Events", func(t *testing.T) { testEvents(t, open) })
}

func testStore(t *testing.T, open func(t *testing.T) *store.DB) {
	ctx := context.Background()
	db := open(t)
	t.Run("migrate twice", func(t *testing.T) {
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("second Migrate: got %v, want nil", err)
		}
	})
	t.Run("ping", func(t *testing.T) {
		if err := db.Ping(ctx); err != nil {
			t.Fatalf("Ping: got %v, want nil", err)
		}
	})
	t.Run("pool stats", func(t *testing.T) {
		var want []string
		switch db.Dialect() {
		case "sqlite":
			want = []string{"reader", "writer"}
		case "postgres":
			want = []string{"pool"}
		default:
			t.Fatalf("Dialect: got %q, want sqlite or postgres", db.Dialect())
		}
		var got []string
		for k := range db.PoolStats() {
			got = append(got, k)
		}
		sort.Strings(got)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("PoolStats keys: got %v, want %v", got, want)
		}
	})
}

// Helpers shared by the tests.

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := torque.ErrorCode(err); got != code {
		t.Fatalf("%s: got error %v (code %q), want code %q", what, err, got, code)
	}
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// base is the creation time of the first test entity.
var base = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newModel(name string) *torque.Model {
	return &torque.Model{
		Name:    name,
		Version: 1,
		Entities: []torque.EntityType{
			{Name: "Item", Fields: []torque.Field{
				{Name: "title", Type: torque.FieldString},
				{Name: "status", Type: torque.FieldEnum, Values: []string{"todo", "doing", "done"}},
				{Name: "priority", Type: torque.FieldInteger},
				{Name: "score", Type: torque.FieldNumber},
				{Name: "done", Type: torque.FieldBoolean},
				{Name: "due", Type: torque.FieldDate},
				{Name: "meta", Type: torque.FieldJSON},
				{Name: "at", Type: torque.FieldDateTime},
			}},
			{Name: "Person", Fields: []torque.Field{{Name: "name", Type: torque.FieldString}}},
			{Name: "Tag", Fields: []torque.Field{{Name: "label", Type: torque.FieldString}}},
		},
		Relationships: []torque.Relationship{
			{Name: "owner", Kind: torque.OneToMany, From: "Person", To: "Item", FromField: "items", ToField: "owner"},
			{Name: "tags", Kind: torque.ManyToMany, From: "Person", To: "Tag", FromField: "tags", ToField: "people"},
		},
	}
}

// itemFields are the queryable fields of Item: its fields and the owner
// reference.
var itemFields = store.FieldTypes{
	"title": torque.FieldString, "status": torque.FieldEnum, "priority": torque.FieldInteger,
	"score": torque.FieldNumber, "done": torque.FieldBoolean, "due": torque.FieldDate,
	"meta": torque.FieldJSON, "owner": torque.FieldString, "at": torque.FieldDateTime,
}

// newApp creates the model (if needed), its indexes and an app.
func newApp(t *testing.T, db *store.DB, name string) *torque.App {
	t.Helper()
	ctx := context.Background()
	m := newModel("m-" + name)
	if _, err := db.Model(ctx, m.Name); torque.ErrorCode(err) == torque.ENOTFOUND {
		must(t, "CreateModel", db.CreateModel(ctx, m))
		must(t, "EnsureIndexes", db.EnsureIndexes(ctx, m))
	}
	a := &torque.App{Name: name, Model: m.Name}
	must(t, "CreateApp", db.CreateApp(ctx, a))
	return a
}

// newIDs returns n UUIDv7s in increasing order.
func newIDs(t *testing.T, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		u, err := uuid.NewV7()
		must(t, "uuid", err)
		ids[i] = u.String()
	}
	sort.Strings(ids)
	return ids
}

func entity(id, typ string, data string, at time.Time) *torque.Entity {
	return &torque.Entity{ID: id, Type: typ, Data: json.RawMessage(data), Version: 1, CreatedAt: at, UpdatedAt: at}
}

func insert(t *testing.T, db *store.DB, appID int64, es ...*torque.Entity) {
	t.Helper()
	ctx := context.Background()
	must(t, "insert", db.InTx(ctx, func(tx *store.Tx) error {
		for _, e := range es {
			if err := tx.InsertEntity(ctx, appID, e); err != nil {
				return err
			}
		}
		return nil
	}))
}

// sameJSON reports whether two JSON texts hold the same value.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	must(t, "decode JSON", json.Unmarshal(a, &x))
	must(t, "decode JSON", json.Unmarshal(b, &y))
	return reflect.DeepEqual(x, y)
}

func entityIDs(es []*torque.Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func join(s []string) string { return "[" + strings.Join(s, " ") + "]" }
