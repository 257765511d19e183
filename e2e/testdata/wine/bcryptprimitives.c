/* ProcessPrng for Wine releases that lack bcryptprimitives.dll (Debian 12's
 * Wine 8): Go programs since Go 1.22 load it from system32 at start-up to
 * get random bytes, and stop if it is missing. Windows 10 and later ship
 * it; the Wine tests (e2e/windows_wine_test.go) build this stand-in with
 * x86_64-w64-mingw32-gcc into their Wine prefix. It draws from
 * RtlGenRandom, the same system generator. */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, n)) return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
