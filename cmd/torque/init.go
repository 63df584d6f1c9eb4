package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/examples/todo"
	"github.com/torquehq/torque/internal/server"
	"github.com/torquehq/torque/internal/service"
)

func newInitCmd(c *cli) *cobra.Command {
	var example string
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create the data directory and database, optionally with an example app",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if example != "" && example != "todo" {
				return fmt.Errorf("--example: unknown example %q (known: todo)", example)
			}
			ctx := cmd.Context()
			db, err := server.OpenStore(ctx, c.cfg)
			if err != nil {
				return err
			}
			defer db.Close()
			fmt.Fprintf(cmd.OutOrStdout(), "database ready (%s)\n", db.Dialect())
			if example == "" {
				return nil
			}
			svc := service.New(db, service.Options{Logger: c.logger})
			return installExample(ctx, cmd.OutOrStdout(), svc, todo.Model, todo.AppName)
		},
	}
	cmd.Flags().StringVar(&example, "example", "", `also install an example: "todo" (the model TODO and an app todo made from it); does nothing when they exist`)
	return cmd
}

// installExample imports an example model and creates its app, unless they
// already exist: running it again changes nothing.
func installExample(ctx context.Context, out io.Writer, svc *service.Service, doc []byte, appName string) error {
	m, err := torque.ParseModel(doc)
	if err != nil {
		return fmt.Errorf("example model: %w", err)
	}
	switch _, err := svc.Model(ctx, m.Name); torque.ErrorCode(err) {
	case "":
		fmt.Fprintf(out, "model %s already exists\n", m.Name)
	case torque.ENOTFOUND:
		if _, err := svc.ImportModel(ctx, m); err != nil {
			return fmt.Errorf("import example model: %w", err)
		}
		fmt.Fprintf(out, "model %s imported\n", m.Name)
	default:
		return err
	}
	switch _, err := svc.App(ctx, appName); torque.ErrorCode(err) {
	case "":
		fmt.Fprintf(out, "app %s already exists\n", appName)
	case torque.ENOTFOUND:
		if _, err := svc.CreateApp(ctx, appName, m.Name); err != nil {
			return fmt.Errorf("create example app: %w", err)
		}
		fmt.Fprintf(out, "app %s created from model %s\n", appName, m.Name)
	default:
		return err
	}
	return nil
}

func newMigrateCmd(c *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply database migrations (serve also does this at start)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			db, err := server.OpenStore(cmd.Context(), c.cfg)
			if err != nil {
				return err
			}
			defer db.Close()
			fmt.Fprintf(cmd.OutOrStdout(), "migrations applied (%s)\n", db.Dialect())
			return nil
		},
	}
}
