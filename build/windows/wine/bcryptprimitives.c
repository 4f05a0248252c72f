/* A stand-in for Windows' bcryptprimitives.dll inside the Wine prefix of
 * the tests only: Wine 8 (Debian 12) lacks the DLL, and Go's runtime
 * (1.22+) takes its random numbers from ProcessPrng there. Real Windows 10
 * and 11 have the DLL; the installer never ships this file. ProcessPrng
 * here asks the system's RtlGenRandom (advapi32 SystemFunction036). */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
