package workstation_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/region"
	"github.com/mezhved/mezhved/region/regionsync"
	"github.com/mezhved/mezhved/workstation"
)

// kit writes a kit as `mezhved-region workstation add --out` does.
func kit(t *testing.T, ca *region.CA, now time.Time, url string) string {
	t.Helper()
	ws, err := ca.IssueWorkstation("46605101", "Берёзовское", "ws-1", now)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "комплект")
	if err := region.WriteEnrollment(dir, ws, ca.Cert, nil, url); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRegionKit reads, checks and installs the region's kit: the folder or
// one of its files; the data folder gets it with 0700/0600, the sync can
// load it; a second kit replaces the first whole; broken kits are refused
// with what to do, and leave the installed one as it was.
func TestRegionKit(t *testing.T) {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	ca, err := region.NewCA("УЦ региона", now)
	if err != nil {
		t.Fatal(err)
	}
	dir := kit(t, ca, now, "https://region.example:8443")
	k, err := workstation.ReadRegionKit(filepath.Join(dir, regionsync.FileWSCert), now)
	if err != nil {
		t.Fatal(err)
	}
	if k.OKTMO != "46605101" || k.Workstation != "ws-1" || k.Settlement != "Берёзовское" || k.URL != "https://region.example:8443" || k.From != dir {
		t.Fatalf("%+v", k)
	}
	data := t.TempDir()
	if err := workstation.InstallRegionKit(data, k); err != nil {
		t.Fatal(err)
	}
	checkModes(t, filepath.Join(data, regionsync.EnrollDir))
	cfg, err := regionsync.LoadEnrollment(data, "")
	if err != nil || cfg.URL != "https://region.example:8443" {
		t.Fatalf("%+v %v", cfg, err)
	}
	// A new kit (another URL) replaces the old one whole.
	k2, err := workstation.ReadRegionKit(kit(t, ca, now, "https://new.example"), now)
	if err != nil {
		t.Fatal(err)
	}
	if err := workstation.InstallRegionKit(data, k2); err != nil {
		t.Fatal(err)
	}
	if cfg, err := regionsync.LoadEnrollment(data, ""); err != nil || cfg.URL != "https://new.example" {
		t.Fatalf("%+v %v", cfg, err)
	}
	if entries, _ := os.ReadDir(data); len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}

	other, _ := region.NewCA("УЦ другого региона", now)
	bad := map[string]func(d string){
		"нет файла workstation.key": func(d string) { os.Remove(filepath.Join(d, regionsync.FileWSKey)) },
		"не подходят друг к другу": func(d string) {
			b, _ := os.ReadFile(filepath.Join(kit(t, ca, now, ""), regionsync.FileWSKey))
			os.WriteFile(filepath.Join(d, regionsync.FileWSKey), b, 0o600)
		},
		"выдан не удостоверяющим центром этого региона": func(d string) {
			os.WriteFile(filepath.Join(d, regionsync.FileRegionCA), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: other.Cert.Raw}), 0o644)
		},
		"должен начинаться с https://": func(d string) {
			os.WriteFile(filepath.Join(d, regionsync.FileRegionURL), []byte("http://region\n"), 0o644)
		},
	}
	for want, spoil := range bad {
		d := kit(t, ca, now, "https://region.example")
		spoil(d)
		if _, err := workstation.ReadRegionKit(d, now); err == nil || !strings.Contains(domain.ErrorMessage(err), want) {
			t.Errorf("%s: %v", want, err)
		}
	}
	if _, err := workstation.ReadRegionKit(dir, now.AddDate(4, 0, 0)); err == nil || !strings.Contains(domain.ErrorMessage(err), "истёк") {
		t.Errorf("expired: %v", err)
	}
	if _, err := workstation.ReadRegionKit(filepath.Join(dir, "нет"), now); err == nil || !strings.Contains(domain.ErrorMessage(err), "не найдена") {
		t.Errorf("missing: %v", err)
	}
	if cfg, err := regionsync.LoadEnrollment(data, ""); err != nil || cfg.URL != "https://new.example" {
		t.Fatalf("the installed kit changed: %+v %v", cfg, err)
	}
}

func checkModes(t *testing.T, dir string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return
	}
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("%s: %v %v", dir, fi.Mode(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) < 4 {
		t.Fatalf("%d files", len(entries))
	}
	for _, e := range entries {
		fi, _ := e.Info()
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v", e.Name(), fi.Mode())
		}
	}
}

// tlsPair writes a self-issued ECDSA certificate valid from..to and its
// key as PEM files; the CA file is the certificate itself.
func tlsPair(t *testing.T, dir, name string, from, to time.Time) (cert, key string) {
	t.Helper()
	k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: name}, NotBefore: from, NotAfter: to,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kd, _ := x509.MarshalPKCS8PrivateKey(k)
	cert, key = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+".key")
	os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kd}), 0o600)
	return cert, key
}

// TestCheckChannelFiles checks the SMEV connection's files on the spot.
func TestCheckChannelFiles(t *testing.T) {
	dir := t.TempDir()
	from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	cert, key := tlsPair(t, dir, "client", from, to)
	_, otherKey := tlsPair(t, dir, "other", from, to)
	ca, _ := tlsPair(t, dir, "node-ca", from, to)
	pfx := repo("gost", "testdata", "keys", "made-here", "mh-gost2012-256-gost89-streebog256mac.pfx")
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	texts := func(checks []workstation.FileCheck) map[string]workstation.FileCheck {
		m := map[string]workstation.FileCheck{}
		for _, c := range checks {
			m[c.Field] = c
		}
		return m
	}
	got := texts(workstation.CheckChannelFiles(workstation.ChannelFiles{TLSCert: cert, TLSKey: key, CA: ca, Key: pfx}, at))
	if c := got["tlsCert"]; !c.OK || c.Text != "Сертификат «client», действителен до 01.01.2027." {
		t.Errorf("%+v", c)
	}
	if c := got["tlsKey"]; !c.OK || !strings.HasPrefix(c.Text, "Ключ подходит к сертификату") {
		t.Errorf("%+v", c)
	}
	if c := got["ca"]; !c.OK || !strings.Contains(c.Text, "node-ca") {
		t.Errorf("%+v", c)
	}
	if c := got["key"]; !c.OK || !strings.Contains(c.Text, "Файл PFX") {
		t.Errorf("%+v", c)
	}
	os.WriteFile(filepath.Join(dir, "enc.key"), []byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMA==\n-----END ENCRYPTED PRIVATE KEY-----\n"), 0o600)
	got = texts(workstation.CheckChannelFiles(workstation.ChannelFiles{TLSCert: cert, TLSKey: otherKey, CA: key,
		Key: filepath.Join(dir, "нет.pfx"), Cert: ca}, at.AddDate(1, 0, 0)))
	for field, want := range map[string]string{
		"tlsCert": "истёк 01.01.2027", "ca": "Это файл ключа", "key": "Файл ключа не найден", "cert": "истёк",
	} {
		if c := got[field]; c.OK || !strings.Contains(c.Text, want) {
			t.Errorf("%s: %+v", field, c)
		}
	}
	got = texts(workstation.CheckChannelFiles(workstation.ChannelFiles{TLSCert: cert, TLSKey: otherKey}, at))
	if c := got["tlsKey"]; c.OK || !strings.Contains(c.Text, "не подходит") {
		t.Errorf("%+v", c)
	}
	got = texts(workstation.CheckChannelFiles(workstation.ChannelFiles{TLSKey: filepath.Join(dir, "enc.key")}, at))
	if c := got["tlsKey"]; c.OK || !strings.Contains(c.Text, "зашифрован паролем") {
		t.Errorf("%+v", c)
	}
}
