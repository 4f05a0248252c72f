package softtoken

import "encoding/binary"

// ulongBytes encodes v as a CK_ULONG attribute value: the platform's
// unsigned long, native (little-endian on every platform this builds for).
func ulongBytes(v uint) []byte {
	b := make([]byte, ULongSize)
	if ULongSize == 4 {
		binary.LittleEndian.PutUint32(b, uint32(v))
	} else {
		binary.LittleEndian.PutUint64(b, uint64(v))
	}
	return b
}

// ulongValue reads a CK_ULONG attribute value; ok is false for a wrong length.
func ulongValue(b []byte) (uint, bool) {
	switch {
	case len(b) != ULongSize:
		return 0, false
	case ULongSize == 4:
		return uint(binary.LittleEndian.Uint32(b)), true
	}
	return uint(binary.LittleEndian.Uint64(b)), true
}

// boolValue reads a CK_BBOOL attribute value.
func boolValue(b []byte) (v, ok bool) {
	if len(b) != 1 {
		return false, false
	}
	return b[0] != 0, true
}

func boolBytes(v bool) []byte {
	if v {
		return []byte{1}
	}
	return []byte{0}
}
