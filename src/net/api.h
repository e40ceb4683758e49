/* net/api: the client's HTTP/JSON calls to confabd (libcurl).
 *
 * A call sends an optional JSON body and returns the status and the JSON
 * reply.  Transport failures (no route, refused, TLS, timeout) return -1
 * with a message for the user; any HTTP status is a success here, and
 * api_error_message() gives the server's message for a >= 400 reply.
 * Proxies follow libcurl's environment (http_proxy, https_proxy,
 * all_proxy with socks5://, no_proxy).
 */
#ifndef CONFAB_NET_API_H
#define CONFAB_NET_API_H

#include <jansson.h>

struct api {
	const char *base;	/* "http://host:8740" (no trailing /v1) */
	const char *token;	/* bearer token, or NULL */
	long timeout_ms;	/* whole request; 0: 15 s */
	const char *proxy;	/* "socks5h://host:1080", "http://host:3128";
				   NULL: libcurl's environment variables */
};

int api_call(const struct api *a, const char *method, const char *path,
	     json_t *body, long *status, json_t **reply, char **err);
/* One prepared transfer, shared by api_call() and net/anet.c. */
#include <curl/curl.h>
#include "common/str.h"
struct api_xfer {
	CURL *easy;
	struct curl_slist *headers;
	char *url, *base, *payload;
	struct sbuf out;
	char ebuf[CURL_ERROR_SIZE];
};
int api_xfer_init(struct api_xfer *x, const struct api *a,
		  const char *method, const char *path, json_t *body,
		  char **err);
/* After the transfer ended with curl_code: status and parsed reply. */
int api_xfer_result(struct api_xfer *x, int curl_code, long *status,
		    json_t **reply, char **err);
void api_xfer_free(struct api_xfer *x);

/* net/api_files.c: attachments.  Upload a file (its type read from its
 * first bytes; the server checks it again) as POST /v1/attachments;
 * download `path` into `out` ("-": standard output; a file is written
 * through a temp file and renamed), checking the server's checksum.
 * -1 with *err on failure; a >= 400 reply is an error for download. */
#define API_FILE_MAX (16u << 20)
int api_upload(const struct api *a, const char *file, const char *name,
	       long *status, json_t **reply, char **err);
int api_download(const struct api *a, const char *path, const char *out,
		 char **err);
/* The MIME type of data by its first bytes; NULL when not one confabd
 * takes. */
const char *api_sniff_type(const void *data, size_t n);

/* The error message of a reply body, or a generic text for `status`. */
const char *api_error_message(json_t *reply, long status);

#endif
