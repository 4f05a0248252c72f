package store

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
)

func openTemp(t *testing.T) *DB {
	t.Helper()
	db, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if domain.ErrorCode(err) != code {
		t.Fatalf("error code = %q (%v), want %q", domain.ErrorCode(err), err, code)
	}
	if msg := domain.ErrorMessage(err); !strings.ContainsAny(msg, "абвгдеёжзийклмнопрстуфхцчшщыьэюя") {
		t.Fatalf("user message is not Russian: %q", msg)
	}
}

// assertUntouched checks that Open refuses path's directory and leaves the
// file byte for byte as it was.
func assertRefused(t *testing.T, dir string, code string) {
	t.Helper()
	path := filepath.Join(dir, FileName)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(dir, Options{})
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded")
	}
	wantCode(t, err, code)
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Fatal("the journal file was changed")
	}
	for _, side := range []string{"-wal", "-journal"} {
		if fi, err := os.Stat(path + side); err == nil && fi.Size() > 0 {
			t.Fatalf("%s left with %d bytes", side, fi.Size())
		}
	}
}

func TestOpenCreatesAndReopens(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	id, err := db.CreateRequest(ctx, NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV,
		Status: domain.StatusDraft, TemplateTitle: "Выписка из ЕГРН", Actor: "Иванова"})
	if err != nil {
		t.Fatal(err)
	}
	var mode string
	db.db.QueryRow("PRAGMA journal_mode").Scan(&mode)
	var fk int
	db.db.QueryRow("PRAGMA foreign_keys").Scan(&fk)
	if mode != "wal" || fk != 1 {
		t.Fatalf("journal_mode=%s foreign_keys=%d", mode, fk)
	}
	db.Close()
	db, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := db.Request(ctx, id)
	if err != nil || r.TemplateTitle != "Выписка из ЕГРН" || r.Status != domain.StatusDraft {
		t.Fatalf("after reopen: %+v, %v", r, err)
	}
}

func TestNotSQLiteIsRefusedUntouched(t *testing.T) {
	for name, content := range map[string][]byte{
		"text":        []byte("это не журнал, а заметки секретаря\n"),
		"short":       []byte("SQLite"),
		"zip":         append([]byte("PK\x03\x04"), bytes.Repeat([]byte{7}, 5000)...),
		"fake header": append([]byte("SQLite format 3\x00"), bytes.Repeat([]byte{0xff}, 8000)...),
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, FileName), content, 0o600); err != nil {
				t.Fatal(err)
			}
			assertRefused(t, dir, domain.ECORRUPT)
		})
	}
}

func TestCorruptJournalIsRefusedUntouched(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	os.Remove(filepath.Join(dir, FileName+"-wal"))
	os.Remove(filepath.Join(dir, FileName+"-shm"))
	path := filepath.Join(dir, FileName)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Scribble over the schema table on page 1, after the 100-byte header.
	for i := 100; i < 4096 && i < len(b); i++ {
		b[i] = byte(i*7 + 3)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	assertRefused(t, dir, domain.ECORRUPT)
}

func TestNewerSchemaIsRefusedUntouched(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.db.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	assertRefused(t, dir, domain.ETOONEW)
}

func TestMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "нет-такой")
	_, err := Open(dir, Options{})
	wantCode(t, err, domain.ENOTFOUND)
	if _, err := os.Stat(dir); err == nil {
		t.Fatal("Open created a directory it was not asked to")
	}
	db, err := Open(dir, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}

func TestDataDirIsAFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "file")
	os.WriteFile(f, []byte("x"), 0o600)
	_, err := Open(f, Options{})
	wantCode(t, err, domain.EINVALID)
}

// TestReadOnlyDirectory runs as an unprivileged user: root ignores
// directory permissions, so as root the test re-runs itself as nobody.
func TestReadOnlyDirectory(t *testing.T) {
	if dir := os.Getenv("MEZHVED_TEST_RO_DIR"); dir != "" {
		_, err := Open(dir, Options{})
		wantCode(t, err, domain.EPERMISSION)
		return
	}
	base, err := os.MkdirTemp("", "mezhved-ro-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(base)
	os.Chmod(base, 0o755)
	dir := filepath.Join(base, "data")
	os.Mkdir(dir, 0o555)
	if os.Geteuid() != 0 {
		_, err := Open(dir, Options{})
		wantCode(t, err, domain.EPERMISSION)
		return
	}
	// The test binary lives in a private build folder: copy it where nobody
	// may run it.
	exe := filepath.Join(base, "store.test")
	self, _ := os.Executable()
	b, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, b, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestReadOnlyDirectory$", "-test.v")
	cmd.Env = append(os.Environ(), "MEZHVED_TEST_RO_DIR="+dir, "HOME=/tmp", "GOCOVERDIR=")
	cmd.Dir = base // the checkout may be out of nobody's reach
	cmd.SysProcAttr = nobody()
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestReadOnlyDirectory") {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
}

func TestSecondInstanceRefused(t *testing.T) {
	dir := t.TempDir()
	first, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	_, err = Open(dir, Options{})
	wantCode(t, err, domain.ELOCKED)
	// The first keeps working.
	if _, err := first.CreateRequest(context.Background(), NewRequest{Direction: domain.Incoming,
		Channel: domain.ChannelSMEV, Status: domain.StatusReceived, Actor: "smev"}); err != nil {
		t.Fatalf("first instance broken: %v", err)
	}
	first.Close()
	second, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("after the first closed: %v", err)
	}
	second.Close()
}

func TestStatusHistory(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	clock := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	db.now = func() time.Time { clock = clock.Add(time.Minute); return clock }
	id, err := db.CreateRequest(ctx, NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV,
		Status: domain.StatusDraft, Actor: "Иванова", MessageID: "m-1", DueOn: "2026-03-10"})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []domain.Status{domain.StatusSigned, domain.StatusQueued, domain.StatusSent, domain.StatusSent, domain.StatusAnswered} {
		if err := db.SetStatus(ctx, id, st, "outbox", ""); err != nil {
			t.Fatal(err)
		}
	}
	ev, err := db.Events(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ev {
		got = append(got, string(e.From)+">"+string(e.To))
	}
	want := ">draft draft>signed signed>queued queued>sent sent>answered"
	if strings.Join(got, " ") != want {
		t.Fatalf("events %q, want %q", strings.Join(got, " "), want)
	}
	r, _ := db.Request(ctx, id)
	if r.SentAt.IsZero() || r.AnsweredAt.IsZero() || !r.AnsweredAt.After(r.SentAt) {
		t.Fatalf("times not set: %+v", r)
	}
	if err := db.SetStatus(ctx, 9999, domain.StatusSent, "x", ""); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Fatalf("unknown id: %v", err)
	}
	if err := db.SetStatus(ctx, id, "бред", "x", ""); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("bad status: %v", err)
	}
	// A duplicate MessageID is a conflict and writes nothing.
	_, err = db.CreateRequest(ctx, NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV,
		Status: domain.StatusDraft, Actor: "Иванова", MessageID: "m-1"})
	wantCode(t, err, domain.ECONFLICT)
	all, _ := db.EventsAfter(ctx, 0, 100)
	if len(all) != 5 {
		t.Fatalf("events after a refused insert: %d, want 5", len(all))
	}
}

func TestBadInputWritesNothing(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	bad := []NewRequest{
		{Direction: "sideways", Channel: domain.ChannelSMEV, Status: domain.StatusDraft, Actor: "a"},
		{Direction: domain.Outgoing, Channel: "pigeon", Status: domain.StatusDraft, Actor: "a"},
		{Direction: domain.Outgoing, Channel: domain.ChannelSMEV, Status: "lost", Actor: "a"},
		{Direction: domain.Outgoing, Channel: domain.ChannelSMEV, Status: domain.StatusDraft, Actor: "a", DueOn: "31.12.2026"},
		{Direction: domain.Outgoing, Channel: domain.ChannelSMEV, Status: domain.StatusDraft},
	}
	for i, n := range bad {
		if _, err := db.CreateRequest(ctx, n); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("case %d: %v", i, err)
		}
	}
	var n int
	db.db.QueryRow("SELECT count(*) FROM requests").Scan(&n)
	if n != 0 {
		t.Fatalf("%d requests written", n)
	}
}

func TestListFilterAndOverdue(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	mk := func(dir domain.Direction, st domain.Status, due, applicant, snils string) {
		t.Helper()
		if _, err := db.CreateRequest(ctx, NewRequest{Direction: dir, Channel: domain.ChannelSMEV, Status: st,
			DueOn: due, Applicant: applicant, SNILS: snils, Provider: "Росреестр", Actor: "t"}); err != nil {
			t.Fatal(err)
		}
	}
	mk(domain.Outgoing, domain.StatusSent, "2026-11-20", "Петров Пётр", "112-233-445 95")
	mk(domain.Outgoing, domain.StatusAnswered, "2026-11-19", "Сидорова Анна", "")
	mk(domain.Outgoing, domain.StatusSent, "2026-11-25", "Петров Пётр", "")
	mk(domain.Incoming, domain.StatusReceived, "2026-11-18", "Кузнецов", "")
	mk(domain.Outgoing, domain.StatusDraft, "", "Петрова 100%_", "")

	n, err := db.CountOverdue(ctx, "2026-11-22", "")
	if err != nil || n != 2 {
		t.Fatalf("overdue both = %d, %v; want 2", n, err)
	}
	n, _ = db.CountOverdue(ctx, "2026-11-22", domain.Outgoing)
	if n != 1 {
		t.Fatalf("overdue outgoing = %d, want 1", n)
	}
	p, err := db.ListRequests(ctx, domain.RequestFilter{Direction: domain.Outgoing, Statuses: []domain.Status{domain.StatusSent}})
	if err != nil || p.Total != 2 || p.Requests[0].DueOn != "2026-11-20" || p.Requests[1].DueOn != "2026-11-25" {
		t.Fatalf("page: %+v %v", p, err)
	}
	// Words match by prefix, any case, ё as е: «петров петр» finds both
	// Петров Пётр and Петрова.
	p, _ = db.ListRequests(ctx, domain.RequestFilter{Query: "петров петр"})
	if p.Total != 3 {
		t.Fatalf("query: total %d", p.Total)
	}
	p, _ = db.ListRequests(ctx, domain.RequestFilter{Query: "ПЁТР росреестр"})
	if p.Total != 3 {
		t.Fatalf("query with provider: total %d", p.Total)
	}
	p, _ = db.ListRequests(ctx, domain.RequestFilter{Query: "сидоров"})
	if p.Total != 1 || p.Requests[0].Applicant != "Сидорова Анна" {
		t.Fatalf("сидоров: %+v", p)
	}
	if _, err := db.ListRequests(ctx, domain.RequestFilter{Query: "а б в г д е ж з и"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("nine words: %v", err)
	}
	p, _ = db.ListRequests(ctx, domain.RequestFilter{Query: "100%_"})
	if p.Total != 1 {
		t.Fatalf("LIKE wildcards not escaped: %d", p.Total)
	}
	for _, q := range []string{"445 95", "11223344595", "112-233"} {
		p, _ = db.ListRequests(ctx, domain.RequestFilter{Query: q})
		if p.Total != 1 {
			t.Fatalf("by СНИЛС %q: %d", q, p.Total)
		}
	}
	p, _ = db.ListRequests(ctx, domain.RequestFilter{Query: "'; DROP TABLE requests; --"})
	if p.Total != 0 {
		t.Fatal("injection text matched")
	}
	if p, err := db.ListRequests(ctx, domain.RequestFilter{Limit: 2, Offset: 2, Order: "-due"}); err != nil || len(p.Requests) != 2 || p.Total != 5 {
		t.Fatalf("paging: %+v %v", p, err)
	}
	for _, f := range []domain.RequestFilter{{Order: "random()"}, {Limit: 501}, {Offset: -1}, {From: "вчера"}, {Statuses: []domain.Status{"x"}}} {
		if _, err := db.ListRequests(ctx, f); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("filter %+v: %v", f, err)
		}
	}
}

func TestSettings(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	if v, err := db.Setting(ctx, SettingClerk); err != nil || v != "" {
		t.Fatalf("unset: %q %v", v, err)
	}
	if err := db.SetSettings(ctx, map[string]string{SettingClerk: "Иванова М. П.", SettingSettlement: "Сельское поселение Берёзовка"}); err != nil {
		t.Fatal(err)
	}
	db.SetSettings(ctx, map[string]string{SettingClerk: "Петрова А. С."})
	if v, _ := db.Setting(ctx, SettingClerk); v != "Петрова А. С." {
		t.Fatalf("clerk = %q", v)
	}
}

func TestResolveDir(t *testing.T) {
	env := map[string]string{"XDG_DATA_HOME": "/x/data", EnvDataDir: ""}
	get := func(k string) string { return env[k] }
	if d, ex := ResolveDir("/flag", get); d != "/flag" || !ex {
		t.Fatal(d)
	}
	if d, ex := ResolveDir("", get); d != "/x/data/mezhved" || ex {
		t.Fatal(d)
	}
	env[EnvDataDir] = "/env"
	if d, ex := ResolveDir("", get); d != "/env" || !ex {
		t.Fatal(d)
	}
}

func TestDeadlines(t *testing.T) {
	db := openTemp(t)
	ctx := context.Background()
	id, err := db.CreateRequest(ctx, NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV,
		Status: domain.StatusSent, Actor: "t", DueOn: "2026-11-27", DueFrom: "2026-11-20", DueDays: 5})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetDeadline(ctx, id, DeadlineSend, "2026-11-18", 2, "2026-11-20"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetDeadline(ctx, id, DeadlineAnswer, "2026-11-20", 7, "2026-12-01"); err != nil {
		t.Fatal(err)
	}
	d, _ := db.Deadlines(ctx, id)
	if len(d) != 2 || d[0] != (Deadline{"answer", "2026-11-20", 7, "2026-12-01"}) || d[1].Kind != "send" {
		t.Fatalf("%+v", d)
	}
	if r, _ := db.Request(ctx, id); r.DueOn != "2026-12-01" {
		t.Fatalf("due_on not mirrored: %s", r.DueOn)
	}
	for _, c := range []struct {
		id         int64
		kind, from string
		days       int
		due, code  string
	}{
		{id, "someday", "2026-11-20", 5, "2026-11-27", domain.EINVALID},
		{id, DeadlineAnswer, "20.11.2026", 5, "2026-11-27", domain.EINVALID},
		{id, DeadlineAnswer, "2026-11-20", 5, "2026-11-19", domain.EINVALID},
		{id, DeadlineAnswer, "2026-11-20", -1, "2026-11-27", domain.EINVALID},
		{9999, DeadlineAnswer, "2026-11-20", 5, "2026-11-27", domain.ENOTFOUND},
		{9999, DeadlineSend, "2026-11-20", 5, "2026-11-27", domain.ENOTFOUND},
	} {
		if err := db.SetDeadline(ctx, c.id, c.kind, c.from, c.days, c.due); domain.ErrorCode(err) != c.code {
			t.Errorf("%+v: %v", c, err)
		}
	}
	if d, _ := db.Deadlines(ctx, id); len(d) != 2 || d[0].DueOn != "2026-12-01" {
		t.Fatalf("a refused change altered deadlines: %+v", d)
	}
}

// The journal holds applicants' personal data: it and its WAL are readable
// by the owner only, also when an older version left it world-readable.
func TestJournalIsOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateRequest(context.Background(), NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV,
		Status: domain.StatusDraft, Actor: "t"}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{FileName, FileName + "-wal"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v %v", f, fi.Mode(), err)
		}
	}
	db.Close()
	os.Chmod(filepath.Join(dir, FileName), 0o644)
	db, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if fi, _ := os.Stat(filepath.Join(dir, FileName)); fi.Mode().Perm() != 0o600 {
		t.Fatalf("an old world-readable journal stays %v", fi.Mode())
	}
}
