/*
 * The PKCS#11 (Cryptoki v2.40) types the module's C interface needs, written
 * for Mezhved from the specification's definitions: only what this module
 * uses. Structures are packed to 1 byte on Windows and natural elsewhere,
 * as the specification requires of every Cryptoki library.
 */
#ifndef MEZHVED_CK_H
#define MEZHVED_CK_H

#ifdef _WIN32
#pragma pack(push, 1)
#endif

typedef unsigned char CK_BYTE;
typedef CK_BYTE CK_BBOOL;
typedef unsigned long CK_ULONG;
typedef CK_ULONG CK_RV;
typedef CK_ULONG CK_FLAGS;
typedef CK_ULONG CK_SLOT_ID;
typedef CK_ULONG CK_SESSION_HANDLE;
typedef CK_ULONG CK_OBJECT_HANDLE;
typedef CK_ULONG CK_MECHANISM_TYPE;
typedef CK_ULONG CK_ATTRIBUTE_TYPE;
typedef CK_ULONG CK_USER_TYPE;
typedef void *CK_VOID_PTR;

typedef struct CK_VERSION {
	CK_BYTE major;
	CK_BYTE minor;
} CK_VERSION;

typedef struct CK_INFO {
	CK_VERSION cryptokiVersion;
	CK_BYTE manufacturerID[32];
	CK_FLAGS flags;
	CK_BYTE libraryDescription[32];
	CK_VERSION libraryVersion;
} CK_INFO;

typedef struct CK_SLOT_INFO {
	CK_BYTE slotDescription[64];
	CK_BYTE manufacturerID[32];
	CK_FLAGS flags;
	CK_VERSION hardwareVersion;
	CK_VERSION firmwareVersion;
} CK_SLOT_INFO;

typedef struct CK_TOKEN_INFO {
	CK_BYTE label[32];
	CK_BYTE manufacturerID[32];
	CK_BYTE model[16];
	CK_BYTE serialNumber[16];
	CK_FLAGS flags;
	CK_ULONG ulMaxSessionCount;
	CK_ULONG ulSessionCount;
	CK_ULONG ulMaxRwSessionCount;
	CK_ULONG ulRwSessionCount;
	CK_ULONG ulMaxPinLen;
	CK_ULONG ulMinPinLen;
	CK_ULONG ulTotalPublicMemory;
	CK_ULONG ulFreePublicMemory;
	CK_ULONG ulTotalPrivateMemory;
	CK_ULONG ulFreePrivateMemory;
	CK_VERSION hardwareVersion;
	CK_VERSION firmwareVersion;
	CK_BYTE utcTime[16];
} CK_TOKEN_INFO;

typedef struct CK_SESSION_INFO {
	CK_SLOT_ID slotID;
	CK_ULONG state;
	CK_FLAGS flags;
	CK_ULONG ulDeviceError;
} CK_SESSION_INFO;

typedef struct CK_ATTRIBUTE {
	CK_ATTRIBUTE_TYPE type;
	CK_VOID_PTR pValue;
	CK_ULONG ulValueLen;
} CK_ATTRIBUTE;

typedef struct CK_MECHANISM {
	CK_MECHANISM_TYPE mechanism;
	CK_VOID_PTR pParameter;
	CK_ULONG ulParameterLen;
} CK_MECHANISM;

typedef struct CK_MECHANISM_INFO {
	CK_ULONG ulMinKeySize;
	CK_ULONG ulMaxKeySize;
	CK_FLAGS flags;
} CK_MECHANISM_INFO;

typedef struct CK_C_INITIALIZE_ARGS {
	CK_VOID_PTR CreateMutex;
	CK_VOID_PTR DestroyMutex;
	CK_VOID_PTR LockMutex;
	CK_VOID_PTR UnlockMutex;
	CK_FLAGS flags;
	CK_VOID_PTR pReserved;
} CK_C_INITIALIZE_ARGS;

/* The function list: the version, then one pointer per function in the
 * specification's order (68 of them). The module fills every entry; the
 * types of the pointers do not matter to a caller's ABI, so they are
 * declared as one generic type. */
typedef CK_RV (*CK_FUNC)(void);

typedef struct CK_FUNCTION_LIST {
	CK_VERSION version;
	CK_FUNC f[68];
} CK_FUNCTION_LIST;

#ifdef _WIN32
#pragma pack(pop)
#endif

#endif
