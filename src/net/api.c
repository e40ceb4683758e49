/* net/api: the client's HTTP/JSON calls to confabd (libcurl). */
#include "net/api.h"
#include "common/str.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

#define MAX_REPLY (8u << 20)	/* a reply larger than this is refused */

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct sbuf *b = arg;

	if (b->len + size * n > MAX_REPLY)
		return 0;	/* aborts the transfer */
	sbuf_addn(b, p, size * n);
	return size * n;
}

int api_call(const struct api *a, const char *method, const char *path,
	     json_t *body, long *status, json_t **reply, char **err)
{
	CURL *c;
	struct curl_slist *h = NULL;
	struct sbuf out;
	char ebuf[CURL_ERROR_SIZE] = "";
	char *url, *payload = NULL, *auth = NULL;
	int rc = 0;

	*status = 0;
	*reply = NULL;
	pthread_once(&once, global_init);
	if (!(c = curl_easy_init())) {
		*err = xstrdup("cannot start an HTTP request");
		return -1;
	}
	size_t bl = strlen(a->base);
	url = xasprintf("%.*s%s", (int)(bl && a->base[bl - 1] == '/' ? bl - 1 :
					bl), a->base, path);
	sbuf_init(&out);
	h = curl_slist_append(h, "Accept: application/json");
	if (a->token) {
		auth = xasprintf("Authorization: Bearer %s", a->token);
		h = curl_slist_append(h, auth);
	}
	if (body) {
		payload = json_dumps(body, JSON_COMPACT);
		h = curl_slist_append(h, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, a->timeout_ms ? a->timeout_ms :
							       15000L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "confab/0.1.0");
	CURLcode cr = curl_easy_perform(c);
	if (cr != CURLE_OK) {
		*err = xasprintf("cannot reach %s: %s", a->base,
				 *ebuf ? ebuf : curl_easy_strerror(cr));
		rc = -1;
	} else {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
		json_error_t je;
		*reply = out.len ? json_loadb(out.s, out.len, 0, &je) : NULL;
		if (out.len && !*reply) {
			*err = xasprintf("%s answered %ld with something that is "
					 "not JSON: is it a confab server?",
					 a->base, *status);
			rc = -1;
		}
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	sbuf_free(&out);
	free(url);
	free(payload);
	free(auth);
	return rc;
}

const char *api_error_message(json_t *reply, long status)
{
	const char *m = json_string_value(json_object_get(
		json_object_get(reply, "error"), "message"));

	if (m && *m)
		return m;
	switch (status) {
	case 401: return "not signed in, or the session has ended";
	case 403: return "not allowed";
	case 404: return "not found on this server";
	case 429: return "too many tries: wait a moment";
	default: return status >= 500 ? "the server failed" :
					 "the server refused the request";
	}
}
