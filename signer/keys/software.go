package keys

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"hash"
	"math/big"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/gost/gostx509"
)

// scheme is how a key of one type signs: its URIs, its digest and how the
// value produced by crypto.Signer becomes ds:SignatureValue.
type scheme struct {
	alg     Algorithm
	newHash func() hash.Hash
	opts    crypto.SignerOpts
	ecSize  int // ECDSA: bytes per coordinate; 0 otherwise
	gost    bool
}

func schemeFor(pub crypto.PublicKey) (scheme, error) {
	switch p := pub.(type) {
	case *rsa.PublicKey:
		if p.N.BitLen() < 2048 {
			return scheme{}, domain.Errorf(domain.EINVALID, "Ключ RSA короче 2048 бит не годится для подписи")
		}
		return scheme{alg: AlgRSA256, newHash: sha256.New, opts: crypto.SHA256}, nil
	case *ecdsa.PublicKey:
		return scheme{alg: AlgECDSA256, newHash: sha256.New, opts: crypto.SHA256,
			ecSize: (p.Curve.Params().BitSize + 7) / 8}, nil
	}
	if s, ok := gostScheme(pub); ok {
		return s, nil
	}
	return scheme{}, domain.Errorf(domain.EUNSUPPORTED, "Тип ключа не поддерживается: нужен ключ ГОСТ Р 34.10-2012, RSA или ECDSA")
}

// Software returns a Key for an in-memory signer (GOST R 34.10-2012, RSA or
// ECDSA) and its certificate. The certificate's public key must be the
// signer's.
func Software(signer crypto.Signer, cert *x509.Certificate) (Key, error) {
	if signer == nil || cert == nil {
		return nil, domain.Errorf(domain.EINVALID, "Нет ключа или сертификата")
	}
	if err := refuseOldAlgorithm(cert); err != nil {
		return nil, err
	}
	s, err := schemeFor(signer.Public())
	if err != nil {
		return nil, err
	}
	if err := checkMatch(signer.Public(), cert); err != nil {
		return nil, err
	}
	return &softwareKey{signer: signer, cert: cert, s: s}, nil
}

type softwareKey struct {
	signer crypto.Signer
	cert   *x509.Certificate
	s      scheme
}

func (k *softwareKey) Public() crypto.PublicKey       { return k.signer.Public() }
func (k *softwareKey) Certificate() *x509.Certificate { return k.cert }
func (k *softwareKey) Algorithm() Algorithm           { return k.s.alg }
func (k *softwareKey) Close() error                   { return nil }

func (k *softwareKey) SignData(data []byte) ([]byte, error) {
	h := k.s.newHash()
	h.Write(data)
	return k.SignDigest(h.Sum(nil))
}

func (k *softwareKey) SignDigest(digest []byte) ([]byte, error) {
	if len(digest) != k.s.newHash().Size() {
		return nil, domain.Errorf(domain.EINTERNAL, "Неверная длина хэша для подписи")
	}
	sig, err := k.signer.Sign(rand.Reader, digest, k.s.opts)
	if err != nil {
		return nil, domain.Wrap(err, domain.ESIGNATURE, "keys.SignDigest", "Не удалось подписать документ ключом")
	}
	if k.s.ecSize > 0 {
		return ecdsaDERToRaw(sig, k.s.ecSize)
	}
	return sig, nil
}

// ecdsaDERToRaw turns an ASN.1 ECDSA-Sig-Value into r ‖ s, each left-padded
// to size bytes, as XMLDSig wants it.
func ecdsaDERToRaw(der []byte, size int) ([]byte, error) {
	var v struct{ R, S *big.Int }
	rest, err := asn1.Unmarshal(der, &v)
	if err != nil || len(rest) != 0 || v.R.Sign() <= 0 || v.S.Sign() <= 0 ||
		v.R.BitLen() > size*8 || v.S.BitLen() > size*8 {
		return nil, domain.Wrap(errors.New("malformed ECDSA signature"), domain.EINTERNAL, "keys.ecdsaDERToRaw", "Ключ вернул подпись ECDSA в неизвестном виде")
	}
	out := make([]byte, 2*size)
	v.R.FillBytes(out[:size])
	v.S.FillBytes(out[size:])
	return out, nil
}

// checkMatch reports a clear error when the certificate is not the key's.
func checkMatch(pub crypto.PublicKey, cert *x509.Certificate) error {
	certPub, err := CertificatePublicKey(cert)
	if err != nil {
		return err
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if e, ok := pub.(equaler); ok && e.Equal(certPub) {
		return nil
	}
	return domain.Errorf(domain.EINVALID, "Сертификат не соответствует ключу: выберите сертификат этого ключа")
}

// CertificatePublicKey returns the certificate's public key, reading GOST
// R 34.10-2012 keys that crypto/x509 leaves nil.
func CertificatePublicKey(cert *x509.Certificate) (crypto.PublicKey, error) {
	if cert.PublicKey != nil {
		return cert.PublicKey, nil
	}
	if pub, err := gostCertificateKey(cert); err == nil {
		return pub, nil
	}
	return nil, domain.Errorf(domain.EUNSUPPORTED, "Не удалось прочитать открытый ключ сертификата")
}

// refuseOldAlgorithm refuses a certificate for a GOST R 34.10-2001 key:
// since 2019 nothing may be signed with it (such signatures are only
// verified, for archived messages). The curve of a 2001 key is that of
// 2012-256, so without this check it would sign under the wrong name.
func refuseOldAlgorithm(cert *x509.Certificate) error {
	var spki struct {
		Algo pkix.AlgorithmIdentifier
		Key  asn1.BitString
	}
	if _, err := asn1.Unmarshal(cert.RawSubjectPublicKeyInfo, &spki); err == nil && spki.Algo.Algorithm.Equal(gostx509.OIDPublicKey2001) {
		return domain.Errorf(domain.EUNSUPPORTED, "Сертификат выпущен для ключа ГОСТ Р 34.10-2001: с 2019 года такой подписью подписывать нельзя. Нужен сертификат ГОСТ Р 34.10-2012.")
	}
	return nil
}
