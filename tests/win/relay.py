#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""relay.py --- a byte relay between a unix socket and a loopback TCP port,
for tests/win's cross-checks of the console's socket: the Linux
colinux-console against the Windows console code under Wine (which puts
its sockets on loopback TCP, tests/win/usock-tcp.c) and the Windows
colinux-console against the Linux console code.

  relay.py LISTEN CONNECT     each unix:PATH or win:PATH (the TCP port
                              usock-tcp.c gives the Windows path PATH)

Prints "listening" once it listens; every connection to LISTEN gets its
own connection to CONNECT, bytes copied both ways as they are, an end of
one side passed on as the end of writing to the other.
"""
import os
import socket
import sys
import threading


def port(path):
    h = 2166136261  # FNV-1a, as usock-tcp.c
    for b in path.encode():
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return 20000 + h % 20000


def address(spec):
    kind, _, path = spec.partition(":")
    if kind == "unix":
        return socket.AF_UNIX, path
    if kind == "win":
        return socket.AF_INET, ("127.0.0.1", port(path))
    sys.exit("relay.py: %s: not unix:PATH or win:PATH" % spec)


def copy(src, dst):
    try:
        while True:
            data = src.recv(4096)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def serve(client, to):
    upstream = socket.socket(to[0], socket.SOCK_STREAM)
    try:
        upstream.connect(to[1])
    except OSError as e:
        print("relay.py: %s: %s" % (to[1], e), file=sys.stderr)
        client.close()
        return
    a = threading.Thread(target=copy, args=(client, upstream))
    b = threading.Thread(target=copy, args=(upstream, client))
    a.start()
    b.start()
    a.join()
    b.join()
    client.close()
    upstream.close()


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    frm, to = address(sys.argv[1]), address(sys.argv[2])
    listener = socket.socket(frm[0], socket.SOCK_STREAM)
    # The last run's connections may still wait out TIME_WAIT on the port.
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if frm[0] == socket.AF_UNIX and os.path.exists(frm[1]):
        os.unlink(frm[1])
    listener.bind(frm[1])
    listener.listen(4)
    print("listening on %s" % sys.argv[1], flush=True)
    while True:
        client, _ = listener.accept()
        threading.Thread(target=serve, args=(client, to), daemon=True).start()


main()
