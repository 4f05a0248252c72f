package reports

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/mezhved/mezhved/internal/xmltree"
	"github.com/mezhved/mezhved/printing"
	"github.com/mezhved/mezhved/templates"
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
	"Requester": "Запрашивающий орган", "Basis": "Основание", "Official": "Должностное лицо", "Position": "Должность",
	"Service": "Услуга", "ApplicationNumber": "Номер заявления", "ApplicationDate": "Дата заявления", "OKTMO": "ОКТМО",
	"Oktmo": "ОКТМО", "Gender": "Пол", "Passport": "Паспорт", "Series": "Серия", "IssueDate": "Дата выдачи",
	"Issuer": "Кем выдан", "Applicant": "Заявитель",
}

var values = map[string]string{"true": "да", "false": "нет", "M": "мужской", "F": "женский"}

// Readable lists the data of a business document for people: every
// element holding text, under its Russian label, with the labels of the
// elements around it ("Правообладатель: Фамилия"). Unreadable XML gives an
// empty list: the XML itself is still shown.
//
// A document of a published kind of data is read with its schema
// (templates.Describe): the labels are the schema's documentation.
func Readable(body []byte) []printing.Field {
	out := []printing.Field{}
	if len(body) == 0 {
		return out
	}
	if secs := templates.Describe(body); secs != nil {
		for i, s := range secs {
			for _, f := range s.Fields {
				l := f.Label
				if i > 0 {
					l = s.Title + ": " + l
				}
				out = append(out, printing.Field{Label: l, Value: f.Value})
			}
			for r, row := range s.Rows { // a table, row by row
				for c, v := range row {
					if v != "" {
						out = append(out, printing.Field{Label: fmt.Sprintf("%s (%d): %s", s.Title, r+1, s.Columns[c]), Value: v})
					}
				}
			}
		}
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
			} else if d, err := time.Parse(time.DateOnly, v); err == nil {
				v = d.Format("02.01.2006") // xs:date as a Russian reader writes it
			}
			if v != "" {
				out = append(out, printing.Field{Label: strings.Join(here[min(1, len(here)-1):], ": "), Value: v})
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
	// CamelCase to words, keeping runs of capitals (an abbreviation) whole.
	var b strings.Builder
	prev := rune(0)
	for _, r := range local {
		if unicode.IsUpper(r) && prev != 0 && unicode.IsLower(prev) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}
