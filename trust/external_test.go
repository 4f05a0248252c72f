package trust_test

import (
	"crypto/x509"
	"encoding/pem"
	"testing"
	"time"

	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/training/node"
	"github.com/mezhved/mezhved/transport"
	"github.com/mezhved/mezhved/trust"
)

// The training node's ЭП-СМЭВ key: made with keys.NewDemoGOST, whose
// throwaway CA is registered as a training anchor for the run. It is
// trusted in training and nowhere else.
func TestTrainingNodeKeyChainsToItsCA(t *testing.T) {
	key, ca, err := keys.NewDemoGOST(keys.DemoSubject{CommonName: "СМЭВ 3 (учебный узел Межвед)", Organization: "Учебный узел СМЭВ",
		INNLE: "7707049388", OGRN: "1027700198767"}, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	n, err := node.New(node.Options{Key: key})
	if err != nil {
		t.Fatal(err)
	}
	s, err := trust.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s.SetFetcher(nil)
	leaf := n.Key().Certificate()
	at := leaf.NotBefore.Add(time.Hour)
	if r := s.Verify(leaf, nil, trust.Training, at); r.Verdict != trust.Untrusted || !r.Has(trust.UnknownIssuer) {
		t.Fatalf("before registration: %s", r.English())
	}
	if err := s.AddTrainingAnchor(ca); err != nil {
		t.Fatal(err)
	}
	// The demo CA publishes no CRL: revocation is best effort in training.
	r := s.VerifyContext(t.Context(), leaf, trust.Options{Contour: trust.Training, At: at, Revocation: trust.RevocationBestEffort})
	if r.Verdict != trust.Trusted || len(r.Chain) != 2 || r.Chain[0].OGRN != "1027700198767" || r.Text() != "действительна (статус отзыва не проверен)" {
		t.Fatalf("training: %+v %s", r, r.Text())
	}
	if r := s.Verify(leaf, nil, trust.Training, at); r.Verdict != trust.Untrusted || !r.Has(trust.RevocationUnknown) {
		t.Fatalf("training, revocation required: %s", r.English())
	}
	for _, c := range []trust.Contour{trust.Production, trust.Test} {
		if r := s.Verify(leaf, []*x509.Certificate{ca}, c, at); r.Verdict != trust.Untrusted || !r.Has(trust.UnknownIssuer) {
			t.Fatalf("%s: %s", c, r.English())
		}
	}
}

// The loopback PKI of the training node (ECDSA P-256, crypto/x509) chains
// too, through crypto/x509's signature checks.
func TestLoopbackPKIChains(t *testing.T) {
	pki, err := transport.NewLoopbackPKI(24 * time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	parse := func(b []byte) *x509.Certificate {
		blk, _ := pem.Decode(b)
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	ca, client := parse(pki.CAPEM), parse(pki.ClientCertPEM)
	s, err := trust.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s.SetFetcher(nil)
	if err := s.AddTrainingAnchor(ca); err != nil {
		t.Fatal(err)
	}
	at := client.NotBefore.Add(time.Minute)
	r := s.VerifyContext(t.Context(), client, trust.Options{Contour: trust.Training, At: at, Revocation: trust.RevocationBestEffort})
	if r.Verdict != trust.Trusted || len(r.Chain) != 2 || r.Chain[1].Subject != "Mezhved training SMEV CA" {
		t.Fatalf("%+v", r)
	}
	if r := s.Verify(client, nil, trust.Training, client.NotAfter.Add(time.Minute)); !r.Has(trust.Expired) {
		t.Fatalf("expired: %s", r.English())
	}
}
