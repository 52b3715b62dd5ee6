@echo off
rem SPDX-License-Identifier: GPL-2.0
rem
rem tests/hw/report.cmd --- what only a real Windows machine can show, as a
rem report to attach to a bug: tests/hw/report's Windows half.
rem
rem Nothing in "make test" can enter a guest on Windows: Wine runs
rem colinux.sys in user mode, where switching CR3 and the IDT is impossible.
rem On a real 64-bit Windows, as Administrator, this script records the host
rem (Windows version, CPU), the driver's state and what Windows's settings
rem allow (test signing, Secure Boot, Memory Integrity: the daemon's own
rem checks), installs colinux.sys when it is not (and removes it again at
rem the end), and boots the busybox guest, whose /init says its report line
rem ("HW21", its kernel release, its CPU flags) and powers off.
rem
rem   make hw-report-win      fills build/hw-win with this script,
rem                           colinux-daemon.exe, colinux.sys, colinux.inf,
rem                           vmlinux and guest.cpio: copy that folder over
rem   report.cmd [OUT]        in that folder; the report goes to OUT
rem                           (default report.txt beside the script)
rem
rem A guest that hangs is stopped with Ctrl-C (the daemon stops it; after
rem two minutes of nothing, press it).  The driver's own messages go to the
rem kernel's debug output (Sysinternals DebugView, "Capture Kernel").
rem Exit status 0 when every check passed, 1 when one failed, 2 when the
rem report could not run at all.
setlocal EnableExtensions EnableDelayedExpansion
set "HERE=%~dp0"
set "OUT=%~1"
if "%OUT%"=="" set "OUT=%HERE%report.txt"
set "D=%HERE%colinux-daemon.exe"
set "LOG=%TEMP%\colinux-report-%RANDOM%.log"
set FAILED=0
set INSTALLED=0
for %%f in (colinux-daemon.exe colinux.sys vmlinux guest.cpio) do (
	if not exist "%HERE%%%f" (
		echo report.cmd: %HERE%%%f: missing ^(make hw-report-win fills the folder^)
		exit /b 2
	)
)
> "%OUT%" echo coLinux hardware report ^(Windows^), %DATE% %TIME%
if errorlevel 1 (
	echo report.cmd: %OUT%: cannot write the report there
	exit /b 2
)

call :section host
ver >>"%OUT%"
>>"%OUT%" echo CPU: %PROCESSOR_IDENTIFIER%, %NUMBER_OF_PROCESSORS% logical processors
reg query "HKLM\HARDWARE\DESCRIPTION\System\CentralProcessor\0" /v ProcessorNameString >>"%OUT%" 2>&1

call :section driver
"%D%" --status-driver >"%LOG%" 2>&1
type "%LOG%" >>"%OUT%"
sc query colinux >nul 2>&1
if errorlevel 1 (
	"%D%" --install-driver >"%LOG%" 2>&1
	set RC=!ERRORLEVEL!
	type "%LOG%" >>"%OUT%"
	if not "!RC!"=="0" (
		call :fail "driver: --install-driver refused it (exit !RC!, the line above says why)"
		goto done
	)
	set INSTALLED=1
)
call :pass "driver: installed"

call :section "guest boot (colinux-daemon, busybox initramfs)"
"%D%" --console-socket=none "kernel=%HERE%vmlinux" "initrd=%HERE%guest.cpio" mem=64 colinux.report <nul >"%LOG%" 2>&1
set RC=%ERRORLEVEL%
type "%LOG%" >>"%OUT%"
set FLAGS=
set SEEN=0
for /f "tokens=1,2,*" %%a in ('findstr /b /c:"HW21 " "%LOG%"') do (
	if "%%a"=="HW21" (
		set SEEN=1
		set "FLAGS=%%c"
	)
)
if "%SEEN%%RC%"=="10" (
	call :pass "guest: booted, said its report line, powered off"
) else (
	call :fail "guest: boot, report line and poweroff (daemon exit %RC%)"
)
rem Only "hypervisor": a VM's kernel that sees no core-wide mitigation control.
if "%SEEN%"=="1" (
	if "!FLAGS!"=="hypervisor" (
		call :pass "guest: a VM's kernel (hypervisor bit), no core-wide mitigation control in its CPU flags"
	) else (
		call :fail "guest: CPU flags should be just 'hypervisor', are '!FLAGS!'"
	)
)

:done
if "%INSTALLED%"=="1" "%D%" --remove-driver >>"%OUT%" 2>&1
del "%LOG%" >nul 2>&1
call :section summary
if "%FAILED%"=="0" (
	>>"%OUT%" echo every check passed
	echo report.cmd: every check passed; the report is %OUT%
) else (
	>>"%OUT%" echo some checks failed
	echo report.cmd: some checks failed; the report is %OUT%
)
exit /b %FAILED%

:section
>>"%OUT%" echo.
>>"%OUT%" echo == %~1
exit /b 0

:pass
>>"%OUT%" echo PASS %~1
echo PASS %~1
exit /b 0

:fail
>>"%OUT%" echo FAIL %~1
echo FAIL %~1
set FAILED=1
exit /b 0
