package main

import (
	"fmt"
	"net"

	"github.com/spf13/cobra"

	"github.com/torquehq/torque/internal/server"
)

func newServeCmd(c *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the Torque server",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			srv, err := server.New(ctx, c.cfg, c.logger)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", c.cfg.Addr)
			if err != nil {
				srv.DB.Close()
				return fmt.Errorf("listen: %w", err)
			}
			base := "http://" + ln.Addr().String()
			c.logger.Info("torque serving", "addr", ln.Addr().String(), "database", srv.DB.Dialect(), "version", version)
			apps, err := srv.Service.Apps(ctx)
			if err != nil {
				ln.Close()
				srv.DB.Close()
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "Torque %s is running at %s\n", version, base)
			fmt.Fprintf(out, "  REST API:  %s/api/v1  (OpenAPI: %s/api/v1/openapi.json)\n", base, base)
			fmt.Fprintf(out, "  Health:    %s/healthz   Metrics: %s/metrics\n", base, base)
			for _, a := range apps {
				fmt.Fprintf(out, "  App %s (model %s):\n", a.Name, a.Model)
				if m, err := srv.Service.Model(ctx, a.Model); err == nil {
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
