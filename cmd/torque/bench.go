package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/torquehq/torque/internal/bench"
	"github.com/torquehq/torque/internal/service"
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
the clients (network and client time included).

The server needs an API token (--token or env TORQUE_TOKEN) of a user who may
create models and apps, such as an admin:
  export TORQUE_TOKEN=$(torque token create --email ` + service.FirstAdminEmail + ` --name bench)`,
		Args: cobra.NoArgs,
		// bench talks to a server; it needs none of the server's settings.
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Token == "" {
				opts.Token = os.Getenv("TORQUE_TOKEN")
			}
			if err := opts.Validate(); err != nil {
				return err
			}
			if err := checkToken(cmd.Context(), opts.URL, opts.Token); err != nil {
				return err
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
	f.StringVar(&opts.Token, "token", "", "API token to send as Authorization: Bearer (env TORQUE_TOKEN; make one with torque token create)")
	return cmd
}

// checkToken asks the server whom the token acts for, so that a missing or
// refused token is reported plainly before any load is sent. Other failures
// are left to the run, which reports them.
func checkToken(ctx context.Context, url, token string) error {
	url = strings.TrimRight(url, "/")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/api/v1/auth/me", nil)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		return nil
	}
	var body struct {
		Error struct{ Message string }
	}
	_ = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&body)
	reason := body.Error.Message
	if reason == "" {
		reason = resp.Status
	}
	if token == "" {
		return fmt.Errorf("the server at %s needs an API token (it answered 401: %s)\n"+
			"  pass --token or set TORQUE_TOKEN; an operator makes one on the server's store with\n"+
			"  export TORQUE_TOKEN=$(torque token create --email %s --name bench)", url, reason, service.FirstAdminEmail)
	}
	return fmt.Errorf("the server at %s refused the token given by --token or TORQUE_TOKEN (401: %s)", url, reason)
}
