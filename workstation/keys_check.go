package workstation

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/signer/keys"
)

// The files of the SMEV connection, named as the settings name them.
const (
	FileTLSCert = "tlsCert" // the client certificate of mutual TLS (PEM)
	FileTLSKey  = "tlsKey"  // its key (PEM, unencrypted)
	FileCA      = "ca"      // the SMEV node's CA (PEM)
	FileKey     = "key"     // the information system's ЭП-ОВ key (file, folder or pkcs11: URI)
	FileCert    = "cert"    // its certificate, when the key has none
)

// ChannelFiles are the paths of the connection's files; empty ones are
// not checked.
type ChannelFiles struct {
	TLSCert, TLSKey, CA, Key, Cert string
}

// FileCheck is what one file turned out to be: OK with what it holds, or
// what is wrong and what to do, in Russian.
type FileCheck struct {
	Field string `json:"field"`
	OK    bool   `json:"ok"`
	Text  string `json:"text"`
}

// maxCheckedFile bounds a file read for a check.
const maxCheckedFile = 1 << 20

// CheckChannelFiles checks the connection's files where they lie: each is
// readable and what it should be; the TLS certificate and key are a pair;
// certificates are valid at now. Keys are not opened (no PIN is asked):
// the ЭП-ОВ key is read as far as its certificate.
func CheckChannelFiles(f ChannelFiles, now time.Time) []FileCheck {
	var out []FileCheck
	add := func(field string, ok bool, text string) {
		out = append(out, FileCheck{Field: field, OK: ok, Text: text})
	}
	var certPEM []byte
	if f.TLSCert != "" {
		b, err := readChecked(f.TLSCert)
		if err == nil {
			c, text, ok := pemCertificate(b, now, "сертификат клиента TLS")
			if c != nil && ok {
				certPEM = b
			}
			add(FileTLSCert, ok, text)
		} else {
			add(FileTLSCert, false, domain.ErrorMessage(err))
		}
	}
	if f.TLSKey != "" {
		ok, text := checkTLSKey(f.TLSKey, certPEM)
		add(FileTLSKey, ok, text)
	}
	if f.CA != "" {
		b, err := readChecked(f.CA)
		if err != nil {
			add(FileCA, false, domain.ErrorMessage(err))
		} else {
			_, text, ok := pemCertificate(b, now, "корневой сертификат узла СМЭВ")
			add(FileCA, ok, text)
		}
	}
	if f.Key != "" {
		ok, text := checkSigningKey(f.Key, f.Cert != "", now)
		add(FileKey, ok, text)
	}
	if f.Cert != "" {
		certs, err := keys.PeekCertificateFile(f.Cert)
		if err != nil {
			add(FileCert, false, domain.ErrorMessage(err))
		} else {
			ok, text := certValidity(certs[0], now)
			add(FileCert, ok, text)
		}
	}
	return out
}

func readChecked(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, domain.Wrap(err, domain.ENOTFOUND, "workstation.CheckChannelFiles", "Файл не найден: "+path+". Выберите его заново.")
		}
		return nil, domain.Wrap(err, domain.EPERMISSION, "workstation.CheckChannelFiles", "Нет доступа к файлу "+path+": проверьте права на него.")
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, maxCheckedFile+1))
	if err != nil || len(b) > maxCheckedFile {
		return nil, domain.Errorf(domain.EINVALID, "Файл %s не читается или слишком велик для сертификата.", path)
	}
	return b, nil
}

// pemCertificate reads the first certificate of a PEM file and says
// whether it is valid at now.
func pemCertificate(b []byte, now time.Time, what string) (*x509.Certificate, string, bool) {
	for rest := b; ; {
		var blk *pem.Block
		if blk, rest = pem.Decode(rest); blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, "В файле повреждённый сертификат: выберите другой файл (" + what + ").", false
		}
		ok, text := certValidity(c, now)
		return c, text, ok
	}
	if bytes.Contains(b, []byte("PRIVATE KEY")) {
		return nil, "Это файл ключа, а здесь нужен " + what + " (PEM, «BEGIN CERTIFICATE»).", false
	}
	return nil, "В файле нет сертификата в формате PEM: нужен " + what + " (текстовый файл с «BEGIN CERTIFICATE»).", false
}

// certValidity names the certificate and its validity at now.
func certValidity(c *x509.Certificate, now time.Time) (bool, string) {
	name := certName(c)
	switch {
	case now.After(c.NotAfter):
		return false, "Сертификат «" + name + "» истёк " + ruDate(c.NotAfter) + ": нужен новый сертификат."
	case now.Before(c.NotBefore):
		return false, "Сертификат «" + name + "» начнёт действовать " + ruDate(c.NotBefore) + ": до этого дня им пользоваться нельзя."
	}
	return true, "Сертификат «" + name + "», действителен до " + ruDate(c.NotAfter) + "."
}

func certName(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return c.Subject.CommonName
	}
	if len(c.Subject.Organization) > 0 {
		return c.Subject.Organization[0]
	}
	return c.Subject.String()
}

// ruDate is a date as the clerk reads it, ДД.ММ.ГГГГ (certificate times
// are UTC).
func ruDate(t time.Time) string { return t.UTC().Format("02.01.2006") }

// checkTLSKey reads the TLS key and, when the certificate was read, checks
// that they are a pair.
func checkTLSKey(path string, certPEM []byte) (bool, string) {
	b, err := readChecked(path)
	if err != nil {
		return false, domain.ErrorMessage(err)
	}
	switch {
	case bytes.Contains(b, []byte("ENCRYPTED")):
		return false, "Ключ TLS зашифрован паролем, а для канала нужен ключ без пароля (PEM). Выгрузите его без пароля и храните в папке, открытой только вам."
	case !bytes.Contains(b, []byte("PRIVATE KEY")):
		return false, "В файле нет ключа в формате PEM («BEGIN PRIVATE KEY»): выберите ключ клиента TLS."
	}
	text := "Ключ прочитан."
	if certPEM != nil {
		if _, err := tls.X509KeyPair(certPEM, b); err != nil {
			return false, "Ключ не подходит к сертификату клиента TLS: выберите ключ, выданный вместе с этим сертификатом."
		}
		text = "Ключ подходит к сертификату клиента TLS."
	}
	if fi, err := os.Stat(path); err == nil && runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		text += " Файл ключа могут читать другие пользователи компьютера: закройте доступ (chmod 600)."
	}
	return true, text
}

// checkSigningKey reads the ЭП-ОВ key as far as it shows itself without
// its PIN.
func checkSigningKey(path string, certGiven bool, now time.Time) (bool, string) {
	k, err := DescribeKey(path, "")
	if err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return false, "Файл ключа не найден: " + path + ". Выберите его заново."
		}
		return false, domain.ErrorMessage(err)
	}
	kind := map[string]string{KeyToken: "Ключ на токене", KeyContainer: "Контейнер КриптоПро", KeyPFX: "Файл PFX", KeyPEM: "Файл ключа PEM"}[k.Kind]
	switch {
	case k.Cert != nil:
		ok, text := certValidity(k.Cert, now)
		if ok {
			text += " PIN-код или пароль спросим при подключении."
		}
		return ok, kind + ". " + text
	case k.Kind == KeyToken:
		return true, "Ключ на токене: токен и PIN-код проверим при подключении."
	case k.Kind == KeyPFX:
		return true, "Файл PFX: сертификат в нём зашифрован и будет проверен при подключении, после ввода пароля."
	case !certGiven:
		return false, "В файле ключа нет сертификата: выберите и файл сертификата ЭП-ОВ."
	}
	return true, kind + "."
}
