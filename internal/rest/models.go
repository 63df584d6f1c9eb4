package rest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

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
		if body, err = withModelName(body, pathName); err != nil {
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

// withModelName checks the top-level "name" of a model document against
// name, the one in the path: a different name is refused, an absent one is
// filled in. Documents that are not JSON objects are returned unchanged for
// ParseModel to describe.
func withModelName(body []byte, name string) ([]byte, error) {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil || top == nil {
		return body, nil
	}
	raw, ok := top["name"]
	if !ok {
		i := bytes.IndexByte(body, '{') + 1
		quoted, _ := json.Marshal(name)
		member := `"name":` + string(quoted)
		if len(top) > 0 {
			member += ","
		}
		out := make([]byte, 0, len(body)+len(member))
		out = append(out, body[:i]...)
		out = append(out, member...)
		return append(out, body[i:]...), nil
	}
	var got string
	if json.Unmarshal(raw, &got) == nil && got != name {
		return nil, torque.Invalid("invalid model", map[string]string{
			"name": "must be " + strconv.Quote(name) + ", the model named in the path, or absent",
		})
	}
	return body, nil
}
