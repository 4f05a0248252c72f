package regionsync

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// Identity is who a verified client certificate says the caller is.
type Identity struct {
	OKTMO       string
	Workstation string
	Serial      string
}

// IdentityOf reads the identity of a verified client certificate.
func IdentityOf(c *x509.Certificate) (Identity, error) {
	id := Identity{OKTMO: c.Subject.SerialNumber, Workstation: c.Subject.CommonName, Serial: SerialHex(c)}
	if !ValidOKTMO(id.OKTMO) || !ValidWorkstation(id.Workstation) {
		return Identity{}, domain.Errorf(domain.EPERMISSION, "Сертификат рабочего места не содержит ОКТМО поселения и имя рабочего места.")
	}
	return id, nil
}

// SerialHex is how a certificate's serial is recorded.
func SerialHex(c *x509.Certificate) string { return hex.EncodeToString(c.SerialNumber.Bytes()) }

// ReadCert reads one PEM certificate.
func ReadCert(path string) (*x509.Certificate, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%s: no PEM certificate", path)
	}
	return x509.ParseCertificate(blk.Bytes)
}

// RandSerial is a random positive certificate serial (127 bits).
func RandSerial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic(err)
	}
	return n.Add(n, big.NewInt(1))
}

// Moscow is the zone dates are shown in (MSK when the system has no zone
// database).
var Moscow = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Moscow"); err == nil {
		return l
	}
	return time.FixedZone("MSK", 3*3600)
}()
