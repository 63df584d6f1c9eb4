package rest

import (
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/torquehq/torque"
)

// page is the JSON form of a list page: nextCursor is null on the last
// page, total is present when count=true was asked.
type page struct {
	Items      []*torque.Entity `json:"items"`
	NextCursor *string          `json:"nextCursor"`
	Total      *int64           `json:"total,omitempty"`
}

func (s *server) writePage(w http.ResponseWriter, p *torque.EntityPage) {
	out := page{Items: p.Items, Total: p.Total}
	if out.Items == nil {
		out.Items = []*torque.Entity{}
	}
	if p.NextCursor != "" {
		out.NextCursor = &p.NextCursor
	}
	s.writeJSON(w, http.StatusOK, out)
}

func entityLocation(app, typ, id string) string {
	return "/api/v1/apps/" + url.PathEscape(app) + "/entities/" + url.PathEscape(typ) + "/" + url.PathEscape(id)
}

func (s *server) listEntities(w http.ResponseWriter, r *http.Request) {
	q, err := listQuery(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := s.entities.Entities(r.Context(), r.PathValue("app"), r.PathValue("type"), q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writePage(w, p)
}

// createEntity stores {"data": {...}} as a new entity.
func (s *server) createEntity(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, s.maxBody)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var data json.RawMessage
	if err := decodeMembers(body, objectMember("data", &data, true)); err != nil {
		s.writeError(w, r, err)
		return
	}
	app, typ := r.PathValue("app"), r.PathValue("type")
	e, err := s.entities.CreateEntity(r.Context(), app, typ, data)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeCreated(w, entityLocation(app, typ, e.ID), e)
}

func (s *server) getEntity(w http.ResponseWriter, r *http.Request) {
	e, err := s.entities.Entity(r.Context(), r.PathValue("app"), r.PathValue("type"), r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, e)
}

// updateEntity merges {"version": N, "data": {...}} into an entity still at
// version N.
func (s *server) updateEntity(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, s.maxBody)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var version int64
	var data json.RawMessage
	if err := decodeMembers(body, versionMember("version", &version), objectMember("data", &data, true)); err != nil {
		s.writeError(w, r, err)
		return
	}
	e, err := s.entities.UpdateEntity(r.Context(), r.PathValue("app"), r.PathValue("type"), r.PathValue("id"), version, data)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, e)
}

func (s *server) deleteEntity(w http.ResponseWriter, r *http.Request) {
	if err := s.entities.DeleteEntity(r.Context(), r.PathValue("app"), r.PathValue("type"), r.PathValue("id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	noContent(w)
}

func (s *server) listRelated(w http.ResponseWriter, r *http.Request) {
	q, err := listQuery(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	p, err := s.entities.RelatedEntities(r.Context(), r.PathValue("app"), r.PathValue("type"), r.PathValue("id"), r.PathValue("rel"), q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writePage(w, p)
}

// link links the entity to {"id": otherId} through a many-to-many relation.
func (s *server) link(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, s.maxBody)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var other string
	if err := decodeMembers(body, stringMember("id", &other, true)); err != nil {
		s.writeError(w, r, err)
		return
	}
	if err := s.entities.Link(r.Context(), r.PathValue("app"), r.PathValue("type"), r.PathValue("id"), r.PathValue("rel"), other); err != nil {
		s.writeError(w, r, err)
		return
	}
	noContent(w)
}

func (s *server) unlink(w http.ResponseWriter, r *http.Request) {
	if err := s.entities.Unlink(r.Context(), r.PathValue("app"), r.PathValue("type"), r.PathValue("id"), r.PathValue("rel"), r.PathValue("otherId")); err != nil {
		s.writeError(w, r, err)
		return
	}
	noContent(w)
}
