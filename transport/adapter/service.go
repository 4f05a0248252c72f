package adapter

import (
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/transport"
)

// Setting keys of the channel in the journal's settings table. The road
// itself is transport's choice of smev.channel (SettingChannel).
const (
	// SettingChannel chooses the road: "direct" (default: SMEV 3 itself,
	// the smev.* settings) or "adapter" (these adapter.* settings).
	SettingChannel     = "smev.channel"
	SettingURL         = "adapter.url"          // http://adapter:7575/ws/SMEVServiceAdapterService, or https://
	SettingITSystem    = "adapter.it_system"    // the information system's mnemonic the region assigned (itSystem)
	SettingNodeID      = "adapter.node_id"      // the node id, when the region gives one
	SettingPlainHTTP   = "adapter.plain_http"   // "1": http:// allowed inside ViPNet (said plainly in the window)
	SettingTLSCert     = "adapter.tls_cert"     // client certificate for HTTPS (PEM file)
	SettingTLSKey      = "adapter.tls_key"      // its key (PEM file)
	SettingCA          = "adapter.ca"           // the adapter's CA, pinned (PEM file)
	SettingTimeout     = "adapter.timeout"      // per call, Go duration ("60s")
	SettingFilesDir    = "adapter.files_dir"    // the adapter's attachment store as mounted here
	SettingFilesPrefix = "adapter.files_prefix" // how the adapter names that store in filePath ("" : relative paths)
)

// Channel choices of SettingChannel.
const (
	ChannelDirect  = "direct"
	ChannelAdapter = "adapter"
)

// Settings is the adapter channel as the settings hold it.
type Settings struct {
	URL, ITSystem, NodeID string
	PlainHTTP             bool
	TLSCert, TLSKey, CA   string
	Timeout               time.Duration
	FilesDir, FilesPrefix string
}

// ReadSettings reads the adapter settings with get (store.DB.Setting).
func ReadSettings(get func(key string) (string, error)) (Settings, error) {
	var s Settings
	var plain, timeout string
	for k, dst := range map[string]*string{SettingURL: &s.URL, SettingITSystem: &s.ITSystem, SettingNodeID: &s.NodeID,
		SettingPlainHTTP: &plain, SettingTLSCert: &s.TLSCert, SettingTLSKey: &s.TLSKey, SettingCA: &s.CA, SettingTimeout: &timeout,
		SettingFilesDir: &s.FilesDir, SettingFilesPrefix: &s.FilesPrefix} {
		v, err := get(k)
		if err != nil {
			return s, err
		}
		*dst = v
	}
	s.PlainHTTP = plain == "1" || plain == "true"
	if timeout != "" {
		d, err := time.ParseDuration(timeout)
		if err != nil || d <= 0 {
			return s, domain.Errorf(domain.EINVALID, "Неверный тайм-аут адаптера СМЭВ в настройках: %q.", timeout)
		}
		s.Timeout = d
	}
	return s, nil
}

// Endpoint builds the adapter's endpoint (the TLS files read for https).
func (s Settings) Endpoint() (transport.Endpoint, error) {
	if s.URL == "" {
		return transport.Endpoint{}, domain.Errorf(domain.EINVALID, "Не задан адрес адаптера СМЭВ (настройка %s).", SettingURL)
	}
	ep := transport.Endpoint{URL: s.URL, AllowPlainHTTP: s.PlainHTTP, Timeout: s.Timeout}
	if !ep.Plain() {
		if s.TLSCert == "" || s.TLSKey == "" || s.CA == "" {
			return transport.Endpoint{}, domain.Errorf(domain.EINVALID, "Для HTTPS нужны сертификат и ключ клиента TLS и корневой сертификат адаптера СМЭВ.")
		}
		tc, err := transport.ClientTLSFiles(s.TLSCert, s.TLSKey, s.CA)
		if err != nil {
			return transport.Endpoint{}, err
		}
		ep.TLS = tc
	}
	return ep, nil
}

// Options are what the adapter channel needs beyond transport's
// ServiceConfig.
type Options struct {
	ITSystem, NodeID string
	Files            *Files        // nil: no files
	Recheck          time.Duration // see Config.Recheck
	Lookback         time.Duration // see Config.Lookback
}

// Options of the settings.
func (s Settings) Options() Options {
	o := Options{ITSystem: s.ITSystem, NodeID: s.NodeID}
	if s.FilesDir != "" {
		o.Files = &Files{Dir: s.FilesDir, Prefix: s.FilesPrefix}
	}
	return o
}

// NewService returns a stopped transport.Service whose road is the
// region's adapter: cfg is what SMEV 3 directly takes (cfg.Endpoint is the
// adapter's; cfg.SystemKey may be nil, the adapter signs ЭП-ОВ; when set
// it signs the files and ЭП-СП when no official's key is given, as in the
// training mode). The window and the commands use the service as before.
func NewService(cfg transport.ServiceConfig, o Options) (*transport.Service, error) {
	cl, err := NewClient(cfg.Endpoint, o.ITSystem, o.NodeID)
	if err != nil {
		return nil, err
	}
	ch, err := New(Config{Client: cl, DB: cfg.DB, Files: o.Files, Checker: &transport.Checker{Trust: cfg.Trust, Contour: cfg.Contour},
		Catalogue: cfg.Catalogue, Calendar: cfg.Calendar, Provider: cfg.Provider, Recheck: o.Recheck, Lookback: o.Lookback,
		Now: cfg.Now, Log: cfg.Log})
	if err != nil {
		cl.Close()
		return nil, err
	}
	cfg.Channel = ch
	return transport.NewService(cfg)
}
