package softtoken

// Attr is one attribute of a template.
type Attr struct {
	Type  uint
	Value []byte
}

type attrKind uint8

const (
	kBytes attrKind = iota
	kBool
	kULong
)

// attrKinds lists every attribute this token knows and how its value reads.
var attrKinds = map[uint]attrKind{
	CKA_CLASS: kULong, CKA_TOKEN: kBool, CKA_PRIVATE: kBool, CKA_LABEL: kBytes,
	CKA_APPLICATION: kBytes, CKA_VALUE: kBytes, CKA_OBJECT_ID: kBytes,
	CKA_CERTIFICATE_TYPE: kULong, CKA_ISSUER: kBytes, CKA_SERIAL_NUMBER: kBytes,
	CKA_TRUSTED: kBool, CKA_CERTIFICATE_CATEGORY: kULong, CKA_URL: kBytes,
	CKA_HASH_OF_SUBJECT_PK: kBytes, CKA_HASH_OF_ISSUER_PK: kBytes, CKA_CHECK_VALUE: kBytes,
	CKA_KEY_TYPE: kULong, CKA_SUBJECT: kBytes, CKA_ID: kBytes, CKA_SENSITIVE: kBool,
	CKA_ENCRYPT: kBool, CKA_DECRYPT: kBool, CKA_WRAP: kBool, CKA_UNWRAP: kBool,
	CKA_SIGN: kBool, CKA_SIGN_RECOVER: kBool, CKA_VERIFY: kBool, CKA_VERIFY_RECOVER: kBool,
	CKA_DERIVE: kBool, CKA_START_DATE: kBytes, CKA_END_DATE: kBytes,
	CKA_EXTRACTABLE: kBool, CKA_LOCAL: kBool, CKA_NEVER_EXTRACTABLE: kBool,
	CKA_ALWAYS_SENSITIVE: kBool, CKA_KEY_GEN_MECHANISM: kULong, CKA_MODIFIABLE: kBool,
	CKA_COPYABLE: kBool, CKA_DESTROYABLE: kBool, CKA_ALWAYS_AUTHENTICATE: kBool,
	CKA_WRAP_WITH_TRUSTED: kBool, CKA_GOSTR3410_PARAMS: kBytes, CKA_GOSTR3411_PARAMS: kBytes,
	CKA_GOST28147_PARAMS: kBytes, CKA_ALLOWED_MECHANISMS: kBytes,
}

func set(types ...uint) map[uint]bool {
	m := map[uint]bool{}
	for _, t := range types {
		m[t] = true
	}
	return m
}

func union(a map[uint]bool, types ...uint) map[uint]bool {
	m := set(types...)
	for t := range a {
		m[t] = true
	}
	return m
}

var (
	commonAttrs = set(CKA_CLASS, CKA_TOKEN, CKA_PRIVATE, CKA_LABEL, CKA_MODIFIABLE, CKA_COPYABLE, CKA_DESTROYABLE)
	keyAttrs    = union(commonAttrs, CKA_KEY_TYPE, CKA_ID, CKA_START_DATE, CKA_END_DATE, CKA_DERIVE, CKA_LOCAL,
		CKA_KEY_GEN_MECHANISM, CKA_ALLOWED_MECHANISMS, CKA_SUBJECT, CKA_GOSTR3410_PARAMS, CKA_GOSTR3411_PARAMS, CKA_GOST28147_PARAMS)

	// classAttrs are the attributes an object of each class has.
	classAttrs = map[uint]map[uint]bool{
		CKO_DATA: union(commonAttrs, CKA_APPLICATION, CKA_OBJECT_ID, CKA_VALUE),
		CKO_CERTIFICATE: union(commonAttrs, CKA_CERTIFICATE_TYPE, CKA_TRUSTED, CKA_CERTIFICATE_CATEGORY,
			CKA_CHECK_VALUE, CKA_START_DATE, CKA_END_DATE, CKA_SUBJECT, CKA_ID, CKA_ISSUER, CKA_SERIAL_NUMBER,
			CKA_VALUE, CKA_URL, CKA_HASH_OF_SUBJECT_PK, CKA_HASH_OF_ISSUER_PK),
		CKO_PUBLIC_KEY: union(keyAttrs, CKA_ENCRYPT, CKA_VERIFY, CKA_VERIFY_RECOVER, CKA_WRAP, CKA_TRUSTED, CKA_VALUE),
		CKO_PRIVATE_KEY: union(keyAttrs, CKA_SENSITIVE, CKA_DECRYPT, CKA_SIGN, CKA_SIGN_RECOVER, CKA_UNWRAP,
			CKA_EXTRACTABLE, CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE, CKA_WRAP_WITH_TRUSTED,
			CKA_ALWAYS_AUTHENTICATE, CKA_VALUE),
	}

	// setByToken are attributes only the token sets.
	setByToken = set(CKA_LOCAL, CKA_KEY_GEN_MECHANISM, CKA_ALWAYS_SENSITIVE, CKA_NEVER_EXTRACTABLE)

	// modifiable are the attributes C_SetAttributeValue may change.
	modifiable = set(CKA_LABEL, CKA_ID, CKA_SUBJECT, CKA_START_DATE, CKA_END_DATE)
)

// template is a checked template: each attribute once, each value of its
// kind's length.
type template map[uint][]byte

func parseTemplate(attrs []Attr) (template, RV) {
	t := template{}
	for _, a := range attrs {
		kind, ok := attrKinds[a.Type]
		if !ok {
			return nil, CKR_ATTRIBUTE_TYPE_INVALID
		}
		if _, dup := t[a.Type]; dup {
			return nil, CKR_TEMPLATE_INCONSISTENT
		}
		switch kind {
		case kBool:
			if len(a.Value) != 1 {
				return nil, CKR_ATTRIBUTE_VALUE_INVALID
			}
		case kULong:
			if len(a.Value) != ULongSize {
				return nil, CKR_ATTRIBUTE_VALUE_INVALID
			}
		}
		t[a.Type] = append([]byte{}, a.Value...)
	}
	return t, CKR_OK
}

func (t template) ulong(typ uint) (uint, bool) {
	v, ok := t[typ]
	if !ok {
		return 0, false
	}
	return ulongValue(v)
}

// boolOr returns a CK_BBOOL attribute, def when absent.
func (t template) boolOr(typ uint, def bool) bool {
	if v, ok := t[typ]; ok {
		b, _ := boolValue(v)
		return b
	}
	return def
}

func (o *object) ulong(typ uint) uint {
	v, _ := ulongValue(o.Attrs[typ])
	return v
}

func (o *object) flag(typ uint) bool {
	b, _ := boolValue(o.Attrs[typ])
	return b
}

func (o *object) class() uint { return o.ulong(CKA_CLASS) }
