package app

import "testing"

func TestReadableXML(t *testing.T) {
	got := readableXML([]byte(`<r:Answer xmlns:r="urn:x"><r:Holder><r:LastName>Петров</r:LastName><r:Gender>M</r:Gender></r:Holder>` +
		`<r:CadastralNumber>76:17:010101:15</r:CadastralNumber><r:Found>true</r:Found><r:OKTMO>46628101</r:OKTMO><r:SomeNewThing>x</r:SomeNewThing></r:Answer>`))
	want := []LabeledValue{{"Правообладатель: Фамилия", "Петров"}, {"Правообладатель: Пол", "мужской"},
		{"Кадастровый номер", "76:17:010101:15"}, {"Сведения найдены", "да"}, {"ОКТМО", "46628101"}, {"Some New Thing", "x"}}
	if len(got) != len(want) {
		t.Fatalf("%+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, bad := range []string{"", "<a>", `<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`} {
		if got := readableXML([]byte(bad)); len(got) != 0 {
			t.Errorf("%q: %+v", bad, got)
		}
	}
}
