package app

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/transport/adapter"
	"github.com/mezhved/mezhved/trust"
	"github.com/mezhved/mezhved/workstation"
)

// ChannelView is the SMEV connection as the settings screen shows it: the
// road (SMEV 3 directly, or the region's SMEV adapter) and its connection.
// URL, PlainHTTP, the TLS files and Timeout are those of the chosen road;
// the ЭП-ОВ key and the contour are the workstation's.
type ChannelView struct {
	Via string `json:"via"` // direct or adapter
	// The adapter's itSystem mnemonic, node id and attachment folder.
	ITSystem  string `json:"itSystem"`
	NodeID    string `json:"nodeId"`
	FilesDir  string `json:"filesDir"`
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

// adapterKeys are the settings of the adapter's road; the ЭП-ОВ key and
// the contour stay in channelKeys.
var adapterKeys = map[string]func(*ChannelView) *string{
	adapter.SettingURL: func(c *ChannelView) *string { return &c.URL }, adapter.SettingITSystem: func(c *ChannelView) *string { return &c.ITSystem },
	adapter.SettingNodeID: func(c *ChannelView) *string { return &c.NodeID }, adapter.SettingTLSCert: func(c *ChannelView) *string { return &c.TLSCert },
	adapter.SettingTLSKey: func(c *ChannelView) *string { return &c.TLSKey }, adapter.SettingCA: func(c *ChannelView) *string { return &c.CA },
	adapter.SettingTimeout: func(c *ChannelView) *string { return &c.Timeout }, adapter.SettingFilesDir: func(c *ChannelView) *string { return &c.FilesDir },
	transport.SettingKey: func(c *ChannelView) *string { return &c.Key }, transport.SettingCert: func(c *ChannelView) *string { return &c.Cert },
	transport.SettingContour: func(c *ChannelView) *string { return &c.Contour },
}

// roadKeys are the settings of road via and the key of its plain-HTTP
// permission.
func roadKeys(via string) (map[string]func(*ChannelView) *string, string) {
	if via == workstation.ViaAdapter {
		return adapterKeys, adapter.SettingPlainHTTP
	}
	return channelKeys, transport.SettingPlainHTTP
}

// Channel returns the SMEV connection settings and whether it is connected.
func (s *SettingsService) Channel() (ChannelView, error) {
	db, err := s.app.journal()
	if err != nil {
		return ChannelView{}, s.app.fail("settings.Channel", err)
	}
	ctx := context.Background()
	var c ChannelView
	v, _ := db.Setting(ctx, adapter.SettingChannel)
	if c.Via, err = workstation.ParseVia(v); err != nil {
		c.Via = workstation.ViaDirect // a bad value is named when connecting
	}
	keys, plainKey := roadKeys(c.Via)
	for k, f := range keys {
		if *f(&c), err = db.Setting(ctx, k); err != nil {
			return ChannelView{}, s.app.fail("settings.Channel", err)
		}
	}
	plain, _ := db.Setting(ctx, plainKey)
	c.PlainHTTP = plain == "1"
	c.Timeout = timeoutWords(c.Timeout)
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
	via, err := workstation.ParseVia(c.Via)
	if err != nil {
		return ChannelView{}, s.app.fail(op, err)
	}
	c.Via = via
	keys, plainKey := roadKeys(via)
	for _, f := range keys {
		*f(&c) = strings.TrimSpace(*f(&c))
	}
	if via == workstation.ViaDirect && c.Version == "" {
		c.Version = transport.V13
	}
	problems := roadProblems(c)
	if c.Contour == "" {
		c.Contour = string(trust.Production)
	}
	if c.Contour != string(trust.Production) && c.Contour != string(trust.Test) {
		problems = append(problems, "Контур СМЭВ: продуктивный или тестовый.")
	}
	if c.Timeout != "" {
		if d, ok := parseTimeout(c.Timeout); !ok || d < time.Second || d > 10*time.Minute {
			problems = append(problems, "Время ожидания ответа: число секунд, например «60 секунд» (от 1 секунды до 10 минут).")
		} else {
			c.Timeout = storedTimeout(d)
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
	kv := map[string]string{plainKey: "0", adapter.SettingChannel: via}
	if c.PlainHTTP {
		kv[plainKey] = "1"
	}
	for k, f := range keys {
		kv[k] = *f(&c)
	}
	if err := db.SetSettings(context.Background(), kv); err != nil {
		return ChannelView{}, s.app.fail(op, err)
	}
	return s.Channel()
}

// roadProblems names what is wrong with the connection of c's road.
func roadProblems(c ChannelView) []string {
	var problems []string
	what := "узла СМЭВ"
	if c.Via == workstation.ViaAdapter {
		what = "адаптера СМЭВ региона"
	}
	u, err := url.Parse(c.URL)
	switch {
	case c.URL == "":
		problems = append(problems, "Укажите адрес "+what+".")
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		problems = append(problems, "Адрес "+what+" должен начинаться с https:// (или http:// внутри защищённой сети).")
	case u.Scheme == "http" && !c.PlainHTTP:
		problems = append(problems, "Адрес начинается с http://: отметьте, что "+strings.TrimPrefix(what, "узла ")+" находится внутри защищённой сети (ViPNet), или укажите https://.")
	}
	if u != nil && u.Scheme == "https" && (c.TLSCert == "" || c.TLSKey == "" || c.CA == "") {
		problems = append(problems, "Для https:// укажите сертификат и ключ клиента TLS и корневой сертификат "+what+".")
	}
	if c.Via == workstation.ViaAdapter {
		if c.ITSystem == "" {
			problems = append(problems, "Укажите мнемонику информационной системы, которую выдал регион для адаптера СМЭВ.")
		}
		return problems // the adapter signs ЭП-ОВ: the key here is optional
	}
	if c.Version != transport.V13 && c.Version != "1.2" {
		problems = append(problems, "Версия схем СМЭВ: 1.3 или 1.2.")
	}
	if c.Key == "" {
		problems = append(problems, "Укажите ключ электронной подписи информационной системы (ЭП-ОВ).")
	}
	return problems
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
	ws, err := s.app.core()
	if err != nil {
		return ChannelView{}, s.app.fail(op, err)
	}
	road, err := ws.ReadRoad(ctx, "")
	if err != nil {
		return ChannelView{}, s.app.fail(op, err)
	}
	keyPath, _ := db.Setting(ctx, transport.SettingKey)
	certPath, _ := db.Setting(ctx, transport.SettingCert)
	var key keys.Key
	if keyPath != "" || road.Via == workstation.ViaDirect {
		secret := []byte(pin)
		if key, err = keys.Open(keyPath, certPath, secret); err != nil { // zeroes secret
			return ChannelView{}, s.app.fail(op, err)
		}
	}
	closeKey := func() {
		if key != nil {
			key.Close()
		}
	}
	svc, err := ws.OpenRoad(road, key, workstation.ServiceOptions{Provider: true})
	if err != nil {
		closeKey()
		return ChannelView{}, s.app.fail(op, err)
	}
	drain, note := s.app.drainOtherRoad(ctx, ws, road.Via, key)
	s.app.stopSMEV()
	svc.Start()
	if drain != nil {
		drain.Start()
	}
	s.app.mu.Lock()
	s.app.smev = smevState{svc: svc, drain: drain, system: key, note: note}
	s.app.mu.Unlock()
	if drain != nil {
		go s.app.watchDrain(drain, time.Minute)
	}
	return s.Channel()
}

// watchDrain retires the old road's service once it owes nothing, looking
// every interval; it ends when that service is no longer the drain (a new
// connection, the app stopping).
func (a *App) watchDrain(d *transport.Service, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		a.mu.Lock()
		current := a.smev.drain == d
		a.mu.Unlock()
		if !current || a.retireDrain(context.Background()) {
			return
		}
	}
}

// retireDrain closes the old road's service when that road owes nothing
// any more; true when there is no drain left.
func (a *App) retireDrain(ctx context.Context) bool {
	a.mu.Lock()
	d := a.smev.drain
	a.mu.Unlock()
	if d == nil {
		return true
	}
	ws, err := a.core()
	if err != nil {
		return false
	}
	if owed, err := ws.Owed(ctx, d.Via()); err != nil || owed {
		return false
	}
	a.mu.Lock()
	if a.smev.drain == d {
		a.smev.drain, a.smev.note = nil, ""
	}
	a.mu.Unlock()
	d.Close()
	a.log.Info("the previous road to SMEV owes nothing more", "via", d.Via())
	return true
}

// drainOtherRoad: after a switch of roads, the old road still owes answers
// (or messages) of requests it took; a service on it keeps sending and
// polling until it owes nothing, so no request is lost. Without usable
// settings of the old road the clerk is told what waits there.
func (a *App) drainOtherRoad(ctx context.Context, ws *workstation.Workstation, via string, key keys.Key) (*transport.Service, string) {
	other := workstation.OtherVia(via)
	owed, err := ws.Owed(ctx, other)
	if err != nil || !owed {
		return nil, ""
	}
	title := transport.ViaTitle(other)
	road, err := ws.ReadRoad(ctx, other)
	if err == nil && (key != nil || other == workstation.ViaAdapter) {
		svc, err := ws.OpenRoad(road, key, workstation.ServiceOptions{Provider: false})
		if err == nil {
			return svc, "Запросы, отправленные " + title + ", ещё ждут ответа: Межвед получает их ответы тем же путём, пока они не придут."
		}
	}
	a.log.Warn("the other road cannot be polled", "via", other, "err", err)
	return nil, "Запросы, отправленные " + title + ", ещё ждут ответа, но этот способ связи больше не настроен: ответы на них придут, когда связь " + title + " будет восстановлена в настройках."
}

// The timeout is kept as a Go duration ("60s": what the transports read)
// and shown to the clerk in words («60 секунд»); what the clerk types is
// read forgivingly: «60», «60 с», «60 сек», «60 секунд», «2 мин», «2 минуты»,
// or a Go duration as saved by earlier versions.
var timeoutRe = regexp.MustCompile(`^(\d{1,4})\s*(|с|сек|секунд|секунда|секунды|м|мин|минут|минута|минуты)\.?$`)

func parseTimeout(v string) (time.Duration, bool) {
	v = strings.ToLower(strings.TrimSpace(v))
	if m := timeoutRe.FindStringSubmatch(v); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			return 0, false
		}
		if strings.HasPrefix(m[2], "м") {
			return time.Duration(n) * time.Minute, true
		}
		return time.Duration(n) * time.Second, true
	}
	d, err := time.ParseDuration(v)
	return d, err == nil
}

// storedTimeout is d as the setting keeps it: whole seconds, "90s".
func storedTimeout(d time.Duration) string {
	return strconv.Itoa(int(d.Round(time.Second)/time.Second)) + "s"
}

// timeoutWords is a stored timeout as the clerk reads it; a value it cannot
// read is shown as it is, for the clerk to correct.
func timeoutWords(v string) string {
	if v == "" {
		return ""
	}
	d, ok := parseTimeout(v)
	if !ok {
		return v
	}
	n := int(d.Round(time.Second) / time.Second)
	return strconv.Itoa(n) + " " + domain.Plural(n, "секунда", "секунды", "секунд")
}
