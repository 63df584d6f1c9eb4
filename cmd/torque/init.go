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
		Short: "Create the data directory and database, the first admin, and optionally an example app",
		Long: `init creates the data directory and database. On a store without users it
creates the admin ` + service.FirstAdminEmail + ` with a generated password, which it prints
once: the store keeps only its hash.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if example != "" && example != "todo" {
				return fmt.Errorf("--example: unknown example %q (known: todo)", example)
			}
			db, err := server.OpenStore(cmd.Context(), c.cfg)
			if err != nil {
				return err
			}
			defer db.Close()
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "database ready (%s)\n", db.Dialect())
			svc := service.New(db, service.Options{Logger: c.logger})
			if err := ensureAdmin(cmd.Context(), out, svc); err != nil {
				return err
			}
			if example == "" {
				return nil
			}
			return installExample(operatorContext(cmd.Context()), out, svc, todo.Model, todo.AppName)
		},
	}
	cmd.Flags().StringVar(&example, "example", "", `also install an example: "todo" (the model TODO and an app todo made from it); does nothing when they exist`)
	return cmd
}

// installExample imports an example model and creates its app, unless they
// already exist: running it again changes nothing. ctx must carry an actor
// allowed to do both.
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
