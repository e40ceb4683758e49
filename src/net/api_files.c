/* net/api_files: attachments up and down (see net/api.h). */
#include "net/api.h"
#include "common/str.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

const char *api_sniff_type(const void *data, size_t n)
{
	const unsigned char *p = data;

	if (n >= 4 && memcmp(p, "OggS", 4) == 0)
		return "audio/ogg";
	if (n >= 4 && memcmp(p, "\x1a\x45\xdf\xa3", 4) == 0)
		return "video/webm";
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WAVE",
							   4) == 0)
		return "audio/wav";
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 3 && memcmp(p, "\xff\xd8\xff", 3) == 0)
		return "image/jpeg";
	if (n >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return "application/pdf";
	if (n && !memchr(p, 0, n) && utf8_valid((const char *)p, n))
		return "text/plain";
	return NULL;
}

static char *slurp(const char *file, size_t *len, char **err)
{
	FILE *f = fopen(file, "rb");
	struct sbuf b;
	char buf[65536];
	size_t n;

	if (!f) {
		*err = xasprintf("%s", strerror(errno));
		return NULL;
	}
	sbuf_init(&b);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		if (b.len + n > API_FILE_MAX) {
			fclose(f);
			sbuf_free(&b);
			*err = xasprintf("larger than the %u MiB an attachment "
					 "may have", API_FILE_MAX >> 20);
			return NULL;
		}
		sbuf_addn(&b, buf, n);
	}
	fclose(f);
	*len = b.len;
	return sbuf_take(&b);
}

int api_upload(const struct api *a, const char *file, const char *name,
	       long *status, json_t **reply, char **err)
{
	struct api_xfer x;
	size_t len = 0;
	char *data = slurp(file, &len, err), *path, *hdr;
	const char *type;
	int rc;

	*status = 0;
	*reply = NULL;
	if (!data)
		return -1;
	if (!(type = api_sniff_type(data, len))) {
		free(data);
		*err = xstrdup("not a kind of file messages carry (Ogg, WebM, "
			       "WAV, PNG, JPEG, PDF or UTF-8 text)");
		return -1;
	}
	char *esc = curl_easy_escape(NULL, name, 0);
	path = xasprintf("/v1/attachments?name=%s", esc);
	curl_free(esc);
	struct api big = *a;
	if (!big.timeout_ms || big.timeout_ms < 120000)
		big.timeout_ms = 120000;
	rc = api_xfer_init(&x, &big, "POST", path, NULL, err);
	free(path);
	if (rc < 0) {
		free(data);
		return -1;
	}
	hdr = xasprintf("Content-Type: %s", type);
	x.headers = curl_slist_append(x.headers, hdr);
	free(hdr);
	curl_easy_setopt(x.easy, CURLOPT_HTTPHEADER, x.headers);
	curl_easy_setopt(x.easy, CURLOPT_POSTFIELDS, data);
	curl_easy_setopt(x.easy, CURLOPT_POSTFIELDSIZE_LARGE,
			 (curl_off_t)len);
	rc = api_xfer_result(&x, curl_easy_perform(x.easy), status, reply,
			     err);
	api_xfer_free(&x);
	free(data);
	return rc;
}

struct down {
	struct sbuf data;
	char sum[65];
	bool too_big;
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct down *d = arg;

	if (d->data.len + size * n > API_FILE_MAX) {
		d->too_big = true;
		return 0;
	}
	sbuf_addn(&d->data, p, size * n);
	return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct down *d = arg;
	static const char name[] = "X-Content-SHA256:";
	size_t len = size * n;

	if (len > sizeof name && strncasecmp(p, name, sizeof name - 1) == 0) {
		const char *v = p + sizeof name - 1;
		while (*v == ' ')
			v++;
		snprintf(d->sum, sizeof d->sum, "%.*s", (int)strcspn(v,
			 "\r\n"), v);
	}
	return len;
}

static int write_out(const char *out, const struct sbuf *b, char **err)
{
	if (strcmp(out, "-") == 0) {
		if (fwrite(b->s, 1, b->len, stdout) != b->len ||
		    fflush(stdout) != 0) {
			*err = xasprintf("cannot write: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	char *tmp = xasprintf("%s.tmp%ld", out, (long)getpid());
	FILE *f = fopen(tmp, "wb");
	int rc = 0;
	if (!f || fwrite(b->s, 1, b->len, f) != b->len || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0)
		rc = -1;
	if (f && fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, out) < 0)
		rc = -1;
	if (rc < 0) {
		*err = xasprintf("%s: %s", out, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return rc;
}

int api_download(const struct api *a, const char *path, const char *out,
		 char **err)
{
	struct api_xfer x;
	struct down d = { .sum = "" };
	long status = 0;
	int rc;

	if (api_xfer_init(&x, a, "GET", path, NULL, err) < 0)
		return -1;
	sbuf_init(&d.data);
	curl_easy_setopt(x.easy, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(x.easy, CURLOPT_WRITEDATA, &d);
	curl_easy_setopt(x.easy, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(x.easy, CURLOPT_HEADERDATA, &d);
	CURLcode cr = curl_easy_perform(x.easy);
	rc = -1;
	if (cr != CURLE_OK) {
		*err = d.too_big ? xstrdup("the attachment is too large") :
		       xasprintf("cannot reach %s: %s", x.base, *x.ebuf ?
				 x.ebuf : curl_easy_strerror(cr));
		goto out;
	}
	curl_easy_getinfo(x.easy, CURLINFO_RESPONSE_CODE, &status);
	if (status >= 300) {
		json_error_t je;
		json_t *j = json_loadb(d.data.s ? d.data.s : "", d.data.len, 0,
				       &je);
		*err = xstrdup(api_error_message(j, status));
		json_decref(j);
		goto out;
	}
	unsigned char sum[crypto_hash_sha256_BYTES];
	char hex[sizeof sum * 2 + 1];
	crypto_hash_sha256(sum, (const unsigned char *)(d.data.s ? d.data.s :
				""), d.data.len);
	sodium_bin2hex(hex, sizeof hex, sum, sizeof sum);
	if (!*d.sum || strcasecmp(d.sum, hex) != 0) {
		*err = xstrdup("the attachment arrived damaged (its checksum "
			       "does not match)");
		goto out;
	}
	rc = write_out(out, &d.data, err);
out:
	sbuf_free(&d.data);
	api_xfer_free(&x);
	return rc;
}
