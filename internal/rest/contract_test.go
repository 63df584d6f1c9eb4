package rest_test

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// contract checks answers against openapi.json: every status a scenario
// meets must be documented for its operation, and every JSON body must
// match the documented schema. Scenarios thereby keep the document honest.
type contract struct {
	doc      map[string]any
	compiler *jsonschema.Compiler
	schemas  map[string]*jsonschema.Schema
	mu       sync.Mutex
}

const contractURL = "file:///openapi.json"

var (
	theContract     *contract
	theContractErr  error
	theContractOnce sync.Once
)

func loadContract(t *testing.T) *contract {
	t.Helper()
	theContractOnce.Do(func() {
		data, err := os.ReadFile("openapi.json")
		if err != nil {
			theContractErr = err
			return
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			theContractErr = err
			return
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		c.AssertFormat()
		if err := c.AddResource(contractURL, doc); err != nil {
			theContractErr = err
			return
		}
		theContract = &contract{doc: doc.(map[string]any), compiler: c, schemas: map[string]*jsonschema.Schema{}}
	})
	if theContractErr != nil {
		t.Fatalf("openapi.json: %v", theContractErr)
	}
	return theContract
}

// operation finds the documented operation of method and path; it returns
// its JSON pointer, or "" when the document has none (unknown routes).
func (c *contract) operation(method, path string) string {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	segs := strings.Split(path, "/")
	best, bestLiterals := "", -1
	for tmpl, item := range c.doc["paths"].(map[string]any) {
		tsegs := strings.Split(tmpl, "/")
		if len(tsegs) != len(segs) {
			continue
		}
		literals, ok := 0, true
		for i, ts := range tsegs {
			switch {
			case strings.HasPrefix(ts, "{"):
				ok = ok && segs[i] != ""
			case ts == segs[i]:
				literals++
			default:
				ok = false
			}
		}
		if _, has := item.(map[string]any)[strings.ToLower(method)]; ok && has && literals > bestLiterals {
			best, bestLiterals = tmpl, literals
		}
	}
	if best == "" {
		return ""
	}
	return "/paths/" + escapePointer(best) + "/" + strings.ToLower(method)
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func (c *contract) lookup(ptr string) any {
	var cur any = c.doc
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[tok]
	}
	return cur
}

// check validates one answer. It returns what is wrong, or "".
func (c *contract) check(method, path string, status int, contentType, body string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if method == "HEAD" {
		if body != "" {
			return fmt.Sprintf("HEAD %s answered a body", path)
		}
		method, body = "GET", "" // documented as GET; there is no body to check
	}
	var schemaPtr string
	op := c.operation(method, path)
	switch {
	case op == "" || status == 405:
		// Unknown routes and methods answer the common error body.
		schemaPtr = "/components/schemas/Error"
	default:
		respPtr := op + "/responses/" + strconv.Itoa(status)
		resp, ok := c.lookup(respPtr).(map[string]any)
		if !ok {
			return fmt.Sprintf("status %d is not documented for %s %s", status, method, op)
		}
		if ref, ok := resp["$ref"].(string); ok {
			respPtr = strings.TrimPrefix(ref, "#")
			resp = c.lookup(respPtr).(map[string]any)
		}
		content, _ := resp["content"].(map[string]any)
		if content == nil {
			if body != "" {
				return fmt.Sprintf("%s %s %d: documented without a body, answered %q", method, op, status, body)
			}
			return ""
		}
		if _, ok := content["application/json"]; !ok {
			return "" // /metrics: text
		}
		if body == "" && method == "GET" && status < 300 && contentType == "application/json" {
			return "" // HEAD
		}
		if contentType != "application/json" {
			return fmt.Sprintf("%s %s %d: Content-Type %q, documented application/json", method, op, status, contentType)
		}
		schemaPtr = respPtr + "/content/application~1json/schema"
	}
	sch, ok := c.schemas[schemaPtr]
	if !ok {
		var err error
		if sch, err = c.compiler.Compile(contractURL + "#" + schemaPtr); err != nil {
			return fmt.Sprintf("compile %s: %v", schemaPtr, err)
		}
		c.schemas[schemaPtr] = sch
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
	if err != nil {
		return fmt.Sprintf("%s %s %d: body is not JSON: %v", method, path, status, err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Sprintf("%s %s %d: body does not match %s: %v", method, path, status, schemaPtr, err)
	}
	return ""
}
