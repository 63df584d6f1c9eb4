// Package server assembles a running Torque: storage, services and every
// transport behind one http.Handler, with graceful shutdown.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/torquehq/torque/internal/config"
	"github.com/torquehq/torque/internal/graphql"
	"github.com/torquehq/torque/internal/metrics"
	"github.com/torquehq/torque/internal/rest"
	"github.com/torquehq/torque/internal/rpc"
	"github.com/torquehq/torque/internal/service"
	"github.com/torquehq/torque/internal/store"
	"github.com/torquehq/torque/internal/webapp"
)

// Server is an assembled Torque instance.
type Server struct {
	DB      *store.DB
	Service *service.Service
	Handler http.Handler

	graphql *graphql.Handler
	rpc     *rpc.Handler
	cfg     config.Config
	logger  *slog.Logger
}

// OpenStore opens the configured database and applies its migrations.
func OpenStore(ctx context.Context, cfg config.Config) (*store.DB, error) {
	opts := store.Options{}
	if cfg.DB == "" || strings.HasPrefix(cfg.DB, "sqlite:") {
		opts.SQLiteSynchronous = cfg.SQLiteSynchronous
	}
	db, err := store.Open(ctx, cfg.DB, cfg.Data, opts)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate database: %w", err)
	}
	return db, nil
}

// New opens storage and builds the services and transports.
func New(ctx context.Context, cfg config.Config, logger *slog.Logger) (*Server, error) {
	proxies, err := cfg.Proxies()
	if err != nil {
		return nil, err
	}
	db, err := OpenStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	m := metrics.New(db.PoolStats)
	svc := service.New(db, service.Options{
		Logger:      logger,
		OnEntityOp:  m.EntityOp,
		SessionIdle: time.Duration(cfg.SessionIdle),
		SessionMax:  time.Duration(cfg.SessionMax),
	})
	gql := graphql.New(graphql.Config{
		Service:        svc,
		Logger:         logger,
		IDE:            cfg.GraphQLIDE,
		MaxBodyBytes:   cfg.MaxModelBytes,
		AllowedOrigins: cfg.AllowedOrigins,
	})
	rpcHandler := rpc.New(rpc.Config{
		Service:        svc,
		Logger:         logger,
		MaxBodyBytes:   cfg.MaxBodyBytes,
		Timeout:        time.Duration(cfg.RequestTimeout),
		AllowedOrigins: cfg.AllowedOrigins,
	})
	h := rest.New(rest.Config{
		Models:         svc,
		Apps:           svc,
		Entities:       svc,
		Auth:           svc,
		AllowedOrigins: cfg.AllowedOrigins,
		CORSOrigins:    cfg.CORSOrigins,
		SecureCookies:  cfg.SecureCookies,
		RateLimit:      cfg.RateLimit,
		RateBurst:      int(cfg.RateBurst),
		TrustedProxies: proxies,
		Ready:          db.Ping,
		Metrics:        m,
		Logger:         logger,
		MaxBodyBytes:   cfg.MaxBodyBytes,
		MaxModelBytes:  cfg.MaxModelBytes,
		RequestTimeout: time.Duration(cfg.RequestTimeout),
		GraphQL:        gql,
		RPC:            rpcHandler,
		WebApp:         webapp.App(),
		Editor:         webapp.Editor(),
	})
	return &Server{DB: db, Service: svc, Handler: h, graphql: gql, rpc: rpcHandler, cfg: cfg, logger: logger}, nil
}

// Serve answers requests on ln until ctx is done, then stops taking new
// requests, lets those in flight finish (up to the shutdown timeout), and
// closes storage.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	sweepCtx, stopSweep := context.WithCancel(ctx)
	defer stopSweep()
	go s.sweepSessions(sweepCtx)
	eventsDone := make(chan struct{})
	go func() {
		defer close(eventsDone)
		s.Service.RunEvents(sweepCtx)
	}()

	var serveErr error
	select {
	case serveErr = <-errc:
	case <-ctx.Done():
		s.logger.Info("shutting down", "timeout", time.Duration(s.cfg.ShutdownTimeout).String())
		sctx, cancel := context.WithTimeout(context.Background(), time.Duration(s.cfg.ShutdownTimeout))
		defer cancel()
		// Subscriptions live on hijacked connections, which Shutdown does
		// not wait for: close those connections, then the hub that feeds
		// them.
		s.graphql.Close()
		s.rpc.Close()
		s.Service.Hub().Close()
		serveErr = hs.Shutdown(sctx)
		if err := <-errc; !errors.Is(err, http.ErrServerClosed) && serveErr == nil {
			serveErr = err
		}
	}
	stopSweep()
	<-eventsDone
	if err := s.DB.Close(); err != nil && serveErr == nil {
		serveErr = fmt.Errorf("close database: %w", err)
	}
	if errors.Is(serveErr, http.ErrServerClosed) {
		return nil
	}
	return serveErr
}

// sweepSessions deletes ended sessions every service.SessionSweep until ctx
// ends.
func (s *Server) sweepSessions(ctx context.Context) {
	t := time.NewTicker(service.SessionSweep)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := s.Service.DeleteExpiredSessions(ctx); err != nil {
				s.logger.WarnContext(ctx, "delete ended sessions", "err", err)
			} else if n > 0 {
				s.logger.InfoContext(ctx, "deleted ended sessions", "count", n)
			}
		}
	}
}
