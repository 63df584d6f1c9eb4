package rest

import (
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/auth"
)

// SessionCookie is the name of the browser session cookie.
const SessionCookie = "torque_session"

// publicRoutes answer anonymous requests; every other route (and every
// unknown path) answers them 401.
var publicRoutes = map[string]bool{
	"GET /healthz":             true,
	"GET /readyz":              true,
	"POST /api/v1/auth/login":  true,
	"POST /api/v1/auth/logout": true,
	webAppRoute:                true, // the app's page and files; its data needs sign-in
	editorRoute:                true, // the editor's page and files; its data needs sign-in
}

// authenticate finds who r acts for, from an Authorization: Bearer token or
// else the session cookie, and returns r carrying that actor. A request
// carried by the cookie that changes state, or that opens a WebSocket
// (upgrade), must come from our own origin (or an allowed one): browsers
// send cookies on cross-site WebSocket handshakes, and the connection then
// acts for the user. On public routes, bad or missing credentials leave the
// request anonymous instead of failing it.
func (s *server) authenticate(r *http.Request, public, upgrade bool) (*http.Request, error) {
	c := torque.Credentials{IP: s.clientIP(r)}
	if h := r.Header.Get("Authorization"); h != "" {
		token, ok := auth.ParseBearer(h)
		if !ok {
			if public {
				return r, nil
			}
			return r, torque.Errorf(torque.EUNAUTHORIZED, `malformed Authorization header: expected "Bearer <API token>"`)
		}
		c.Token = token
	} else if ck, err := r.Cookie(SessionCookie); err == nil {
		c.Session = ck.Value
		if !safeMethod(r.Method) || upgrade {
			if err := s.checkOrigin(r, true); err != nil {
				return r, err
			}
		}
	}
	if c.Token == "" && c.Session == "" {
		if public {
			return r, nil
		}
		return r, errAnonymous
	}
	a, err := s.auth.Authenticate(r.Context(), c)
	switch {
	case public && (err != nil || a == nil):
		return r, nil
	case err != nil:
		return r, err
	case a == nil:
		return r, errAnonymous
	}
	return r.WithContext(torque.WithActor(r.Context(), a)), nil
}

var errAnonymous = torque.Errorf(torque.EUNAUTHORIZED, "sign in or send an API token (Authorization: Bearer …)")

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// checkOrigin refuses a request whose Origin (or, without one, Referer) is
// neither this server nor one of the allowed origins. required says whether
// a request without either is refused too.
func (s *server) checkOrigin(r *http.Request, required bool) error {
	origin := r.Header.Get("Origin")
	if origin == "" {
		if ref, err := url.Parse(r.Referer()); err == nil && ref.Host != "" {
			origin = ref.Scheme + "://" + ref.Host
		}
	}
	if origin == "" {
		if !required {
			return nil
		}
		return torque.Errorf(torque.EFORBIDDEN, "cross-site request refused: a write signed in by cookie needs an Origin header")
	}
	if contains(s.allowedOrigins, origin) {
		return nil
	}
	if u, err := url.Parse(origin); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host == r.Host && u.Path == "" {
		return nil
	}
	return torque.Errorf(torque.EFORBIDDEN, "cross-site request refused: origin %q is not allowed", origin)
}

// clientIP is the address the request came from: the peer's address, or,
// when the peer is a trusted proxy, the last address in X-Forwarded-For that
// is not a trusted proxy itself (addresses further left are the client's
// own claims and may be forged).
func (s *server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if len(s.trustedProxies) == 0 || !s.trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if _, err := netip.ParseAddr(hop); err != nil {
			break // malformed: trust nothing beyond the proxy
		}
		if !s.trusted(hop) {
			return hop
		}
		host = hop
	}
	return host
}

// trusted reports whether addr is in one of the trusted proxy networks.
func (s *server) trusted(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range s.trustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// rateKey is whom a request counts against in the rate limit: its token,
// its user, or its address.
func (s *server) rateKey(r *http.Request) string {
	if a := torque.ActorFrom(r.Context()); a != nil {
		if a.TokenID != "" {
			return "token:" + a.TokenID
		}
		if a.UserID != "" {
			return "user:" + a.UserID
		}
	}
	return "ip:" + s.clientIP(r)
}

// secure reports whether cookies must be marked Secure: the request came
// over TLS, or the server is configured to say so (behind a TLS proxy).
func (s *server) secure(r *http.Request) bool {
	return r.TLS != nil || s.secureCookies
}

// sessionBody is the answer to a sign-in.
type sessionBody struct {
	User      *torque.User `json:"user"`
	ExpiresAt string       `json:"expiresAt"`
}

// login checks {"email", "password"} and sets the session cookie.
func (s *server) login(w http.ResponseWriter, r *http.Request) {
	if err := s.checkOrigin(r, false); err != nil {
		s.writeError(w, r, err)
		return
	}
	body, err := readBody(w, r, s.maxBody)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var email, password string
	if err := decodeMembers(body, stringMember("email", &email, true), stringMember("password", &password, true)); err != nil {
		s.writeError(w, r, err)
		return
	}
	sess, err := s.auth.Login(r.Context(), email, password, s.clientIP(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name:     SessionCookie,
		Value:    sess.Secret,
		Path:     "/",
		Expires:  sess.ExpiresAt,
		HttpOnly: true,
		Secure:   s.secure(r),
		SameSite: http.SameSiteLaxMode,
	})
	s.writeJSON(w, http.StatusOK, sessionBody{User: sess.User, ExpiresAt: torque.FormatDateTime(sess.ExpiresAt)})
}

// logout ends the session of the cookie, if any, and clears the cookie.
func (s *server) logout(w http.ResponseWriter, r *http.Request) {
	if ck, err := r.Cookie(SessionCookie); err == nil {
		if err := s.auth.Logout(r.Context(), ck.Value); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode,
	})
	noContent(w)
}

func (s *server) me(w http.ResponseWriter, r *http.Request) {
	u, err := s.auth.Me(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, u)
}

// setPassword changes the signed-in user's password from {"password"}; it
// ends every session of the user, this one included.
func (s *server) setPassword(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, s.maxBody)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var password string
	if err := decodeMembers(body, stringMember("password", &password, true)); err != nil {
		s.writeError(w, r, err)
		return
	}
	a := torque.ActorFrom(r.Context())
	if err := s.auth.SetPassword(r.Context(), a.Email, password); err != nil {
		s.writeError(w, r, err)
		return
	}
	noContent(w)
}

func (s *server) listTokens(w http.ResponseWriter, r *http.Request) {
	ts, err := s.auth.Tokens(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, newList(ts))
}

// createToken makes an API token from {"name", "expires"}; the answer holds
// the secret, which is never shown again.
func (s *server) createToken(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, s.maxBody)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var name, expires string
	if err := decodeMembers(body, stringMember("name", &name, true), stringMember("expires", &expires, false)); err != nil {
		s.writeError(w, r, err)
		return
	}
	d, err := auth.ParseExpiry(expires)
	if err != nil {
		s.writeError(w, r, torque.Invalid("invalid token", map[string]string{"expires": err.Error()}))
		return
	}
	t, err := s.auth.CreateToken(r.Context(), name, d)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeCreated(w, "/api/v1/tokens/"+url.PathEscape(t.ID), t)
}

func (s *server) deleteToken(w http.ResponseWriter, r *http.Request) {
	if err := s.auth.DeleteToken(r.Context(), r.PathValue("id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	noContent(w)
}

func (s *server) listUsers(w http.ResponseWriter, r *http.Request) {
	us, err := s.auth.Users(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, newList(us))
}

func (s *server) getUser(w http.ResponseWriter, r *http.Request) {
	u, err := s.auth.User(r.Context(), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, u)
}

// createUser adds a user from {"email", "password", "admin"}.
func (s *server) createUser(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, s.maxBody)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var email, password string
	var isAdmin bool
	if err := decodeMembers(body, stringMember("email", &email, true), stringMember("password", &password, true),
		boolMember("admin", &isAdmin)); err != nil {
		s.writeError(w, r, err)
		return
	}
	u, err := s.auth.CreateUser(r.Context(), email, password, isAdmin)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeCreated(w, "/api/v1/users/"+url.PathEscape(u.ID), u)
}

func (s *server) revokeSessions(w http.ResponseWriter, r *http.Request) {
	if err := s.auth.RevokeSessions(r.Context(), r.PathValue("id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	noContent(w)
}

func (s *server) listMembers(w http.ResponseWriter, r *http.Request) {
	ms, err := s.auth.Members(r.Context(), r.PathValue("app"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, newList(ms))
}

// setMember grants or changes a role from {"email", "role"}.
func (s *server) setMember(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, s.maxBody)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var email, role string
	if err := decodeMembers(body, stringMember("email", &email, true), stringMember("role", &role, true)); err != nil {
		s.writeError(w, r, err)
		return
	}
	m, err := s.auth.SetMember(r.Context(), r.PathValue("app"), email, torque.Role(role))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, m)
}

func (s *server) removeMember(w http.ResponseWriter, r *http.Request) {
	if err := s.auth.RemoveMember(r.Context(), r.PathValue("app"), r.PathValue("userId")); err != nil {
		s.writeError(w, r, err)
		return
	}
	noContent(w)
}

func (s *server) auditLog(w http.ResponseWriter, r *http.Request) {
	var aq torque.AuditQuery
	fields := map[string]string{}
	q := r.URL.Query()
	if v, ok := q["before"]; ok {
		n, err := strconv.ParseInt(v[0], 10, 64)
		if err != nil || n < 1 {
			fields["before"] = "must be a positive integer (the nextBefore of the previous page)"
		}
		aq.Before = n
	}
	if v, ok := q["limit"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 1 || n > torque.MaxPageSize {
			fields["limit"] = limitProblem
		}
		aq.Limit = n
	}
	aq.Action = q.Get("action")
	if len(fields) > 0 {
		s.writeError(w, r, torque.Invalid("invalid query parameters", fields))
		return
	}
	page, err := s.auth.Audit(r.Context(), aq)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, page)
}
