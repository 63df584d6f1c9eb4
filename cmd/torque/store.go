package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/server"
	"github.com/torquehq/torque/internal/service"
)

// Commands other than serve and bench work on the store itself (--data or
// --db), with or without a running server. Whoever runs them can read the
// store anyway, so they act as torque.SystemActor, a platform admin.

// operatorContext returns ctx acting as the operator of the store.
func operatorContext(ctx context.Context) context.Context {
	return torque.WithActor(ctx, torque.SystemActor)
}

// withService opens storage, runs fn with a service over it and a context
// acting as the operator, and closes storage.
func withService(cmd *cobra.Command, c *cli, fn func(context.Context, *service.Service) error) error {
	db, err := server.OpenStore(cmd.Context(), c.cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(operatorContext(cmd.Context()), service.New(db, service.Options{Logger: c.logger}))
}

// ensureAdmin makes the first admin when the store has no user, and then
// prints its password, once, on out: the store keeps only its hash. The
// password never goes to the log.
func ensureAdmin(ctx context.Context, out io.Writer, svc *service.Service) error {
	password, err := svc.EnsureAdmin(operatorContext(ctx))
	if err != nil {
		return fmt.Errorf("create the first admin: %w", describe(err))
	}
	if password == "" {
		return nil
	}
	email := service.FirstAdminEmail
	fmt.Fprintf(out, "admin user created: %s\n", email)
	fmt.Fprintf(out, "  password: %s   (shown only now; change it with `torque user passwd --email %s`)\n", password, email)
	return nil
}

// describe turns a service error into a message for a terminal, listing the
// problems of every field.
func describe(err error) error {
	if fields := torque.ErrorFields(err); len(fields) > 0 {
		return fmt.Errorf("%s\n  %s", torque.ErrorMessage(err), (&torque.Error{Fields: fields}).FieldList())
	}
	if torque.ErrorCode(err) == torque.EINTERNAL {
		return err
	}
	return fmt.Errorf("%s", torque.ErrorMessage(err))
}
