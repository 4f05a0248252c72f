package transport

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"strings"

	"github.com/mezhved/mezhved/domain"
)

// SplitMTOM separates an HTTP body into the SOAP envelope and its MTOM/XOP
// parts (by Content-ID without angle brackets). A text/xml body has no parts.
func SplitMTOM(contentType string, body []byte, limits Limits) ([]byte, map[string][]byte, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return body, nil, nil
	}
	if mt != "multipart/related" || params["boundary"] == "" {
		return nil, nil, domain.Errorf(domain.EINVALID, "Неподдерживаемый формат ответа СМЭВ: %s.", mt)
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	start := strings.Trim(params["start"], "<>")
	var root []byte
	parts := map[string][]byte{}
	var total int64
	for i := 0; ; i++ {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, nil, domain.Wrap(err, domain.EINVALID, "transport.SplitMTOM", "Повреждённое сообщение MTOM от СМЭВ.")
		}
		if i >= 1000 {
			return nil, nil, domain.Errorf(domain.EINVALID, "Слишком много вложений в сообщении СМЭВ.")
		}
		b, err := io.ReadAll(io.LimitReader(p, limits.response()+1))
		if err != nil {
			return nil, nil, domain.Wrap(err, domain.EINVALID, "transport.SplitMTOM", "Повреждённое сообщение MTOM от СМЭВ.")
		}
		if enc := strings.ToLower(p.Header.Get("Content-Transfer-Encoding")); enc != "" && enc != "binary" && enc != "8bit" {
			return nil, nil, domain.Errorf(domain.EINVALID, "Неподдерживаемая кодировка части MTOM: %s.", enc)
		}
		id := strings.Trim(p.Header.Get("Content-ID"), "<>")
		if root == nil && (start == "" || id == start) {
			root = b
			continue
		}
		total += int64(len(b))
		if total > limits.attachments() {
			return nil, nil, domain.Errorf(domain.EINVALID, "Вложения сообщения СМЭВ больше допустимого (%d байт).", limits.attachments())
		}
		if _, dup := parts[id]; dup || id == "" {
			return nil, nil, domain.Errorf(domain.EINVALID, "Часть MTOM без идентификатора или с повторным идентификатором %q.", id)
		}
		parts[id] = b
	}
	if root == nil {
		return nil, nil, domain.Errorf(domain.EINVALID, "В сообщении MTOM нет конверта SOAP.")
	}
	return root, parts, nil
}

// JoinMTOM packs an envelope with xop:Include references and the
// attachments' bytes into a multipart/related body; it returns the body and
// its Content-Type. Without attachments it returns the envelope as it is
// and "".
func JoinMTOM(envelope []byte, atts []Attachment) ([]byte, string, error) {
	if len(atts) == 0 {
		return envelope, "", nil
	}
	var rnd [12]byte
	rand.Read(rnd[:])
	boundary := "MIMEBoundary_" + hex.EncodeToString(rnd[:])
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	if err := w.SetBoundary(boundary); err != nil {
		return nil, "", err
	}
	const rootID = "root.message@mezhved"
	h := textproto.MIMEHeader{}
	h.Set("Content-Type", `application/xop+xml; charset=UTF-8; type="text/xml"`)
	h.Set("Content-Transfer-Encoding", "binary")
	h.Set("Content-ID", "<"+rootID+">")
	pw, err := w.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	pw.Write(envelope)
	for _, a := range atts {
		h := textproto.MIMEHeader{}
		h.Set("Content-Type", a.MimeType)
		h.Set("Content-Transfer-Encoding", "binary")
		h.Set("Content-ID", "<"+a.ContentID+">")
		pw, err := w.CreatePart(h)
		if err != nil {
			return nil, "", err
		}
		pw.Write(a.Content)
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	ct := fmt.Sprintf(`multipart/related; type="application/xop+xml"; boundary="%s"; start="<%s>"; start-info="text/xml"`, boundary, rootID)
	return b.Bytes(), ct, nil
}

// replaceRoot rewrites an MTOM body with a new root part (the envelope),
// keeping every other part, its headers and the boundary.
func replaceRoot(body []byte, contentType string, root []byte) ([]byte, error) {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil || params["boundary"] == "" {
		return nil, domain.Errorf(domain.EINVALID, "Повреждённое сообщение MTOM в очереди.")
	}
	start := strings.Trim(params["start"], "<>")
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var out bytes.Buffer
	w := multipart.NewWriter(&out)
	if err := w.SetBoundary(params["boundary"]); err != nil {
		return nil, err
	}
	replaced := false
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, domain.Wrap(err, domain.EINVALID, "transport.replaceRoot", "Повреждённое сообщение MTOM в очереди.")
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return nil, err
		}
		id := strings.Trim(p.Header.Get("Content-ID"), "<>")
		if !replaced && (start == "" || id == start) {
			b, replaced = root, true
		}
		pw, err := w.CreatePart(p.Header)
		if err != nil {
			return nil, err
		}
		pw.Write(b)
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	if !replaced {
		return nil, domain.Errorf(domain.EINVALID, "В сообщении MTOM в очереди нет конверта.")
	}
	return out.Bytes(), nil
}
