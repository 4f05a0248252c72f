// Package validate checks the values a clerk types into a request form:
// identifiers with their checksums (СНИЛС, ИНН, ОГРН, ОГРНИП), codes (КПП,
// ОКТМО, cadastral numbers), passports of the Russian Federation, dates and
// names. Each check returns the value in its canonical form or an error whose
// message, in Russian, tells the clerk what is wrong. Problems collects the
// findings of a whole form.
package validate

import (
	"strings"

	"github.com/mezhved/mezhved/domain"
)

// Problem is one thing wrong with a form.
type Problem struct {
	Field   string `json:"field"`   // the field's name in the template, "" for the form as a whole
	Label   string `json:"label"`   // the field's label as the clerk sees it ("СНИЛС")
	Message string `json:"message"` // what is wrong, in Russian ("неверная контрольная сумма")
}

// String returns "Label: message", the line a clerk reads.
func (p Problem) String() string {
	if p.Label == "" {
		return p.Message
	}
	return p.Label + ": " + p.Message
}

// Problems is every problem found in a form, in the order of its fields.
type Problems []Problem

// Error returns the problems one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Err returns nil when there are no problems, and otherwise an EINVALID
// *domain.Error whose message lists them, one per line, with the Problems as
// its cause (errors.As(err, &problems) gets them back).
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return domain.Wrap(ps, domain.EINVALID, "", "Запрос заполнен с ошибками:\n"+ps.Error())
}

// invalid is the error of a single check: message only, for the clerk.
func invalid(format string, args ...any) error {
	return domain.Errorf(domain.EINVALID, format, args...)
}
