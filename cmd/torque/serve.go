package main

import (
	"fmt"
	"net"

	"github.com/spf13/cobra"

	"github.com/torquehq/torque/internal/server"
	"github.com/torquehq/torque/internal/service"
)

func newServeCmd(c *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the Torque server",
		Long: `serve applies migrations and runs the server. On a store without users it
first creates the admin ` + service.FirstAdminEmail + ` and prints its password once (as
torque init does).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			srv, err := server.New(ctx, c.cfg, c.logger)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			// On an empty store, the first admin is made (and its password
			// shown) before anyone can reach the server.
			if err := ensureAdmin(ctx, out, srv.Service); err != nil {
				srv.DB.Close()
				return err
			}
			// The banner lists what exists, as the operator.
			op := operatorContext(ctx)
			apps, err := srv.Service.Apps(op)
			if err != nil {
				srv.DB.Close()
				return err
			}
			ln, err := net.Listen("tcp", c.cfg.Addr)
			if err != nil {
				srv.DB.Close()
				return fmt.Errorf("listen: %w", err)
			}
			base := "http://" + ln.Addr().String()
			c.logger.Info("torque serving", "addr", ln.Addr().String(), "database", srv.DB.Dialect(), "version", version)
			fmt.Fprintf(out, "Torque %s is running at %s\n", version, base)
			fmt.Fprintf(out, "  Editor:    %s/editor/  (design models; sign in)\n", base)
			fmt.Fprintf(out, "  REST API:  %s/api/v1  (OpenAPI: %s/api/v1/openapi.json)\n", base, base)
			ide := "IDE: set graphql_ide = true"
			if c.cfg.GraphQLIDE {
				ide = "IDE: open it in a browser, signed in"
			}
			fmt.Fprintf(out, "  GraphQL:   %s/graphql  (subscriptions over WebSocket; %s)\n", base, ide)
			fmt.Fprintf(out, "  Health:    %s/healthz   Metrics: %s/metrics (admins)\n", base, base)
			fmt.Fprintf(out, "  Sign in:   POST %s/api/v1/auth/login with {\"email\": ..., \"password\": ...}\n", base)
			fmt.Fprintf(out, "  Scripts:   TORQUE_TOKEN=$(torque token create --email %s --name cli)   (same --data/--db as serve)\n", service.FirstAdminEmail)
			fmt.Fprintf(out, "             curl -H \"Authorization: Bearer $TORQUE_TOKEN\" %s/api/v1/auth/me\n", base)
			for _, a := range apps {
				fmt.Fprintf(out, "  App %s (model %s): open %s/app/%s/ and sign in\n", a.Name, a.Model, base, a.Name)
				if m, err := srv.Service.Model(op, a.Model); err == nil {
					for _, et := range m.Entities {
						fmt.Fprintf(out, "    %s/api/v1/apps/%s/entities/%s\n", base, a.Name, et.Name)
					}
				}
			}
			fmt.Fprintln(out, "Press Ctrl+C to stop.")
			return srv.Serve(ctx, ln)
		},
	}
}
