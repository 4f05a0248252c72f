//go:build !windows

package softtoken

import "strconv"

// ULongSize is the size of CK_ULONG (C unsigned long): the word size on
// Linux and macOS (LP64, ILP32).
const ULongSize = strconv.IntSize / 8
