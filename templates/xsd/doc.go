// Package xsd checks an XML document against an XML Schema written in the
// small subset of XSD 1.0 that Mezhved's templates use. A schema outside the
// subset is refused when it is compiled, so a check never passes because a
// constraint was silently ignored.
//
// The subset:
//   - xs:schema with targetNamespace, elementFormDefault (qualified or
//     unqualified), attributeFormDefault="unqualified", version; global
//     xs:element, named xs:complexType and xs:simpleType; xs:annotation is
//     skipped;
//   - xs:element with name and either type or an inline complexType or
//     simpleType, minOccurs and maxOccurs (a number or "unbounded") on local
//     elements; no ref, no substitution groups, no nillable, no default or
//     fixed values;
//   - xs:complexType with one xs:sequence or xs:choice of xs:element (no
//     nesting, no occurrence attributes on the group) and xs:attribute (name,
//     type, use="required"|"optional"); or with xs:attribute only (an empty
//     element); no mixed content, no simpleContent or complexContent, no
//     xs:any;
//   - xs:simpleType with xs:restriction of a built-in or named simple type,
//     facets xs:pattern (XSD regular expressions except the block escapes
//     \p{IsX}, \i, \c, \w and character class subtraction), xs:enumeration,
//     xs:length, xs:minLength, xs:maxLength;
//   - built-in types xs:string, xs:normalizedString, xs:token, xs:date
//     (with an optional time zone), xs:integer, xs:boolean.
//
// Element content is matched greedily, which is exact for the deterministic
// content models XSD requires (Unique Particle Attribution). The tests check
// that every verdict agrees with libxml2's xmllint --schema.
package xsd
