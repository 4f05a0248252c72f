package region

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"

	"github.com/mezhved/mezhved/region/regionsync"
)

// WriteEnrollment writes a workstation's kit into dir (the folder to copy
// to <data-dir>/region/ on the workstation): its certificate and key, the
// region's CA, the region's update certificate (when not nil) and the
// server's URL.
func WriteEnrollment(dir string, ws *Issued, ca, updateCert *x509.Certificate, url string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if err := WritePair(filepath.Join(dir, regionsync.FileWSCert), filepath.Join(dir, regionsync.FileWSKey), ws.Cert, ws.Key); err != nil {
		return err
	}
	if err := WriteCert(filepath.Join(dir, regionsync.FileRegionCA), ca); err != nil {
		return err
	}
	if updateCert != nil {
		if err := WriteCert(filepath.Join(dir, regionsync.FileUpdateCert), updateCert); err != nil {
			return err
		}
	}
	if url != "" {
		return os.WriteFile(filepath.Join(dir, regionsync.FileRegionURL), []byte(strings.TrimSpace(url)+"\n"), 0o644)
	}
	return nil
}
