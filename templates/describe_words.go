package templates

// undocumented are Russian labels for elements that published schemas
// leave without xs:documentation (the ФНС describes some only in XML
// comments, the СФР and МВД schemas not at all): the clerk never reads a
// schema's Latin names.
var undocumented = map[string]string{
	// ФНС: attachments of an extract (ЕГРЮЛ/ЕГРИП)
	"AttachmentDescription":     "Описание вложения",
	"AttachmentFSLink":          "Ссылка на файл вложения",
	"AttachmentSignatureFSLink": "Ссылка на файл подписи вложения",
	"DocumentType":              "Вид документа",
	"DptProcessID":              "Идентификатор обработки",
	"IsMTOMAttachmentContent":   "Вложение передано в сообщении",
	"IsUnstructuredFormat":      "Неструктурированный формат",
	"IsZippedPacket":            "Вложение упаковано в архив",
	"RaschopsDocument":          "Документ о расчёте по страховым взносам",
	"SveduplDocument":           "Документ об уплате",
	"Year":                      "Год",
	// МВД: registration
	"adressGUID":     "Идентификатор адреса (ФИАС)",
	"fromDt":         "Дата начала",
	"toDt":           "Дата окончания",
	"fullAddress":    "Адрес",
	"regAddressItem": "Адрес регистрации",
	// СФР: СНИЛС by a person's data
	"BirthDate":                     "Дата рождения",
	"BirthPlace":                    "Место рождения",
	"Country":                       "Страна",
	"District":                      "Район",
	"PfrIdentificationDocument":     "Документ, удостоверяющий личность",
	"PlaceType":                     "Тип места рождения",
	"Region":                        "Регион",
	"Settlement":                    "Населённый пункт",
	"SnilsByAdditionalDataRequest":  "Запрос СНИЛС по данным гражданина",
	"SnilsByAdditionalDataResponse": "Сведения о СНИЛС",
	"Type":                          "Вид",
}
