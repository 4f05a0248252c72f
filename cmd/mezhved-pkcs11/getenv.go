package main

/*
#include <stdlib.h>
*/
import "C"

import "unsafe"

// getenv reads the environment as the C library has it now: an application
// may set variables after loading the library, which the Go runtime's copy
// (taken at load) would miss.
func getenv(name string) string {
	cs := C.CString(name)
	defer C.free(unsafe.Pointer(cs))
	if v := C.getenv(cs); v != nil {
		return C.GoString(v)
	}
	return ""
}
