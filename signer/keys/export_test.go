package keys

// Test helpers for the external test package.
var (
	SoftTokenForTest = softToken
	SoftHSMModule    = softhsmModule
	TokenLabel       = tokenLabel
	TokenPIN         = tokenPIN
)
