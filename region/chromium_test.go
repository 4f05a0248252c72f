package region

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/internal/testtool"
)

// need returns the path of a tool, failing in CI and skipping locally when
// it is missing.
func need(t *testing.T, path, what string) string {
	t.Helper()
	return testtool.RequireFile(t, path, what)
}

// The dashboard as region staff see it, in Debian's Chromium. Screenshots
// go to artifacts/region/.
func TestDashboardInChromium(t *testing.T) {
	chromium := need(t, "/usr/bin/chromium", "Chromium (Debian package chromium)")
	need(t, "../frontend/node_modules/playwright-core/package.json", "playwright-core (cd frontend && npm ci)")
	node, err := exec.LookPath("node")
	if err != nil {
		need(t, "/usr/bin/node", "Node.js")
		node = "/usr/bin/node"
	}
	e, _ := dashEnv(t, sqliteStore(t))
	out, _ := filepath.Abs("../artifacts/region")
	cmd := exec.Command(node, "testdata/dashboard.mjs", e.url, out, "../frontend")
	cmd.Env = append(os.Environ(), "CHROMIUM="+chromium)
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, b)
	}
	var got struct {
		Wrong    string
		Rows     [][]string
		Ranking  []string
		Months   int
		Bars     []float64
		Overflow bool
		Clipped  []string
		CsvName  string
		Errors   []string
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	if !strings.Contains(got.Wrong, "Неверное имя пользователя или пароль") {
		t.Errorf("wrong password message %q", got.Wrong)
	}
	rep, err := BuildReport(context.Background(), e.store, Period{From: day("2026-01-01"), To: day("2026-11-22")}, e.srv.options())
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) != len(rep.Rows) {
		t.Fatalf("%d rows", len(got.Rows))
	}
	for i, row := range got.Rows {
		if r := rep.Rows[i]; len(row) < 7 || row[2] != groupDigits(r.In.Total) || row[6] != ShareText(r.In) {
			t.Errorf("row %q, want %s %s", row, groupDigits(r.In.Total), ShareText(r.In))
		}
	}
	if got.Ranking[0] != "Сельское поселение Берёзовское" || got.Ranking[len(got.Ranking)-1] != neverName {
		t.Errorf("ranking %q", got.Ranking)
	}
	if got.Months != 11 || len(got.Bars) != 11 {
		t.Errorf("%d months, %d bars", got.Months, len(got.Bars))
	}
	for _, h := range got.Bars {
		if h < 20 {
			t.Errorf("bar heights %v", got.Bars)
			break
		}
	}
	if got.Overflow {
		t.Error("the page scrolls sideways at 1024 px")
	}
	if len(got.Clipped) > 0 {
		t.Errorf("clipped cells: %q", got.Clipped)
	}
	if !strings.HasSuffix(got.CsvName, ".csv") {
		t.Errorf("download %q", got.CsvName)
	}
	if len(got.Errors) > 0 {
		t.Errorf("console errors: %q", got.Errors)
	}
	// The PDF export next to the screenshots, for a look.
	hc := staffClient(e)
	login(t, e, hc, "верный-пароль-2026")
	if resp, body := get(t, hc, e.url+"/export.pdf"); resp.StatusCode == 200 {
		os.WriteFile(filepath.Join(out, "region-statistics.pdf"), []byte(body), 0o644)
	}
	t.Logf("screenshots in %s", out)
}
