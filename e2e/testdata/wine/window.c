// A Win32 window for the Wine tests: window.exe TITLE X Y W H RRGGBB opens
// a window titled TITLE followed by " — Übersicht" (a title beyond ASCII,
// so the test sees UTF-16 decoded), filled with one colour, at X,Y of size
// W×H, and brings it to the front. It runs until it is killed.
// Cross-built by the test with x86_64-w64-mingw32-gcc.
#include <windows.h>
#include <stdlib.h>
#include <wchar.h>

static COLORREF fill;

static LRESULT CALLBACK proc(HWND h, UINT m, WPARAM w, LPARAM l) {
	switch (m) {
	case WM_PAINT: {
		PAINTSTRUCT ps;
		HDC dc = BeginPaint(h, &ps);
		HBRUSH b = CreateSolidBrush(fill);
		FillRect(dc, &ps.rcPaint, b);
		DeleteObject(b);
		EndPaint(h, &ps);
		return 0;
	}
	case WM_DESTROY:
		PostQuitMessage(0);
		return 0;
	}
	return DefWindowProcW(h, m, w, l);
}

int main(void) {
	int argc;
	wchar_t **argv = CommandLineToArgvW(GetCommandLineW(), &argc);
	if (argv == NULL || argc != 7) return 2;
	unsigned long rgb = wcstoul(argv[6], NULL, 16);
	fill = RGB((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
	wchar_t title[512];
	_snwprintf(title, 511, L"%ls \x2014 \x00dc" L"bersicht", argv[1]);
	title[511] = 0;

	WNDCLASSW wc = {0};
	wc.lpfnWndProc = proc;
	wc.hInstance = GetModuleHandleW(NULL);
	wc.lpszClassName = L"WorkdiaryTestWindow";
	wc.hCursor = LoadCursor(NULL, IDC_ARROW);
	RegisterClassW(&wc);
	HWND h = CreateWindowExW(WS_EX_APPWINDOW, wc.lpszClassName, title, WS_POPUP | WS_VISIBLE,
		_wtoi(argv[2]), _wtoi(argv[3]), _wtoi(argv[4]), _wtoi(argv[5]),
		NULL, NULL, wc.hInstance, NULL);
	if (h == NULL) return 3;
	SetForegroundWindow(h);
	UpdateWindow(h);
	MSG msg;
	while (GetMessageW(&msg, NULL, 0, 0) > 0) {
		TranslateMessage(&msg);
		DispatchMessageW(&msg);
	}
	return 0;
}
