// Command torque runs the Torque platform and manages its data.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/torquehq/torque/internal/config"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCmd().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "torque:", err)
		os.Exit(1)
	}
}

// cli holds what every command shares once flags are parsed.
type cli struct {
	cfg    config.Config
	logger *slog.Logger
}

func newRootCmd() *cobra.Command {
	c := &cli{}
	root := &cobra.Command{
		Use:           "torque",
		Short:         "Torque designs applications as models and runs them at once",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(cmd.Flags(), os.Getenv)
			if err != nil {
				return err
			}
			c.cfg = cfg
			c.logger = newLogger(cfg, cmd.ErrOrStderr())
			slog.SetDefault(c.logger)
			return nil
		},
	}
	config.AddFlags(root.PersistentFlags())
	root.AddCommand(
		newServeCmd(c),
		newInitCmd(c),
		newMigrateCmd(c),
		newVersionCmd(),
		newModelCmd(c),
		newAppCmd(c),
		newUserCmd(c),
		newTokenCmd(c),
		newBenchCmd(),
	)
	return root
}

// newLogger logs to w (the command's standard error) at the configured
// level and format.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel)) // validated by config
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "text" || (cfg.LogFormat == "auto" && isTerminal(w)) {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		// The version needs no configuration.
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
		Run: func(cmd *cobra.Command, _ []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "torque", version)
		},
	}
}
