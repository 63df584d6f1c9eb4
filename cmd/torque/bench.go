package main

import (
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/torquehq/torque/internal/bench"
)

func newBenchCmd() *cobra.Command {
	opts := bench.Options{}
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Send load to a running Torque server and print throughput and latency percentiles",
		Long: `bench creates (when missing) a model Bench and an app, seeds entities, then runs
N concurrent clients sending one operation (create, get, update, list) or a mix
(50% get, 20% create, 20% update, 10% list) for a fixed duration. It prints
requests, errors, throughput and p50/p95/p99 latency per operation, as seen by
the clients (network and client time included).`,
		Args: cobra.NoArgs,
		// bench talks to a server; it needs none of the server's settings.
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Token == "" {
				opts.Token = os.Getenv("TORQUE_TOKEN")
			}
			r, err := bench.Run(cmd.Context(), opts, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			r.Write(cmd.OutOrStdout())
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.URL, "url", "http://127.0.0.1:8080", "base URL of the server")
	f.StringVar(&opts.App, "app", "bench", "app to load (created with the Bench model when missing)")
	f.StringVar(&opts.Op, "op", "mixed", "operation: create, get, update, list or mixed")
	f.IntVarP(&opts.Clients, "clients", "c", 50, "concurrent clients")
	f.DurationVarP(&opts.Duration, "duration", "d", 10*time.Second, "how long to send load")
	f.IntVar(&opts.Seed, "seed", 1000, "entities to create before the run (not for create)")
	f.StringVar(&opts.Token, "token", "", "bearer token to send (env TORQUE_TOKEN)")
	return cmd
}
