package app

import (
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/workstation"
)

// The files of the SMEV connection are chosen with the system's dialog and
// checked on the spot (workstation.CheckChannelFiles): the TLS certificate
// and its key are a pair and valid, the node's CA is readable, the ЭП-ОВ
// key shows its certificate. Nothing is saved until SaveChannel.

// channelDialogs says how each file is asked for: the dialog's title, its
// filter, and whether it is a folder (a CryptoPro container).
var channelDialogs = map[string]struct {
	title, filter, pattern string
	folder                 bool
}{
	workstation.FileTLSCert: {"Сертификат клиента TLS", "Сертификат PEM (*.pem, *.crt, *.cer)", "*.pem;*.crt;*.cer", false},
	workstation.FileTLSKey:  {"Ключ клиента TLS", "Ключ PEM (*.pem, *.key)", "*.pem;*.key", false},
	workstation.FileCA:      {"Корневой сертификат узла СМЭВ", "Сертификат PEM (*.pem, *.crt, *.cer)", "*.pem;*.crt;*.cer", false},
	workstation.FileKey:     {"Ключ ЭП информационной системы (ЭП-ОВ)", "Ключи (*.pfx, *.p12, *.pem, *.key)", "*.pfx;*.p12;*.pem;*.key", false},
	"keyFolder":             {"Папка контейнера КриптоПро с ключом ЭП-ОВ", "Заголовок контейнера (header.key)", "header.key", true},
	workstation.FileCert:    {"Сертификат ЭП-ОВ", "Сертификат (*.pem, *.crt, *.cer)", "*.pem;*.crt;*.cer", false},
}

// field returns the ChannelView field a file goes into.
func (c *ChannelView) field(name string) *string {
	switch name {
	case workstation.FileTLSCert:
		return &c.TLSCert
	case workstation.FileTLSKey:
		return &c.TLSKey
	case workstation.FileCA:
		return &c.CA
	case workstation.FileKey, "keyFolder":
		return &c.Key
	case workstation.FileCert:
		return &c.Cert
	}
	return nil
}

// ChooseChannelFile asks for one file of the connection (field: tlsCert,
// tlsKey, ca, key, keyFolder — the ЭП-ОВ key as a container folder — or
// cert) with the system's dialog, puts it into c and checks c's files.
// Cancelling returns c as it was, checked. Nothing is saved.
func (s *SettingsService) ChooseChannelFile(field string, c ChannelView) (ChannelView, error) {
	const op = "settings.ChooseChannelFile"
	d, ok := channelDialogs[field]
	dst := c.field(field)
	if !ok || dst == nil {
		return ChannelView{}, s.app.fail(op, domain.Errorf(domain.EINVALID, "Неизвестный файл подключения %q.", field))
	}
	path, err := s.app.choose(d.folder, d.title, d.filter, d.pattern)
	if err != nil {
		return ChannelView{}, s.app.fail(op, err)
	}
	if path != "" {
		*dst = path
	}
	return s.CheckChannel(c)
}

// CheckChannel checks the files c names (typed or chosen) and returns c
// with the result of each in Checks. Nothing is saved.
func (s *SettingsService) CheckChannel(c ChannelView) (ChannelView, error) {
	c.Checks = s.app.checkChannelFiles(c)
	return c, nil
}

func (a *App) checkChannelFiles(c ChannelView) []workstation.FileCheck {
	checks := workstation.CheckChannelFiles(workstation.ChannelFiles{TLSCert: c.TLSCert, TLSKey: c.TLSKey, CA: c.CA, Key: c.Key, Cert: c.Cert}, a.now())
	if checks == nil {
		checks = []workstation.FileCheck{}
	}
	return checks
}

// channelFileProblems lists what is wrong with the files, for SaveChannel.
func channelFileProblems(checks []workstation.FileCheck) []string {
	names := map[string]string{workstation.FileTLSCert: "Сертификат клиента TLS", workstation.FileTLSKey: "Ключ клиента TLS",
		workstation.FileCA: "Корневой сертификат узла СМЭВ", workstation.FileKey: "Ключ ЭП-ОВ", workstation.FileCert: "Сертификат ЭП-ОВ"}
	var out []string
	for _, ch := range checks {
		if !ch.OK {
			out = append(out, names[ch.Field]+": "+ch.Text)
		}
	}
	return out
}
