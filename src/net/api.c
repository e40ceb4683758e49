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

int api_xfer_init(struct api_xfer *x, const struct api *a,
		  const char *method, const char *path, json_t *body,
		  char **err)
{
	CURL *c;

	memset(x, 0, sizeof *x);
	pthread_once(&once, global_init);
	if (!(c = curl_easy_init())) {
		*err = xstrdup("cannot start an HTTP request");
		return -1;
	}
	x->easy = c;
	x->base = xstrdup(a->base);
	size_t bl = strlen(a->base);
	x->url = xasprintf("%.*s%s", (int)(bl && a->base[bl - 1] == '/' ?
					   bl - 1 : bl), a->base, path);
	sbuf_init(&x->out);
	x->headers = curl_slist_append(NULL, "Accept: application/json");
	if (a->token) {
		char *auth = xasprintf("Authorization: Bearer %s", a->token);
		x->headers = curl_slist_append(x->headers, auth);
		free(auth);
	}
	if (body) {
		x->payload = json_dumps(body, JSON_COMPACT);
		x->headers = curl_slist_append(x->headers,
				"Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, x->payload);
	}
	if (a->proxy && *a->proxy)
		curl_easy_setopt(c, CURLOPT_PROXY, a->proxy);
	curl_easy_setopt(c, CURLOPT_URL, x->url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, x->headers);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &x->out);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, x->ebuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, a->timeout_ms ? a->timeout_ms :
							       15000L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "confab/0.1.0");
	return 0;
}

int api_xfer_result(struct api_xfer *x, int curl_code, long *status,
		    json_t **reply, char **err)
{
	CURLcode cr = (CURLcode)curl_code;

	*status = 0;
	*reply = NULL;
	if (cr != CURLE_OK) {
		*err = xasprintf("cannot reach %s: %s", x->base,
				 *x->ebuf ? x->ebuf : curl_easy_strerror(cr));
		return -1;
	}
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, status);
	json_error_t je;
	*reply = x->out.len ? json_loadb(x->out.s, x->out.len, 0, &je) : NULL;
	if (x->out.len && !*reply) {
		*err = xasprintf("%s answered %ld with something that is not "
				 "JSON: is it a confab server?", x->base,
				 *status);
		return -1;
	}
	return 0;
}

void api_xfer_free(struct api_xfer *x)
{
	if (x->easy)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->headers);
	sbuf_free(&x->out);
	free(x->url);
	free(x->base);
	free(x->payload);
	memset(x, 0, sizeof *x);
}

int api_call(const struct api *a, const char *method, const char *path,
	     json_t *body, long *status, json_t **reply, char **err)
{
	struct api_xfer x;
	int rc;

	*status = 0;
	*reply = NULL;
	if (api_xfer_init(&x, a, method, path, body, err) < 0)
		return -1;
	rc = api_xfer_result(&x, curl_easy_perform(x.easy), status, reply,
			     err);
	api_xfer_free(&x);
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
