package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/transport"
)

func TestChannelSettings(t *testing.T) {
	a := started(t)
	r := R(a.Settings.SaveChannel(ChannelView{URL: "http://10.0.0.5:7500/smev", Timeout: "1h"}))
	for _, want := range []string{"защищённой сети", "ЭП-ОВ", "Время ожидания"} {
		if r.OK || !strings.Contains(r.Message, want) {
			t.Errorf("%q lacks %q", r.Message, want)
		}
	}
	if r := R(a.Settings.SaveChannel(ChannelView{URL: "https://smev.example/ws", Key: "/k.pfx"})); r.OK || !strings.Contains(r.Message, "TLS") {
		t.Fatalf("%+v", r)
	}
	// A key file that is not there is named at once, nothing is saved.
	r = R(a.Settings.SaveChannel(ChannelView{URL: "http://10.0.0.5:7500/smev", PlainHTTP: true, Key: "/nonexistent/k.pfx", Timeout: "60s"}))
	if r.OK || !strings.Contains(r.Message, "Ключ ЭП-ОВ: Файл ключа не найден: /nonexistent/k.pfx") {
		t.Fatalf("%+v", r)
	}
	pfx := filepath.Join("..", "gost", "testdata", "keys", "made-here", "mh-gost2012-256-gost89-streebog256mac.pfx")
	r = R(a.Settings.SaveChannel(ChannelView{URL: "http://10.0.0.5:7500/smev", PlainHTTP: true, Key: pfx, Timeout: "60s"}))
	c, _ := r.Data.(ChannelView)
	if !r.OK || c.Version != "1.3" || !c.PlainHTTP || c.Connected || len(c.Checks) != 1 || !c.Checks[0].OK {
		t.Fatalf("%+v", r)
	}
	if c.Timeout != "60 секунд" {
		t.Fatalf("the timeout shows as %q", c.Timeout)
	}
	// The timeout in words, as the clerk types it; kept as a Go duration.
	for in, want := range map[string]string{"90": "90 секунд", "45 с": "45 секунд", "21 секунда": "21 секунда", "2 мин": "120 секунд", "3 минуты": "180 секунд", "1m30s": "90 секунд"} {
		r := R(a.Settings.SaveChannel(ChannelView{URL: "http://10.0.0.5:7500/smev", PlainHTTP: true, Key: pfx, Timeout: in}))
		if c, _ := r.Data.(ChannelView); !r.OK || c.Timeout != want {
			t.Errorf("%q: %+v", in, r)
		}
	}
	R(a.Settings.SaveChannel(ChannelView{URL: "http://10.0.0.5:7500/smev", PlainHTTP: true, Key: pfx, Timeout: "90 секунд"}))
	if db, err := a.journal(); err != nil {
		t.Fatal(err)
	} else if v, _ := db.Setting(context.Background(), transport.SettingTimeout); v != "90s" {
		t.Errorf("kept as %q", v)
	}
	for _, bad := range []string{"полминуты", "0", "11 минут", "60 часов"} {
		if r := R(a.Settings.SaveChannel(ChannelView{URL: "http://10.0.0.5:7500/smev", PlainHTTP: true, Key: pfx, Timeout: bad})); r.OK || !strings.Contains(r.Message, "«60 секунд»") {
			t.Errorf("%q: %+v", bad, r)
		}
	}
	// Connecting opens the key: a wrong password is a clear error, nothing starts.
	if r := R(a.Settings.ConnectSMEV("0000")); r.OK || !strings.Contains(r.Message, "Неверный пароль") {
		t.Fatalf("%+v", r)
	}
	if c := R(a.Settings.Channel()).Data.(ChannelView); c.Connected || c.URL != "http://10.0.0.5:7500/smev" {
		t.Fatalf("%+v", c)
	}
}

// TestChooseChannelFiles: the files of the connection are chosen with the
// dialog and checked at once; nothing is saved until SaveChannel.
func TestChooseChannelFiles(t *testing.T) {
	desk := &fakeDesktop{}
	a := started(t)
	a.cfg.Desktop = desk
	dir := t.TempDir()
	cert := filepath.Join(dir, "client.pem")
	os.WriteFile(cert, []byte("not a certificate"), 0o644)
	desk.choose = cert
	c := R(a.Settings.ChooseChannelFile("tlsCert", ChannelView{URL: "https://smev.example/ws"})).Data.(ChannelView)
	if c.TLSCert != cert || c.URL != "https://smev.example/ws" || len(c.Checks) != 1 || c.Checks[0].OK || !strings.Contains(c.Checks[0].Text, "нет сертификата") {
		t.Fatalf("%+v", c)
	}
	desk.choose = filepath.Join("..", "gost", "testdata", "keys", "cryptopro", "kovserg-g2012256", "g2012256.000")
	c = R(a.Settings.ChooseChannelFile("keyFolder", c)).Data.(ChannelView)
	if c.Key != desk.choose || len(c.Checks) != 2 {
		t.Fatalf("%+v", c)
	}
	if r := R(a.Settings.ChooseChannelFile("password", c)); r.OK {
		t.Fatalf("%+v", r)
	}
	if saved := R(a.Settings.Channel()).Data.(ChannelView); saved.TLSCert != "" {
		t.Fatalf("saved: %+v", saved)
	}
	// Saving refuses the files that are wrong, naming each.
	r := R(a.Settings.SaveChannel(c))
	if r.OK || !strings.Contains(r.Message, "Сертификат клиента TLS: В файле нет сертификата") || !strings.Contains(r.Message, "Ключ ЭП-ОВ: Контейнер КриптоПро. Сертификат «user» истёк 02.07.2019") {
		t.Fatalf("%+v", r)
	}
}
