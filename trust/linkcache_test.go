package trust

import (
	"crypto/sha256"
	"crypto/x509"
	"testing"
)

// A link remembered as checked spares the signature check of the next
// message, but nothing else: a certificate whose signature was altered is
// another certificate and is checked (and refused), and validity is still
// judged on every path.
func TestRememberedLinks(t *testing.T) {
	ch := newGOSTChain(t, "")
	s := trustedStore(t, ch, day(60))
	extra := []*x509.Certificate{ch.inter.cert}
	wantVerdict(t, s.Verify(ch.leaf.cert, extra, Test, day(70)), Trusted, "")
	k := [2][32]byte{sumOf(ch.leaf.cert), sumOf(ch.inter.cert)}
	if !goodLinks.has(k) {
		t.Fatal("the checked link was not remembered")
	}
	wantVerdict(t, s.Verify(ch.leaf.cert, extra, Test, day(70)), Trusted, "")

	raw := append([]byte(nil), ch.leaf.cert.Raw...)
	raw[len(raw)-5] ^= 0x40 // inside the signature value
	forged, err := x509.ParseCertificate(raw)
	if err != nil {
		t.Fatal(err)
	}
	wantVerdict(t, s.Verify(forged, extra, Test, day(70)), Untrusted, BadSignature)

	// A chain that leads to no anchor leaves nothing behind, though its
	// links verify.
	other := newGOSTChain(t, "")
	wantVerdict(t, s.Verify(other.leaf.cert, []*x509.Certificate{other.inter.cert}, Test, day(70)), Untrusted, UnknownIssuer)
	if goodLinks.has([2][32]byte{sumOf(other.leaf.cert), sumOf(other.inter.cert)}) {
		t.Fatal("a link of a chain without an anchor was remembered")
	}

	// Remembered, and still expired when judged after its end.
	wantVerdict(t, s.Verify(ch.leaf.cert, extra, Test, ch.leaf.cert.NotAfter.AddDate(0, 0, 1)), Untrusted, Expired)
}

func TestRememberedLinksAreBounded(t *testing.T) {
	c := &linkCache{ok: map[[2][32]byte]struct{}{}}
	for i := range maxGoodLinks + 10 {
		var k [2][32]byte
		k[0][0], k[0][1], k[0][2] = byte(i), byte(i>>8), byte(i>>16)
		c.add(k)
		if len(c.ok) > maxGoodLinks {
			t.Fatalf("%d links remembered", len(c.ok))
		}
	}
	if len(c.ok) == 0 {
		t.Fatal("nothing remembered")
	}
}

func sumOf(c *x509.Certificate) [32]byte { return sha256.Sum256(c.Raw) }
