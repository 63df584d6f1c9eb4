package graphql

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/bus"
)

// Codes of errors the transport makes itself, beside those of codeOf and
// gqlgen's own (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED,
// COMPLEXITY_LIMIT_EXCEEDED, PERSISTED_QUERY_NOT_FOUND).
const (
	// codeResync ends a subscription that missed events: the client
	// subscribes again after the last seq it received, or reloads.
	codeResync = "RESYNC"
	// codeDepth refuses an operation nested deeper than the limit.
	codeDepth = "DEPTH_LIMIT_EXCEEDED"
	// codeComplexity is the code of gqlgen's complexity limit.
	codeComplexity = "COMPLEXITY_LIMIT_EXCEEDED"
	codeInternal   = "INTERNAL"
	// codeBadRequest refuses a request the transport could not read.
	codeBadRequest = "BAD_REQUEST"
)

// isGraphQLError reports whether err is a GraphQL error as gqlgen makes
// them, not one of a resolver.
func isGraphQLError(err error) bool {
	var e *gqlerror.Error
	return errors.As(err, &e)
}

// clip shortens s to at most n bytes, on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// codeOf is the one table from torque error codes to the extensions.code
// of GraphQL errors.
var codeOf = map[string]string{
	torque.ECONFLICT:     "CONFLICT",
	torque.EINVALID:      "BAD_USER_INPUT",
	torque.ENOTFOUND:     "NOT_FOUND",
	torque.EFORBIDDEN:    "FORBIDDEN",
	torque.EUNAUTHORIZED: "UNAUTHENTICATED",
	torque.ETHROTTLED:    "THROTTLED",
	torque.ETOOLARGE:     "TOO_LARGE",
	torque.ETIMEOUT:      "TIMEOUT",
	torque.EINTERNAL:     codeInternal,
}

// errPanic is what a recovered panic becomes; it was logged when caught.
var errPanic = errors.New("panic in resolver")

// present is gqlgen's error presenter: it turns any error into the GraphQL
// error the client sees. Errors of the services get the code of codeOf and,
// as extensions, their per-field problems and, for stale versions, the
// conflict; errors gqlgen coded itself (parse, validation, limits) pass as
// they are; anything else is a fault of ours, logged here once and shown as
// "internal error".
func (h *Handler) present(ctx context.Context, err error) *gqlerror.Error {
	gqlErr := graphql.DefaultErrorPresenter(ctx, err)
	var te *torque.Error
	switch {
	case errors.Is(err, bus.ErrLagged), errors.Is(err, bus.ErrResync), errors.Is(err, bus.ErrClosed):
		gqlErr.Message = resyncMessage(err)
		setCode(gqlErr, codeResync)
	case errors.As(err, &te) || errors.Is(err, context.DeadlineExceeded):
		code := torque.ErrorCode(err)
		gqlCode, known := codeOf[code]
		if !known || code == torque.EINTERNAL {
			return h.internal(ctx, gqlErr, err)
		}
		gqlErr.Message = torque.ErrorMessage(err)
		setCode(gqlErr, gqlCode)
		if fields := torque.ErrorFields(err); len(fields) > 0 {
			gqlErr.Extensions["fields"] = fields
		}
		if c := torque.ErrorConflict(err); c != nil {
			if c.Changes == nil {
				c.Changes = []torque.Change{}
			}
			gqlErr.Extensions["conflict"] = c
		}
		if wait := torque.ErrorRetryAfter(err); wait > 0 {
			gqlErr.Extensions["retryAfter"] = int64((wait + time.Second - 1) / time.Second)
		}
	case gqlErr.Extensions["code"] != nil && gqlErr.Err == nil:
		// Coded by gqlgen or by the limits of this package.
	case gqlErr.Err == nil && isGraphQLError(err):
		// Made by gqlgen's transports without a code: a request they could
		// not read (a body that is not JSON, variables that are not an
		// object). The message may quote the whole body: keep its start.
		gqlErr.Message = clip(gqlErr.Message, 200)
		setCode(gqlErr, codeBadRequest)
	default:
		return h.internal(ctx, gqlErr, err)
	}
	return gqlErr
}

// internal logs err (unless it was a panic, logged already) and hides it.
func (h *Handler) internal(ctx context.Context, gqlErr *gqlerror.Error, err error) *gqlerror.Error {
	switch {
	case errors.Is(err, errPanic):
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		h.logger.DebugContext(ctx, "graphql request canceled by the client", "path", gqlErr.Path.String())
	default:
		h.logger.ErrorContext(ctx, "internal error", "err", err, "transport", "graphql", "path", gqlErr.Path.String())
	}
	out := &gqlerror.Error{Message: "internal error", Path: gqlErr.Path, Locations: gqlErr.Locations}
	setCode(out, codeInternal)
	return out
}

func setCode(e *gqlerror.Error, code string) {
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
}

// resyncMessage tells the client of a subscription ending with RESYNC what
// to do: the service's own words when it said more than the bus.
func resyncMessage(err error) string {
	switch {
	case err != bus.ErrLagged && err != bus.ErrResync && err != bus.ErrClosed:
		return err.Error()
	case errors.Is(err, bus.ErrLagged):
		return "subscription fell behind the changes and was ended: subscribe again with after set to the last seq received"
	case errors.Is(err, bus.ErrClosed):
		return "the server is shutting down: subscribe again with after set to the last seq received"
	}
	return "the changes after the given seq are no longer available: reload, then subscribe again"
}

// recoverPanic is gqlgen's recover func: a resolver's panic is logged with
// its stack and becomes an internal error.
func (h *Handler) recoverPanic(ctx context.Context, v any) error {
	h.logger.ErrorContext(ctx, "panic in graphql resolver",
		"panic", fmt.Sprint(v), "path", graphql.GetPath(ctx).String(), "stack", string(debug.Stack()))
	return errPanic
}
