/* call/sec: end-to-end media keys and SRTP.
 *
 * Each side of a call makes a fresh X25519 key pair and puts the public
 * key in its offer or answer.  From the shared secret and both public
 * keys (the caller's first) both derive the same SRTP master keys, one
 * per direction, and the same short authentication string (SAS): four
 * letters and digits both screens show, so that the two people can read
 * them to each other and know no one sits in the middle.  confabd only
 * carries the public keys; it never sees a media key.
 *
 * SRTP is libsrtp2 with AES-128 counter mode and HMAC-SHA1-80, for RTP
 * and RTCP, with its replay window: a forged packet fails authentication
 * and a replayed one the replay check; both are counted and dropped,
 * never played.
 */
#ifndef CONFAB_CALL_SEC_H
#define CONFAB_CALL_SEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SEC_PK_LEN 32
#define SEC_MASTER_LEN 30	/* 16 key + 14 salt */
#define SEC_SAS_LEN 4
#define SEC_TRAILER_MAX 144	/* room srtp_protect may add (tag, MKI) */

struct sec_keypair {
	uint8_t pk[SEC_PK_LEN], sk[32];
};

/* A fresh key pair. */
void sec_keypair_new(struct sec_keypair *k);
/* Public key as base64 (no padding issues: 44 chars + NUL) and back. */
void sec_pk_to_b64(const uint8_t pk[SEC_PK_LEN], char out[64]);
int sec_pk_from_b64(const char *b64, uint8_t pk[SEC_PK_LEN]);

struct sec_keys {
	uint8_t tx[SEC_MASTER_LEN], rx[SEC_MASTER_LEN];
	char sas[SEC_SAS_LEN + 1];	/* e.g. "k7qm" */
};
/* Derive this side's keys; `caller` tells which side this is.  -1 when
 * the peer's key is not a usable X25519 point (all-zero secret). */
int sec_derive(const struct sec_keypair *mine, const uint8_t peer[SEC_PK_LEN],
	       bool caller, struct sec_keys *out);

struct sec_srtp;
struct sec_stats {
	uint64_t protected_rtp, unprotected_rtp;
	uint64_t forged;	/* failed authentication */
	uint64_t replayed;	/* failed the replay check */
	uint64_t bad;		/* any other failure (too short, ...) */
};
/* One SRTP context pair (outbound with tx, inbound with rx).  NULL on a
 * library error. */
struct sec_srtp *sec_srtp_new(const struct sec_keys *k);
void sec_srtp_free(struct sec_srtp *s);
/* Protect in place: buf holds len bytes of RTP (RTCP) and has room for
 * len + SEC_TRAILER_MAX; *len grows.  0, or -1. */
int sec_protect(struct sec_srtp *s, uint8_t *buf, size_t *len);
int sec_protect_rtcp(struct sec_srtp *s, uint8_t *buf, size_t *len);
/* Check and decrypt in place; *len shrinks.  0 when good; -1 when the
 * packet is dropped (counted as forged, replayed or bad). */
int sec_unprotect(struct sec_srtp *s, uint8_t *buf, size_t *len);
int sec_unprotect_rtcp(struct sec_srtp *s, uint8_t *buf, size_t *len);
void sec_srtp_stats(const struct sec_srtp *s, struct sec_stats *out);

#endif
