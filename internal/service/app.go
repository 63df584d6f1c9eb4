package service

import (
	"context"
	"fmt"
	"regexp"

	"github.com/torquehq/torque"
)

var appNameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)

// Apps lists every application.
func (s *Service) Apps(ctx context.Context) ([]*torque.App, error) {
	return s.db.Apps(ctx)
}

// App returns the application named name.
func (s *Service) App(ctx context.Context, name string) (*torque.App, error) {
	return s.app(ctx, name)
}

// CreateApp makes an application named name from the model named model.
func (s *Service) CreateApp(ctx context.Context, name, model string) (*torque.App, error) {
	fields := map[string]string{}
	if !appNameRE.MatchString(name) {
		fields["name"] = "must be 1-63 characters: lowercase letters, digits and hyphens, starting with a letter"
	}
	if model == "" {
		fields["model"] = "is required"
	}
	if len(fields) > 0 {
		return nil, torque.Invalid("invalid app", fields)
	}
	if _, err := s.db.Model(ctx, model); torque.ErrorCode(err) == torque.ENOTFOUND {
		return nil, torque.Invalid("invalid app", map[string]string{"model": fmt.Sprintf("no model named %q", model)})
	} else if err != nil {
		return nil, err
	}
	a := &torque.App{Name: name, Model: model}
	if err := s.db.CreateApp(ctx, a); err != nil {
		return nil, err
	}
	s.forgetApp(name)
	return a, nil
}

// DeleteApp removes an application and all of its data.
func (s *Service) DeleteApp(ctx context.Context, name string) error {
	if err := s.db.DeleteApp(ctx, name); err != nil {
		return err
	}
	s.forgetApp(name)
	return nil
}
