package jsonrpc

import "encoding/json"

// request is a valid request object.
type request struct {
	method string
	params json.RawMessage // nil when absent
	id     json.RawMessage // nil for a notification
}

var null = json.RawMessage("null")

// parseRequest reads the request object b, a valid JSON value. When b is
// not a valid request it returns ok false, and req.id is the id to answer
// with: the request's own when it has a valid one, null otherwise.
//
// A valid request object has "jsonrpc": "2.0", a string "method", "params"
// absent or an object or an array, and "id" absent (a notification) or a
// string, a number or null. Other members are ignored; a member named above
// that appears twice makes the request invalid (and a second "id" makes its
// id unknown).
func parseRequest(b []byte) (req request, ok bool) {
	if b[0] != '{' {
		return request{id: null}, false
	}
	var version, method, params, id []byte
	dup, dupID := false, false
	objectMembers(b, func(name string, v []byte) {
		var slot *[]byte
		switch name {
		case "jsonrpc":
			slot = &version
		case "method":
			slot = &method
		case "params":
			slot = &params
		case "id":
			slot = &id
			dupID = id != nil
		default:
			return
		}
		dup = dup || *slot != nil
		*slot = v
	})

	ok = !dup
	switch {
	case id == nil:
		// A notification, when the rest is valid; an invalid request
		// without an id is answered with id null.
	case dupID:
		req.id, ok = null, false
	case id[0] == '"' || id[0] == 'n' || id[0] == '-' || '0' <= id[0] && id[0] <= '9':
		req.id = id
	default: // an object, an array or a boolean
		req.id, ok = null, false
	}
	if version == nil || version[0] != '"' || unquote(version) != "2.0" {
		ok = false
	}
	if method != nil && method[0] == '"' {
		req.method = unquote(method)
	} else {
		ok = false
	}
	if params != nil && params[0] != '{' && params[0] != '[' {
		ok = false
	}
	req.params = params
	if !ok && req.id == nil {
		req.id = null
	}
	return req, ok
}
