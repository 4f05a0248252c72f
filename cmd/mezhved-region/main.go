// Command mezhved-region is the regional server: it receives every
// settlement's journal, serves the read-only dashboard to region staff and
// hands signed updates down to the workstations: templates, production
// calendars, the list of accredited CAs (TSL.xml) and CRLs for offline
// workstations.
//
//	mezhved-region serve [--db DSN] [--listen ADDR] [--state DIR] [--region NAME]
//	mezhved-region settlement add [--db DSN] OKTMO NAME
//	mezhved-region settlement list [--db DSN]
//	mezhved-region workstation add [--db DSN] [--state DIR] --settlement OKTMO --name WS --url URL --out DIR
//	mezhved-region workstation revoke [--db DSN] SERIAL
//	mezhved-region user add [--db DSN] LOGIN NAME      (the password is read from stdin)
//	mezhved-region update publish [--db DSN] [--state DIR] --kind template|calendar|trust|crl FILE
//
// --db is an SQLite file (default <state>/region.db) or a postgres:// URL;
// --state (default ./mezhved-region, or $MEZHVED_REGION_STATE) holds the
// region's CA, the server's TLS certificate and the GOST update key, made
// on first use. The flags' defaults come from the environment
// ($MEZHVED_REGION_STATE, $MEZHVED_REGION_DB), else from the settings file
// /etc/mezhved-region/region.conf (another with $MEZHVED_REGION_CONFIG;
// none when it is set empty), which the package installs. Exit codes: 0
// ok, 2 bad usage or an error.
package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/region"
	"github.com/mezhved/mezhved/region/regionsync"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

type env struct {
	conf           map[string]string // the settings file (region.conf)
	ctx            context.Context
	args           []string
	stdin          io.Reader
	stdout, stderr io.Writer
	ready          func(addr string) // tests learn the listening address
}

type command struct {
	usage string
	run   func(e *env) int
}

var commands = map[string]command{
	"serve":              {"[--db DSN] [--listen ADDR] [--state DIR] [--region NAME] [--host NAMES]", serve},
	"settlement add":     {"[--db DSN] OKTMO NAME", settlementAdd},
	"settlement list":    {"[--db DSN]", settlementList},
	"workstation add":    {"[--db DSN] [--state DIR] --settlement OKTMO --name WS --url URL --out DIR", workstationAdd},
	"workstation revoke": {"[--db DSN] SERIAL", workstationRevoke},
	"user add":           {"[--db DSN] LOGIN NAME   (password on stdin)", userAdd},
	"update publish":     {"[--db DSN] [--state DIR] --kind template|calendar|trust|crl FILE", updatePublish},
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runEnv(&env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}, args)
}

func runEnv(e *env, args []string) int {
	conf, _, err := readConfig()
	if err != nil {
		fmt.Fprintf(e.stderr, "mezhved-region: %v\n", err)
		return 2
	}
	e.conf = conf
	for n := min(len(args), 2); n >= 1; n-- {
		if c, ok := commands[strings.Join(args[:n], " ")]; ok {
			e.args = args[n:]
			return c.run(e)
		}
	}
	w := e.stderr
	code := 2
	if len(args) > 0 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
		w, code = e.stdout, 0
	} else if len(args) > 0 {
		fmt.Fprintf(w, "mezhved-region: unknown command %q\n", strings.Join(args, " "))
	}
	fmt.Fprintln(w, "mezhved-region: the regional server of Mezhved. Commands:")
	for _, p := range []string{"serve", "settlement add", "settlement list", "workstation add", "workstation revoke", "user add", "update publish"} {
		fmt.Fprintf(w, "  mezhved-region %s %s\n", p, commands[p].usage)
	}
	return code
}

func (e *env) fail(err error) int {
	fmt.Fprintf(e.stderr, "mezhved-region: %s\n", domain.ErrorMessage(err))
	var de *domain.Error
	if !errors.As(err, &de) || de.Err != nil {
		fmt.Fprintf(e.stderr, "  (%s: %v)\n", domain.ErrorCode(err), err)
	}
	return 2
}

// common flags
type opts struct {
	db, state string
}

func (e *env) flags(name string, o *opts) *flag.FlagSet {
	fs := flag.NewFlagSet("mezhved-region "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&o.state, "state", e.setting("state", "MEZHVED_REGION_STATE", "mezhved-region"), "the region's keys and certificates ($MEZHVED_REGION_STATE)")
	fs.StringVar(&o.db, "db", e.setting("db", "MEZHVED_REGION_DB", ""), "SQLite file (default <state>/region.db) or postgres://user:pass@host/db ($MEZHVED_REGION_DB)")
	return fs
}

// setting is a flag's default: the environment variable, else the settings
// file (region.conf), else def.
func (e *env) setting(key, envName, def string) string {
	if v := os.Getenv(envName); envName != "" && v != "" {
		return v
	}
	if v := e.conf[key]; v != "" {
		return v
	}
	return def
}

func (e *env) parse(fs *flag.FlagSet, nargs int) (ok bool, code int) {
	if err := fs.Parse(e.args); errors.Is(err, flag.ErrHelp) {
		return false, 0
	} else if err != nil {
		return false, 2
	}
	if nargs >= 0 && fs.NArg() != nargs {
		fmt.Fprintf(e.stderr, "%s: expected %d arguments, got %d\n", fs.Name(), nargs, fs.NArg())
		return false, 2
	}
	return true, 0
}

func (o *opts) open(ctx context.Context) (*region.Store, error) {
	dsn := o.db
	if dsn == "" {
		if err := prepareState(o.state); err != nil {
			return nil, err
		}
		dsn = filepath.Join(o.state, "region.db")
	}
	return region.OpenStore(ctx, dsn)
}

// state files
const (
	fileCA        = "ca.pem"
	fileCAKey     = "ca.key"
	fileServer    = "server.pem"
	fileServerKey = "server.key"
	fileUpdate    = "update.pem"
	fileUpdateKey = "update.key"
)

// prepareState makes the state folder, or narrows an existing one, to its
// owner alone (0700): it holds the region's CA key and database.
func prepareState(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return domain.Wrap(err, domain.EPERMISSION, "state", "Не удалось создать папку "+dir)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return domain.Wrap(err, domain.EPERMISSION, "state", "Папка не читается: "+dir)
	}
	if err := foreignOwner(dir, fi); err != nil {
		return domain.Wrap(err, domain.EPERMISSION, "state", err.Error())
	}
	if fi.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return domain.Wrap(err, domain.EPERMISSION, "state", "Не удалось закрыть папку "+dir+" от других пользователей")
		}
	}
	return nil
}

// ensureState makes the CA, the server certificate (for hosts) and the
// update key on first use.
func ensureState(dir, regionName string, hosts []string) error {
	if err := prepareState(dir); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, fileCA)); err == nil {
		return nil
	}
	now := time.Now()
	ca, err := region.NewCA(regionName+": УЦ рабочих мест", now)
	if err != nil {
		return err
	}
	if err := region.WritePair(filepath.Join(dir, fileCA), filepath.Join(dir, fileCAKey), ca.Cert, ca.Key); err != nil {
		return err
	}
	srv, err := ca.IssueServer(hosts, now)
	if err != nil {
		return err
	}
	if err := region.WritePair(filepath.Join(dir, fileServer), filepath.Join(dir, fileServerKey), srv.Cert, srv.Key); err != nil {
		return err
	}
	key, cert, err := regionsync.NewUpdateKey(regionName, now)
	if err != nil {
		return err
	}
	if err := region.WriteCert(filepath.Join(dir, fileUpdate), cert); err != nil {
		return err
	}
	return regionsync.WriteUpdateKey(filepath.Join(dir, fileUpdateKey), key)
}

func serve(e *env) int {
	var o opts
	fs := e.flags("serve", &o)
	listen := fs.String("listen", e.setting("listen", "", "127.0.0.1:8443"), "address to listen on (HTTPS)")
	regionName := fs.String("region", e.setting("region", "", "Регион"), "the region's name, shown on the dashboard")
	hosts := fs.String("host", e.setting("host", "", "localhost,127.0.0.1"), "names in the server certificate made on first start")
	if ok, code := e.parse(fs, 0); !ok {
		return code
	}
	if err := ensureState(o.state, *regionName, strings.Split(*hosts, ",")); err != nil {
		return e.fail(domain.Wrap(err, domain.EPERMISSION, "serve", "Не удалось подготовить ключи региона в папке "+o.state))
	}
	ca, err := regionsync.ReadCert(filepath.Join(o.state, fileCA))
	if err != nil {
		return e.fail(err)
	}
	st, err := o.open(e.ctx)
	if err != nil {
		return e.fail(err)
	}
	defer st.Close()
	logger := log.New(e.stderr, "", log.LstdFlags)
	srv := region.NewServer(region.ServerConfig{Store: st, ClientCA: ca, Region: *regionName, Log: logger})
	cert, err := loadPair(o.state)
	if err != nil {
		return e.fail(err)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return e.fail(domain.Wrap(err, domain.EUNAVAILABLE, "serve", "Не удалось открыть адрес "+*listen))
	}
	hs := &http.Server{Handler: srv, TLSConfig: srv.TLSConfig(cert), ErrorLog: logger,
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute, WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute,
		MaxHeaderBytes: 32 << 10}
	kind := "SQLite"
	if st.Postgres() {
		kind = "PostgreSQL"
	}
	fmt.Fprintf(e.stdout, "mezhved-region: listening on https://%s (%s)\n", ln.Addr(), kind)
	if e.ready != nil {
		e.ready(ln.Addr().String())
	}
	done := make(chan error, 1)
	go func() { done <- hs.ServeTLS(ln, "", "") }()
	select {
	case err := <-done:
		return e.fail(err)
	case <-e.ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
		return 0
	}
}

func loadPair(dir string) (tls.Certificate, error) {
	return tls.LoadX509KeyPair(filepath.Join(dir, fileServer), filepath.Join(dir, fileServerKey))
}

func settlementAdd(e *env) int {
	var o opts
	fs := e.flags("settlement add", &o)
	if ok, code := e.parse(fs, 2); !ok {
		return code
	}
	st, err := o.open(e.ctx)
	if err != nil {
		return e.fail(err)
	}
	defer st.Close()
	if err := st.AddSettlement(e.ctx, fs.Arg(0), fs.Arg(1)); err != nil {
		return e.fail(err)
	}
	fmt.Fprintf(e.stdout, "Settlement %s registered.\n", fs.Arg(0))
	return 0
}

func settlementList(e *env) int {
	var o opts
	fs := e.flags("settlement list", &o)
	if ok, code := e.parse(fs, 0); !ok {
		return code
	}
	st, err := o.open(e.ctx)
	if err != nil {
		return e.fail(err)
	}
	defer st.Close()
	list, err := st.Settlements(e.ctx)
	if err != nil {
		return e.fail(err)
	}
	for _, s := range list {
		fmt.Fprintf(e.stdout, "%s\t%s\n", s.OKTMO, s.Name)
	}
	return 0
}

func workstationAdd(e *env) int {
	var o opts
	fs := e.flags("workstation add", &o)
	oktmo := fs.String("settlement", "", "the settlement's OKTMO (registered)")
	name := fs.String("name", "", "the workstation's name: letters, digits, . _ -")
	url := fs.String("url", "", "the server's URL as workstations reach it, https://host:port")
	out := fs.String("out", "", "folder to write the kit to (copy it to <data-dir>/region on the workstation)")
	if ok, code := e.parse(fs, 0); !ok {
		return code
	}
	if *out == "" || *oktmo == "" || *name == "" {
		fmt.Fprintln(e.stderr, "mezhved-region workstation add: --settlement, --name and --out are required")
		return 2
	}
	ca, err := region.LoadCA(o.state)
	if err != nil {
		return e.fail(domain.Wrap(err, domain.ENOTFOUND, "workstation add", "Нет УЦ региона в папке "+o.state+": запустите serve один раз."))
	}
	updCert, _ := regionsync.ReadCert(filepath.Join(o.state, fileUpdate))
	st, err := o.open(e.ctx)
	if err != nil {
		return e.fail(err)
	}
	defer st.Close()
	var settlementName string
	list, err := st.Settlements(e.ctx)
	if err != nil {
		return e.fail(err)
	}
	for _, s := range list {
		if s.OKTMO == *oktmo {
			settlementName = s.Name
		}
	}
	if settlementName == "" {
		return e.fail(domain.Errorf(domain.ENOTFOUND, "Поселение с ОКТМО %s не зарегистрировано: сначала settlement add.", *oktmo))
	}
	ws, err := ca.IssueWorkstation(*oktmo, settlementName, *name, time.Now())
	if err != nil {
		return e.fail(err)
	}
	if err := region.WriteEnrollment(*out, ws, ca.Cert, updCert, *url); err != nil {
		return e.fail(domain.Wrap(err, domain.EPERMISSION, "workstation add", "Не удалось записать комплект в "+*out))
	}
	if err := st.RecordWorkstation(e.ctx, regionsync.SerialHex(ws.Cert), *oktmo, *name); err != nil {
		return e.fail(err)
	}
	fmt.Fprintf(e.stdout, "Workstation %s of %s: certificate %s written to %s\n", *name, *oktmo, regionsync.SerialHex(ws.Cert), *out)
	return 0
}

func workstationRevoke(e *env) int {
	var o opts
	fs := e.flags("workstation revoke", &o)
	if ok, code := e.parse(fs, 1); !ok {
		return code
	}
	st, err := o.open(e.ctx)
	if err != nil {
		return e.fail(err)
	}
	defer st.Close()
	if err := st.RevokeWorkstation(e.ctx, strings.ToLower(fs.Arg(0))); err != nil {
		return e.fail(err)
	}
	fmt.Fprintf(e.stdout, "Certificate %s revoked.\n", fs.Arg(0))
	return 0
}

func userAdd(e *env) int {
	var o opts
	fs := e.flags("user add", &o)
	if ok, code := e.parse(fs, 2); !ok {
		return code
	}
	// The password never appears in arguments (ps, shell history).
	line, err := bufio.NewReader(io.LimitReader(e.stdin, 1024)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return e.fail(err)
	}
	password := strings.TrimRight(line, "\r\n")
	st, err := o.open(e.ctx)
	if err != nil {
		return e.fail(err)
	}
	defer st.Close()
	if err := st.AddUser(e.ctx, fs.Arg(0), fs.Arg(1), password); err != nil {
		return e.fail(err)
	}
	fmt.Fprintf(e.stdout, "User %s can sign in to the dashboard.\n", fs.Arg(0))
	return 0
}

func updatePublish(e *env) int {
	var o opts
	fs := e.flags("update publish", &o)
	kind := fs.String("kind", "", "template, calendar, trust (the Ministry's TSL.xml) or crl (DER or PEM)")
	if ok, code := e.parse(fs, 1); !ok {
		return code
	}
	key, err := regionsync.ReadUpdateKey(filepath.Join(o.state, fileUpdateKey))
	if err != nil {
		return e.fail(domain.Wrap(err, domain.ENOTFOUND, "update publish", "Нет ключа подписи обновлений в папке "+o.state))
	}
	cert, err := regionsync.ReadCert(filepath.Join(o.state, fileUpdate))
	if err != nil {
		return e.fail(err)
	}
	payload, err := readBounded(fs.Arg(0), maxPublishBytes)
	if err != nil {
		return e.fail(err)
	}
	signed, err := regionsync.SignUpdate(*kind, filepath.Base(fs.Arg(0)), payload, time.Now(), key)
	if err != nil {
		return e.fail(err)
	}
	st, err := o.open(e.ctx)
	if err != nil {
		return e.fail(err)
	}
	defer st.Close()
	u, err := st.AddUpdate(e.ctx, signed, cert)
	if err != nil {
		return e.fail(err)
	}
	fmt.Fprintf(e.stdout, "Published %s %s, signed with the region's GOST key.\n", u.Kind, u.Name)
	return 0
}

// maxPublishBytes bounds a file to publish: the largest payload (a TSL or
// a CRL of trust's bounds), with room for a CRL in PEM.
const maxPublishBytes = regionsync.MaxTrustUpdateBytes * 5 / 4

// size says a file size limit for people.
func size(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d МБ", n>>20)
	}
	return fmt.Sprintf("%d КБ", n>>10)
}

// readBounded reads a file of at most limit bytes.
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, domain.Wrap(err, domain.ENOTFOUND, "update publish", "Файл не читается: "+path)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, domain.Wrap(err, domain.ENOTFOUND, "update publish", "Файл не читается: "+path)
	}
	if int64(len(b)) > limit {
		return nil, domain.Errorf(domain.EINVALID, "Файл %s больше %s: не прочитан.", path, size(limit))
	}
	return b, nil
}
