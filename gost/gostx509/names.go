package gostx509

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
)

// RussianIDs are the identifiers Russian qualified certificates carry in
// the subject (Приказ ФСБ России № 795).
type RussianIDs struct {
	SNILS  string // СНИЛС, 11 digits
	INN    string // ИНН физического лица, 12 digits
	INNLE  string // ИНН юридического лица, 10 digits
	OGRN   string // ОГРН, 13 digits
	OGRNIP string // ОГРНИП, 15 digits
}

var russianAttrs = []struct {
	oid    asn1.ObjectIdentifier
	name   string
	digits int
	field  func(*RussianIDs) *string
}{
	{OIDSNILS, "СНИЛС", 11, func(r *RussianIDs) *string { return &r.SNILS }},
	{OIDINN, "ИНН", 12, func(r *RussianIDs) *string { return &r.INN }},
	{OIDINNLE, "ИНН ЮЛ", 10, func(r *RussianIDs) *string { return &r.INNLE }},
	{OIDOGRN, "ОГРН", 13, func(r *RussianIDs) *string { return &r.OGRN }},
	{OIDOGRNIP, "ОГРНИП", 15, func(r *RussianIDs) *string { return &r.OGRNIP }},
}

// RussianIDsFromName reads the identifiers from a parsed name
// (cert.Subject or cert.Issuer). Old certificates carry ИНН ЮЛ in the ИНН
// attribute padded with "00" to 12 digits; it is returned as it is.
func RussianIDsFromName(n pkix.Name) RussianIDs {
	var r RussianIDs
	for _, atv := range n.Names {
		for _, a := range russianAttrs {
			if atv.Type.Equal(a.oid) {
				if s, ok := atv.Value.(string); ok {
					*a.field(&r) = s
				}
			}
		}
	}
	return r
}

// ExtraNames returns the non-empty identifiers as attributes for
// pkix.Name.ExtraNames, encoded as NumericString as the order requires.
// Each value must be exactly its number of digits.
func (r RussianIDs) ExtraNames() ([]pkix.AttributeTypeAndValue, error) {
	var out []pkix.AttributeTypeAndValue
	for _, a := range russianAttrs {
		v := *a.field(&r)
		if v == "" {
			continue
		}
		if len(v) != a.digits || !allDigits(v) {
			return nil, fmt.Errorf("gostx509: %s must be %d digits, got %q", a.name, a.digits, v)
		}
		out = append(out, pkix.AttributeTypeAndValue{
			Type:  a.oid,
			Value: asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagNumericString, Bytes: []byte(v)},
		})
	}
	return out, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
