package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// BenchmarkCreateRequest: one request with its first status event, in one
// transaction, synchronous=FULL (durable on return). Target ≤ 2 ms.
func BenchmarkCreateRequest(b *testing.B) {
	db, err := Open(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_, err := db.CreateRequest(ctx, NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelSMEV,
			Status: domain.StatusQueued, MessageID: fmt.Sprintf("msg-%d", i), TemplateTitle: "Выписка из ЕГРН",
			Provider: "Росреестр", Applicant: "Иванов Иван Иванович", DueOn: "2026-12-01", Actor: "bench"})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// fixture1M returns a journal with 1,000,000 requests, built once and kept
// in the repository's ignored .cache folder (about a minute to build).
func fixture1M(b *testing.B) *DB {
	b.Helper()
	dir := filepath.Join("..", ".cache", "bench", "journal-1m-v4")
	if _, err := os.Stat(filepath.Join(dir, "complete")); err != nil {
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		if err := buildFixture(dir, 1_000_000); err != nil {
			b.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "complete"), nil, 0o644)
	}
	db, err := Open(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// buildFixture writes n requests spread over five years: most answered long
// ago, a few percent open, some of those overdue, as in a real settlement's
// journal.
func buildFixture(dir string, n int) error {
	db, err := Open(dir, Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2022, 1, 10, 8, 0, 0, 0, time.UTC)
	providers := []string{"Росреестр", "ФНС России", "МВД России", "Социальный фонд России", "ЕГР ЗАГС"}
	tx, err := db.db.Begin()
	if err != nil {
		return err
	}
	ins, err := tx.Prepare(`INSERT INTO requests (direction, message_id, template_id, template_title, provider,
		channel, status, is_open, applicant, created_at, due_on, updated_at)
		VALUES (?, ?, 'egrn-object', 'Выписка из ЕГРН', ?, 'smev', ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	surnames := []string{"Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
		"Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов",
		"Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров"}
	names := []string{"Иван", "Сергей", "Анна", "Мария", "Пётр", "Ольга", "Николай", "Елена", "Алексей", "Татьяна"}
	for i := range n {
		created := start.Add(time.Duration(i) * 150 * time.Second) // ≈ 4.7 years
		due := created.AddDate(0, 0, 7).Format(time.DateOnly)
		st := domain.StatusAnswered
		switch r := rng.IntN(100); {
		case i > n-20000 && r < 60:
			st = domain.StatusSent
		case r < 2:
			st = domain.StatusRejected
		case r < 3:
			st = domain.StatusError
		}
		dir := "out"
		if i%7 == 0 {
			dir = "in"
		}
		// 25 surnames × 200 villages-worth of numbers × 10 names: a surname
		// and a name together match about 4,000 of a million.
		applicant := fmt.Sprintf("%s%d %s", surnames[rng.IntN(len(surnames))], rng.IntN(10), names[rng.IntN(len(names))])
		prov := providers[i%len(providers)]
		ts := created.Format(timeLayout)
		msg := fmt.Sprintf("m-%08d", i)
		res, err := ins.Exec(dir, msg, prov, st, boolInt(st.Open()), applicant, ts, due, ts)
		if err != nil {
			return err
		}
		id, _ := res.LastInsertId()
		nr := NewRequest{Applicant: applicant, Provider: prov, TemplateTitle: "Выписка из ЕГРН", TemplateID: "egrn-object", MessageID: msg}
		if err := writeSearchWords(context.Background(), tx, id, &nr); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// BenchmarkListPage1M: the first 50 of 1,000,000 requests with a status
// filter, ordered by deadline, with the total. Target ≤ 20 ms.
func BenchmarkListPage1M(b *testing.B) {
	db := fixture1M(b)
	ctx := context.Background()
	f := domain.RequestFilter{Statuses: []domain.Status{domain.StatusSent}, Limit: 50}
	for b.Loop() {
		p, err := db.ListRequests(ctx, f)
		if err != nil || len(p.Requests) != 50 {
			b.Fatal(err)
		}
	}
}

// BenchmarkCountOverdue1M: open requests due before a day, of 1,000,000.
// Target ≤ 20 ms.
func BenchmarkCountOverdue1M(b *testing.B) {
	db := fixture1M(b)
	ctx := context.Background()
	for b.Loop() {
		n, err := db.CountOverdue(ctx, "2026-11-22", "")
		if err != nil || n == 0 {
			b.Fatal(n, err)
		}
	}
}

// BenchmarkSearch1M: the journal search by a word among 1,000,000 requests
// (first page with the total). The window's target is ≤ 100 ms per action.
func BenchmarkSearch1M(b *testing.B) {
	db := fixture1M(b)
	ctx := context.Background()
	for b.Loop() {
		p, err := db.ListRequests(ctx, domain.RequestFilter{Query: "петров3 анна", Limit: 50})
		if err != nil || p.Total == 0 {
			b.Fatal(p, err)
		}
	}
}
