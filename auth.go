package torque

import (
	"context"
	"encoding/json"
	"time"
)

// Role is what a user may do in one application. Platform admins
// (User.Admin) may do everything everywhere without a role.
type Role string

const (
	RoleOwner  Role = "owner"  // data, the app's model, and the app's members
	RoleEditor Role = "editor" // data and the app's model
	RoleMember Role = "member" // read and write data
	RoleViewer Role = "viewer" // read data
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleOwner, RoleEditor, RoleMember, RoleViewer}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	switch r {
	case RoleOwner, RoleEditor, RoleMember, RoleViewer:
		return true
	}
	return false
}

// User is a person or agent who signs in.
type User struct {
	ID        string    `json:"id"`    // UUIDv7
	Email     string    `json:"email"` // lower-cased, unique
	Admin     bool      `json:"admin"`
	CreatedAt time.Time `json:"createdAt"`
}

// Token is an API token's metadata; the secret itself is shown only once,
// when it is made, and stored only as a hash.
type Token struct {
	ID         string     `json:"id"` // UUIDv7
	UserID     string     `json:"userId"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"createdAt"`
	ExpiresAt  *time.Time `json:"expiresAt"`  // nil: never
	LastUsedAt *time.Time `json:"lastUsedAt"` // nil: never used; updated at most once a minute
}

// Member is a user's role in one application.
type Member struct {
	App       string    `json:"app"`
	UserID    string    `json:"userId"`
	Email     string    `json:"email"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"createdAt"`
}

// AuditEntry records who did what: sign-ins, model writes, app, member,
// user and token changes.
type AuditEntry struct {
	ID      int64           `json:"id"`
	At      time.Time       `json:"at"`
	ActorID string          `json:"actorId,omitempty"` // "" for the system or an unknown user
	Actor   string          `json:"actor"`             // the actor's email, "system", or the email tried
	Action  string          `json:"action"`            // e.g. "model.update", "auth.login_failed"
	Target  string          `json:"target,omitempty"`  // e.g. "model/TODO", "app/todo"
	Detail  json.RawMessage `json:"detail,omitempty"`  // a JSON object
	IP      string          `json:"ip,omitempty"`
}

// Actor is who a request acts for. Transports authenticate requests and put
// the actor in the context with WithActor; services read it with ActorFrom
// and refuse what it may not do. No actor means anonymous.
type Actor struct {
	UserID  string
	Email   string
	Admin   bool
	TokenID string // the API token the request carried, if any
	// SessionID names the browser session the request carried, if any: the
	// hex of the hash it is stored under (never the secret).
	SessionID string
	IP        string // the client address, for the audit log
}

// SystemActor is the actor of commands run by the operator on the store
// itself (torque init, model import, app create): an admin that is no user.
var SystemActor = &Actor{Email: "system", Admin: true}

type actorKey struct{}

// WithActor returns ctx carrying a.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of ctx, or nil when the request is anonymous.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}

// Credentials are what a client presented: an API token, or a browser
// session's cookie value. At most one is set.
type Credentials struct {
	Token   string // "tq_…" from Authorization: Bearer
	Session string // the session cookie's value
	IP      string // the client address
}

// Session is a signed-in browser session.
type Session struct {
	Secret    string    `json:"-"` // the cookie value; only known right after sign-in
	User      *User     `json:"user"`
	ExpiresAt time.Time `json:"expiresAt"`
}

// NewToken is a token just made: its metadata and its secret, which is
// never shown again.
type NewToken struct {
	Token
	Secret string `json:"token"`
}

// AuditQuery selects a page of the audit log, newest first.
type AuditQuery struct {
	Before int64 // entries with IDs below; 0 means from the newest
	Limit  int   // 1..MaxPageSize; 0 means DefaultPageSize
	Action string
}

// AuditPage is one page of the audit log.
type AuditPage struct {
	Items []*AuditEntry `json:"items"`
	// NextBefore is the Before of the next (older) page; 0 on the last page.
	NextBefore int64 `json:"nextBefore"`
}

// AuthService authenticates users and manages users, sessions, tokens,
// memberships and the audit log.
type AuthService interface {
	// Authenticate returns the actor of credentials, EUNAUTHORIZED when they
	// are malformed, unknown, expired or revoked, and nil with no error when
	// no credentials were given.
	Authenticate(ctx context.Context, c Credentials) (*Actor, error)
	// Login checks an email and password and opens a session. Repeated
	// failures are throttled (ETHROTTLED).
	Login(ctx context.Context, email, password, ip string) (*Session, error)
	// Logout ends the session of secret.
	Logout(ctx context.Context, secret string) error
	Me(ctx context.Context) (*User, error)

	Users(ctx context.Context) ([]*User, error)
	User(ctx context.Context, id string) (*User, error)
	CreateUser(ctx context.Context, email, password string, admin bool) (*User, error)
	// SetPassword changes a user's password and ends the user's sessions.
	SetPassword(ctx context.Context, email, password string) error
	// RevokeSessions ends every session of a user.
	RevokeSessions(ctx context.Context, userID string) error

	Tokens(ctx context.Context) ([]*Token, error)
	CreateToken(ctx context.Context, name string, expires time.Duration) (*NewToken, error)
	DeleteToken(ctx context.Context, id string) error

	Members(ctx context.Context, app string) ([]*Member, error)
	SetMember(ctx context.Context, app, email string, role Role) (*Member, error)
	RemoveMember(ctx context.Context, app, userID string) error

	Audit(ctx context.Context, q AuditQuery) (*AuditPage, error)
}
