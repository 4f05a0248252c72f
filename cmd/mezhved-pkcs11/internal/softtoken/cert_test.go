package softtoken

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"time"
)

func testTemplate() *x509.Certificate {
	return &x509.Certificate{
		SerialNumber: big.NewInt(42),
		Subject:      pkix.Name{CommonName: "Тестовый токен"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
}
