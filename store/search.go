package store

import (
	"context"
	"database/sql"
	"strings"
	"unicode"
)

// searchWords splits text into the words the journal search knows: lower
// case, ё as е, letters and digits only. A word made of digits split by
// punctuation (a СНИЛС "112-233-445 95", a number "01-12/348") is also kept
// whole, so it is found typed either way.
func searchWords(text string) []string {
	text = strings.ReplaceAll(strings.ToLower(text), "ё", "е")
	seen := map[string]bool{}
	var out []string
	add := func(w string) {
		if w != "" && !seen[w] && len(w) <= 100 {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		add(w)
	}
	for _, chunk := range strings.Fields(text) {
		if joined := strings.Map(keepAlnum, chunk); joined != "" {
			add(joined)
		}
	}
	return out
}

func keepAlnum(r rune) rune {
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return r
	}
	return -1
}

// writeSearchWords indexes a request for the journal search.
func writeSearchWords(ctx context.Context, tx *sql.Tx, id int64, n *NewRequest) error {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, n.SNILS)
	text := strings.Join([]string{n.Applicant, n.SNILS, digits, n.Provider, n.TemplateTitle, n.TemplateID, n.Number, n.MessageID}, " ")
	words := searchWords(text)
	if len(words) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(`INSERT OR IGNORE INTO search_words (word, request_id) VALUES `)
	args := make([]any, 0, 2*len(words))
	for i, w := range words {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?)")
		args = append(args, w, id)
	}
	_, err := tx.ExecContext(ctx, b.String(), args...)
	return err
}
