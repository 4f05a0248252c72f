package regionsync_test

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/region/internal/trusttest"
	"github.com/mezhved/mezhved/region/regionsync"
)

// Applied on a workstation without the server: the list goes into the
// trust store of the data directory, an older one is refused and the newer
// stays, a CRL of a CA the workstation knows is taken and one of a CA it
// does not know is refused with the reason.
func TestApplyTrustUpdates(t *testing.T) {
	k := trusttest.NewKit(t)
	dir := t.TempDir()
	k.TrustAt(t, dir)
	apply := func(kind, name string, payload []byte) (string, error) {
		t.Helper()
		u, err := regionsync.VerifyUpdate(k.Sign(t, kind, name, payload), k.Cert, trusttest.Now)
		if err != nil {
			t.Fatal(err)
		}
		return u.Apply(regionsync.ApplyOptions{DataDir: dir})
	}
	msg, err := apply(regionsync.KindTrust, "TSL.xml", trusttest.TSL(5, "ООО УЦ", k.Known.Cert))
	if err != nil || !strings.Contains(msg, "Список аккредитованных УЦ, версия 5, загружен: удостоверяющих центров 1 (действующих 1)") {
		t.Fatalf("TSL 5: %q %v", msg, err)
	}
	_, err = apply(regionsync.KindTrust, "TSL-old.xml", trusttest.TSL(3, "ООО УЦ", k.Known.Cert))
	if domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(domain.ErrorMessage(err), "версии 3 старше действующего (версия 5)") {
		t.Fatalf("TSL 3: %v", err)
	}
	_, err = apply(regionsync.KindCRL, "foreign.crl", trusttest.GOSTCRL(t, k.Unknown, trusttest.Now))
	if domain.ErrorCode(err) != domain.ENOTFOUND || !strings.Contains(domain.ErrorMessage(err), "Издатель списка отзыва «Чужой УЦ» не найден") {
		t.Fatalf("unknown issuer: %v", err)
	}
	ts := k.TrustAt(t, dir)
	if k.LeafRevoked(t, ts) {
		t.Fatal("revoked before any CRL")
	}
	revoked := x509.RevocationListEntry{SerialNumber: k.Leaf.Cert.SerialNumber, RevocationTime: trusttest.Now.AddDate(0, 0, -3)}
	msg, err = apply(regionsync.KindCRL, "uc.crl", trusttest.GOSTCRL(t, k.Known, trusttest.Now.Add(-time.Hour), revoked))
	if err != nil || msg != "Список отзыва сертификатов УЦ «УЦ Сосновского района» от 02.03.2026 принят (отозванных сертификатов 1)." {
		t.Fatalf("CRL: %q %v", msg, err)
	}
	// What the store keeps on disk, as the app opens it next time.
	ts = k.TrustAt(t, dir)
	if ts.TSL() == nil || ts.TSL().Version != 5 || ts.TSL().CAs[0].Name != "ООО УЦ" {
		t.Fatalf("TSL in force: %+v", ts.TSL())
	}
	if !k.LeafRevoked(t, ts) {
		t.Fatal("the CRL from the region is not in force")
	}
}
