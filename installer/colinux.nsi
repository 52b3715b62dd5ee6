; SPDX-License-Identifier: GPL-2.0
;
; coLinux for Windows x64: the one-click installer (README, "The Windows
; installer").  installer/installer.mk runs makensis with these defines:
;   VERSION, NUMVERSION (a.b.c.d), OUTFILE, KERNEL, DAEMON, CONSOLE,
;   DRIVER_SYS, DRIVER_INF, IMAGES_NSH (the image parts, generated),
;   ROOT_NAME, SWAP_NAME (the image files' names once installed), and
;   DESKTOP (the images have a desktop: the "Linux desktop" components).
; Every wizard answer can be given on the command line instead:
;   setup.exe /S /MEM=512 /STARTUP=manual|service|boot /USER=name
;             /SHARE=C:\folder [/XSERVER=yes|no] /D=C:\coLinux
; and the uninstaller takes /S and /REMOVEIMAGES.

Unicode true
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel admin
SetCompressor lzma
; No file times in the installer: the same inputs give the same bytes.
SetDateSave off

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include nsDialogs.nsh
!include Sections.nsh
!include x64.nsh
!include WinMessages.nsh

!define PRODUCT "coLinux"
; The daemon's service.  The driver's own service is "colinux", and service
; names are case-insensitive: this one must differ from it ("coLinux" would
; not); the daemon takes letters, digits, '-' and '_'.
!define SERVICE "coLinux-guest"
!define REGKEY "Software\coLinux"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\coLinux"
!define CONF "colinux.conf"
!define MEM_MIN 32
!define MEM_DEFAULT 512
!define USER_DEFAULT "colinux"
; Exit statuses: a refused command line; installed, but the driver or the
; service is not (a line on stderr says why: e.g. test signing is off).
!define EXIT_BAD_VALUE 2
!define EXIT_INCOMPLETE 3
!ifdef DESKTOP
; The guest's RDP server (xrdp, port 3389) forwarded to this port on
; 127.0.0.1 (the same as "make image DESKTOP=xfce" on Linux).
!define RDP_PORT 3390
!define RDP_FILE "Linux desktop.rdp"
; The X server route: the X server's display number, and the address the
; guest reaches this computer's 127.0.0.1 by (slirp's gateway).
!define XDISPLAY 10
!define GATEWAY 10.0.2.2
!define XAUTH_FILE "Xauthority"
; "Linux terminal": Windows' OpenSSH client, the guest's SSH server on this
; port of 127.0.0.1, and the instance's files (INSTANCE.key, ...).
!define OPENSSH "$SYSDIR\OpenSSH"
!define SSH_PORT 2222
!define INSTANCE "instance"
!define OPTIONS "/S /MEM= /STARTUP= /USER= /SHARE= /XSERVER= /D="
!else
!define OPTIONS "/S /MEM= /STARTUP= /USER= /SHARE= /D="
!endif

Name "${PRODUCT} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\coLinux"
InstallDirRegKey HKLM "${REGKEY}" "InstallDir"
BrandingText "${PRODUCT} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${NUMVERSION}"
VIAddVersionKey ProductName "${PRODUCT}"
VIAddVersionKey ProductVersion "${VERSION}"
VIAddVersionKey FileVersion "${VERSION}"
VIAddVersionKey FileDescription "${PRODUCT} ${VERSION} setup"
VIAddVersionKey LegalCopyright "GPL-2.0"

Var Mem
Var Startup
Var User
Var Share
Var Field
Var Radio1
Var Radio2
Var Radio3
!ifdef DESKTOP
; The X server found (its program, "" if none), whether to use it ("yes",
; "no"; "" when not asked: yes if found and started by hand), its cookie.
Var XServer
Var XServerUse
Var XCookie
Var XAuthArg
; The known_hosts file of "Linux terminal"'s instance by a name without a
; blank; "" when no instance was made.
Var TermKnown
!endif

!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_NOAUTOCLOSE
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
Page custom MemPage MemLeave
Page custom StartupPage StartupLeave
Page custom UserPage UserLeave
Page custom SharePage ShareLeave
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

; --- Messages: a box in the wizard, a line on stderr when silent ---------

; Write $0 and a newline to the standard error of whoever started us (a
; console or a script); a GUI program has none unless it attaches.
Function WriteStderr
	Push $1
	Push $2
	Push $3
	System::Call 'kernel32::AttachConsole(i -1)'
	System::Call 'kernel32::GetStdHandle(i -12) p.r1'
	${If} $1 P<> 0
	${AndIf} $1 P<> -1
		StrCpy $2 "$0$\r$\n"
		System::Call 'kernel32::lstrlenA(m r2) i.r3'
		System::Call 'kernel32::WriteFile(p r1, m r2, i r3, *i .r3, p 0)'
	${EndIf}
	Pop $3
	Pop $2
	Pop $1
FunctionEnd

; Refuse: the message in $0, shown or printed, then quit with EXIT_BAD_VALUE.
Function Refuse
	${If} ${Silent}
		Call WriteStderr
	${Else}
		MessageBox MB_ICONSTOP|MB_OK "$0"
	${EndIf}
	SetErrorLevel ${EXIT_BAD_VALUE}
	Quit
FunctionEnd

; --- Checks: value in $0, "" or the reason it is refused in $1 ----------

Function CheckMem
	Push $2
	Push $3
	Push $4
	StrCpy $1 ""
	StrLen $2 $0
	${If} $2 == 0
	${OrIf} $2 > 7
		StrCpy $1 "/MEM=$0: not a number of MiB"
	${Else}
		IntOp $2 $2 - 1
		${For} $3 0 $2
			StrCpy $4 $0 1 $3
			Push "0123456789"
			Push $4
			Call StrHas
			Pop $4
			${If} $4 == 0
				StrCpy $1 "/MEM=$0: not a number of MiB"
			${EndIf}
		${Next}
		StrCpy $4 $0 1
		${If} $4 == "0"
			StrCpy $1 "/MEM=$0: not a number of MiB (no leading 0)"
		${EndIf}
	${EndIf}
	${If} $1 == ""
		Call PhysicalMiB
		Pop $2
		${If} $0 < ${MEM_MIN}
		${OrIf} $0 > $2
			StrCpy $1 "/MEM=$0: the guest's memory must be from ${MEM_MIN} MiB (the smallest guest that boots) to $2 MiB (this computer's memory)"
		${EndIf}
	${EndIf}
	Pop $4
	Pop $3
	Pop $2
FunctionEnd

; The computer's memory in MiB, on the stack.
Function PhysicalMiB
	Push $0
	Push $1
	; MEMORYSTATUSEX: dwLength, dwMemoryLoad, ullTotalPhys, ...
	System::Call '*(i 64, i, l, l, l, l, l, l, l) p.r0'
	System::Call 'kernel32::GlobalMemoryStatusEx(p r0)'
	System::Call '*$0(i, i, l .r1)'
	System::Free $0
	System::Int64Op $1 >> 20
	Pop $1
	Exch $1
	Exch
	Pop $0
FunctionEnd

Function CheckStartup
	StrCpy $1 ""
	${If} $0 S!= "manual"
	${AndIf} $0 S!= "service"
	${AndIf} $0 S!= "boot"
		StrCpy $1 "/STARTUP=$0: not manual, service (started by hand) or boot (service started with Windows)"
	${EndIf}
FunctionEnd

; A Linux user name as useradd takes it by default: a lower-case letter or
; '_', then lower-case letters, digits, '_' or '-', at most 32; not root.
Function CheckUser
	Push $2
	Push $3
	Push $4
	StrCpy $1 ""
	StrLen $2 $0
	${If} $2 == 0
	${OrIf} $2 > 32
		StrCpy $1 "/USER=$0: a Linux user name has 1 to 32 characters"
	${ElseIf} $0 S== "root"
		StrCpy $1 "/USER=root: choose a user of your own, not root"
	${Else}
		IntOp $2 $2 - 1
		${For} $3 0 $2
			${If} $3 == 0
				Push "abcdefghijklmnopqrstuvwxyz_"
			${Else}
				Push "abcdefghijklmnopqrstuvwxyz_0123456789-"
			${EndIf}
			StrCpy $4 $0 1 $3
			Push $4
			Call StrHas
			Pop $4
			${If} $4 == 0
				StrCpy $1 "/USER=$0: not a Linux user name (a lower-case letter or '_' first, then lower-case letters, digits, '_' or '-')"
				${Break}
			${EndIf}
		${Next}
	${EndIf}
	Pop $4
	Pop $3
	Pop $2
FunctionEnd

; The folder to share: none (""), or an existing folder named by a full
; path (X:\... or \\server\share), without '"' (the config quotes it).
Function CheckShare
	Push $2
	StrCpy $1 ""
	${If} $0 != ""
		StrCpy $2 $0 2 1
		${If} $2 != ":\"
			StrCpy $2 $0 2
			${If} $2 != "\\"
				StrCpy $1 "/SHARE=$0: not a full path (such as C:\Users\me\Documents)"
			${EndIf}
		${EndIf}
		${If} $1 == ""
			Push $0
			Push '"'
			Call StrHas
			Pop $2
			${If} $2 == 1
				StrCpy $1 "/SHARE=$0: a folder name with '$\"' cannot be shared"
			${ElseIfNot} ${FileExists} "$0\*.*"
				StrCpy $1 "/SHARE=$0: no such folder"
			${EndIf}
		${EndIf}
	${EndIf}
	Pop $2
FunctionEnd

!ifdef DESKTOP
Function CheckXServer
	StrCpy $1 ""
	${If} $0 S!= "yes"
	${AndIf} $0 S!= "no"
		StrCpy $1 "/XSERVER=$0: not yes (start the X server found with coLinux) or no"
	${EndIf}
FunctionEnd
!endif

; Push STRING, Push CHAR; Call StrHas; Pop 1 if CHAR is in STRING, else 0
; (case-sensitive: LogicLib's S< and S> are not).
Function StrHas
	Exch $1
	Exch
	Exch $0
	Push $2
	Push $3
	Push $4
	StrLen $3 $0
	StrCpy $2 0
	${DoWhile} $2 < $3
		StrCpy $4 $0 1 $2
		${If} $4 S== $1
			${Break}
		${EndIf}
		IntOp $2 $2 + 1
	${Loop}
	${If} $2 < $3
		StrCpy $0 1
	${Else}
		StrCpy $0 0
	${EndIf}
	Pop $4
	Pop $3
	Pop $2
	Exch
	Pop $1
	Exch $0
FunctionEnd

; The argument in $8, if it is /KEY=VALUE: VALUE checked by CHECK into VAR
; (a refused value ends the installer), and on to the next argument.
!macro OPTION key var check
	StrLen $5 "/${key}="
	StrCpy $6 $8 $5
	${If} $6 == "/${key}="
		StrCpy $0 $8 "" $5
		Call ${check}
		${If} $1 != ""
			StrCpy $0 $1
			Call Refuse
		${EndIf}
		StrCpy ${var} $0
		${Continue}
	${EndIf}
!macroend

; Every argument is one this installer knows, or it refuses to start: a
; typing error must not install with a default instead.  Windows' own
; splitting (CommandLineToArgvW), so "/SHARE=C:\My Files" is one argument.
Function ParseCommandLine
	System::Call 'kernel32::GetCommandLineW() p.r1'
	System::Call 'shell32::CommandLineToArgvW(p r1, *i .r2) p.r3'
	IntOp $2 $2 - 1
	${For} $4 1 $2
		IntOp $5 $4 * 8
		IntPtrOp $6 $3 + $5
		System::Call '*$6(p .r7)'
		System::Call 'kernel32::lstrcpynW(w .r8, p r7, i ${NSIS_MAX_STRLEN})'
		; NSIS's own: /D= comes last, all the rest of the line is the folder.
		StrCpy $6 $8 3
		${If} $6 == "/D="
			${Break}
		${EndIf}
		${If} $8 == "/S"
		${OrIf} $8 == "/NCRC"
			${Continue}
		${EndIf}
		!insertmacro OPTION MEM $Mem CheckMem
		!insertmacro OPTION STARTUP $Startup CheckStartup
		!insertmacro OPTION USER $User CheckUser
		!insertmacro OPTION SHARE $Share CheckShare
!ifdef DESKTOP
		!insertmacro OPTION XSERVER $XServerUse CheckXServer
!endif
		StrCpy $0 "$8: not an option of this installer (${OPTIONS})"
		Call Refuse
	${Next}
	System::Call 'kernel32::LocalFree(p r3)'
FunctionEnd

; The root and swap images are sections of their own, so IMAGES_NSH
; (generated: the parts of each image, under 2 GiB each, which is what
; NSIS can hold in one file) has the macros EXTRACT_ROOT and EXTRACT_SWAP.
!include "${IMAGES_NSH}"

; An earlier install's answer NAME is the default of VAR if it still passes
; CHECK (a shared folder may be gone since), else DEFAULT.
!macro DEFAULT var name check default
	StrCpy ${var} "${default}"
	ReadRegStr $0 HKLM "${REGKEY}" "${name}"
	${If} $0 != ""
		Call ${check}
		${If} $1 == ""
			StrCpy ${var} $0
		${EndIf}
	${EndIf}
!macroend

Function .onInit
	SetShellVarContext all
	SetRegView 64
	${IfNot} ${RunningX64}
		StrCpy $0 "${PRODUCT} ${VERSION} needs 64-bit Windows (x64)."
		Call Refuse
	${EndIf}
	!insertmacro DEFAULT $Mem MemoryMB CheckMem ${MEM_DEFAULT}
	!insertmacro DEFAULT $Startup Startup CheckStartup manual
	!insertmacro DEFAULT $User User CheckUser ${USER_DEFAULT}
	!insertmacro DEFAULT $Share Share CheckShare ""
	Call ParseCommandLine
!ifdef DESKTOP
	Call XServerChoice
!endif
FunctionEnd

; --- Pages ---------------------------------------------------------------

!macro PAGE_BEGIN title subtitle
	!insertmacro MUI_HEADER_TEXT "${title}" "${subtitle}"
	nsDialogs::Create 1018
	Pop $0
	${If} $0 == error
		Abort
	${EndIf}
!macroend

; Leave a page only with an accepted value; else say why and stay.
!macro PAGE_CHECK check
	Call ${check}
	${If} $1 != ""
		MessageBox MB_ICONEXCLAMATION|MB_OK "$1"
		Abort
	${EndIf}
!macroend

Function MemPage
	!insertmacro PAGE_BEGIN "Memory" "How much of this computer's memory Linux gets."
	Call PhysicalMiB
	Pop $1
	${NSD_CreateLabel} 0 0 100% 36u "Memory for Linux, in MiB (from ${MEM_MIN} to $1, this computer's memory). Windows keeps the rest; 512 suits the Debian image."
	Pop $0
	${NSD_CreateNumber} 0 40u 60u 12u "$Mem"
	Pop $Field
	nsDialogs::Show
FunctionEnd

Function MemLeave
	${NSD_GetText} $Field $0
	!insertmacro PAGE_CHECK CheckMem
	StrCpy $Mem $0
FunctionEnd

Function StartupPage
	!insertmacro PAGE_BEGIN "Startup" "How coLinux is started."
	${NSD_CreateRadioButton} 0 0 100% 12u "By hand, as a program (Start menu: Start coLinux)"
	Pop $Radio1
	${NSD_CreateRadioButton} 0 20u 100% 12u "As a Windows service, started by hand (Start menu: Start coLinux)"
	Pop $Radio2
	${NSD_CreateRadioButton} 0 40u 100% 12u "As a Windows service, started with Windows"
	Pop $Radio3
	${If} $Startup == "service"
		${NSD_Check} $Radio2
	${ElseIf} $Startup == "boot"
		${NSD_Check} $Radio3
	${Else}
		${NSD_Check} $Radio1
	${EndIf}
	nsDialogs::Show
FunctionEnd

Function StartupLeave
	StrCpy $Startup "manual"
	${NSD_GetState} $Radio2 $0
	${If} $0 == ${BST_CHECKED}
		StrCpy $Startup "service"
	${EndIf}
	${NSD_GetState} $Radio3 $0
	${If} $0 == ${BST_CHECKED}
		StrCpy $Startup "boot"
	${EndIf}
!ifdef DESKTOP
	Call XServerStartup
!endif
FunctionEnd

Function UserPage
	!insertmacro PAGE_BEGIN "Linux user" "Your user name in Linux."
	${NSD_CreateLabel} 0 0 100% 36u "Your user name in Linux (lower-case letters, digits, '_' and '-'). No password is asked here: Linux asks you for one on its console when you first log in."
	Pop $0
	${NSD_CreateText} 0 40u 120u 12u "$User"
	Pop $Field
	nsDialogs::Show
FunctionEnd

Function UserLeave
	${NSD_GetText} $Field $0
	!insertmacro PAGE_CHECK CheckUser
	StrCpy $User $0
FunctionEnd

Function SharePage
	!insertmacro PAGE_BEGIN "Shared folder" "A Windows folder that Linux sees (cofs0)."
	${NSD_CreateLabel} 0 0 100% 36u "A Windows folder Linux sees as cofs0 (leave it empty to share none). It is written to the configuration; Linux mounts it once cofs runs on Windows."
	Pop $0
	${NSD_CreateDirRequest} 0 40u 80% 12u "$Share"
	Pop $Field
	${NSD_CreateBrowseButton} 82% 39u 18% 14u "Browse..."
	Pop $0
	${NSD_OnClick} $0 ShareBrowse
	nsDialogs::Show
FunctionEnd

Function ShareBrowse
	${NSD_GetText} $Field $0
	nsDialogs::SelectFolderDialog "Windows folder for Linux" "$0"
	Pop $0
	${If} $0 != error
		${NSD_SetText} $Field "$0"
	${EndIf}
FunctionEnd

Function ShareLeave
	${NSD_GetText} $Field $0
	!insertmacro PAGE_CHECK CheckShare
	StrCpy $Share $0
FunctionEnd

; --- Installing ----------------------------------------------------------

; Run a command line ($0): exit status in $1, its output in $2 and in the
; details.
!macro EXEC_FUNC un
Function ${un}Exec
	DetailPrint "$0"
	nsExec::ExecToStack '$0'
	Pop $1
	Pop $2
	DetailPrint "$2"
FunctionEnd
!macroend
!insertmacro EXEC_FUNC ""
!insertmacro EXEC_FUNC "un."

; Push SOURCE, Push DEST; Call AppendFile: DEST grows by SOURCE's bytes.
; (The images come in parts; NSIS cannot hold a file of 2 GiB or more.)
Function AppendFile
	Exch $1
	Exch
	Exch $0
	Push $2
	Push $3
	Push $4
	Push $5
	Push $6
	Push $7
	; GENERIC_READ, FILE_SHARE_READ, OPEN_EXISTING, FILE_FLAG_SEQUENTIAL_SCAN
	System::Call 'kernel32::CreateFileW(w r0, i 0x80000000, i 1, p 0, i 3, i 0x08000000, p 0) p.r2'
	; FILE_APPEND_DATA, no sharing, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL
	System::Call 'kernel32::CreateFileW(w r1, i 4, i 0, p 0, i 4, i 0x80, p 0) p.r3'
	${If} $2 P= -1
	${OrIf} $3 P= -1
		Abort "$1: cannot write it (disk full or no access?)"
	${EndIf}
	System::Alloc 1048576
	Pop $4
	${Do}
		System::Call 'kernel32::ReadFile(p r2, p r4, i 1048576, *i .r5, p 0) i.r6'
		${If} $6 == 0
			Abort "$0: cannot read it"
		${EndIf}
		${If} $5 == 0
			${Break}
		${EndIf}
		System::Call 'kernel32::WriteFile(p r3, p r4, i r5, *i .r6, p 0) i.r7'
		${If} $7 == 0
		${OrIf} $6 != $5
			Abort "$1: cannot write it (disk full?)"
		${EndIf}
	${Loop}
	System::Free $4
	System::Call 'kernel32::CloseHandle(p r2)'
	System::Call 'kernel32::CloseHandle(p r3)'
	Pop $7
	Pop $6
	Pop $5
	Pop $4
	Pop $3
	Pop $2
	Pop $0
	Pop $1
FunctionEnd

; One part of an image: extracted beside it, appended, deleted.
!macro IMAGE_PART dest part
	File "/oname=$INSTDIR\part.tmp" "${part}"
	Push "$INSTDIR\part.tmp"
	Push "${dest}"
	Call AppendFile
	Delete "$INSTDIR\part.tmp"
!macroend

Section "coLinux (daemon, console, driver, Linux kernel)" SecCore
	SectionIn RO
	SetOutPath "$INSTDIR"
	File "/oname=colinux-daemon.exe" "${DAEMON}"
	File "/oname=colinux-console.exe" "${CONSOLE}"
	File "/oname=vmlinux" "${KERNEL}"
	SetOutPath "$INSTDIR\driver"
	File "/oname=colinux.sys" "${DRIVER_SYS}"
	File "/oname=colinux.inf" "${DRIVER_INF}"
	SetOutPath "$INSTDIR"
	WriteUninstaller "$INSTDIR\uninstall.exe"
SectionEnd

; The root image holds the user's Linux files: an existing one is kept.
Section "Debian root image (${ROOT_NAME})" SecRoot
	${If} ${FileExists} "$INSTDIR\${ROOT_NAME}"
		DetailPrint "Keeping the existing $INSTDIR\${ROOT_NAME}"
	${Else}
		Delete "$INSTDIR\${ROOT_NAME}.partial"
		!insertmacro EXTRACT_ROOT "$INSTDIR\${ROOT_NAME}.partial"
		Rename "$INSTDIR\${ROOT_NAME}.partial" "$INSTDIR\${ROOT_NAME}"
	${EndIf}
	Delete "$INSTDIR\${SWAP_NAME}"
	!insertmacro EXTRACT_SWAP "$INSTDIR\${SWAP_NAME}"
SectionEnd

; $0: a shortcut, marked "Run as administrator" (SLDF_RUNAS_USER, 0x2000
; in the link flags, the 32 bits at offset 0x14 of a .lnk file).
Function RunAsAdmin
	FileOpen $1 "$0" a
	FileSeek $1 0x15 SET
	FileReadByte $1 $2
	IntOp $2 $2 | 0x20
	FileSeek $1 0x15 SET
	FileWriteByte $1 $2
	FileClose $1
FunctionEnd

Section "Start menu entries" SecMenu
	CreateDirectory "$SMPROGRAMS\coLinux"
	; By hand the daemon runs in its console window, which is the guest's
	; console (Ctrl-C there stops it); as a service, the service manager
	; starts and stops it.  The console entry attaches colinux-console to
	; the guest either way, as Administrator: the socket's folder is for
	; SYSTEM, Administrators and the daemon's user only (README, "Windows").
	CreateShortcut "$SMPROGRAMS\coLinux\coLinux console.lnk" \
		"$INSTDIR\colinux-console.exe"
	StrCpy $0 "$SMPROGRAMS\coLinux\coLinux console.lnk"
	Call RunAsAdmin
	${If} $Startup == "manual"
		CreateShortcut "$SMPROGRAMS\coLinux\Start coLinux.lnk" \
			"$INSTDIR\colinux-daemon.exe" '@"$INSTDIR\${CONF}"'
		; The daemon starts the driver's service (and reads a
		; configuration that may be the Administrators' only).
		StrCpy $0 "$SMPROGRAMS\coLinux\Start coLinux.lnk"
		Call RunAsAdmin
		Delete "$SMPROGRAMS\coLinux\Stop coLinux.lnk"
	${Else}
		CreateShortcut "$SMPROGRAMS\coLinux\Start coLinux.lnk" \
			"$SYSDIR\net.exe" "start ${SERVICE}"
		CreateShortcut "$SMPROGRAMS\coLinux\Stop coLinux.lnk" \
			"$SYSDIR\net.exe" "stop ${SERVICE}"
	${EndIf}
	CreateShortcut "$SMPROGRAMS\coLinux\Uninstall coLinux.lnk" \
		"$INSTDIR\uninstall.exe"
SectionEnd

!ifdef DESKTOP
; The guest's whole desktop in Windows' own Remote Desktop client, through
; the forward to its xrdp (WriteConfig): nothing more to ship.
Section "Linux desktop (Windows' Remote Desktop client)" SecDesktop
	FileOpen $0 "$INSTDIR\${RDP_FILE}" w
	FileWrite $0 "full address:s:127.0.0.1:${RDP_PORT}$\r$\n"
	FileWrite $0 "username:s:$User$\r$\n"
	FileWrite $0 "screen mode id:i:2$\r$\n"
	FileWrite $0 "session bpp:i:32$\r$\n"
	FileWrite $0 "audiomode:i:0$\r$\n"
	FileWrite $0 "redirectclipboard:i:1$\r$\n"
	; The guest's TLS certificate is its own (made at its first boot),
	; not one Windows knows: the client asks before it trusts it.
	FileWrite $0 "authentication level:i:2$\r$\n"
	FileClose $0
	CreateDirectory "$SMPROGRAMS\coLinux"
	CreateShortcut "$SMPROGRAMS\coLinux\Linux desktop.lnk" \
		"$SYSDIR\mstsc.exe" '"$INSTDIR\${RDP_FILE}"'
SectionEnd

; "Linux terminal": Windows' own OpenSSH client logs into the guest as the
; Linux user with a key made for this install, as "make image" makes one
; for each instance on Linux (nothing shared between installs): the guest's
; SSH host key is made here too and pinned in instance.known_hosts, and
; both reach the guest on the seed disk, instance-seed.img (a tar archive
; that the image's colinux-seed.service reads at every boot).  The tools
; are Windows' own: ssh-keygen.exe (the OpenSSH Client feature) and tar.exe.
Section "Linux terminal (Windows' OpenSSH client)" SecTerminal
	Call MakeInstance
	${If} $TermKnown != ""
		CreateDirectory "$SMPROGRAMS\coLinux"
		; The key is the Administrators' only (Private): the terminal
		; runs as Administrator, as the console does.
		CreateShortcut "$SMPROGRAMS\coLinux\Linux terminal.lnk" \
			"${OPENSSH}\ssh.exe" \
			'-F NUL -i "$INSTDIR\${INSTANCE}.key" -o IdentitiesOnly=yes -o HostKeyAlias=colinux-guest -o UserKnownHostsFile=$TermKnown -o StrictHostKeyChecking=yes -p ${SSH_PORT} $User@127.0.0.1'
		StrCpy $0 "$SMPROGRAMS\coLinux\Linux terminal.lnk"
		Call RunAsAdmin
	${EndIf}
SectionEnd

; $1: the first two fields of the OpenSSH public key file $0 (its type and
; key, without the comment and the line's end).
Function PublicKey
	Push $2
	Push $3
	Push $4
	StrCpy $1 ""
	ClearErrors
	FileOpen $2 "$0" r
	FileRead $2 $1
	FileClose $2
	StrCpy $3 0
	StrCpy $4 0
	${Do}
		StrCpy $2 $1 1 $3
		${If} $2 == ""
		${OrIf} $2 == "$\r"
		${OrIf} $2 == "$\n"
			${Break}
		${EndIf}
		${If} $2 == " "
			IntOp $4 $4 + 1
			${IfThen} $4 == 2 ${|} ${Break} ${|}
		${EndIf}
		IntOp $3 $3 + 1
	${Loop}
	StrCpy $1 $1 $3
	Pop $4
	Pop $3
	Pop $2
FunctionEnd

; The instance: its key (INSTANCE.key), the guest's pinned host key
; (INSTANCE.known_hosts) and the seed disk (INSTANCE-seed.img); $TermKnown
; the known_hosts file's short name when all are made, else "", nothing
; half-made left and the reason said.
Function MakeInstance
	StrCpy $TermKnown ""
	Call DeleteInstance
	${IfNot} ${FileExists} "${OPENSSH}\ssh-keygen.exe"
	${OrIfNot} ${FileExists} "$SYSDIR\tar.exe"
		StrCpy $0 "Linux terminal is not set up: Windows' OpenSSH client is not installed (Settings > Apps > Optional features > OpenSSH Client); add it, then run this installer again."
		Call Incomplete
		Return
	${EndIf}
	InitPluginsDir
	StrCpy $R1 "$PLUGINSDIR\seed"
	RMDir /r "$R1"
	CreateDirectory "$R1"
	StrCpy $0 '"${OPENSSH}\ssh-keygen.exe" -q -t ed25519 -N "" -C colinux-instance -f "$INSTDIR\${INSTANCE}.key"'
	Call Exec
	StrCpy $0 '"${OPENSSH}\ssh-keygen.exe" -q -t ed25519 -N "" -C root@colinux -f "$R1\ssh_host_ed25519_key"'
	Call Exec
	StrCpy $0 "$INSTDIR\${INSTANCE}.key.pub"
	Call PublicKey
	StrCpy $R2 $1
	StrCpy $0 "$R1\ssh_host_ed25519_key.pub"
	Call PublicKey
	StrCpy $R3 $1
	${If} $R2 != ""
	${AndIf} $R3 != ""
		FileOpen $0 "$R1\authorized_key" w
		FileWrite $0 "$R2 colinux-instance$\n"
		FileClose $0
		FileOpen $0 "$INSTDIR\${INSTANCE}.known_hosts" w
		FileWrite $0 "colinux-guest $R3$\n"
		FileClose $0
		StrCpy $0 '"$SYSDIR\tar.exe" --format ustar -cf "$INSTDIR\${INSTANCE}-seed.img" -C "$R1" ./ssh_host_ed25519_key ./ssh_host_ed25519_key.pub ./authorized_key'
		Call Exec
	${EndIf}
	; The guest's private host key only on the seed disk.
	RMDir /r "$R1"
	Delete "$INSTDIR\${INSTANCE}.key.pub"
	${If} ${FileExists} "$INSTDIR\${INSTANCE}-seed.img"
	${AndIf} ${FileExists} "$INSTDIR\${INSTANCE}.key"
	${AndIf} $R2 != ""
	${AndIf} $R3 != ""
		StrCpy $0 "$INSTDIR\${INSTANCE}.key"
		Call Private
		StrCpy $0 "$INSTDIR\${INSTANCE}-seed.img"
		Call Private
		StrCpy $0 "$INSTDIR\${INSTANCE}.known_hosts"
		Call ShortName
		StrCpy $TermKnown $1
		${If} $TermKnown != ""
			Return
		${EndIf}
		StrCpy $0 "Linux terminal is not set up: $INSTDIR has a blank and this drive no short names for it; install into a folder without blanks."
	${Else}
		StrCpy $0 "Linux terminal is not set up: ssh-keygen.exe or tar.exe failed (the install's details say how)."
	${EndIf}
	Call DeleteInstance
	Call Incomplete
FunctionEnd

Function DeleteInstance
	Delete "$INSTDIR\${INSTANCE}.key"
	Delete "$INSTDIR\${INSTANCE}.key.pub"
	Delete "$INSTDIR\${INSTANCE}.known_hosts"
	Delete "$INSTDIR\${INSTANCE}-seed.img"
FunctionEnd

; $1: the short name of the file $0, for an option that ends at a blank
; (execN='s arguments, ssh's UserKnownHostsFile); "" when it still has one
; (a drive without short names).
Function ShortName
	GetFullPathName /SHORT $1 "$0"
	Push $1
	Push " "
	Call StrHas
	Pop $2
	${If} $2 == 1
		StrCpy $1 ""
	${EndIf}
FunctionEnd

; andLinux's route: each Linux program a window of its own on the X server
; installed here, started with the daemon (exec0=), which lets in only a
; client with the cookie made here (-auth), not by address.
Section /o "X server route (one window per Linux program)" SecXServer
	Call WriteXauth
SectionEnd

; A string of the X authority file ($R0): its length, 16 bits big-endian,
; then its bytes.
!macro XAUTH_STRING str
	StrLen $1 "${str}"
	IntOp $2 $1 >> 8
	FileWriteByte $R0 $2
	FileWriteByte $R0 $1
	FileWrite $R0 "${str}"
!macroend

; The X server's authority file, XAUTH_FILE: one MIT-MAGIC-COOKIE-1 for
; any address and the display XDISPLAY, 16 bytes from RtlGenRandom (also
; in $XCookie as hex, for the guest); made private to Administrators.  The
; -auth argument in $XAuthArg: the file's short name, which has no blank
; ("" where this drive has no short names and the folder has a blank).
Function WriteXauth
	StrCpy $XCookie ""
	FileOpen $R0 "$INSTDIR\${XAUTH_FILE}" w
	; FamilyWild (0xffff), then no address
	FileWriteByte $R0 255
	FileWriteByte $R0 255
	FileWriteByte $R0 0
	FileWriteByte $R0 0
	!insertmacro XAUTH_STRING "${XDISPLAY}"
	!insertmacro XAUTH_STRING "MIT-MAGIC-COOKIE-1"
	FileWriteByte $R0 0
	FileWriteByte $R0 16
	${For} $3 1 4
		System::Call 'advapi32::SystemFunction036(*i .r1, i 4) i.r2'
		${If} $2 == 0
			FileClose $R0
			Delete "$INSTDIR\${XAUTH_FILE}"
			Abort "RtlGenRandom failed: no cookie for the X server"
		${EndIf}
		IntFmt $2 "%08x" $1
		StrCpy $XCookie "$XCookie$2"
		${ForEach} $4 24 0 - 8
			IntOp $2 $1 >> $4
			IntOp $2 $2 & 255
			FileWriteByte $R0 $2
		${Next}
	${Next}
	FileClose $R0
	StrCpy $0 "$INSTDIR\${XAUTH_FILE}"
	Call Private
	StrCpy $0 "$INSTDIR\${XAUTH_FILE}"
	Call ShortName
	StrCpy $XAuthArg $1
	${If} $XAuthArg == ""
		StrCpy $0 "The X server route is not set up: $INSTDIR has a blank and this drive no short names for it; install into a folder without blanks."
		Call Incomplete
	${EndIf}
FunctionEnd

; The X server andLinux's route uses, if one is installed: VcXsrv (its
; installer's Install_Dir_64 or Install_Dir, 64- or 32-bit) or Xming (its
; uninstall entry), into $XServer ("" if none).
!macro FIND_XSERVER view key value program
	${If} $XServer == ""
		SetRegView ${view}
		ReadRegStr $0 HKLM "${key}" "${value}"
		SetRegView 64
		StrCpy $1 $0 1 -1
		${If} $1 == "\"
			StrCpy $0 $0 -1
		${EndIf}
		${If} $0 != ""
		${AndIf} ${FileExists} "$0\${program}"
			StrCpy $XServer "$0\${program}"
		${EndIf}
	${EndIf}
!macroend

; After the command line: the route is taken when an X server is found and
; coLinux is started by hand, unless /XSERVER=no; /XSERVER=yes where that
; cannot be is refused.  Without an X server the component is not shown.
Function XServerChoice
	StrCpy $XServer ""
	!insertmacro FIND_XSERVER 64 "Software\VcXsrv" Install_Dir_64 vcxsrv.exe
	!insertmacro FIND_XSERVER 64 "Software\VcXsrv" Install_Dir vcxsrv.exe
	!insertmacro FIND_XSERVER 32 "Software\VcXsrv" Install_Dir vcxsrv.exe
	!insertmacro FIND_XSERVER 32 "Software\Microsoft\Windows\CurrentVersion\Uninstall\Xming_is1" InstallLocation Xming.exe
	${If} $XServerUse == "yes"
		${If} $XServer == ""
			StrCpy $0 "/XSERVER=yes: no X server installed (VcXsrv or Xming); install one first, or use /XSERVER=no"
			Call Refuse
		${ElseIf} $Startup != "manual"
			StrCpy $0 "/XSERVER=yes: needs /STARTUP=manual (an X server started by a service would not be on your desktop)"
			Call Refuse
		${EndIf}
	${ElseIf} $XServerUse == ""
		StrCpy $XServerUse "no"
		${If} $XServer != ""
		${AndIf} $Startup == "manual"
			StrCpy $XServerUse "yes"
		${EndIf}
	${EndIf}
	${If} $XServer == ""
		SectionSetText ${SecXServer} ""
	${Else}
		SectionSetText ${SecXServer} "X server route (one window per Linux program: $XServer)"
	${EndIf}
	${If} $XServerUse == "yes"
		!insertmacro SelectSection ${SecXServer}
	${Else}
		!insertmacro UnselectSection ${SecXServer}
	${EndIf}
FunctionEnd

; The startup page: the X server route only by hand.
Function XServerStartup
	${If} ${SectionIsSelected} ${SecXServer}
	${AndIf} $Startup != "manual"
		MessageBox MB_ICONEXCLAMATION|MB_OK "The X server route (a component) needs coLinux started by hand: a service's X server would not be on your desktop."
		Abort
	${EndIf}
FunctionEnd

; The configuration's lines for the desktop components: the network (the
; RDP forward; the X server is reached through the gateway), the X server
; as a helper and where the guest finds it.  A guest program's windows
; then open on it (the image's /etc/profile.d/colinux-display.sh).
Function WriteDesktopConfig
	StrCpy $1 ""
	${If} ${SectionIsSelected} ${SecDesktop}
		FileWrite $0 "# The guest's RDP server on 127.0.0.1:${RDP_PORT} (Start menu: Linux desktop).$\r$\n"
		StrCpy $1 ",,tcp:${RDP_PORT}:3389"
	${EndIf}
	${If} $TermKnown != ""
		FileWrite $0 "# The guest's SSH server on 127.0.0.1:${SSH_PORT} (Start menu: Linux terminal).$\r$\n"
		${If} $1 == ""
			StrCpy $1 ",,tcp:${SSH_PORT}:22"
		${Else}
			StrCpy $1 "$1/tcp:${SSH_PORT}:22"
		${EndIf}
	${EndIf}
	${If} $1 != ""
	${OrIf} $XAuthArg != ""
		FileWrite $0 "eth0=slirp$1$\r$\n"
		; The image's network (systemd-networkd) is for eth0.
		FileWrite $0 "net.ifnames=0$\r$\n"
	${EndIf}
	${If} $TermKnown != ""
		FileWrite $0 "# This install's seed: the guest's SSH host key, pinned in ${INSTANCE}.known_hosts,$\r$\n"
		FileWrite $0 "# and the key Linux terminal logs in with (${INSTANCE}.key).$\r$\n"
		FileWrite $0 'cobd2="$INSTDIR\${INSTANCE}-seed.img",ro$\r$\n'
		FileWrite $0 "colinux.seed=cobd2$\r$\n"
	${EndIf}
	${If} $XAuthArg != ""
		FileWrite $0 "# The X server, for the guest at ${GATEWAY}:${XDISPLAY} with this cookie only.$\r$\n"
		StrCpy $1 ""
		StrCpy $2 $XServer 10 -10
		${If} $2 == "vcxsrv.exe"
			StrCpy $1 " -listen tcp"
		${EndIf}
		FileWrite $0 'exec0="$XServer",":${XDISPLAY} -multiwindow -clipboard$1 -auth $XAuthArg"$\r$\n'
		FileWrite $0 "colinux.display=${GATEWAY}:${XDISPLAY}$\r$\n"
		FileWrite $0 "colinux.xauth=$XCookie$\r$\n"
	${EndIf}
FunctionEnd

; $0: a file only SYSTEM and Administrators may open (it holds a secret).
Function Private
	System::Call 'advapi32::ConvertStringSecurityDescriptorToSecurityDescriptorW(w "D:P(A;;FA;;;SY)(A;;FA;;;BA)", i 1, *p .r1, p 0) i.r2'
	${If} $2 != 0
		; DACL_SECURITY_INFORMATION
		System::Call 'advapi32::SetFileSecurityW(w r0, i 4, p r1) i.r2'
		System::Call 'kernel32::LocalFree(p r1)'
	${EndIf}
	${If} $2 == 0
		StrCpy $0 "$0: could not make it private to Administrators; remove the users' access to it by hand."
		Call Incomplete
	${EndIf}
FunctionEnd
!endif

; The configuration from the answers; paths quoted (they may hold spaces).
Function WriteConfig
	FileOpen $0 "$INSTDIR\${CONF}" w
	FileWrite $0 "# coLinux configuration, written by the installer of coLinux ${VERSION}.$\r$\n"
	FileWrite $0 "# Start it with: colinux-daemon @$\"$INSTDIR\${CONF}$\"$\r$\n"
	FileWrite $0 'kernel="$INSTDIR\vmlinux"$\r$\n'
	FileWrite $0 "mem=$Mem$\r$\n"
	FileWrite $0 'cobd0="$INSTDIR\${ROOT_NAME}"$\r$\n'
	FileWrite $0 'cobd1="$INSTDIR\${SWAP_NAME}"$\r$\n'
	${If} $Share != ""
		FileWrite $0 'cofs0="$Share"$\r$\n'
	${EndIf}
	FileWrite $0 "root=/dev/cobd0$\r$\n"
	FileWrite $0 "console=hvc0$\r$\n"
	FileWrite $0 "# The Linux user, made at the image's first boot.$\r$\n"
	FileWrite $0 "colinux.user=$User$\r$\n"
!ifdef DESKTOP
	Call WriteDesktopConfig
!endif
	FileClose $0
!ifdef DESKTOP
	; The cookie is in it.
	${If} $XAuthArg != ""
		StrCpy $0 "$INSTDIR\${CONF}"
		Call Private
	${EndIf}
!endif
FunctionEnd

; The service starts with Windows (SERVICE_AUTO_START): the SCM's own call,
; which "sc config" makes too (Wine's sc has no "config").
Function ServiceAtBoot
	DetailPrint "${SERVICE}: started with Windows"
	; SC_MANAGER_CONNECT; SERVICE_CHANGE_CONFIG; SERVICE_NO_CHANGE but Start
	System::Call 'advapi32::OpenSCManagerW(p 0, p 0, i 1) p.r2'
	System::Call 'advapi32::OpenServiceW(p r2, w "${SERVICE}", i 2) p.r3'
	System::Call 'advapi32::ChangeServiceConfigW(p r3, i -1, i 2, i -1, p 0, p 0, p 0, p 0, p 0, p 0, p 0) i.r4'
	System::Call 'advapi32::CloseServiceHandle(p r3)'
	System::Call 'advapi32::CloseServiceHandle(p r2)'
	${If} $4 == 0
		StrCpy $0 "The ${SERVICE} service could not be set to start with Windows."
		Call Incomplete
	${EndIf}
FunctionEnd

; $1: 1 if the service is there, else 0.
Function ServiceExists
	StrCpy $1 0
	; SC_MANAGER_CONNECT; SERVICE_QUERY_STATUS
	System::Call 'advapi32::OpenSCManagerW(p 0, p 0, i 1) p.r2'
	System::Call 'advapi32::OpenServiceW(p r2, w "${SERVICE}", i 4) p.r3'
	${If} $3 P<> 0
		StrCpy $1 1
		System::Call 'advapi32::CloseServiceHandle(p r3)'
	${EndIf}
	System::Call 'advapi32::CloseServiceHandle(p r2)'
FunctionEnd

; Installed, but not all of it works: the message in $0, shown or printed,
; and the exit status EXIT_INCOMPLETE.
Function Incomplete
	${If} ${Silent}
		Call WriteStderr
	${Else}
		MessageBox MB_ICONEXCLAMATION|MB_OK "$0"
	${EndIf}
	SetErrorLevel ${EXIT_INCOMPLETE}
FunctionEnd

; The driver, and the service for the service startup types, through the
; daemon's own commands (coLinux's --install-driver, --install-service).
Function InstallServices
	StrCpy $0 '"$INSTDIR\colinux-daemon.exe" --install-driver "$INSTDIR\driver\colinux.sys"'
	Call Exec
	${If} $1 != 0
		StrCpy $0 "The coLinux driver is not installed (colinux-daemon --install-driver: status $1):$\r$\n$2$\r$\ncoLinux cannot start until it is: see the README's Windows section."
		Call Incomplete
	${EndIf}
	; An earlier install's service goes first: this install may want
	; another startup type, or the service anew.
	Call ServiceExists
	${If} $1 == 1
		StrCpy $0 '"$INSTDIR\colinux-daemon.exe" --remove-service ${SERVICE}'
		Call Exec
	${EndIf}
	${If} $Startup != "manual"
		StrCpy $0 '"$INSTDIR\colinux-daemon.exe" --install-service ${SERVICE} @"$INSTDIR\${CONF}"'
		Call Exec
		${If} $1 != 0
			StrCpy $0 "The ${SERVICE} service is not installed (colinux-daemon --install-service: status $1):$\r$\n$2"
			Call Incomplete
		${ElseIf} $Startup == "boot"
			Call ServiceAtBoot
		${EndIf}
	${EndIf}
FunctionEnd

Section "-Configuration"
	SetRegView 64
	Call WriteConfig
	Call InstallServices
	WriteRegStr HKLM "${REGKEY}" "InstallDir" "$INSTDIR"
	WriteRegStr HKLM "${REGKEY}" "Version" "${VERSION}"
	WriteRegStr HKLM "${REGKEY}" "MemoryMB" "$Mem"
	WriteRegStr HKLM "${REGKEY}" "Startup" "$Startup"
	WriteRegStr HKLM "${REGKEY}" "User" "$User"
	WriteRegStr HKLM "${REGKEY}" "Share" "$Share"
	WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "${PRODUCT} ${VERSION}"
	WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
	WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "coLinux for x86_64"
	WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
	WriteRegStr HKLM "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\colinux-daemon.exe"
	WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
	WriteRegStr HKLM "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
	WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
	WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
SectionEnd

; --- Uninstalling --------------------------------------------------------

Section "un.coLinux (programs, driver, service, swap image)" UnSecCore
	SectionIn RO
	SetShellVarContext all
	SetRegView 64
	StrCpy $0 '"$INSTDIR\colinux-daemon.exe" --remove-service ${SERVICE}'
	Call un.Exec
	StrCpy $0 '"$INSTDIR\colinux-daemon.exe" --remove-driver'
	Call un.Exec
	Delete "$INSTDIR\colinux-daemon.exe"
	Delete "$INSTDIR\colinux-console.exe"
	Delete "$INSTDIR\vmlinux"
	Delete "$INSTDIR\driver\colinux.sys"
	Delete "$INSTDIR\driver\colinux.inf"
	RMDir "$INSTDIR\driver"
	Delete "$INSTDIR\${CONF}"
	; The service's log (the daemon's messages and the guest's console).
	Delete "$INSTDIR\${SERVICE}.log"
	Delete "$INSTDIR\${SWAP_NAME}"
	Delete "$INSTDIR\${ROOT_NAME}.partial"
	Delete "$INSTDIR\part.tmp"
!ifdef DESKTOP
	Delete "$INSTDIR\${RDP_FILE}"
	Delete "$INSTDIR\${XAUTH_FILE}"
	Delete "$SMPROGRAMS\coLinux\Linux desktop.lnk"
	Delete "$INSTDIR\${INSTANCE}.key"
	Delete "$INSTDIR\${INSTANCE}.known_hosts"
	Delete "$INSTDIR\${INSTANCE}-seed.img"
	Delete "$SMPROGRAMS\coLinux\Linux terminal.lnk"
!endif
	Delete "$INSTDIR\uninstall.exe"
	Delete "$SMPROGRAMS\coLinux\Start coLinux.lnk"
	Delete "$SMPROGRAMS\coLinux\Stop coLinux.lnk"
	Delete "$SMPROGRAMS\coLinux\coLinux console.lnk"
	Delete "$SMPROGRAMS\coLinux\Uninstall coLinux.lnk"
	RMDir "$SMPROGRAMS\coLinux"
	DeleteRegKey HKLM "${UNINSTKEY}"
	DeleteRegKey HKLM "${REGKEY}"
SectionEnd

Section /o "un.The root image (${ROOT_NAME}: your Linux files)" UnSecRoot
	Delete "$INSTDIR\${ROOT_NAME}"
SectionEnd

; Last: the folder goes if nothing is left in it (a kept image stays).
Section "-un.Folder"
	RMDir "$INSTDIR"
SectionEnd

Function un.onInit
	${GetParameters} $R0
	ClearErrors
	${GetOptions} $R0 "/REMOVEIMAGES" $0
	${IfNot} ${Errors}
		!insertmacro SelectSection ${UnSecRoot}
	${EndIf}
FunctionEnd
