package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/mezhved/mezhved/cmd/mezhved-pkcs11/internal/softtoken"
)

// TestModuleExportsGuarded: each exported C function defers guard first and
// names its result rv, so a panic anywhere under it is CKR_GENERAL_ERROR.
func TestModuleExportsGuarded(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Doc == nil || !hasExport(fn) {
				continue
			}
			n++
			res := fn.Type.Results
			if res == nil || len(res.List) != 1 || len(res.List[0].Names) != 1 || res.List[0].Names[0].Name != "rv" {
				t.Errorf("%s: result is not named rv", fn.Name.Name)
				continue
			}
			def, ok := fn.Body.List[0].(*ast.DeferStmt)
			if !ok || types(def.Call.Fun) != "guard" {
				t.Errorf("%s: does not begin with defer guard(&rv)", fn.Name.Name)
			}
		}
	}
	if n < 38 {
		t.Fatalf("%d exported functions found", n)
	}
}

func hasExport(fn *ast.FuncDecl) bool {
	for _, c := range fn.Doc.List {
		if strings.HasPrefix(c.Text, "//export ") {
			return true
		}
	}
	return false
}

func types(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// TestModulePanicIsGeneralError: a fault under an entry point (here a write
// through a bad pointer) is answered with CKR_GENERAL_ERROR. The bad
// pointer is made on purpose, so the race build's pointer checks are off
// for this function (go:nocheckptr).
//
//go:nocheckptr
func TestModulePanicIsGeneralError(t *testing.T) {
	fn := reflect.ValueOf(C_GetInfo)
	bad := reflect.NewAt(fn.Type().In(0).Elem(), unsafe.Add(unsafe.Pointer(nil), 8))
	initArgs := reflect.Zero(reflect.TypeOf(C_Initialize).In(0))
	t.Setenv(softtoken.EnvDir, t.TempDir())
	if rv := reflect.ValueOf(C_Initialize).Call([]reflect.Value{initArgs})[0].Uint(); rv != 0 {
		t.Fatalf("C_Initialize: %#x", rv)
	}
	defer C_Finalize(nil)
	if rv := fn.Call([]reflect.Value{bad})[0].Uint(); rv != uint64(softtoken.CKR_GENERAL_ERROR) {
		t.Fatalf("rv %#x, want CKR_GENERAL_ERROR", rv)
	}
}
