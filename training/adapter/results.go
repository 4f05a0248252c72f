package adapter

import (
	"bytes"
	"encoding/base64"
	"strings"
	"time"

	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/transport"
	ad "github.com/mezhved/mezhved/transport/adapter"
)

// The training adapter writes its answers as text, like transport writes
// SMEV envelopes, and checks each against the schema before it goes.

func esc(s string) string { return string(xmltree.AppendText(nil, s)) }

// smevMD is smevMetadata of a QueryResult.
type smevMD struct{ messageID, referenceID, transactionCode, originalID string }

func (m smevMD) write(b *bytes.Buffer) {
	b.WriteString(`<q:smevMetadata>`)
	for _, kv := range [][2]string{{"MessageId", m.messageID}, {"ReferenceMessageID", m.referenceID},
		{"TransactionCode", m.transactionCode}, {"OriginalMessageID", m.originalID}} {
		if kv[1] != "" {
			b.WriteString(`<q:` + kv[0] + `>` + esc(kv[1]) + `</q:` + kv[0] + `>`)
		}
	}
	b.WriteString(`</q:smevMetadata>`)
}

// queryResult is one QueryResult element, namespaces declared on it; decls
// are more declarations for Message (those its copied content needs).
func queryResult(md smevMD, kind, messageType string, decls string, inner func(b *bytes.Buffer)) []byte {
	var b bytes.Buffer
	b.WriteString(`<q:QueryResult xmlns:q="` + ad.NS + `" xmlns:xsi="` + ad.XSINS + `" xmlns:qf="` + ad.FaultsNS + `">`)
	md.write(&b)
	b.WriteString(`<q:Message xsi:type="q:` + kind + `"` + decls + `>`)
	if messageType != "" {
		b.WriteString(`<q:messageType>` + messageType + `</q:messageType>`)
	}
	inner(&b)
	b.WriteString(`</q:Message></q:QueryResult>`)
	return b.Bytes()
}

// fileHeader is an attachment header of a content.
type fileHeader struct {
	path string
	sig  []byte
}

// writeContent writes q:content: the business element, the ЭП-СП as it
// came, the files.
func writeContent(b *bytes.Buffer, content, personal []byte, files []fileHeader) {
	b.WriteString(`<q:content><q:MessagePrimaryContent>`)
	b.Write(content)
	b.WriteString(`</q:MessagePrimaryContent>`)
	if len(personal) > 0 {
		b.WriteString(`<q:PersonalSignature>`)
		b.Write(personal)
		b.WriteString(`</q:PersonalSignature>`)
	}
	if len(files) > 0 {
		b.WriteString(`<q:AttachmentHeaderList>`)
		for _, f := range files {
			b.WriteString(`<q:AttachmentHeader><q:filePath>` + esc(f.path) + `</q:filePath>`)
			if len(f.sig) > 0 {
				b.WriteString(`<q:SignaturePKCS7>` + base64.StdEncoding.EncodeToString(f.sig) + `</q:SignaturePKCS7>`)
			}
			b.WriteString(`</q:AttachmentHeader>`)
		}
		b.WriteString(`</q:AttachmentHeaderList>`)
	}
	b.WriteString(`</q:content>`)
}

func statusResult(md smevMD, clientID, original, category, details string, at time.Time, errType, code, text string) []byte {
	kind := ad.KindStatus
	if errType != "" {
		kind = ad.KindError
	}
	return queryResult(md, kind, "", "", func(b *bytes.Buffer) {
		b.WriteString(`<q:statusMetadata><q:clientId>` + esc(clientID) + `</q:clientId><q:originalClientId>` + esc(original) +
			`</q:originalClientId></q:statusMetadata><q:status>` + category + `</q:status>`)
		if details != "" {
			b.WriteString(`<q:details>` + esc(details) + `</q:details>`)
		}
		b.WriteString(`<q:timestamp>` + at.UTC().Format("2006-01-02T15:04:05.000Z") + `</q:timestamp>`)
		if errType != "" {
			b.WriteString(`<q:type>` + errType + `</q:type><q:fault>`)
			if code != "" {
				b.WriteString(`<qf:code>` + esc(trunc(code, 50)) + `</qf:code>`)
			}
			b.WriteString(`<qf:description>` + esc(text) + `</qf:description></q:fault>`)
		}
	})
}

func trunc(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

func messageResult(itSystem, messageID string) []byte {
	return []byte(`<q:MessageResult xmlns:q="` + ad.NS + `"><q:itSystem>` + esc(itSystem) + `</q:itSystem><q:MessageId>` + messageID +
		`</q:MessageId></q:MessageResult>`)
}

func queryResultList(results [][]byte) []byte {
	var b bytes.Buffer
	b.WriteString(`<q:QueryResultList xmlns:q="` + ad.NS + `">`)
	for _, r := range results {
		b.Write(r)
	}
	b.WriteString(`</q:QueryResultList>`)
	return b.Bytes()
}

// soapFault is a fault of the adapter (SystemFault, ValidationFault).
func soapFault(name, code, text string) []byte {
	fc := "soap:Client"
	if name == "SystemFault" || name == "SyncFault" {
		fc = "soap:Server"
	}
	var b bytes.Buffer
	b.WriteString(`<soap:Envelope xmlns:soap="` + transport.SOAPNS + `"><soap:Body><soap:Fault><faultcode>` + fc + `</faultcode><faultstring>` +
		esc(text) + `</faultstring><detail><f:` + name + ` xmlns:f="` + ad.FaultsNS + `">`)
	if code != "" {
		b.WriteString(`<f:code>` + esc(trunc(code, 50)) + `</f:code>`)
	}
	b.WriteString(`<f:description>` + esc(text) + `</f:description></f:` + name + `></detail></soap:Fault></soap:Body></soap:Envelope>`)
	return b.Bytes()
}

// decls declares on a copy what element n of d has in scope (but the
// prefixes the result itself uses).
func decls(d *xmltree.Doc, n int32) string {
	var b strings.Builder
	d.InScope(n, func(prefix, uri []byte) {
		p := string(prefix)
		switch p {
		case "q", "xsi", "qf", "xml":
			return
		case "":
			b.WriteString(` xmlns="` + string(xmltree.AppendAttr(nil, uri)) + `"`)
		default:
			b.WriteString(` xmlns:` + p + `="` + string(xmltree.AppendAttr(nil, uri)) + `"`)
		}
	})
	return b.String()
}
