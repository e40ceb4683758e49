/* common/sha1: SHA-1 (RFC 3174) and HMAC-SHA1 (RFC 2104).
 *
 * Only for protocols that prescribe it: coturn's time-limited TURN
 * credentials (the REST API scheme, `use-auth-secret`) are
 * base64(HMAC-SHA1(secret, username)), and libsodium has no SHA-1.
 * Never use it for anything new that needs collision resistance.
 */
#ifndef CONFAB_COMMON_SHA1_H
#define CONFAB_COMMON_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_LEN 20		/* digest bytes */
#define SHA1_BLOCK 64		/* block bytes */

struct sha1_ctx {
	uint32_t h[5];
	uint64_t bytes;		/* message length so far */
	uint8_t buf[SHA1_BLOCK];
	size_t nbuf;
};

void sha1_init(struct sha1_ctx *c);
void sha1_update(struct sha1_ctx *c, const void *data, size_t n);
/* The digest; c is wiped afterwards. */
void sha1_final(struct sha1_ctx *c, uint8_t out[SHA1_LEN]);
/* One call: the digest of data. */
void sha1(const void *data, size_t n, uint8_t out[SHA1_LEN]);
/* HMAC-SHA1 of msg under key (any length; longer than a block is hashed
 * first, as RFC 2104 says). */
void sha1_hmac(const void *key, size_t klen, const void *msg, size_t n,
	       uint8_t out[SHA1_LEN]);

#endif
