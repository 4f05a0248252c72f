package app

import (
	"strings"
	"unicode"

	"github.com/mezhved/mezhved/signer/xmltree"
)

// labels are the Russian words for the elements answers are made of. An
// element not named here is shown by its own name split into words.
var labels = map[string]string{
	"Address": "Адрес", "AnswerDate": "Дата ответа", "Area": "Площадь, кв. м", "AttachmentNote": "Вложение",
	"Authority": "Орган", "BirthDate": "Дата рождения", "BirthPlace": "Место рождения",
	"CadastralNumber": "Кадастровый номер", "CadastralValue": "Кадастровая стоимость, руб.",
	"Category": "Категория", "Comment": "Примечание", "Date": "Дата", "Encumbrances": "Ограничения и обременения",
	"FirstName": "Имя", "Found": "Сведения найдены", "FullName": "Полное наименование", "Holder": "Правообладатель",
	"Household": "Сведения похозяйственной книги", "INN": "ИНН", "IncomeTotal": "Общая сумма дохода, руб.",
	"Kind": "Вид", "LastName": "Фамилия", "Match": "Совпадение", "MiddleName": "Отчество",
	"MonthlyAmount": "Ежемесячная сумма, руб.", "Name": "Наименование", "Number": "Номер", "OGRN": "ОГРН",
	"ObjectType": "Вид объекта", "PaymentKind": "Вид выплаты", "PermittedUse": "Разрешённое использование",
	"Purpose": "Цель запроса", "RegistrationDate": "Дата регистрации", "RegistrationNumber": "Регистрационный номер",
	"RequestDate": "Дата запроса", "RequestNumber": "Номер запроса", "Result": "Результат", "RightType": "Вид права",
	"SNILS": "СНИЛС", "Since": "С какой даты", "Status": "Статус", "TaxAuthority": "Налоговый орган", "Year": "Год",
	"Person": "Гражданин", "Object": "Объект", "Right": "Право", "Registration": "Регистрация",
	"Taxpayer": "Налогоплательщик", "ActRecord": "Запись акта",
}

var values = map[string]string{"true": "да", "false": "нет"}

// readableXML lists the data of a business document for people: every
// element holding text, under its Russian label, with the labels of the
// elements around it ("Правообладатель: Фамилия"). Unreadable XML gives an
// empty list: the XML itself is still shown.
func readableXML(body []byte) []LabeledValue {
	out := []LabeledValue{}
	if len(body) == 0 {
		return out
	}
	d, err := xmltree.Parse(body)
	if err != nil {
		return out
	}
	var walk func(n int32, path []string)
	walk = func(n int32, path []string) {
		name := label(string(d.Nodes[n].Local))
		var text strings.Builder
		hasChild := false
		d.Children(n, func(c int32) bool {
			switch d.Nodes[c].Kind {
			case xmltree.Element:
				hasChild = true
			case xmltree.Text:
				text.Write(d.Nodes[c].Data)
			}
			return true
		})
		here := append(path, name)
		if !hasChild {
			v := strings.TrimSpace(text.String())
			if w, ok := values[v]; ok {
				v = w
			}
			if v != "" {
				out = append(out, LabeledValue{Label: strings.Join(here[min(1, len(here)-1):], ": "), Value: v})
			}
			return
		}
		d.Children(n, func(c int32) bool {
			if d.Nodes[c].Kind == xmltree.Element {
				walk(c, here)
			}
			return true
		})
	}
	walk(d.Root, nil)
	return out
}

func label(local string) string {
	if l, ok := labels[local]; ok {
		return l
	}
	var b strings.Builder
	for i, r := range local {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte(' ')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
