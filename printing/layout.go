package printing

// Points per millimetre.
const mm = 72 / 25.4

// A4 in points.
const (
	a4Short = 595.28
	a4Long  = 841.89
)

// Rect is a rectangle on a page in PDF points, from the top-left corner.
type Rect struct {
	X, Y, W, H float64
}

// Intersects reports whether r and o share an area (touching edges do not count).
func (r Rect) Intersects(o Rect) bool {
	return r.X < o.X+o.W && o.X < r.X+r.W && r.Y < o.Y+o.H && o.Y < r.Y+r.H
}

type rgb struct{ r, g, b uint8 }

var (
	black    = rgb{0, 0, 0}
	gray     = rgb{90, 90, 90}
	markBlue = rgb{0, 45, 140} // the usual colour of the «штамп ЭП»
	fillGray = rgb{230, 230, 230}
)

type opKind uint8

const (
	opText opKind = iota
	opLine        // from (x, y) to (w, h)
	opRect        // frame
	opFill        // filled rectangle without a frame
)

// op is one drawing operation of the display list.
type op struct {
	kind  opKind
	font  fontID
	size  float64
	x, y  float64 // text: left and top of the line box
	w, h  float64
	text  string
	color rgb
	width float64 // line width
}

// page is a laid-out page: its size and what is drawn on it.
type page struct {
	w, h float64
	ops  []op
}

// geometry is the page size and margins of a document.
type geometry struct {
	w, h                     float64
	left, right, top, bottom float64
}

func (g geometry) bodyWidth() float64 { return g.w - g.left - g.right }

// Portrait A4 for replies: margins for long-term filing (ГОСТ Р 7.0.97-2016
// asks for at least 20 mm on the left; the binding edge gets 30 mm).
var portrait = geometry{w: a4Short, h: a4Long, left: 30 * mm, right: 15 * mm, top: 20 * mm, bottom: 20 * mm}

// Landscape A4 for registers: bound at the top edge.
var landscape = geometry{w: a4Long, h: a4Short, left: 15 * mm, right: 10 * mm, top: 20 * mm, bottom: 15 * mm}

// footerSpace is kept free at the bottom of the body for «Стр. N из M».
const footerSpace = 18

// flow lays content out top to bottom over as many pages as needed.
type flow struct {
	m     *metrics
	g     geometry
	pages []*page
	y     float64 // cursor on the current page
	// head is called on every new page after the first, to draw the running
	// head (and, inside a table, the repeated column headers).
	head func()
	// unit marks where the last unit of content (a table row, a list item)
	// began, so that the signature mark can take it along to a new page.
	unit checkpoint
}

// checkpoint is a place in the flow: page index, number of ops on it, y.
type checkpoint struct {
	page, ops int
	y         float64
}

// beginUnit records that a unit of content starts at the cursor.
func (fl *flow) beginUnit() {
	fl.unit = checkpoint{page: len(fl.pages) - 1, ops: len(fl.cur().ops), y: fl.y}
}

// carryUnit moves the last unit of content from the foot of the previous page
// to the cursor on the current (new) page, if it lies wholly on the previous
// page and fits here with room to spare below it. It reports whether it did.
func (fl *flow) carryUnit(spare float64) bool {
	u := fl.unit
	if u.page != len(fl.pages)-2 {
		return false
	}
	prev := fl.pages[u.page]
	if u.ops >= len(prev.ops) {
		return false
	}
	var end float64
	for _, o := range prev.ops[u.ops:] {
		end = max(end, o.y+o.h*boolf(o.kind == opRect || o.kind == opFill))
		if o.kind == opText {
			end = max(end, o.y+o.size*lineFactor)
		}
		if o.kind == opLine {
			end = max(end, o.h)
		}
	}
	h := end - u.y
	if fl.y+h+spare > fl.bottom() {
		return false
	}
	moved := append([]op(nil), prev.ops[u.ops:]...)
	prev.ops = prev.ops[:u.ops]
	dy := fl.y - u.y
	for i := range moved {
		moved[i].y += dy
		if moved[i].kind == opLine {
			moved[i].h += dy
		}
	}
	fl.cur().ops = append(fl.cur().ops, moved...)
	fl.unit = checkpoint{page: len(fl.pages) - 1, ops: len(fl.cur().ops) - len(moved), y: fl.y}
	fl.y += h
	return true
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func newFlow(m *metrics, g geometry) *flow {
	fl := &flow{m: m, g: g}
	fl.pages = append(fl.pages, &page{w: g.w, h: g.h})
	fl.y = g.top
	return fl
}

func (fl *flow) cur() *page { return fl.pages[len(fl.pages)-1] }

// bottom is the lowest y content may reach.
func (fl *flow) bottom() float64 { return fl.g.h - fl.g.bottom - footerSpace }

func (fl *flow) left() float64 { return fl.g.left }

func (fl *flow) right() float64 { return fl.g.w - fl.g.right }

func (fl *flow) room() float64 { return fl.bottom() - fl.y }

// newPage starts a page and draws the running head on it.
func (fl *flow) newPage() {
	fl.pages = append(fl.pages, &page{w: fl.g.w, h: fl.g.h})
	fl.y = fl.g.top
	if fl.head != nil {
		fl.head()
	}
}

// ensure starts a new page unless h points fit below the cursor.
func (fl *flow) ensure(h float64) {
	if fl.y+h > fl.bottom() && fl.y > fl.g.top+0.01 {
		fl.newPage()
	}
}

func (fl *flow) text(f fontID, size, x, y float64, s string, c rgb) {
	if s == "" {
		return
	}
	fl.cur().ops = append(fl.cur().ops, op{kind: opText, font: f, size: size, x: x, y: y, text: s, color: c})
}

func (fl *flow) line(x1, y1, x2, y2, width float64, c rgb) {
	fl.cur().ops = append(fl.cur().ops, op{kind: opLine, x: x1, y: y1, w: x2, h: y2, width: width, color: c})
}

func (fl *flow) frame(r Rect, width float64, c rgb) {
	fl.cur().ops = append(fl.cur().ops, op{kind: opRect, x: r.X, y: r.Y, w: r.W, h: r.H, width: width, color: c})
}

func (fl *flow) fill(r Rect, c rgb) {
	fl.cur().ops = append(fl.cur().ops, op{kind: opFill, x: r.X, y: r.Y, w: r.W, h: r.H, color: c})
}

type align uint8

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

// para sets wrapped text across the body width (or [x, x+w]) at the cursor,
// breaking pages between lines.
func (fl *flow) para(f fontID, size float64, al align, s string, c rgb) {
	fl.paraAt(f, size, al, fl.left(), fl.g.bodyWidth(), s, c)
}

func (fl *flow) paraAt(f fontID, size float64, al align, x, w float64, s string, c rgb) {
	lh := size * lineFactor
	for _, ln := range fl.m.wrap(f, size, w, s) {
		fl.ensure(lh)
		fl.text(f, size, alignX(fl.m, f, size, al, x, w, ln), fl.y, ln, c)
		fl.y += lh
	}
}

func alignX(m *metrics, f fontID, size float64, al align, x, w float64, s string) float64 {
	switch al {
	case alignCenter:
		return x + (w-m.width(f, size, s))/2
	case alignRight:
		return x + w - m.width(f, size, s)
	}
	return x
}

// gap moves the cursor down by h, or to the top of the next page if the gap
// would reach the bottom.
func (fl *flow) gap(h float64) {
	if fl.y+h >= fl.bottom() {
		fl.newPage()
		return
	}
	fl.y += h
}

// footers writes «Стр. N из M» (and an optional left-hand note) at the foot of
// every page, once the number of pages is known.
func (fl *flow) footers(note string) {
	n := len(fl.pages)
	const size = 9
	for i, p := range fl.pages {
		y := p.h - fl.g.bottom - size*lineFactor
		s := "Стр. " + itoa(i+1) + " из " + itoa(n)
		p.ops = append(p.ops, op{kind: opText, font: regular, size: size, x: p.w - fl.g.right - fl.m.width(regular, size, s), y: y, text: s, color: gray})
		if note != "" {
			p.ops = append(p.ops, op{kind: opText, font: regular, size: size, x: fl.g.left, y: y, text: note, color: gray})
		}
	}
}
