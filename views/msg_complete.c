/* views/msg_complete: completing the names typed in the editor's fields.
 *
 * A field holds a list separated by commas; what is completed is the
 * item being typed, its last.  Colleagues come from the online monitor
 * and the company directory (GET /v1/users?q=, asked again as each key
 * changes the item; the answer arrives later and refreshes the
 * choices), markets and regions from the company profile (fetched once,
 * GET /v1/company).  A name matches when it, or any word of the
 * person's name, starts with what was typed.
 */
#include "views/messages.h"
#include "views/lineedit.h"
#include "views/ui.h"
#include "app/online.h"
#include "common/str.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CANDS 30

static void cands_clear(struct msg_complete *mc)
{
	for (size_t i = 0; i < mc->n; i++) {
		free(mc->cands[i].value);
		free(mc->cands[i].label);
	}
	free(mc->cands);
	mc->cands = NULL;
	mc->n = 0;
	mc->cycling = false;
}

/* The text before the item being typed ("bob, " of "bob, ca"), and that
 * item ("ca"): new strings. */
static void split_token(const struct lineedit *ed, char **head, char **tok)
{
	char *t = lineedit_text(ed);
	char *comma = strrchr(t, ',');
	size_t at = comma ? (size_t)(comma - t) + 1 : 0;

	while (t[at] == ' ')
		at++;
	*tok = xstrdup(t + at);
	t[at] = '\0';
	*head = t;
}

static bool word_starts(const char *text, const char *prefix)
{
	char *f = str_fold(text ? text : "");
	size_t n = strlen(prefix);
	bool hit = false;

	for (char *p = f; *p && !hit; p++)
		if ((p == f || p[-1] == ' ' || p[-1] == '.') &&
		    strncmp(p, prefix, n) == 0)
			hit = true;
	free(f);
	return hit;
}

static void add(struct msg_complete *mc, const char *value, const char *name,
		const char *tok)
{
	if (!value || mc->n >= MAX_CANDS)
		return;
	if (!word_starts(value, tok) && !word_starts(name, tok))
		return;
	for (size_t i = 0; i < mc->n; i++)
		if (str_ieq(mc->cands[i].value, value))
			return;
	mc->cands = xrealloc(mc->cands, (mc->n + 1) * sizeof *mc->cands);
	mc->cands[mc->n].value = xstrdup(value);
	mc->cands[mc->n++].label = name && *name && strcmp(name, value) ?
		xasprintf("%s (%s)", value, name) : xstrdup(value);
}

void msg_complete_find(struct msg_complete *mc, enum mc_source src,
		       const struct lineedit *ed)
{
	struct online *o = shell_online(mc->sh);
	char *head, *tok, *ftok;
	json_t *v;
	size_t i;

	cands_clear(mc);
	if (src == MC_NONE)
		return;
	split_token(ed, &head, &tok);
	ftok = str_fold(tok);
	if (src == MC_USERS || src == MC_USERS_SELF) {
		if (src == MC_USERS_SELF && o->s.user)
			add(mc, o->s.user, "you", ftok);
		for (size_t k = 0; k < o->npeers; k++)
			add(mc, o->peers[k].username, o->peers[k].name, ftok);
		json_array_foreach(json_object_get(mc->dir, "users"), i, v)
			add(mc, json_string_value(json_object_get(v,
			    "username")), json_string_value(json_object_get(v,
			    "name")), ftok);
	} else {
		json_array_foreach(json_object_get(mc->company, src ==
						   MC_MARKETS ? "markets" :
						   "regions"), i, v)
			add(mc, json_string_value(v), NULL, ftok);
	}
	free(head);
	free(tok);
	free(ftok);
}

static void got_dir(void *arg, json_t *reply, const char *err)
{
	struct msg_complete *mc = arg;

	mc->dir_call = 0;
	if (!err) {
		json_decref(mc->dir);
		mc->dir = json_incref(reply);
	}
	if (!mc->cycling && mc->ed)
		msg_complete_find(mc, mc->src, mc->ed);
	shell_dirty(mc->sh);
}

static void got_company(void *arg, json_t *reply, const char *err)
{
	struct msg_complete *mc = arg;

	mc->company_call = 0;
	if (!err)
		mc->company = json_incref(reply);
	if (!mc->cycling && mc->ed)
		msg_complete_find(mc, mc->src, mc->ed);
	shell_dirty(mc->sh);
}

void msg_complete_init(struct msg_complete *mc, struct shell *sh,
		       bool company)
{
	struct online *o = shell_online(sh);

	memset(mc, 0, sizeof *mc);
	mc->sh = sh;
	if (company && online_signed_in(o)) {
		mc->company_call = online_call(o, "GET", "/v1/company", NULL,
					       got_company, mc);
		if (mc->company_call < 0)
			mc->company_call = 0;
	}
}

void msg_complete_free(struct msg_complete *mc)
{
	struct online *o = shell_online(mc->sh);

	if (o && mc->dir_call)
		online_cancel(o, mc->dir_call);
	if (o && mc->company_call)
		online_cancel(o, mc->company_call);
	cands_clear(mc);
	json_decref(mc->dir);
	json_decref(mc->company);
	memset(mc, 0, sizeof *mc);
}

void msg_complete_focus(struct msg_complete *mc, enum mc_source src,
			const struct lineedit *ed)
{
	mc->src = src;
	mc->ed = ed;
	msg_complete_find(mc, src, ed);
}

void msg_complete_typed(struct msg_complete *mc, enum mc_source src,
			const struct lineedit *ed)
{
	struct online *o = shell_online(mc->sh);
	char *head, *tok;

	mc->cycling = false;
	mc->src = src;
	mc->ed = ed;
	if ((src == MC_USERS || src == MC_USERS_SELF) && online_signed_in(o)) {
		split_token(ed, &head, &tok);
		if (mc->dir_call)
			online_cancel(o, mc->dir_call);
		mc->dir_call = 0;
		if (*tok) {
			char *q = curl_easy_escape(NULL, tok, 0);
			char *path = xasprintf("/v1/users?q=%s", q);
			mc->dir_call = online_call(o, "GET", path, NULL,
						   got_dir, mc);
			if (mc->dir_call < 0)
				mc->dir_call = 0;
			curl_free(q);
			free(path);
		}
		free(head);
		free(tok);
	}
	msg_complete_find(mc, src, ed);
}

static void put_token(struct lineedit *ed, const char *value, bool more)
{
	char *head, *tok;

	split_token(ed, &head, &tok);
	char *t = xasprintf("%s%s%s", head, value, more ? ", " : "");
	lineedit_set(ed, t);
	free(t);
	free(head);
	free(tok);
}

bool msg_complete_tab(struct msg_complete *mc, enum mc_source src,
		      struct lineedit *ed)
{
	char *head, *tok;
	bool empty, done;

	if (src == MC_NONE)
		return false;
	if (mc->cycling && mc->n) {
		mc->cycle = (mc->cycle + 1) % mc->n;
		put_token(ed, mc->cands[mc->cycle].value, false);
		return true;
	}
	split_token(ed, &head, &tok);
	empty = !*tok;
	msg_complete_find(mc, src, ed);
	done = mc->n == 1 && strcmp(tok, mc->cands[0].value) == 0;
	free(head);
	free(tok);
	if (empty || done)	/* nothing to complete: move on */
		return false;
	if (!mc->n) {
		shell_message(mc->sh, "%s", mc->dir_call ?
			      "Still looking in the directory" :
			      src == MC_MARKETS || src == MC_REGIONS ?
			      "The company has none by that name" :
			      "No colleague by that name in your monitor or "
			      "the directory");
		return false;
	}
	if (mc->n == 1) {	/* ready for the next name, if a list */
		put_token(ed, mc->cands[0].value, src != MC_USERS_SELF);
		cands_clear(mc);
	} else {
		mc->cycling = true;
		mc->cycle = 0;
		put_token(ed, mc->cands[0].value, false);
	}
	return true;
}

void msg_complete_draw(const struct msg_complete *mc, WINDOW *w, int y,
		       int x, int width)
{
	struct shell *sh = mc->sh;
	int used = 0;

	ui_text(w, y, x, width, "", A_NORMAL);
	if (!mc->n)
		return;
	used += ui_puts(w, y, x, width, "Tab: ", ui_attr(sh, UI_DIM));
	for (size_t i = 0; i < mc->n && used < width; i++) {
		bool on = mc->cycling && i == mc->cycle;
		used += ui_puts(w, y, x + used, width - used,
				mc->cands[i].label, on ?
				ui_attr(sh, UI_SELECTED) : ui_attr(sh, UI_DIM));
		used += ui_puts(w, y, x + used, width - used, "  ", A_NORMAL);
	}
}
