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
	"github.com/mezhved/mezhved/store"

	"github.com/mezhved/mezhved/region/internal/trusttest"
	"github.com/mezhved/mezhved/region/regionsync"
)

// A bad list of CAs or a file that is no CRL is refused when published,
// with a Russian message, and nothing is signed.
func TestPublishRefusesBadTrustFiles(t *testing.T) {
	k := trusttest.NewKit(t)
	good := trusttest.TSL(5, "ООО УЦ", k.Known.Cert)
	crl := trusttest.GOSTCRL(t, k.Known, trusttest.Now)
	cases := []struct {
		kind, name string
		payload    []byte
		want       string
	}{
		{regionsync.KindTrust, "TSL.xml", []byte("<TrustServiceStatusList/>"), "корневой элемент не АккредитованныеУдостоверяющиеЦентры"},
		{regionsync.KindTrust, "TSL.xml", []byte(strings.Replace(string(good), "<Версия>5<", "<Версия>пятая<", 1)), "версия «пятая» не число"},
		{regionsync.KindTrust, "TSL.xml", good[:len(good)-40], "не является корректным XML"},
		{regionsync.KindTrust, "TSL.xml", []byte(`<!DOCTYPE a [<!ENTITY x "y">]><АккредитованныеУдостоверяющиеЦентры/>`), "не является корректным XML"},
		{regionsync.KindCRL, "uc.crl", good, "не является списком отзыва"},
		{regionsync.KindCRL, "uc.crl", crl[:len(crl)-3], "не является списком отзыва"},
		{regionsync.KindCRL, "uc.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: k.Known.Cert.Raw}), "ровно один список отзыва"},
		{"keys", "x.bin", crl, "Неизвестный вид обновления"},
	}
	for _, c := range cases {
		data, err := regionsync.SignUpdate(c.kind, c.name, c.payload, trusttest.Now, k.Key)
		if data != nil || domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), c.want) {
			t.Errorf("%s %s: %v, want %q", c.kind, c.name, err, c.want)
		}
	}
	// A CRL in PEM travels as its DER.
	u, err := regionsync.VerifyUpdate(k.Sign(t, regionsync.KindCRL, "uc.pem", pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: crl})), k.Cert, trusttest.Now)
	if err != nil || string(u.Payload) != string(crl) {
		t.Fatalf("PEM CRL: %v", err)
	}
	if _, err := regionsync.VerifyUpdate(k.Sign(t, regionsync.KindTrust, "TSL.xml", good), k.Cert, trusttest.Now); err != nil {
		t.Fatal(err)
	}
}

// The whole channel: published on the region (a CRL too large to travel
// inline among them), fetched by the workstation's sync, verified and
// applied to the trust store the app works with; the refused ones are
// reported and the sync goes on.
func TestSyncAppliesTrustUpdates(t *testing.T) {
	backends(t, func(t *testing.T, newStore func() *Store) {
		ctx := context.Background()
		k := trusttest.NewKit(t)
		st := newStore()
		st.now = func() time.Time { return trusttest.Now }
		e := newEnv(t, st, ServerConfig{})
		ws := e.workstation(oktmoA, "Берёзовское", "ws-1")
		big := trusttest.GOSTCRL(t, k.Known, trusttest.Now.Add(-time.Hour), append(trusttest.RevokedEntries(100000, trusttest.Now),
			x509.RevocationListEntry{SerialNumber: k.Leaf.Cert.SerialNumber, RevocationTime: trusttest.Now.AddDate(0, 0, -3)})...)
		for _, u := range []struct {
			kind, name string
			payload    []byte
		}{
			{regionsync.KindTrust, "TSL.xml", trusttest.TSL(5, "ООО УЦ", k.Known.Cert)},
			{regionsync.KindCRL, "foreign.crl", trusttest.GOSTCRL(t, k.Unknown, trusttest.Now)},
			{regionsync.KindCRL, "uc.pem", pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: big})},
			{regionsync.KindTrust, "TSL-old.xml", trusttest.TSL(3, "ООО УЦ", k.Known.Cert)},
		} {
			if _, err := e.store.AddUpdate(ctx, k.Sign(t, u.kind, u.name, u.payload), k.Cert); err != nil {
				t.Fatal(err)
			}
		}
		list, err := e.store.UpdatesAfter(ctx, 0, 20)
		if err != nil || len(list) != 4 || list[2].Data != nil || list[2].Size <= regionsync.MaxUpdateBytes || list[1].Data == nil {
			t.Fatalf("listing: %v %v", len(list), err)
		}

		db := journal(t, 2)
		ts := k.TrustAt(t, db.Dir())
		c := e.client(ws, func(c *regionsync.ClientConfig) {
			c.UpdateCert, c.Trust, c.Now = k.Cert, ts, func() time.Time { return trusttest.Now }
		})
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
		if ts.TSL() == nil || ts.TSL().Version != 5 || !k.LeafRevoked(t, ts) {
			t.Fatal("the store in use did not take the updates")
		}
		if again := k.TrustAt(t, db.Dir()); again.TSL().Version != 5 || !k.LeafRevoked(t, again) {
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
	k := trusttest.NewKit(t)
	st := sqliteStore(t)
	st.now = func() time.Time { return trusttest.Now }
	e := newEnv(t, st, ServerConfig{})
	ws := e.workstation(oktmoA, "Берёзовское", "ws-1")
	big := trusttest.GOSTCRL(t, k.Known, trusttest.Now.Add(-time.Hour), trusttest.RevokedEntries(100000, trusttest.Now)...)
	if _, err := st.AddUpdate(ctx, k.Sign(t, regionsync.KindCRL, "uc.crl", big), k.Cert); err != nil {
		t.Fatal(err)
	}
	db := journal(t, 1)
	ts := k.TrustAt(t, db.Dir())
	broken := &failFiles{base: baseTransport(e, ws)}
	c := e.client(ws, func(c *regionsync.ClientConfig) {
		c.UpdateCert, c.Trust, c.Now, c.Transport = k.Cert, ts, func() time.Time { return trusttest.Now }, broken
	})
	if _, err := c.Sync(ctx, db, nil); !regionsync.IsUnreachable(err) || broken.fails.Load() != 3 {
		t.Fatalf("broken download: %v after %d attempts", err, broken.fails.Load())
	}
	if v, _ := db.Setting(ctx, store.SettingSyncUpdateID); v != "" {
		t.Fatalf("the update was passed: cursor %q", v)
	}
	c = e.client(ws, func(c *regionsync.ClientConfig) {
		c.UpdateCert, c.Trust, c.Now = k.Cert, ts, func() time.Time { return trusttest.Now }
	})
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
