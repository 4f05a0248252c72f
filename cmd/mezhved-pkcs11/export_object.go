package main

/*
#include "ck.h"
*/
import "C"

import (
	"unsafe"

	"github.com/mezhved/mezhved/cmd/mezhved-pkcs11/internal/softtoken"
)

//export C_CreateObject
func C_CreateObject(hSession C.CK_SESSION_HANDLE, pTemplate *C.CK_ATTRIBUTE, ulCount C.CK_ULONG, phObject *C.CK_OBJECT_HANDLE) (rv C.CK_RV) {
	defer guard(&rv)
	t, ok := template(pTemplate, ulCount)
	if !ok || phObject == nil {
		return rvBadArgs
	}
	defer wipeTemplate(t)
	h, r := mod.CreateObject(uint(hSession), t)
	if r == softtoken.CKR_OK {
		*phObject = C.CK_OBJECT_HANDLE(h)
	}
	return ckRV(r)
}

// wipeTemplate clears the copies of a template's values (a private key's
// value among them).
func wipeTemplate(t []softtoken.Attr) {
	for _, a := range t {
		wipe(a.Value)
	}
}

//export C_DestroyObject
func C_DestroyObject(hSession C.CK_SESSION_HANDLE, hObject C.CK_OBJECT_HANDLE) (rv C.CK_RV) {
	defer guard(&rv)
	return ckRV(mod.DestroyObject(uint(hSession), uint(hObject)))
}

// C_GetAttributeValue reads attributes by the specification's rules: every
// attribute is answered; one that is sensitive, unknown or does not fit
// gets CK_UNAVAILABLE_INFORMATION and its error is the call's.
//
//export C_GetAttributeValue
func C_GetAttributeValue(hSession C.CK_SESSION_HANDLE, hObject C.CK_OBJECT_HANDLE, pTemplate *C.CK_ATTRIBUTE, ulCount C.CK_ULONG) (rv C.CK_RV) {
	defer guard(&rv)
	if (pTemplate == nil && ulCount > 0) || ulCount > maxTemplate {
		return rvBadArgs
	}
	attrs := unsafe.Slice(pTemplate, int(ulCount))
	types := make([]uint, len(attrs))
	for i, a := range attrs {
		types[i] = uint(a._type)
	}
	vals, r := mod.GetAttributes(uint(hSession), uint(hObject), types)
	if r != softtoken.CKR_OK {
		return ckRV(r)
	}
	res := rvOK
	for i := range attrs {
		a, v := &attrs[i], vals[i]
		switch {
		case v.RV != softtoken.CKR_OK:
			a.ulValueLen, res = ulUnavail, ckRV(v.RV)
		case a.pValue == nil:
			a.ulValueLen = C.CK_ULONG(len(v.Value))
		case a.ulValueLen < C.CK_ULONG(len(v.Value)):
			a.ulValueLen, res = ulUnavail, C.CK_RV(softtoken.CKR_BUFFER_TOO_SMALL)
		default:
			copy(unsafe.Slice((*byte)(a.pValue), len(v.Value)), v.Value)
			a.ulValueLen = C.CK_ULONG(len(v.Value))
		}
	}
	return res
}

//export C_SetAttributeValue
func C_SetAttributeValue(hSession C.CK_SESSION_HANDLE, hObject C.CK_OBJECT_HANDLE, pTemplate *C.CK_ATTRIBUTE, ulCount C.CK_ULONG) (rv C.CK_RV) {
	defer guard(&rv)
	t, ok := template(pTemplate, ulCount)
	if !ok {
		return rvBadArgs
	}
	return ckRV(mod.SetAttributes(uint(hSession), uint(hObject), t))
}

//export C_FindObjectsInit
func C_FindObjectsInit(hSession C.CK_SESSION_HANDLE, pTemplate *C.CK_ATTRIBUTE, ulCount C.CK_ULONG) (rv C.CK_RV) {
	defer guard(&rv)
	t, ok := template(pTemplate, ulCount)
	if !ok {
		return rvBadArgs
	}
	return ckRV(mod.FindInit(uint(hSession), t))
}

//export C_FindObjects
func C_FindObjects(hSession C.CK_SESSION_HANDLE, phObject *C.CK_OBJECT_HANDLE, ulMaxObjectCount C.CK_ULONG, pulObjectCount *C.CK_ULONG) (rv C.CK_RV) {
	defer guard(&rv)
	if pulObjectCount == nil || (phObject == nil && ulMaxObjectCount > 0) {
		return rvBadArgs
	}
	hs, r := mod.Find(uint(hSession), int(min(ulMaxObjectCount, maxTemplate)))
	if r != softtoken.CKR_OK {
		return ckRV(r)
	}
	if len(hs) > 0 {
		out := unsafe.Slice(phObject, len(hs))
		for i, h := range hs {
			out[i] = C.CK_OBJECT_HANDLE(h)
		}
	}
	*pulObjectCount = C.CK_ULONG(len(hs))
	return rvOK
}

//export C_FindObjectsFinal
func C_FindObjectsFinal(hSession C.CK_SESSION_HANDLE) (rv C.CK_RV) {
	defer guard(&rv)
	return ckRV(mod.FindFinal(uint(hSession)))
}
