Unicode true

# The Windows installer of Mezhved, built by `make windows` (Wails runs
# makensis with this file; wails_tools.nsh is Wails' own, generated on each
# build). It installs both programs side by side into Program Files:
# mezhved-window.exe, the window, which the Start menu and desktop
# shortcuts «Межвед» open, and mezhved.exe, the headless face for the
# command line. The WebView2 runtime is installed by its bootstrapper when
# missing. The clerk's journal lives in %APPDATA%\Mezhved and is kept when
# the program is removed.

# version.nsh is written by make windows: INFO_PRODUCTVERSION (X.Y.Z) and
# MEZHVED_VERSION (the full version from git).
!include "version.nsh"
!define PRODUCT_EXECUTABLE "mezhved-window.exe"
!define UNINST_KEY_NAME "Mezhved"
!include "wails_tools.nsh"

VIProductVersion "${INFO_PRODUCTVERSION}.0"
VIFileVersion    "${INFO_PRODUCTVERSION}.0"
VIAddVersionKey /LANG=1049 "CompanyName"     "${INFO_COMPANYNAME}"
VIAddVersionKey /LANG=1049 "FileDescription" "Установка программы ${INFO_PRODUCTNAME}"
VIAddVersionKey /LANG=1049 "ProductVersion"  "${MEZHVED_VERSION}"
VIAddVersionKey /LANG=1049 "FileVersion"     "${INFO_PRODUCTVERSION}"
VIAddVersionKey /LANG=1049 "LegalCopyright"  "${INFO_COPYRIGHT}"
VIAddVersionKey /LANG=1049 "ProductName"     "${INFO_PRODUCTNAME}"

ManifestDPIAware true

!include "MUI.nsh"
!define MUI_ICON "..\icon.ico"
!define MUI_UNICON "..\icon.ico"
!define MUI_FINISHPAGE_NOAUTOCLOSE
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${PRODUCT_EXECUTABLE}"
!define MUI_FINISHPAGE_RUN_TEXT "Открыть Межвед"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Russian"

Name "${INFO_PRODUCTNAME}"
OutFile "..\..\dist\mezhved-${MEZHVED_VERSION}-windows-amd64-setup.exe"
InstallDir "$PROGRAMFILES64\${INFO_PRODUCTNAME}"
ShowInstDetails show

Function .onInit
   !insertmacro wails.checkArchitecture
FunctionEnd

Section
    !insertmacro wails.setShellContext
    !insertmacro wails.webview2runtime
    SetOutPath $INSTDIR
    !insertmacro wails.files
    File "..\..\bin\windows\mezhved.exe"
    CreateShortcut "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}"
    CreateShortCut "$DESKTOP\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}"
    !insertmacro wails.writeUninstaller
SectionEnd

Section "uninstall"
    !insertmacro wails.setShellContext
    # The WebView2 cache of the window; the journal (%APPDATA%\Mezhved) stays.
    RMDir /r "$AppData\${PRODUCT_EXECUTABLE}"
    Delete "$INSTDIR\mezhved.exe"
    Delete "$INSTDIR\${PRODUCT_EXECUTABLE}"
    Delete "$INSTDIR\uninstall.exe"
    RMDir $INSTDIR
    Delete "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk"
    Delete "$DESKTOP\${INFO_PRODUCTNAME}.lnk"
    !insertmacro wails.deleteUninstaller
SectionEnd
