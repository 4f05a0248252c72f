package xsd

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func loadDir(t *testing.T, dir string) map[string][]byte {
	files := map[string][]byte{}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if strings.HasSuffix(p, ".xsd") {
			rel, _ := filepath.Rel(dir, p)
			files[rel], _ = os.ReadFile(p)
		}
		return nil
	})
	return files
}

func dumpP(p *Particle, ind string, depth int) {
	occ := fmt.Sprintf("[%d..%d]", p.Min, p.Max)
	switch p.Kind {
	case PElement:
		e := p.Elem
		d := strings.Join(e.Docs, " | ")
		if len(d) > 90 { d = d[:90] }
		if e.Simple != nil {
			fmt.Printf("%s%s %s :%s %s {%s} enum=%v\n", ind, e.Name.Local, occ, e.Simple.Name, d, strings.Join(flat(e.Simple.patternSrc), " "), e.Simple.EnumValues())
			return
		}
		fmt.Printf("%s%s %s :%s %s\n", ind, e.Name.Local, occ, e.Complex.Name, d)
		for _, a := range e.Complex.Attrs {
			ad := strings.Join(a.Docs, " | ")
			if len(ad) > 90 { ad = ad[:90] }
			fmt.Printf("%s  @%s req=%v :%s %s {%s} len=%v/%v/%v enum=%v\n", ind, a.Name.Local, a.Required, a.Type.Name, ad, strings.Join(flat(a.Type.patternSrc), " "), a.Type.length, a.Type.minLen, a.Type.maxLen, a.Type.EnumValues())
		}
		if e.Complex.Content != nil && depth < 8 {
			dumpP(e.Complex.Content, ind+"  ", depth+1)
		}
	case PSequence, PChoice:
		fmt.Printf("%s%s %s\n", ind, map[PKind]string{PSequence: "seq", PChoice: "choice"}[p.Kind], occ)
		for _, k := range p.Kids {
			dumpP(k, ind+"  ", depth+1)
		}
	case PAny:
		fmt.Printf("%sANY\n", ind)
	}
}

func flat(x [][]string) []string {
	var o []string
	for _, s := range x { o = append(o, s...) }
	return o
}

func TestDump(t *testing.T) {
	dir, main, root := os.Getenv("D"), os.Getenv("M"), os.Getenv("R")
	if dir == "" { t.Skip() }
	s, err := CompileSet(main, loadDir(t, dir))
	if err != nil { t.Fatal(err) }
	for n, e := range s.globals {
		if n.Local == root {
			dumpP(&Particle{Min: 1, Max: 1, Kind: PElement, Elem: e}, "", 0)
			g := &Gen{}
			b, err := g.Generate(s, n)
			fmt.Println(string(b), err)
			fmt.Println(s.Validate(b))
		}
	}
	_ = xml.Name{}
}
