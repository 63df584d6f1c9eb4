package torque

import (
	"encoding/json"
	"testing"
)

func TestEntityTypeAllows(t *testing.T) {
	m, err := ParseModel([]byte(`{"name": "a", "entities": [
		{"name": "Plain"},
		{"name": "Narrow", "permissions": {
			"member": {"read": "own", "update": "own", "delete": false, "create": true},
			"viewer": {"read": false},
			"editor": {"delete": "own"}
		}}
	]}`))
	if err != nil {
		t.Fatal(err)
	}
	plain, narrow := m.EntityType("Plain"), m.EntityType("Narrow")
	tests := []struct {
		et   *EntityType
		role Role
		op   Op
		want Grant
	}{
		{plain, RoleOwner, OpDelete, GrantAll},
		{plain, RoleEditor, OpUpdate, GrantAll},
		{plain, RoleMember, OpCreate, GrantAll},
		{plain, RoleViewer, OpRead, GrantAll},
		{plain, RoleViewer, OpCreate, GrantNone},
		{plain, RoleViewer, OpUpdate, GrantNone},
		{plain, RoleViewer, OpDelete, GrantNone},
		{plain, Role("guest"), OpRead, GrantNone},
		{narrow, RoleMember, OpRead, GrantOwn},
		{narrow, RoleMember, OpCreate, GrantAll},
		{narrow, RoleMember, OpUpdate, GrantOwn},
		{narrow, RoleMember, OpDelete, GrantNone},
		{narrow, RoleViewer, OpRead, GrantNone},
		{narrow, RoleEditor, OpDelete, GrantOwn},
		{narrow, RoleEditor, OpRead, GrantAll},
		{narrow, RoleOwner, OpDelete, GrantAll},
	}
	for _, tt := range tests {
		if got := tt.et.Allows(tt.role, tt.op); got != tt.want {
			t.Errorf("%s: %s %s = %d, want %d", tt.et.Name, tt.role, tt.op, got, tt.want)
		}
	}
}

func TestPermissionsRoundTrip(t *testing.T) {
	doc := `{"name": "a", "entities": [{"name": "A", "permissions": {"member": {"read": "own", "create": false, "update": true}, "viewer": {}}}]}`
	m, err := ParseModel([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	m.Normalize()
	out, err := json.Marshal(m.Entities[0].Permissions)
	if err != nil {
		t.Fatal(err)
	}
	// The empty viewer entry narrows nothing and is dropped.
	if want := `{"member":{"read":"own","create":false,"update":true}}`; string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
	var g Grant
	if err := g.UnmarshalJSON([]byte(`"all"`)); err == nil {
		t.Error(`UnmarshalJSON("all"): got no error`)
	}
}
