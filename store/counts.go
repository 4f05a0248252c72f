package store

// countQuery is the head of the query that counts a filter's matches (the
// WHERE clause of where follows it). A filter on direction, status,
// provider and template only is summed from request_counts, which the
// triggers of migration 0007 keep in the transaction of every change: a few
// hundred rows, whatever the journal's size. Any other filter (dates,
// overdue, the requests a search found) counts the requests themselves
// from the page's table (its index, or the ids a search found).
func countQuery(f *filter, from string) string {
	if f.From == "" && f.To == "" && f.OverdueOn == "" && f.DueBy == "" && len(f.QueryWords) == 0 {
		return `SELECT coalesce(sum(n), 0) FROM request_counts`
	}
	return `SELECT count(*) FROM ` + from
}
