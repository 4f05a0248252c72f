package transport

import (
	"time"

	"github.com/mezhved/mezhved/domain"
)

// Setting keys of the SMEV connection in the journal's settings table.
const (
	SettingURL       = "smev.url"        // https://node:port/path or http:// inside the protected network
	SettingVersion   = "smev.version"    // "1.3" (default) or "1.2"
	SettingPlainHTTP = "smev.plain_http" // "1": http:// allowed (the window says the channel is not encrypted by the program)
	SettingTLSCert   = "smev.tls_cert"   // client certificate for mutual TLS (PEM file)
	SettingTLSKey    = "smev.tls_key"    // its key (PEM file)
	SettingCA        = "smev.ca"         // the node's CA, pinned (PEM file)
	SettingKey       = "smev.key"        // the ЭП-ОВ key file (PKCS#12 or PEM)
	SettingCert      = "smev.cert"       // its certificate, when the key file has none
	SettingTimeout   = "smev.timeout"    // per call, Go duration ("60s")
	// SettingContour is the SMEV contour: "production" (default) or
	// "test"; it chooses the trust anchors of ЭП-СМЭВ and ЭП-ОВ.
	SettingContour = "smev.contour"
)

// ChannelSettings is the connection as the settings hold it.
type ChannelSettings struct {
	URL, Version        string
	PlainHTTP           bool
	TLSCert, TLSKey, CA string
	Timeout             time.Duration
}

// ReadChannelSettings reads the connection settings with get (store.DB.Setting).
func ReadChannelSettings(get func(key string) (string, error)) (ChannelSettings, error) {
	var c ChannelSettings
	var plain, timeout string
	for k, dst := range map[string]*string{SettingURL: &c.URL, SettingVersion: &c.Version, SettingPlainHTTP: &plain,
		SettingTLSCert: &c.TLSCert, SettingTLSKey: &c.TLSKey, SettingCA: &c.CA, SettingTimeout: &timeout} {
		v, err := get(k)
		if err != nil {
			return c, err
		}
		*dst = v
	}
	c.PlainHTTP = plain == "1" || plain == "true"
	if timeout != "" {
		d, err := time.ParseDuration(timeout)
		if err != nil || d <= 0 {
			return c, domain.Errorf(domain.EINVALID, "Неверный тайм-аут СМЭВ в настройках: %q.", timeout)
		}
		c.Timeout = d
	}
	return c, nil
}

// Endpoint builds the endpoint: the client certificate, its key and the
// pinned CA are read from their files for https.
func (c ChannelSettings) Endpoint() (Endpoint, error) {
	if c.URL == "" {
		return Endpoint{}, domain.Errorf(domain.EINVALID, "Не задан адрес узла СМЭВ (настройка %s).", SettingURL)
	}
	ep := Endpoint{URL: c.URL, Version: c.Version, AllowPlainHTTP: c.PlainHTTP, Timeout: c.Timeout}
	if !ep.Plain() {
		if c.TLSCert == "" || c.TLSKey == "" || c.CA == "" {
			return Endpoint{}, domain.Errorf(domain.EINVALID, "Для HTTPS нужны сертификат и ключ клиента TLS и корневой сертификат узла СМЭВ.")
		}
		tc, err := ClientTLSFiles(c.TLSCert, c.TLSKey, c.CA)
		if err != nil {
			return Endpoint{}, err
		}
		ep.TLS = tc
	}
	return ep, nil
}
