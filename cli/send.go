package cli

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/trust"
	"github.com/mezhved/mezhved/workstation"
)

func init() {
	Register(&Command{
		Path:  "send",
		Usage: "[--data-dir DIR] [--template ID] [--queue-only] [connection flags] --key FILE|DIR|pkcs11:URI [--cert CERT] [--pin-file F] FILE",
		Short: "sign a composed request (the business XML) with ЭП-ОВ (and ЭП-СП when the card wants it), commit it to the outbox, send it; prints its MessageID",
		Run:   runSend,
	})
}

// smevFlags are the connection and key flags of send and poll; a flag left
// empty takes the journal's setting (transport.Setting*).
type smevFlags struct {
	dataDir, url, version, tlsCert, tlsKey, ca string
	key, cert, pinFile, contour                string
	via                                        string
	plain                                      bool
	timeout                                    time.Duration
}

func (f *smevFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.dataDir, "data-dir", "", "data directory (default: $MEZHVED_DATA_DIR or the OS data folder)")
	fs.StringVar(&f.url, "url", "", "SMEV node address (setting "+transport.SettingURL+")")
	fs.StringVar(&f.version, "smev-version", "", "schema version 1.3 or 1.2 (setting "+transport.SettingVersion+")")
	fs.StringVar(&f.tlsCert, "tls-cert", "", "client certificate for mutual TLS, PEM")
	fs.StringVar(&f.tlsKey, "tls-key", "", "its private key, PEM")
	fs.StringVar(&f.ca, "ca", "", "the node's CA certificate, PEM (pinned: the only root trusted)")
	fs.BoolVar(&f.plain, "plain-http", false, "allow an http:// address inside the protected network (no TLS by the program)")
	fs.DurationVar(&f.timeout, "timeout", 0, "per call (default 60s)")
	fs.StringVar(&f.key, "key", "", "ЭП-ОВ "+keyFlagHelp+" (setting "+transport.SettingKey+")")
	fs.StringVar(&f.cert, "cert", "", "its certificate when the key file has none")
	fs.StringVar(&f.pinFile, "pin-file", "", pinFileHelp)
	fs.StringVar(&f.via, "via", "", "the road to SMEV: direct (SMEV 3 itself, the flags above) or adapter (the region's SMEV adapter, settings adapter.*); default: setting smev.channel, else direct")
	fs.StringVar(&f.contour, "contour", "", "SMEV contour whose anchors answers must chain to: production, test or training (setting "+transport.SettingContour+", default production)")
}

// open opens the workstation, the key and the SMEV service.
func (f *smevFlags) open(env *Env) (*workstation.Workstation, *transport.Service, keys.Key, error) {
	ws, err := openWorkstation(env, f.dataDir)
	if err != nil {
		return nil, nil, nil, err
	}
	db := ws.Journal()
	fail := func(err error) (*workstation.Workstation, *transport.Service, keys.Key, error) {
		ws.Close()
		return nil, nil, nil, err
	}
	get := func(k string) (string, error) { return db.Setting(context.Background(), k) }
	road, err := f.road(ws)
	if err != nil {
		return fail(err)
	}
	if road.Via == workstation.ViaDirect {
		if road.Endpoint, err = f.directEndpoint(get); err != nil {
			return fail(err)
		}
	}
	if road.Endpoint.Plain() {
		fmt.Fprintln(env.Stderr, "mezhved: warning: plain HTTP to the SMEV node, the program does not encrypt the channel (the protected network must)")
	}
	keyPath, certPath := f.key, f.cert
	if keyPath == "" {
		if keyPath, err = get(transport.SettingKey); err != nil {
			return fail(err)
		}
		if certPath, err = get(transport.SettingCert); err != nil {
			return fail(err)
		}
	}
	if keyPath == "" {
		return fail(domain.Errorf(domain.EINVALID, "Не указан ключ ЭП-ОВ: --key или настройка %s.", transport.SettingKey))
	}
	var secret []byte
	if f.pinFile != "" {
		if secret, err = keys.ReadSecretFile(f.pinFile); err != nil {
			return fail(err)
		}
	}
	c := ws.Contour(context.Background())
	if f.contour != "" {
		if c, err = trust.ParseContour(f.contour); err != nil {
			return fail(err)
		}
	}
	key, err := keys.Open(keyPath, certPath, secret) // zeroes secret
	if err != nil {
		return fail(err)
	}
	svc, err := ws.OpenRoad(road, key, workstation.ServiceOptions{Contour: c, Provider: true})
	if err != nil {
		key.Close()
		return fail(err)
	}
	return ws, svc, key, nil
}

// directEndpoint is SMEV 3's endpoint from the settings, the flags given
// taking their place.
func (f *smevFlags) directEndpoint(get func(string) (string, error)) (transport.Endpoint, error) {
	cs, err := transport.ReadChannelSettings(get)
	if err != nil {
		return transport.Endpoint{}, err
	}
	for _, o := range []struct {
		flag string
		to   *string
	}{{f.url, &cs.URL}, {f.version, &cs.Version}, {f.tlsCert, &cs.TLSCert}, {f.tlsKey, &cs.TLSKey}, {f.ca, &cs.CA}} {
		if o.flag != "" {
			*o.to = o.flag
		}
	}
	if f.plain {
		cs.PlainHTTP = true
	}
	if f.timeout > 0 {
		cs.Timeout = f.timeout
	}
	return cs.Endpoint()
}

// road is the road --via or the settings choose; on the adapter's the
// direct road's connection flags are refused rather than ignored.
func (f *smevFlags) road(ws *workstation.Workstation) (workstation.Road, error) {
	ctx := context.Background()
	via, err := workstation.ParseVia(f.via)
	if f.via == "" {
		via, err = ws.ReadVia(ctx)
	}
	if err != nil {
		return workstation.Road{}, err
	}
	if via == workstation.ViaDirect {
		return workstation.Road{Via: via}, nil // the endpoint: settings and flags, below
	}
	if f.url != "" || f.version != "" || f.tlsCert != "" || f.tlsKey != "" || f.ca != "" || f.plain || f.timeout > 0 {
		return workstation.Road{}, domain.Errorf(domain.EINVALID,
			"Флаги --url, --smev-version, --tls-cert, --tls-key, --ca, --plain-http и --timeout задают связь со СМЭВ 3 напрямую; связь через адаптер СМЭВ региона задаётся в настройках (adapter.*).")
	}
	return ws.ReadRoad(ctx, via)
}

func runSend(env *Env) int {
	fs := env.NewFlagSet("send")
	var sf smevFlags
	sf.register(fs)
	tmplID := fs.String("template", "", "template id (default: found by the namespace of the file's root element)")
	queueOnly := fs.Bool("queue-only", false, "commit to the outbox without sending now")
	if ok, code := env.Parse(fs); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(env.Stderr, "mezhved send: want exactly one FILE (the composed request body)")
		return 2
	}
	body, err := readBounded(fs.Arg(0))
	if err != nil {
		return env.userError(err)
	}
	d, err := signer.Parse(body)
	if err != nil {
		return env.userError(err)
	}
	ws, svc, key, err := sf.open(env)
	if err != nil {
		return env.userError(err)
	}
	defer ws.Close()
	defer key.Close()
	defer svc.Close()
	if err := ws.CatalogueError(); err != nil {
		return env.userError(err)
	}
	db, cat := ws.Journal(), ws.Catalogue()
	var tm *templates.Template
	if *tmplID != "" {
		if tm, err = cat.Get(*tmplID); err != nil {
			return env.userError(err)
		}
	} else {
		ns, root := string(d.Nodes[d.Root].URI), string(d.Nodes[d.Root].Local)
		for _, t := range cat.List() {
			if t.DataType.Namespace == ns && t.DataType.Root == root {
				tm = t
			}
		}
		if tm == nil {
			return env.userError(domain.Errorf(domain.EINVALID, "Не найден шаблон для вида сведений {%s}%s: укажите --template.", ns, root))
		}
	}
	ctx := context.Background()
	q, err := svc.QueueRequest(ctx, transport.OutgoingRequest{Template: tm, Body: body, Actor: "cli"})
	if err != nil {
		return env.userError(err)
	}
	if !*queueOnly {
		if _, err := svc.SendNow(ctx); err != nil {
			fmt.Fprintf(env.Stderr, "mezhved send: %v (the request stays in the outbox)\n", err)
		}
		if r, err := db.Request(ctx, q.RequestID); err == nil {
			fmt.Fprintf(env.Stderr, "request %d: %s %s\n", r.ID, r.Status, r.LastError)
		}
	}
	fmt.Fprintln(env.Stdout, q.MessageID)
	return 0
}
