package layout

import (
	"fmt"
	"strings"
	"unicode"
)

// ParamID is the one route parameter: a segment "{id}" makes the route the
// page of one entity ("/tasks/{id}"), whose id the app reads from the path
// and gives to the page's Detail and Form components.
const ParamID = "{id}"

// routeRule is what a route must look like.
const routeRule = `must be "/" followed by segments of letters, digits, "-", "_", "." or "~" separated by "/"`

// checkRoute says what is wrong with a route, or "": it is "/" or "/" and
// segments of letters, digits, "-", "_", ".", "~" joined by "/", one of
// which may be the parameter "{id}".
func checkRoute(r string) string {
	switch {
	case r == "/":
		return ""
	case len(r) > maxRoute:
		return fmt.Sprintf("must be at most %d bytes", maxRoute)
	case !strings.HasPrefix(r, "/"):
		return routeRule
	}
	params := 0
	for _, seg := range strings.Split(r[1:], "/") {
		if seg == ParamID {
			if params++; params > 1 {
				return `must have at most one parameter "{id}"`
			}
			continue
		}
		if strings.ContainsAny(seg, "{}") {
			return `the only route parameter is "{id}", a whole segment`
		}
		if seg == "" || seg == "." || seg == ".." {
			return routeRule
		}
		for _, c := range seg {
			if !unicode.IsLetter(c) && !unicode.IsDigit(c) && !strings.ContainsRune("-_.~", c) {
				return routeRule
			}
		}
	}
	return ""
}

// HasParams reports whether route has a parameter: its page shows one
// entity, and is reached from another page (a grid's row), not from the
// navigation.
func HasParams(route string) bool {
	return strings.Contains(route, ParamID)
}

// maxParam bounds the value of a route parameter.
const maxParam = 200

// matchRoute matches path against the route pattern, returning the value of
// its "{id}" segment ("" when it has none) and whether it matched. A
// parameter matches one non-empty segment of at most 200 bytes.
func matchRoute(pattern, path string) (id string, ok bool) {
	if !HasParams(pattern) {
		return "", pattern == path
	}
	ps := strings.Split(pattern, "/")
	ss := strings.Split(path, "/")
	if len(ps) != len(ss) {
		return "", false
	}
	for i, p := range ps {
		switch {
		case p == ParamID:
			if ss[i] == "" || len(ss[i]) > maxParam {
				return "", false
			}
			id = ss[i]
		case p != ss[i]:
			return "", false
		}
	}
	return id, true
}

// Match returns the page whose route matches path, and the route's
// parameters (nil when it has none): a route without parameters first
// ("/tasks/new" before "/tasks/{id}"), then those with one, in page order.
// It returns nil when no route matches.
func (l *Layout) Match(path string) (*Page, map[string]string) {
	if pg := l.PageByRoute(path); pg != nil && !HasParams(pg.Route) {
		return pg, nil
	}
	for i := range l.Pages {
		if !HasParams(l.Pages[i].Route) {
			continue
		}
		if id, ok := matchRoute(l.Pages[i].Route, path); ok {
			return &l.Pages[i], map[string]string{"id": id}
		}
	}
	return nil, nil
}
