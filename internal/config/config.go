// Package config loads Torque's settings: defaults, then an optional
// torque.toml, then TORQUE_* environment variables, then command-line flags,
// each overriding the one before.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"net/url"
	"os"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/spf13/pflag"

	"github.com/torquehq/torque"
)

// Config is every setting of the torque binary. The toml tag is the key in
// torque.toml; the environment variable is TORQUE_ followed by the key in
// upper case; the flag is the key with dashes.
type Config struct {
	Addr              string   `toml:"addr" help:"address to listen on"`
	Data              string   `toml:"data" help:"data directory (SQLite database and files)"`
	DB                string   `toml:"db" help:"database: empty for SQLite in the data directory, or a postgres:// URL"`
	LogLevel          string   `toml:"log_level" help:"log level: debug, info, warn or error"`
	LogFormat         string   `toml:"log_format" help:"log format: text, json, or auto (text on a terminal)"`
	SQLiteSynchronous string   `toml:"sqlite_synchronous" help:"SQLite synchronous mode: normal (survives process crashes) or full (also power loss)"`
	MaxBodyBytes      int64    `toml:"max_body_bytes" help:"largest entity request body in bytes"`
	MaxModelBytes     int64    `toml:"max_model_bytes" help:"largest model document in bytes"`
	ShutdownTimeout   Duration `toml:"shutdown_timeout" help:"how long shutdown waits for requests in flight"`
	RequestTimeout    Duration `toml:"request_timeout" help:"longest time one request may work before it is stopped (503)"`
	AllowedOrigins    []string `toml:"allowed_origins" help:"other origins whose pages may send writes signed in by the session cookie (comma-separated)"`
	CORSOrigins       []string `toml:"cors_origins" help:"origins allowed to call the API from browsers with API tokens (comma-separated; empty: CORS off)"`
	SecureCookies     bool     `toml:"secure_cookies" help:"mark the session cookie Secure even over HTTP (behind a TLS proxy)"`
	RateLimit         float64  `toml:"rate_limit" help:"requests per second per API token, user or anonymous address (0: no limit)"`
	RateBurst         int64    `toml:"rate_burst" help:"requests allowed at once above rate_limit"`
	TrustedProxies    []string `toml:"trusted_proxies" help:"networks of reverse proxies whose X-Forwarded-For names the client, e.g. 10.0.0.0/8 (comma-separated)"`
	SessionIdle       Duration `toml:"session_idle" help:"a browser session unused this long ends"`
	SessionMax        Duration `toml:"session_max" help:"a browser session ends this long after sign-in"`
	GraphQLIDE        bool     `toml:"graphql_ide" help:"serve the GraphQL IDE page to browsers on GET /graphql"`
}

// Default returns the settings used when nothing else is given.
func Default() Config {
	return Config{
		Addr:              "127.0.0.1:8080",
		Data:              "./torque-data",
		LogLevel:          "info",
		LogFormat:         "auto",
		SQLiteSynchronous: "normal",
		MaxBodyBytes:      1 << 20,
		MaxModelBytes:     4 << 20,
		ShutdownTimeout:   Duration(15 * time.Second),
		RequestTimeout:    Duration(30 * time.Second),
		RateBurst:         100,
		SessionIdle:       Duration(12 * time.Hour),
		SessionMax:        Duration(7 * 24 * time.Hour),
	}
}

// AddFlags registers one flag per setting on fs, with default values shown.
func AddFlags(fs *pflag.FlagSet) {
	def := Default()
	v := reflect.ValueOf(def)
	t := v.Type()
	fs.String("config", "", "path of a torque.toml (default ./torque.toml when it exists; env TORQUE_CONFIG)")
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := flagName(f.Tag.Get("toml"))
		help := f.Tag.Get("help") + " (env " + envName(f.Tag.Get("toml")) + ")"
		switch x := v.Field(i).Interface().(type) {
		case string:
			fs.String(name, x, help)
		case int64:
			fs.Int64(name, x, help)
		case Duration:
			fs.Duration(name, time.Duration(x), help)
		case []string:
			fs.StringSlice(name, x, help)
		case bool:
			fs.Bool(name, x, help)
		case float64:
			fs.Float64(name, x, help)
		}
	}
}

// Load builds the configuration from defaults, the config file, the
// environment (getenv) and the flags that were set on fs.
func Load(fs *pflag.FlagSet, getenv func(string) string) (Config, error) {
	cfg := Default()
	path, explicit := "", false
	if f := fs.Lookup("config"); f != nil && f.Changed {
		path, explicit = f.Value.String(), true
	} else if p := getenv("TORQUE_CONFIG"); p != "" {
		path, explicit = p, true
	} else {
		path = "torque.toml"
	}
	if err := loadFile(&cfg, path, explicit); err != nil {
		return cfg, err
	}
	v := reflect.ValueOf(&cfg).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		key := t.Field(i).Tag.Get("toml")
		raw, from := "", ""
		if f := fs.Lookup(flagName(key)); f != nil && f.Changed {
			raw, from = f.Value.String(), "flag --"+flagName(key)
		} else if e := getenv(envName(key)); e != "" {
			raw, from = e, envName(key)
		} else {
			continue
		}
		if err := setField(v.Field(i), raw); err != nil {
			return cfg, fmt.Errorf("%s: %w", from, err)
		}
	}
	return cfg, cfg.Validate()
}

func loadFile(cfg *Config, path string, explicit bool) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return nil
	} else if err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(cfg); err != nil {
		var sm *toml.StrictMissingError
		if errors.As(err, &sm) {
			return fmt.Errorf("config %s: %s", path, sm.String())
		}
		return fmt.Errorf("config %s: %w", path, err)
	}
	return nil
}

func setField(v reflect.Value, raw string) error {
	switch v.Interface().(type) {
	case string:
		v.SetString(raw)
	case int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", raw)
		}
		v.SetInt(n)
	case Duration:
		var d Duration
		if err := d.UnmarshalText([]byte(raw)); err != nil {
			return err
		}
		v.SetInt(int64(d))
	case []string:
		// pflag shows a string slice as "[a,b]".
		raw = strings.TrimSuffix(strings.TrimPrefix(raw, "["), "]")
		var list []string
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s != "" {
				list = append(list, s)
			}
		}
		v.Set(reflect.ValueOf(list))
	case bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("%q is not true or false", raw)
		}
		v.SetBool(b)
	case float64:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return fmt.Errorf("%q is not a number", raw)
		}
		v.SetFloat(f)
	}
	return nil
}

// Duration is a time.Duration written as text ("15s") in files and flags.
type Duration time.Duration

// UnmarshalText parses a duration such as "15s" or "1m30s".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("%q is not a duration like 15s", b)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the duration as text.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// Validate checks every setting and names the first wrong one.
func (c Config) Validate() error {
	switch {
	case c.Addr == "":
		return errors.New("addr: must not be empty")
	case c.Data == "" && c.DB == "":
		return errors.New("data: must not be empty when db is empty")
	case c.DB != "" && !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") && !strings.HasPrefix(c.DB, "sqlite:"):
		return fmt.Errorf("db: %q must be empty, a postgres:// URL or sqlite:PATH", redact(c.DB))
	case !oneOf(c.LogLevel, "debug", "info", "warn", "error"):
		return fmt.Errorf("log_level: %q must be debug, info, warn or error", c.LogLevel)
	case !oneOf(c.LogFormat, "auto", "text", "json"):
		return fmt.Errorf("log_format: %q must be auto, text or json", c.LogFormat)
	case !oneOf(c.SQLiteSynchronous, "normal", "full"):
		return fmt.Errorf("sqlite_synchronous: %q must be normal or full", c.SQLiteSynchronous)
	case c.MaxBodyBytes < 1024:
		return errors.New("max_body_bytes: must be at least 1024")
	case c.MaxModelBytes < 1024 || c.MaxModelBytes > torque.MaxModelBytes:
		return fmt.Errorf("max_model_bytes: must be from 1024 to %d", torque.MaxModelBytes)
	case c.ShutdownTimeout <= 0:
		return errors.New("shutdown_timeout: must be positive")
	case c.RequestTimeout <= 0:
		return errors.New("request_timeout: must be positive")
	case c.RateLimit < 0:
		return errors.New("rate_limit: must not be negative")
	case c.RateBurst < 1 || c.RateBurst > 1000000:
		return errors.New("rate_burst: must be from 1 to 1000000")
	case c.SessionIdle < Duration(time.Minute) || c.SessionMax < c.SessionIdle:
		return errors.New("session_idle: must be at least 1m and at most session_max")
	}
	if _, err := c.Proxies(); err != nil {
		return err
	}
	for _, list := range [][]string{c.AllowedOrigins, c.CORSOrigins} {
		for _, o := range list {
			if err := checkOrigin(o); err != nil {
				return err
			}
		}
	}
	return nil
}

// Proxies parses TrustedProxies: networks ("10.0.0.0/8") or single
// addresses ("127.0.0.1").
func (c Config) Proxies() ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, p := range c.TrustedProxies {
		if pf, err := netip.ParsePrefix(p); err == nil {
			out = append(out, pf.Masked())
		} else if a, err := netip.ParseAddr(p); err == nil {
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		} else {
			return nil, fmt.Errorf("trusted_proxies: %q must be an address or a network like 10.0.0.0/8", p)
		}
	}
	return out, nil
}

// checkOrigin checks a configured origin: scheme, host and optional port,
// nothing else ("https://admin.example.com").
func checkOrigin(o string) error {
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil || u.Fragment != "" {
		return fmt.Errorf("origins: %q must be scheme://host[:port], like https://admin.example.com", o)
	}
	return nil
}

// redact hides a password in a database URL.
func redact(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		if at := strings.LastIndex(dsn, "@"); at > i {
			if c := strings.Index(dsn[i+3:at], ":"); c >= 0 {
				return dsn[:i+3+c+1] + "***" + dsn[at:]
			}
		}
	}
	return dsn
}

func oneOf(s string, options ...string) bool {
	for _, o := range options {
		if s == o {
			return true
		}
	}
	return false
}

func flagName(key string) string { return strings.ReplaceAll(key, "_", "-") }
func envName(key string) string  { return "TORQUE_" + strings.ToUpper(key) }
