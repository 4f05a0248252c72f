package printing

import (
	_ "embed"
	"sync"
	"unicode"

	"github.com/signintech/gopdf"

	"github.com/mezhved/mezhved/domain"
)

// Liberation Serif 2.1.5 (SIL OFL 1.1, see fonts/OFL.txt): metric-compatible
// with Times New Roman, the face Russian office documents are usually set in.
var (
	//go:embed fonts/LiberationSerif-Regular.ttf
	fontRegularTTF []byte
	//go:embed fonts/LiberationSerif-Bold.ttf
	fontBoldTTF []byte
)

type fontID uint8

const (
	regular fontID = iota
	bold
)

var fontFamilies = [...]string{regular: "LiberationSerif", bold: "LiberationSerif-Bold"}

// Vertical metrics of Liberation Serif (hhea, units of the em).
const (
	fontAscent  = 0.891
	fontDescent = 0.216
	lineFactor  = 1.2 // line height as a multiple of the font size
)

// fastRunes covers Latin, Latin-1, Latin Extended and Cyrillic: the widths of
// these are measured once; other runes are measured on first use.
const fastRunes = 0x530

// metrics knows the advance widths of the embedded fonts (per 1 pt of size)
// and which runes they have glyphs for. It is shared and safe for concurrent use.
type metrics struct {
	fast [2][fastRunes]float64 // < 0: no glyph

	mu   sync.Mutex
	gp   *gopdf.GoPdf // scratch document used only for measuring
	slow [2]map[rune]float64
}

var (
	metricsOnce sync.Once
	metricsVal  *metrics
	metricsErr  error
)

func fontMetrics() (*metrics, error) {
	metricsOnce.Do(func() { metricsVal, metricsErr = newMetrics() })
	return metricsVal, metricsErr
}

func newMetrics() (*metrics, error) {
	m := &metrics{gp: &gopdf.GoPdf{}}
	m.gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	if err := addFonts(m.gp); err != nil {
		return nil, err
	}
	for f := range fontFamilies {
		m.slow[f] = map[rune]float64{}
		for r := rune(0); r < fastRunes; r++ {
			w, err := m.measure(fontID(f), r)
			if err != nil {
				return nil, domain.Wrap(err, domain.EINTERNAL, "printing.fontMetrics", "Не удалось подготовить шрифт для печати.")
			}
			m.fast[f][r] = w
		}
	}
	return m, nil
}

func addFonts(gp *gopdf.GoPdf) error {
	for f, data := range [...][]byte{regular: fontRegularTTF, bold: fontBoldTTF} {
		if err := gp.AddTTFFontData(fontFamilies[f], data); err != nil {
			return domain.Wrap(err, domain.EINTERNAL, "printing.addFonts", "Не удалось подключить шрифт для печати.")
		}
	}
	return nil
}

// measure returns the advance of r at 1 pt, or -1 if the font has no glyph.
// The caller holds m.mu or is the constructor.
func (m *metrics) measure(f fontID, r rune) (float64, error) {
	if err := m.gp.SetFont(fontFamilies[f], "", 1000); err != nil {
		return 0, err
	}
	if !unicode.IsPrint(r) && r != ' ' {
		return -1, nil
	}
	ok, err := m.gp.IsCurrFontContainGlyph(r)
	if err != nil || !ok {
		return -1, err
	}
	w, err := m.gp.MeasureTextWidth(string(r))
	if err != nil {
		return 0, err
	}
	return w / 1000, nil
}

// advance returns the width of r at 1 pt, or -1 if there is no glyph.
func (m *metrics) advance(f fontID, r rune) float64 {
	if r >= 0 && r < fastRunes {
		return m.fast[f][r]
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if w, ok := m.slow[f][r]; ok {
		return w
	}
	w, err := m.measure(f, r)
	if err != nil {
		w = -1
	}
	m.slow[f][r] = w
	return w
}

// width is the width of s in font f at the given size, in points.
func (m *metrics) width(f fontID, size float64, s string) float64 {
	var w float64
	for _, r := range s {
		if a := m.advance(f, r); a > 0 {
			w += a
		}
	}
	return w * size
}
