package main

/*
#include "ck.h"
*/
import "C"

import (
	"unsafe"

	"github.com/mezhved/mezhved/cmd/mezhved-pkcs11/internal/softtoken"
)

//export C_InitPIN
func C_InitPIN(hSession C.CK_SESSION_HANDLE, pPin *C.CK_BYTE, ulPinLen C.CK_ULONG) (rv C.CK_RV) {
	defer guard(&rv)
	pin, ok := goBytes(unsafe.Pointer(pPin), ulPinLen)
	if !ok {
		return rvBadArgs
	}
	defer wipe(pin)
	return ckRV(mod.InitPIN(uint(hSession), pin))
}

//export C_SetPIN
func C_SetPIN(hSession C.CK_SESSION_HANDLE, pOldPin *C.CK_BYTE, ulOldLen C.CK_ULONG, pNewPin *C.CK_BYTE, ulNewLen C.CK_ULONG) (rv C.CK_RV) {
	defer guard(&rv)
	oldPIN, ok1 := goBytes(unsafe.Pointer(pOldPin), ulOldLen)
	newPIN, ok2 := goBytes(unsafe.Pointer(pNewPin), ulNewLen)
	defer wipe(oldPIN)
	defer wipe(newPIN)
	if !ok1 || !ok2 {
		return rvBadArgs
	}
	return ckRV(mod.SetPIN(uint(hSession), oldPIN, newPIN))
}

// C_OpenSession opens a session; notifications are not sent (Notify unused).
//
//export C_OpenSession
func C_OpenSession(slotID C.CK_SLOT_ID, flags C.CK_FLAGS, pApplication C.CK_VOID_PTR, Notify C.CK_VOID_PTR, phSession *C.CK_SESSION_HANDLE) (rv C.CK_RV) {
	defer guard(&rv)
	if phSession == nil {
		return rvBadArgs
	}
	h, r := mod.OpenSession(uint(slotID), uint(flags))
	if r == softtoken.CKR_OK {
		*phSession = C.CK_SESSION_HANDLE(h)
	}
	return ckRV(r)
}

//export C_CloseSession
func C_CloseSession(hSession C.CK_SESSION_HANDLE) (rv C.CK_RV) {
	defer guard(&rv)
	return ckRV(mod.CloseSession(uint(hSession)))
}

//export C_CloseAllSessions
func C_CloseAllSessions(slotID C.CK_SLOT_ID) (rv C.CK_RV) {
	defer guard(&rv)
	return ckRV(mod.CloseAllSessions(uint(slotID)))
}

//export C_GetSessionInfo
func C_GetSessionInfo(hSession C.CK_SESSION_HANDLE, pInfo *C.CK_SESSION_INFO) (rv C.CK_RV) {
	defer guard(&rv)
	if pInfo == nil {
		return rvBadArgs
	}
	si, r := mod.SessionInfo(uint(hSession))
	if r != softtoken.CKR_OK {
		return ckRV(r)
	}
	pInfo.slotID = C.CK_SLOT_ID(si.Slot)
	pInfo.state = C.CK_ULONG(si.State)
	pInfo.flags = C.CK_FLAGS(si.Flags)
	pInfo.ulDeviceError = 0
	return rvOK
}

//export C_Login
func C_Login(hSession C.CK_SESSION_HANDLE, userType C.CK_USER_TYPE, pPin *C.CK_BYTE, ulPinLen C.CK_ULONG) (rv C.CK_RV) {
	defer guard(&rv)
	pin, ok := goBytes(unsafe.Pointer(pPin), ulPinLen)
	if !ok {
		return rvBadArgs
	}
	defer wipe(pin)
	return ckRV(mod.Login(uint(hSession), uint(userType), pin))
}

//export C_Logout
func C_Logout(hSession C.CK_SESSION_HANDLE) (rv C.CK_RV) {
	defer guard(&rv)
	return ckRV(mod.Logout(uint(hSession)))
}

//export C_GenerateRandom
func C_GenerateRandom(hSession C.CK_SESSION_HANDLE, pRandomData *C.CK_BYTE, ulRandomLen C.CK_ULONG) (rv C.CK_RV) {
	defer guard(&rv)
	if (pRandomData == nil && ulRandomLen > 0) || ulRandomLen > maxValue {
		return rvBadArgs
	}
	b, r := mod.GenerateRandom(uint(hSession), int(ulRandomLen))
	if r == softtoken.CKR_OK && len(b) > 0 {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(pRandomData)), len(b)), b)
	}
	return ckRV(r)
}
