package app

import (
	"strings"
	"testing"

	"github.com/mezhved/mezhved/domain"
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
	r = R(a.Settings.SaveChannel(ChannelView{URL: "http://10.0.0.5:7500/smev", PlainHTTP: true, Key: "/nonexistent/k.pfx", Timeout: "60s"}))
	c, _ := r.Data.(ChannelView)
	if !r.OK || c.Version != "1.3" || !c.PlainHTTP || c.Connected {
		t.Fatalf("%+v", r)
	}
	// Connecting needs the key: a missing file is a clear error, nothing starts.
	if r := R(a.Settings.ConnectSMEV("0000")); r.OK || r.Code == domain.EINTERNAL || r.Message == "" {
		t.Fatalf("%+v", r)
	}
	if c := R(a.Settings.Channel()).Data.(ChannelView); c.Connected || c.URL != "http://10.0.0.5:7500/smev" {
		t.Fatalf("%+v", c)
	}
}
