/* common/sha1: SHA-1 (RFC 3174) and HMAC-SHA1 (RFC 2104); see sha1.h. */
#include "common/sha1.h"

#include <string.h>

static uint32_t rol(uint32_t x, int n)
{
	return (x << n) | (x >> (32 - n));
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* One 64-byte block into the state (RFC 3174, section 6.1). */
static void block(uint32_t h[5], const uint8_t *p)
{
	uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];

	for (int t = 0; t < 16; t++)
		w[t] = be32(p + 4 * t);
	for (int t = 16; t < 80; t++)
		w[t] = rol(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
	for (int t = 0; t < 80; t++) {
		uint32_t f, k;
		if (t < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (t < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (t < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		uint32_t tmp = rol(a, 5) + f + e + w[t] + k;
		e = d;
		d = c;
		c = rol(b, 30);
		b = a;
		a = tmp;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void sha1_init(struct sha1_ctx *c)
{
	static const uint32_t h0[5] = { 0x67452301, 0xefcdab89, 0x98badcfe,
					0x10325476, 0xc3d2e1f0 };

	memset(c, 0, sizeof *c);
	memcpy(c->h, h0, sizeof h0);
}

void sha1_update(struct sha1_ctx *c, const void *data, size_t n)
{
	const uint8_t *p = data;

	if (!n)
		return;
	c->bytes += n;
	if (c->nbuf) {
		size_t take = SHA1_BLOCK - c->nbuf < n ? SHA1_BLOCK - c->nbuf
						       : n;
		memcpy(c->buf + c->nbuf, p, take);
		c->nbuf += take;
		p += take;
		n -= take;
		if (c->nbuf < SHA1_BLOCK)
			return;
		block(c->h, c->buf);
		c->nbuf = 0;
	}
	for (; n >= SHA1_BLOCK; p += SHA1_BLOCK, n -= SHA1_BLOCK)
		block(c->h, p);
	if (n) {
		memcpy(c->buf, p, n);
		c->nbuf = n;
	}
}

void sha1_final(struct sha1_ctx *c, uint8_t out[SHA1_LEN])
{
	uint64_t bits = c->bytes * 8;
	uint8_t pad[SHA1_BLOCK + 8] = { 0x80 };
	/* 0x80, zeros, then the length: to a multiple of the block */
	size_t npad = (c->nbuf < 56 ? 56 : 56 + SHA1_BLOCK) - c->nbuf;

	for (int i = 0; i < 8; i++)
		pad[npad + (size_t)i] = (uint8_t)(bits >> (56 - 8 * i));
	sha1_update(c, pad, npad + 8);
	for (int i = 0; i < 5; i++) {
		out[4 * i] = (uint8_t)(c->h[i] >> 24);
		out[4 * i + 1] = (uint8_t)(c->h[i] >> 16);
		out[4 * i + 2] = (uint8_t)(c->h[i] >> 8);
		out[4 * i + 3] = (uint8_t)c->h[i];
	}
	memset(c, 0, sizeof *c);
}

void sha1(const void *data, size_t n, uint8_t out[SHA1_LEN])
{
	struct sha1_ctx c;

	sha1_init(&c);
	sha1_update(&c, data, n);
	sha1_final(&c, out);
}

/* RFC 2104: H(K ^ opad, H(K ^ ipad, text)), K padded to a block. */
void sha1_hmac(const void *key, size_t klen, const void *msg, size_t n,
	       uint8_t out[SHA1_LEN])
{
	uint8_t k[SHA1_BLOCK] = { 0 }, pad[SHA1_BLOCK], inner[SHA1_LEN];
	struct sha1_ctx c;

	if (klen > SHA1_BLOCK)
		sha1(key, klen, k);
	else if (klen)
		memcpy(k, key, klen);
	for (int i = 0; i < SHA1_BLOCK; i++)
		pad[i] = k[i] ^ 0x36;
	sha1_init(&c);
	sha1_update(&c, pad, sizeof pad);
	sha1_update(&c, msg, n);
	sha1_final(&c, inner);
	for (int i = 0; i < SHA1_BLOCK; i++)
		pad[i] = k[i] ^ 0x5c;
	sha1_init(&c);
	sha1_update(&c, pad, sizeof pad);
	sha1_update(&c, inner, sizeof inner);
	sha1_final(&c, out);
	memset(k, 0, sizeof k);
	memset(pad, 0, sizeof pad);
	memset(inner, 0, sizeof inner);
}
