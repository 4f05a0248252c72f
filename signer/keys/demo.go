package keys

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/gost/gostx509"
)

// DemoSubject is whom a demo certificate names.
type DemoSubject struct {
	CommonName   string // e.g. "Иванова Мария Петровна"
	Surname      string
	GivenName    string // имя и отчество
	Title        string // должность
	Organization string // e.g. "Администрация Сосновского сельсовета"
	Locality     string
	SNILS        string // 11 digits
	INN          string // 12 digits (физическое лицо)
	INNLE        string // 10 digits (организация)
	OGRN         string // 13 digits
	// ValidFrom is when the certificates start (a minute before it, for
	// clock skew); zero means now. Tests and the training node pass their
	// own clock's time.
	ValidFrom time.Time
}

// DefaultDemoSubject is the clerk of the training mode.
var DefaultDemoSubject = DemoSubject{
	CommonName:   "Иванова Мария Петровна",
	Surname:      "Иванова",
	GivenName:    "Мария Петровна",
	Title:        "Специалист 1 категории",
	Organization: "Администрация Учебного сельсовета",
	Locality:     "с. Учебное",
	SNILS:        "11223344595",
	INN:          "500100732259",
	INNLE:        "5001007322",
	OGRN:         "1025000000001",
}

// NewDemoGOST makes a software GOST R 34.10-2012 256-bit key (CryptoPro-A
// parameters, as SMEV participants use) and a certificate for it carrying
// the Russian subject attributes (СНИЛС, ИНН, ОГРН), issued by a throwaway
// "training CA" whose certificate is returned too. For the training mode
// and tests only: such a signature has no legal force.
func NewDemoGOST(s DemoSubject, validFor time.Duration) (Key, *x509.Certificate, error) {
	fail := func(err error) (Key, *x509.Certificate, error) {
		return nil, nil, domain.Wrap(err, domain.EINTERNAL, "keys.NewDemoGOST", "Не удалось создать учебный ключ")
	}
	curve := gost3410.CurveCryptoProA()
	caKey, err := gost3410.GenerateKey(curve, rand.Reader)
	if err != nil {
		return fail(err)
	}
	userKey, err := gost3410.GenerateKey(curve, rand.Reader)
	if err != nil {
		return fail(err)
	}
	now := s.ValidFrom
	if now.IsZero() {
		now = time.Now()
	}
	now = now.Add(-time.Minute)
	caTmpl := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: "Учебный удостоверяющий центр Межвед", Organization: []string{"Межвед (учебный режим)"}, Country: []string{"RU"}},
		NotBefore:             now,
		NotAfter:              now.Add(validFor + time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := gostx509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return fail(err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return fail(err)
	}
	extra, err := gostx509.RussianIDs{SNILS: s.SNILS, INN: s.INN, INNLE: s.INNLE, OGRN: s.OGRN}.ExtraNames()
	if err != nil {
		return nil, nil, domain.Wrap(err, domain.EINVALID, "keys.NewDemoGOST", "СНИЛС, ИНН или ОГРН учебного сертификата записаны неверно")
	}
	subj := pkix.Name{CommonName: s.CommonName, Country: []string{"RU"}, ExtraNames: extra}
	if s.Organization != "" {
		subj.Organization = []string{s.Organization}
	}
	if s.Locality != "" {
		subj.Locality = []string{s.Locality}
	}
	for _, n := range []struct {
		oid []int
		v   string
	}{{[]int{2, 5, 4, 4}, s.Surname}, {[]int{2, 5, 4, 42}, s.GivenName}, {[]int{2, 5, 4, 12}, s.Title}} {
		if n.v != "" {
			subj.ExtraNames = append(subj.ExtraNames, pkix.AttributeTypeAndValue{Type: n.oid, Value: n.v})
		}
	}
	userTmpl := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject:      subj,
		NotBefore:    now,
		NotAfter:     now.Add(validFor),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
	}
	der, err := gostx509.CreateCertificate(rand.Reader, userTmpl, caCert, &userKey.PublicKey, caKey)
	if err != nil {
		return fail(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return fail(err)
	}
	k, err := Software(userKey, cert)
	if err != nil {
		return nil, nil, err
	}
	return k, caCert, nil
}

func randomSerial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	return n.Add(n, big.NewInt(1))
}
