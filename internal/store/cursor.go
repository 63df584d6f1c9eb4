package store

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/torquehq/torque"
)

// A cursor is base64url (unpadded) JSON: the signature of the order it was
// made for and the last row's value of every sort key, id last. The values
// are those the database compared, so the next page resumes exactly there.
type cursor struct {
	Sort   string `json:"s"`
	Values []any  `json:"v"`
}

// maxCursor bounds the length of a cursor accepted from a client.
const maxCursor = 8192

// encodeCursor returns the cursor after e. extra holds the values of the
// data keys (at key indexes idx) as the database returned them.
func encodeCursor(d dialect, keys []sortKey, e *torque.Entity, idx []int, extra []any) string {
	c := cursor{Sort: signature(keys), Values: make([]any, len(keys))}
	for i, k := range keys {
		switch k.col.name {
		case "id":
			c.Values[i] = e.ID
		case "type":
			c.Values[i] = e.Type
		case "version":
			c.Values[i] = e.Version
		case "createdAt":
			c.Values[i] = e.CreatedAt.UnixMicro()
		case "updatedAt":
			c.Values[i] = e.UpdatedAt.UnixMicro()
		case "createdBy":
			c.Values[i] = e.CreatedBy
		}
	}
	for j, i := range idx {
		v := extra[j]
		switch x := v.(type) {
		case []byte:
			v = string(x)
		case string:
			// PostgreSQL returns numeric as text.
			if keys[i].col.kind == kindNumber && d.typed() {
				v = json.Number(x)
			}
		}
		c.Values[i] = v
	}
	b, err := json.Marshal(c)
	if err != nil {
		// Only strings, numbers, booleans and nulls are in c.
		panic(fmt.Sprintf("store: encode cursor: %v", err))
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func invalidCursor(format string, args ...any) error {
	return torque.Invalid("invalid cursor", map[string]string{"cursor": fmt.Sprintf(format, args...)})
}

// decodeCursor checks a cursor against the order keys and returns its
// values bound for the dialect, nil standing for null.
func decodeCursor(d dialect, s string, keys []sortKey) ([]any, error) {
	if len(s) > maxCursor {
		return nil, invalidCursor("too long")
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, invalidCursor("not a cursor of this list")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var c cursor
	if err := dec.Decode(&c); err != nil || dec.More() {
		return nil, invalidCursor("not a cursor of this list")
	}
	if c.Sort != signature(keys) || len(c.Values) != len(keys) {
		return nil, invalidCursor("made for another sort")
	}
	out := make([]any, len(keys))
	for i, k := range keys {
		v, err := cursorArg(d, k.col, c.Values[i])
		if err != nil {
			return nil, invalidCursor("value of %s: %v", k.col.name, err)
		}
		out[i] = v
	}
	return out, nil
}

// cursorArg binds one value of a cursor. System columns have one type on
// both dialects. Data fields have one type per kind on PostgreSQL, whose
// expressions are typed; on SQLite json_extract returns whatever the JSON
// holds, so any scalar is taken as it comes.
func cursorArg(d dialect, col column, v any) (any, error) {
	strict := col.system || d.typed()
	switch x := v.(type) {
	case nil:
		if col.system {
			return nil, fmt.Errorf("null")
		}
		return nil, nil
	case string:
		if strict && col.kind != kindString || !isText(x) {
			return nil, fmt.Errorf("a string")
		}
		return x, nil
	case bool:
		if strict && col.kind != kindBool {
			return nil, fmt.Errorf("a boolean")
		}
		return d.boolArg(x), nil
	case json.Number:
		switch {
		case col.kind == kindTime:
			us, err := strconv.ParseInt(string(x), 10, 64)
			if err != nil {
				return nil, err
			}
			return d.timeArg(time.UnixMicro(us)), nil
		case strict && col.kind != kindNumber:
			return nil, fmt.Errorf("a number")
		}
		return d.cursorNumber(string(x), col.system)
	}
	return nil, fmt.Errorf("not a scalar")
}
