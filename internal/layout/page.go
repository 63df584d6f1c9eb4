package layout

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits of a declared page.
const (
	maxPageName  = 200 // characters of a page name
	maxPageTitle = 200 // characters of a page title
	maxRoute     = 200 // bytes of a route
)

// declaredPage reads the page raw at path (pages[i]).
func (b *builder) declaredPage(path string, raw json.RawMessage) Page {
	pg := Page{Components: []Component{}}
	v, err := readValue(raw, path, b.p)
	switch {
	case err != nil:
		b.p.add(path, "must be a JSON object: "+err.Error())
		return pg
	case v.kind != kindObject:
		b.p.add(path, "must be an object")
		return pg
	}
	var (
		hasRoute, hasTitle bool
		components         *value
	)
	b.object(path, v, func(key, p string, val *value) bool {
		switch key {
		case "name":
			pg.Name, _ = b.str(p, val)
		case "route":
			pg.Route, hasRoute = b.str(p, val)
		case "title":
			pg.Title, hasTitle = b.str(p, val)
		case "components":
			components = val
		default:
			return false
		}
		return true
	})

	nameOK := false
	switch {
	case v.get("name") == nil:
		b.p.add(path+".name", "is required")
	case v.get("name").kind != kindString:
	case pg.Name == "":
		b.p.add(path+".name", "must not be empty")
	case utf8.RuneCountInString(pg.Name) > maxPageName:
		b.p.add(path+".name", fmt.Sprintf("must be at most %d characters", maxPageName))
	case strings.HasPrefix(pg.Name, "/"):
		b.p.add(path+".name", `must not start with "/" (routes do)`)
	default:
		nameOK = true
		b.claim(b.pageNames, path+".name", pg.Name, "page name")
	}

	if !hasRoute && v.get("route") == nil && nameOK {
		if k := kebab(pg.Name); k != "" {
			pg.Route = "/" + k
			hasRoute = true
		} else {
			b.p.add(path+".route", "is required: no route can be made from the name "+quote(pg.Name))
		}
	}
	if hasRoute {
		if msg := checkRoute(pg.Route); msg != "" {
			b.p.add(path+".route", msg)
		} else {
			b.claim(b.pageRoutes, path+".route", pg.Route, "route")
		}
	}

	if !hasTitle {
		pg.Title = pg.Name
	} else if utf8.RuneCountInString(pg.Title) > maxPageTitle {
		b.p.add(path+".title", fmt.Sprintf("must be at most %d characters", maxPageTitle))
	}

	if components != nil {
		pc := &pageCheck{b: b, page: pg.Name, ids: map[string]componentID{}, entityPage: hasRoute && HasParams(pg.Route)}
		pg.Components = pc.list(path+".components", components, true)
		pc.resolve()
	}
	return pg
}

// claim records name (at path) in *seen, or reports that an earlier path
// took it.
func (b *builder) claim(seen map[string]string, path, name, what string) {
	if first, dup := seen[name]; dup {
		b.p.add(path, fmt.Sprintf("%s %s is already used by %s", what, quote(name), first))
		return
	}
	seen[name] = path
}

// object calls known for each member of the object v (at path); known
// reads the member and returns true, or returns false for an unknown key.
func (b *builder) object(path string, v *value, known func(key, path string, val *value) bool) {
	for _, m := range v.members {
		p := keyPath(path, m.key)
		if !known(m.key, p, m.val) {
			b.p.add(p, "unknown key")
		}
	}
}

// str returns the string v (at path), or reports that it is not one.
func (b *builder) str(path string, v *value) (string, bool) {
	if v.kind != kindString {
		b.p.add(path, "must be a string")
		return "", false
	}
	return v.text, true
}

// integer returns the whole number v (at path), or reports what it is not.
func (b *builder) integer(path string, v *value) (int, bool) {
	if v.kind != kindNumber {
		b.p.add(path, "must be an integer")
		return 0, false
	}
	n, msg := wholeNumber(v.text)
	if msg != "" {
		b.p.add(path, msg)
		return 0, false
	}
	return n, true
}

// names returns the array of strings v (at path) without the elements
// that are not strings or repeat an earlier one, which it reports, and the
// index in v of each name; ok is false when v is not an array.
func (b *builder) names(path string, v *value) (names []string, at []int, ok bool) {
	if v.kind != kindArray {
		b.p.add(path, "must be an array of strings")
		return nil, nil, false
	}
	names = make([]string, 0, len(v.items))
	at = make([]int, 0, len(v.items))
	seen := make(map[string]bool, len(v.items))
	for i, item := range v.items {
		p := index(path, i)
		s, isStr := b.str(p, item)
		switch {
		case !isStr:
		case seen[s]:
			b.p.add(p, "repeats "+quote(s))
		default:
			seen[s] = true
			names = append(names, s)
			at = append(at, i)
		}
	}
	return names, at, true
}
