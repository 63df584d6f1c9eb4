package torque

import "encoding/json"

// Change is one difference between two versions of a model, addressed by
// names rather than positions so that it stays meaningful across versions.
//
// Path names the part: "description", "entities/Task",
// "entities/Task/fields/title", "relationships/taskProject", "pages/Tasks",
// "pages/Tasks/components/new-task", "xflows/notify". Op is "add",
// "remove", "update" or "reorder". Before and After hold the part's JSON
// as it was and as it is (absent for an add's Before and a remove's After).
// An entity's or a page's own "update" leaves out its fields or components,
// which get changes of their own; a "reorder" of a list ("entities",
// "entities/Task/fields", "pages", "pages/Tasks/components", …) holds the
// names in their old and new order.
type Change struct {
	Op     string          `json:"op"`
	Path   string          `json:"path"`
	Before json.RawMessage `json:"before,omitempty"`
	After  json.RawMessage `json:"after,omitempty"`
}

// Change operations.
const (
	ChangeAdd     = "add"
	ChangeRemove  = "remove"
	ChangeUpdate  = "update"
	ChangeReorder = "reorder"
)

// Conflict is what a write based on a stale version learns: the current
// version and the changes made since the version it was based on.
type Conflict struct {
	Version int64    `json:"version"`
	Changes []Change `json:"changes"`
}

// EditOp names one fine-grained edit of a model.
type EditOp string

// Edit operations. Update operations take a JSON merge patch (RFC 7386) of
// the part as Value; add operations take the whole part; reorder
// operations take the complete new order of names (or component ids) as
// Order.
const (
	EditSetDescription EditOp = "setDescription" // Value: a JSON string

	EditAddEntity       EditOp = "addEntity"       // Value: an entity type; Index optional
	EditUpdateEntity    EditOp = "updateEntity"    // Entity; Value: patch of name, displayName, permissions
	EditRemoveEntity    EditOp = "removeEntity"    // Entity
	EditReorderEntities EditOp = "reorderEntities" // Order

	EditAddField      EditOp = "addField"      // Entity; Value: a field; Index optional
	EditUpdateField   EditOp = "updateField"   // Entity, Field; Value: patch
	EditRemoveField   EditOp = "removeField"   // Entity, Field
	EditReorderFields EditOp = "reorderFields" // Entity; Order

	EditAddRelationship    EditOp = "addRelationship"    // Value: a relationship
	EditUpdateRelationship EditOp = "updateRelationship" // Relationship; Value: patch
	EditRemoveRelationship EditOp = "removeRelationship" // Relationship

	EditAddPage      EditOp = "addPage"      // Value: a page object with a "name"; Index optional
	EditUpdatePage   EditOp = "updatePage"   // Page; Value: patch
	EditRemovePage   EditOp = "removePage"   // Page
	EditReorderPages EditOp = "reorderPages" // Order

	EditAddComponent      EditOp = "addComponent"      // Page, Parent optional; Value: a component with an "id"; Index optional
	EditUpdateComponent   EditOp = "updateComponent"   // Page, Component; Value: patch
	EditRemoveComponent   EditOp = "removeComponent"   // Page, Component
	EditReorderComponents EditOp = "reorderComponents" // Page, Parent optional; Order

	EditAddFlow    EditOp = "addFlow"    // Value: a flow object with a "name"; Index optional
	EditUpdateFlow EditOp = "updateFlow" // Flow; Value: patch
	EditRemoveFlow EditOp = "removeFlow" // Flow
)

// ModelEdit is one fine-grained edit of a model; see the Edit operations
// for which members each one reads.
type ModelEdit struct {
	Op           EditOp          `json:"op"`
	Entity       string          `json:"entity,omitempty"`
	Field        string          `json:"field,omitempty"`
	Relationship string          `json:"relationship,omitempty"`
	Page         string          `json:"page,omitempty"`
	Component    string          `json:"component,omitempty"` // a component id, anywhere in the page's tree
	Parent       string          `json:"parent,omitempty"`    // a component id; "" is the page's top level
	Flow         string          `json:"flow,omitempty"`
	Index        *int            `json:"index,omitempty"`
	Order        []string        `json:"order,omitempty"`
	Value        json.RawMessage `json:"value,omitempty"`
}
