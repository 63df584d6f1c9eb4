package torque

import (
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"testing"
)

var updateShared = flag.Bool("update-shared", false, "rewrite the expected results in testdata/model_edits.json")

// sharedEdits are the edit cases the Model Editor's own implementation of
// the edits (web/editor/src/model/edits.ts) is tested against too: a base
// document, and for each case the edits, the path of the part they touch
// as DiffModels names it, and the document ApplyEdits makes (written by
// -update-shared, read by both test suites).
type sharedEdits struct {
	Base  json.RawMessage `json:"base"`
	Cases []struct {
		Name  string          `json:"name"`
		Edits json.RawMessage `json:"edits"`
		Path  string          `json:"path"`
		After json.RawMessage `json:"after,omitempty"`
	} `json:"cases"`
}

const sharedEditsFile = "testdata/model_edits.json"

func TestSharedEditCases(t *testing.T) {
	b, err := os.ReadFile(sharedEditsFile)
	if err != nil {
		t.Fatal(err)
	}
	var shared sharedEdits
	if err := json.Unmarshal(b, &shared); err != nil {
		t.Fatal(err)
	}
	for i := range shared.Cases {
		c := &shared.Cases[i]
		t.Run(c.Name, func(t *testing.T) {
			before, err := ParseModel(shared.Base)
			if err != nil {
				t.Fatalf("the base: %v", err)
			}
			after, err := ParseModel(shared.Base)
			if err != nil {
				t.Fatal(err)
			}
			if err := after.ApplyEdits(parseEdits(t, string(c.Edits))); err != nil {
				t.Fatalf("ApplyEdits: %v", err)
			}
			found := false
			for _, ch := range DiffModels(before, after) {
				found = found || ch.Path == c.Path
			}
			if !found {
				t.Errorf("DiffModels has no change at %q: %+v", c.Path, DiffModels(before, after))
			}
			got := documentParts(t, after)
			if *updateShared {
				c.After = got
				return
			}
			if !sameJSON(t, got, c.After) {
				t.Errorf("after the edits:\n got %s\nwant %s", got, c.After)
			}
		})
	}
	if *updateShared {
		out, err := json.MarshalIndent(shared, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(sharedEditsFile, append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// documentParts is m as a document without the members storage adds (id,
// version, times), as the editor holds it.
func documentParts(t *testing.T, m *Model) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(struct {
		Name          string            `json:"name"`
		Description   string            `json:"description,omitempty"`
		Entities      []EntityType      `json:"entities"`
		Relationships []Relationship    `json:"relationships"`
		Pages         []json.RawMessage `json:"pages"`
		XFlows        []json.RawMessage `json:"xflows"`
	}{m.Name, m.Description, m.Entities, m.Relationships, m.Pages, m.XFlows})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sameJSON(t *testing.T, a, b json.RawMessage) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if len(b) == 0 {
		return false
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(x, y)
}
