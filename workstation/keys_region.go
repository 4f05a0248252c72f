package workstation

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/internal/fsutil"
	"github.com/mezhved/mezhved/region/regionsync"
)

// RegionKit is the region's kit for this workstation (made by
// `mezhved-region workstation add --out DIR`), read and checked before it
// is installed: the workstation's certificate and key for the sync, the
// region's CA, its update certificate and the server's address.
type RegionKit struct {
	From        string // the folder it was read from
	OKTMO       string // the settlement, from the workstation's certificate
	Settlement  string // its name, when the certificate has it
	Workstation string
	URL         string
	NotAfter    time.Time
	files       map[string][]byte
}

// maxKitFile bounds each file of a kit.
const maxKitFile = 1 << 20

// ReadRegionKit reads the kit from its folder, or from the folder of one
// of its files, and checks it at now: the workstation's certificate and key
// are a pair, valid, issued by the region's CA in the kit and naming a
// settlement; the address is https://. Every problem is said with what to
// do; nothing is written.
func ReadRegionKit(path string, now time.Time) (*RegionKit, error) {
	dir := strings.TrimSpace(path)
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		dir = filepath.Dir(dir)
	} else if err != nil {
		return nil, domain.Wrap(err, domain.ENOTFOUND, "workstation.ReadRegionKit", "Папка комплекта не найдена: "+path+". Выберите папку, которую дал администратор региона.")
	}
	k := &RegionKit{From: dir, files: map[string][]byte{}}
	for _, name := range []string{regionsync.FileWSCert, regionsync.FileWSKey, regionsync.FileRegionCA, regionsync.FileUpdateCert, regionsync.FileRegionURL} {
		b, err := fsutil.ReadFileLimited(filepath.Join(dir, name), maxKitFile)
		switch {
		case errors.Is(err, os.ErrNotExist):
			continue
		case err != nil:
			return nil, domain.Wrap(err, domain.EPERMISSION, "workstation.ReadRegionKit", "Файл "+name+" комплекта не читается: проверьте флешку или права на файл.")
		}
		k.files[name] = b
	}
	if err := k.check(now); err != nil {
		return nil, err
	}
	return k, nil
}

func (k *RegionKit) check(now time.Time) error {
	bad := func(msg string) error { return domain.Errorf(domain.EINVALID, "%s", msg) }
	for _, name := range []string{regionsync.FileWSCert, regionsync.FileWSKey, regionsync.FileRegionCA} {
		if k.files[name] == nil {
			return bad("В папке " + k.From + " нет файла " + name + ": это не комплект подключения к региону или он неполный. Попросите администратора региона выдать комплект заново (mezhved-region workstation add).")
		}
	}
	pair, err := tls.X509KeyPair(k.files[regionsync.FileWSCert], k.files[regionsync.FileWSKey])
	if err != nil {
		return bad("Сертификат и ключ рабочего места в комплекте не подходят друг к другу или повреждены. Попросите администратора региона выдать комплект заново.")
	}
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return bad("Сертификат рабочего места в комплекте повреждён. Попросите администратора региона выдать комплект заново.")
	}
	id, err := regionsync.IdentityOf(leaf)
	if err != nil {
		return err
	}
	ca, err := parseKitCert(k.files[regionsync.FileRegionCA])
	if err != nil {
		return bad("Сертификат региона (" + regionsync.FileRegionCA + ") в комплекте повреждён. Попросите администратора региона выдать комплект заново.")
	}
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
		switch {
		case now.After(leaf.NotAfter):
			return bad("Сертификат рабочего места истёк " + ruDate(leaf.NotAfter) + ". Попросите администратора региона выдать новый комплект.")
		case now.Before(leaf.NotBefore):
			return bad("Сертификат рабочего места начнёт действовать " + ruDate(leaf.NotBefore) + ": проверьте дату и время на компьютере.")
		}
		return bad("Сертификат рабочего места выдан не удостоверяющим центром этого региона: файлы из разных комплектов. Попросите администратора региона выдать комплект заново.")
	}
	if b := k.files[regionsync.FileUpdateCert]; b != nil {
		if _, err := parseKitCert(b); err != nil {
			return bad("Сертификат обновлений региона (" + regionsync.FileUpdateCert + ") в комплекте повреждён. Попросите администратора региона выдать комплект заново.")
		}
	}
	k.OKTMO, k.Workstation, k.NotAfter = id.OKTMO, id.Workstation, leaf.NotAfter
	if len(leaf.Subject.Organization) > 0 {
		k.Settlement = leaf.Subject.Organization[0]
	}
	if b := k.files[regionsync.FileRegionURL]; b != nil {
		k.URL = strings.TrimSpace(string(b))
		if u, err := url.Parse(k.URL); err != nil || u.Scheme != "https" || u.Host == "" {
			return bad("Адрес сервера региона в комплекте (" + regionsync.FileRegionURL + ") должен начинаться с https://. Попросите администратора региона выдать комплект заново.")
		}
	}
	return nil
}

func parseKitCert(b []byte) (*x509.Certificate, error) {
	certs, err := parsePEMCerts(b)
	if err != nil || len(certs) == 0 {
		return nil, errors.New("no certificate")
	}
	return certs[0], nil
}

// InstallRegionKit writes the kit into <data dir>/region (the folder 0700,
// every file 0600), replacing a kit already there as a whole: the new one is
// written beside it and put in its place only when complete.
func InstallRegionKit(dataDir string, k *RegionKit) error {
	const op = "workstation.InstallRegionKit"
	fail := func(err error) error {
		return domain.Wrap(err, domain.EPERMISSION, op, "Не удалось записать комплект в папку данных "+dataDir+": проверьте, что на диске есть место и папка доступна.")
	}
	dst := filepath.Join(dataDir, regionsync.EnrollDir)
	tmp := dst + ".new"
	old := dst + ".old"
	os.RemoveAll(tmp)
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return fail(err)
	}
	if err := os.Chmod(tmp, 0o700); err != nil {
		return fail(err)
	}
	for name, b := range k.files {
		if err := fsutil.WriteFileAtomic(filepath.Join(tmp, name), b, 0o600); err != nil {
			os.RemoveAll(tmp)
			return fail(err)
		}
	}
	os.RemoveAll(old)
	if _, err := os.Stat(dst); err == nil {
		if err := os.Rename(dst, old); err != nil {
			os.RemoveAll(tmp)
			return fail(err)
		}
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Rename(old, dst)
		return fail(err)
	}
	os.RemoveAll(old)
	return nil
}

// parsePEMCerts reads the certificates of a PEM file.
func parsePEMCerts(b []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
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
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
