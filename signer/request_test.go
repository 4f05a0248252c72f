package signer

import (
	"bytes"
	"fmt"
)

// sendRequest builds a realistic SMEV 1.3 SendRequestRequest of about size
// bytes: a business request (Rosreestr-like records with Cyrillic text)
// under MessagePrimaryContent with Id "PERSONAL", empty PersonalSignature
// and CallerInformationSystemSignature containers.
func sendRequest(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
  <soap:Header/>
  <soap:Body>
    <ns:SendRequestRequest xmlns:ns="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.3" xmlns:bas="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/basic/1.3">
      <ns:SenderProvidedRequestData Id="SIGNED_BY_CONSUMER">
        <ns:MessageID>6f1c2e4a-5b7d-11ef-8a3c-0242ac120002</ns:MessageID>
        <bas:MessagePrimaryContent>
          <req:Request xmlns:req="urn://x-artefacts-rosreestr-gov-ru/virtual-services/egrn-statement/1.1.2" xmlns:com="urn://x-artefacts-rosreestr-gov-ru/commons/1.0" Id="PERSONAL" version="1.1">
            <req:region>50</req:region>
            <req:externalNumber>832dc687-a2aa-4a3d-98fb-922e73e6a9e4</req:externalNumber>
`)
	head := `          </req:Request>
        </bas:MessagePrimaryContent>
        <bas:PersonalSignature/>
      </ns:SenderProvidedRequestData>
      <ns:CallerInformationSystemSignature></ns:CallerInformationSystemSignature>
    </ns:SendRequestRequest>
  </soap:Body>
</soap:Envelope>
`
	for i := 0; b.Len()+len(head) < size; i++ {
		fmt.Fprintf(&b, `            <req:object com:kind="land" num="%d">
              <com:cadastralNumber>50:21:0%05d:%d</com:cadastralNumber>
              <com:address>Московская обл., г. Подольск, ул. Ленина, д. %d</com:address>
              <com:owner><com:surname>Иванов</com:surname><com:name>Иван</com:name><com:snils>123-456-789 %02d</com:snils></com:owner>
            </req:object>
`, i, i, i, i%200, i%100)
	}
	b.WriteString(head)
	return b.Bytes()
}
