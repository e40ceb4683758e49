/* views/company: the company's profile as a layer (GET /v1/company):
 * its name, address, the regions and markets it works in, and its logo
 * drawn as character art in a box on the right (GET /v1/company/logo,
 * fetched when the profile says "logo": true).
 *
 * Admins change it.  e opens a form and sends what changed (PATCH
 * /v1/company): the address is one line in the form, " / " between its
 * lines (the server keeps line breaks), and regions and markets are
 * comma-separated.  l asks for a PNG or JPEG file and sends it as the
 * logo (PUT /v1/company/logo).  Requests run on the client's loop
 * (app/online); a form the server refused opens again with what was
 * typed, the server's message on the bottom line.
 */
#include "views/art.h"
#include "views/form.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/online.h"
#include "common/image.h"
#include "common/str.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LABEL_W 12
#define LOGO_W 34	/* the logo box */
#define LOGO_H 14
#define ADDRESS_SEP " / "	/* between the address's lines in the form */

/* form rows, by their cookie */
enum { F_NAME = 1, F_ADDRESS, F_REGIONS, F_MARKETS, F_N };

enum cbusy { B_NONE, B_LOADING, B_SAVING };

/* The company as typed into the form, and as it was when it opened. */
struct cjob {
	struct comp *c;		/* NULL once the layer is gone */
	char *v[F_N];
	char *orig[F_N];
};

struct comp {
	struct view v;
	json_t *co;		/* the server's company profile */
	char *error;		/* why it could not be read */
	char *note;		/* the outcome of the last change */
	int req;		/* request under way, 0 none */
	bool inflight;
	enum cbusy busy;
	struct cjob *open;	/* the form on screen */
	struct cjob *sent;	/* the change under way */
	struct art *art;	/* the logo, once fetched */
	int logo_req;		/* its request, 0 none */
	char *logo_err;
	char *logo_file;	/* the file last typed at l */
};

static void load(struct comp *c);
static void edit_form(struct comp *c, struct cjob *j);

static void job_free(struct cjob *j)
{
	if (!j)
		return;
	for (int i = 0; i < F_N; i++) {
		free(j->v[i]);
		free(j->orig[i]);
	}
	free(j);
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Is the signed-in user an admin?  Unknown (not connected yet) counts as
 * yes: the server has the last word. */
static bool is_admin(struct shell *sh)
{
	struct online *o = shell_online(sh);
	json_t *v;
	size_t i;

	if (!o || !o->me)
		return true;
	json_array_foreach(json_object_get(o->me, "perms"), i, v)
		if (str_eq(json_string_value(v), "admin"))
			return true;
	return false;
}

/* ---- text in the form ---------------------------------------------------- */

/* The items of a JSON array of strings joined with `sep`.  New string. */
static char *join(json_t *a, const char *sep)
{
	struct sbuf b;
	json_t *v;
	size_t i;

	sbuf_init(&b);
	json_array_foreach(a, i, v)
		if (json_string_value(v))
			sbuf_printf(&b, "%s%s", b.len ? sep : "",
				    json_string_value(v));
	return sbuf_take(&b);
}

/* The address with its line breaks as " / ".  New string. */
static char *address_line(const char *addr)
{
	struct sbuf b;
	bool first = true;

	sbuf_init(&b);
	for (const char *p = addr ? addr : ""; *p;) {
		size_t n = strcspn(p, "\n");
		char *line = str_trim(xstrndup(p, n));
		if (*line) {
			sbuf_printf(&b, "%s%s", first ? "" : ADDRESS_SEP, line);
			first = false;
		}
		free(line);
		p += n + (p[n] == '\n');
	}
	return sbuf_take(&b);
}

/* The form's address back into lines: " / " (spaces around the slash
 * optional at either end of the text) starts a new line; blank lines
 * are dropped.  New string. */
static char *address_lines(const char *text)
{
	struct sbuf b;
	char *t = xstrdup(text);

	sbuf_init(&b);
	for (char *p = t; p;) {
		char *sep = strstr(p, ADDRESS_SEP);
		if (sep)
			*sep = '\0';
		char *line = str_trim(p);
		if (*line)
			sbuf_printf(&b, "%s%s", b.len ? "\n" : "", line);
		p = sep ? sep + strlen(ADDRESS_SEP) : NULL;
	}
	free(t);
	return sbuf_take(&b);
}

/* "EMEA, Americas" as ["EMEA", "Americas"] (blank items dropped). */
static json_t *split_list(const char *text)
{
	json_t *a = json_array();
	char *t = xstrdup(text), *save = NULL;

	for (char *p = strtok_r(t, ",", &save); p;
	     p = strtok_r(NULL, ",", &save)) {
		char *item = str_trim(p);
		if (*item)
			json_array_append_new(a, json_string(item));
	}
	free(t);
	return a;
}

/* ---- requests ------------------------------------------------------------ */

static void request_over(struct comp *c)
{
	c->req = 0;
	c->inflight = false;
	c->busy = B_NONE;
	shell_dirty(c->v.sh);
}

static void request(struct comp *c, enum cbusy busy, const char *method,
		    const char *path, json_t *body, online_got got)
{
	c->busy = busy;
	c->inflight = true;
	int id = online_call(shell_online(c->v.sh), method, path, body, got,
			     c);
	if (!c->inflight)	/* answered already (not signed in) */
		return;
	if (id < 0)
		got(c, NULL, "cannot start a request to the server");
	else
		c->req = id;
	shell_dirty(c->v.sh);
}

/* The logo: {"type", "data": base64} decoded and turned into art. */
static void on_logo(void *arg, json_t *reply, const char *err)
{
	struct comp *c = arg;
	const char *b64 = jstr(reply, "data");
	size_t blen = b64 ? strlen(b64) : 0, n = 0;
	char *why = NULL;

	c->logo_req = 0;
	if (!err && !b64)
		err = "the server sent no logo";
	if (!err) {
		unsigned char *bin = xcalloc(blen / 4 * 3 + 3, 1);
		if (sodium_base642bin(bin, blen / 4 * 3 + 3, b64, blen, NULL,
				      &n, NULL,
				      sodium_base64_VARIANT_ORIGINAL) != 0)
			err = "the logo is not base64";
		else if (!(c->art = art_decode(bin, n, &why)))
			err = why;
		free(bin);
	}
	if (err)
		str_set(&c->logo_err, err);
	free(why);
	shell_dirty(c->v.sh);
}

static void load_logo(struct comp *c)
{
	struct online *o = shell_online(c->v.sh);

	art_free(c->art);
	c->art = NULL;
	free(c->logo_err);
	c->logo_err = NULL;
	if (c->logo_req)
		online_cancel(o, c->logo_req);
	c->logo_req = online_call(o, "GET", "/v1/company/logo", NULL, on_logo,
				  c);
	if (c->logo_req < 0)
		c->logo_req = 0;
}

/* A company profile from the server: shown, and its logo fetched when
 * it has one (and it is not the one already shown). */
static void take_company(struct comp *c, json_t *co, bool fetch_logo)
{
	json_decref(c->co);
	c->co = json_incref(co);
	if (json_is_true(json_object_get(co, "logo"))) {
		if (fetch_logo || (!c->art && !c->logo_req))
			load_logo(c);
	} else {
		art_free(c->art);
		c->art = NULL;
		free(c->logo_err);
		c->logo_err = NULL;
	}
}

static void on_company(void *arg, json_t *reply, const char *err)
{
	struct comp *c = arg;

	request_over(c);
	if (err) {
		str_set(&c->error, err);
		return;
	}
	free(c->error);
	c->error = NULL;
	take_company(c, reply, true);
}

static void load(struct comp *c)
{
	request(c, B_LOADING, "GET", "/v1/company", NULL, on_company);
}

/* "Company profile saved at 14:05." */
static void saved_note(struct comp *c, const char *what)
{
	char at[16];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(at, sizeof at, "%H:%M", &tm);
	free(c->note);
	c->note = xasprintf("%s at %s.", what, at);
}

static void on_saved(void *arg, json_t *reply, const char *err)
{
	struct comp *c = arg;
	struct cjob *j = c->sent;

	c->sent = NULL;
	request_over(c);
	if (err) {
		shell_error(c->v.sh, "%s", err);
		edit_form(c, j);
		return;
	}
	saved_note(c, "Company profile saved");
	shell_message(c->v.sh, "Saved the company profile");
	take_company(c, reply, false);
	job_free(j);
}

static void submit(struct comp *c, struct cjob *j)
{
	json_t *b = json_object();

	for (int id = F_NAME; id < F_N; id++) {
		if (str_eq(j->v[id], j->orig[id]))
			continue;
		switch (id) {
		case F_NAME:
			json_object_set_new(b, "name", json_string(j->v[id]));
			break;
		case F_ADDRESS: {
			char *a = address_lines(j->v[id]);
			json_object_set_new(b, "address", json_string(a));
			free(a);
			break;
		}
		case F_REGIONS:
			json_object_set_new(b, "regions", split_list(j->v[id]));
			break;
		case F_MARKETS:
			json_object_set_new(b, "markets", split_list(j->v[id]));
			break;
		}
	}
	if (!json_object_size(b)) {
		shell_message(c->v.sh, "Nothing changed");
		job_free(j);
	} else {
		c->sent = j;
		request(c, B_SAVING, "PATCH", "/v1/company", b, on_saved);
	}
	json_decref(b);
}

static void job_done(void *arg, bool saved)
{
	struct cjob *j = arg;
	struct comp *c = j->c;

	if (c)
		c->open = NULL;
	if (!c || !saved)
		job_free(j);
	else
		submit(c, j);
}

/* ---- the form ------------------------------------------------------------ */

static int edit_save(struct form *f, void *arg, char **err, size_t *bad)
{
	struct cjob *j = arg;

	(void)err;
	(void)bad;
	for (int id = F_NAME; id < F_N; id++) {
		size_t r = form_find(f, id);
		free(j->v[id]);
		j->v[id] = r < form_count(f) ? form_text(f, r) : xstrdup("");
	}
	return 0;	/* the server checks */
}

static void edit_form(struct comp *c, struct cjob *j)
{
	if (!j) {
		json_t *co = c->co;
		j = xcalloc(1, sizeof *j);
		j->c = c;
		j->orig[F_NAME] = xstrdup(jstr(co, "name") ? jstr(co, "name") :
					  "");
		j->orig[F_ADDRESS] = address_line(jstr(co, "address"));
		j->orig[F_REGIONS] = join(json_object_get(co, "regions"), ", ");
		j->orig[F_MARKETS] = join(json_object_get(co, "markets"), ", ");
		for (int id = F_NAME; id < F_N; id++)
			j->v[id] = xstrdup(j->orig[id]);
	}
	struct form *f = form_new(c->v.sh, "Edit the company profile (address: "
				  "\" / \" starts a new line; regions and "
				  "markets: comma-separated)", edit_save,
				  job_done, j);
	form_add_user(f, "Name", j->v[F_NAME], F_NAME);
	form_add_user(f, "Address", j->v[F_ADDRESS], F_ADDRESS);
	form_add_user(f, "Regions", j->v[F_REGIONS], F_REGIONS);
	form_add_user(f, "Markets", j->v[F_MARKETS], F_MARKETS);
	c->open = j;
	form_open(f);
}

/* ---- the logo from a file ------------------------------------------------ */

static void on_logo_saved(void *arg, json_t *reply, const char *err)
{
	struct comp *c = arg;

	request_over(c);
	if (err) {
		shell_error(c->v.sh, "the logo was not set: %s", err);
		return;
	}
	shell_message(c->v.sh, "Logo set: %s, %lldx%lld pixels",
		      jstr(reply, "type") ? jstr(reply, "type") : "?",
		      (long long)json_integer_value(json_object_get(reply,
							       "width")),
		      (long long)json_integer_value(json_object_get(reply,
							       "height")));
	saved_note(c, "Logo set");
	if (c->co)
		json_object_set_new(c->co, "logo", json_true());
	load_logo(c);
}

/* "~/x" as "$HOME/x".  New string. */
static char *expand_home(const char *path)
{
	const char *home = getenv("HOME");

	if (path[0] == '~' && (path[1] == '/' || !path[1]) && !str_empty(home))
		return xasprintf("%s%s", home, path + 1);
	return xstrdup(path);
}

/* {"type", "data"} of the picture in `path`, or NULL with *err set. */
static json_t *logo_body(const char *path, char **err)
{
	FILE *fp = fopen(path, "rb");

	if (!fp) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	unsigned char *buf = xmalloc(IMAGE_MAX_BYTES + 1);
	size_t n = fread(buf, 1, IMAGE_MAX_BYTES + 1, fp);
	bool bad = ferror(fp);
	fclose(fp);
	enum image_type t = image_sniff(buf, n);
	json_t *body = NULL;
	if (bad)
		*err = xasprintf("%s: cannot read it", path);
	else if (n > IMAGE_MAX_BYTES)
		*err = xasprintf("%s is larger than %d KiB, the most a logo "
				 "may be", path, IMAGE_MAX_BYTES / 1024);
	else if (t == IMAGE_NONE)
		*err = xasprintf("%s is not a PNG or JPEG image", path);
	else {
		size_t cap = sodium_base64_ENCODED_LEN(n,
			sodium_base64_VARIANT_ORIGINAL);
		char *b64 = xmalloc(cap);
		sodium_bin2base64(b64, cap, buf, n,
				  sodium_base64_VARIANT_ORIGINAL);
		body = json_pack("{s:s,s:s}", "type", image_type_mime(t),
				 "data", b64);
		free(b64);
	}
	free(buf);
	return body;
}

static void logo_file_typed(void *arg, const char *text)
{
	struct comp *c = arg;
	char *t = text ? str_trim(xstrdup(text)) : NULL, *err = NULL;

	if (str_empty(t) || c->inflight) {
		free(t);
		return;
	}
	str_set(&c->logo_file, t);
	char *path = expand_home(t);
	json_t *body = logo_body(path, &err);
	if (body)
		request(c, B_SAVING, "PUT", "/v1/company/logo", body,
			on_logo_saved);
	else
		shell_error(c->v.sh, "%s", err);
	json_decref(body);
	free(err);
	free(path);
	free(t);
}

/* ---- drawing ------------------------------------------------------------- */

/* A comma-separated list wrapped onto as many rows as it needs (and
 * there are before `end`); "none" when empty. */
static int list_rows(struct comp *c, WINDOW *w, int y, int x, int cols,
		     int end, const char *label, json_t *items)
{
	struct shell *sh = c->v.sh;
	struct sbuf b;
	json_t *e;
	size_t i, n = json_array_size(items);

	ui_text(w, y, x, LABEL_W, label, ui_attr(sh, UI_DIM));
	if (!n) {
		ui_text(w, y, x + LABEL_W, cols - LABEL_W, "none",
			ui_attr(sh, UI_DIM));
		return y + 1;
	}
	sbuf_init(&b);
	json_array_foreach(items, i, e) {
		const char *s = json_string_value(e);
		if (!s)
			continue;
		if (b.len && utf8_width(sbuf_str(&b)) + utf8_width(s) + 1 >
			     cols - LABEL_W && y + 1 < end) {
			ui_text(w, y++, x + LABEL_W, cols - LABEL_W,
				sbuf_str(&b), A_NORMAL);
			sbuf_reset(&b);
		}
		sbuf_printf(&b, "%s%s", s, i + 1 == n ? "" : ", ");
	}
	ui_text(w, y++, x + LABEL_W, cols - LABEL_W, sbuf_str(&b), A_NORMAL);
	sbuf_free(&b);
	return y;
}

/* The address, a row per line. */
static int address_rows(struct comp *c, WINDOW *w, int y, int x, int cols,
			int end)
{
	struct shell *sh = c->v.sh;
	const char *addr = jstr(c->co, "address");
	bool first = true;

	ui_text(w, y, x, LABEL_W, "Address", ui_attr(sh, UI_DIM));
	for (const char *p = addr ? addr : ""; *p && y < end;) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		ui_text(w, y++, x + LABEL_W, cols - LABEL_W, line, A_NORMAL);
		free(line);
		first = false;
		p += n + (p[n] == '\n');
	}
	if (first)
		ui_text(w, y++, x + LABEL_W, cols - LABEL_W, "none",
			ui_attr(sh, UI_DIM));
	return y;
}

static void draw_logo(struct comp *c, WINDOW *w, int y, int x)
{
	struct shell *sh = c->v.sh;
	bool has = json_is_true(json_object_get(c->co, "logo"));

	ui_box(sh, w, y, x, LOGO_H, LOGO_W, "Logo");
	if (c->art) {
		art_draw(sh, w, y + 1, x + 1, LOGO_H - 2, LOGO_W - 2, c->art);
		return;
	}
	const char *s = c->logo_err ? c->logo_err : c->logo_req ||
		(has && !c->logo_err) ? "(loading)" : "(no logo)";
	int sw = utf8_width(s);
	int sx = sw < LOGO_W - 4 ? x + (LOGO_W - sw) / 2 : x + 2;
	ui_text(w, y + LOGO_H / 2, sx, LOGO_W - 2 - (sx - x), s,
		ui_attr(sh, UI_DIM));
}

static void comp_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct comp *c = (struct comp *)v;
	struct shell *sh = v->sh;
	json_t *co = c->co;
	int x = 3, cw = cols - 6, y = 2, end = h - 3;

	ui_box(sh, w, 0, 0, h, cols, "Company");
	if (co && cols >= LOGO_W + 40 && h >= LOGO_H + 3) {
		draw_logo(c, w, 1, cols - LOGO_W - 2);
		cw -= LOGO_W + 1;
	}
	if (co && y < end) {
		ui_text(w, y++, x, cw, jstr(co, "name"),
			ui_attr(sh, UI_TITLE));
		y++;
		if (y < end)
			y = address_rows(c, w, y, x, cw, end);
		if (y < end)
			y = list_rows(c, w, y, x, cw, end, "Regions",
				      json_object_get(co, "regions"));
		if (y < end)
			y = list_rows(c, w, y, x, cw, end, "Markets",
				      json_object_get(co, "markets"));
	}
	char *s = NULL;
	attr_t a = ui_attr(sh, UI_DIM);
	bool asc = ui_ascii(sh);
	if (c->busy != B_NONE) {
		s = xstrdup(c->busy == B_LOADING ?
			    (asc ? "Loading..." : "Loading\xe2\x80\xa6") :
			    (asc ? "Saving..." : "Saving\xe2\x80\xa6"));
		a = ui_attr(sh, UI_MESSAGE);
	} else if (c->error) {
		s = xasprintf("cannot read the company profile: %s (C-l tries "
			      "again)", c->error);
		a = ui_attr(sh, UI_ERROR);
	} else if (c->note) {
		s = xstrdup(c->note);
		a = ui_attr(sh, UI_MESSAGE);
	} else if (co && is_admin(sh)) {
		static const enum action acts[] = { A_PROFILE_EDIT, A_LOGO,
						    A_NONE };
		char *keys = ui_key_help(sh, CTX_PROFILE, acts);
		s = xasprintf("%s  (in the address form, \" / \" starts a new "
			      "line)", keys);
		free(keys);
	}
	if (s)
		ui_text(w, h - 2, x, cols - 6, s, a);
	free(s);
}

/* ---- keys and life ------------------------------------------------------- */

static bool comp_key(struct view *v, const struct ui_key *k)
{
	struct comp *c = (struct comp *)v;

	switch (k->action) {
	case A_PROFILE_EDIT:
		if (!is_admin(v->sh))
			shell_error(v->sh, "changing the company profile takes "
				    "the admin permission");
		else if (!c->inflight && c->co)	/* one at a time */
			edit_form(c, NULL);
		return true;
	case A_LOGO:
		if (!is_admin(v->sh))
			shell_error(v->sh, "changing the company logo takes "
				    "the admin permission");
		else if (!c->inflight)
			ui_prompt(v->sh, "Logo: a PNG or JPEG file of at most "
				  "512 KiB", c->logo_file, logo_file_typed, c);
		return true;
	default:
		return ui_close_on(v, k);
	}
}

/* C-l: read the profile (and the logo) again. */
static void comp_reload(struct view *v)
{
	struct comp *c = (struct comp *)v;
	struct online *o = shell_online(v->sh);

	if (c->sent || c->busy == B_SAVING)
		return;	/* its answer updates the screen */
	if (c->req && o)
		online_cancel(o, c->req);
	request_over(c);
	load(c);
}

static void comp_free(struct view *v)
{
	struct comp *c = (struct comp *)v;
	struct online *o = shell_online(v->sh);

	if (c->req && o)	/* o is gone when confab quits */
		online_cancel(o, c->req);
	if (c->logo_req && o)
		online_cancel(o, c->logo_req);
	art_free(c->art);
	if (c->open)
		c->open->c = NULL;
	job_free(c->sent);
	json_decref(c->co);
	free(c->error);
	free(c->note);
	free(c->logo_err);
	free(c->logo_file);
	free(c);
}

static const enum action admin_hints[] = { A_PROFILE_EDIT, A_LOGO, A_CLOSE,
					   A_NONE };
static const enum action member_hints[] = { A_CLOSE, A_NONE };
static const struct view_ops admin_ops = {
	.name = "company",
	.ctx = CTX_PROFILE,
	.draw = comp_draw,
	.key = comp_key,
	.reload = comp_reload,
	.free = comp_free,
	.hints = admin_hints,
};
static const struct view_ops member_ops = {
	.name = "company",
	.ctx = CTX_PROFILE,
	.draw = comp_draw,
	.key = comp_key,
	.reload = comp_reload,
	.free = comp_free,
	.hints = member_hints,
};

void company_open(struct shell *sh)
{
	struct online *o = shell_online(sh);

	if (!o || !online_signed_in(o)) {
		shell_error(sh, "the company profile is kept on the confab "
			    "server: sign in first (L in the Online monitor)");
		return;
	}
	struct comp *c = xcalloc(1, sizeof *c);
	c->v.ops = is_admin(sh) ? &admin_ops : &member_ops;
	c->v.sh = sh;
	c->v.title = "Company";
	c->v.modal = true;
	shell_push(sh, &c->v);
	load(c);
}
