#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""pecheck.py --- the static checks of a Windows binary, with pefile.

  pecheck.py driver|program FILE      exit 0 when every check passes
  pecheck.py --break=WHAT FILE OUT    write a copy of FILE broken in one way
                                      (checksum, wx, align), for the negative
                                      controls
  pecheck.py --imports FILE           print the DLLs FILE imports from

Checks (one line each on failure, naming FILE and the reason):
  machine AMD64; subsystem native (driver) or console (program);
  imports: the driver only from ntoskrnl.exe and hal.dll, a program only
  from DLLs every Windows has (no runtime DLL to ship);
  no section both writable and executable; SectionAlignment 4 KiB and every
  section starting on a page; the driver's PE checksum right and not 0.
"""
import sys

import pefile

SYSTEM_DLLS = {"kernel32.dll", "advapi32.dll", "msvcrt.dll", "ntdll.dll",
               "user32.dll", "ws2_32.dll", "shell32.dll", "iphlpapi.dll",
               "ole32.dll"}
DRIVER_DLLS = {"ntoskrnl.exe", "hal.dll"}
W = pefile.SECTION_CHARACTERISTICS["IMAGE_SCN_MEM_WRITE"]
X = pefile.SECTION_CHARACTERISTICS["IMAGE_SCN_MEM_EXECUTE"]
PAGE = 0x1000


def problems(kind, pe):
    oh = pe.OPTIONAL_HEADER
    if pe.FILE_HEADER.Machine != pefile.MACHINE_TYPE["IMAGE_FILE_MACHINE_AMD64"]:
        yield "machine %#x, not AMD64" % pe.FILE_HEADER.Machine
    want = ("IMAGE_SUBSYSTEM_NATIVE" if kind == "driver"
            else "IMAGE_SUBSYSTEM_WINDOWS_CUI")
    if oh.Subsystem != pefile.SUBSYSTEM_TYPE[want]:
        yield "subsystem %d, not %s" % (oh.Subsystem, want)
    allowed = DRIVER_DLLS if kind == "driver" else SYSTEM_DLLS
    for imp in getattr(pe, "DIRECTORY_ENTRY_IMPORT", []):
        dll = imp.dll.decode().lower()
        if dll not in allowed:
            yield "imports from %s" % dll
    if oh.SectionAlignment != PAGE:
        yield "SectionAlignment %#x, not %#x" % (oh.SectionAlignment, PAGE)
    for s in pe.sections:
        name = s.Name.rstrip(b"\0").decode(errors="replace")
        if s.Characteristics & W and s.Characteristics & X:
            yield "section %s is writable and executable" % name
        if s.VirtualAddress % PAGE:
            yield "section %s at %#x, not on a page" % (name, s.VirtualAddress)
    if kind == "driver":
        if not oh.CheckSum:
            yield "no PE checksum"
        elif oh.CheckSum != pe.generate_checksum():
            yield "PE checksum %#x, computed %#x" % (oh.CheckSum,
                                                    pe.generate_checksum())


def breaks(what, path, out):
    pe = pefile.PE(path)
    if what == "checksum":
        pe.OPTIONAL_HEADER.CheckSum ^= 0x10
    elif what == "wx":
        pe.sections[0].Characteristics |= W | X
    elif what == "align":
        pe.sections[-1].VirtualAddress += 0x200
    else:
        sys.exit("pecheck.py: --break=%s: not checksum, wx or align" % what)
    pe.write(out)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--imports":
        pe = pefile.PE(sys.argv[2])
        print(" ".join(sorted(i.dll.decode().lower()
                              for i in pe.DIRECTORY_ENTRY_IMPORT)))
        return 0
    if len(sys.argv) == 4 and sys.argv[1].startswith("--break="):
        breaks(sys.argv[1][8:], sys.argv[2], sys.argv[3])
        return 0
    if len(sys.argv) != 3 or sys.argv[1] not in ("driver", "program"):
        sys.exit(__doc__.split("\n\n")[1])
    bad = 0
    try:
        pe = pefile.PE(sys.argv[2])
    except (OSError, pefile.PEFormatError) as e:
        print("%s: not a PE file: %s" % (sys.argv[2], e))
        return 1
    for p in problems(sys.argv[1], pe):
        print("%s: %s" % (sys.argv[2], p))
        bad = 1
    return bad


sys.exit(main())
