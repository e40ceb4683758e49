/* call/offer: the offer and answer as JSON (see call/offer.h). */
#include "call/offer.h"

#include <stdio.h>
#include <string.h>

json_t *offer_to_json(const struct offer *o)
{
	char key[64];

	sec_pk_to_b64(o->key, key);
	return json_pack("{s:i,s:s,s:{s:s,s:s},s:{s:s,s:i,s:i,s:b,s:b,s:I},"
			 "s:b,s:s}", "v", 1, "key", key, "ice", "ufrag",
			 o->ufrag, "pwd", o->pwd, "audio", "codec", "opus",
			 "rate", 48000, "ptime", o->ptime, "fec", o->fec,
			 "dtx", o->dtx, "ssrc", (json_int_t)o->ssrc, "video",
			 o->video, "name", o->name);
}

/* ICE ufrag/pwd: ice-chars (ALPHA / DIGIT / "+" / "/"), RFC 8839. */
static bool ice_chars(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	if (n < min || n > max)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '+' || *s == '/'))
			return false;
	return true;
}

int offer_from_json(json_t *j, struct offer *o, const char **why)
{
	const char *key = NULL, *ufrag = NULL, *pwd = NULL, *codec = NULL,
		   *name = NULL;
	json_int_t v = 0, rate = 0, ptime = 20, ssrc = 0;
	int fec = 1, dtx = 0, video = 0;
	json_error_t je;

	memset(o, 0, sizeof *o);
	if (json_unpack_ex(j, &je, 0, "{s:I,s:s,s:{s:s,s:s},s:{s:s,s:I,s?I,"
			   "s?b,s?b,s:I},s?b,s?s}", "v", &v, "key", &key,
			   "ice", "ufrag", &ufrag, "pwd", &pwd, "audio",
			   "codec", &codec, "rate", &rate, "ptime", &ptime,
			   "fec", &fec, "dtx", &dtx, "ssrc", &ssrc, "video",
			   &video, "name", &name) < 0) {
		*why = "it is not an offer (fields missing or of the wrong "
		       "type)";
		return -1;
	}
	if (v != 1) {
		*why = "it is of another version";
		return -1;
	}
	if (sec_pk_from_b64(key, o->key) < 0) {
		*why = "its key is not an X25519 public key";
		return -1;
	}
	if (!ice_chars(ufrag, 4, 256) || !ice_chars(pwd, 22, 256)) {
		*why = "its ICE credentials are not valid";
		return -1;
	}
	if (strcmp(codec, "opus") != 0 || rate != 48000) {
		*why = "it offers no codec this version speaks (Opus at 48 kHz)";
		return -1;
	}
	if (ptime != 10 && ptime != 20) {
		*why = "its frame length is neither 10 nor 20 ms";
		return -1;
	}
	if (ssrc < 0 || ssrc > 0xffffffffLL) {
		*why = "its SSRC is out of range";
		return -1;
	}
	snprintf(o->ufrag, sizeof o->ufrag, "%s", ufrag);
	snprintf(o->pwd, sizeof o->pwd, "%s", pwd);
	snprintf(o->name, sizeof o->name, "%s", name ? name : "");
	o->ptime = (int)ptime;
	o->fec = fec;
	o->dtx = dtx;
	o->video = video;
	o->ssrc = (uint32_t)ssrc;
	return 0;
}
