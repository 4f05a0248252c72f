package region

import (
	"context"
	"encoding/csv"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestDashboard signs in over HTTPS to the real handlers and reads the
// dashboard, the exports (through the links the page gives) and a
// settlement's page; the dashboard, the CSV and the PDF must say the same.
func TestDashboard(t *testing.T) {
	backends(t, func(t *testing.T, newStore func() *Store) {
		e, d := dashEnv(t, newStore())
		hc := staffClient(e)
		for _, p := range []string{"/", "/export.csv", "/export.pdf", "/settlement/46605101"} {
			if resp, _ := get(t, hc, e.url+p); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login" {
				t.Fatalf("%s without a session: HTTP %d → %q", p, resp.StatusCode, resp.Header.Get("Location"))
			}
		}
		if resp := login(t, e, hc, "неверный-пароль"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password: HTTP %d", resp.StatusCode)
		}
		if resp := login(t, e, hc, "верный-пароль-2026"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: HTTP %d", resp.StatusCode)
		}
		resp, page := get(t, hc, e.url+"/")
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Fatalf("dashboard: HTTP %d\n%s", resp.StatusCode, page)
		}
		for _, w := range []string{"Смирнова Е. В.", "с 01.01.2026 по 22.11.2026", "Рейтинг поселений", "IV квартал 2025", "янв 2026", "ноя 2026",
			neverName, "ни разу не синхронизировалось", "нет связи 20 дней", "ws-training (учебный режим)", "Наибольшие просрочки"} {
			if !strings.Contains(page, w) {
				t.Errorf("dashboard lacks %q", w)
			}
		}
		csvBody, pdfBody := exportsOf(t, e, hc, page, "2026-01-01", "2026-11-22")
		recs := readCSV(t, csvBody)
		checkHTMLAgainstCSV(t, page, recs)
		checkPDFAgainstCSV(t, pdfBody, recs)
		checkCSVAgainstFixture(t, d, recs)

		// Another period typed in Russian: its links carry it.
		_, june := get(t, hc, e.url+"/?from=01.06.2026&to=30.06.2026")
		if !strings.Contains(june, "с 01.06.2026 по 30.06.2026") || strings.Contains(june, "янв 2026") {
			t.Fatal("June not shown")
		}
		juneCSV, _ := exportsOf(t, e, hc, june, "2026-06-01", "2026-06-30")
		rep, err := BuildReport(context.Background(), e.store, Period{From: day("2026-06-01"), To: day("2026-06-30")}, e.srv.options())
		if err != nil || juneCSV != string(WriteCSV(rep)) {
			t.Fatalf("June CSV is not June's report: %v", err)
		}
		checkSettlementPage(t, e, hc, page, d)
		for _, q := range []string{"from=2026-13-01", "from=2026-05-01&to=2026-04-01", "to=x'--"} {
			if resp, _ := get(t, hc, e.url+"/?"+q); resp.StatusCode != http.StatusBadRequest {
				t.Errorf("?%s: HTTP %d", q, resp.StatusCode)
			}
		}
		if resp, err := hc.Post(e.url+"/logout", "application/x-www-form-urlencoded", nil); err != nil {
			t.Fatal(err)
		} else {
			resp.Body.Close()
		}
		if resp, _ := get(t, hc, e.url+"/"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("after logout: HTTP %d", resp.StatusCode)
		}
	})
}

var hrefRe = regexp.MustCompile(`id="export-(csv|pdf)" href="([^"]*)"`)

// exportsOf follows the page's export links as a browser would and
// checks that the server read the period from them.
func exportsOf(t *testing.T, e *env, hc *http.Client, page, from, to string) (csvBody, pdfBody string) {
	t.Helper()
	links := hrefRe.FindAllStringSubmatch(page, -1)
	if len(links) != 2 {
		t.Fatalf("export links: %q", links)
	}
	name := "mezhved-region-" + strings.ReplaceAll(from, "-", "") + "-" + strings.ReplaceAll(to, "-", "")
	for _, l := range links {
		href := html.UnescapeString(l[2])
		if want := "/export." + l[1] + "?from=" + from + "&to=" + to; href != want {
			t.Fatalf("link %q, want %q", href, want)
		}
		resp, body := get(t, hc, e.url+href)
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), name+"."+l[1]) {
			t.Fatalf("%s: HTTP %d %q", href, resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
		if l[1] == "csv" {
			csvBody = body
		} else {
			pdfBody = body
		}
	}
	if !strings.HasPrefix(csvBody, "\ufeff") || !strings.HasPrefix(pdfBody, "%PDF-") {
		t.Fatal("exports are not a CSV and a PDF")
	}
	return csvBody, pdfBody
}

func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil || len(recs) != len(seedSettlements)+3 || len(recs[0]) != len(csvHeader) {
		t.Fatalf("csv: %d records, %v", len(recs), err)
	}
	return recs[1:]
}

// Columns of the CSV the comparisons use.
const (
	cPlace, cOKTMO, cName                          = 0, 1, 2
	cInTotal, cInTerm, cInLate, cInOverdue         = 3, 4, 5, 8
	cInShare, cDelta, cInNow                       = 10, 11, 12
	cOutTotal, cOutTerm, cOutLate, cOutOverdue     = 13, 14, 15, 18
	cOutShare, cOutNow, cLastSync, cContact, cLast = 19, 20, 21, 22, 22
)

func share(p string) string {
	if p == "" {
		return "—"
	}
	return p + " %"
}

func num(s string) string {
	n, err := strconv.Atoi(s)
	if err != nil {
		return s
	}
	return groupDigits(n)
}

// flat is text with tags dropped and every run of white space (no-break
// spaces too) one space.
func flat(s string) string {
	s = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(s, " ")
	return strings.Join(strings.Fields(strings.ReplaceAll(html.UnescapeString(s), "\u00a0", " ")), " ")
}

// checkHTMLAgainstCSV: every settlement's row of the dashboard shows the
// CSV's figures, in the CSV's order.
func checkHTMLAgainstCSV(t *testing.T, page string, recs [][]string) {
	t.Helper()
	a := strings.Index(page, `id="settlements"`)
	body := page[a:]
	body = body[strings.Index(body, "<tbody>"):strings.Index(body, "</tbody>")]
	rows := strings.Split(body, "<tr")[1:]
	if len(rows) != len(recs)-1 {
		t.Fatalf("%d dashboard rows, %d in the CSV", len(rows), len(recs)-1)
	}
	for i, rec := range recs[:len(recs)-1] {
		place := rec[cPlace]
		if place == "" {
			place = "—"
		}
		last := rec[cLastSync]
		if last == "" {
			last = "нет данных"
		}
		want := []string{place, rec[cName], rec[cOKTMO]}
		if rec[cContact] != "" {
			want = append(want, rec[cContact])
		}
		want = append(want, num(rec[cInTotal]), num(rec[cInTerm]), num(rec[cInLate]), num(rec[cInOverdue]), share(rec[cInShare]), rec[cDelta],
			num(rec[cOutTotal]), share(rec[cOutShare]), num(rec[cOutNow]), last)
		if got := flat("<tr" + rows[i]); got != flat(strings.Join(want, " ")) {
			t.Errorf("dashboard row %d:\n%s\nCSV says\n%s", i+1, got, flat(strings.Join(want, " ")))
		}
	}
}

// checkPDFAgainstCSV: the PDF's text (pdftotext) has every CSV line of
// the ranking with the same figures, the chart's shares, the quiet
// settlements and the excluded workstation.
func checkPDFAgainstCSV(t *testing.T, pdf string, recs [][]string) {
	t.Helper()
	txt := pdfText(t, []byte(pdf))
	if txt == "" {
		return
	}
	var lines []string
	for _, ln := range strings.Split(txt, "\n") {
		lines = append(lines, flat(ln))
	}
	all := strings.Join(lines, "\n")
	has := func(want string) {
		t.Helper()
		want = flat(want)
		for _, ln := range lines {
			if strings.Contains(ln, want) {
				return
			}
		}
		t.Errorf("the PDF lacks the line %q", want)
	}
	for i, rec := range recs {
		place, name, last := rec[cPlace], rec[cName], rec[cLastSync]
		if i == len(recs)-1 {
			place, last = "", ""
		} else if place == "" {
			place = "—"
		}
		if i < len(recs)-1 && last == "" {
			last = "нет данных"
		}
		has(strings.Join([]string{place, name, num(rec[cInTotal]), num(rec[cInTerm]), num(rec[cInLate]), num(rec[cInOverdue]), share(rec[cInShare]),
			rec[cDelta], num(rec[cOutTotal]), share(rec[cOutShare]), num(rec[cOutNow]), last}, " "))
		if rec[cPlace] != "" {
			has(rec[cPlace] + ". " + name + " " + share(rec[cInShare]))
		}
		if rec[cContact] != "" {
			has(name + " " + rec[cOKTMO])
			has(rec[cContact])
		}
	}
	for _, w := range []string{"ИСПОЛНЕНИЕ МЕЖВЕДОМСТВЕННЫХ ЗАПРОСОВ ПОСЕЛЕНИЯМИ", "Тестовая область", "за период с 01.01.2026 по 22.11.2026",
		"IV квартал 2025", "Наибольшие просрочки на 22.11.2026", "ws-training (учебный режим)"} {
		if !strings.Contains(all, w) {
			t.Errorf("the PDF lacks %q", w)
		}
	}
}

// checkCSVAgainstFixture: the CSV's counts are what the fixture made.
func checkCSVAgainstFixture(t *testing.T, d *seedData, recs [][]string) {
	t.Helper()
	exp := d.expect("2026-01-01", "2026-11-22")
	for _, rec := range recs[:len(recs)-1] {
		f := exp[rec[cOKTMO]]
		if f == nil {
			f = &Figures{}
		}
		got := []string{rec[cInTotal], rec[cInTerm], rec[cInLate], rec[cInOverdue], rec[cOutTotal], rec[cOutTerm], rec[cOutLate], rec[cOutOverdue]}
		want := []int{f.In.Total, f.In.InTerm, f.In.Late, f.In.Overdue, f.Out.Total, f.Out.InTerm, f.Out.Late, f.Out.Overdue}
		for i := range got {
			if got[i] != strconv.Itoa(want[i]) {
				t.Errorf("%s: CSV %v, want %v", rec[cName], got, want)
				break
			}
		}
		if rec[cInShare] != percentText(f.In) || rec[cOutShare] != percentText(f.Out) {
			t.Errorf("%s: shares %s/%s", rec[cName], rec[cInShare], rec[cOutShare])
		}
	}
}

var settlementLinkRe = regexp.MustCompile(`<a href="(/settlement/46605105\?[^"]*)">`)

// checkSettlementPage follows a settlement's link: its overdue requests by
// agency and kind of data add up to what the fixture left overdue.
func checkSettlementPage(t *testing.T, e *env, hc *http.Client, page string, d *seedData) {
	t.Helper()
	m := settlementLinkRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no link to Сосновый Бор")
	}
	resp, sp := get(t, hc, e.url+html.UnescapeString(m[1]))
	if resp.StatusCode != http.StatusOK || !strings.Contains(sp, "Сельское поселение Сосновый Бор") || !strings.Contains(sp, "нет связи 20 дней") {
		t.Fatalf("settlement page: HTTP %d", resp.StatusCode)
	}
	for _, dir := range []string{"in", "out"} {
		a := strings.Index(sp, `id="overdue-`+dir+`"`)
		if a < 0 {
			t.Fatalf("no overdue-%s table", dir)
		}
		table := sp[a : a+strings.Index(sp[a:], "</table>")]
		sum := 0
		for _, c := range regexp.MustCompile(`<td class="r warn">(\d+)</td>`).FindAllStringSubmatch(table, -1) {
			n, _ := strconv.Atoi(c[1])
			sum += n
		}
		if want := d.overdueNow(silentOKTMO, dir); sum != want || want == 0 {
			t.Errorf("%s: overdue %d, want %d", dir, sum, want)
		}
	}
	if resp, _ := get(t, hc, e.url+"/settlement/99999999"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown settlement: HTTP %d", resp.StatusCode)
	}
}
