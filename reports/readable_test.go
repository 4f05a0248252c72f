package reports

import "github.com/mezhved/mezhved/printing"

import "testing"

func TestReadableXML(t *testing.T) {
	got := Readable([]byte(`<r:Answer xmlns:r="urn:x"><r:Holder><r:LastName>Петров</r:LastName><r:Gender>M</r:Gender></r:Holder>` +
		`<r:CadastralNumber>76:17:010101:15</r:CadastralNumber><r:Found>true</r:Found><r:OKTMO>46628101</r:OKTMO><r:Date>2026-11-22</r:Date><r:SomeNewThing>x</r:SomeNewThing></r:Answer>`))
	f := func(l, v string) printing.Field { return printing.Field{Label: l, Value: v} }
	want := []printing.Field{f("Правообладатель: Фамилия", "Петров"), f("Правообладатель: Пол", "мужской"),
		f("Кадастровый номер", "76:17:010101:15"), f("Сведения найдены", "да"), f("ОКТМО", "46628101"), f("Дата", "22.11.2026"), f("Some New Thing", "x")}
	if len(got) != len(want) {
		t.Fatalf("%+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, bad := range []string{"", "<a>", `<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`} {
		if got := Readable([]byte(bad)); len(got) != 0 {
			t.Errorf("%q: %+v", bad, got)
		}
	}
}
