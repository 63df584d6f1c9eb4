package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func newFlags(t *testing.T, args ...string) *pflag.FlagSet {
	t.Helper()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	AddFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return fs
}

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "torque.toml")
	if err := os.WriteFile(file, []byte("addr = \"127.0.0.1:7000\"\ndata = \"/srv/file\"\nlog_level = \"warn\"\nshutdown_timeout = \"3s\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Run("defaults need no file", func(t *testing.T) {
		t.Chdir(t.TempDir())
		cfg, err := Load(newFlags(t), env(nil))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(cfg, Default()) {
			t.Fatalf("got %+v, want %+v", cfg, Default())
		}
	})
	t.Run("file overrides defaults", func(t *testing.T) {
		cfg, err := Load(newFlags(t, "--config", file), env(nil))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Addr != "127.0.0.1:7000" || cfg.Data != "/srv/file" || cfg.LogLevel != "warn" || cfg.ShutdownTimeout != Duration(3*time.Second) {
			t.Fatalf("got %+v", cfg)
		}
	})
	t.Run("environment overrides file", func(t *testing.T) {
		cfg, err := Load(newFlags(t), env(map[string]string{"TORQUE_CONFIG": file, "TORQUE_ADDR": "127.0.0.1:7001", "TORQUE_MAX_BODY_BYTES": "2048"}))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Addr != "127.0.0.1:7001" || cfg.Data != "/srv/file" || cfg.MaxBodyBytes != 2048 {
			t.Fatalf("got %+v", cfg)
		}
	})
	t.Run("flags override environment", func(t *testing.T) {
		cfg, err := Load(newFlags(t, "--config", file, "--addr", "127.0.0.1:7002"), env(map[string]string{"TORQUE_ADDR": "127.0.0.1:7001"}))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Addr != "127.0.0.1:7002" {
			t.Fatalf("got addr %q, want 127.0.0.1:7002", cfg.Addr)
		}
	})
	t.Run("the default file is read from the working directory", func(t *testing.T) {
		wd := t.TempDir()
		if err := os.WriteFile(filepath.Join(wd, "torque.toml"), []byte("addr = \"127.0.0.1:7003\"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Chdir(wd)
		cfg, err := Load(newFlags(t), env(nil))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Addr != "127.0.0.1:7003" {
			t.Fatalf("got addr %q, want 127.0.0.1:7003", cfg.Addr)
		}
	})
}

func TestLoadAccessSettings(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("torque.toml", []byte("allowed_origins = [\"https://a.example\"]\nsecure_cookies = true\nrate_limit = 50.5\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(newFlags(t, "--cors-origins", "https://b.example,http://c.example:8080"), env(map[string]string{"TORQUE_RATE_BURST": "20"}))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg.AllowedOrigins, []string{"https://a.example"}) || !cfg.SecureCookies || cfg.RateLimit != 50.5 || cfg.RateBurst != 20 ||
		!reflect.DeepEqual(cfg.CORSOrigins, []string{"https://b.example", "http://c.example:8080"}) {
		t.Errorf("got %+v", cfg)
	}
	cfg, err = Load(newFlags(t), env(map[string]string{"TORQUE_CORS_ORIGINS": " https://d.example , https://e.example ", "TORQUE_SECURE_COOKIES": "false",
		"TORQUE_TRUSTED_PROXIES": "10.0.0.0/8,127.0.0.1"}))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg.CORSOrigins, []string{"https://d.example", "https://e.example"}) || cfg.SecureCookies {
		t.Errorf("from the environment: %+v", cfg)
	}
	if p, err := cfg.Proxies(); err != nil || len(p) != 2 || p[1].String() != "127.0.0.1/32" {
		t.Errorf("proxies: %v, %v", p, err)
	}
}

func TestLoadRefuses(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"unknown key in file", []string{"--config", write("unknown.toml", "adr = \"x\"\n")}, nil, "adr"},
		{"malformed file", []string{"--config", write("bad.toml", "addr = \n")}, nil, "config"},
		{"missing explicit file", []string{"--config", filepath.Join(dir, "none.toml")}, nil, "read config"},
		{"bad number in environment", nil, map[string]string{"TORQUE_MAX_BODY_BYTES": "lots"}, "TORQUE_MAX_BODY_BYTES"},
		{"bad duration flag", []string{"--shutdown-timeout", "-1s"}, nil, "shutdown_timeout"},
		{"unknown log level", []string{"--log-level", "loud"}, nil, "log_level"},
		{"database that is no URL", []string{"--db", "mysql://x"}, nil, "db:"},
		{"password kept out of the message", []string{"--db", "mysql://u:secret@h/db"}, nil, "***"},
		{"origin with a path", []string{"--allowed-origins", "https://a.example/app"}, nil, "origins"},
		{"origin without scheme", nil, map[string]string{"TORQUE_CORS_ORIGINS": "a.example"}, "origins"},
		{"bad boolean", nil, map[string]string{"TORQUE_SECURE_COOKIES": "maybe"}, "TORQUE_SECURE_COOKIES"},
		{"negative rate", []string{"--rate-limit", "-1"}, nil, "rate_limit"},
		{"bad rate in environment", nil, map[string]string{"TORQUE_RATE_LIMIT": "fast"}, "TORQUE_RATE_LIMIT"},
		{"bad trusted proxy", []string{"--trusted-proxies", "10.0.0.0/33"}, nil, "trusted_proxies"},
		{"idle longer than the maximum", []string{"--session-idle", "200h"}, nil, "session_idle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			_, err := Load(newFlags(t, tt.args...), env(tt.env))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got error %v, want one containing %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Fatalf("error %q shows the password", err)
			}
		})
	}
}
