/* call/offer: what each side of a call tells the other through confabd,
 * in its offer (the caller) or answer (the callee), as JSON:
 *
 *   {"v": 1, "key": X25519 public key (base64),
 *    "ice": {"ufrag": "...", "pwd": "..."},
 *    "audio": {"codec": "opus", "rate": 48000, "ptime": 20|10,
 *              "fec": true, "dtx": false, "ssrc": N},
 *    "video": false, "name": "how the caller is shown"}
 *
 * ICE candidates follow separately, trickled one by one.  Everything
 * from the other side is checked: a bad offer is refused with a reason,
 * never half used.
 */
#ifndef CONFAB_CALL_OFFER_H
#define CONFAB_CALL_OFFER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "call/sec.h"

struct offer {
	uint8_t key[SEC_PK_LEN];
	char ufrag[257], pwd[257];	/* ICE allows 256 */
	int ptime;			/* 10 or 20 ms */
	bool fec, dtx, video;
	uint32_t ssrc;
	char name[128];			/* may be empty */
};

json_t *offer_to_json(const struct offer *o);
/* 0, or -1 with *why (static text) saying what is wrong. */
int offer_from_json(json_t *j, struct offer *o, const char **why);

#endif
