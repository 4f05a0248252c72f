package app

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/trust"
	"github.com/mezhved/mezhved/workstation"
)

// ChannelView is the SMEV connection as the settings screen shows it.
type ChannelView struct {
	URL       string `json:"url"`
	Version   string `json:"version"`
	PlainHTTP bool   `json:"plainHttp"`
	TLSCert   string `json:"tlsCert"`
	TLSKey    string `json:"tlsKey"`
	CA        string `json:"ca"`
	Key       string `json:"key"`  // the information system's ЭП-ОВ key (file or pkcs11: URI)
	Cert      string `json:"cert"` // its certificate, when the key file has none
	Timeout   string `json:"timeout"`
	// Contour: production (продуктивный контур) or test (тестовый): whose
	// trusted certificates ЭП-СМЭВ and the providers' ЭП-ОВ must chain to.
	Contour   string `json:"contour"`
	Connected bool   `json:"connected"`
	Channel   string `json:"channel,omitempty"` // how the connection goes, said plainly
	Note      string `json:"note,omitempty"`
	// Checks say what each file named above turned out to be (see
	// channelfiles.go); filled by Channel, CheckChannel and
	// ChooseChannelFile, ignored by SaveChannel, which checks again.
	Checks []workstation.FileCheck `json:"checks"`
}

var channelKeys = map[string]func(*ChannelView) *string{
	transport.SettingURL: func(c *ChannelView) *string { return &c.URL }, transport.SettingVersion: func(c *ChannelView) *string { return &c.Version },
	transport.SettingTLSCert: func(c *ChannelView) *string { return &c.TLSCert }, transport.SettingTLSKey: func(c *ChannelView) *string { return &c.TLSKey },
	transport.SettingCA: func(c *ChannelView) *string { return &c.CA }, transport.SettingKey: func(c *ChannelView) *string { return &c.Key },
	transport.SettingCert: func(c *ChannelView) *string { return &c.Cert }, transport.SettingTimeout: func(c *ChannelView) *string { return &c.Timeout },
	transport.SettingContour: func(c *ChannelView) *string { return &c.Contour },
}

// Channel returns the SMEV connection settings and whether it is connected.
func (s *SettingsService) Channel() (ChannelView, error) {
	db, err := s.app.journal()
	if err != nil {
		return ChannelView{}, s.app.fail("settings.Channel", err)
	}
	ctx := context.Background()
	var c ChannelView
	for k, f := range channelKeys {
		if *f(&c), err = db.Setting(ctx, k); err != nil {
			return ChannelView{}, s.app.fail("settings.Channel", err)
		}
	}
	plain, _ := db.Setting(ctx, transport.SettingPlainHTTP)
	c.PlainHTTP = plain == "1"
	if c.Contour == "" {
		c.Contour = string(trust.Production)
	}
	s.app.mu.Lock()
	if svc := s.app.smev.svc; svc != nil {
		c.Connected, c.Channel = true, svc.Channel()
	}
	c.Note = s.app.smev.note
	s.app.mu.Unlock()
	c.Checks = s.app.checkChannelFiles(c)
	return c, nil
}

// SaveChannel checks and stores the SMEV connection settings; every problem
// is named. It does not connect: ConnectSMEV does, with the key's PIN.
func (s *SettingsService) SaveChannel(c ChannelView) (ChannelView, error) {
	const op = "settings.SaveChannel"
	for _, f := range channelKeys {
		*f(&c) = strings.TrimSpace(*f(&c))
	}
	var problems []string
	u, err := url.Parse(c.URL)
	switch {
	case c.URL == "":
		problems = append(problems, "Укажите адрес узла СМЭВ.")
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		problems = append(problems, "Адрес узла СМЭВ должен начинаться с https:// (или http:// внутри защищённой сети).")
	case u.Scheme == "http" && !c.PlainHTTP:
		problems = append(problems, "Адрес начинается с http://: отметьте, что узел находится внутри защищённой сети (ViPNet), или укажите https://.")
	}
	if c.Version == "" {
		c.Version = transport.V13
	}
	if c.Version != transport.V13 && c.Version != "1.2" {
		problems = append(problems, "Версия схем СМЭВ: 1.3 или 1.2.")
	}
	if u != nil && u.Scheme == "https" && (c.TLSCert == "" || c.TLSKey == "" || c.CA == "") {
		problems = append(problems, "Для https:// укажите сертификат и ключ клиента TLS и корневой сертификат узла СМЭВ.")
	}
	if c.Key == "" {
		problems = append(problems, "Укажите ключ электронной подписи информационной системы (ЭП-ОВ).")
	}
	if c.Contour == "" {
		c.Contour = string(trust.Production)
	}
	if c.Contour != string(trust.Production) && c.Contour != string(trust.Test) {
		problems = append(problems, "Контур СМЭВ: продуктивный или тестовый.")
	}
	if c.Timeout != "" {
		if d, err := time.ParseDuration(c.Timeout); err != nil || d < time.Second || d > 10*time.Minute {
			problems = append(problems, "Время ожидания ответа: например, 60s (от 1 секунды до 10 минут).")
		}
	}
	problems = append(problems, channelFileProblems(s.app.checkChannelFiles(c))...)
	if len(problems) > 0 {
		return ChannelView{}, s.app.fail(op, domain.Errorf(domain.EINVALID, "%s", strings.Join(problems, " ")))
	}
	db, err := s.app.journal()
	if err != nil {
		return ChannelView{}, s.app.fail(op, err)
	}
	kv := map[string]string{transport.SettingPlainHTTP: "0"}
	if c.PlainHTTP {
		kv[transport.SettingPlainHTTP] = "1"
	}
	for k, f := range channelKeys {
		kv[k] = *f(&c)
	}
	if err := db.SetSettings(context.Background(), kv); err != nil {
		return ChannelView{}, s.app.fail(op, err)
	}
	return s.Channel()
}

// ConnectSMEV opens the information system's key with its PIN and starts the
// outbox and the poller against the configured node. The PIN is used once.
func (s *SettingsService) ConnectSMEV(pin string) (ChannelView, error) {
	const op = "settings.ConnectSMEV"
	db, err := s.app.journal()
	if err != nil {
		return ChannelView{}, s.app.fail(op, err)
	}
	ctx := context.Background()
	if v, _ := db.Setting(ctx, store.SettingTraining); v == "1" {
		return ChannelView{}, s.app.fail(op, domain.Errorf(domain.ECONFLICT, "Включён учебный режим: запросы уходят на учебный узел. Выключите его, чтобы подключиться к настоящей СМЭВ."))
	}
	ch, err := transport.ReadChannelSettings(func(k string) (string, error) { return db.Setting(ctx, k) })
	if err != nil {
		return ChannelView{}, s.app.fail(op, err)
	}
	ep, err := ch.Endpoint()
	if err != nil {
		return ChannelView{}, s.app.fail(op, err)
	}
	keyPath, _ := db.Setting(ctx, transport.SettingKey)
	certPath, _ := db.Setting(ctx, transport.SettingCert)
	secret := []byte(pin)
	key, err := keys.Open(keyPath, certPath, secret) // zeroes secret
	if err != nil {
		return ChannelView{}, s.app.fail(op, err)
	}
	ws, err := s.app.core()
	if err != nil {
		key.Close()
		return ChannelView{}, s.app.fail(op, err)
	}
	svc, err := ws.NewService(ep, key, workstation.ServiceOptions{Provider: true})
	if err != nil {
		key.Close()
		return ChannelView{}, s.app.fail(op, err)
	}
	s.app.stopSMEV()
	svc.Start()
	s.app.mu.Lock()
	s.app.smev = smevState{svc: svc, system: key}
	s.app.mu.Unlock()
	return s.Channel()
}
