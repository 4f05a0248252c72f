package trust

import (
	"bytes"
	"crypto/x509"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/domain"
)

// modeOf returns the permission bits of path.
func modeOf(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// noTempFiles fails if a temporary file of writeAtomic is left in dir.
func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".tmp") {
			t.Errorf("temporary file left: %s", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpenLayoutAndModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX modes")
	}
	w := newTSLWorld(t, 3)
	data := t.TempDir()
	s, err := openWithRoots(data, []*x509.Certificate{w.head.cert})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportTSL(bytes.NewReader(w.tsl)); err != nil {
		t.Fatal(err)
	}
	if err := s.AddAnchor(Training, w.stranger.cert); err != nil {
		t.Fatal(err)
	}
	mustAddCRL(t, s, mkGOSTCRL(t, w.head, day(10), day(40)))
	dir := filepath.Join(data, "trust")
	for _, d := range []string{dir, filepath.Join(dir, "crl")} {
		if m := modeOf(t, d); m != 0o700 {
			t.Errorf("%s: mode %o", d, m)
		}
	}
	crls, _ := filepath.Glob(filepath.Join(dir, "crl", "*.crl"))
	files := append([]string{filepath.Join(dir, "tsl.xml"), filepath.Join(dir, "anchors-training.pem")}, crls...)
	if len(files) != 3 {
		t.Fatalf("files: %v", files)
	}
	for _, f := range files {
		if m := modeOf(t, f); m != 0o600 {
			t.Errorf("%s: mode %o", f, m)
		}
	}
	noTempFiles(t, dir)
	// A directory left too open is closed again.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := openWithRoots(data, nil); err != nil {
		t.Fatal(err)
	}
	if m := modeOf(t, dir); m != 0o700 {
		t.Errorf("reopened: mode %o", m)
	}
	if _, err := Open(""); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("empty dir: %v", err)
	}
}

func TestAnchorsPersistPerContour(t *testing.T) {
	a := mkGOST(t, spec{cn: "УЦ администратора", ca: true, pathLen: -1}, nil)
	b := mkGOST(t, spec{cn: "Сертификат оператора", from: day(1)}, nil)
	s := openTest(t)
	for _, err := range []error{s.AddAnchor(Production, a.cert), s.AddAnchor(Production, a.cert), s.AddAnchor(Test, b.cert), s.AddTrainingAnchor(a.cert)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AddAnchor(Contour("staging"), a.cert); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("unknown contour: %v", err)
	}
	if err := s.AddAnchor(Test, nil); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("nil certificate: %v", err)
	}
	if n := len(s.Anchors(Production)); n != 1 {
		t.Fatalf("production anchors: %d", n)
	}
	s2, err := openWithRoots(dataDir(s), nil)
	if err != nil {
		t.Fatal(err)
	}
	if p, te, tr := s2.Anchors(Production), s2.Anchors(Test), s2.Anchors(Training); len(p) != 1 || !p[0].Equal(a.cert) || len(te) != 1 || !te[0].Equal(b.cert) || len(tr) != 0 {
		t.Fatalf("reopened: %d %d %d (the training anchor of a run is not saved)", len(p), len(te), len(tr))
	}
	if err := s2.RemoveAnchor(Production, a.cert); err != nil {
		t.Fatal(err)
	}
	s3, _ := openWithRoots(dataDir(s), nil)
	if len(s3.Anchors(Production)) != 0 || len(s3.Anchors(Test)) != 1 {
		t.Fatal("RemoveAnchor was not saved")
	}
	// The built-in roots are anchors of production and test only.
	s4 := openTest(t, BuiltinRoots()...)
	if len(s4.Anchors(Production)) != 6 || len(s4.Anchors(Test)) != 6 || len(s4.Anchors(Training)) != 0 {
		t.Fatal("built-in roots per contour")
	}
	if _, err := ParseContour("production"); err != nil {
		t.Fatal(err)
	}
}

// A malformed or older TSL is refused; the stored one stays in force, on
// disk byte for byte and in memory.
func TestImportKeepsPreviousStateOnError(t *testing.T) {
	w := newTSLWorld(t, 10)
	s := openTest(t, w.head.cert)
	if _, err := s.ImportTSL(bytes.NewReader(w.tsl)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(s.dir, "tsl.xml")
	before, _ := os.ReadFile(path)
	bad := [][]byte{
		w.tsl[:len(w.tsl)/2],
		bytes.Replace(w.tsl, []byte("<Версия>10<"), []byte("<Версия>9<"), 1), // older
		bytes.Replace(w.tsl, []byte("<Данные>"), []byte("<Данные>AAAA"), 1),  // fingerprint mismatch
		append([]byte("<!DOCTYPE x>"), w.tsl...),
	}
	for i, b := range bad {
		if _, err := s.ImportTSL(bytes.NewReader(b)); err == nil {
			t.Fatalf("bad import %d accepted", i)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
			t.Fatalf("bad import %d changed the stored list", i)
		}
		if s.TSL().Version != 10 || len(s.accredited) != 1 {
			t.Fatalf("bad import %d changed the list in memory", i)
		}
	}
	_, err := s.ImportTSL(bytes.NewReader(bad[1]))
	if domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(domain.ErrorMessage(err), "версии 9 старше действующего (версия 10)") {
		t.Fatalf("older: %v", err)
	}
	noTempFiles(t, s.dir)
	// A newer one replaces it.
	newer := bytes.Replace(w.tsl, []byte("<Версия>10<"), []byte("<Версия>11<"), 1)
	if _, err := s.ImportTSL(bytes.NewReader(newer)); err != nil || s.TSL().Version != 11 {
		t.Fatalf("newer: %v", err)
	}
	// Too big is refused without reading it all.
	if _, err := s.ImportTSL(bytes.NewReader(make([]byte, MaxTSLSize+10))); err == nil || s.TSL().Version != 11 {
		t.Fatalf("too big: %v", err)
	}
}

func TestOpenRefusesDamagedFiles(t *testing.T) {
	for name, file := range map[string]string{"tsl.xml": "<АккредитованныеУдостоверяющиеЦентры>", "anchors-test.pem": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"} {
		data := t.TempDir()
		if err := os.MkdirAll(filepath.Join(data, "trust"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(data, "trust", name), []byte(file), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(data); domain.ErrorCode(err) != domain.ECORRUPT {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A damaged cached CRL is only ignored (it is a cache).
	ch := newGOSTChain(t, "")
	s := trustedStore(t, ch, day(60))
	crls, _ := filepath.Glob(filepath.Join(s.dir, "crl", "*.crl"))
	for _, c := range crls {
		if err := os.WriteFile(c, []byte("garbage"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s2, err := openWithRoots(dataDir(s), nil)
	if err != nil {
		t.Fatal(err)
	}
	s2.SetFetcher(nil)
	wantVerdict(t, s2.Verify(ch.leaf.cert, []*x509.Certificate{ch.inter.cert}, Test, day(70)), Untrusted, RevocationUnknown)
}

// Verifications, imports and additions at the same time (run with -race).
func TestConcurrentUse(t *testing.T) {
	w := newTSLWorld(t, 1)
	s := openTest(t, w.head.cert)
	leaf := mkGOST(t, spec{cn: "Лист", from: day(30)}, w.accredited)
	crl := mkGOSTCRL(t, w.accredited, day(60), day(90))
	done := make(chan struct{})
	for i := 0; i < 4; i++ {
		go func(i int) {
			defer func() { done <- struct{}{} }()
			for j := 0; j < 5; j++ {
				switch i {
				case 0:
					_, _ = s.ImportTSL(bytes.NewReader(w.tsl))
				case 1:
					_ = s.AddCRL(crl, w.accredited.cert)
				case 2:
					_ = s.AddAnchor(Training, w.stranger.cert)
					_ = s.AddTrainingAnchor(w.head.cert)
				default:
					s.VerifyContext(t.Context(), leaf.cert, Options{Contour: Production, At: day(70), Intermediates: []*x509.Certificate{w.accredited.cert}})
				}
			}
		}(i)
	}
	for i := 0; i < 4; i++ {
		<-done
	}
	r := s.VerifyContext(t.Context(), leaf.cert, Options{Contour: Production, At: day(70), Revocation: RevocationBestEffort})
	wantVerdict(t, r, Trusted, "")
}
