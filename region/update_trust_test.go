package region

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
	"github.com/mezhved/mezhved/gost/gost3410"
	"github.com/mezhved/mezhved/store"
	"github.com/mezhved/mezhved/trust"
)

// trustKit is the region's update key and what the tests publish: a CA
// the workstation trusts, a leaf it issued, and one it does not know.
type trustKit struct {
	key            *gost3410.PrivateKey
	cert           *x509.Certificate
	known, unknown *gcert
	leaf           *gcert
}

func newTrustKit(t *testing.T) trustKit {
	t.Helper()
	key, cert, err := NewUpdateKey("Тестовая область", trustNow)
	if err != nil {
		t.Fatal(err)
	}
	k := trustKit{key: key, cert: cert}
	k.known = mkGOST(t, "УЦ Сосновского района", true, nil)
	k.unknown = mkGOST(t, "Чужой УЦ", true, nil)
	k.leaf = mkGOST(t, "Иванова Мария Петровна", false, k.known)
	return k
}

func (k trustKit) sign(t *testing.T, kind, name string, payload []byte) []byte {
	t.Helper()
	data, err := SignUpdate(kind, name, payload, trustNow, k.key)
	if err != nil {
		t.Fatalf("sign %s %s: %v", kind, name, err)
	}
	return data
}

// trustAt opens the trust store of a workstation's data directory, with
// the known CA as an anchor of the test contour (what `mezhved trust add`
// does), so that its CRLs are taken.
func (k trustKit) trustAt(t *testing.T, dataDir string) *trust.Store {
	t.Helper()
	ts, err := trust.Open(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	ts.SetFetcher(nil)
	ts.SetClock(func() time.Time { return trustNow })
	if err := ts.AddAnchor(trust.Test, k.known.cert); err != nil {
		t.Fatal(err)
	}
	return ts
}

// leafRevoked reports whether the store holds a CRL that revokes the leaf.
func (k trustKit) leafRevoked(t *testing.T, ts *trust.Store) bool {
	t.Helper()
	r := ts.VerifyContext(context.Background(), k.leaf.cert, trust.Options{Contour: trust.Test, At: trustNow, Offline: true})
	if !r.Has(trust.Revoked) && !r.Has(trust.RevocationUnknown) {
		t.Fatalf("leaf: %s", r.English())
	}
	return r.Has(trust.Revoked)
}

// A bad list of CAs or a file that is no CRL is refused when published,
// with a Russian message, and nothing is signed.
func TestPublishRefusesBadTrustFiles(t *testing.T) {
	k := newTrustKit(t)
	good := buildTSL(5, "ООО УЦ", k.known.cert)
	crl := mkGOSTCRL(t, k.known, trustNow)
	cases := []struct {
		kind, name string
		payload    []byte
		want       string
	}{
		{KindTrust, "TSL.xml", []byte("<TrustServiceStatusList/>"), "корневой элемент не АккредитованныеУдостоверяющиеЦентры"},
		{KindTrust, "TSL.xml", []byte(strings.Replace(string(good), "<Версия>5<", "<Версия>пятая<", 1)), "версия «пятая» не число"},
		{KindTrust, "TSL.xml", good[:len(good)-40], "не является корректным XML"},
		{KindTrust, "TSL.xml", []byte(`<!DOCTYPE a [<!ENTITY x "y">]><АккредитованныеУдостоверяющиеЦентры/>`), "не является корректным XML"},
		{KindCRL, "uc.crl", good, "не является списком отзыва"},
		{KindCRL, "uc.crl", crl[:len(crl)-3], "не является списком отзыва"},
		{KindCRL, "uc.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: k.known.cert.Raw}), "ровно один список отзыва"},
		{"keys", "x.bin", crl, "Неизвестный вид обновления"},
	}
	for _, c := range cases {
		data, err := SignUpdate(c.kind, c.name, c.payload, trustNow, k.key)
		if data != nil || domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), c.want) {
			t.Errorf("%s %s: %v, want %q", c.kind, c.name, err, c.want)
		}
	}
	// A CRL in PEM travels as its DER.
	u, err := VerifyUpdate(k.sign(t, KindCRL, "uc.pem", pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: crl})), k.cert, trustNow)
	if err != nil || string(u.Payload) != string(crl) {
		t.Fatalf("PEM CRL: %v", err)
	}
	if _, err := VerifyUpdate(k.sign(t, KindTrust, "TSL.xml", good), k.cert, trustNow); err != nil {
		t.Fatal(err)
	}
}

// Applied on a workstation without the server: the list goes into the
// trust store of the data directory, an older one is refused and the newer
// stays, a CRL of a CA the workstation knows is taken and one of a CA it
// does not know is refused with the reason.
func TestApplyTrustUpdates(t *testing.T) {
	k := newTrustKit(t)
	dir := t.TempDir()
	k.trustAt(t, dir)
	apply := func(kind, name string, payload []byte) (string, error) {
		t.Helper()
		u, err := VerifyUpdate(k.sign(t, kind, name, payload), k.cert, trustNow)
		if err != nil {
			t.Fatal(err)
		}
		return u.Apply(ApplyOptions{DataDir: dir})
	}
	msg, err := apply(KindTrust, "TSL.xml", buildTSL(5, "ООО УЦ", k.known.cert))
	if err != nil || !strings.Contains(msg, "Список аккредитованных УЦ, версия 5, загружен: удостоверяющих центров 1 (действующих 1)") {
		t.Fatalf("TSL 5: %q %v", msg, err)
	}
	_, err = apply(KindTrust, "TSL-old.xml", buildTSL(3, "ООО УЦ", k.known.cert))
	if domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(domain.ErrorMessage(err), "версии 3 старше действующего (версия 5)") {
		t.Fatalf("TSL 3: %v", err)
	}
	_, err = apply(KindCRL, "foreign.crl", mkGOSTCRL(t, k.unknown, trustNow))
	if domain.ErrorCode(err) != domain.ENOTFOUND || !strings.Contains(domain.ErrorMessage(err), "Издатель списка отзыва «Чужой УЦ» не найден") {
		t.Fatalf("unknown issuer: %v", err)
	}
	ts := k.trustAt(t, dir)
	if k.leafRevoked(t, ts) {
		t.Fatal("revoked before any CRL")
	}
	revoked := x509.RevocationListEntry{SerialNumber: k.leaf.cert.SerialNumber, RevocationTime: trustNow.AddDate(0, 0, -3)}
	msg, err = apply(KindCRL, "uc.crl", mkGOSTCRL(t, k.known, trustNow.Add(-time.Hour), revoked))
	if err != nil || msg != "Список отзыва сертификатов УЦ «УЦ Сосновского района» от 02.03.2026 принят (отозванных сертификатов 1)." {
		t.Fatalf("CRL: %q %v", msg, err)
	}
	// What the store keeps on disk, as the app opens it next time.
	ts = k.trustAt(t, dir)
	if ts.TSL() == nil || ts.TSL().Version != 5 || ts.TSL().CAs[0].Name != "ООО УЦ" {
		t.Fatalf("TSL in force: %+v", ts.TSL())
	}
	if !k.leafRevoked(t, ts) {
		t.Fatal("the CRL from the region is not in force")
	}
}

// The whole channel: published on the region (a CRL too large to travel
// inline among them), fetched by the workstation's sync, verified and
// applied to the trust store the app works with; the refused ones are
// reported and the sync goes on.
func TestSyncAppliesTrustUpdates(t *testing.T) {
	backends(t, func(t *testing.T, newStore func() *Store) {
		ctx := context.Background()
		k := newTrustKit(t)
		st := newStore()
		st.now = func() time.Time { return trustNow }
		e := newEnv(t, st, ServerConfig{})
		ws := e.workstation(oktmoA, "Берёзовское", "ws-1")
		big := mkGOSTCRL(t, k.known, trustNow.Add(-time.Hour), append(revokedEntries(100000, trustNow),
			x509.RevocationListEntry{SerialNumber: k.leaf.cert.SerialNumber, RevocationTime: trustNow.AddDate(0, 0, -3)})...)
		for _, u := range []struct {
			kind, name string
			payload    []byte
		}{
			{KindTrust, "TSL.xml", buildTSL(5, "ООО УЦ", k.known.cert)},
			{KindCRL, "foreign.crl", mkGOSTCRL(t, k.unknown, trustNow)},
			{KindCRL, "uc.pem", pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: big})},
			{KindTrust, "TSL-old.xml", buildTSL(3, "ООО УЦ", k.known.cert)},
		} {
			if _, err := e.store.AddUpdate(ctx, k.sign(t, u.kind, u.name, u.payload), k.cert); err != nil {
				t.Fatal(err)
			}
		}
		list, err := e.store.UpdatesAfter(ctx, 0, 20)
		if err != nil || len(list) != 4 || list[2].Data != nil || list[2].Size <= MaxUpdateBytes || list[1].Data == nil {
			t.Fatalf("listing: %v %v", len(list), err)
		}

		db := journal(t, 2)
		ts := k.trustAt(t, db.Dir())
		c := e.client(ws, func(c *ClientConfig) { c.UpdateCert, c.Trust, c.Now = k.cert, ts, func() time.Time { return trustNow } })
		res, err := c.Sync(ctx, db, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Sent != eventCount(t, db) || len(res.Updates) != 2 || len(res.Rejected) != 2 {
			t.Fatalf("sent %d, updates %q, rejected %q", res.Sent, res.Updates, res.Rejected)
		}
		if !strings.HasPrefix(res.Updates[0], "Список аккредитованных УЦ, версия 5, загружен") ||
			res.Updates[1] != "Список отзыва сертификатов УЦ «УЦ Сосновского района» от 02.03.2026 принят (отозванных сертификатов 100001)." {
			t.Errorf("updates %q", res.Updates)
		}
		if !strings.HasPrefix(res.Rejected[0], "foreign.crl: Издатель списка отзыва «Чужой УЦ» не найден") ||
			!strings.HasPrefix(res.Rejected[1], "TSL-old.xml: Список аккредитованных УЦ версии 3 старше действующего (версия 5)") {
			t.Errorf("rejected %q", res.Rejected)
		}
		// In force at once in the store the app works with, and on disk.
		if ts.TSL() == nil || ts.TSL().Version != 5 || !k.leafRevoked(t, ts) {
			t.Fatal("the store in use did not take the updates")
		}
		if again := k.trustAt(t, db.Dir()); again.TSL().Version != 5 || !k.leafRevoked(t, again) {
			t.Fatal("the updates are not on disk")
		}
		// Passed once: the next sync fetches nothing.
		res, err = c.Sync(ctx, db, nil)
		if err != nil || len(res.Updates)+len(res.Rejected) != 0 {
			t.Fatalf("second sync: %+v %v", res, err)
		}
	})
}

// failFiles fails every download of an update's own file, as a line that
// breaks during a long transfer.
type failFiles struct {
	base  http.RoundTripper
	fails atomic.Int32
}

func (f *failFiles) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasPrefix(r.URL.Path, "/api/v1/updates/") {
		f.fails.Add(1)
		return nil, errors.New("connection reset during the download")
	}
	return f.base.RoundTrip(r)
}

// A large update whose file does not come stops the sync as unreachable
// without passing it; the next sync takes it. The file's own address
// refuses what it should.
func TestLargeUpdateDownload(t *testing.T) {
	ctx := context.Background()
	k := newTrustKit(t)
	st := sqliteStore(t)
	st.now = func() time.Time { return trustNow }
	e := newEnv(t, st, ServerConfig{})
	ws := e.workstation(oktmoA, "Берёзовское", "ws-1")
	big := mkGOSTCRL(t, k.known, trustNow.Add(-time.Hour), revokedEntries(100000, trustNow)...)
	if _, err := st.AddUpdate(ctx, k.sign(t, KindCRL, "uc.crl", big), k.cert); err != nil {
		t.Fatal(err)
	}
	db := journal(t, 1)
	ts := k.trustAt(t, db.Dir())
	broken := &failFiles{base: baseTransport(e, ws)}
	c := e.client(ws, func(c *ClientConfig) {
		c.UpdateCert, c.Trust, c.Now, c.Transport = k.cert, ts, func() time.Time { return trustNow }, broken
	})
	if _, err := c.Sync(ctx, db, nil); !IsUnreachable(err) || broken.fails.Load() != 3 {
		t.Fatalf("broken download: %v after %d attempts", err, broken.fails.Load())
	}
	if v, _ := db.Setting(ctx, store.SettingSyncUpdateID); v != "" {
		t.Fatalf("the update was passed: cursor %q", v)
	}
	c = e.client(ws, func(c *ClientConfig) { c.UpdateCert, c.Trust, c.Now = k.cert, ts, func() time.Time { return trustNow } })
	res, err := c.Sync(ctx, db, nil)
	if err != nil || len(res.Updates) != 1 || len(res.Rejected) != 0 {
		t.Fatalf("second sync: %+v %v", res, err)
	}

	hc := &http.Client{Transport: baseTransport(e, ws)}
	for path, want := range map[string]int{"/api/v1/updates/1": 200, "/api/v1/updates/2": 404, "/api/v1/updates/x": 400, "/api/v1/updates/-1": 400} {
		resp, err := hc.Get(e.url + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || (want == 404 && !strings.Contains(string(body), "Обновление не найдено")) {
			t.Errorf("%s: HTTP %d, want %d", path, resp.StatusCode, want)
		}
	}
	resp, err := staffClient(e).Get(e.url + "/api/v1/updates/1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("without a workstation certificate: HTTP %d", resp.StatusCode)
	}
}
