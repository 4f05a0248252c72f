package app

import (
	"context"
	"crypto/x509"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/workstation"
)

// The key picker «Ключ подписи»: every key found (tokens and their
// certificates, CryptoPro containers on removable drives and in the user's
// folders, files chosen by hand), each with its certificate and the trust
// verdict of its chain; then the PIN. Listing never asks for a PIN.

// KeyChoice is the key the clerk signs with: a file, a container folder or
// a token's pkcs11: URI (KeyView.ID) and its PIN; in the training mode the
// training key (Training true).
type KeyChoice struct {
	Path     string `json:"path"`
	CertPath string `json:"certPath"`
	PIN      string `json:"pin"`
	Training bool   `json:"training"`
}

// CertView is what the clerk sees of a certificate before signing.
type CertView struct {
	Owner        string    `json:"owner"`
	Title        string    `json:"title,omitempty"` // должность
	Organization string    `json:"organization,omitempty"`
	Subject      string    `json:"subject"`
	Issuer       string    `json:"issuer"`
	SNILS        string    `json:"snils,omitempty"`
	INN          string    `json:"inn,omitempty"`
	OGRN         string    `json:"ogrn,omitempty"`
	Serial       string    `json:"serial"`
	NotBefore    time.Time `json:"notBefore"`
	NotAfter     time.Time `json:"notAfter"`
	Valid        bool      `json:"valid"`    // valid at the app's clock
	Validity     string    `json:"validity"` // «действителен до 03.12.2027», «истёк 01.02.2026»
	Trusted      bool      `json:"trusted"`
	Trust        string    `json:"trust"` // «действительна» or «не доверенный: …»
	Training     bool      `json:"training"`
	Software     bool      `json:"software"` // the key is not in a certified crypto tool (СКЗИ)
}

// KeyView is one key in the picker.
type KeyView struct {
	ID       string    `json:"id"`       // KeyChoice.Path: a file, a folder, a pkcs11: URI; "training"
	Kind     string    `json:"kind"`     // token, container, pfx, pem, training
	KindText string    `json:"kindText"` // «Токен», «Контейнер КриптоПро», «Файл PFX», «Файл ключа PEM», «Учебный ключ»
	Label    string    `json:"label"`
	Where    string    `json:"where"`
	Cert     *CertView `json:"cert,omitempty"` // nil: seen once the key is opened
	Note     string    `json:"note,omitempty"`
	Secret   string    `json:"secret"`   // what to type: «PIN-код» or «пароль»
	NeedCert bool      `json:"needCert"` // no certificate in the key: a certificate file is asked for
	Software bool      `json:"software"`
	Training bool      `json:"training"`
}

// KeyList is what the picker lists.
type KeyList struct {
	Keys         []KeyView `json:"keys"`
	Notes        []string  `json:"notes"`        // drivers that did not start, tokens without certificates
	SoftwareNote string    `json:"softwareNote"` // what a software key means for the signature
	KeysDir      string    `json:"keysDir"`      // the folder of keys the picker looks in
}

var kindTexts = map[string]string{workstation.KeyToken: "Токен", workstation.KeyContainer: "Контейнер КриптоПро",
	workstation.KeyPFX: "Файл PFX", workstation.KeyPEM: "Файл ключа PEM", workstation.KeyTraining: "Учебный ключ"}

// trainingID is the training key's KeyView.ID.
const trainingID = "training"

// Keys lists every key found on this computer, without asking for a PIN.
func (s *RequestsService) Keys() (KeyList, error) {
	const op = "requests.Keys"
	ws, err := s.app.core()
	if err != nil {
		return KeyList{}, s.app.fail(op, err)
	}
	ctx := context.Background()
	list := KeyList{Keys: []KeyView{}, Notes: []string{}, SoftwareNote: workstation.SoftwareKeyNote, KeysDir: workstation.KeysDir(ws.Dir())}
	if ws.Training(ctx) {
		k, err := s.app.trainingKey(ctx)
		if err != nil {
			return KeyList{}, s.app.fail(op, err)
		}
		v := s.keyView(ctx, ws, workstation.FoundKey{Kind: workstation.KeyTraining, Path: trainingID, Label: "Учебный ключ",
			Where: "учебный режим", Cert: k.Certificate(), Software: true, Training: true, Secret: "PIN-код",
			Note: "Учебный ключ: подойдёт любой PIN-код."})
		list.Keys = append(list.Keys, v)
	}
	search := ws.KeySearch(ctx)
	if s.app.cfg.KeySearch != nil {
		search = s.app.cfg.KeySearch(search)
	}
	scan := workstation.FindKeys(search)
	for _, f := range scan.Keys {
		list.Keys = append(list.Keys, s.keyView(ctx, ws, f))
	}
	list.Notes = append(list.Notes, scan.Notes...)
	return list, nil
}

// keyView shows a found key with its certificate judged offline.
func (s *RequestsService) keyView(ctx context.Context, ws *workstation.Workstation, f workstation.FoundKey) KeyView {
	v := KeyView{ID: f.Path, Kind: f.Kind, KindText: kindTexts[f.Kind], Label: f.Label, Where: f.Where, Note: f.Note,
		Secret: f.Secret, Software: f.Software, Training: f.Training}
	if f.Cert != nil {
		cv := s.app.certView(ctx, ws, f.Cert, false)
		cv.Training, cv.Software = f.Training, f.Software
		v.Cert = &cv
	} else if f.Kind == workstation.KeyPEM || f.Kind == workstation.KeyContainer {
		v.NeedCert = true
	}
	return v
}

// DescribeKey shows a key the clerk named by hand (a file, a container
// folder, a pkcs11: URI) as the picker lists it, and remembers it for the
// next time.
func (s *RequestsService) DescribeKey(path string) (KeyView, error) {
	const op = "requests.DescribeKey"
	ws, err := s.app.core()
	if err != nil {
		return KeyView{}, s.app.fail(op, err)
	}
	f, err := workstation.DescribeKey(path, "выбран вручную")
	if err != nil {
		return KeyView{}, s.app.fail(op, err)
	}
	ctx := context.Background()
	if err := ws.RememberKey(ctx, f.Path); err != nil {
		s.app.log.Error("key not remembered", "err", err)
	}
	return s.keyView(ctx, ws, f), nil
}

// ChooseKeyFile asks for a key file (PFX, P12, PEM, or a container's
// header.key) with the system's dialog. Cancelling gives an empty KeyView.
func (s *RequestsService) ChooseKeyFile() (KeyView, error) {
	return s.chooseKey(false)
}

// ChooseKeyFolder asks for a CryptoPro container folder (xxxxxxxx.000).
// Without a folder dialog, the container's header.key is asked for.
func (s *RequestsService) ChooseKeyFolder() (KeyView, error) {
	return s.chooseKey(true)
}

func (s *RequestsService) chooseKey(folder bool) (KeyView, error) {
	const op = "requests.ChooseKey"
	path, err := s.app.choose(folder, "Файл ключа подписи", "Ключи (*.pfx, *.p12, *.pem, *.key)", "*.pfx;*.p12;*.pem;*.key")
	if err != nil {
		return KeyView{}, s.app.fail(op, err)
	}
	if path == "" {
		return KeyView{}, nil
	}
	return s.DescribeKey(path)
}

// OpenKey opens the clerk's signing key for this session and shows its
// certificate with the trust verdict of its chain. The PIN is used once and
// is never stored or logged.
func (s *RequestsService) OpenKey(choice KeyChoice) (CertView, error) {
	const op = "requests.OpenKey"
	ws, err := s.app.core()
	if err != nil {
		return CertView{}, s.app.fail(op, err)
	}
	ctx := context.Background()
	var key keys.Key
	training := choice.Training || choice.Path == trainingID
	if training {
		if !ws.Training(ctx) {
			return CertView{}, s.app.fail(op, domain.Errorf(domain.EPERMISSION, "Учебный ключ доступен только в учебном режиме."))
		}
		key, err = s.app.trainingKey(ctx)
	} else {
		if strings.TrimSpace(choice.Path) == "" {
			return CertView{}, s.app.fail(op, domain.Errorf(domain.EINVALID, "Выберите ключ в списке или укажите файл ключа (.pfx, .p12, .pem), папку контейнера КриптоПро или токен."))
		}
		pin := []byte(choice.PIN)
		key, err = keys.Open(strings.TrimSpace(choice.Path), strings.TrimSpace(choice.CertPath), pin) // zeroes pin
	}
	if err != nil {
		return CertView{}, s.app.fail(op, err)
	}
	cert := key.Certificate()
	if cert == nil {
		key.Close()
		return CertView{}, s.app.fail(op, domain.Errorf(domain.EINVALID, "У ключа нет сертификата: укажите файл сертификата."))
	}
	view := s.app.certView(ctx, ws, cert, true)
	view.Training, view.Software = training, training || workstation.IsSoftwareKey(choice.Path)
	if !view.Valid {
		if !training {
			key.Close()
		}
		return CertView{}, s.app.fail(op, domain.Errorf(domain.ESIGNATURE, "Сертификат «%s» %s. Подписать им нельзя: нужен действующий сертификат.", view.Owner, view.Validity))
	}
	s.app.mu.Lock()
	if old := s.app.smev.personal; old != nil && old != s.app.smev.trainingKey {
		old.Close()
	}
	s.app.smev.personal = key
	s.app.mu.Unlock()
	return view, nil
}

// certView describes a certificate at the app's clock with the trust
// verdict of its chain (online: CRLs may be downloaded).
func (a *App) certView(ctx context.Context, ws *workstation.Workstation, cert *x509.Certificate, online bool) CertView {
	c := signer.NewCertInfo(cert, a.now())
	inn := c.INN
	if inn == "" {
		inn = c.INNLE
	}
	ogrn := c.OGRN
	if ogrn == "" {
		ogrn = c.OGRNIP
	}
	v := CertView{Owner: c.Owner, Subject: c.Subject, Issuer: c.Issuer, SNILS: c.SNILS, INN: inn, OGRN: ogrn,
		Serial: c.Serial, NotBefore: c.NotBefore, NotAfter: c.NotAfter, Valid: c.ValidAt(), Validity: validityRu(c)}
	if len(cert.Subject.Organization) > 0 {
		v.Organization = cert.Subject.Organization[0]
	}
	for _, n := range cert.Subject.Names {
		if n.Type.String() == "2.5.4.12" {
			v.Title, _ = n.Value.(string)
		}
	}
	verdict := ws.JudgeKeyCertificate(ctx, cert, online)
	v.Trusted, v.Trust = verdict.Trusted, verdict.Text
	return v
}

// validityRu is the certificate's validity at its check, in Russian.
func validityRu(c *signer.CertInfo) string {
	const f = "02.01.2006"
	switch {
	case c.Expired:
		return "истёк " + c.NotAfter.UTC().Format(f)
	case c.NotYet:
		return "начнёт действовать " + c.NotBefore.UTC().Format(f)
	}
	return "действителен до " + c.NotAfter.UTC().Format(f)
}

// trainingKey is the training mode's key of this session: made once, its
// throwaway CA trusted in the training contour, so the picker shows the
// verdict a real key would get.
func (a *App) trainingKey(ctx context.Context) (keys.Key, error) {
	a.mu.Lock()
	k := a.smev.trainingKey
	a.mu.Unlock()
	if k != nil {
		return k, nil
	}
	ws, err := a.core()
	if err != nil {
		return nil, err
	}
	db := ws.Journal()
	k, ca, err := keys.NewDemoGOST(keys.DemoSubject{CommonName: a.actor(ctx, db), Organization: a.settlementName(ctx, db),
		Title: trainingTitle(ctx, db), SNILS: "11223344595", INN: "500100732259", INNLE: "7700000001", OGRN: "1027700000001",
		ValidFrom: a.now()}, 365*24*time.Hour)
	if err != nil {
		return nil, err
	}
	ws.TrustTraining([]*x509.Certificate{ca})
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.smev.trainingKey == nil {
		a.smev.trainingKey = k
	}
	return a.smev.trainingKey, nil
}

func trainingTitle(ctx context.Context, db *store.DB) string {
	if v, _ := db.Setting(ctx, "identity.position"); v != "" {
		return v
	}
	return "Специалист администрации"
}

// choose asks for a file, or a folder when folder is set and the desktop
// can; "" when the clerk cancels.
func (a *App) choose(folder bool, title, filterName, pattern string) (string, error) {
	if a.cfg.Desktop == nil {
		return "", domain.Errorf(domain.EUNAVAILABLE, "Выбор файла доступен только в окне программы: укажите путь вручную.")
	}
	var path string
	var err error
	if fd, ok := a.cfg.Desktop.(FolderDialog); ok && folder {
		path, err = fd.OpenDirectoryDialog(title)
	} else {
		path, err = a.cfg.Desktop.OpenFileDialog(title, filterName, pattern)
	}
	if err != nil {
		return "", domain.Wrap(err, domain.EINTERNAL, "app.choose", "Окно выбора файла не открылось. Попробуйте ещё раз или укажите путь вручную.")
	}
	return path, nil
}

// FolderDialog is a Desktop that can ask for a folder (Wails' runtime
// can); without it a file inside the folder is asked for.
type FolderDialog interface {
	OpenDirectoryDialog(title string) (string, error) // "" when the clerk cancels
}

// KeyModules returns the PKCS#11 libraries the administrator added for the
// key picker (a token's or CryptoPro CSP's library in an unusual place).
func (s *SettingsService) KeyModules() ([]string, error) {
	ws, err := s.app.core()
	if err != nil {
		return nil, s.app.fail("settings.KeyModules", err)
	}
	m, err := ws.KeyModules(context.Background())
	if err != nil {
		return nil, s.app.fail("settings.KeyModules", err)
	}
	return m, nil
}

// SaveKeyModules keeps those libraries, each checked; nothing is kept
// when one is wrong.
func (s *SettingsService) SaveKeyModules(paths []string) ([]string, error) {
	ws, err := s.app.core()
	if err != nil {
		return nil, s.app.fail("settings.SaveKeyModules", err)
	}
	m, err := ws.SetKeyModules(context.Background(), paths)
	if err != nil {
		return nil, s.app.fail("settings.SaveKeyModules", err)
	}
	return m, nil
}
