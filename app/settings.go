package app

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/store"
)

// SettingsService holds the workstation's identity and modes.
type SettingsService struct{ app *App }

// Identity is who works at this workstation.
type Identity struct {
	Settlement string `json:"settlement"`
	OKTMO      string `json:"oktmo"`
	Clerk      string `json:"clerk"`
	Training   bool   `json:"training"` // «Учебный режим»: the built-in SMEV node
	DataDir    string `json:"dataDir"`
}

// Identity returns the workstation identity for the status bar.
func (s *SettingsService) Identity() Result {
	db, err := s.app.journal()
	if err != nil {
		return s.app.fail("settings.Identity", err)
	}
	ctx := context.Background()
	var id Identity
	for key, dst := range map[string]*string{store.SettingSettlement: &id.Settlement, store.SettingOKTMO: &id.OKTMO, store.SettingClerk: &id.Clerk} {
		if *dst, err = db.Setting(ctx, key); err != nil {
			return s.app.fail("settings.Identity", err)
		}
	}
	training, err := db.Setting(ctx, store.SettingTraining)
	if err != nil {
		return s.app.fail("settings.Identity", err)
	}
	id.Training = training == "1"
	id.DataDir = db.Dir()
	return ok(id)
}

// SaveIdentity checks and stores the identity. Every problem is named.
func (s *SettingsService) SaveIdentity(id Identity) Result {
	id.Settlement, id.Clerk, id.OKTMO = strings.TrimSpace(id.Settlement), strings.TrimSpace(id.Clerk), strings.TrimSpace(id.OKTMO)
	var problems []string
	if id.Settlement == "" {
		problems = append(problems, "Укажите название поселения.")
	}
	if id.Clerk == "" {
		problems = append(problems, "Укажите фамилию, имя и отчество сотрудника.")
	}
	if n := len(id.OKTMO); id.OKTMO != "" && (n != 8 && n != 11 || strings.Trim(id.OKTMO, "0123456789") != "") {
		problems = append(problems, "ОКТМО состоит из 8 или 11 цифр.")
	}
	if utf8.RuneCountInString(id.Settlement) > 300 || utf8.RuneCountInString(id.Clerk) > 300 {
		problems = append(problems, "Слишком длинное значение.")
	}
	if len(problems) > 0 {
		return s.app.fail("settings.SaveIdentity", domain.Errorf(domain.EINVALID, "%s", strings.Join(problems, " ")))
	}
	db, err := s.app.journal()
	if err != nil {
		return s.app.fail("settings.SaveIdentity", err)
	}
	training := "0"
	if id.Training {
		training = "1"
	}
	err = db.SetSettings(context.Background(), map[string]string{store.SettingSettlement: id.Settlement,
		store.SettingOKTMO: id.OKTMO, store.SettingClerk: id.Clerk, store.SettingTraining: training})
	if err != nil {
		return s.app.fail("settings.SaveIdentity", err)
	}
	return s.Identity()
}
