package app

import (
	"path/filepath"
	"strings"

	"github.com/mezhved/mezhved/templates"
)

// TemplatesService is the catalogue of technological cards.
type TemplatesService struct{ app *App }

// TemplateInfo is one line of the catalogue.
type TemplateInfo struct {
	ID                string   `json:"id"`
	Title             string   `json:"title"`
	Provider          string   `json:"provider"`
	ProviderFull      string   `json:"providerFull"`
	Services          []string `json:"services"`
	TermDays          int      `json:"termDays"`
	Training          bool     `json:"training"`
	PersonalSignature bool     `json:"personalSignature"`
	Channels          []string `json:"channels"`
}

// List returns the templates whose title, provider or services contain every
// word of query (any case); all of them for an empty query.
func (s *TemplatesService) List(query string) ([]TemplateInfo, error) {
	words := strings.Fields(strings.ToLower(query))
	out := []TemplateInfo{}
	for _, t := range s.app.catalogue().Requests() {
		hay := strings.ToLower(t.Title + " " + t.Provider.Short + " " + t.Provider.Name + " " + strings.Join(t.Services, " ") + " " + t.ID)
		match := true
		for _, w := range words {
			if !strings.Contains(hay, w) {
				match = false
				break
			}
		}
		if !match {
			continue
		}
		info := TemplateInfo{ID: t.ID, Title: t.Title, Provider: t.Provider.Short, ProviderFull: t.Provider.Name,
			Services: t.Services, TermDays: t.TermDays, Training: t.Training, PersonalSignature: t.PersonalSignature}
		for _, c := range t.Channels {
			info.Channels = append(info.Channels, string(c))
		}
		out = append(out, info)
	}
	return out, nil
}

// Get returns one template with its fields.
func (s *TemplatesService) Get(id string) (*templates.Template, error) {
	t, err := s.app.catalogue().Get(id)
	if err != nil {
		return nil, s.app.fail("templates.Get", err)
	}
	return t, nil
}

// Import adds a template file given by the region to this workstation's
// catalogue; an invalid file is refused with the reason, the catalogue
// unchanged.
func (s *TemplatesService) Import(path string) (TemplateInfo, error) {
	dir := filepath.Join(s.app.cfg.DataDir, "templates")
	t, err := templates.Import(dir, path)
	if err != nil {
		return TemplateInfo{}, s.app.fail("templates.Import", err)
	}
	if err := s.app.reloadCatalogue(); err != nil {
		return TemplateInfo{}, s.app.fail("templates.Import", err)
	}
	return TemplateInfo{ID: t.ID, Title: t.Title, Provider: t.Provider.Short}, nil
}
