package store

import "strings"

// countQuery is the head of the query that counts a filter's matches (the
// WHERE clause of where follows it). A filter on direction, status,
// provider and template only is summed from request_counts, which the
// triggers of migration 0007 keep in the transaction of every change: a few
// hundred rows, whatever the journal's size. Any other filter (dates,
// overdue, search words) counts the requests themselves through its index.
func countQuery(f *filter) string {
	if f.From == "" && f.To == "" && f.OverdueOn == "" && f.DueBy == "" && len(f.QueryWords) == 0 {
		return `SELECT coalesce(sum(n), 0) FROM request_counts`
	}
	return `SELECT count(*) FROM requests`
}

// searchCount counts the matches of a filter that has search words and
// nothing else from the word index alone: the candidates of the rarest
// word, each checked for the other words, without reading the requests'
// rows (they are large; reading 4,000 of them was most of a search's
// time). ok is false for any other filter.
func searchCount(f *filter) (query string, args []any, ok bool) {
	if len(f.QueryWords) == 0 || f.Direction != "" || len(f.Statuses) > 0 || f.Provider != "" || f.Template != "" ||
		f.From != "" || f.To != "" || f.OverdueOn != "" || f.DueBy != "" {
		return "", nil, false
	}
	var b strings.Builder
	b.WriteString(`SELECT count(*) FROM (SELECT DISTINCT request_id FROM search_words WHERE word >= ? AND word < ?) c`)
	args = append(args, f.QueryWords[0], f.QueryWords[0]+"\xff")
	for i, w := range f.QueryWords[1:] {
		if i == 0 {
			b.WriteString(` WHERE `)
		} else {
			b.WriteString(` AND `)
		}
		b.WriteString(`EXISTS (SELECT 1 FROM search_words w WHERE w.request_id = c.request_id AND w.word >= ? AND w.word < ?)`)
		args = append(args, w, w+"\xff")
	}
	return b.String(), args, true
}
