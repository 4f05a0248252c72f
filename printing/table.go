package printing

// column of a table: title, relative width and alignment of its cells.
type column struct {
	title  string
	weight float64
	align  align
}

// tableRow is one row: its cells, and whether it is set in bold (totals).
type tableRow struct {
	cells []string
	bold  bool
}

// table is a bordered table whose header row repeats on every page it spans.
type table struct {
	cols     []column
	size     float64 // cell font size
	headSize float64 // header font size
	pad      float64 // cell padding
	noHeader bool
}

type tableLayout struct {
	t      *table
	fl     *flow
	xs, ws []float64
	fresh  bool // nothing but headers drawn on the current page yet
}

// table lays rows out at the cursor. Rows never split unless a row is taller
// than a whole page; then its lines continue on the next page under the
// repeated header. Cell text is wrapped, never cut.
func (fl *flow) table(t *table, rows []tableRow) {
	tl := &tableLayout{t: t, fl: fl}
	var sum float64
	for _, c := range t.cols {
		sum += c.weight
	}
	x := fl.left()
	for _, c := range t.cols {
		w := fl.g.bodyWidth() * c.weight / sum
		tl.xs = append(tl.xs, x)
		tl.ws = append(tl.ws, w)
		x += w
	}
	prev := fl.head
	fl.head = func() {
		if prev != nil {
			prev()
		}
		tl.header()
	}
	defer func() { fl.head = prev }()

	// the header and the first line of the first row stay together
	fl.ensure(tl.headerHeight() + t.size*lineFactor + 2*t.pad)
	tl.header()
	for _, r := range rows {
		tl.row(r)
	}
}

func (tl *tableLayout) headerLines() [][]string {
	if tl.t.noHeader {
		return nil
	}
	ls := make([][]string, len(tl.t.cols))
	for i, c := range tl.t.cols {
		ls[i] = tl.fl.m.wrap(bold, tl.t.headSize, tl.ws[i]-2*tl.t.pad, c.title)
	}
	return ls
}

func (tl *tableLayout) headerHeight() float64 {
	n := 0
	for _, l := range tl.headerLines() {
		n = max(n, len(l))
	}
	if n == 0 {
		return 0
	}
	return float64(n)*tl.t.headSize*lineFactor + 2*tl.t.pad
}

func (tl *tableLayout) header() {
	tl.fresh = true
	if tl.t.noHeader {
		return
	}
	fl, t := tl.fl, tl.t
	h := tl.headerHeight()
	lh := t.headSize * lineFactor
	fl.fill(Rect{tl.xs[0], fl.y, fl.g.bodyWidth(), h}, fillGray)
	for i, lines := range tl.headerLines() {
		fl.frame(Rect{tl.xs[i], fl.y, tl.ws[i], h}, 0.5, black)
		top := fl.y + (h-float64(len(lines))*lh)/2
		for j, ln := range lines {
			fl.text(bold, t.headSize, alignX(fl.m, bold, t.headSize, alignCenter, tl.xs[i]+t.pad, tl.ws[i]-2*t.pad, ln), top+float64(j)*lh, ln, black)
		}
	}
	fl.y += h
}

func (tl *tableLayout) row(r tableRow) {
	fl, t := tl.fl, tl.t
	f := regular
	if r.bold {
		f = bold
	}
	lines := make([][]string, len(t.cols))
	n := 1
	for i := range t.cols {
		if i < len(r.cells) {
			lines[i] = fl.m.wrap(f, t.size, tl.ws[i]-2*t.pad, r.cells[i])
		}
		n = max(n, len(lines[i]))
	}
	lh := t.size * lineFactor
	for i := 0; i < n; {
		k := int((fl.room() - 2*t.pad) / lh)
		if k < n-i && !tl.fresh {
			fl.newPage() // draws the repeated header
			continue
		}
		k = min(max(k, 1), n-i)
		h := float64(k)*lh + 2*t.pad
		for c := range t.cols {
			fl.frame(Rect{tl.xs[c], fl.y, tl.ws[c], h}, 0.5, black)
			for j := i; j < i+k && j < len(lines[c]); j++ {
				ln := lines[c][j]
				fl.text(f, t.size, alignX(fl.m, f, t.size, t.cols[c].align, tl.xs[c]+t.pad, tl.ws[c]-2*t.pad, ln), fl.y+t.pad+float64(j-i)*lh, ln, black)
			}
		}
		fl.y += h
		tl.fresh = false
		i += k
		if i < n {
			fl.newPage()
		}
	}
}
