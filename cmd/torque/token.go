package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/torquehq/torque"
	"github.com/torquehq/torque/internal/auth"
	"github.com/torquehq/torque/internal/service"
)

func newTokenCmd(c *cli) *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Manage API tokens (on the store, with or without a running server)"}
	cmd.AddCommand(newTokenCreateCmd(c))
	return cmd
}

func newTokenCreateCmd(c *cli) *cobra.Command {
	var email, name, expires string
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Make an API token for a user and print it, alone, on standard output",
		Long: `token create makes an API token for the user with --email and prints the
token alone on standard output, so that scripts can capture it; notes go to
standard error. The token is shown only now: the store keeps only its hash.
Send it as "Authorization: Bearer <token>".`,
		Example: `  export TORQUE_TOKEN=$(torque token create --email admin@localhost --name cli --expires 30d)
  curl -H "Authorization: Bearer $TORQUE_TOKEN" http://127.0.0.1:8080/api/v1/auth/me`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := auth.ParseExpiry(expires)
			if err != nil {
				return fmt.Errorf("--expires: %w", err)
			}
			return withService(cmd, c, func(ctx context.Context, svc *service.Service) error {
				t, err := svc.CreateUserToken(ctx, email, name, d)
				if err != nil {
					return describe(err)
				}
				if _, err := fmt.Fprintln(cmd.OutOrStdout(), t.Secret); err != nil {
					return err
				}
				until := "never expires"
				if t.ExpiresAt != nil {
					until = "expires at " + torque.FormatDateTime(*t.ExpiresAt)
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "token %q for %s made (id %s); it %s and is shown only now\n", t.Name, email, t.ID, until)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "the user the token acts for (required)")
	cmd.Flags().StringVar(&name, "name", "", "a name to recognise the token by, e.g. the script using it (required)")
	cmd.Flags().StringVar(&expires, "expires", "never", `lifetime: hours, days or weeks ("12h", "30d", "8w"), or "never"`)
	_ = cmd.MarkFlagRequired("email")
	_ = cmd.MarkFlagRequired("name")
	return cmd
}
