package keys

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/gost/gost3410"
)

// A GOST R 34.10-2001 certificate (here the head CA's 2012 root, the only
// real one at hand) is refused for signing, whatever key comes with it.
func TestOld2001CertificateIsRefused(t *testing.T) {
	b, err := os.ReadFile("../../gost/gostx509/testdata/guc-root-2001.pem")
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	cert, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := gost3410.GenerateKey(gost3410.CurveCryptoProA(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Software(priv, cert)
	if domain.ErrorCode(err) != domain.EUNSUPPORTED || !strings.Contains(domain.ErrorMessage(err), "34.10-2001") {
		t.Fatalf("got %v", err)
	}
}
