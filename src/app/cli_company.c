/* app/cli_company: `confab company` (the company's profile and logo) and
 * `confab profile photo` — the signed-in commands on pictures.
 *
 * Pictures go up as {"type","data"} with the type taken from the file's
 * magic bytes; --show fetches one and prints it as character art
 * (app/picture.c, the same art the TUI draws).
 */
#include "app/app.h"
#include "app/cli.h"
#include "app/picture.h"
#include "app/session.h"
#include "net/api.h"
#include "common/image.h"
#include "common/str.h"

#include <curl/curl.h>
#include <errno.h>
#include <langinfo.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE 2
#define SHOW_WIDTH 60	/* --show's default width in columns */

#define NOT_SIGNED_IN "not signed in (confab login --server URL --user USER)"

/* The signed-in username (new), or NULL (error printed). */
static char *signed_in_user(struct app *a, struct out *o)
{
	struct session s;
	char *user;

	if (session_load(a, &s) < 0) {
		out_errorf(o, NOT_SIGNED_IN);
		return NULL;
	}
	user = xstrdup(s.user);
	session_free(&s);
	return user;
}

static const char *str_of(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "";
}

/* "/v1/users/NAME/photo" for NAME (escaped). */
static char *photo_path(const char *user)
{
	char *esc = curl_easy_escape(NULL, user, 0);
	char *path = xasprintf("/v1/users/%s/photo", esc);

	curl_free(esc);
	return path;
}

/* ---- uploading --------------------------------------------------------- */

/* {"type","data"} of a picture file, or NULL (error printed). */
static json_t *picture_body(const char *file, struct out *o)
{
	FILE *f = fopen(file, "rb");
	unsigned char *buf;
	size_t n;

	if (!f) {
		out_errorf(o, "%s: %s", file, strerror(errno));
		return NULL;
	}
	buf = xmalloc(IMAGE_MAX_BYTES + 1);
	n = fread(buf, 1, IMAGE_MAX_BYTES + 1, f);
	bool bad = ferror(f);
	fclose(f);
	enum image_type t = image_sniff(buf, n);
	if (bad || n > IMAGE_MAX_BYTES || t == IMAGE_NONE) {
		if (bad)
			out_errorf(o, "%s: cannot read it", file);
		else if (n > IMAGE_MAX_BYTES)
			out_errorf(o, "%s is larger than %d bytes, the most a "
				   "picture may be", file, IMAGE_MAX_BYTES);
		else
			out_errorf(o, "%s is not a PNG or JPEG image", file);
		free(buf);
		return NULL;
	}
	size_t cap = sodium_base64_ENCODED_LEN(n,
					       sodium_base64_VARIANT_ORIGINAL);
	char *b64 = xmalloc(cap);
	sodium_bin2base64(b64, cap, buf, n, sodium_base64_VARIANT_ORIGINAL);
	json_t *j = json_pack("{s:s,s:s}", "type", image_type_mime(t), "data",
			      b64);
	free(b64);
	free(buf);
	return j;
}

static void print_stored(struct out *o, const char *what, json_t *reply)
{
	out_printf(o, "%s set: %s, %lldx%lld pixels, %lld bytes\n", what,
		   str_of(reply, "type"), (long long)json_integer_value(
		   json_object_get(reply, "width")), (long long)
		   json_integer_value(json_object_get(reply, "height")),
		   (long long)json_integer_value(json_object_get(reply,
		   "bytes")));
}

/* ---- showing ----------------------------------------------------------- */

struct show_opts {
	int width, height;	/* at most, in cells; 0: defaults */
	bool color, ascii;
};

/* --width N, --height N, --color, --ascii at argv[*i]: true when taken. */
static bool show_opt(int argc, char **argv, int *i, struct show_opts *so,
		     struct out *o, int *rc)
{
	const char *opt = argv[*i];

	if (strcmp(opt, "--color") == 0) {
		so->color = true;
	} else if (strcmp(opt, "--ascii") == 0) {
		so->ascii = true;
	} else if ((strcmp(opt, "--width") == 0 ||
		    strcmp(opt, "--height") == 0) && *i + 1 < argc) {
		char *end;
		long v = strtol(argv[++*i], &end, 10);
		if (*end || v < 1 || v > 1000) {
			out_errorf(o, "%s: a number of cells from 1 to 1000 "
				   "was expected", opt);
			*rc = EXIT_USAGE;
		}
		if (opt[2] == 'w')
			so->width = (int)v;
		else
			so->height = (int)v;
	} else {
		return false;
	}
	return true;
}

/* Print the picture of a {"type","data"} reply. */
static int show_picture(struct app *a, json_t *reply,
			const struct show_opts *so, struct out *o)
{
	const char *b64 = str_of(reply, "data");
	size_t blen = strlen(b64), n = 0;
	unsigned char *bin = xmalloc(blen / 4 * 3 + 3);
	struct image img;
	char *err = NULL;
	int cols, rows;

	if (sodium_base642bin(bin, blen / 4 * 3 + 3, b64, blen, NULL, &n, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    image_decode(bin, n, &img, &err) < 0) {
		out_errorf(o, "the server sent a picture that cannot be shown"
			   "%s%s", err ? ": " : "", err ? err : "");
		free(err);
		free(bin);
		return 1;
	}
	free(bin);
	const char *cs = nl_langinfo(CODESET);
	bool ascii = so->ascii || a->ascii || a->cfg.ascii ||
		     !(str_ieq(cs, "UTF-8") || str_ieq(cs, "utf8"));
	bool color = so->color && !a->no_color;
	picture_fit(img.width, img.height, so->width ? so->width : SHOW_WIDTH,
		    so->height, &cols, &rows);
	caca_canvas_t *cv = picture_canvas(&img, cols, rows, ascii, color ?
					   PICTURE_FULL : PICTURE_MONO);
	image_clear(&img);
	if (!cv) {
		out_errorf(o, "libcaca cannot draw the picture");
		return 1;
	}
	size_t len;
	char *text = picture_text(cv, color, &len);
	out_write(o, text, len);
	free(text);
	caca_free_canvas(cv);
	return 0;
}

/* ---- confab profile photo ---------------------------------------------- */

static const char photo_usage[] =
	"usage: confab profile photo FILE | --remove | --show [USER] "
	"[--width N] [--height N] [--color] [--ascii]";

/* FILE | --remove | --show [--width N] [--height N] from argv[start]. */
static int picture_args(int argc, char **argv, int start,
			struct show_opts *so, const char **file, bool *remove,
			bool *show, struct out *o)
{
	int rc = 0;

	for (int i = start; i < argc && !rc; i++) {
		if (strcmp(argv[i], "--remove") == 0)
			*remove = true;
		else if (strcmp(argv[i], "--show") == 0)
			*show = true;
		else if (show_opt(argc, argv, &i, so, o, &rc))
			;
		else if (argv[i][0] == '-' && argv[i][1])
			rc = EXIT_USAGE;
		else if (!*file)
			*file = argv[i];
		else
			rc = EXIT_USAGE;
	}
	return rc;
}

int cli_profile_photo(struct app *a, int argc, char **argv, struct out *o)
{
	struct show_opts so = { 0 };
	const char *file = NULL, *who = NULL;
	bool remove = false, show = false;
	json_t *reply = NULL, *body = NULL;
	char *me = NULL, *path;
	int rc = 0;

	rc = picture_args(argc, argv, 1, &so, &file, &remove, &show, o);
	if (show)
		who = file, file = NULL;
	if (rc || remove + show + !!file != 1) {
		out_errorf(o, "%s", photo_usage);
		return EXIT_USAGE;
	}
	if (file && !(body = picture_body(file, o)))
		return 1;
	if (!who && !(me = signed_in_user(a, o))) {
		json_decref(body);
		return 1;
	}
	path = photo_path(who ? who : me);
	if (show) {
		if ((rc = cli_api_call(a, "GET", path, NULL, &reply, o)) == 0)
			rc = show_picture(a, reply, &so, o);
	} else if (remove) {
		if ((rc = cli_api_call(a, "DELETE", path, NULL, &reply, o)) == 0)
			out_printf(o, "photo removed\n");
	} else {
		if ((rc = cli_api_call(a, "PUT", path, body, &reply, o)) == 0)
			print_stored(o, "photo", reply);
	}
	json_decref(reply);
	json_decref(body);
	free(path);
	free(me);
	return rc;
}

/* ---- confab company ---------------------------------------------------- */

static void print_list(struct out *o, const char *label, json_t *a)
{
	json_t *v;
	size_t i;

	out_printf(o, "%-9s", label);
	json_array_foreach(a, i, v)
		out_printf(o, "%s%s", i ? ", " : " ", json_string_value(v));
	out_printf(o, "\n");
}

static void print_company(struct out *o, json_t *c)
{
	const char *addr = str_of(c, "address");

	out_printf(o, "Name:     %s\n", str_of(c, "name"));
	if (*addr) {
		out_printf(o, "Address:  ");
		for (const char *p = addr; *p;) {
			size_t n = strcspn(p, "\n");
			out_printf(o, "%s%.*s\n", p == addr ? "" : "          ",
				   (int)n, p);
			p += n + (p[n] == '\n');
		}
	}
	print_list(o, "Regions:", json_object_get(c, "regions"));
	print_list(o, "Markets:", json_object_get(c, "markets"));
	out_printf(o, "Logo:     %s\n", json_is_true(json_object_get(c,
		   "logo")) ? "yes" : "no");
}

static int company_show(struct app *a, int argc, char **argv, struct out *o)
{
	json_t *reply;
	bool json = argc == 3 && strcmp(argv[2], "--json") == 0;

	if (argc > 3 || (argc == 3 && !json)) {
		out_errorf(o, "usage: confab company show [--json]");
		return EXIT_USAGE;
	}
	int rc = cli_api_call(a, "GET", "/v1/company", NULL, &reply, o);
	if (rc)
		return rc;
	if (json) {
		char *t = json_dumps(reply, JSON_INDENT(2) |
				     JSON_PRESERVE_ORDER);
		out_printf(o, "%s\n", t ? t : "null");
		free(t);
	} else {
		print_company(o, reply);
	}
	json_decref(reply);
	return 0;
}

/* Append v to the array `key` of body (made on first use); "" makes it
 * an empty list. */
static void list_add(json_t *body, const char *key, const char *v)
{
	json_t *a = json_object_get(body, key);

	if (!a) {
		a = json_array();
		json_object_set_new(body, key, a);
	}
	if (*v)
		json_array_append_new(a, json_string(v));
}

static int company_set(struct app *a, int argc, char **argv, struct out *o)
{
	json_t *body = json_object(), *reply;
	int rc = 0;

	for (int i = 2; i < argc; i += 2) {
		const char *opt = argv[i], *v = i + 1 < argc ? argv[i + 1]
							     : NULL;
		if (!v) {
			rc = EXIT_USAGE;
			break;
		}
		if (strcmp(opt, "--name") == 0)
			json_object_set_new(body, "name", json_string(v));
		else if (strcmp(opt, "--address") == 0)
			json_object_set_new(body, "address", json_string(v));
		else if (strcmp(opt, "--region") == 0)
			list_add(body, "regions", v);
		else if (strcmp(opt, "--market") == 0)
			list_add(body, "markets", v);
		else {
			rc = EXIT_USAGE;
			break;
		}
	}
	if (rc || !json_object_size(body)) {
		out_errorf(o, "usage: confab company set [--name N] "
			   "[--address A] [--region R]... [--market M]...");
		json_decref(body);
		return EXIT_USAGE;
	}
	rc = cli_api_call(a, "PATCH", "/v1/company", body, &reply, o);
	if (rc == 0)
		print_company(o, reply);
	json_decref(reply);
	json_decref(body);
	return rc;
}

static int company_logo(struct app *a, int argc, char **argv, struct out *o)
{
	struct show_opts so = { 0 };
	const char *file = NULL;
	bool remove = false, show = false;
	json_t *reply = NULL, *body;
	int rc = 0;

	rc = picture_args(argc, argv, 2, &so, &file, &remove, &show, o);
	if (rc || remove + show + !!file != 1) {
		out_errorf(o, "usage: confab company logo FILE | --remove | "
			   "--show [--width N] [--height N] [--color] "
			   "[--ascii]");
		return EXIT_USAGE;
	}
	if (show) {
		if ((rc = cli_api_call(a, "GET", "/v1/company/logo", NULL, &reply,
			       o)) == 0)
			rc = show_picture(a, reply, &so, o);
	} else if (remove) {
		if ((rc = cli_api_call(a, "DELETE", "/v1/company/logo", NULL, &reply,
			       o)) == 0)
			out_printf(o, "logo removed\n");
	} else {
		if (!(body = picture_body(file, o)))
			return 1;
		if ((rc = cli_api_call(a, "PUT", "/v1/company/logo", body, &reply,
			       o)) == 0)
			print_stored(o, "logo", reply);
		json_decref(body);
	}
	json_decref(reply);
	return rc;
}

int cli_company_run(struct app *a, int argc, char **argv, struct out *o)
{
	const char *sub = argc > 1 ? argv[1] : "show";

	if (strcmp(sub, "show") == 0)
		return company_show(a, argc < 2 ? 2 : argc, argv, o);
	if (strcmp(sub, "set") == 0)
		return company_set(a, argc, argv, o);
	if (strcmp(sub, "logo") == 0)
		return company_logo(a, argc, argv, o);
	out_errorf(o, "unknown company command '%s' (show, set, logo)", sub);
	return EXIT_USAGE;
}
