#!/usr/bin/env python3
"""tests/it/smtp_sink.py: a small SMTP server for the tests (asyncio only).

    smtp_sink.py DIR [--auth USER:PASSWORD] [--delay SECONDS]

Listens on 127.0.0.1, a free port, which it writes to DIR/port once ready.
Each message received is written to DIR/N.eml (the data, dot-unstuffed,
as sent) and DIR/N.env (the envelope: "from ...", "rcpt ...", "auth ..."
lines), N counting from 1; the .eml appears last and whole (rename).
With --auth it offers AUTH PLAIN and LOGIN and takes only that user;
--delay waits before the greeting (a slow mail server).  Runs until
killed.
"""
import asyncio
import base64
import os
import sys


class Sink:
    def __init__(self, out, auth, delay):
        self.out = out
        self.auth = auth
        self.delay = delay
        self.count = 0

    def save(self, env, data):
        self.count += 1
        base = os.path.join(self.out, str(self.count))
        with open(base + ".env", "w") as f:
            f.write("\n".join(env) + "\n")
        with open(base + ".tmp", "wb") as f:
            f.write(data)
        os.rename(base + ".tmp", base + ".eml")

    def check_plain(self, b64):
        try:
            parts = base64.b64decode(b64).split(b"\0")
        except ValueError:
            return False
        return len(parts) == 3 and \
            parts[1].decode() + ":" + parts[2].decode() == self.auth

    async def session(self, reader, writer):
        def send(line):
            writer.write(line.encode() + b"\r\n")

        async def line():
            raw = await reader.readline()
            if not raw:
                raise EOFError
            return raw.decode("utf-8", "replace").rstrip("\r\n")

        if self.delay:
            await asyncio.sleep(self.delay)
        send("220 sink ESMTP test sink")
        env, user = [], None
        try:
            while True:
                await writer.drain()
                cmd = await line()
                verb = cmd.split(" ", 1)[0].upper()
                arg = cmd[len(verb):].strip()
                if verb == "EHLO":
                    send("250-sink")
                    if self.auth:
                        send("250-AUTH PLAIN LOGIN")
                    send("250-8BITMIME")
                    send("250 SIZE 1000000")
                elif verb == "HELO":
                    send("250 sink")
                elif verb == "AUTH" and self.auth:
                    mech, _, init = arg.partition(" ")
                    ok = False
                    if mech.upper() == "PLAIN":
                        if not init:
                            send("334 ")
                            await writer.drain()
                            init = await line()
                        ok = self.check_plain(init)
                    elif mech.upper() == "LOGIN":
                        send("334 VXNlcm5hbWU6")
                        await writer.drain()
                        u = base64.b64decode(await line()).decode()
                        send("334 UGFzc3dvcmQ6")
                        await writer.drain()
                        p = base64.b64decode(await line()).decode()
                        ok = u + ":" + p == self.auth
                    if ok:
                        user = self.auth.split(":", 1)[0]
                        send("235 2.7.0 authenticated")
                    else:
                        send("535 5.7.8 bad credentials")
                elif verb == "MAIL":
                    if self.auth and not user:
                        send("530 5.7.0 authentication required")
                        continue
                    env = ["from " + arg[5:].strip()]
                    if user:
                        env.append("auth " + user)
                    send("250 ok")
                elif verb == "RCPT":
                    env.append("rcpt " + arg[3:].strip())
                    send("250 ok")
                elif verb == "DATA":
                    send("354 end with <CRLF>.<CRLF>")
                    await writer.drain()
                    data = bytearray()
                    while True:
                        raw = await reader.readline()
                        if not raw:
                            raise EOFError
                        if raw in (b".\r\n", b".\n"):
                            break
                        if raw.startswith(b"."):
                            raw = raw[1:]
                        data += raw
                    self.save(env, bytes(data))
                    env = []
                    send("250 ok: queued as %d" % self.count)
                elif verb == "RSET":
                    env = []
                    send("250 ok")
                elif verb == "NOOP":
                    send("250 ok")
                elif verb == "QUIT":
                    send("221 bye")
                    await writer.drain()
                    break
                else:
                    send("502 5.5.2 not implemented")
        except (EOFError, ConnectionError):
            pass
        writer.close()


async def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    out, auth, delay = args[0], None, 0.0
    i = 1
    while i < len(args):
        if args[i] == "--auth":
            auth = args[i + 1]
        elif args[i] == "--delay":
            delay = float(args[i + 1])
        else:
            sys.exit("smtp_sink: unknown option " + args[i])
        i += 2
    os.makedirs(out, exist_ok=True)
    sink = Sink(out, auth, delay)
    server = await asyncio.start_server(sink.session, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    with open(os.path.join(out, "port.tmp"), "w") as f:
        f.write("%d\n" % port)
    os.rename(os.path.join(out, "port.tmp"), os.path.join(out, "port"))
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
