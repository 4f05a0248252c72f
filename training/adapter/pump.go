package adapter

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/transport"
	ad "github.com/mezhved/mezhved/transport/adapter"
)

// pumpBatch bounds what one pump takes from the node of each kind.
const pumpBatch = 64

func decodeB64(s string) []byte {
	b, _ := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
	return b
}

// pump takes from the node what waits for the information system:
// answers, incoming requests and statuses, each put in the queue and then
// acknowledged to SMEV (a failure to reach the node leaves them there for
// the next call).
func (a *Adapter) pump(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for i := 0; i < pumpBatch; i++ {
		r, err := a.smev.GetResponse(ctx, transport.Selector{})
		if err != nil || r == nil {
			break
		}
		a.takeResponse(ctx, r)
	}
	for i := 0; i < pumpBatch; i++ {
		r, err := a.smev.GetRequest(ctx, transport.Selector{})
		if err != nil || r == nil {
			break
		}
		a.takeRequest(ctx, r)
	}
	for i := 0; i < pumpBatch; i++ {
		st, err := a.smev.GetStatus(ctx)
		if err != nil || st == nil {
			break
		}
		a.takeStatus(st)
	}
}

func (a *Adapter) forget(id string) { a.mu.Lock(); delete(a.taken, id); a.mu.Unlock() }

func newClientID() string { return uuid.NewString() }

// checked judges a message of the node; false: acknowledged as not
// accepted and dropped.
func (a *Adapter) checked(ctx context.Context, sp transport.SignedParts, malformed error, id string, answer bool) bool {
	ok := malformed == nil
	if ok && a.opts.Checker != nil {
		c := a.opts.Checker.CheckMessage(ctx, sp, a.opts.Now(), answer)
		if ok = c.OK; !ok {
			a.opts.Log("training adapter: %s refused: %s", id, c.Problem())
		}
	}
	if !ok {
		_ = a.smev.Ack(ctx, id, false)
	}
	return ok
}

// personalOf returns the ЭП-СП next to the data, as it came.
func personalOf(sp transport.SignedParts) []byte {
	if sp.Doc == nil || sp.Data == xmltree.None {
		return nil
	}
	for _, c := range sp.Doc.ChildElements(sp.Data) {
		if string(sp.Doc.Nodes[c].Local) == "PersonalSignature" {
			if k := sp.Doc.ChildElements(c); len(k) == 1 {
				return transport.Standalone(sp.Doc, k[0])
			}
		}
	}
	return nil
}

func (a *Adapter) files(clientID string, in []transport.AttachmentIn) ([]fileHeader, bool) {
	var out []fileHeader
	for _, at := range in {
		p, err := a.writeFile(clientID, at)
		if err != nil {
			a.opts.Log("training adapter: file %s: %v", at.ContentID, err)
			return nil, false
		}
		out = append(out, fileHeader{path: p, sig: at.Signature})
	}
	return out, true
}

// again reports whether SMEV delivered this message before (its Ack was
// lost): it is acknowledged again and not queued twice.
func (a *Adapter) again(ctx context.Context, id string) bool {
	a.mu.Lock()
	seen := a.taken[id]
	a.taken[id] = true
	a.mu.Unlock()
	if seen {
		_ = a.smev.Ack(ctx, id, true)
	}
	return seen
}

func (a *Adapter) takeResponse(ctx context.Context, r *transport.Response) {
	id := r.Metadata.MessageID
	if !a.checked(ctx, r.Signed, r.Malformed, id, true) || a.again(ctx, id) {
		return
	}
	a.mu.Lock()
	to, ok := a.bySMEV[r.OriginalMessageID]
	a.mu.Unlock()
	if !ok {
		a.opts.Log("training adapter: answer %s to unknown %s dropped", id, r.OriginalMessageID)
		_ = a.smev.Ack(ctx, id, true)
		return
	}
	cid := newClientID()
	md := smevMD{messageID: id, originalID: r.OriginalMessageID}
	var res []byte
	data := r.Data
	switch {
	case data.RejectCode == transport.RejectFailure:
		// FAILURE is not a reject code of this edition: an error of SMEV's side.
		res = statusResult(md, cid, to, "ERROR", "", a.opts.Now(), "SERVER", data.RejectCode, or(data.RejectText, "Сбой при обработке запроса"))
	default:
		files, ok := a.files(cid, data.Attachments)
		if !ok {
			a.forget(id)
			return // not acknowledged: the node delivers it again
		}
		mt := "PrimaryMessage"
		if data.StatusCode != "" {
			mt = "StatusMessage"
		}
		res = queryResult(md, ad.KindResponse, mt, "", func(b *bytes.Buffer) {
			b.WriteString(`<q:ResponseMetadata><q:clientId>` + cid + `</q:clientId><q:replyToClientId>` + esc(to) +
				`</q:replyToClientId></q:ResponseMetadata><q:ResponseContent>`)
			switch {
			case data.RejectCode != "":
				b.WriteString(`<q:rejects><q:code>` + data.RejectCode + `</q:code><q:description>` + esc(or(data.RejectText, data.RejectCode)) +
					`</q:description></q:rejects>`)
			case data.StatusCode != "":
				b.WriteString(`<q:status><q:code>` + esc(trunc(data.StatusCode, 50)) + `</q:code><q:description>` + esc(data.StatusText) +
					`</q:description></q:status>`)
			default:
				writeContent(b, data.Content, personalOf(r.Signed), files)
			}
			b.WriteString(`</q:ResponseContent>`)
		})
	}
	kind := ad.KindResponse
	if data.RejectCode == transport.RejectFailure {
		kind = ad.KindError
	}
	a.record(&entry{kind: kind, clientID: cid, relation: to, at: a.opts.Now(), result: res})
	a.mu.Lock()
	a.stats.Answers++
	a.mu.Unlock()
	_ = a.smev.Ack(ctx, id, true)
}

func (a *Adapter) takeRequest(ctx context.Context, r *transport.Request) {
	id := r.Metadata.MessageID
	if !a.checked(ctx, r.Signed, r.Malformed, id, false) || a.again(ctx, id) {
		return
	}
	cid := newClientID()
	files, ok := a.files(cid, r.Data.Attachments)
	if !ok {
		a.forget(id)
		return
	}
	res := queryResult(smevMD{messageID: id}, ad.KindRequest, "PrimaryMessage", "", func(b *bytes.Buffer) {
		b.WriteString(`<q:RequestMetadata><q:clientId>` + cid + `</q:clientId></q:RequestMetadata><q:RequestContent>`)
		writeContent(b, r.Data.Content, personalOf(r.Signed), files)
		b.WriteString(`</q:RequestContent>`)
	})
	a.mu.Lock()
	a.incoming[cid] = r.ReplyTo
	a.stats.Requests++
	a.mu.Unlock()
	a.record(&entry{kind: ad.KindRequest, clientID: cid, at: a.opts.Now(), result: res})
	_ = a.smev.Ack(ctx, id, true)
}

// takeStatus turns SMEV's status of a message of ours into a StatusMessage
// (or an ErrorMessage when SMEV refused it).
func (a *Adapter) takeStatus(st *transport.Status) {
	a.mu.Lock()
	to, ok := a.bySMEV[st.OriginalMessageID]
	a.mu.Unlock()
	if !ok {
		return
	}
	cid := newClientID()
	md := smevMD{originalID: st.OriginalMessageID}
	details := strings.TrimSpace(st.Category + ": " + st.Details)
	var res []byte
	kind := ad.KindStatus
	if st.Category == "requestIsRejectedBySmev" {
		kind = ad.KindError
		res = statusResult(md, cid, to, "ERROR", details, a.opts.Now(), "SERVER", st.FaultCode, or(st.FaultDescription, details))
	} else {
		res = statusResult(md, cid, to, "OTHER", details, a.opts.Now(), "", "", "")
	}
	a.record(&entry{kind: kind, clientID: cid, relation: to, at: a.opts.Now(), result: res})
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
