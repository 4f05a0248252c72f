package keys

// GOST token helpers for the external test package.
var (
	GOSTTokenForTest = gostToken
	GOSTTokenLabel   = gostLabel
	GOSTTokenPIN     = gostPIN
)
