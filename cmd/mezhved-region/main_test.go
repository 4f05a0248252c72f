package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/cli"
	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/testtool"
	"github.com/mezhved/mezhved/region"
	"github.com/mezhved/mezhved/region/regionsync"
	"github.com/mezhved/mezhved/store"
)

func call(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// The whole path: serve, register a settlement, a user and a workstation,
// publish a signed calendar and a list of accredited CAs, sync a
// workstation with `mezhved sync`, sign in to the dashboard.
func TestRegionEndToEnd(t *testing.T) {
	state := t.TempDir()
	base := startServe(t, state)
	// serve holds the SQLite file; the other commands open it too (WAL).
	if code, out, errs := call(t, "", "settlement add", "--state", state, "46605101", "Сельское поселение Берёзовское"); code != 0 {
		t.Fatalf("settlement add: %d %s %s", code, out, errs)
	}
	if code, out, _ := call(t, "", "settlement", "list", "--state", state); code != 0 || !strings.Contains(out, "46605101\tСельское поселение Берёзовское") {
		t.Fatalf("settlement list: %d %q", code, out)
	}
	if code, _, errs := call(t, "короткий\n", "user", "add", "--state", state, "analyst", "Смирнова Е. В."); code != 2 || !strings.Contains(errs, "не короче 10") {
		t.Fatalf("short password: %d %s", code, errs)
	}
	if code, _, errs := call(t, "верный-пароль-2026\n", "user", "add", "--state", state, "analyst", "Смирнова Е. В."); code != 0 {
		t.Fatalf("user add: %s", errs)
	}
	dataDir := t.TempDir()
	kit := filepath.Join(dataDir, regionsync.EnrollDir)
	if code, _, errs := call(t, "", "workstation", "add", "--state", state, "--settlement", "46605102", "--name", "ws-1", "--out", kit); code != 2 || !strings.Contains(errs, "не зарегистрировано") {
		t.Fatalf("unknown settlement: %d %s", code, errs)
	}
	if code, out, errs := call(t, "", "workstation", "add", "--state", state, "--settlement", "46605101", "--name", "ws-1", "--url", base, "--out", kit); code != 0 {
		t.Fatalf("workstation add: %s %s", out, errs)
	}
	if code, out, errs := call(t, "", "update", "publish", "--state", state, "--kind", "calendar", "../../calendar/testdata/fixture-2028.xml"); code != 0 {
		t.Fatalf("update publish: %s %s", out, errs)
	}
	tsl := writeFile(t, "TSL.xml", "<АккредитованныеУдостоверяющиеЦентры><Версия>7</Версия></АккредитованныеУдостоверяющиеЦентры>")
	if code, out, errs := call(t, "", "update", "publish", "--state", state, "--kind", "trust", tsl); code != 0 {
		t.Fatalf("update publish --kind trust: %s %s", out, errs)
	}

	db, err := store.Open(dataDir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id, _ := db.CreateRequest(context.Background(), store.NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV,
		Status: domain.StatusQueued, Provider: "Росреестр", TemplateTitle: "Выписка из ЕГРН", DueOn: "2026-12-01", Actor: "clerk"})
	db.SetStatus(context.Background(), id, domain.StatusSent, "outbox", "")
	db.Close()
	var out, errb bytes.Buffer
	if code := cli.Run([]string{"sync", "--data-dir", dataDir}, strings.NewReader(""), &out, &errb); code != 0 ||
		!strings.Contains(out.String(), "Sent 2 events") || !strings.Contains(out.String(), "2028") ||
		!strings.Contains(out.String(), "Update: Список аккредитованных УЦ, версия 7, загружен") {
		t.Fatalf("mezhved sync: %d\n%s\n%s", code, out.String(), errb.String())
	}

	// The dashboard over the same listener.
	ca, _ := regionsync.ReadCert(filepath.Join(state, fileCA))
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := hc.PostForm(base+"/login", url.Values{"login": {"analyst"}, "password": {"верный-пароль-2026"}})
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	page.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(page.String(), "Сельское поселение Берёзовское") || !strings.Contains(page.String(), "Тестовая область") {
		t.Fatalf("dashboard: HTTP %d", resp.StatusCode)
	}

	// Revoked: the next sync is refused.
	serial := ""
	c, _ := regionsync.ReadCert(filepath.Join(kit, regionsync.FileWSCert))
	serial = regionsync.SerialHex(c)
	if code, _, errs := call(t, "", "workstation", "revoke", "--state", state, serial); code != 0 {
		t.Fatalf("revoke: %s", errs)
	}
	out.Reset()
	errb.Reset()
	if code := cli.Run([]string{"sync", "--data-dir", dataDir}, strings.NewReader(""), &out, &errb); code != 2 || !strings.Contains(errb.String(), "отозван") {
		t.Fatalf("revoked sync: %d %s", code, errb.String())
	}
}

// startServe runs `serve` on a free port until the test ends and returns
// its https:// address.
func startServe(t *testing.T, state string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan int, 1)
	var serveErr bytes.Buffer
	go func() {
		e := &env{ctx: ctx, args: []string{"--state", state, "--listen", "127.0.0.1:0", "--region", "Тестовая область"},
			stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &serveErr, ready: func(a string) { addr <- a }}
		done <- serve(e)
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d", code)
		}
	})
	select {
	case a := <-addr:
		return "https://" + a
	case code := <-done:
		done <- code
		t.Fatalf("serve exited %d: %s", code, serveErr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not start")
	}
	return ""
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"frobnicate"}, {"settlement", "add", "--state", t.TempDir(), "1"}, {"serve", "--bogus"}} {
		if code, out, errs := call(t, "", args...); code != 2 || out != "" || errs == "" {
			t.Errorf("%q: %d %q %q", args, code, out, errs)
		}
	}
	if code, _, errs := call(t, "", "settlement", "add", "--state", t.TempDir(), "123", "X"); code != 2 || !strings.Contains(errs, "ОКТМО") {
		t.Errorf("bad OKTMO: %d %s", code, errs)
	}
}

// --db postgres://… uses PostgreSQL (scripts/pg-test.sh start).
func TestPostgresDSN(t *testing.T) {
	dsn := testtool.Env(t, "MEZHVED_TEST_PG_DSN", "export MEZHVED_TEST_PG_DSN=$(scripts/pg-test.sh start) (Debian package postgresql)")
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	schema := "cmd_" + strings.ReplaceAll(time.Now().Format("150405.000000"), ".", "")
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	if code, _, errs := call(t, "", "settlement", "add", "--db", u.String(), "46605101", "Берёзовское"); code != 0 {
		t.Fatal(errs)
	}
	var n int
	admin.QueryRow("SELECT count(*) FROM " + schema + ".settlements").Scan(&n)
	if n != 1 {
		t.Fatalf("%d settlements in PostgreSQL", n)
	}
}

// writeFile writes a file to publish into a temporary directory.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// testCRL is a CRL of a throwaway ECDSA CA, in PEM, and its DER.
func testCRL(t *testing.T) (string, []byte) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	at := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "УЦ Сосновского района"}, NotBefore: at, NotAfter: at.AddDate(5, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}
	der, _ := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	ca, _ := x509.ParseCertificate(der)
	crl, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{Number: big.NewInt(1), ThisUpdate: at, NextUpdate: at.AddDate(0, 0, 10)}, ca, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: crl})), crl
}

// `update publish` checks a list of accredited CAs and a CRL before
// signing: a bad one is refused (exit 2, a Russian message, nothing
// stored), a CRL in PEM is stored as its DER.
func TestPublishTrustAndCRL(t *testing.T) {
	state := t.TempDir()
	if err := ensureState(state, "Тестовая область", []string{"localhost"}); err != nil {
		t.Fatal(err)
	}
	crlPEM, crlDER := testCRL(t)
	publish := func(kind, path string) (int, string, string) {
		t.Helper()
		return call(t, "", "update", "publish", "--state", state, "--kind", kind, path)
	}
	bad := []struct{ kind, path, want string }{
		{"trust", writeFile(t, "TSL.xml", "<TrustServiceStatusList><Версия>7</Версия></TrustServiceStatusList>"), "Список аккредитованных УЦ (TSL) не принят: корневой элемент"},
		{"trust", writeFile(t, "TSL.xml", "<АккредитованныеУдостоверяющиеЦентры><Версия>7</Версия>"), "не является корректным XML"},
		{"crl", writeFile(t, "uc.crl", "<АккредитованныеУдостоверяющиеЦентры/>"), "не является списком отзыва"},
		{"crl", writeFile(t, "uc.crl", crlPEM[:len(crlPEM)/2]), "не является списком отзыва"},
		{"keys", writeFile(t, "uc.crl", crlPEM), "Неизвестный вид обновления"},
	}
	for _, b := range bad {
		if code, out, errs := publish(b.kind, b.path); code != 2 || out != "" || !strings.Contains(errs, "Обновление не опубликовано") && b.kind != "keys" || !strings.Contains(errs, b.want) {
			t.Errorf("%s %s: %d %q %q", b.kind, b.path, code, out, errs)
		}
	}
	tsl := writeFile(t, "TSL.xml", "<АккредитованныеУдостоверяющиеЦентры><Версия>7</Версия></АккредитованныеУдостоверяющиеЦентры>")
	if code, out, errs := publish("trust", tsl); code != 0 || !strings.Contains(out, "Published trust TSL.xml") {
		t.Fatalf("trust: %d %q %q", code, out, errs)
	}
	if code, out, errs := publish("crl", writeFile(t, "uc.pem", crlPEM)); code != 0 || !strings.Contains(out, "Published crl uc.pem") {
		t.Fatalf("crl: %d %q %q", code, out, errs)
	}
	st, err := region.OpenStore(context.Background(), filepath.Join(state, "region.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	list, err := st.UpdatesAfter(context.Background(), 0, 20)
	if err != nil || len(list) != 2 || list[0].Kind != regionsync.KindTrust || list[1].Kind != regionsync.KindCRL {
		t.Fatalf("stored: %+v %v", list, err)
	}
	cert, _ := regionsync.ReadCert(filepath.Join(state, fileUpdate))
	u, err := regionsync.VerifyUpdate(list[1].Data, cert, time.Now())
	if err != nil || !bytes.Equal(u.Payload, crlDER) {
		t.Fatalf("the CRL travels as DER: %v", err)
	}
}
