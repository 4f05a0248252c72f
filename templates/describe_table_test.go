package templates

import (
	"strings"
	"testing"
)

const tableCard = `<?xml version="1.0" encoding="UTF-8"?>
<template format="1" id="test-members" version="1" xmlns:t="urn://mezhved/template/1">
  <title>Проверка таблиц</title>
  <services><service>Проверка</service></services>
  <provider name="Поставщик" short="Поставщик" smev-id="TEST"/>
  <data-type namespace="urn://test/members/1.0.0" root="MembersRequest" version="1.0.0"/>
  <channels><channel>smev</channel></channels>
  <term working-days="5"/>
  <personal-signature required="false"/>
  <fields>
    <field name="q" type="text" required="true" example="все"><label>Запрос</label></field>
  </fields>
  <body>
    <m:MembersRequest xmlns:m="urn://test/members/1.0.0"><m:Q>{{q}}</m:Q></m:MembersRequest>
  </body>
  <schema>
    <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn://test/members/1.0.0" elementFormDefault="qualified">
      <xs:element name="MembersRequest"><xs:complexType><xs:sequence>
        <xs:element name="Q" type="xs:string"/>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="MembersResponse"><xs:annotation><xs:documentation>Члены хозяйства</xs:documentation></xs:annotation>
        <xs:complexType><xs:sequence>
        <xs:element name="Book" type="xs:string"><xs:annotation><xs:documentation>Номер книги</xs:documentation></xs:annotation></xs:element>
        <xs:element name="Member" maxOccurs="unbounded"><xs:annotation><xs:documentation>Член хозяйства</xs:documentation></xs:annotation>
          <xs:complexType><xs:sequence>
            <xs:element name="Name" type="xs:string"><xs:annotation><xs:documentation>ФИО</xs:documentation></xs:annotation></xs:element>
            <xs:element name="Born" type="xs:date" minOccurs="0"><xs:annotation><xs:documentation>Дата рождения</xs:documentation></xs:annotation></xs:element>
          </xs:sequence>
          <xs:attribute name="head" type="xs:boolean"><xs:annotation><xs:documentation>Глава хозяйства</xs:documentation></xs:annotation></xs:attribute>
          </xs:complexType></xs:element>
        <xs:element name="Plot" minOccurs="0" maxOccurs="unbounded"><xs:annotation><xs:documentation>Участок</xs:documentation></xs:annotation>
          <xs:complexType><xs:sequence>
            <xs:element name="Area" type="xs:string"><xs:annotation><xs:documentation>Площадь</xs:documentation></xs:annotation></xs:element>
            <xs:element name="Owner" minOccurs="0"><xs:annotation><xs:documentation>Владелец</xs:documentation></xs:annotation>
              <xs:complexType><xs:sequence><xs:element name="Name" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
          </xs:sequence></xs:complexType></xs:element>
      </xs:sequence></xs:complexType></xs:element>
    </xs:schema>
  </schema>
</template>`

// A part that repeats with simple data only is one table (a column per
// datum, a row per occurrence, a datum one row lacks left empty); one
// with deeper parts stays numbered sections.
func TestDescribeTables(t *testing.T) {
	tp, err := Parse(strings.NewReader(tableCard))
	if err != nil {
		t.Fatal(err)
	}
	remember(tp)
	body := `<MembersResponse xmlns="urn://test/members/1.0.0"><Book>3</Book>
<Member head="true"><Name>Кузнецова Анна Сергеевна</Name><Born>1987-02-14</Born></Member>
<Member><Name>Кузнецов Иван Петрович</Name></Member>
<Plot><Area>15 соток</Area><Owner><Name>Кузнецова А. С.</Name></Owner></Plot>
<Plot><Area>6 соток</Area></Plot></MembersResponse>`
	secs := Describe([]byte(body))
	var table *Section
	var plots []string
	for i := range secs {
		switch {
		case secs[i].Title == "Член хозяйства":
			table = &secs[i]
		case strings.HasPrefix(secs[i].Title, "Участок ("):
			plots = append(plots, secs[i].Title)
		}
	}
	if table == nil {
		t.Fatalf("no table in %+v", secs)
	}
	want := [][]string{{"да", "Кузнецова Анна Сергеевна", "14.02.1987"}, {"", "Кузнецов Иван Петрович", ""}}
	if strings.Join(table.Columns, "|") != "Глава хозяйства|ФИО|Дата рождения" || len(table.Rows) != 2 {
		t.Fatalf("table %+v", table)
	}
	for i, r := range want {
		if strings.Join(table.Rows[i], "|") != strings.Join(r, "|") {
			t.Fatalf("row %d: %q, want %q", i, table.Rows[i], r)
		}
	}
	if len(plots) != 2 {
		t.Fatalf("parts with deeper data: %q in %+v", plots, secs)
	}
}
