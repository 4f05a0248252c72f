package node

import (
	"bytes"
	crand "crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/signer/cms"
	"github.com/mezhved/mezhved/signer/keys"
	"github.com/mezhved/mezhved/templates"
	"github.com/mezhved/mezhved/transport"
)

// provider is a simulated authority answering one type of data.
type provider struct {
	tmpl   *templates.Template
	smevID string
	name   string
	key    keys.Key
}

type answer struct {
	content     []byte
	reject      string
	rejectText  string
	attachments []transport.Attachment
}

// newProviders makes one provider per type of data of the catalogue; the
// authorities share one training key each.
func newProviders(cat *templates.Catalogue, now time.Time, anchors *[]*x509.Certificate) (map[string]*provider, error) {
	byAuthority := map[string]keys.Key{}
	out := map[string]*provider{}
	for _, t := range cat.Requests() {
		k := byAuthority[t.Provider.SMEVID]
		if k == nil {
			var err error
			var ca *x509.Certificate
			k, ca, err = keys.NewDemoGOST(keys.DemoSubject{CommonName: "ИС " + t.Provider.Short + " (учебная)", Organization: t.Provider.Name,
				INNLE: "7700000000", OGRN: "1027700000000", ValidFrom: now}, 5*365*24*time.Hour)
			if err != nil {
				return nil, err
			}
			*anchors = append(*anchors, ca)
			byAuthority[t.Provider.SMEVID] = k
		}
		out[t.DataType.Namespace] = &provider{tmpl: t, smevID: t.Provider.SMEVID, name: t.Provider.Short, key: k}
	}
	return out, nil
}

// values reads the leaf values of a request body by local name (the first
// of each).
func values(body []byte) map[string]string {
	out := map[string]string{}
	d, err := xmltree.Parse(body)
	if err != nil {
		return out
	}
	for i := range d.Nodes {
		nd := &d.Nodes[i]
		if nd.Kind != xmltree.Element {
			continue
		}
		leaf := true
		var txt []byte
		for c := nd.FirstChild; c != xmltree.None; c = d.Nodes[c].Next {
			if d.Nodes[c].Kind == xmltree.Element {
				leaf = false
			} else if d.Nodes[c].Kind == xmltree.Text {
				txt = append(txt, d.Nodes[c].Data...)
			}
		}
		if leaf {
			if _, ok := out[string(nd.Local)]; !ok {
				out[string(nd.Local)] = strings.TrimSpace(string(txt))
			}
		}
	}
	return out
}

type xw struct {
	b  bytes.Buffer
	px string
}

func (x *xw) el(name, value string) {
	if value == "" {
		return
	}
	x.b.WriteString("<" + x.px + name + ">" + transport.Esc(value) + "</" + x.px + name + ">")
}
func (x *xw) open(name string)  { x.b.WriteString("<" + x.px + name + ">") }
func (x *xw) close(name string) { x.b.WriteString("</" + x.px + name + ">") }

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func fullName(v map[string]string) string {
	return strings.TrimSpace(strings.Join([]string{v["LastName"], v["FirstName"], v["MiddleName"]}, " "))
}

// answer composes the provider's answer to a request body.
func (p *provider) answer(body []byte, noData bool) (*answer, error) {
	if !p.tmpl.Training && p.tmpl.SchemaOf() != nil {
		return p.answerReal(body, noData, rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())))
	}
	v := values(body)
	if noData {
		return &answer{reject: transport.RejectNoData, rejectText: "Сведения по запросу не найдены (" + p.name + ")"}, nil
	}
	root := strings.TrimSuffix(p.tmpl.DataType.Root, "Request") + "Response"
	x := &xw{px: "r:"}
	x.b.WriteString(`<r:` + root + ` xmlns:r="` + transport.Esc(p.tmpl.DataType.Namespace) + `">`)
	x.el("RequestNumber", v["ApplicationNumber"])
	x.el("AnswerDate", time.Now().In(transport.Moscow).Format(time.DateOnly))
	x.el("Result", "FOUND")
	var atts []transport.Attachment
	id := p.tmpl.ID
	if strings.HasPrefix(id, "egrn") {
		var err error
		if atts, err = p.egrn(x, v); err != nil {
			return nil, err
		}
	} else {
		registryAnswer(x, id, v)
	}
	x.b.WriteString(`</r:` + root + `>`)
	return &answer{content: x.b.Bytes(), attachments: atts}, nil
}

// egrn writes an extract from ЕГРН about the object asked for, with the
// extract as a signed PDF attachment.
func (p *provider) egrn(x *xw, v map[string]string) ([]transport.Attachment, error) {
	cad := or(v["CadastralNumber"], "50:21:0110104:123")
	x.open("Object")
	x.el("CadastralNumber", cad)
	x.el("ObjectType", "Земельный участок")
	x.el("Category", "Земли населённых пунктов")
	x.el("PermittedUse", "Для ведения личного подсобного хозяйства")
	x.el("Area", "1200")
	x.el("Address", or(v["Address"], "Московская обл., д. Учебная, ул. Луговая, д. 5"))
	x.el("CadastralValue", "845300.00")
	x.close("Object")
	x.open("Right")
	x.el("Holder", or(fullName(v), "Смирнов Алексей Викторович"))
	x.el("RightType", "Собственность")
	x.el("RegistrationNumber", cad+"-50/001/2019-1")
	x.el("RegistrationDate", "2019-04-17")
	x.close("Right")
	x.el("Encumbrances", "не зарегистрировано")
	pdf := ExtractPDF(cad)
	sig, err := cms.SignDetached(pdf, p.key, time.Now())
	if err != nil {
		return nil, err
	}
	x.el("AttachmentNote", "Выписка из ЕГРН во вложении (PDF)")
	return []transport.Attachment{{ContentID: "egrn-extract-" + randHex(4), MimeType: "application/pdf", Content: pdf, Signature: sig}}, nil
}

// registryAnswer writes the answer of the tax service, the civil registry,
// the police or the social fund about the person or firm asked for.
func registryAnswer(x *xw, id string, v map[string]string) {
	switch {
	case strings.HasPrefix(id, "fns"):
		x.open("Taxpayer")
		x.el("Name", or(fullName(v), "ООО «Луговое»"))
		x.el("INN", or(v["INN"], "5001007322"))
		x.el("OGRN", or(v["OGRN"], v["OGRNIP"]))
		x.el("Status", "Действующий")
		x.el("RegistrationDate", "2011-06-01")
		x.el("Address", "Московская обл., с. Учебное, ул. Центральная, д. 1")
		x.el("TaxAuthority", "Межрайонная ИФНС России № 21 по Московской области")
		x.close("Taxpayer")
		if id == "fns-income" {
			x.el("Year", "2025")
			x.el("IncomeTotal", "486200.00")
		}
	case strings.HasPrefix(id, "zags"):
		x.open("ActRecord")
		x.el("Number", "1702509"+randDigits(6))
		x.el("Date", "2016-08-12")
		x.el("Authority", "Отдел ЗАГС администрации Учебного района")
		x.el("Person", or(fullName(v), "Кузнецова Анна Сергеевна"))
		x.el("BirthDate", v["BirthDate"])
		x.close("ActRecord")
	case strings.HasPrefix(id, "mvd"):
		x.open("Registration")
		x.el("Person", or(fullName(v), "Кузнецов Пётр Иванович"))
		x.el("Kind", "по месту жительства")
		x.el("Address", or(v["Address"], "Московская обл., д. Учебная, ул. Луговая, д. 5"))
		x.el("Since", "2014-03-05")
		x.el("Authority", "ОВМ ОМВД России по Учебному району")
		x.close("Registration")
	case strings.HasPrefix(id, "sfr"):
		x.open("Person")
		x.el("FullName", fullName(v))
		x.el("SNILS", v["SNILS"])
		x.close("Person")
		if id == "sfr-snils-check" {
			x.el("Match", "true")
			x.el("Comment", "Сведения о СНИЛС подтверждены")
		} else {
			x.el("PaymentKind", "Страховая пенсия по старости")
			x.el("MonthlyAmount", "21480.35")
			x.el("Since", "2019-01-01")
		}
	default:
		x.el("Comment", "Сведения предоставлены")
	}
}

func randHex(n int) string {
	b := make([]byte, n)
	crand.Read(b)
	return hex.EncodeToString(b)
}

func randDigits(n int) string {
	b := make([]byte, n)
	crand.Read(b)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b)
}

// authority is another authority that sends the settlement requests.
type authority struct {
	smevID, name string
	key          keys.Key
	ns, root     string
	compose      func(x *xw)
}

// HouseholdNS is the training type of data other authorities ask the
// settlement for: an extract from the household book (похозяйственная книга).
const HouseholdNS = "urn://mezhved/training/settlement/household-book/1.0.0"

func newAuthorities(now time.Time, anchors *[]*x509.Certificate) ([]*authority, error) {
	mk := func(cn, org string) (keys.Key, error) {
		k, ca, err := keys.NewDemoGOST(keys.DemoSubject{CommonName: cn, Organization: org, INNLE: "7700000001", OGRN: "1027700000001", ValidFrom: now}, 5*365*24*time.Hour)
		if err == nil {
			*anchors = append(*anchors, ca)
		}
		return k, err
	}
	sfr, err := mk("ИС СФР (учебная)", "Социальный фонд России")
	if err != nil {
		return nil, err
	}
	uszn, err := mk("ИС УСЗН (учебная)", "Управление социальной защиты населения")
	if err != nil {
		return nil, err
	}
	return []*authority{
		{smevID: "TRAINING-SFR", name: "Социальный фонд России", key: sfr, ns: HouseholdNS, root: "HouseholdBookRequest", compose: func(x *xw) {
			x.el("Purpose", "Назначение ежемесячной выплаты")
			x.open("Person")
			x.el("LastName", "Кузнецова")
			x.el("FirstName", "Анна")
			x.el("MiddleName", "Сергеевна")
			x.el("BirthDate", "1987-02-14")
			x.el("SNILS", "112-233-445 95")
			x.close("Person")
			x.el("Address", "д. Учебная, ул. Луговая, д. 5")
		}},
		{smevID: "TRAINING-USZN", name: "Управление социальной защиты населения", key: uszn, ns: HouseholdNS, root: "HouseholdBookRequest", compose: func(x *xw) {
			x.el("Purpose", "Субсидия на оплату жилого помещения")
			x.open("Person")
			x.el("LastName", "Смирнов")
			x.el("FirstName", "Алексей")
			x.el("MiddleName", "Викторович")
			x.el("BirthDate", "1961-11-30")
			x.close("Person")
			x.el("Address", "с. Учебное, ул. Центральная, д. 12")
		}},
	}, nil
}

// SendIncoming queues a request from another authority for participant
// (round robin over the training authorities).
func (n *Node) SendIncoming(participantID string) error {
	n.mu.Lock()
	p := n.parts[participantID]
	a := n.authors[len(n.replyTo)%len(n.authors)]
	n.mu.Unlock()
	if p == nil {
		return fmt.Errorf("node: unknown participant %s", participantID)
	}
	x := &xw{px: "h:"}
	x.b.WriteString(`<h:` + a.root + ` xmlns:h="` + a.ns + `">`)
	x.el("RequestDate", time.Now().In(transport.Moscow).Format(time.DateOnly))
	a.compose(x)
	x.b.WriteString(`</h:` + a.root + `>`)
	id, smevID := n.newID(), n.newID()
	replyTo := "rt:" + a.smevID + ":" + randHex(12)
	now := n.clock.Now()
	ns, _ := transport.Namespaces(transport.V13)
	body, err := n.getRequestEnvelope(ns, id, x.b.Bytes(), metadata{ID: smevID, Type: "REQUEST", Sender: a.smevID, SenderName: a.name,
		Recipient: p.id, RecipientName: p.name, Sending: now, Delivery: now, Status: "messageIsDelivered"}, replyTo, a.key)
	if err != nil {
		return err
	}
	n.mu.Lock()
	n.replyTo[replyTo] = &incoming{messageID: id, from: a, to: p.id}
	p.requests = append(p.requests, &queued{smevID: smevID, body: body, visibleAt: now})
	n.mu.Unlock()
	return nil
}

// ExtractPDF returns a small valid one-page PDF: the training extract from
// the ЕГРН for a cadastral number (Latin text: the base fonts have no
// Cyrillic).
func ExtractPDF(cadastral string) []byte {
	clean := strings.Map(func(r rune) rune {
		if r >= 0x20 && r < 0x7f && r != '(' && r != ')' && r != '\\' {
			return r
		}
		return '?'
	}, cadastral)
	stream := "BT /F1 16 Tf 72 760 Td (EGRN extract - training) Tj 0 -28 Td /F1 12 Tf (Cadastral number: " + clean +
		") Tj 0 -18 Td (Object: land plot, area 1200 sq. m) Tj 0 -18 Td (Right: ownership, registered 2019-04-17) Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
