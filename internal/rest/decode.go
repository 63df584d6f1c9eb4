package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/torquehq/torque"
)

// readBody reads the JSON body of r, refusing other media types (415) and
// bodies over limit bytes (413).
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" && ct != "application/json" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return nil, torque.Errorf(codeMediaType, "Content-Type must be application/json, not %q", ct)
		}
	}
	if r.ContentLength > limit {
		return nil, tooLarge(limit)
	}
	body := http.MaxBytesReader(w, r.Body, limit)
	var b []byte
	var err error
	if r.ContentLength > 0 {
		b = make([]byte, r.ContentLength)
		_, err = io.ReadFull(body, b)
	} else {
		b, err = io.ReadAll(body)
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge(limit)
		}
		return nil, torque.Errorf(torque.EINVALID, "cannot read request body: %v", err)
	}
	return b, nil
}

func tooLarge(limit int64) error {
	return torque.Errorf(torque.ETOOLARGE, "request body must not exceed %d bytes", limit)
}

// jsonSpace is the white space JSON allows around values.
const jsonSpace = " \t\r\n"

// parseObject parses body as one JSON object and returns its members.
func parseObject(body []byte) (map[string]json.RawMessage, error) {
	trimmed := bytes.TrimLeft(body, jsonSpace)
	shift := int64(len(body) - len(trimmed))
	if trimmed = bytes.TrimRight(trimmed, jsonSpace); len(trimmed) == 0 {
		return nil, torque.Errorf(torque.EINVALID, "request body is empty: expected a JSON object")
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &obj); err != nil {
		return nil, jsonError(err, shift)
	}
	if obj == nil {
		return nil, errNotObject
	}
	return obj, nil
}

var errNotObject = torque.Errorf(torque.EINVALID, "body must be a JSON object")

// jsonError describes a failure to parse a request body as JSON. shift is
// the number of bytes skipped before the parsed text began, added to
// offsets so that they count from the start of the body.
func jsonError(err error, shift int64) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// Offset counts the bytes read, the bad one included; report the
		// position of the bad byte itself (0-based).
		offset := syn.Offset
		if strings.HasPrefix(syn.Error(), "invalid character") && offset > 0 {
			offset--
		}
		return torque.Errorf(torque.EINVALID, "invalid JSON at offset %d: %s", offset+shift, syn.Error())
	case errors.As(err, &typ):
		return errNotObject
	}
	return torque.Errorf(torque.EINVALID, "invalid JSON: %v", err)
}

// member is one expected member of a JSON request body.
type member struct {
	name     string
	required bool
	// set decodes a present, non-null value; it returns what is wrong
	// with the value, or "".
	set func(raw json.RawMessage) string
}

func stringMember(name string, dst *string, required bool) member {
	return member{name: name, required: required, set: func(raw json.RawMessage) string {
		if json.Unmarshal(raw, dst) != nil {
			return "must be a string"
		}
		return ""
	}}
}

func boolMember(name string, dst *bool) member {
	return member{name: name, set: func(raw json.RawMessage) string {
		if json.Unmarshal(raw, dst) != nil {
			return "must be true or false"
		}
		return ""
	}}
}

func versionMember(name string, dst *int64) member {
	return member{name: name, required: true, set: func(raw json.RawMessage) string {
		if json.Unmarshal(raw, dst) != nil || *dst < 1 {
			return "must be a positive integer"
		}
		return ""
	}}
}

func objectMember(name string, dst *json.RawMessage, required bool) member {
	return member{name: name, required: required, set: func(raw json.RawMessage) string {
		if len(raw) == 0 || raw[0] != '{' {
			return "must be a JSON object"
		}
		*dst = raw
		return ""
	}}
}

// decodeMembers parses body as a JSON object with exactly the given
// members: unknown members, missing required ones and values of the wrong
// type are refused with EINVALID naming each of them. A null value counts
// as absent.
func decodeMembers(body []byte, members ...member) error {
	obj, err := parseObject(body)
	if err != nil {
		return err
	}
	var fields map[string]string
	problem := func(name, text string) {
		if fields == nil {
			fields = make(map[string]string)
		}
		fields[name] = text
	}
	for name := range obj {
		known := false
		for _, m := range members {
			known = known || m.name == name
		}
		if !known {
			problem(name, "unknown field")
		}
	}
	for _, m := range members {
		raw, ok := obj[m.name]
		if !ok || string(raw) == "null" {
			if m.required {
				problem(m.name, "is required")
			}
			continue
		}
		if text := m.set(raw); text != "" {
			problem(m.name, text)
		}
	}
	if fields != nil {
		return torque.Invalid("invalid request body", fields)
	}
	return nil
}

// checkQuery refuses query strings that cannot be parsed or hold a
// parameter outside allowed or a parameter more than once.
func checkQuery(rawQuery string, allowed []string) (url.Values, error) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, torque.Errorf(torque.EINVALID, "invalid query string: %v", err)
	}
	var fields map[string]string
	for name, values := range q {
		text := ""
		switch {
		case !contains(allowed, name):
			text = "unknown parameter"
			if len(allowed) > 0 {
				text += "; allowed: " + strings.Join(allowed, ", ")
			}
		case len(values) > 1:
			text = "must be given once"
		default:
			continue
		}
		if fields == nil {
			fields = make(map[string]string)
		}
		fields[name] = text
	}
	if fields != nil {
		return nil, torque.Invalid("invalid query parameters", fields)
	}
	return q, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// listParams are the query parameters of every entity list.
var listParams = []string{"filter", "sort", "limit", "cursor", "count", "include"}

// limitProblem is the refusal of a bad limit parameter.
var limitProblem = fmt.Sprintf("must be an integer from 1 to %d", torque.MaxPageSize)

// listQuery reads the list parameters of r, already checked by checkQuery.
func listQuery(r *http.Request) (torque.EntityQuery, error) {
	var q torque.EntityQuery
	if r.URL.RawQuery == "" {
		return q, nil
	}
	v := r.URL.Query()
	q.Filter = v.Get("filter")
	q.Sort = v.Get("sort")
	q.Cursor = v.Get("cursor")
	var fields map[string]string
	problem := func(name, text string) {
		if fields == nil {
			fields = make(map[string]string)
		}
		fields[name] = text
	}
	if s, ok := v["limit"]; ok {
		n, err := strconv.Atoi(s[0])
		if err != nil || n < 1 || n > torque.MaxPageSize {
			problem("limit", limitProblem)
		}
		q.Limit = n
	}
	if s, ok := v["count"]; ok {
		switch s[0] {
		case "true":
			q.Count = true
		case "false":
		default:
			problem("count", "must be true or false")
		}
	}
	if s := v.Get("include"); s != "" {
		for _, name := range strings.Split(s, ",") {
			name = strings.TrimSpace(name)
			if name == "" {
				problem("include", "must be a comma-separated list of relation names")
				break
			}
			q.Include = append(q.Include, name)
		}
	}
	if fields != nil {
		return q, torque.Invalid("invalid query parameters", fields)
	}
	return q, nil
}

// versionParam reads the optional version query parameter: 0 when absent.
func versionParam(r *http.Request) (int64, error) {
	if r.URL.RawQuery == "" {
		return 0, nil
	}
	s, ok := r.URL.Query()["version"]
	if !ok {
		return 0, nil
	}
	v, err := strconv.ParseInt(s[0], 10, 64)
	if err != nil || v < 1 {
		return 0, torque.Invalid("invalid query parameters", map[string]string{"version": "must be a positive integer"})
	}
	return v, nil
}
