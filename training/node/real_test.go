package node

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mezhved/mezhved/calendar"
	"github.com/mezhved/mezhved/internal/testtool"
	"github.com/mezhved/mezhved/templates"
)

// Every real kind of data is answered with an instance of its response
// schema, valid for our checker and for xmllint; «не найдено» comes as the
// schema says it or as a refusal with a reason.
func TestRealAnswersAreSchemaValid(t *testing.T) {
	lint := testtool.Require(t, "xmllint", "libxml2-utils")
	today := calendar.MustDate(2026, 3, 2)
	real := 0
	for _, tp := range templates.Builtin().Requests() {
		if tp.Training {
			continue
		}
		real++
		body, ps := tp.Compose(tp.Examples(), today)
		if len(ps) > 0 {
			t.Fatal(ps)
		}
		p := &provider{tmpl: tp, name: tp.Provider.Short}
		rnd := rand.New(rand.NewPCG(uint64(real), 3))
		var docs [][]byte
		for i := 0; i < 3; i++ {
			a, err := p.answerReal(body, false, rnd)
			if err != nil || a.reject != "" {
				t.Fatalf("%s: %v %+v", tp.ID, err, a)
			}
			docs = append(docs, a.content)
		}
		kinds := map[string]int{}
		for i := 0; i < 12; i++ {
			a, err := p.answerReal(body, true, rnd)
			if err != nil {
				t.Fatalf("%s: %v", tp.ID, err)
			}
			switch {
			case a.reject != "" && a.rejectText != "":
				kinds[a.reject]++
			case a.content != nil:
				kinds["not found in the answer"]++
				docs = append(docs, a.content)
			default:
				t.Fatalf("%s: empty answer", tp.ID)
			}
		}
		if len(kinds) < 2 {
			t.Errorf("%s: no variety of «не найдено»: %v", tp.ID, kinds)
		}
		main, files := tp.SchemaFiles()
		for i, d := range docs {
			if pr := tp.SchemaOf().Validate(d); len(pr) > 0 {
				t.Errorf("%s: answer %d invalid: %v", tp.ID, i, pr)
			}
		}
		if ok, out := lintAll(t, lint, main, files, docs); !ok {
			t.Errorf("%s: xmllint: %s", tp.ID, out)
		}
		if strings.HasPrefix(tp.ID, "fns-egrul") && !strings.Contains(string(docs[0]), "Луговое") && !strings.Contains(string(docs[0]), "КодОбр") {
			t.Errorf("unrealistic ЕГРЮЛ answer: %s", docs[0])
		}
	}
	if real < 12 {
		t.Fatalf("%d real kinds of data", real)
	}
}

func lintAll(t *testing.T, lint, main string, files map[string][]byte, docs [][]byte) (bool, string) {
	dir := t.TempDir()
	for p, b := range files {
		fp := filepath.Join(dir, "xsd", p)
		os.MkdirAll(filepath.Dir(fp), 0o755)
		os.WriteFile(fp, b, 0o644)
	}
	args := []string{"--noout", "--nonet", "--schema", filepath.Join(dir, "xsd", main)}
	for i, d := range docs {
		f := filepath.Join(dir, fmt.Sprintf("a%d.xml", i))
		os.WriteFile(f, d, 0o644)
		args = append(args, f)
	}
	out, err := exec.Command(lint, args...).CombinedOutput()
	return err == nil, string(out)
}
