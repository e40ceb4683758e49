#!/usr/bin/env python3
"""tests/it/proxy.py MODE LOG: a tiny forward proxy for the tests.

MODE is "http" (an HTTP proxy: absolute-URI requests, one per connection)
or "socks5" (SOCKS5, no authentication, CONNECT only).  It listens on
127.0.0.1, prints its port on the first line of stdout, and appends one
line per request to LOG ("http GET /v1/me" or "socks5 127.0.0.1:PORT"),
so a test can see the traffic went through it.  Standard library only.
"""
import socket
import struct
import sys
import threading
from urllib.parse import urlsplit

mode, log = sys.argv[1], sys.argv[2]
lock = threading.Lock()


def note(line):
    with lock, open(log, "a") as f:
        f.write(line + "\n")


def pipe(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    finally:
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def recv_until(c, end):
    buf = b""
    while end not in buf:
        d = c.recv(65536)
        if not d:
            raise OSError("closed")
        buf += d
    return buf


def http(c):
    buf = recv_until(c, b"\r\n\r\n")
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    method, url, version = lines[0].split(" ", 2)
    u = urlsplit(url)
    length = 0
    out = ["%s %s %s" % (method, u.path + ("?" + u.query if u.query else ""),
                         version)]
    for h in lines[1:]:
        k = h.split(":", 1)[0].strip().lower()
        if k == "content-length":
            length = int(h.split(":", 1)[1])
        if k in ("proxy-connection", "connection"):
            continue
        out.append(h)
    out.append("Connection: close")
    while len(rest) < length:
        rest += c.recv(65536)
    note("http %s %s" % (method, u.path))
    up = socket.create_connection((u.hostname, u.port or 80))
    up.sendall(("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + rest)
    pipe(up, c)


def socks5(c):
    n = c.recv(2)
    c.recv(n[1])
    c.sendall(b"\x05\x00")
    req = c.recv(4)
    if req[1] != 1:
        c.sendall(b"\x05\x07\x00\x01" + b"\0" * 6)
        return
    if req[3] == 1:
        host = socket.inet_ntoa(c.recv(4))
    elif req[3] == 3:
        host = c.recv(c.recv(1)[0]).decode()
    else:
        host = socket.inet_ntop(socket.AF_INET6, c.recv(16))
    port = struct.unpack(">H", c.recv(2))[0]
    note("socks5 %s:%d" % (host, port))
    up = socket.create_connection((host, port))
    c.sendall(b"\x05\x00\x00\x01" + socket.inet_aton("127.0.0.1") +
              struct.pack(">H", 0))
    t = threading.Thread(target=pipe, args=(up, c), daemon=True)
    t.start()
    pipe(c, up)


def serve(c):
    try:
        (http if mode == "http" else socks5)(c)
    except OSError:
        pass
    finally:
        c.close()


s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(64)
print(s.getsockname()[1], flush=True)
while True:
    conn, _ = s.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
