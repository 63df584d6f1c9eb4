package rest

import (
	"net/http"
	"net/url"

	"github.com/torquehq/torque"
)

func (s *server) listModels(w http.ResponseWriter, r *http.Request) {
	ms, err := s.models.Models(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, newList(ms))
}

// readModel reads and parses the model document of a request. When
// pathName is not empty the document's name must be it (or absent).
func (s *server) readModel(w http.ResponseWriter, r *http.Request, pathName string) (*torque.Model, error) {
	body, err := readBody(w, r, s.maxModel)
	if err != nil {
		return nil, err
	}
	if pathName != "" {
		if body, err = torque.NameModelDocument(body, pathName, "the model named in the path"); err != nil {
			return nil, err
		}
	}
	return torque.ParseModel(body)
}

func (s *server) createModel(w http.ResponseWriter, r *http.Request) {
	m, err := s.readModel(w, r, "")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	m, err = s.models.CreateModel(r.Context(), m)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeCreated(w, "/api/v1/models/"+url.PathEscape(m.Name), m)
}

func (s *server) getModel(w http.ResponseWriter, r *http.Request) {
	v, err := versionParam(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var m *torque.Model
	if v > 0 {
		m, err = s.models.ModelAtVersion(r.Context(), r.PathValue("name"), v)
	} else {
		m, err = s.models.Model(r.Context(), r.PathValue("name"))
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, m)
}

func (s *server) modelVersions(w http.ResponseWriter, r *http.Request) {
	vs, err := s.models.ModelVersions(r.Context(), r.PathValue("name"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, newList(vs))
}

// updateModel stores a new version of a model. The document's version is
// the version the change is based on; its name, when present, must be the
// one in the path.
func (s *server) updateModel(w http.ResponseWriter, r *http.Request) {
	m, err := s.readModel(w, r, r.PathValue("name"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	m, err = s.models.UpdateModel(r.Context(), m)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.writeJSON(w, http.StatusOK, m)
}

func (s *server) deleteModel(w http.ResponseWriter, r *http.Request) {
	if err := s.models.DeleteModel(r.Context(), r.PathValue("name")); err != nil {
		s.writeError(w, r, err)
		return
	}
	noContent(w)
}
