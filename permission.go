package torque

import (
	"encoding/json"
	"fmt"
)

// Op is an operation on the entities of an entity type.
type Op string

const (
	OpRead   Op = "read"
	OpCreate Op = "create"
	OpUpdate Op = "update"
	OpDelete Op = "delete"
)

// Ops lists every operation in documentation order.
var Ops = []Op{OpRead, OpCreate, OpUpdate, OpDelete}

// Grant is how far an operation is allowed.
type Grant int8

const (
	GrantDefault Grant = iota // in a model: keep the role's default
	GrantNone                 // not allowed; JSON false
	GrantOwn                  // only on records the user created; JSON "own"
	GrantAll                  // allowed; JSON true
)

// MarshalJSON writes true, false or "own".
func (g Grant) MarshalJSON() ([]byte, error) {
	switch g {
	case GrantAll:
		return []byte("true"), nil
	case GrantNone:
		return []byte("false"), nil
	case GrantOwn:
		return []byte(`"own"`), nil
	}
	return nil, fmt.Errorf("grant %d has no JSON form", g)
}

// UnmarshalJSON reads true, false or "own".
func (g *Grant) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "true":
		*g = GrantAll
	case "false":
		*g = GrantNone
	case `"own"`:
		*g = GrantOwn
	default:
		return fmt.Errorf(`grant must be true, false or "own", not %s`, b)
	}
	return nil
}

// OpGrants narrows a role's rights on one entity type. A zero member keeps
// the role's default for that operation.
type OpGrants struct {
	Read   Grant `json:"read,omitempty"`
	Create Grant `json:"create,omitempty"`
	Update Grant `json:"update,omitempty"`
	Delete Grant `json:"delete,omitempty"`
}

func (g *OpGrants) of(op Op) Grant {
	switch op {
	case OpRead:
		return g.Read
	case OpCreate:
		return g.Create
	case OpUpdate:
		return g.Update
	case OpDelete:
		return g.Delete
	}
	return GrantNone
}

func (g *OpGrants) set(op Op, v Grant) {
	switch op {
	case OpRead:
		g.Read = v
	case OpCreate:
		g.Create = v
	case OpUpdate:
		g.Update = v
	case OpDelete:
		g.Delete = v
	}
}

// RoleDefault is what role may do with op on any entity type when the model
// does not narrow it: owners, editors and members everything, viewers read.
func RoleDefault(role Role, op Op) Grant {
	switch role {
	case RoleOwner, RoleEditor, RoleMember:
		return GrantAll
	case RoleViewer:
		if op == OpRead {
			return GrantAll
		}
	}
	return GrantNone
}

// Allows returns how far role may do op on entities of et: GrantAll,
// GrantOwn or GrantNone. Platform admins are not subject to it.
func (et *EntityType) Allows(role Role, op Op) Grant {
	def := RoleDefault(role, op)
	if g := et.Permissions[role]; g != nil && def != GrantNone {
		if v := g.of(op); v != GrantDefault && v < def {
			return v
		}
	}
	return def
}

// validatePermissions checks that every role and operation is known, that
// create takes no "own", and that a model only narrows rights.
func validatePermissions(p *problems, path string, perms map[Role]*OpGrants) {
	for role, g := range perms {
		rp := path + "." + string(role)
		if !role.Valid() {
			p.add(rp, fmt.Sprintf("unknown role %q (roles: owner, editor, member, viewer)", role))
			continue
		}
		if g == nil {
			continue
		}
		for _, op := range Ops {
			v := g.of(op)
			op := string(op)
			switch {
			case v == GrantDefault:
			case v == GrantOwn && op == string(OpCreate):
				p.add(rp+"."+op, `must be true or false: "own" applies to existing records`)
			case v > RoleDefault(role, Op(op)):
				p.add(rp+"."+op, fmt.Sprintf("%s may not %s by default; permissions can only narrow a role's rights", role, op))
			}
		}
	}
}

// grantOf reads a permission value of a model document.
func grantOf(raw json.RawMessage) (Grant, bool) {
	var g Grant
	if err := g.UnmarshalJSON(raw); err != nil {
		return GrantDefault, false
	}
	return g, true
}
