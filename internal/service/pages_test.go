package service_test

import (
	"testing"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/storetest"
)

// TestPagesCheckedOnSave: a page the TorqueApp could not build is refused
// when the model is saved, with its path, and nothing is stored.
func TestPagesCheckedOnSave(t *testing.T) {
	f := newFixture(t, storetest.OpenSQLite)
	m, err := f.svc.Model(f.ctx, "Work")
	if err != nil {
		t.Fatal(err)
	}
	m.Pages = append(m.Pages, []byte(`{"name": "Board", "components": [{"id": "grid", "type": "DataGrid", "props": {"entity": "Nope"}}]}`))
	_, err = f.svc.UpdateModel(f.ctx, m)
	wantCode(t, err, torque.EINVALID)
	fields := torque.ErrorFields(err)
	if fields["pages[0].components[0].position"] == "" || fields["pages[0].components[0].props.entity"] == "" {
		t.Fatalf("fields %v, want the position and the entity named", fields)
	}
	if cur, _ := f.svc.Model(f.ctx, "Work"); cur.Version != 1 || len(cur.Pages) != 0 {
		t.Fatalf("a refused model was stored: version %d, %d pages", cur.Version, len(cur.Pages))
	}
}
