package config

import (
	"testing"

	"github.com/spf13/pflag"
)

func TestGraphQLIDE(t *testing.T) {
	t.Chdir(t.TempDir())
	fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
	AddFlags(fs)
	cfg, err := Load(fs, func(string) string { return "" })
	if err != nil || cfg.GraphQLIDE {
		t.Fatalf("default: %v %v, want off", cfg.GraphQLIDE, err)
	}
	env := func(k string) string {
		if k == "TORQUE_GRAPHQL_IDE" {
			return "true"
		}
		return ""
	}
	cfg, err = Load(fs, env)
	if err != nil || !cfg.GraphQLIDE {
		t.Fatalf("TORQUE_GRAPHQL_IDE=true: %v %v", cfg.GraphQLIDE, err)
	}
	if err := fs.Parse([]string{"--graphql-ide=false"}); err != nil {
		t.Fatal(err)
	}
	if cfg, err = Load(fs, env); err != nil || cfg.GraphQLIDE {
		t.Fatalf("--graphql-ide=false over the environment: %v %v, want off", cfg.GraphQLIDE, err)
	}
}
