package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/torquehq/torque/internal/service"
)

// passwordEnv is the environment variable user add and user passwd read the
// password from when no flag gives it, so that it need not be typed on the
// command line (where shell history and ps see it).
const passwordEnv = "TORQUE_PASSWORD"

// passwordFlags are the ways a command is given a password.
type passwordFlags struct {
	password string
	stdin    bool
}

func (p *passwordFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&p.password, "password", "", "the password (visible in shell history: prefer --password-stdin or env "+passwordEnv+")")
	cmd.Flags().BoolVar(&p.stdin, "password-stdin", false, "read the password from the first line of standard input (on a terminal: ask for it, without echo)")
	cmd.MarkFlagsMutuallyExclusive("password", "password-stdin")
}

// read returns the password from --password-stdin, --password or the
// environment, in that order, and refuses when none gives one.
func (p *passwordFlags) read(cmd *cobra.Command) (string, error) {
	if p.stdin {
		if f, ok := cmd.InOrStdin().(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			return promptPassword(cmd, int(f.Fd()))
		}
		line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("--password-stdin: %w", err)
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if line == "" {
			return "", errors.New("--password-stdin: standard input has no password on its first line")
		}
		return line, nil
	}
	if p.password != "" {
		return p.password, nil
	}
	if env := os.Getenv(passwordEnv); env != "" {
		return env, nil
	}
	return "", fmt.Errorf("no password given: use --password-stdin, env %s, or --password", passwordEnv)
}

// promptPassword asks for a password twice on the terminal fd, without
// echoing it.
func promptPassword(cmd *cobra.Command, fd int) (string, error) {
	var typed [2]string
	for i, prompt := range []string{"password: ", "password again: "} {
		fmt.Fprint(cmd.ErrOrStderr(), prompt)
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(cmd.ErrOrStderr())
		if err != nil {
			return "", fmt.Errorf("--password-stdin: %w", err)
		}
		typed[i] = string(b)
	}
	switch {
	case typed[0] == "":
		return "", errors.New("--password-stdin: no password typed")
	case typed[0] != typed[1]:
		return "", errors.New("--password-stdin: the two passwords differ")
	}
	return typed[0], nil
}

func newUserCmd(c *cli) *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Manage users (on the store, with or without a running server)"}
	cmd.AddCommand(newUserAddCmd(c), newUserPasswdCmd(c), newUserListCmd(c))
	return cmd
}

func newUserAddCmd(c *cli) *cobra.Command {
	var email, role string
	var pw passwordFlags
	cmd := &cobra.Command{
		Use:   "add",
		Short: "Add a user who signs in with an email and a password",
		Example: `  torque user add --email ana@example.com --password-stdin < password.txt
  TORQUE_PASSWORD=... torque user add --email ops@example.com --role admin`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var isAdmin bool
			switch role {
			case "user":
			case "admin":
				isAdmin = true
			default:
				return fmt.Errorf(`--role: must be "admin" or "user", not %q`, role)
			}
			password, err := pw.read(cmd)
			if err != nil {
				return err
			}
			return withService(cmd, c, func(ctx context.Context, svc *service.Service) error {
				u, err := svc.CreateUser(ctx, email, password, isAdmin)
				if err != nil {
					return describe(err)
				}
				if u.Admin {
					fmt.Fprintf(cmd.OutOrStdout(), "user %s added (admin)\n", u.Email)
				} else {
					fmt.Fprintf(cmd.OutOrStdout(), "user %s added\n", u.Email)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "the user's email, with which they sign in (required)")
	cmd.Flags().StringVar(&role, "role", "user", `"user", or "admin" for a platform admin, who may do everything`)
	_ = cmd.MarkFlagRequired("email")
	pw.add(cmd)
	return cmd
}

func newUserPasswdCmd(c *cli) *cobra.Command {
	var email string
	var pw passwordFlags
	cmd := &cobra.Command{
		Use:     "passwd",
		Short:   "Set a user's password and end all of their sessions",
		Example: `  torque user passwd --email admin@localhost --password-stdin`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			password, err := pw.read(cmd)
			if err != nil {
				return err
			}
			return withService(cmd, c, func(ctx context.Context, svc *service.Service) error {
				if err := svc.SetPassword(ctx, email, password); err != nil {
					return describe(err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "password of %s changed; their sessions have ended\n", email)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "the user's email (required)")
	_ = cmd.MarkFlagRequired("email")
	pw.add(cmd)
	return cmd
}

func newUserListCmd(c *cli) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List users: email, admin or user, and ID, one a line",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withService(cmd, c, func(ctx context.Context, svc *service.Service) error {
				users, err := svc.Users(ctx)
				if err != nil {
					return describe(err)
				}
				if len(users) == 0 {
					fmt.Fprintln(cmd.ErrOrStderr(), "no users yet: torque init creates the first admin")
					return nil
				}
				tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
				for _, u := range users {
					kind := "user"
					if u.Admin {
						kind = "admin"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Email, kind, u.ID)
				}
				return tw.Flush()
			})
		},
	}
}
