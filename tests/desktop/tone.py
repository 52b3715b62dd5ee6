#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tone.py --- a test tone, and the frequency of what was recorded.

  tone.py write FILE.wav HZ SECONDS   a sine at HZ, 48 kHz mono 16-bit
  tone.py freq FILE.raw               the dominant frequency of a recording
                                      (48 kHz mono s16le), from its rising
                                      zero crossings where it is loud;
                                      "none" when nothing loud is in it
  tone.py match FILE.raw HZ           that frequency, printed; status 0
                                      when it is HZ within 1 %, else 1
"""
import math
import struct
import sys
import wave

RATE = 48000


def write(path, hz, seconds):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        n = int(RATE * seconds)
        w.writeframes(b"".join(
            struct.pack("<h", int(16000 * math.sin(2 * math.pi * hz * i / RATE)))
            for i in range(n)))


def freq(path):
    data = open(path, "rb").read()
    s = struct.unpack("<%dh" % (len(data) // 2), data[: len(data) // 2 * 2])
    loud = [i for i, v in enumerate(s) if abs(v) > 4000]
    if len(loud) < RATE // 10:
        return "none"
    first, last = loud[0], loud[-1]
    crossings = []
    for i in range(first + 1, last + 1):
        if s[i - 1] < 0 <= s[i]:
            crossings.append(i - 1 + (-s[i - 1]) / (s[i] - s[i - 1]))
    if len(crossings) < 10:
        return "none"
    return "%.1f" % ((len(crossings) - 1) * RATE / (crossings[-1] - crossings[0]))


if sys.argv[1] == "write":
    write(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]))
elif sys.argv[1] == "match":
    f, want = freq(sys.argv[2]), float(sys.argv[3])
    print(f)
    sys.exit(0 if f != "none" and abs(float(f) - want) < want * 0.01 else 1)
else:
    print(freq(sys.argv[2]))
