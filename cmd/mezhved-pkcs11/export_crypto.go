package main

/*
#include "ck.h"
*/
import "C"

import (
	"unsafe"

	"github.com/mezhved/mezhved/cmd/mezhved-pkcs11/internal/softtoken"
)

func data(p *C.CK_BYTE, n C.CK_ULONG) ([]byte, bool) { return goBytes(unsafe.Pointer(p), n) }

//export C_DigestInit
func C_DigestInit(hSession C.CK_SESSION_HANDLE, pMechanism *C.CK_MECHANISM) (rv C.CK_RV) {
	defer guard(&rv)
	mech, param, ok := mechanism(pMechanism)
	if !ok {
		return rvBadArgs
	}
	return ckRV(mod.DigestInit(uint(hSession), mech, param))
}

//export C_Digest
func C_Digest(hSession C.CK_SESSION_HANDLE, pData *C.CK_BYTE, ulDataLen C.CK_ULONG, pDigest *C.CK_BYTE, pulDigestLen *C.CK_ULONG) (rv C.CK_RV) {
	defer guard(&rv)
	in, ok := data(pData, ulDataLen)
	if !ok || pulDigestLen == nil {
		return rvBadArgs
	}
	out := unsafe.Pointer(pDigest)
	res, need, r := mod.Digest(uint(hSession), in, outSpec(out, pulDigestLen))
	return output(res, need, r, out, pulDigestLen)
}

//export C_DigestUpdate
func C_DigestUpdate(hSession C.CK_SESSION_HANDLE, pPart *C.CK_BYTE, ulPartLen C.CK_ULONG) (rv C.CK_RV) {
	defer guard(&rv)
	in, ok := data(pPart, ulPartLen)
	if !ok {
		return rvBadArgs
	}
	return ckRV(mod.DigestUpdate(uint(hSession), in))
}

//export C_DigestFinal
func C_DigestFinal(hSession C.CK_SESSION_HANDLE, pDigest *C.CK_BYTE, pulDigestLen *C.CK_ULONG) (rv C.CK_RV) {
	defer guard(&rv)
	if pulDigestLen == nil {
		return rvBadArgs
	}
	out := unsafe.Pointer(pDigest)
	res, need, r := mod.Digest(uint(hSession), nil, outSpec(out, pulDigestLen))
	return output(res, need, r, out, pulDigestLen)
}

//export C_SignInit
func C_SignInit(hSession C.CK_SESSION_HANDLE, pMechanism *C.CK_MECHANISM, hKey C.CK_OBJECT_HANDLE) (rv C.CK_RV) {
	defer guard(&rv)
	mech, param, ok := mechanism(pMechanism)
	if !ok {
		return rvBadArgs
	}
	return ckRV(mod.SignInit(uint(hSession), mech, param, uint(hKey)))
}

//export C_Sign
func C_Sign(hSession C.CK_SESSION_HANDLE, pData *C.CK_BYTE, ulDataLen C.CK_ULONG, pSignature *C.CK_BYTE, pulSignatureLen *C.CK_ULONG) (rv C.CK_RV) {
	defer guard(&rv)
	in, ok := data(pData, ulDataLen)
	if !ok || pulSignatureLen == nil {
		return rvBadArgs
	}
	out := unsafe.Pointer(pSignature)
	res, need, r := mod.Sign(uint(hSession), in, outSpec(out, pulSignatureLen))
	return output(res, need, r, out, pulSignatureLen)
}

//export C_SignUpdate
func C_SignUpdate(hSession C.CK_SESSION_HANDLE, pPart *C.CK_BYTE, ulPartLen C.CK_ULONG) (rv C.CK_RV) {
	defer guard(&rv)
	in, ok := data(pPart, ulPartLen)
	if !ok {
		return rvBadArgs
	}
	return ckRV(mod.SignUpdate(uint(hSession), in))
}

//export C_SignFinal
func C_SignFinal(hSession C.CK_SESSION_HANDLE, pSignature *C.CK_BYTE, pulSignatureLen *C.CK_ULONG) (rv C.CK_RV) {
	defer guard(&rv)
	if pulSignatureLen == nil {
		return rvBadArgs
	}
	out := unsafe.Pointer(pSignature)
	res, need, r := mod.Sign(uint(hSession), nil, outSpec(out, pulSignatureLen))
	return output(res, need, r, out, pulSignatureLen)
}

//export C_VerifyInit
func C_VerifyInit(hSession C.CK_SESSION_HANDLE, pMechanism *C.CK_MECHANISM, hKey C.CK_OBJECT_HANDLE) (rv C.CK_RV) {
	defer guard(&rv)
	mech, param, ok := mechanism(pMechanism)
	if !ok {
		return rvBadArgs
	}
	return ckRV(mod.VerifyInit(uint(hSession), mech, param, uint(hKey)))
}

//export C_Verify
func C_Verify(hSession C.CK_SESSION_HANDLE, pData *C.CK_BYTE, ulDataLen C.CK_ULONG, pSignature *C.CK_BYTE, ulSignatureLen C.CK_ULONG) (rv C.CK_RV) {
	defer guard(&rv)
	in, ok1 := data(pData, ulDataLen)
	sig, ok2 := data(pSignature, ulSignatureLen)
	if !ok1 || !ok2 {
		return rvBadArgs
	}
	return ckRV(mod.Verify(uint(hSession), in, sig))
}

//export C_VerifyUpdate
func C_VerifyUpdate(hSession C.CK_SESSION_HANDLE, pPart *C.CK_BYTE, ulPartLen C.CK_ULONG) (rv C.CK_RV) {
	defer guard(&rv)
	in, ok := data(pPart, ulPartLen)
	if !ok {
		return rvBadArgs
	}
	return ckRV(mod.VerifyUpdate(uint(hSession), in))
}

//export C_VerifyFinal
func C_VerifyFinal(hSession C.CK_SESSION_HANDLE, pSignature *C.CK_BYTE, ulSignatureLen C.CK_ULONG) (rv C.CK_RV) {
	defer guard(&rv)
	sig, ok := data(pSignature, ulSignatureLen)
	if !ok {
		return rvBadArgs
	}
	return ckRV(mod.Verify(uint(hSession), nil, sig))
}

//export C_GenerateKeyPair
func C_GenerateKeyPair(hSession C.CK_SESSION_HANDLE, pMechanism *C.CK_MECHANISM,
	pPublicKeyTemplate *C.CK_ATTRIBUTE, ulPublicKeyAttributeCount C.CK_ULONG,
	pPrivateKeyTemplate *C.CK_ATTRIBUTE, ulPrivateKeyAttributeCount C.CK_ULONG,
	phPublicKey, phPrivateKey *C.CK_OBJECT_HANDLE) (rv C.CK_RV) {
	defer guard(&rv)
	mech, _, ok := mechanism(pMechanism)
	pub, ok1 := template(pPublicKeyTemplate, ulPublicKeyAttributeCount)
	priv, ok2 := template(pPrivateKeyTemplate, ulPrivateKeyAttributeCount)
	if !ok || !ok1 || !ok2 || phPublicKey == nil || phPrivateKey == nil {
		return rvBadArgs
	}
	ph, qh, r := mod.GenerateKeyPair(uint(hSession), mech, pub, priv)
	if r == softtoken.CKR_OK {
		*phPublicKey, *phPrivateKey = C.CK_OBJECT_HANDLE(ph), C.CK_OBJECT_HANDLE(qh)
	}
	return ckRV(r)
}
