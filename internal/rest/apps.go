package rest

import (
	"net/http"
	"net/url"
)

func (s *server) listApps(w http.ResponseWriter, r *http.Request) {
	as, err := s.apps.Apps(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, newList(as))
}

// createApp makes an application from {"name": ..., "model": ...}.
func (s *server) createApp(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, s.maxBody)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var name, model string
	if err := decodeMembers(body, stringMember("name", &name, true), stringMember("model", &model, true)); err != nil {
		s.writeError(w, r, err)
		return
	}
	a, err := s.apps.CreateApp(r.Context(), name, model)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeCreated(w, "/api/v1/apps/"+url.PathEscape(a.Name), a)
}

func (s *server) getApp(w http.ResponseWriter, r *http.Request) {
	a, err := s.apps.App(r.Context(), r.PathValue("app"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, a)
}

func (s *server) deleteApp(w http.ResponseWriter, r *http.Request) {
	if err := s.apps.DeleteApp(r.Context(), r.PathValue("app")); err != nil {
		s.writeError(w, r, err)
		return
	}
	noContent(w)
}
