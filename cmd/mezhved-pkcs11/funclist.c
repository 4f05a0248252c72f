/*
 * The function list of the module and the functions it does not offer
 * (they answer CKR_FUNCTION_NOT_SUPPORTED, or what the specification
 * prescribes for a library without parallel functions or a seedable RNG).
 */
#include "ck.h"
#include "_cgo_export.h"

#define RV_NOT_SUPPORTED 0x54UL
#define RV_NOT_PARALLEL 0x51UL
#define RV_SEED_NOT_SUPPORTED 0x120UL
#define RV_ARGUMENTS_BAD 0x7UL

CK_RV C_GetOperationState(CK_SESSION_HANDLE h, CK_BYTE *p, CK_ULONG *n) { return RV_NOT_SUPPORTED; }
CK_RV C_SetOperationState(CK_SESSION_HANDLE h, CK_BYTE *p, CK_ULONG n, CK_OBJECT_HANDLE e, CK_OBJECT_HANDLE a) { return RV_NOT_SUPPORTED; }
CK_RV C_CopyObject(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, CK_ATTRIBUTE *t, CK_ULONG n, CK_OBJECT_HANDLE *out) { return RV_NOT_SUPPORTED; }
CK_RV C_GetObjectSize(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE o, CK_ULONG *n) { return RV_NOT_SUPPORTED; }
CK_RV C_EncryptInit(CK_SESSION_HANDLE h, CK_MECHANISM *m, CK_OBJECT_HANDLE k) { return RV_NOT_SUPPORTED; }
CK_RV C_Encrypt(CK_SESSION_HANDLE h, CK_BYTE *d, CK_ULONG n, CK_BYTE *o, CK_ULONG *on) { return RV_NOT_SUPPORTED; }
CK_RV C_EncryptUpdate(CK_SESSION_HANDLE h, CK_BYTE *d, CK_ULONG n, CK_BYTE *o, CK_ULONG *on) { return RV_NOT_SUPPORTED; }
CK_RV C_EncryptFinal(CK_SESSION_HANDLE h, CK_BYTE *o, CK_ULONG *on) { return RV_NOT_SUPPORTED; }
CK_RV C_DecryptInit(CK_SESSION_HANDLE h, CK_MECHANISM *m, CK_OBJECT_HANDLE k) { return RV_NOT_SUPPORTED; }
CK_RV C_Decrypt(CK_SESSION_HANDLE h, CK_BYTE *d, CK_ULONG n, CK_BYTE *o, CK_ULONG *on) { return RV_NOT_SUPPORTED; }
CK_RV C_DecryptUpdate(CK_SESSION_HANDLE h, CK_BYTE *d, CK_ULONG n, CK_BYTE *o, CK_ULONG *on) { return RV_NOT_SUPPORTED; }
CK_RV C_DecryptFinal(CK_SESSION_HANDLE h, CK_BYTE *o, CK_ULONG *on) { return RV_NOT_SUPPORTED; }
CK_RV C_DigestKey(CK_SESSION_HANDLE h, CK_OBJECT_HANDLE k) { return RV_NOT_SUPPORTED; }
CK_RV C_SignRecoverInit(CK_SESSION_HANDLE h, CK_MECHANISM *m, CK_OBJECT_HANDLE k) { return RV_NOT_SUPPORTED; }
CK_RV C_SignRecover(CK_SESSION_HANDLE h, CK_BYTE *d, CK_ULONG n, CK_BYTE *o, CK_ULONG *on) { return RV_NOT_SUPPORTED; }
CK_RV C_VerifyRecoverInit(CK_SESSION_HANDLE h, CK_MECHANISM *m, CK_OBJECT_HANDLE k) { return RV_NOT_SUPPORTED; }
CK_RV C_VerifyRecover(CK_SESSION_HANDLE h, CK_BYTE *d, CK_ULONG n, CK_BYTE *o, CK_ULONG *on) { return RV_NOT_SUPPORTED; }
CK_RV C_DigestEncryptUpdate(CK_SESSION_HANDLE h, CK_BYTE *d, CK_ULONG n, CK_BYTE *o, CK_ULONG *on) { return RV_NOT_SUPPORTED; }
CK_RV C_DecryptDigestUpdate(CK_SESSION_HANDLE h, CK_BYTE *d, CK_ULONG n, CK_BYTE *o, CK_ULONG *on) { return RV_NOT_SUPPORTED; }
CK_RV C_SignEncryptUpdate(CK_SESSION_HANDLE h, CK_BYTE *d, CK_ULONG n, CK_BYTE *o, CK_ULONG *on) { return RV_NOT_SUPPORTED; }
CK_RV C_DecryptVerifyUpdate(CK_SESSION_HANDLE h, CK_BYTE *d, CK_ULONG n, CK_BYTE *o, CK_ULONG *on) { return RV_NOT_SUPPORTED; }
CK_RV C_GenerateKey(CK_SESSION_HANDLE h, CK_MECHANISM *m, CK_ATTRIBUTE *t, CK_ULONG n, CK_OBJECT_HANDLE *k) { return RV_NOT_SUPPORTED; }
CK_RV C_WrapKey(CK_SESSION_HANDLE h, CK_MECHANISM *m, CK_OBJECT_HANDLE w, CK_OBJECT_HANDLE k, CK_BYTE *o, CK_ULONG *on) { return RV_NOT_SUPPORTED; }
CK_RV C_UnwrapKey(CK_SESSION_HANDLE h, CK_MECHANISM *m, CK_OBJECT_HANDLE u, CK_BYTE *w, CK_ULONG wn, CK_ATTRIBUTE *t, CK_ULONG n, CK_OBJECT_HANDLE *k) { return RV_NOT_SUPPORTED; }
CK_RV C_DeriveKey(CK_SESSION_HANDLE h, CK_MECHANISM *m, CK_OBJECT_HANDLE b, CK_ATTRIBUTE *t, CK_ULONG n, CK_OBJECT_HANDLE *k) { return RV_NOT_SUPPORTED; }
CK_RV C_SeedRandom(CK_SESSION_HANDLE h, CK_BYTE *s, CK_ULONG n) { return RV_SEED_NOT_SUPPORTED; }
CK_RV C_GetFunctionStatus(CK_SESSION_HANDLE h) { return RV_NOT_PARALLEL; }
CK_RV C_CancelFunction(CK_SESSION_HANDLE h) { return RV_NOT_PARALLEL; }
CK_RV C_WaitForSlotEvent(CK_FLAGS f, CK_SLOT_ID *s, CK_VOID_PTR r) { return RV_NOT_SUPPORTED; }

CK_RV C_GetFunctionList(CK_FUNCTION_LIST **ppFunctionList);

#define F(name) ((CK_FUNC)(name))

static CK_FUNCTION_LIST functionList = {
	{2, 40},
	{
		F(C_Initialize), F(C_Finalize), F(C_GetInfo), F(C_GetFunctionList),
		F(C_GetSlotList), F(C_GetSlotInfo), F(C_GetTokenInfo), F(C_GetMechanismList),
		F(C_GetMechanismInfo), F(C_InitToken), F(C_InitPIN), F(C_SetPIN),
		F(C_OpenSession), F(C_CloseSession), F(C_CloseAllSessions), F(C_GetSessionInfo),
		F(C_GetOperationState), F(C_SetOperationState), F(C_Login), F(C_Logout),
		F(C_CreateObject), F(C_CopyObject), F(C_DestroyObject), F(C_GetObjectSize),
		F(C_GetAttributeValue), F(C_SetAttributeValue), F(C_FindObjectsInit), F(C_FindObjects),
		F(C_FindObjectsFinal), F(C_EncryptInit), F(C_Encrypt), F(C_EncryptUpdate),
		F(C_EncryptFinal), F(C_DecryptInit), F(C_Decrypt), F(C_DecryptUpdate),
		F(C_DecryptFinal), F(C_DigestInit), F(C_Digest), F(C_DigestUpdate),
		F(C_DigestKey), F(C_DigestFinal), F(C_SignInit), F(C_Sign),
		F(C_SignUpdate), F(C_SignFinal), F(C_SignRecoverInit), F(C_SignRecover),
		F(C_VerifyInit), F(C_Verify), F(C_VerifyUpdate), F(C_VerifyFinal),
		F(C_VerifyRecoverInit), F(C_VerifyRecover), F(C_DigestEncryptUpdate), F(C_DecryptDigestUpdate),
		F(C_SignEncryptUpdate), F(C_DecryptVerifyUpdate), F(C_GenerateKey), F(C_GenerateKeyPair),
		F(C_WrapKey), F(C_UnwrapKey), F(C_DeriveKey), F(C_SeedRandom),
		F(C_GenerateRandom), F(C_GetFunctionStatus), F(C_CancelFunction), F(C_WaitForSlotEvent),
	},
};

CK_RV C_GetFunctionList(CK_FUNCTION_LIST **ppFunctionList)
{
	if (ppFunctionList == 0)
		return RV_ARGUMENTS_BAD;
	*ppFunctionList = &functionList;
	return 0;
}
