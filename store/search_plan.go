package store

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/mezhved/mezhved/domain"
)

// searchCap is where a word stops being rare: a word that matches more
// requests than this is common. It bounds the work of every search. (A
// variable only so that tests need not write thousands of requests.)
var searchCap = 5000

// filter is a RequestFilter with its search planned.
type filter struct {
	domain.RequestFilter
	loc        *time.Location // the clerk's days for From and To; time.Local when nil
	QueryWords []string       // rarest first
	plan       searchPlan
	// planIDs: the requests that have every word (JSON array), and how
	// many.
	idsJSON string
	matches int
}

// searchPlan is how a search finds its requests.
type searchPlan int

const (
	// planNone: no search words.
	planNone searchPlan = iota
	// planIDs: the rarest word matches at most searchCap requests; the
	// requests with every word are found in the word index (at most
	// searchCap probes per other word), and the page and the total come
	// from that list.
	planIDs
	// planWalk: every word is common; the requests are walked in the
	// page's order, each checked for every word, until the page is full,
	// within the search budget; not counted.
	planWalk
	// planDriven: common words where the walk ran out of time with other
	// filters or far down the pages: the first word's requests, each
	// checked for the rest (exact; costs what the word matches).
	planDriven
)

// wordsOnly reports whether the filter has nothing but search words (and
// a direction, when anyDirection).
func (f *filter) wordsOnly(anyDirection bool) bool {
	return (f.Direction == "" || anyDirection) && len(f.Statuses) == 0 && f.Provider == "" && f.Template == "" &&
		f.From == "" && f.To == "" && f.OverdueOn == "" && f.DueBy == ""
}

// planSearch splits the filter's query into words and plans the search so
// that its cost does not grow with the journal:
//   - each word's matches are counted up to searchCap+1 in the word index
//     (a range of its primary key), and the words ordered rarest first;
//   - when the rarest word is rare (≤ searchCap), the requests that have
//     every word are found from its matches, each checked for the other
//     words: the page is sorted from those, and they are the total;
//   - when every word is common, the requests are walked in the page's
//     order, each checked for every word, until the page is full (common
//     words fill a page soon); such a search is not counted. A walk that
//     runs out of its time (the words meet almost nowhere) asks the clerk
//     to narrow the search, or, with other filters or far down the pages,
//     gives way to planDriven (see ListRequests).
func (s *DB) planSearch(ctx context.Context, f *filter) error {
	words := searchWords(f.Query)
	if len(words) > 8 {
		return domain.Errorf(domain.EINVALID, "Слишком длинный поисковый запрос: оставьте не больше восьми слов.")
	}
	if len(words) == 0 {
		return nil
	}
	counts := make(map[string]int, len(words))
	for _, w := range words {
		n, err := s.countUpTo(ctx, `SELECT count(*) FROM (SELECT 1 FROM search_words WHERE word >= ? AND word < ? LIMIT ?)`, w)
		if err == nil && n > searchCap {
			// Requests, not words: «петров» is both «петров» and «петровна».
			n, err = s.countUpTo(ctx, `SELECT count(*) FROM (SELECT DISTINCT request_id FROM search_words WHERE word >= ? AND word < ? LIMIT ?)`, w)
		}
		if err != nil {
			return classify(err, "store.planSearch")
		}
		counts[w] = n
	}
	sort.SliceStable(words, func(i, j int) bool { return counts[words[i]] < counts[words[j]] })
	f.QueryWords, f.plan = words, planIDs
	if counts[words[0]] > searchCap {
		f.plan = planWalk
		return nil
	}
	ids, err := s.requestsWithWords(ctx, words)
	if err != nil {
		return err
	}
	b, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	f.idsJSON, f.matches = string(b), len(ids)
	return nil
}

// countUpTo counts a word's matches by q, up to searchCap+1.
func (s *DB) countUpTo(ctx context.Context, q, w string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, q, w, w+"\xff", searchCap+1).Scan(&n)
	return n, err
}

// requestsWithWords lists the requests that have every word (by prefix),
// driven by the first.
func (s *DB) requestsWithWords(ctx context.Context, words []string) ([]int64, error) {
	var b strings.Builder
	b.WriteString(`SELECT DISTINCT request_id FROM search_words c WHERE word >= ? AND word < ?`)
	args := []any{words[0], words[0] + "\xff"}
	for _, w := range words[1:] {
		b.WriteString(` AND EXISTS (SELECT 1 FROM search_words w WHERE w.request_id = c.request_id AND w.word >= ? AND w.word < ?)`)
		args = append(args, w, w+"\xff")
	}
	rows, err := s.db.QueryContext(ctx, b.String(), args...)
	if err != nil {
		return nil, classify(err, "store.requestsWithWords")
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, classify(err, "store.requestsWithWords")
		}
		ids = append(ids, id)
	}
	return ids, classify2(rows.Err(), "store.requestsWithWords")
}

// requestPage reads the requests a query selects; withTotal: each row
// ends with the count of all the query's rows (count(*) OVER ()).
func (s *DB) requestPage(ctx context.Context, withTotal bool, q string, args ...any) ([]*domain.Request, int, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*domain.Request{}
	var total int
	var extra []any
	if withTotal {
		extra = []any{&total}
	}
	for rows.Next() {
		r, err := scanRequest(rows, extra...)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// tooCommon is what the clerk reads when common words together match
// almost nothing and the search ran out of its time.
func tooCommon(words []string) string {
	return "Слова «" + strings.Join(words, " ") + "» встречаются в тысячах запросов, а вместе почти нигде: поиск остановлен, чтобы не задерживать работу. " +
		"Уточните запрос: добавьте фамилию, СНИЛС или номер запроса, или выберите поставщика и период в фильтрах."
}
