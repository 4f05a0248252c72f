// Command mezhved-pkcs11 is Mezhved's GOST software token: a PKCS#11
// (Cryptoki 2.40) library built with
//
//	go build -buildmode=c-shared -o libmezhved-pkcs11.so ./cmd/mezhved-pkcs11
//
// on the project's GOST code, for the training contour and for tests, as
// SoftHSM is for RSA. It is not a certified crypto tool (СКЗИ): its keys
// are sealed under the PIN in files (see README.md for where, how, and
// what pkcs11-tool does with it).
//
// This package is only the C interface: it converts the arguments and
// calls package softtoken, where the token is. Every entry point recovers
// from a Go panic and answers CKR_GENERAL_ERROR (see guard).
package main

/*
#include "ck.h"
*/
import "C"

import (
	"unicode/utf8"
	"unsafe"

	"github.com/mezhved/mezhved/cmd/mezhved-pkcs11/internal/softtoken"
)

func main() {}

// mod is the module's one token library.
var mod softtoken.Module

// Bounds on what a caller hands in: a template, an attribute or data.
const (
	maxTemplate = 1024
	maxValue    = 64 << 20
)

func init() {
	if unsafe.Sizeof(C.CK_ULONG(0)) != softtoken.ULongSize {
		panic("mezhved-pkcs11: CK_ULONG size mismatch")
	}
}

// guard turns a panic into CKR_GENERAL_ERROR; every exported function
// defers it first (guard_test.go checks).
func guard(rv *C.CK_RV) {
	if r := recover(); r != nil {
		*rv = C.CK_RV(softtoken.CKR_GENERAL_ERROR)
	}
}

func ckRV(rv softtoken.RV) C.CK_RV { return C.CK_RV(rv) }

const (
	rvOK       = C.CK_RV(softtoken.CKR_OK)
	rvBadArgs  = C.CK_RV(softtoken.CKR_ARGUMENTS_BAD)
	ulUnavail  = ^C.CK_ULONG(0)
	ckTrue     = C.CK_BBOOL(1)
	manuf      = "Mezhved"
	libDesc    = "Mezhved GOST soft token"
	tokenModel = "SoftToken GOST"
)

// goBytes copies n bytes the caller gave at p (nil with n 0 is empty).
func goBytes(p unsafe.Pointer, n C.CK_ULONG) ([]byte, bool) {
	if n == 0 {
		return []byte{}, true
	}
	if p == nil || n > maxValue {
		return nil, false
	}
	return append([]byte{}, unsafe.Slice((*byte)(p), int(n))...), true
}

// pad writes s into a blank-padded fixed-size field, cut at a rune boundary.
func pad(dst unsafe.Pointer, size int, s string) {
	b := unsafe.Slice((*byte)(dst), size)
	for i := range b {
		b[i] = ' '
	}
	for len(s) > size {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	copy(b, s)
}

// output answers a call that returns bytes into (p, *pLen), the PKCS#11
// way: p nil asks the length, a short buffer gets CKR_BUFFER_TOO_SMALL.
func output(res []byte, need int, rv softtoken.RV, p unsafe.Pointer, pLen *C.CK_ULONG) C.CK_RV {
	switch rv {
	case softtoken.CKR_OK:
		if p == nil {
			*pLen = C.CK_ULONG(need)
			break
		}
		copy(unsafe.Slice((*byte)(p), len(res)), res)
		*pLen = C.CK_ULONG(len(res))
	case softtoken.CKR_BUFFER_TOO_SMALL:
		*pLen = C.CK_ULONG(need)
	}
	return ckRV(rv)
}

func outSpec(p unsafe.Pointer, pLen *C.CK_ULONG) softtoken.Out {
	if p == nil {
		return softtoken.Out{Query: true}
	}
	return softtoken.Out{Cap: int(min(*pLen, C.CK_ULONG(maxValue)))}
}

// template reads a caller's template (values copied).
func template(p *C.CK_ATTRIBUTE, n C.CK_ULONG) ([]softtoken.Attr, bool) {
	if n == 0 {
		return nil, true
	}
	if p == nil || n > maxTemplate {
		return nil, false
	}
	in := unsafe.Slice(p, int(n))
	out := make([]softtoken.Attr, len(in))
	for i, a := range in {
		v, ok := goBytes(unsafe.Pointer(a.pValue), a.ulValueLen)
		if !ok {
			return nil, false
		}
		out[i] = softtoken.Attr{Type: uint(a._type), Value: v}
	}
	return out, true
}

// mechanism reads a CK_MECHANISM.
func mechanism(p *C.CK_MECHANISM) (uint, []byte, bool) {
	if p == nil {
		return 0, nil, false
	}
	param, ok := goBytes(unsafe.Pointer(p.pParameter), p.ulParameterLen)
	return uint(p.mechanism), param, ok
}
