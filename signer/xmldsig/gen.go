package xmldsig

import (
	"bytes"
	"fmt"
)

// GenerateRequest returns a SMEV-like SOAP request of about size bytes
// whose SenderProvidedRequestData has Id="SIGNED_BY_CONSUMER" (for tests,
// benchmarks and the training mode).
func GenerateRequest(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.2" xmlns:ns1="urn://x-artefacts-smev-gov-ru/services/message-exchange/types/basic/1.2">
<soap:Body><ns:SendRequestRequest><ns:SenderProvidedRequestData Id="SIGNED_BY_CONSUMER">
<ns:MessageID>db0486d0-3c08-11e5-95e2-d4c9eff07b77</ns:MessageID>
<ns1:MessagePrimaryContent><req:Request xmlns:req="urn://x-test/settlement/residents/1.0.0" kind="residents">
`)
	tail := `</req:Request></ns1:MessagePrimaryContent>
<ns:TestMessage/></ns:SenderProvidedRequestData></ns:SendRequestRequest></soap:Body></soap:Envelope>
`
	for i := 1; b.Len()+len(tail) < size; i++ {
		fmt.Fprintf(&b, "<req:Person n=\"%d\" snils=\"123-456-789 %02d\"><req:Name>Иванов Иван Иванович &amp; семья</req:Name><req:Address>ул. Ленина, д. %d</req:Address></req:Person>\n", i, i%100, i)
		if b.Len()+len(tail) >= size {
			break
		}
	}
	b.WriteString(tail)
	return b.Bytes()
}
