package torque

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Error codes shared by every service. Each transport maps them to its own
// vocabulary in exactly one table (HTTP status, JSON-RPC code, GraphQL code).
const (
	ECONFLICT     = "ECONFLICT"     // stale version, duplicate name, restrict violation
	EINTERNAL     = "EINTERNAL"     // a fault of ours; details are logged, never shown
	EINVALID      = "EINVALID"      // bad input; Fields says which parts
	ENOTFOUND     = "ENOTFOUND"     // the thing named does not exist
	ETOOLARGE     = "ETOOLARGE"     // body, page or batch over its limit
	ETIMEOUT      = "ETIMEOUT"      // the work ran past its time limit and was stopped
	EUNAUTHORIZED = "EUNAUTHORIZED" // no or bad credentials
	EFORBIDDEN    = "EFORBIDDEN"    // credentials fine, rights missing
	ETHROTTLED    = "ETHROTTLED"    // too many requests or failed sign-ins; RetryAfter says when to come back
)

// Error is the one error type services return to transports.
type Error struct {
	Code    string
	Message string
	// Fields maps a field or path ("title", "entities[0].fields[2].type")
	// to what is wrong with it.
	Fields map[string]string
	// RetryAfter, on ETHROTTLED, is how long the client should wait.
	RetryAfter time.Duration
	// Conflict, on an ECONFLICT caused by a stale model version, holds the
	// current version and what changed since the base.
	Conflict *Conflict
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("torque error: code=%s message=%s", e.Code, e.Message)
	}
	return fmt.Sprintf("torque error: code=%s message=%s fields=%s", e.Code, e.Message, e.FieldList())
}

// FieldList renders Fields as "path: problem" lines in a stable order.
func (e *Error) FieldList() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(k)
		b.WriteString(": ")
		b.WriteString(e.Fields[k])
	}
	return b.String()
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error carrying per-field problems.
func Invalid(message string, fields map[string]string) *Error {
	return &Error{Code: EINVALID, Message: message, Fields: fields}
}

// ErrorCode returns the code of err when it is (or wraps) an *Error, and
// EINTERNAL for any other non-nil error.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	} else if errors.Is(err, context.DeadlineExceeded) {
		return ETIMEOUT
	}
	return EINTERNAL
}

// ErrorMessage returns the human message of err. Internal errors are never
// shown to clients: they read "internal error".
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	} else if errors.Is(err, context.DeadlineExceeded) {
		return "the request ran past its time limit and was stopped"
	}
	return "internal error"
}

// ErrorFields returns the per-field problems of err, if any.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// ErrorRetryAfter returns how long the client of a throttled request should
// wait (zero for other errors).
func ErrorRetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// ErrorConflict returns the stale-version details of err, if any.
func ErrorConflict(err error) *Conflict {
	var e *Error
	if errors.As(err, &e) {
		return e.Conflict
	}
	return nil
}
