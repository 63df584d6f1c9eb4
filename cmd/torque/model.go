package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/service"
)

func newModelCmd(c *cli) *cobra.Command {
	cmd := &cobra.Command{Use: "model", Short: "Import and export models"}
	cmd.AddCommand(&cobra.Command{
		Use:   "import FILE",
		Short: "Import a model document (creates it, or stores it as the next version)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			m, err := torque.ParseModel(data)
			if err != nil {
				return describe(err)
			}
			return withService(cmd, c, func(ctx context.Context, svc *service.Service) error {
				m, err := svc.ImportModel(ctx, m)
				if err != nil {
					return describe(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "model %s imported at version %d\n", m.Name, m.Version)
				return nil
			})
		},
	})
	var output string
	export := &cobra.Command{
		Use:   "export NAME",
		Short: "Print a model document (or write it with --output)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withService(cmd, c, func(ctx context.Context, svc *service.Service) error {
				m, err := svc.Model(ctx, args[0])
				if err != nil {
					return describe(err)
				}
				data, err := json.MarshalIndent(m.Document(), "", "  ")
				if err != nil {
					return err
				}
				data = append(data, '\n')
				if output != "" {
					return os.WriteFile(output, data, 0o644)
				}
				_, err = cmd.OutOrStdout().Write(data)
				return err
			})
		},
	}
	export.Flags().StringVarP(&output, "output", "o", "", "write to this file instead of standard output")
	cmd.AddCommand(export)
	return cmd
}

func newAppCmd(c *cli) *cobra.Command {
	cmd := &cobra.Command{Use: "app", Short: "Manage applications"}
	var model, name string
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an application from a model",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withService(cmd, c, func(ctx context.Context, svc *service.Service) error {
				a, err := svc.CreateApp(ctx, name, model)
				if err != nil {
					return describe(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "app %s created from model %s\n", a.Name, a.Model)
				return nil
			})
		},
	}
	create.Flags().StringVar(&model, "model", "", "name of the model (required)")
	create.Flags().StringVar(&name, "name", "", "name of the new app (required)")
	_ = create.MarkFlagRequired("model")
	_ = create.MarkFlagRequired("name")
	cmd.AddCommand(create)
	return cmd
}
