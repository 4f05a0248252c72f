package printing

// column of a table: title, width and alignment of its cells. A column has
// either a fixed width in points or a weight: the body width left after the
// fixed columns is shared by weight. Adjacent columns with the same group
// title get a common header cell above their own.
type column struct {
	title  string
	fixed  float64
	weight float64
	align  align
	group  string
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

	fresh0 float64 // room on a new page below the heads, once known

	hcells []headerCell // laid out once
	h0, h1 float64      // heights of the header's rows
}

// table lays rows out at the cursor. Rows never split unless a row is taller
// than a whole page; then its lines continue on the next page under the
// repeated header. Cell text is wrapped, never cut.
func (fl *flow) table(t *table, rows []tableRow) {
	tl := &tableLayout{t: t, fl: fl}
	var sum, fixed float64
	for _, c := range t.cols {
		sum += c.weight
		fixed += c.fixed
	}
	free := max(fl.g.bodyWidth()-fixed, 0)
	x := fl.left()
	for _, c := range t.cols {
		w := c.fixed
		if w == 0 && sum > 0 {
			w = free * c.weight / sum
		}
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

// headerCell is one cell of the header: a group title over several columns
// or a column title, with its place in the header's grid of two rows.
type headerCell struct {
	x, w  float64
	row   int // 0: the group row (or both rows), 1: the column row
	rows  int // 1 or 2
	lines []string
}

func (tl *tableLayout) headerCells() ([]headerCell, float64, float64) {
	if tl.hcells != nil || tl.t.noHeader {
		return tl.hcells, tl.h0, tl.h1
	}
	t, m := tl.t, tl.fl.m
	grouped := false
	for _, c := range t.cols {
		grouped = grouped || c.group != ""
	}
	wrap := func(w float64, s string) []string { return m.wrap(bold, t.headSize, w-2*t.pad, s) }
	var cells []headerCell
	for i := 0; i < len(t.cols); i++ {
		c := t.cols[i]
		if c.group == "" {
			rows := 1
			if grouped {
				rows = 2
			}
			cells = append(cells, headerCell{x: tl.xs[i], w: tl.ws[i], rows: rows, lines: wrap(tl.ws[i], c.title)})
			continue
		}
		j, w := i, 0.0
		for ; j < len(t.cols) && t.cols[j].group == c.group; j++ {
			w += tl.ws[j]
			cells = append(cells, headerCell{x: tl.xs[j], w: tl.ws[j], row: 1, rows: 1, lines: wrap(tl.ws[j], t.cols[j].title)})
		}
		cells = append(cells, headerCell{x: tl.xs[i], w: w, rows: 1, lines: wrap(w, c.group)})
		i = j - 1
	}
	lh := t.headSize * lineFactor
	hOf := func(n int) float64 { return float64(n)*lh + 2*t.pad }
	var h0, h1, tall float64
	for _, c := range cells {
		switch {
		case c.rows == 2:
			tall = max(tall, hOf(len(c.lines)))
		case c.row == 0:
			h0 = max(h0, hOf(len(c.lines)))
		default:
			h1 = max(h1, hOf(len(c.lines)))
		}
	}
	if grouped && h0+h1 < tall {
		h1 = tall - h0
	}
	tl.hcells, tl.h0, tl.h1 = cells, h0, h1
	return cells, h0, h1
}

func (tl *tableLayout) headerHeight() float64 {
	_, h0, h1 := tl.headerCells()
	return h0 + h1
}

func (tl *tableLayout) header() {
	tl.fresh = true
	if tl.t.noHeader {
		return
	}
	fl, t := tl.fl, tl.t
	cells, h0, h1 := tl.headerCells()
	lh := t.headSize * lineFactor
	fl.fill(Rect{tl.xs[0], fl.y, fl.g.bodyWidth(), h0 + h1}, fillGray)
	for _, c := range cells {
		y, h := fl.y, h0
		switch {
		case c.rows == 2:
			h = h0 + h1
		case c.row == 1:
			y, h = fl.y+h0, h1
		}
		fl.frame(Rect{c.x, y, c.w, h}, 0.5, black)
		top := y + (h-float64(len(c.lines))*lh)/2
		for j, ln := range c.lines {
			fl.text(bold, t.headSize, alignX(fl.m, bold, t.headSize, alignCenter, c.x+t.pad, c.w-2*t.pad, ln), top+float64(j)*lh, ln, black)
		}
	}
	fl.y += h0 + h1
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
			// a row taller than a whole page starts here if two lines fit;
			// any other row that does not fit goes whole to the next page
			if !(i == 0 && k >= 2 && float64(n)*lh+2*t.pad > tl.freshRoom()) {
				fl.newPage() // draws the repeated header
				continue
			}
		}
		k = min(max(k, 1), n-i)
		if i == 0 {
			fl.beginUnit()
		}
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

// freshRoom is the room a new page offers below the running head and the
// repeated header, found by a dry run of a new page.
func (tl *tableLayout) freshRoom() float64 {
	if tl.fresh0 == 0 {
		fl := tl.fl
		y, fresh, unit := fl.y, tl.fresh, fl.unit
		fl.newPage()
		tl.fresh0 = fl.room()
		fl.pages = fl.pages[:len(fl.pages)-1]
		fl.y, tl.fresh, fl.unit = y, fresh, unit
	}
	return tl.fresh0
}
