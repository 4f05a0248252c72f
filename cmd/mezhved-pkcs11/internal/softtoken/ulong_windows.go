package softtoken

// ULongSize is the size of CK_ULONG (C unsigned long): 4 bytes on Windows.
const ULongSize = 4
