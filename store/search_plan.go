package store

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"github.com/mezhved/mezhved/domain"
)

// searchCap is where a word stops being rare: a word that matches more
// requests than this is common. It bounds the work of every search. (A
// variable only so that tests need not write thousands of requests.)
var searchCap = 5000

// filter is a RequestFilter with its search planned.
type filter struct {
	domain.RequestFilter
	QueryWords []string // rarest first
	// common: every word matches more than searchCap requests; the page
	// is found by walking the requests in its order, and not counted.
	common bool
	// Otherwise the requests that have every word, found in the word
	// index (at most searchCap × words probes): idsJSON, matches of them.
	idsJSON string
	matches int
}

// wordsOnly reports whether the filter has nothing but search words.
func (f *filter) wordsOnly() bool {
	return f.Direction == "" && len(f.Statuses) == 0 && f.Provider == "" && f.Template == "" &&
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
//     words fill a page soon); such a search is not counted.
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
		var n int
		err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM search_words WHERE word >= ? AND word < ? LIMIT ?)`,
			w, w+"\xff", searchCap+1).Scan(&n)
		if err != nil {
			return classify(err, "store.planSearch")
		}
		counts[w] = n
	}
	sort.SliceStable(words, func(i, j int) bool { return counts[words[i]] < counts[words[j]] })
	f.QueryWords = words
	if counts[words[0]] > searchCap {
		f.common = true
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

// requestPage reads the requests a query selects.
func (s *DB) requestPage(ctx context.Context, q string, args ...any) ([]*domain.Request, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*domain.Request{}
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// tooCommon is what the clerk reads when common words together match
// almost nothing and the search ran out of its time.
func tooCommon(words []string) string {
	return "Слова «" + strings.Join(words, " ") + "» встречаются в тысячах запросов, а вместе почти нигде: поиск остановлен, чтобы не задерживать работу. " +
		"Уточните запрос: добавьте фамилию, СНИЛС или номер запроса, или выберите поставщика и период в фильтрах."
}
