package softtoken

// PKCS#11 numbers this token uses, written here from the specification
// (v2.40; the OASIS headers of 3.0, 3.1 and 3.2 add no GOST R 34.10-2012 or
// 34.11-2012 numbers) and TC26's "PKCS#11 extensions for GOST R 34.10-2012
// and GOST R 34.11-2012" (the vendor range 0xD4321000 that Rutoken, JaCarta
// and OpenSC use). ck_test.go checks them against miekg/pkcs11.

// RV is a CK_RV.
type RV uint

// Return values.
const (
	CKR_OK                             RV = 0x000
	CKR_HOST_MEMORY                    RV = 0x002
	CKR_SLOT_ID_INVALID                RV = 0x003
	CKR_GENERAL_ERROR                  RV = 0x005
	CKR_FUNCTION_FAILED                RV = 0x006
	CKR_ARGUMENTS_BAD                  RV = 0x007
	CKR_ATTRIBUTE_READ_ONLY            RV = 0x010
	CKR_ATTRIBUTE_SENSITIVE            RV = 0x011
	CKR_ATTRIBUTE_TYPE_INVALID         RV = 0x012
	CKR_ATTRIBUTE_VALUE_INVALID        RV = 0x013
	CKR_ACTION_PROHIBITED              RV = 0x01B
	CKR_DATA_LEN_RANGE                 RV = 0x021
	CKR_DEVICE_ERROR                   RV = 0x030
	CKR_DEVICE_MEMORY                  RV = 0x031
	CKR_DEVICE_REMOVED                 RV = 0x032
	CKR_FUNCTION_NOT_PARALLEL          RV = 0x051
	CKR_FUNCTION_NOT_SUPPORTED         RV = 0x054
	CKR_KEY_HANDLE_INVALID             RV = 0x060
	CKR_KEY_TYPE_INCONSISTENT          RV = 0x063
	CKR_KEY_FUNCTION_NOT_PERMITTED     RV = 0x068
	CKR_MECHANISM_INVALID              RV = 0x070
	CKR_MECHANISM_PARAM_INVALID        RV = 0x071
	CKR_OBJECT_HANDLE_INVALID          RV = 0x082
	CKR_OPERATION_ACTIVE               RV = 0x090
	CKR_OPERATION_NOT_INITIALIZED      RV = 0x091
	CKR_PIN_INCORRECT                  RV = 0x0A0
	CKR_PIN_INVALID                    RV = 0x0A1
	CKR_PIN_LEN_RANGE                  RV = 0x0A2
	CKR_PIN_LOCKED                     RV = 0x0A4
	CKR_SESSION_HANDLE_INVALID         RV = 0x0B3
	CKR_SESSION_PARALLEL_NOT_SUPPORTED RV = 0x0B4
	CKR_SESSION_READ_ONLY              RV = 0x0B5
	CKR_SESSION_EXISTS                 RV = 0x0B6
	CKR_SESSION_READ_ONLY_EXISTS       RV = 0x0B7
	CKR_SESSION_READ_WRITE_SO_EXISTS   RV = 0x0B8
	CKR_SIGNATURE_INVALID              RV = 0x0C0
	CKR_SIGNATURE_LEN_RANGE            RV = 0x0C1
	CKR_TEMPLATE_INCOMPLETE            RV = 0x0D0
	CKR_TEMPLATE_INCONSISTENT          RV = 0x0D1
	CKR_TOKEN_NOT_PRESENT              RV = 0x0E0
	CKR_TOKEN_NOT_RECOGNIZED           RV = 0x0E1
	CKR_USER_ALREADY_LOGGED_IN         RV = 0x100
	CKR_USER_NOT_LOGGED_IN             RV = 0x101
	CKR_USER_PIN_NOT_INITIALIZED       RV = 0x102
	CKR_USER_TYPE_INVALID              RV = 0x103
	CKR_USER_ANOTHER_ALREADY_LOGGED_IN RV = 0x104
	CKR_RANDOM_SEED_NOT_SUPPORTED      RV = 0x120
	CKR_BUFFER_TOO_SMALL               RV = 0x150
	CKR_CRYPTOKI_NOT_INITIALIZED       RV = 0x190
	CKR_CRYPTOKI_ALREADY_INITIALIZED   RV = 0x191
)

// Object classes, certificate and key types.
const (
	CKO_DATA        uint = 0
	CKO_CERTIFICATE uint = 1
	CKO_PUBLIC_KEY  uint = 2
	CKO_PRIVATE_KEY uint = 3

	CKC_X_509 uint = 0

	// CKK_GOSTR3410 is the standard GOST R 34.10 key type; TC26 uses it for
	// 2012-256 keys too (CKK_GOSTR3410_256).
	CKK_GOSTR3410 uint = 0x30
)

// Attribute types.
const (
	CKA_CLASS                uint = 0x000
	CKA_TOKEN                uint = 0x001
	CKA_PRIVATE              uint = 0x002
	CKA_LABEL                uint = 0x003
	CKA_APPLICATION          uint = 0x010
	CKA_VALUE                uint = 0x011
	CKA_OBJECT_ID            uint = 0x012
	CKA_CERTIFICATE_TYPE     uint = 0x080
	CKA_ISSUER               uint = 0x081
	CKA_SERIAL_NUMBER        uint = 0x082
	CKA_TRUSTED              uint = 0x086
	CKA_CERTIFICATE_CATEGORY uint = 0x087
	CKA_URL                  uint = 0x089
	CKA_HASH_OF_SUBJECT_PK   uint = 0x08A
	CKA_HASH_OF_ISSUER_PK    uint = 0x08B
	CKA_CHECK_VALUE          uint = 0x090
	CKA_KEY_TYPE             uint = 0x100
	CKA_SUBJECT              uint = 0x101
	CKA_ID                   uint = 0x102
	CKA_SENSITIVE            uint = 0x103
	CKA_ENCRYPT              uint = 0x104
	CKA_DECRYPT              uint = 0x105
	CKA_WRAP                 uint = 0x106
	CKA_UNWRAP               uint = 0x107
	CKA_SIGN                 uint = 0x108
	CKA_SIGN_RECOVER         uint = 0x109
	CKA_VERIFY               uint = 0x10A
	CKA_VERIFY_RECOVER       uint = 0x10B
	CKA_DERIVE               uint = 0x10C
	CKA_START_DATE           uint = 0x110
	CKA_END_DATE             uint = 0x111
	CKA_EXTRACTABLE          uint = 0x162
	CKA_LOCAL                uint = 0x163
	CKA_NEVER_EXTRACTABLE    uint = 0x164
	CKA_ALWAYS_SENSITIVE     uint = 0x165
	CKA_KEY_GEN_MECHANISM    uint = 0x166
	CKA_MODIFIABLE           uint = 0x170
	CKA_COPYABLE             uint = 0x171
	CKA_DESTROYABLE          uint = 0x172
	CKA_ALWAYS_AUTHENTICATE  uint = 0x202
	CKA_WRAP_WITH_TRUSTED    uint = 0x210
	CKA_GOSTR3410_PARAMS     uint = 0x250
	CKA_GOSTR3411_PARAMS     uint = 0x251
	CKA_GOST28147_PARAMS     uint = 0x252
	CKA_ALLOWED_MECHANISMS   uint = 0x40000600
)

// Users, session states and flags.
const (
	CKU_SO               uint = 0
	CKU_USER             uint = 1
	CKU_CONTEXT_SPECIFIC uint = 2

	CKS_RO_PUBLIC_SESSION uint = 0
	CKS_RO_USER_FUNCTIONS uint = 1
	CKS_RW_PUBLIC_SESSION uint = 2
	CKS_RW_USER_FUNCTIONS uint = 3
	CKS_RW_SO_FUNCTIONS   uint = 4

	CKF_RW_SESSION     uint = 0x2
	CKF_SERIAL_SESSION uint = 0x4

	CKF_TOKEN_PRESENT    uint = 0x1
	CKF_REMOVABLE_DEVICE uint = 0x2

	CKF_RNG                  uint = 0x1
	CKF_LOGIN_REQUIRED       uint = 0x4
	CKF_USER_PIN_INITIALIZED uint = 0x8
	CKF_TOKEN_INITIALIZED    uint = 0x400
	CKF_USER_PIN_COUNT_LOW   uint = 0x10000
	CKF_USER_PIN_FINAL_TRY   uint = 0x20000
	CKF_USER_PIN_LOCKED      uint = 0x40000
	CKF_SO_PIN_COUNT_LOW     uint = 0x100000
	CKF_SO_PIN_FINAL_TRY     uint = 0x200000
	CKF_SO_PIN_LOCKED        uint = 0x400000

	CKF_DIGEST            uint = 0x400
	CKF_SIGN              uint = 0x800
	CKF_VERIFY            uint = 0x2000
	CKF_GENERATE_KEY_PAIR uint = 0x10000
)

// Standard GOST mechanisms (PKCS#11 v2.40, unchanged in 3.x). Their
// parameters (the key's CKA_GOSTR3410_PARAMS, the OID of a hash) carry the
// 2012 algorithms: CKM_GOSTR3410_KEY_PAIR_GEN with a 2012 parameter set,
// CKM_GOSTR3410 over a Streebog digest, CKM_GOSTR3410_WITH_GOSTR3411 and
// CKM_GOSTR3411 with the Streebog OID as parameter.
const (
	CKM_GOSTR3410_KEY_PAIR_GEN   uint = 0x1200
	CKM_GOSTR3410                uint = 0x1201
	CKM_GOSTR3410_WITH_GOSTR3411 uint = 0x1202
	CKM_GOSTR3411                uint = 0x1210
)

// The TC26 vendor range (Rutoken, JaCarta, OpenSC's pkcs11-tool).
const (
	VendorTC26                          uint = 0xD4321000
	CKK_GOSTR3410_512                   uint = VendorTC26 | 0x003
	CKM_GOSTR3410_512_KEY_PAIR_GEN      uint = VendorTC26 | 0x005
	CKM_GOSTR3410_512                   uint = VendorTC26 | 0x006
	CKM_GOSTR3410_WITH_GOSTR3411_12_256 uint = VendorTC26 | 0x008
	CKM_GOSTR3410_WITH_GOSTR3411_12_512 uint = VendorTC26 | 0x009
	CKM_GOSTR3411_12_256                uint = VendorTC26 | 0x012
	CKM_GOSTR3411_12_512                uint = VendorTC26 | 0x013
)
