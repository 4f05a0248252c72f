// Command journal-sample takes one request of each template, with its
// outbox envelope and its answer (envelope, body, signature check,
// attachments), out of a journal written by `mezhved demo --headless`, and
// writes them as gzipped JSON: the material store's realistic benchmark
// journal is built from (store/testdata/journal-sample.json.gz). Run by
// bench/journal-sample.sh.
package main

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"

	_ "github.com/mattn/go-sqlite3"
)

type attachment struct {
	Name, MimeType, SHA256 string
	Content, Signature     []byte
}

type sample struct {
	TemplateID, TemplateTitle, Provider, ProviderCode, Applicant, SNILS string
	Body, Envelope                                                      []byte
	MessageID, ContentType                                              string
	TermDays                                                            int
	ReplyMessageID, ReplyKind, RejectCode, SignatureJSON                string
	ReplyBody, ReplyEnvelope                                            []byte
	Attachments                                                         []attachment
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: journal-sample JOURNAL.db OUT.json.gz")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "journal-sample:", err)
		os.Exit(1)
	}
}

func run(journal, out string) error {
	db, err := sql.Open("sqlite3", "file:"+journal+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.Query(`SELECT r.template_id, r.template_title, r.provider, r.provider_code, r.applicant, r.snils,
		coalesce(r.body, x''), o.envelope, o.message_id, o.content_type, o.term_days,
		p.id, p.message_id, p.kind, p.reject_code, p.signature_json, coalesce(p.body, x''), coalesce(p.envelope, x'')
		FROM requests r JOIN outbox o ON o.request_id = r.id JOIN replies p ON p.request_id = r.id
		WHERE r.direction = 'out' AND r.id IN (SELECT min(id) FROM requests WHERE direction = 'out' GROUP BY template_id)
		ORDER BY r.template_id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var samples []sample
	for rows.Next() {
		var s sample
		var replyID int64
		if err := rows.Scan(&s.TemplateID, &s.TemplateTitle, &s.Provider, &s.ProviderCode, &s.Applicant, &s.SNILS,
			&s.Body, &s.Envelope, &s.MessageID, &s.ContentType, &s.TermDays,
			&replyID, &s.ReplyMessageID, &s.ReplyKind, &s.RejectCode, &s.SignatureJSON, &s.ReplyBody, &s.ReplyEnvelope); err != nil {
			return err
		}
		for _, b := range []*[]byte{&s.Envelope, &s.ReplyEnvelope, &s.ReplyBody} {
			if *b, err = unpack(*b); err != nil {
				return err
			}
		}
		arows, err := db.Query(`SELECT name, mime_type, sha256, content, coalesce(signature, x'') FROM attachments WHERE reply_id = ?`, replyID)
		if err != nil {
			return err
		}
		for arows.Next() {
			var a attachment
			if err := arows.Scan(&a.Name, &a.MimeType, &a.SHA256, &a.Content, &a.Signature); err != nil {
				arows.Close()
				return err
			}
			s.Attachments = append(s.Attachments, a)
		}
		arows.Close()
		samples = append(samples, s)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	f, err := os.OpenFile(out, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	enc := json.NewEncoder(zw)
	enc.SetIndent("", " ")
	if err := enc.Encode(samples); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	fmt.Printf("%d samples\n", len(samples))
	return f.Close()
}

// unpack reads a value store packed (store/packed.go: "\x00mzd1" and
// DEFLATE); other values are as written.
func unpack(b []byte) ([]byte, error) {
	magic := []byte("\x00mzd1")
	if !bytes.HasPrefix(b, magic) {
		return b, nil
	}
	var out bytes.Buffer
	_, err := out.ReadFrom(flate.NewReader(bytes.NewReader(b[len(magic):])))
	return out.Bytes(), err
}
