package torque

import (
	"encoding/json"
	"time"
)

// Entity is one record of an application.
type Entity struct {
	ID        string          `json:"id"` // UUIDv7, time-ordered
	Type      string          `json:"type"`
	Data      json.RawMessage `json:"data"` // a JSON object of field values
	Version   int64           `json:"version"`
	CreatedAt time.Time       `json:"createdAt"`
	UpdatedAt time.Time       `json:"updatedAt"`
	// CreatedBy is the ID of the user who created the entity; "" when the
	// system (an operator's command) did.
	CreatedBy string `json:"createdBy"`
	// Related holds entities asked for with EntityQuery.Include, by relation
	// name: one *Entity (or nil) for a single end, []*Entity for a many end.
	Related map[string]any `json:"related,omitempty"`
}

// System attributes of every entity, usable in filters and sorts beside the
// model's fields. Model fields may not take these names.
var SystemFields = []string{"id", "type", "version", "createdAt", "updatedAt", "createdBy"}

// IsSystemField reports whether name is one of SystemFields.
func IsSystemField(name string) bool {
	for _, s := range SystemFields {
		if s == name {
			return true
		}
	}
	return false
}

// Limits on entity lists.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
	MaxIncludes     = 10
)

// EntityQuery selects a page of entities. See docs/filter.md for the filter
// and sort languages.
type EntityQuery struct {
	Filter  string   // e.g. `priority >= 4 and status = "doing"`
	Sort    string   // e.g. "-priority,title"; default "id" (creation order)
	Limit   int      // 1..MaxPageSize; 0 means DefaultPageSize
	Cursor  string   // opaque, from EntityPage.NextCursor
	Count   bool     // also count every matching entity (costs a scan)
	Include []string // relation names whose entities to embed in Related
}

// EntityPage is one page of a list.
type EntityPage struct {
	Items      []*Entity `json:"items"`
	NextCursor string    `json:"nextCursor"` // "" on the last page
	Total      *int64    `json:"total,omitempty"`
}
