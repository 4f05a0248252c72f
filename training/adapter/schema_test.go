package adapter

import (
	"os"
	"testing"
)

func TestCompileAdapterSchema(t *testing.T) {
	s, err := AdapterSchema()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"testdata/QueryResult_StatusMessage.xml", "testdata/QueryResult_ResponseMessage_with_Sender.xml"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %v", f, s.Validate(b))
	}
}
