package main

/*
#include "ck.h"
*/
import "C"

import (
	"strconv"
	"unsafe"

	"github.com/mezhved/mezhved/cmd/mezhved-pkcs11/internal/softtoken"
)

// C_Initialize starts the library: the configuration is read now (see
// softtoken.LoadConfig). The module locks with its own (OS-level) mutexes,
// whatever the application offers.
//
//export C_Initialize
func C_Initialize(pInitArgs C.CK_VOID_PTR) (rv C.CK_RV) {
	defer guard(&rv)
	if pInitArgs != nil {
		a := (*C.CK_C_INITIALIZE_ARGS)(pInitArgs)
		if a.pReserved != nil {
			return rvBadArgs
		}
		given := 0
		for _, f := range []C.CK_VOID_PTR{a.CreateMutex, a.DestroyMutex, a.LockMutex, a.UnlockMutex} {
			if f != nil {
				given++
			}
		}
		if given != 0 && given != 4 {
			return rvBadArgs
		}
	}
	return ckRV(mod.Initialize(getenv))
}

//export C_Finalize
func C_Finalize(pReserved C.CK_VOID_PTR) (rv C.CK_RV) {
	defer guard(&rv)
	if pReserved != nil {
		return rvBadArgs
	}
	return ckRV(mod.Finalize())
}

//export C_GetInfo
func C_GetInfo(pInfo *C.CK_INFO) (rv C.CK_RV) {
	defer guard(&rv)
	if pInfo == nil {
		return rvBadArgs
	}
	if _, rv := mod.SlotList(false); rv != softtoken.CKR_OK {
		return ckRV(rv)
	}
	pInfo.cryptokiVersion = C.CK_VERSION{major: 2, minor: 40}
	pad(unsafe.Pointer(&pInfo.manufacturerID[0]), 32, manuf)
	pInfo.flags = 0
	pad(unsafe.Pointer(&pInfo.libraryDescription[0]), 32, libDesc)
	pInfo.libraryVersion = C.CK_VERSION{major: 1, minor: 0}
	return rvOK
}

// ulongList answers a call that returns a list of CK_ULONGs.
func ulongList(ids []uint, p *C.CK_ULONG, pCount *C.CK_ULONG) C.CK_RV {
	if p == nil {
		*pCount = C.CK_ULONG(len(ids))
		return rvOK
	}
	if *pCount < C.CK_ULONG(len(ids)) {
		*pCount = C.CK_ULONG(len(ids))
		return C.CK_RV(softtoken.CKR_BUFFER_TOO_SMALL)
	}
	out := unsafe.Slice(p, len(ids))
	for i, id := range ids {
		out[i] = C.CK_ULONG(id)
	}
	*pCount = C.CK_ULONG(len(ids))
	return rvOK
}

//export C_GetSlotList
func C_GetSlotList(tokenPresent C.CK_BBOOL, pSlotList *C.CK_SLOT_ID, pulCount *C.CK_ULONG) (rv C.CK_RV) {
	defer guard(&rv)
	if pulCount == nil {
		return rvBadArgs
	}
	ids, r := mod.SlotList(tokenPresent != 0)
	if r != softtoken.CKR_OK {
		return ckRV(r)
	}
	return ulongList(ids, (*C.CK_ULONG)(pSlotList), pulCount)
}

//export C_GetSlotInfo
func C_GetSlotInfo(slotID C.CK_SLOT_ID, pInfo *C.CK_SLOT_INFO) (rv C.CK_RV) {
	defer guard(&rv)
	if pInfo == nil {
		return rvBadArgs
	}
	flags, r := mod.SlotFlags(uint(slotID))
	if r != softtoken.CKR_OK {
		return ckRV(r)
	}
	pad(unsafe.Pointer(&pInfo.slotDescription[0]), 64, "Mezhved soft token slot "+strconv.FormatUint(uint64(slotID), 10))
	pad(unsafe.Pointer(&pInfo.manufacturerID[0]), 32, manuf)
	pInfo.flags = C.CK_FLAGS(flags)
	pInfo.hardwareVersion = C.CK_VERSION{major: 1}
	pInfo.firmwareVersion = C.CK_VERSION{major: 1}
	return rvOK
}

//export C_GetTokenInfo
func C_GetTokenInfo(slotID C.CK_SLOT_ID, pInfo *C.CK_TOKEN_INFO) (rv C.CK_RV) {
	defer guard(&rv)
	if pInfo == nil {
		return rvBadArgs
	}
	ti, r := mod.TokenInfo(uint(slotID))
	if r != softtoken.CKR_OK {
		return ckRV(r)
	}
	pad(unsafe.Pointer(&pInfo.label[0]), 32, ti.Label)
	pad(unsafe.Pointer(&pInfo.manufacturerID[0]), 32, manuf)
	pad(unsafe.Pointer(&pInfo.model[0]), 16, tokenModel)
	pad(unsafe.Pointer(&pInfo.serialNumber[0]), 16, ti.Serial)
	pInfo.flags = C.CK_FLAGS(ti.Flags)
	pInfo.ulMaxSessionCount, pInfo.ulMaxRwSessionCount = 0, 0 // CK_EFFECTIVELY_INFINITE
	pInfo.ulSessionCount = C.CK_ULONG(ti.Sessions)
	pInfo.ulRwSessionCount = C.CK_ULONG(ti.RWSessions)
	pInfo.ulMaxPinLen, pInfo.ulMinPinLen = C.CK_ULONG(ti.MaxPINLen), C.CK_ULONG(ti.MinPINLen)
	pInfo.ulTotalPublicMemory, pInfo.ulFreePublicMemory = ulUnavail, ulUnavail
	pInfo.ulTotalPrivateMemory, pInfo.ulFreePrivateMemory = ulUnavail, ulUnavail
	pInfo.hardwareVersion = C.CK_VERSION{major: 1}
	pInfo.firmwareVersion = C.CK_VERSION{major: 1}
	pad(unsafe.Pointer(&pInfo.utcTime[0]), 16, "")
	return rvOK
}

//export C_GetMechanismList
func C_GetMechanismList(slotID C.CK_SLOT_ID, pMechanismList *C.CK_MECHANISM_TYPE, pulCount *C.CK_ULONG) (rv C.CK_RV) {
	defer guard(&rv)
	if pulCount == nil {
		return rvBadArgs
	}
	list, r := mod.MechanismList(uint(slotID))
	if r != softtoken.CKR_OK {
		return ckRV(r)
	}
	return ulongList(list, (*C.CK_ULONG)(pMechanismList), pulCount)
}

//export C_GetMechanismInfo
func C_GetMechanismInfo(slotID C.CK_SLOT_ID, typ C.CK_MECHANISM_TYPE, pInfo *C.CK_MECHANISM_INFO) (rv C.CK_RV) {
	defer guard(&rv)
	if pInfo == nil {
		return rvBadArgs
	}
	mi, r := mod.MechanismInfo(uint(slotID), uint(typ))
	if r != softtoken.CKR_OK {
		return ckRV(r)
	}
	pInfo.ulMinKeySize, pInfo.ulMaxKeySize = C.CK_ULONG(mi.MinKey), C.CK_ULONG(mi.MaxKey)
	pInfo.flags = C.CK_FLAGS(mi.Flags)
	return rvOK
}

// C_InitToken initializes the token in a slot; pLabel is 32 blank-padded bytes.
//
//export C_InitToken
func C_InitToken(slotID C.CK_SLOT_ID, pPin *C.CK_BYTE, ulPinLen C.CK_ULONG, pLabel *C.CK_BYTE) (rv C.CK_RV) {
	defer guard(&rv)
	pin, ok := goBytes(unsafe.Pointer(pPin), ulPinLen)
	if !ok || pLabel == nil {
		return rvBadArgs
	}
	defer wipe(pin)
	label := string(unsafe.Slice((*byte)(unsafe.Pointer(pLabel)), 32))
	return ckRV(mod.InitToken(uint(slotID), pin, label))
}

func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}
