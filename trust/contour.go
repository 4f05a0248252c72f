package trust

import (
	"github.com/mezhved/mezhved/domain"
)

// Contour is the SMEV environment a signature belongs to. Each contour has
// its own anchors: a certificate trusted for the training node is never
// trusted in production.
type Contour string

// The contours.
const (
	// Production is the real SMEV 3: anchors are the head CA roots built in
	// (certificates of accredited CAs from the imported TSL chain to them)
	// and the anchors the administrator added for production.
	Production Contour = "production"
	// Test is the SMEV 3 test environment: the head CA roots and the
	// anchors the administrator added for it (e.g. a test CA).
	Test Contour = "test"
	// Training is the simulated node (training/node): only the anchors
	// added for it, persistent (AddAnchor) or for this run
	// (AddTrainingAnchor). The head CA roots are not anchors here.
	Training Contour = "training"
)

// Contours lists the contours in a fixed order.
func Contours() []Contour { return []Contour{Production, Test, Training} }

// ParseContour reads a contour name ("production", "test", "training").
func ParseContour(s string) (Contour, error) {
	for _, c := range Contours() {
		if string(c) == s {
			return c, nil
		}
	}
	return "", domain.Errorf(domain.EINVALID, "Неизвестный контур СМЭВ «%s»: ожидается production, test или training", s)
}

// Valid reports whether c is one of the contours.
func (c Contour) Valid() bool {
	_, err := ParseContour(string(c))
	return err == nil
}

// usesRoots reports whether the head CA roots and the TSL are anchors and
// intermediates in c.
func (c Contour) usesRoots() bool { return c == Production || c == Test }
