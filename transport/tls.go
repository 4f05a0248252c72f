package transport

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// The channel's TLS uses the certificates the regional node issues
// (ECDSA/RSA here: Go's TLS has no GOST cipher suites; a GOST TLS channel
// is the protected network's business, ViPNet, and then the endpoint is
// plain HTTP inside it).

const maxPEM = 1 << 20

func readPEMFile(path, what string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, domain.Wrap(err, domain.ENOTFOUND, "transport.tls", fmt.Sprintf("Не удалось открыть %s: %s.", what, path))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxPEM+1))
	if err != nil {
		return nil, domain.Wrap(err, domain.EPERMISSION, "transport.tls", fmt.Sprintf("Не удалось прочитать %s: %s.", what, path))
	}
	if len(b) > maxPEM {
		return nil, domain.Errorf(domain.EINVALID, "Файл %s слишком велик: %s.", what, path)
	}
	return b, nil
}

func pool(caPEM []byte) (*x509.CertPool, error) {
	p := x509.NewCertPool()
	if !p.AppendCertsFromPEM(caPEM) {
		return nil, domain.Errorf(domain.EINVALID, "Корневой сертификат узла СМЭВ не прочитан (нужен PEM).")
	}
	return p, nil
}

// ClientTLS returns the client side of mutual TLS: our certificate and key
// (PEM) and the node's CA (PEM) as the only trusted root.
func ClientTLS(certPEM, keyPEM, caPEM []byte) (*tls.Config, error) {
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "transport.ClientTLS", "Сертификат или ключ клиента TLS не прочитан.")
	}
	roots, err := pool(caPEM)
	if err != nil {
		return nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, RootCAs: roots, MinVersion: tls.VersionTLS12}, nil
}

// ClientTLSFiles is ClientTLS from files (settings).
func ClientTLSFiles(certFile, keyFile, caFile string) (*tls.Config, error) {
	c, err := readPEMFile(certFile, "сертификат клиента TLS")
	if err != nil {
		return nil, err
	}
	k, err := readPEMFile(keyFile, "ключ клиента TLS")
	if err != nil {
		return nil, err
	}
	ca, err := readPEMFile(caFile, "корневой сертификат узла СМЭВ")
	if err != nil {
		return nil, err
	}
	return ClientTLS(c, k, ca)
}

// ServerTLS returns the node's side: its certificate and a client
// certificate required and verified against clientCA.
func ServerTLS(certPEM, keyPEM, clientCAPEM []byte) (*tls.Config, error) {
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, domain.Wrap(err, domain.EINVALID, "transport.ServerTLS", "Сертификат или ключ узла не прочитан.")
	}
	cas, err := pool(clientCAPEM)
	if err != nil {
		return nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, ClientCAs: cas, ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS12}, nil
}

// PKI is a throwaway certificate authority with a server and a client
// certificate for loopback (training mode, tests, the smev-node command).
type PKI struct {
	CAPEM                    []byte
	ServerCertPEM, ServerKey []byte
	ClientCertPEM, ClientKey []byte
}

// NewLoopbackPKI makes a CA (ECDSA P-256), a server certificate for
// 127.0.0.1, ::1 and localhost, and a client certificate, valid for d.
func NewLoopbackPKI(d time.Duration) (*PKI, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now().Add(-time.Hour)
	ca := &x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{CommonName: "Mezhved training SMEV CA"},
		NotBefore: now, NotAfter: now.Add(d), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	caCert, _ := x509.ParseCertificate(caDER)
	issue := func(tmpl *x509.Certificate) ([]byte, []byte, error) {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, nil, err
		}
		tmpl.SerialNumber, tmpl.NotBefore, tmpl.NotAfter = serial(), now, now.Add(d)
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &k.PublicKey, caKey)
		if err != nil {
			return nil, nil, err
		}
		kd, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			return nil, nil, err
		}
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kd}), nil
	}
	p := &PKI{CAPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})}
	if p.ServerCertPEM, p.ServerKey, err = issue(&x509.Certificate{
		Subject: pkix.Name{CommonName: "localhost"}, DNSNames: []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}); err != nil {
		return nil, err
	}
	if p.ClientCertPEM, p.ClientKey, err = issue(&x509.Certificate{
		Subject: pkix.Name{CommonName: "Mezhved training client"}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}); err != nil {
		return nil, err
	}
	return p, nil
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	return n.Add(n, big.NewInt(1))
}

// Client returns the client TLS config of the PKI.
func (p *PKI) Client() (*tls.Config, error) { return ClientTLS(p.ClientCertPEM, p.ClientKey, p.CAPEM) }

// Server returns the server TLS config of the PKI.
func (p *PKI) Server() (*tls.Config, error) { return ServerTLS(p.ServerCertPEM, p.ServerKey, p.CAPEM) }

// Write stores the PKI's files in dir: ca.pem, server.pem, server.key,
// client.pem, client.key (keys 0600).
func (p *PKI) Write(dir string) error {
	files := []struct {
		name string
		b    []byte
		mode os.FileMode
	}{{"ca.pem", p.CAPEM, 0o644}, {"server.pem", p.ServerCertPEM, 0o644}, {"server.key", p.ServerKey, 0o600},
		{"client.pem", p.ClientCertPEM, 0o644}, {"client.key", p.ClientKey, 0o600}}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.name), f.b, f.mode); err != nil {
			return domain.Wrap(err, domain.EPERMISSION, "transport.PKI.Write", "Не удалось записать сертификаты учебного узла.")
		}
	}
	return nil
}

// ReadPKI reads what Write stored.
func ReadPKI(dir string) (*PKI, error) {
	p := &PKI{}
	for _, f := range []struct {
		name string
		dst  *[]byte
	}{{"ca.pem", &p.CAPEM}, {"server.pem", &p.ServerCertPEM}, {"server.key", &p.ServerKey}, {"client.pem", &p.ClientCertPEM}, {"client.key", &p.ClientKey}} {
		b, err := readPEMFile(filepath.Join(dir, f.name), f.name)
		if err != nil {
			return nil, err
		}
		*f.dst = b
	}
	return p, nil
}
