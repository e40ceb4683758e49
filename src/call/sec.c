/* call/sec: end-to-end media keys and SRTP (see call/sec.h). */
#include "call/sec.h"
#include "common/str.h"

#include <pthread.h>
#include <sodium.h>
#include <srtp2/srtp.h>
#include <stdlib.h>
#include <string.h>

/* ---- keys ------------------------------------------------------------------------ */

void sec_keypair_new(struct sec_keypair *k)
{
	if (sodium_init() < 0)
		abort();	/* no randomness: nothing safe to do */
	randombytes_buf(k->sk, sizeof k->sk);
	crypto_scalarmult_base(k->pk, k->sk);
}

void sec_pk_to_b64(const uint8_t pk[SEC_PK_LEN], char out[64])
{
	sodium_bin2base64(out, 64, pk, SEC_PK_LEN,
			  sodium_base64_VARIANT_ORIGINAL);
}

int sec_pk_from_b64(const char *b64, uint8_t pk[SEC_PK_LEN])
{
	size_t n = 0;

	if (!b64 || sodium_base642bin(pk, SEC_PK_LEN, b64, strlen(b64), NULL,
				      &n, NULL,
				      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    n != SEC_PK_LEN)
		return -1;
	return 0;
}

/* BLAKE2b keyed with the shared secret over label || caller || callee. */
static void kdf(uint8_t *out, size_t len, const uint8_t secret[32],
		const char *label, const uint8_t caller[SEC_PK_LEN],
		const uint8_t callee[SEC_PK_LEN])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, secret, 32, len);
	crypto_generichash_update(&st, (const uint8_t *)"confab-media-v1 ",
				  16);
	crypto_generichash_update(&st, (const uint8_t *)label, strlen(label));
	crypto_generichash_update(&st, caller, SEC_PK_LEN);
	crypto_generichash_update(&st, callee, SEC_PK_LEN);
	crypto_generichash_final(&st, out, len);
}

int sec_derive(const struct sec_keypair *mine, const uint8_t peer[SEC_PK_LEN],
	       bool caller, struct sec_keys *out)
{
	/* no 0/1/l: read aloud, they are mistaken for o and i */
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
	uint8_t secret[32], c2e[SEC_MASTER_LEN], e2c[SEC_MASTER_LEN], sas[4];
	const uint8_t *cpk = caller ? mine->pk : peer;
	const uint8_t *epk = caller ? peer : mine->pk;

	if (sodium_init() < 0 || crypto_scalarmult(secret, mine->sk, peer) != 0)
		return -1;
	kdf(c2e, sizeof c2e, secret, "caller to callee", cpk, epk);
	kdf(e2c, sizeof e2c, secret, "callee to caller", cpk, epk);
	kdf(sas, sizeof sas, secret, "short authentication string", cpk,
	    epk);
	memcpy(out->tx, caller ? c2e : e2c, SEC_MASTER_LEN);
	memcpy(out->rx, caller ? e2c : c2e, SEC_MASTER_LEN);
	/* 20 bits, 5 per letter, as ZRTP's base-32 SAS */
	uint32_t v = (uint32_t)sas[0] << 12 | (uint32_t)sas[1] << 4 |
		     sas[2] >> 4;
	for (int i = 0; i < SEC_SAS_LEN; i++)
		out->sas[i] = alphabet[(v >> (15 - 5 * i)) & 31];
	out->sas[SEC_SAS_LEN] = '\0';
	sodium_memzero(secret, sizeof secret);
	sodium_memzero(c2e, sizeof c2e);
	sodium_memzero(e2c, sizeof e2c);
	return 0;
}

/* ---- SRTP --------------------------------------------------------------------------- */

struct sec_srtp {
	srtp_t tx, rx;
	struct sec_stats st;
};

static pthread_once_t srtp_once = PTHREAD_ONCE_INIT;
static srtp_err_status_t srtp_init_rc;

static void srtp_start(void)
{
	srtp_init_rc = srtp_init();
}

static srtp_t session(const uint8_t key[SEC_MASTER_LEN], bool inbound)
{
	srtp_policy_t p;
	srtp_t s = NULL;

	memset(&p, 0, sizeof p);
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtp);
	srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtcp);
	p.ssrc.type = inbound ? ssrc_any_inbound : ssrc_any_outbound;
	p.key = (unsigned char *)key;
	p.window_size = 128;
	p.allow_repeat_tx = 0;
	if (srtp_create(&s, &p) != srtp_err_status_ok)
		return NULL;
	return s;
}

struct sec_srtp *sec_srtp_new(const struct sec_keys *k)
{
	struct sec_srtp *s;

	pthread_once(&srtp_once, srtp_start);
	if (srtp_init_rc != srtp_err_status_ok)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->tx = session(k->tx, false);
	s->rx = session(k->rx, true);
	if (!s->tx || !s->rx) {
		sec_srtp_free(s);
		return NULL;
	}
	return s;
}

void sec_srtp_free(struct sec_srtp *s)
{
	if (!s)
		return;
	if (s->tx)
		srtp_dealloc(s->tx);
	if (s->rx)
		srtp_dealloc(s->rx);
	free(s);
}

int sec_protect(struct sec_srtp *s, uint8_t *buf, size_t *len)
{
	int n = (int)*len;

	if (*len < 12 || srtp_protect(s->tx, buf, &n) != srtp_err_status_ok)
		return -1;
	*len = (size_t)n;
	s->st.protected_rtp++;
	return 0;
}

int sec_protect_rtcp(struct sec_srtp *s, uint8_t *buf, size_t *len)
{
	int n = (int)*len;

	if (*len < 8 ||
	    srtp_protect_rtcp(s->tx, buf, &n) != srtp_err_status_ok)
		return -1;
	*len = (size_t)n;
	return 0;
}

static int dropped(struct sec_srtp *s, srtp_err_status_t rc)
{
	if (rc == srtp_err_status_auth_fail)
		s->st.forged++;
	else if (rc == srtp_err_status_replay_fail ||
		 rc == srtp_err_status_replay_old)
		s->st.replayed++;
	else
		s->st.bad++;
	return -1;
}

int sec_unprotect(struct sec_srtp *s, uint8_t *buf, size_t *len)
{
	int n = (int)*len;
	srtp_err_status_t rc;

	if (*len < 12 + 10 || *len > 65536)
		return dropped(s, srtp_err_status_bad_param);
	rc = srtp_unprotect(s->rx, buf, &n);
	if (rc != srtp_err_status_ok)
		return dropped(s, rc);
	*len = (size_t)n;
	s->st.unprotected_rtp++;
	return 0;
}

int sec_unprotect_rtcp(struct sec_srtp *s, uint8_t *buf, size_t *len)
{
	int n = (int)*len;
	srtp_err_status_t rc;

	if (*len < 8 + 4 + 10 || *len > 65536)
		return dropped(s, srtp_err_status_bad_param);
	rc = srtp_unprotect_rtcp(s->rx, buf, &n);
	if (rc != srtp_err_status_ok)
		return dropped(s, rc);
	*len = (size_t)n;
	return 0;
}

void sec_srtp_stats(const struct sec_srtp *s, struct sec_stats *out)
{
	*out = s->st;
}
