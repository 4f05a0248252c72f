package gostx509

import (
	"strings"
	"testing"

	"github.com/mezhved/mezhved/gost/internal/ossltest"
)

// TestOpenSSL2001Chain: openssl makes a GOST R 34.10-2001 CA (md_gost94)
// that issues a 2001 leaf and a 2012-256 leaf; we verify all three and
// refuse the leaves under another CA. Then openssl verifies the test-only
// 2001 chain made here (the layout holds both ways).
func TestOpenSSL2001Chain(t *testing.T) {
	o := ossltest.Require(t)
	o.MustRun(nil, "genpkey", "-algorithm", "gost2001", "-pkeyopt", "paramset:A", "-out", "ca.key")
	o.MustRun(nil, "req", "-new", "-x509", "-md_gost94", "-key", "ca.key", "-subj", "/CN=OpenSSL GOST 2001 CA",
		"-days", "2", "-out", "ca.pem", "-addext", "basicConstraints=critical,CA:TRUE",
		"-addext", "keyUsage=critical,keyCertSign,cRLSign")
	ca, caPub, err := ParseCertificate(readPEM(t, o.Path("ca.pem"), "CERTIFICATE"))
	if err != nil || caPub == nil {
		t.Fatalf("openssl 2001 CA: %v", err)
	}
	if alg, _ := SignatureAlgorithmOID(ca); !alg.Equal(OIDSignature2001) {
		t.Fatalf("openssl CA signed with %s", alg)
	}
	if err := CheckSignatureFrom(ca, ca); err != nil {
		t.Fatalf("openssl 2001 CA: %v", err)
	}
	other, _, _, _ := test2001Chain(t)
	// the request is signed by the leaf key with its own digest; the
	// certificate by the CA with md_gost94
	for _, leafAlg := range []struct{ alg, opt, md string }{{"gost2001", "XA", "-md_gost94"}, {"gost2012_256", "B", "-md_gost12_256"}} {
		o.MustRun(nil, "genpkey", "-algorithm", leafAlg.alg, "-pkeyopt", "paramset:"+leafAlg.opt, "-out", "leaf.key")
		o.MustRun(nil, "req", "-new", leafAlg.md, "-key", "leaf.key", "-utf8", "-subj", "/CN=Петров Пётр", "-out", "leaf.csr")
		o.MustRun(nil, "x509", "-req", "-md_gost94", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
			"-CAcreateserial", "-days", "1", "-out", "leaf.pem")
		leaf, leafPub, err := ParseCertificate(readPEM(t, o.Path("leaf.pem"), "CERTIFICATE"))
		if err != nil || leafPub == nil {
			t.Fatalf("%s leaf: %v", leafAlg.alg, err)
		}
		if err := CheckSignatureFrom(leaf, ca); err != nil {
			t.Fatalf("%s leaf from the openssl 2001 CA: %v", leafAlg.alg, err)
		}
		if CheckSignatureFrom(leaf, other) == nil {
			t.Fatalf("%s leaf verified with another CA", leafAlg.alg)
		}
	}

	// our test-only 2001 chain, checked by openssl (its dates are in 2016–2018)
	ours, leaf2001, leaf2012, _ := test2001Chain(t)
	caFile := o.WriteFile("ours.pem", pemCert(ours.Raw))
	for _, leaf := range []string{o.WriteFile("l1.pem", pemCert(leaf2001.Raw)), o.WriteFile("l2.pem", pemCert(leaf2012.Raw)), caFile} {
		out, err := o.Run(nil, "verify", "-no_check_time", "-CAfile", caFile, leaf)
		if err != nil || !strings.Contains(string(out), ": OK") {
			t.Fatalf("openssl rejects our test 2001 chain: %v %s", err, out)
		}
	}
	text := string(o.MustRun(nil, "x509", "-in", "l1.pem", "-noout", "-text"))
	if !strings.Contains(text, "GOST R 34.11-94 with GOST R 34.10-2001") || !strings.Contains(text, "Public Key Algorithm: GOST R 34.10-2001") {
		t.Fatalf("openssl reads our 2001 leaf otherwise:\n%s", text)
	}
	// and the real root, for the record
	root := o.WriteFile("root.pem", pemCert(readPEM(t, gucRoot, "CERTIFICATE")))
	if out, err := o.Run(nil, "verify", "-no_check_time", "-CAfile", root, root); err != nil || !strings.Contains(string(out), ": OK") {
		t.Fatalf("openssl rejects the real root: %v %s", err, out)
	}
}
