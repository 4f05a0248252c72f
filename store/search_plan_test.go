package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// searchJournal holds 5,400 requests: «Росреестр» and «ФНС» take turns
// (so each is a common word and the two never meet), every third
// applicant is an Анна (common too), every sixth a Зоя Зоева, a few are
// Сидоровы.
func searchJournal(t *testing.T, budget time.Duration) *DB {
	t.Helper()
	// Words of more than 1,000 requests are common here.
	was := searchCap
	searchCap = 1000
	t.Cleanup(func() { searchCap = was })
	db, err := Open(t.TempDir(), Options{SearchBudget: budget})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	err = db.tx(ctx, "test", func(tx *sql.Tx) error {
		for i := range 5400 {
			n := NewRequest{Direction: domain.Outgoing, Channel: domain.ChannelPost, Status: domain.StatusSent, Actor: "clerk",
				TemplateID: "t", TemplateTitle: "Запрос", Provider: []string{"Росреестр", "ФНС"}[i%2],
				Applicant: fmt.Sprintf("%s Петров%d", []string{"Анна", "Мария", "Ольга"}[i%3], i%40),
				DueOn:     time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i*7919)%300).Format(time.DateOnly)}
			if i%6 == 1 {
				n.Applicant = "Зоя Зоева" // «зо» is two words of 900 requests
			}
			if i%500 == 7 {
				n.Applicant = "Сидоров Иван"
			}
			if _, err := insertRequest(ctx, tx, &n, now, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// matching lists, by brute force, the ids of the requests whose words
// include every query word as a prefix, in the journal's due order.
func matching(t *testing.T, db *DB, query string, keep func(*domain.Request) bool) []int64 {
	t.Helper()
	var ids []int64
	for off := 0; ; off += 500 {
		p, err := db.ListRequests(context.Background(), domain.RequestFilter{Limit: 500, Offset: off, SkipTotal: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Requests {
			words := searchWords(strings.Join([]string{r.Applicant, r.Provider, r.TemplateTitle, r.TemplateID}, " "))
			all := true
			for _, q := range searchWords(query) {
				all = all && slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, q) })
			}
			if all && (keep == nil || keep(r)) {
				ids = append(ids, r.ID)
			}
		}
		if len(p.Requests) < 500 {
			return ids
		}
	}
}

func pageIDs(p *Page) []int64 {
	var ids []int64
	for _, r := range p.Requests {
		ids = append(ids, r.ID)
	}
	return ids
}

// Whatever the words' frequencies and order, a search gives what a scan
// of the whole journal gives: rare words counted exactly, common words
// paged with a lower bound; every page in the journal's order.
func TestSearchPlans(t *testing.T) {
	ctx := context.Background()
	db := searchJournal(t, 0)
	for _, q := range []string{"сидоров", "петров7 анна", "анна петров7", "анна", "росреестр", "анна росреестр", "росреестр петров1", "мария сидоров", "петров", "зо", "зо петров"} {
		want := matching(t, db, q, nil)
		p, err := db.ListRequests(ctx, domain.RequestFilter{Query: q, Limit: 50})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		n := min(50, len(want))
		if !slices.Equal(pageIDs(p), want[:n]) {
			t.Fatalf("%q: first page %v, want %v", q, pageIDs(p), want[:n])
		}
		common := true // every word matches more than searchCap requests
		for _, w := range searchWords(q) {
			common = common && len(matching(t, db, w, nil)) > searchCap
		}
		switch {
		case common && (!p.TotalAtLeast || p.Total != 51):
			t.Fatalf("%q (common): total %d, at least %v", q, p.Total, p.TotalAtLeast)
		case !common && (p.TotalAtLeast || p.Total != len(want)):
			t.Fatalf("%q: total %d, at least %v, want %d", q, p.Total, p.TotalAtLeast, len(want))
		}
		// The last page of a common search says how many there are.
		if common {
			last := len(want) - 20
			p, err := db.ListRequests(ctx, domain.RequestFilter{Query: q, Limit: 50, Offset: last})
			if err != nil || p.TotalAtLeast || p.Total != len(want) || !slices.Equal(pageIDs(p), want[last:]) {
				t.Fatalf("%q last page: total %d at least %v, %v", q, p.Total, p.TotalAtLeast, err)
			}
		}
	}
	// With another filter: the total counts what passes both.
	sent := func(r *domain.Request) bool { return r.Provider == "Росреестр" }
	for _, q := range []string{"петров7 анна", "сидоров"} {
		want := matching(t, db, q, sent)
		p, err := db.ListRequests(ctx, domain.RequestFilter{Query: q, Provider: "Росреестр", Limit: 50})
		if err != nil || p.Total != len(want) || !slices.Equal(pageIDs(p), want[:min(50, len(want))]) {
			t.Fatalf("%q + provider: %d of %d, %v", q, p.Total, len(want), err)
		}
	}
	// Nothing found: an empty page, counted.
	if p, err := db.ListRequests(ctx, domain.RequestFilter{Query: "кузнецов"}); err != nil || p.Total != 0 || len(p.Requests) != 0 {
		t.Fatalf("nothing: %+v %v", p, err)
	}
	// Two common words that never meet: within the budget, an empty answer.
	if p, err := db.ListRequests(ctx, domain.RequestFilter{Query: "росреестр фнс"}); err != nil || p.Total != 0 || p.TotalAtLeast {
		t.Fatalf("disjoint: %+v %v", p, err)
	}
}

// Common words that meet almost nowhere in a journal too large to walk in
// the search's time: the clerk is asked to narrow the search, nothing
// else happens.
func TestSearchOfCommonWordsIsBounded(t *testing.T) {
	db := searchJournal(t, time.Nanosecond)
	_, err := db.ListRequests(context.Background(), domain.RequestFilter{Query: "росреестр фнс"})
	if domain.ErrorCode(err) != domain.EINVALID || !strings.Contains(domain.ErrorMessage(err), "Уточните запрос") {
		t.Fatalf("%v", err)
	}
	// A rare word is not bound by it.
	if p, err := db.ListRequests(context.Background(), domain.RequestFilter{Query: "сидоров"}); err != nil || p.Total != 11 {
		t.Fatalf("%+v %v", p, err)
	}
	// With another filter, or further down the pages, the words may well
	// meet: the word index drives instead, and the answer is exact.
	ros := func(r *domain.Request) bool { return r.Provider == "Росреестр" }
	want := matching(t, db, "анна", ros)
	p, err := db.ListRequests(context.Background(), domain.RequestFilter{Query: "анна", Provider: "Росреестр", Limit: 50})
	if err != nil || p.TotalAtLeast || p.Total != len(want) || !slices.Equal(pageIDs(p), want[:50]) {
		t.Fatalf("common word + provider: %d of %d, %v", p.Total, len(want), err)
	}
	want = matching(t, db, "анна", nil)
	p, err = db.ListRequests(context.Background(), domain.RequestFilter{Query: "анна", Offset: 100, Limit: 50})
	if err != nil || p.Total != len(want) || !slices.Equal(pageIDs(p), want[100:150]) {
		t.Fatalf("common word, third page: %d of %d, %v", p.Total, len(want), err)
	}
}

// A rare direction is read through its own index: every order, with and
// without a status filter, gives the rows SQLite gives by itself.
func TestRareDirectionPages(t *testing.T) {
	ctx := context.Background()
	db := searchJournal(t, 0) // 5,400 outgoing
	base := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	err := db.tx(ctx, "test", func(tx *sql.Tx) error {
		for i := range 60 {
			n := NewRequest{Direction: domain.Incoming, Channel: domain.ChannelSMEV, Status: []domain.Status{domain.StatusReceived, domain.StatusAnswered}[i%2],
				Actor: "smev", Provider: "Социальный фонд России", Applicant: fmt.Sprintf("Входящий %d", i)}
			if i%3 == 0 {
				n.Applicant += " Сидоров" // found in both directions
			}
			if i%7 != 0 {
				n.DueOn = base.AddDate(0, 0, (i*37)%50).Format(time.DateOnly)
			}
			if _, err := insertRequest(ctx, tx, &n, base.Add(time.Duration((i*13)%60)*time.Hour), nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for dir, want := range map[domain.Direction]string{domain.Incoming: "INDEXED BY", domain.Outgoing: ""} {
		from, err := db.tableFor(ctx, &filter{RequestFilter: domain.RequestFilter{Direction: dir}})
		if err != nil || !strings.Contains(from, want) {
			t.Fatalf("%s read from %q", dir, from)
		}
	}
	// A search in one direction, as the window asks: rare words, with the
	// other direction rare or the direction itself rare; common words.
	for _, c := range []struct {
		q   string
		dir domain.Direction
	}{{"петров7 анна", domain.Outgoing}, {"входящий", domain.Incoming}, {"входящий 1", domain.Incoming},
		{"входящий", domain.Outgoing}, {"анна", domain.Outgoing}, {"сидоров", domain.Outgoing}, {"сидоров", domain.Incoming}} {
		want := matching(t, db, c.q, func(r *domain.Request) bool { return r.Direction == c.dir })
		p, err := db.ListRequests(ctx, domain.RequestFilter{Query: c.q, Direction: c.dir, Limit: 50})
		if err != nil || !slices.Equal(pageIDs(p), want[:min(50, len(want))]) {
			t.Fatalf("%q %s: %v, want %v (%v)", c.q, c.dir, pageIDs(p), want[:min(50, len(want))], err)
		}
		if (!p.TotalAtLeast && p.Total != len(want)) || (p.TotalAtLeast && len(want) <= 50) {
			t.Fatalf("%q %s: total %d (at least %v), want %d", c.q, c.dir, p.Total, p.TotalAtLeast, len(want))
		}
	}
	for _, dir := range []domain.Direction{domain.Incoming, domain.Outgoing} {
		for order, by := range orders {
			one := domain.StatusReceived
			if dir == domain.Outgoing {
				one = domain.StatusSent
			}
			for _, sts := range [][]domain.Status{nil, {one}, {domain.StatusAnswered, one}} {
				f := domain.RequestFilter{Direction: dir, Order: order, Statuses: sts, Limit: 20, Offset: 5}
				p, err := db.ListRequests(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				q := `SELECT id FROM requests WHERE direction = ?`
				args := []any{dir}
				if len(sts) > 0 {
					q += ` AND status IN (?` + strings.Repeat(`, ?`, len(sts)-1) + `)`
					for _, s := range sts {
						args = append(args, s)
					}
				}
				var want []int64
				rows, err := db.db.Query(q+` ORDER BY `+by+` LIMIT 20 OFFSET 5`, args...)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
					var id int64
					rows.Scan(&id)
					want = append(want, id)
				}
				rows.Close()
				if !slices.Equal(pageIDs(p), want) || len(want) == 0 {
					t.Fatalf("%s %q %v: %v, want %v", dir, order, sts, pageIDs(p), want)
				}
			}
		}
	}
}
