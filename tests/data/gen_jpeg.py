#!/usr/bin/env python3
"""tests/data/gen_jpeg.py: write a small baseline JPEG (JFIF, YCbCr 4:4:4,
the standard tables of ITU T.81 annex K) with nothing but Python.

No JPEG tool is installed on the test machines, so the fixture the tests
use (tests/data/photo.jpg, 48x32, a colour gradient with a dark disc) is
made by this script and kept in the tree; run it again to remake it:

    python3 tests/data/gen_jpeg.py tests/data/photo.jpg [WIDTH HEIGHT]
"""
import math
import struct
import sys

ZIGZAG = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
    12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
    35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
    58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63]

Q_LUMA = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99]
Q_CHROMA = [
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
    24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99] + [99] * 32

# (bits: number of codes of each length 1..16, values) -- T.81 K.3 to K.6
DC_LUMA = ([0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], list(range(12)))
DC_CHROMA = ([0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], list(range(12)))
AC_LUMA = ([0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d], bytes.fromhex(
    "01020300041105122131410613516107227114328191a1082342b1c11552d1f0"
    "2433627282090a161718191a25262728292a3435363738393a43444546474849"
    "4a535455565758595a636465666768696a737475767778797a83848586878889"
    "8a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5"
    "c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8"
    "f9fa"))
AC_CHROMA = ([0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77], bytes.fromhex(
    "000102031104052131061241510761711322328108144291a1b1c109233352f0"
    "156272d10a162434e125f11718191a262728292a35363738393a434445464748"
    "494a535455565758595a636465666768696a737475767778797a828384858687"
    "88898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3"
    "c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8"
    "f9fa"))


def codes(table):
    bits, vals = table
    out, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            out[vals[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return out


class Bits:
    def __init__(self):
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, value, length):
        for i in range(length - 1, -1, -1):
            self.acc = (self.acc << 1) | ((value >> i) & 1)
            self.n += 1
            if self.n == 8:
                self.out.append(self.acc)
                if self.acc == 0xff:
                    self.out.append(0)      # byte stuffing
                self.acc = self.n = 0

    def flush(self):
        if self.n:
            self.put((1 << (8 - self.n)) - 1, 8 - self.n)


COS = [[math.cos((2 * x + 1) * u * math.pi / 16) for x in range(8)]
       for u in range(8)]


def fdct(block):
    out = [0.0] * 64
    for v in range(8):
        for u in range(8):
            s = 0.0
            for y in range(8):
                for x in range(8):
                    s += block[y * 8 + x] * COS[u][x] * COS[v][y]
            cu = 1 / math.sqrt(2) if u == 0 else 1
            cv = 1 / math.sqrt(2) if v == 0 else 1
            out[v * 8 + u] = 0.25 * cu * cv * s
    return out


def category(v):
    v = abs(v)
    n = 0
    while v:
        n += 1
        v >>= 1
    return n


def put_value(bits, v):
    n = category(v)
    if n:
        bits.put(v if v > 0 else v + (1 << n) - 1, n)


def encode_block(bits, block, q, dc_codes, ac_codes, prev_dc):
    coef = fdct([p - 128 for p in block])
    zz = [int(round(coef[ZIGZAG[i]] / q[ZIGZAG[i]])) for i in range(64)]
    diff = zz[0] - prev_dc
    code, length = dc_codes[category(diff)]
    bits.put(code, length)
    put_value(bits, diff)
    run = 0
    for i in range(1, 64):
        if zz[i] == 0:
            run += 1
            continue
        while run > 15:
            bits.put(*ac_codes[0xf0])
            run -= 16
        bits.put(*ac_codes[(run << 4) | category(zz[i])])
        put_value(bits, zz[i])
        run = 0
    if run:
        bits.put(*ac_codes[0x00])
    return zz[0]


def segment(marker, payload):
    return struct.pack(">BBH", 0xff, marker, len(payload) + 2) + payload


def dht(cls, ident, table):
    bits, vals = table
    return bytes([(cls << 4) | ident]) + bytes(bits) + bytes(vals)


def pixel(x, y, w, h):
    r = 40 + 200 * x // max(w - 1, 1)
    g = 40 + 200 * y // max(h - 1, 1)
    b = 160
    if (x - w / 2) ** 2 + (y - h / 2) ** 2 < (min(w, h) / 3) ** 2:
        r, g, b = r // 4, g // 4, 60
    return r, g, b


def encode(w, h):
    ycc = []
    for y in range(h):
        row = []
        for x in range(w):
            r, g, b = pixel(x, y, w, h)
            row.append((0.299 * r + 0.587 * g + 0.114 * b,
                        128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
                        128 + 0.5 * r - 0.418688 * g - 0.081312 * b))
        ycc.append(row)
    tables = [(Q_LUMA, codes(DC_LUMA), codes(AC_LUMA)),
              (Q_CHROMA, codes(DC_CHROMA), codes(AC_CHROMA)),
              (Q_CHROMA, codes(DC_CHROMA), codes(AC_CHROMA))]
    bits = Bits()
    prev = [0, 0, 0]
    for by in range(0, h, 8):
        for bx in range(0, w, 8):
            for c in range(3):
                block = [ycc[min(by + y, h - 1)][min(bx + x, w - 1)][c]
                         for y in range(8) for x in range(8)]
                q, dc, ac = tables[c]
                prev[c] = encode_block(bits, block, q, dc, ac, prev[c])
    bits.flush()

    out = b"\xff\xd8"
    out += segment(0xe0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0")
    out += segment(0xdb, bytes([0]) + bytes(Q_LUMA[i] for i in ZIGZAG))
    out += segment(0xdb, bytes([1]) + bytes(Q_CHROMA[i] for i in ZIGZAG))
    out += segment(0xc0, struct.pack(">BHHB", 8, h, w, 3) +
                   bytes([1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]))
    out += segment(0xc4, dht(0, 0, DC_LUMA) + dht(1, 0, AC_LUMA) +
                   dht(0, 1, DC_CHROMA) + dht(1, 1, AC_CHROMA))
    out += segment(0xda, bytes([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]))
    return out + bytes(bits.out) + b"\xff\xd9"


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "tests/data/photo.jpg"
    w = int(sys.argv[2]) if len(sys.argv) > 2 else 48
    h = int(sys.argv[3]) if len(sys.argv) > 3 else 32
    with open(path, "wb") as f:
        f.write(encode(w, h))


if __name__ == "__main__":
    main()
