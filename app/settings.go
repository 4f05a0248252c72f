package app

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/validate"
)

// org is the requesting authority as the templates fill it in.
func (a *App) org(ctx context.Context, db *store.DB) (*templates.Org, error) {
	var id Identity
	for key, dst := range id.fields() {
		v, err := db.Setting(ctx, key)
		if err != nil {
			return nil, err
		}
		*dst = v
	}
	official := id.Signer
	if official == "" {
		official = id.Clerk
	}
	return &templates.Org{Name: id.Settlement, OKTMO: id.OKTMO, INN: id.INN, OGRN: id.OGRN, KPP: id.KPP,
		Address: id.Address, OfficialName: official, OfficialPosition: id.Position}, nil
}

// actor names who acts in the journal's history: the clerk, when known.
func (a *App) actor(ctx context.Context, db *store.DB) string {
	if v, _ := db.Setting(ctx, store.SettingClerk); v != "" {
		return v
	}
	return "сотрудник"
}

// SettingsService holds the workstation's identity and modes.
type SettingsService struct{ app *App }

// Identity is who works at this workstation.
type Identity struct {
	Settlement string `json:"settlement"`
	OKTMO      string `json:"oktmo"`
	Clerk      string `json:"clerk"`
	Position   string `json:"position"` // the official's position, for the requests' signature block
	Signer     string `json:"signer"`   // the official who signs the requests; the clerk when empty
	INN        string `json:"inn"`      // of the administration
	OGRN       string `json:"ogrn"`
	KPP        string `json:"kpp"`
	Address    string `json:"address"`
	Training   bool   `json:"training"` // «Учебный режим»: the built-in SMEV node
	DataDir    string `json:"dataDir"`
}

// Identity returns the workstation identity for the status bar.
func (s *SettingsService) Identity() (Identity, error) {
	db, err := s.app.journal()
	if err != nil {
		return Identity{}, s.app.fail("settings.Identity", err)
	}
	ctx := context.Background()
	var id Identity
	for key, dst := range id.fields() {
		if *dst, err = db.Setting(ctx, key); err != nil {
			return Identity{}, s.app.fail("settings.Identity", err)
		}
	}
	training, err := db.Setting(ctx, store.SettingTraining)
	if err != nil {
		return Identity{}, s.app.fail("settings.Identity", err)
	}
	id.Training = training == "1"
	id.DataDir = db.Dir()
	return id, nil
}

func (id *Identity) fields() map[string]*string {
	return map[string]*string{store.SettingSettlement: &id.Settlement, store.SettingOKTMO: &id.OKTMO,
		store.SettingClerk: &id.Clerk, "identity.position": &id.Position, "identity.signer": &id.Signer, "identity.inn": &id.INN,
		"identity.ogrn": &id.OGRN, "identity.kpp": &id.KPP, "identity.address": &id.Address}
}

// SaveIdentity checks and stores the identity. Every problem is named.
func (s *SettingsService) SaveIdentity(id Identity) (Identity, error) {
	for _, p := range id.fields() {
		*p = strings.TrimSpace(*p)
	}
	var problems []string
	if id.Settlement == "" {
		problems = append(problems, "Укажите название поселения.")
	}
	if id.Clerk == "" {
		problems = append(problems, "Укажите фамилию, имя и отчество сотрудника.")
	}
	for _, c := range []struct {
		v     *string
		check func(string) (string, error)
		label string
	}{{&id.OKTMO, validate.OKTMO, "ОКТМО"}, {&id.INN, validate.INNLegal, "ИНН"}, {&id.OGRN, validate.OGRN, "ОГРН"}, {&id.KPP, validate.KPP, "КПП"}} {
		if *c.v == "" {
			continue
		}
		canon, err := c.check(*c.v)
		if err != nil {
			problems = append(problems, c.label+": "+domain.ErrorMessage(err))
			continue
		}
		*c.v = canon
	}
	for _, p := range id.fields() {
		if utf8.RuneCountInString(*p) > 300 {
			problems = append(problems, "Слишком длинное значение.")
			break
		}
	}
	if len(problems) > 0 {
		return Identity{}, s.app.fail("settings.SaveIdentity", domain.Errorf(domain.EINVALID, "%s", strings.Join(problems, " ")))
	}
	db, err := s.app.journal()
	if err != nil {
		return Identity{}, s.app.fail("settings.SaveIdentity", err)
	}
	training := "0"
	if id.Training {
		training = "1"
	}
	before, _ := db.Setting(context.Background(), store.SettingTraining)
	kv := map[string]string{store.SettingTraining: training}
	for k, p := range id.fields() {
		kv[k] = *p
	}
	err = db.SetSettings(context.Background(), kv)
	if err != nil {
		return Identity{}, s.app.fail("settings.SaveIdentity", err)
	}
	if before != training {
		// The training node comes and goes with the training mode.
		s.app.stopSMEV()
		s.app.startSMEV(context.Background())
	}
	return s.Identity()
}
