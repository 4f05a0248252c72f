package trust

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/internal/testtool"
)

// gostOpenSSL runs openssl with the GOST engine (Debian
// libengine-gost-openssl) through a generated config that also holds the
// sections of `openssl ca`. gost/internal/ossltest does the same for gost/,
// but Go's internal rule keeps it out of reach here.
type gostOpenSSL struct {
	t      *testing.T
	bin    string
	engine string // OPENSSL_CONF: loads the engine
	conf   string // -config of req and ca (loading the engine twice fails)
	dir    string
}

func requireGOSTOpenSSL(t *testing.T) *gostOpenSSL {
	t.Helper()
	bin := testtool.Require(t, "openssl", "openssl")
	out, _ := exec.Command(bin, "version", "-e").Output()
	so := "/usr/lib/x86_64-linux-gnu/engines-3/gost.so"
	if m := regexp.MustCompile(`ENGINESDIR: "([^"]*)"`).FindSubmatch(out); m != nil {
		so = filepath.Join(string(m[1]), "gost.so")
	}
	const missing = "OpenSSL GOST engine (gost.so) is missing: install the Debian packages openssl and libengine-gost-openssl"
	testtool.RequireFile(t, so, missing)
	o := &gostOpenSSL{t: t, bin: bin, dir: t.TempDir()}
	o.engine, o.conf = filepath.Join(o.dir, "engine.cnf"), filepath.Join(o.dir, "ca.cnf")
	engine := "openssl_conf = openssl_def\n[openssl_def]\nengines = engine_section\n[engine_section]\ngost = gost_section\n" +
		"[gost_section]\nengine_id = gost\ndynamic_path = " + so + "\ndefault_algorithms = ALL\n"
	if err := os.WriteFile(o.engine, []byte(engine), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(o.conf, []byte(caConf(o.dir)), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, ca := range []string{"root", "inter", "notca"} {
		d := filepath.Join(o.dir, ca)
		if err := os.MkdirAll(filepath.Join(d, "new"), 0o700); err != nil {
			t.Fatal(err)
		}
		_ = os.WriteFile(filepath.Join(d, "index.txt"), nil, 0o600)
		_ = os.WriteFile(filepath.Join(d, "serial"), []byte("1000\n"), 0o600)
		_ = os.WriteFile(filepath.Join(d, "crlnumber"), []byte("01\n"), 0o600)
	}
	if got, err := o.try(nil, "dgst", "-md_gost12_256"); err != nil || !bytes.Contains(got, []byte("3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb")) {
		testtool.Missing(t, fmt.Sprintf("%s (engine does not work: %v %s)", missing, err, got))
	}
	return o
}

func caConf(dir string) string {
	var b strings.Builder
	b.WriteString("[req]\ndistinguished_name = dn\nstring_mask = utf8only\nutf8 = yes\n[dn]\n")
	for _, ca := range []string{"root", "inter", "notca"} {
		fmt.Fprintf(&b, "[CA_%s]\ndir = %s\ndatabase = $dir/index.txt\nnew_certs_dir = $dir/new\nserial = $dir/serial\n"+
			"crlnumber = $dir/crlnumber\ndefault_md = default\npolicy = policy_any\nunique_subject = no\ncopy_extensions = none\n"+
			"crl_extensions = crl_ext\n", ca, filepath.Join(dir, ca))
	}
	b.WriteString(`[policy_any]
commonName = supplied
organizationName = optional
countryName = optional
[crl_ext]
authorityKeyIdentifier = keyid:always
[v3_root]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[v3_inter]
basicConstraints = critical,CA:true,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://crl.test/root.crl
[v3_notca]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_leaf]
basicConstraints = CA:false
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
crlDistributionPoints = URI:http://crl.test/inter.crl
`)
	return b.String()
}

func (o *gostOpenSSL) try(stdin []byte, args ...string) ([]byte, error) {
	cmd := exec.Command(o.bin, args...)
	cmd.Env = append(os.Environ(), "OPENSSL_CONF="+o.engine)
	cmd.Dir = o.dir
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.Bytes(), fmt.Errorf("openssl %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.Bytes(), nil
}

func (o *gostOpenSSL) run(args ...string) []byte {
	o.t.Helper()
	out, err := o.try(nil, args...)
	if err != nil {
		o.t.Fatal(err)
	}
	return out
}

// key makes a GOST key: gost2012_256 or gost2012_512, parameter set A.
func (o *gostOpenSSL) key(name, alg string) {
	o.run("genpkey", "-algorithm", alg, "-pkeyopt", "paramset:A", "-out", name+".key")
}

// issue makes name.pem for subject cn with extensions ext, issued by the
// CA database ca with the certificate and key of issuer ("" = self-signed).
func (o *gostOpenSSL) issue(name, cn, alg, ca, issuer, ext, from, to string) *x509.Certificate {
	o.t.Helper()
	o.key(name, alg)
	o.run("req", "-new", "-utf8", "-config", o.conf, "-key", name+".key", "-subj", "/CN="+cn+"/O=Тест/C=RU", "-out", name+".csr")
	args := []string{"ca", "-batch", "-utf8", "-notext", "-config", o.conf, "-name", "CA_" + ca, "-in", name + ".csr", "-out", name + ".pem",
		"-extensions", ext, "-startdate", from, "-enddate", to}
	if issuer == "" {
		args = append(args, "-selfsign", "-keyfile", name+".key")
	} else {
		args = append(args, "-cert", issuer+".pem", "-keyfile", issuer+".key")
	}
	o.run(args...)
	return o.cert(name + ".pem")
}

func (o *gostOpenSSL) cert(file string) *x509.Certificate {
	o.t.Helper()
	b, err := os.ReadFile(filepath.Join(o.dir, file))
	if err != nil {
		o.t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		o.t.Fatalf("%s: no PEM", file)
	}
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		o.t.Fatal(err)
	}
	return c
}

// crl makes the CRL of CA database ca (issuer's certificate and key) with
// fixed lastUpdate and nextUpdate, in DER.
func (o *gostOpenSSL) crl(ca, issuer, last, next string) []byte {
	o.t.Helper()
	out := o.run("ca", "-config", o.conf, "-name", "CA_"+ca, "-cert", issuer+".pem", "-keyfile", issuer+".key", "-gencrl",
		"-crl_lastupdate", last, "-crl_nextupdate", next)
	blk, _ := pem.Decode(out)
	if blk == nil || blk.Type != "X509 CRL" {
		o.t.Fatalf("gencrl: %s", out)
	}
	return blk.Bytes
}

// A GOST PKI made by OpenSSL's engine: root (256) → intermediate (512) →
// leaves, with CRLs and a revocation, judged by us and by openssl verify.
func TestOpenSSLGOSTChain(t *testing.T) {
	o := requireGOSTOpenSSL(t)
	root := o.issue("root", "Тестовый головной УЦ OpenSSL", "gost2012_256", "root", "", "v3_root", "20240101000000Z", "20440101000000Z")
	inter := o.issue("inter", "Тестовый УЦ OpenSSL", "gost2012_512", "root", "root", "v3_inter", "20240102000000Z", "20340101000000Z")
	leaf := o.issue("leaf", "Петров Пётр Петрович", "gost2012_256", "inter", "inter", "v3_leaf", "20240201000000Z", "20260201000000Z")
	revoked := o.issue("revoked", "Сидоров Сидор", "gost2012_256", "inter", "inter", "v3_leaf", "20240201000000Z", "20260201000000Z")
	short := o.issue("short", "Краткосрочный", "gost2012_256", "inter", "inter", "v3_leaf", "20240201000000Z", "20250101000000Z")
	o.run("ca", "-config", o.conf, "-name", "CA_inter", "-cert", "inter.pem", "-keyfile", "inter.key", "-revoke", "revoked.pem", "-crl_reason", "keyCompromise")
	rootCRL := o.crl("root", "root", "20250501000000Z", "20250701000000Z")
	interCRL := o.crl("inter", "inter", "20250501000000Z", "20250701000000Z")

	s := openTest(t)
	if err := s.AddAnchor(Test, root); err != nil {
		t.Fatal(err)
	}
	mustAddCRL(t, s, rootCRL)
	mustAddCRL(t, s, interCRL, inter)
	bad := append([]byte(nil), interCRL...)
	bad[len(bad)-9] ^= 0x01
	if err := s.AddCRL(bad, inter); err == nil {
		t.Fatal("a CRL with a bad signature was accepted")
	}
	at := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	extra := []*x509.Certificate{inter}
	r := s.Verify(leaf, extra, Test, at)
	wantVerdict(t, r, Trusted, "")
	if len(r.Chain) != 3 || r.Chain[0].Subject != "Петров Пётр Петрович" || !r.RevocationChecked {
		t.Fatalf("%+v", r)
	}
	wantVerdict(t, s.Verify(revoked, extra, Test, at), Untrusted, Revoked)
	wantVerdict(t, s.Verify(short, extra, Test, at), Untrusted, Expired)
	wantVerdict(t, s.Verify(short, extra, Test, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)), Trusted, "")
	wantVerdict(t, s.Verify(leaf, extra, Production, at), Untrusted, UnknownIssuer)

	// openssl agrees, at the same moment.
	crls := o.writePEMCRLs(rootCRL, interCRL)
	attime := fmt.Sprint(at.Unix())
	for name, want := range map[string]string{"leaf": "OK", "revoked": "certificate revoked", "short": "certificate has expired"} {
		out, err := o.try(nil, "verify", "-attime", attime, "-crl_check_all", "-CRLfile", crls, "-CAfile", "root.pem", "-untrusted", "inter.pem", name+".pem")
		if got := fmt.Sprint(string(out), err); !strings.Contains(got, want) || (want == "OK") != (err == nil) {
			t.Errorf("openssl verify %s: %s, want %q", name, got, want)
		}
	}
}

func (o *gostOpenSSL) writePEMCRLs(ders ...[]byte) string {
	var b []byte
	for _, d := range ders {
		b = append(b, pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: d})...)
	}
	p := filepath.Join(o.dir, "crls.pem")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		o.t.Fatal(err)
	}
	return p
}

// An issuer whose certificate says CA:FALSE is refused, even though its
// signature on the leaf verifies.
func TestOpenSSLNotCAIssuer(t *testing.T) {
	o := requireGOSTOpenSSL(t)
	root := o.issue("root", "Корень OpenSSL", "gost2012_256", "root", "", "v3_root", "20240101000000Z", "20440101000000Z")
	notca := o.issue("notca", "Не УЦ OpenSSL", "gost2012_256", "root", "root", "v3_notca", "20240102000000Z", "20340101000000Z")
	leaf := o.issue("leaf", "Выпущенный не УЦ", "gost2012_256", "notca", "notca", "v3_leaf", "20240201000000Z", "20260201000000Z")
	s := openTest(t)
	if err := s.AddAnchor(Test, root); err != nil {
		t.Fatal(err)
	}
	mustAddCRL(t, s, o.crl("root", "root", "20250501000000Z", "20250701000000Z"))
	r := s.Verify(leaf, []*x509.Certificate{notca}, Test, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	wantVerdict(t, r, Untrusted, NotCA)
	if len(r.Chain) != 3 || r.Reasons[0].Cert != 1 {
		t.Fatalf("%+v", r)
	}
}
