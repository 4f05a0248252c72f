package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func composeArgs(extra ...string) []string {
	return append([]string{"compose", "--template", "sfr-snils-check", "--today", "2025-05-13",
		"--set", "org.name=Администрация сельского поселения Учебное",
		"--set", "org.ogrn=1024600000017", "--set", "org.oktmo=46628101",
		"--set", "org.official_name=Петров Пётр Петрович", "--set", "org.official_position=Глава администрации",
		"--set", "application.service=Признание граждан малоимущими", "--set", "application.number=7/2025",
		"--set", "application.date=12.05.2025",
		"--set", "applicant.last_name=Иванова", "--set", "applicant.first_name=Анна",
		"--set", "applicant.birth_date=14.07.1985", "--set", "applicant.snils=11223344595",
		"--set", "applicant.gender=F"}, extra...)
}

func TestCompose(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runIn(t, dir, composeArgs()...)
	if code != 0 {
		t.Fatalf("%d %s", code, errs)
	}
	for _, want := range []string{`<req:SNILSValidationRequest xmlns:req="urn://mezhved/training/sfr/snils-check/1.0.0">`,
		"<req:SNILS>112-233-445 95</req:SNILS>", "<req:RequestDate>2025-05-13</req:RequestDate>", "<req:BirthDate>1985-07-14</req:BirthDate>"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in %s", want, out)
		}
	}
	if !strings.Contains(errs, "training") {
		t.Errorf("no training note: %q", errs)
	}
	file := filepath.Join(t.TempDir(), "req.xml")
	if code, out, _ := runIn(t, dir, composeArgs("--out", file)...); code != 0 || out != "" {
		t.Fatalf("--out: %d %q", code, out)
	}
	if b, _ := os.ReadFile(file); !strings.Contains(string(b), "112-233-445 95") {
		t.Errorf("file: %s", b)
	}
	// The body holds the applicant's personal data: the owner's alone.
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, %v", fi.Mode().Perm(), err)
	}
}

func TestComposeProblems(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(t.TempDir(), "req.xml")
	args := composeArgs("--set", "applicant.middle_name=Ivanovna", "--out", file)
	for i, a := range args { // a wrong checksum and a missing required field
		if a == "applicant.snils=11223344595" {
			args[i] = "applicant.snils=11223344594"
		}
		if a == "applicant.first_name=Анна" {
			args[i] = "applicant.first_name="
		}
	}
	code, out, errs := runIn(t, dir, args...)
	if code != 2 || out != "" {
		t.Fatalf("%d %q", code, out)
	}
	for _, want := range []string{"3 problem(s)", "СНИЛС заявителя: неверная контрольная сумма", "Имя заявителя: не заполнено", "Отчество заявителя: латинская буква"} {
		if !strings.Contains(errs, want) {
			t.Errorf("no %q in\n%s", want, errs)
		}
	}
	if _, err := os.Stat(file); err == nil {
		t.Error("--out written despite problems")
	}
	for name, bad := range map[string][]string{
		"no template":      {"compose", "--set", "a=b"},
		"unknown template": {"compose", "--template", "nope"},
		"bad set":          {"compose", "--template", "fns-egrul", "--set", "novalue"},
		"twice":            {"compose", "--template", "fns-egrul", "--set", "a=1", "--set", "a=2"},
		"bad today":        {"compose", "--template", "fns-egrul", "--today", "2025-02-30"},
		"unknown field":    composeArgs("--set", "color=red"),
	} {
		if code, out, _ := runIn(t, dir, bad...); code != 2 || out != "" {
			t.Errorf("%s: %d %q", name, code, out)
		}
	}
}
