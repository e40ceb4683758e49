/* views/users_perms: the permission names, and the checklist that changes
 * a user's permissions (Space turns one on or off, Enter or C-s saves). */
#include "views/users.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name, *brief, *about;
} perm_info[USERS_NPERMS] = {	/* the server's order (store/srv_users.c) */
	{ "admin", "admin", "everything, and giving the admin permission" },
	{ "user-admin", "users", "add, edit and disable users" },
	{ "phone", "phone", "call phone numbers" },
	{ "intl-phone", "intl", "call international numbers" },
	{ "announcements", "announce", "send announcements to everyone" },
	{ "crm-view", "crm-view", "see the company's CRM records" },
	{ "crm-edit", "crm-edit", "change the company's CRM records" },
	{ "video", "video", "make video calls" },
	{ "recording", "rec", "record calls" },
};
#define ALL_PERMS ((1 << USERS_NPERMS) - 1)

const char *users_perm_name(int i)
{
	return i >= 0 && i < USERS_NPERMS ? perm_info[i].name : "?";
}

int users_perms_from(json_t *names)
{
	json_t *v;
	size_t i;
	int bits = 0;

	json_array_foreach(names, i, v)
		for (int p = 0; p < USERS_NPERMS; p++)
			if (str_eq(json_string_value(v), perm_info[p].name))
				bits |= 1 << p;
	return bits;
}

json_t *users_perms_json(int bits)
{
	json_t *a = json_array();

	for (int p = 0; p < USERS_NPERMS; p++)
		if (bits & (1 << p))
			json_array_append_new(a, json_string(perm_info[p].name));
	return a;
}

char *users_perms_text(int bits, bool names, int width)
{
	struct sbuf b;
	int n = 0, left = 0;

	if (!names && bits == ALL_PERMS)
		return xstrdup("all");
	for (int p = 0; p < USERS_NPERMS; p++)
		n += (bits >> p) & 1;
	sbuf_init(&b);
	for (int p = 0; p < USERS_NPERMS; p++) {
		if (!(bits & (1 << p)))
			continue;
		const char *s = names ? perm_info[p].name : perm_info[p].brief;
		/* room for this one, and for "+N" if more follow */
		int need = (int)b.len + (b.len ? 1 : 0) + (int)strlen(s) +
			   (n - left > 1 ? 3 : 0);
		if (!names && need > width)
			break;
		sbuf_printf(&b, "%s%s", b.len ? " " : "", s);
		left++;
	}
	if (left < n)
		sbuf_printf(&b, "%s+%d", b.len ? " " : "", n - left);
	return sbuf_take(&b);
}

/* ---- the checklist ------------------------------------------------------ */

struct checklist {
	struct view v;
	struct ujob *j;
	int perms, orig, sel;
	bool is_admin;
	bool finished;
};

#define BOX_W 72
#define BOX_H (USERS_NPERMS + 4)

static int box_top(int h)
{
	return (h - (BOX_H > h ? h : BOX_H)) / 2;
}

static void check_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct checklist *c = (struct checklist *)v;
	struct shell *sh = v->sh;
	int bw = cols < BOX_W ? cols : BOX_W, bh = BOX_H > h ? h : BOX_H;
	int y = box_top(h), x = (cols - bw) / 2;
	char *title = xasprintf("Permissions of %s", c->j->target);

	ui_box(sh, w, y, x, bh, bw, title);
	free(title);
	for (int p = 0; p < USERS_NPERMS && 1 + p < bh - 2; p++) {
		bool on = c->perms & (1 << p);
		attr_t a = p == c->sel ? ui_attr(sh, UI_SELECTED) : A_NORMAL;
		char *line = xasprintf("[%c] %-14s %s%s", on ? 'x' : ' ',
				       perm_info[p].name, perm_info[p].about,
				       p == 0 && !c->is_admin ?
				       " (admins only)" : "");
		ui_text(w, y + 1 + p, x + 2, bw - 4, line, a);
		free(line);
	}
	static const enum action acts[] = { A_FORM_SAVE, A_CANCEL, A_NONE };
	char *keys = ui_key_help(sh, CTX_FORM, acts);
	char *help = xasprintf("Space: on/off  Enter or %s", keys);
	ui_text(w, y + bh - 2, x + 2, bw - 4, help, ui_attr(sh, UI_DIM));
	free(help);
	free(keys);
}

static void check_finish(struct checklist *c, bool save)
{
	struct ujob *j = c->j;

	c->finished = true;
	shell_pop(c->v.sh, &c->v);
	if (save && c->perms == c->orig) {
		shell_message(c->v.sh, "No change to the permissions of %s",
			      j->target);
		save = false;
	}
	j->perms = c->perms;
	users_job_done(j, save);
}

static bool check_key(struct view *v, const struct ui_key *k)
{
	struct checklist *c = (struct checklist *)v;
	bool enter = !k->is_text && (k->code == '\n' || k->code == '\r' ||
				     k->code == KEY_ENTER);

	if (k->code == ' ' || k->code == 'x') {
		c->perms ^= 1 << c->sel;
	} else if (enter || k->action == A_FORM_SAVE) {
		check_finish(c, true);
	} else if (k->action == A_CANCEL || k->action == A_CLOSE ||
		   k->code == 27) {
		check_finish(c, false);
	} else if (k->code == KEY_DOWN || k->code == 'j' ||
		   k->action == A_FORM_NEXT) {
		c->sel = (c->sel + 1) % USERS_NPERMS;
	} else if (k->code == KEY_UP || k->code == 'k' ||
		   k->action == A_FORM_PREV) {
		c->sel = (c->sel + USERS_NPERMS - 1) % USERS_NPERMS;
	} else if (k->code == KEY_HOME || k->code == 'g') {
		c->sel = 0;
	} else if (k->code == KEY_END || k->code == 'G') {
		c->sel = USERS_NPERMS - 1;
	} else {	/* keep other keys (tabs, digits) from the shell */
		return k->action != A_QUIT && k->action != A_HELP &&
		       k->action != A_REDRAW && k->action != A_COMMAND;
	}
	return true;
}

static void check_click(struct view *v, int y, int x, bool dbl)
{
	struct checklist *c = (struct checklist *)v;
	int p = y - box_top(LINES - 3) - 1;

	if (p >= 0 && p < USERS_NPERMS) {
		c->sel = p;
		c->perms ^= 1 << p;
	}
}

static bool check_unsaved(struct view *v)
{
	struct checklist *c = (struct checklist *)v;

	return c->perms != c->orig;
}

static void check_free(struct view *v)
{
	struct checklist *c = (struct checklist *)v;

	if (!c->finished)	/* closed by quitting */
		users_job_done(c->j, false);
	free(c);
}

static const enum action check_hints[] = { A_FORM_SAVE, A_CANCEL, A_NONE };
static const struct view_ops check_ops = {
	.name = "permissions",
	.ctx = CTX_FORM,
	.draw = check_draw,
	.key = check_key,
	.click = check_click,
	.unsaved = check_unsaved,
	.free = check_free,
	.hints = check_hints,
};

void users_perms_open(struct users *u, struct ujob *j)
{
	struct checklist *c = xcalloc(1, sizeof *c);
	const struct uent *e = users_find(u, j->target);

	c->v.ops = &check_ops;
	c->v.sh = u->v.sh;
	c->v.title = "permissions";
	c->v.modal = true;
	c->j = j;
	c->perms = j->perms;
	c->orig = e ? e->perms : j->perms;
	c->is_admin = u->is_admin;
	u->open = j;
	shell_push(u->v.sh, &c->v);
}

void users_perms(struct users *u, const struct uent *e)
{
	struct ujob *j = xcalloc(1, sizeof *j);

	j->u = u;
	j->kind = J_PERMS;
	j->target = xstrdup(e->username);
	j->perms = e->perms;
	users_perms_open(u, j);
}
