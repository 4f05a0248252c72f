package templates

import (
	"sort"
	"strings"

	"github.com/mezhved/mezhved/calendar"
)

// Person is an applicant as the clerk typed them in; values are kept as
// typed and checked when a request is composed.
type Person struct {
	LastName         string `json:"lastName"`
	FirstName        string `json:"firstName"`
	MiddleName       string `json:"middleName,omitempty"`
	Gender           string `json:"gender,omitempty"`    // "M" or "F"
	BirthDate        string `json:"birthDate,omitempty"` // ДД.ММ.ГГГГ or ГГГГ-ММ-ДД
	BirthPlace       string `json:"birthPlace,omitempty"`
	SNILS            string `json:"snils,omitempty"`
	INN              string `json:"inn,omitempty"`
	PassportSeries   string `json:"passportSeries,omitempty"`
	PassportNumber   string `json:"passportNumber,omitempty"`
	PassportIssued   string `json:"passportIssued,omitempty"` // date of issue
	PassportIssuer   string `json:"passportIssuer,omitempty"`
	PassportDivision string `json:"passportDivision,omitempty"` // код подразделения
	Address          string `json:"address,omitempty"`          // place of residence
	Phone            string `json:"phone,omitempty"`
}

// Org is the requesting authority: the settlement's administration and the
// official who signs. It comes from the settings.
type Org struct {
	Name             string `json:"name"`
	OKTMO            string `json:"oktmo"`
	INN              string `json:"inn"`
	OGRN             string `json:"ogrn"`
	KPP              string `json:"kpp"`
	Address          string `json:"address,omitempty"`
	Phone            string `json:"phone,omitempty"`
	OfficialName     string `json:"officialName"`     // Ф. И. О. of the official
	OfficialPosition string `json:"officialPosition"` // "глава администрации"
}

// Application is an applicant's case for one municipal service: the
// requests sent for it reuse the applicant's data and the values kept in
// Values. It is a plain value: the journal stores it.
type Application struct {
	Service    string            `json:"service"`    // the municipal service, as in Template.Services
	Number     string            `json:"number"`     // registration number of the application
	Registered calendar.Date     `json:"registered"` // registration day: requests go out by calendar SendBy(Registered)
	Applicant  Person            `json:"applicant"`
	Values     map[string]string `json:"values,omitempty"` // other shared values by field name ("object.cadastral_number")
}

// The field names filled from an application and the settings. A template
// field with one of these names is pre-filled; names with these prefixes
// that are not listed are refused when a template is read.
var prefill = map[string]func(a *Application, o *Org) string{
	"applicant.last_name":         func(a *Application, _ *Org) string { return a.Applicant.LastName },
	"applicant.first_name":        func(a *Application, _ *Org) string { return a.Applicant.FirstName },
	"applicant.middle_name":       func(a *Application, _ *Org) string { return a.Applicant.MiddleName },
	"applicant.gender":            func(a *Application, _ *Org) string { return a.Applicant.Gender },
	"applicant.birth_date":        func(a *Application, _ *Org) string { return a.Applicant.BirthDate },
	"applicant.birth_place":       func(a *Application, _ *Org) string { return a.Applicant.BirthPlace },
	"applicant.snils":             func(a *Application, _ *Org) string { return a.Applicant.SNILS },
	"applicant.inn":               func(a *Application, _ *Org) string { return a.Applicant.INN },
	"applicant.passport_series":   func(a *Application, _ *Org) string { return a.Applicant.PassportSeries },
	"applicant.passport_number":   func(a *Application, _ *Org) string { return a.Applicant.PassportNumber },
	"applicant.passport_issued":   func(a *Application, _ *Org) string { return a.Applicant.PassportIssued },
	"applicant.passport_issuer":   func(a *Application, _ *Org) string { return a.Applicant.PassportIssuer },
	"applicant.passport_division": func(a *Application, _ *Org) string { return a.Applicant.PassportDivision },
	"applicant.address":           func(a *Application, _ *Org) string { return a.Applicant.Address },
	"applicant.phone":             func(a *Application, _ *Org) string { return a.Applicant.Phone },
	"application.number":          func(a *Application, _ *Org) string { return a.Number },
	"application.date":            func(a *Application, _ *Org) string { return a.Registered.String() },
	"application.service":         func(a *Application, _ *Org) string { return a.Service },
	"org.name":                    func(_ *Application, o *Org) string { return o.Name },
	"org.oktmo":                   func(_ *Application, o *Org) string { return o.OKTMO },
	"org.inn":                     func(_ *Application, o *Org) string { return o.INN },
	"org.ogrn":                    func(_ *Application, o *Org) string { return o.OGRN },
	"org.kpp":                     func(_ *Application, o *Org) string { return o.KPP },
	"org.address":                 func(_ *Application, o *Org) string { return o.Address },
	"org.phone":                   func(_ *Application, o *Org) string { return o.Phone },
	"org.official_name":           func(_ *Application, o *Org) string { return o.OfficialName },
	"org.official_position":       func(_ *Application, o *Org) string { return o.OfficialPosition },
}

// reservedPrefixes maps each prefix of the pre-filled names to its names.
var reservedPrefixes = map[string]map[string]bool{}

func init() {
	for name := range prefill {
		p, _, _ := strings.Cut(name, ".")
		if reservedPrefixes[p] == nil {
			reservedPrefixes[p] = map[string]bool{}
		}
		reservedPrefixes[p][name] = true
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Prefill returns the starting values of t's form for application a and
// the requesting authority o (either may be nil): the applicant's data, the
// application's number, date and service, the authority's details, and any
// other field a kept in Values. Empty values are left out.
func Prefill(t *Template, a *Application, o *Org) map[string]string {
	if a == nil {
		a = &Application{}
	}
	if o == nil {
		o = &Org{}
	}
	out := map[string]string{}
	for _, f := range t.Fields {
		v := a.Values[f.Name]
		if get := prefill[f.Name]; get != nil {
			v = get(a, o)
		}
		if v = strings.TrimSpace(v); v != "" {
			out[f.Name] = v
		}
	}
	return out
}

// Remember keeps in a.Values the values of t's fields that are not
// pre-filled from the applicant, the application or the settings, so that
// the next request of the same application starts with them (a cadastral
// number typed once serves the requests to Rosreestr and to the district).
// Empty values are not kept.
func (a *Application) Remember(t *Template, values map[string]string) {
	for _, f := range t.Fields {
		v := strings.TrimSpace(values[f.Name])
		if prefill[f.Name] != nil || v == "" {
			continue
		}
		if a.Values == nil {
			a.Values = map[string]string{}
		}
		a.Values[f.Name] = v
	}
}
