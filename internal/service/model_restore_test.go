package service_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/service"
	"github.com/torquehq/torque/internal/storetest"
)

// TestRestoreIsOneAuditEntry: a restore is audited as model.restore, with
// the version made, its base and the version restored, in the write's
// transaction: one entry for a restore, none for a refused one.
func TestRestoreIsOneAuditEntry(t *testing.T) {
	for _, st := range storetest.Openers {
		t.Run(st.Name, func(t *testing.T) {
			f := newFixture(t, st.Open)
			if _, err := f.svc.EditModel(f.ctx, "Work", 1, []torque.ModelEdit{addField("labels")}); err != nil {
				t.Fatal(err)
			}
			stream, err := f.svc.SubscribeModel(f.ctx, "Work", 0)
			if err != nil {
				t.Fatal(err)
			}
			defer stream.Close()

			restored, err := f.svc.RestoreModelVersion(f.ctx, "Work", 1, 2)
			if err != nil {
				t.Fatal(err)
			}
			if restored.Version != 3 {
				t.Fatalf("got version %d, want 3", restored.Version)
			}
			if e := next(t, stream); e.Kind != service.KindModelUpdated || modelData(t, e).Version != 3 {
				t.Fatalf("got %s of version %d, want model.updated of version 3", e.Kind, modelData(t, e).Version)
			}

			t.Run("refuses a stale base and records nothing", func(t *testing.T) {
				_, err := f.svc.RestoreModelVersion(f.ctx, "Work", 1, 2)
				wantCode(t, err, torque.ECONFLICT)
				none(t, stream)
			})

			page, err := f.svc.Audit(f.ctx, torque.AuditQuery{})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range page.Items {
				if e.Target == "model/Work" {
					actions = append(actions, e.Action)
				}
			}
			if got, want := strings.Join(actions, " "), "model.restore model.edit model.create"; got != want {
				t.Fatalf("got audit actions %q on model/Work (newest first), want %q", got, want)
			}
			var detail map[string]int64
			if err := json.Unmarshal(page.Items[0].Detail, &detail); err != nil {
				t.Fatal(err)
			}
			if detail["version"] != 3 || detail["base"] != 2 || detail["from"] != 1 || len(detail) != 3 {
				t.Fatalf("got detail %v, want version 3, base 2, from 1", detail)
			}
		})
	}
}
