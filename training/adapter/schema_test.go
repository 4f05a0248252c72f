package adapter

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/internal/testtool"
)

const q = `xmlns:q="urn://x-artefacts-smev-gov-ru/services/service-adapter/types"`

// valid messages of every kind, and mutations of them; each verdict of the
// compiled schema must be xmllint's.
var schemaCases = map[string]string{
	"request": `<q:ClientMessage ` + q + `><q:itSystem>MEZHVED01</q:itSystem><q:RequestMessage><q:RequestMetadata><q:clientId>c-1</q:clientId>` +
		`<q:nodeId>n</q:nodeId><q:testMessage>true</q:testMessage></q:RequestMetadata><q:RequestContent><q:content><q:MessagePrimaryContent>` +
		`<b:R xmlns:b="urn:b"><b:x/></b:R></q:MessagePrimaryContent><q:PersonalSignature><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>` +
		`</q:PersonalSignature><q:AttachmentHeaderList><q:AttachmentHeader><q:filePath>c-1/a.pdf</q:filePath><q:SignaturePKCS7>AAEC</q:SignaturePKCS7>` +
		`</q:AttachmentHeader></q:AttachmentHeaderList></q:content></q:RequestContent></q:RequestMessage></q:ClientMessage>`,
	"response": `<q:ClientMessage ` + q + `><q:itSystem>X</q:itSystem><q:ResponseMessage><q:ResponseMetadata><q:clientId>r</q:clientId>` +
		`<q:replyToClientId>c</q:replyToClientId></q:ResponseMetadata><q:ResponseContent><q:rejects><q:code>NO_DATA</q:code>` +
		`<q:description>нет</q:description></q:rejects></q:ResponseContent></q:ResponseMessage></q:ClientMessage>`,
	"get":        `<q:MessageQuery ` + q + `><q:itSystem>X</q:itSystem><q:specificQuery><q:messageTypeCriteria>RESPONSE</q:messageTypeCriteria></q:specificQuery></q:MessageQuery>`,
	"get-plain":  `<q:MessageQuery ` + q + `><q:itSystem>X</q:itSystem></q:MessageQuery>`,
	"find-id":    `<q:FindMessageQuery ` + q + `><q:itSystem>X</q:itSystem><q:specificQuery><q:messageClientIdCriteria><q:clientId>c</q:clientId><q:clientIdCriteria>GET_RESPONSE_BY_REQUEST_CLIENTID</q:clientIdCriteria></q:messageClientIdCriteria></q:specificQuery></q:FindMessageQuery>`,
	"find-from":  `<q:FindMessageQuery ` + q + `><q:itSystem>X</q:itSystem><q:specificQuery><q:messagePeriodCriteria><q:from>2026-12-01T10:00:00.000Z</q:from><q:to>2026-12-02T10:00:00+03:00</q:to></q:messagePeriodCriteria></q:specificQuery></q:FindMessageQuery>`,
	"result-err": `<q:QueryResult ` + q + ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:f="urn://x-artefacts-smev-gov-ru/services/service-adapter/types/faults"><q:smevMetadata><q:OriginalMessageID>57b85cba-7a4a-11ea-b887-107b44198ce0</q:OriginalMessageID></q:smevMetadata><q:Message xsi:type="q:ErrorMessage"><q:statusMetadata><q:clientId>s</q:clientId><q:originalClientId>c</q:originalClientId></q:statusMetadata><q:status>ERROR</q:status><q:type>SERVER</q:type><q:fault><f:code>1</f:code><f:description>d</f:description></q:fault></q:Message></q:QueryResult>`,
	"list":       `<q:QueryResultList ` + q + `/>`,
	"fault":      `<f:ValidationFault xmlns:f="urn://x-artefacts-smev-gov-ru/services/service-adapter/types/faults"><f:code>X</f:code></f:ValidationFault>`,
}

var mutations = []struct{ from, to string }{
	{"<q:itSystem>MEZHVED01</q:itSystem>", ""}, // a required element missing
	{"<q:nodeId>n</q:nodeId><q:testMessage>true</q:testMessage>", "<q:testMessage>true</q:testMessage><q:nodeId>n</q:nodeId>"}, // order
	{"<q:testMessage>true</q:testMessage>", "<q:testMessage>yes</q:testMessage>"},                                              // not a boolean
	{"<q:clientId>c-1</q:clientId>", "<q:clientId>" + strings.Repeat("x", 51) + "</q:clientId>"},                               // too long
	{"<b:R xmlns:b=\"urn:b\"><b:x/></b:R>", ""},                                                                                // any: one is required
	{"<b:R xmlns:b=\"urn:b\">", "<q:R><b:R xmlns:b=\"urn:b\">"},                                                                // ##other: not the target namespace
	{"<q:code>NO_DATA</q:code>", "<q:code>FAILURE</q:code>"},                                                                   // not in the enumeration
	{"<q:description>нет</q:description></q:rejects>", "</q:rejects>"},                                                         // required in Reject
	{"<q:messageTypeCriteria>RESPONSE</q:messageTypeCriteria>", "<q:messageTypeCriteria>ALL</q:messageTypeCriteria>"},
	{"<q:from>2026-12-01T10:00:00.000Z</q:from>", "<q:from>2026-12-01</q:from>"}, // not a dateTime
	{"xsi:type=\"q:ErrorMessage\"", "xsi:type=\"q:RequestMessageType\""},         // another derived type
	{"xsi:type=\"q:ErrorMessage\"", "xsi:type=\"q:Nothing\""},                    // no such type
	{"<q:type>SERVER</q:type>", ""},                                              // ErrorMessage's own part
	{"<f:code>1</f:code>", "<q:code>1</q:code>"},                                 // the fault's elements are in its namespace
	{"<q:OriginalMessageID>57b85cba", "<q:OriginalMessageID>57B85CBA"},           // the UUID pattern
	{"<q:itSystem>X</q:itSystem><q:specificQuery>", "<q:itSystem>X</q:itSystem>text<q:specificQuery>"},
	{"<q:clientId>c</q:clientId><q:clientIdCriteria>", "<q:clientId a=\"1\">c</q:clientId><q:clientIdCriteria>"},
	{"<q:ResponseContent><q:rejects>", "<q:ResponseContent><q:status><q:code>1</q:code><q:description>d</q:description></q:status><q:rejects>"},
	{"<q:SignaturePKCS7>AAEC</q:SignaturePKCS7>", "<q:SignaturePKCS7>A*EC</q:SignaturePKCS7>"},
	{"<q:AttachmentHeaderList><q:AttachmentHeader>", "<q:AttachmentHeaderList><q:AttachmentHeader><q:filePath>x</q:filePath></q:AttachmentHeader><q:AttachmentHeader>"},
	{"<q:QueryResultList " + q + "/>", "<q:QueryResultList " + q + "><q:Other/></q:QueryResultList>"},
}

// Every verdict of the compiled adapter schema agrees with xmllint's, for
// valid messages and their mutations.
func TestSchemaAgreesWithXmllint(t *testing.T) {
	s, err := AdapterSchema()
	if err != nil {
		t.Fatal(err)
	}
	xmllint := testtool.Require(t, "xmllint", "libxml2-utils")
	schema, _ := filepath.Abs("xsd/smev-service-adapter-types.xsd")
	dir := t.TempDir()
	checked, invalid := 0, 0
	try := func(name, doc string) {
		ours := s.Validate([]byte(doc))
		f := filepath.Join(dir, "m.xml")
		if err := os.WriteFile(f, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(xmllint, "--noout", "--schema", schema, f).CombinedOutput()
		if (err == nil) != (len(ours) == 0) {
			t.Errorf("%s: ours %v, xmllint %v:\n%s\n%s", name, ours, err, out, doc)
		}
		checked++
		if len(ours) > 0 {
			invalid++
		}
	}
	for name, doc := range schemaCases {
		try(name, doc)
		for _, m := range mutations {
			if strings.Contains(doc, m.from) {
				try(name+"/"+m.from, strings.Replace(doc, m.from, m.to, 1))
			}
		}
	}
	for _, f := range []string{"testdata/QueryResult_StatusMessage.xml", "testdata/QueryResult_ResponseMessage_with_Sender.xml"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		try(f, string(b))
	}
	t.Logf("%d documents, %d not valid: every verdict is xmllint's", checked, invalid)
}
