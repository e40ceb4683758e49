/* views/conflicts: records changed here and on another machine (the
 * sync_conflicts of store/sync.h): both versions of each, one under the
 * other in a pager, and the user's choice of this machine's version, the
 * other machine's or both (net/datasync.h's datasync_resolve).  A choice
 * is pushed at once when the server can be reached. */
#include "views/list.h"
#include "views/ui.h"
#include "views/view.h"
#include "app/app.h"
#include "app/online.h"
#include "net/datasync.h"
#include "store/books.h"
#include "store/sync.h"
#include "common/str.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define LINE_MAX_BYTES 200	/* longer lines (a PHOTO) are cut short */

struct conflicts {
	struct view v;
	struct list list;
	struct sync_conflict *cs;
	size_t n;
	char **names;		/* a human name for each */
	int64_t seen;		/* conflicts in the table at the last load */
};

/* ---- record texts -------------------------------------------------------- */

/* A kind as the user knows it. */
static const char *kind_label(const char *kind)
{
	static const struct { const char *kind, *label; } labels[] = {
		{ "book", "address book" }, { "crm", "CRM record" },
		{ "crm_note", "CRM note" },
	};

	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(kind, labels[i].kind) == 0)
			return labels[i].label;
	return kind;
}

/* The lines of a vCard or iCalendar text, unfolded (a line that starts
 * with a space or a tab goes on from the one before).  New strings. */
static char **unfold(const char *text, size_t *n)
{
	char **v = NULL;

	*n = 0;
	for (const char *s = text; *s;) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len && s[len - 1] == '\r')
			len--;
		if ((*s == ' ' || *s == '\t') && *n) {
			char *t = xasprintf("%s%.*s", v[*n - 1], (int)len - 1,
					    s + 1);
			free(v[*n - 1]);
			v[*n - 1] = t;
		} else if (len) {
			v = xrealloc(v, (*n + 1) * sizeof *v);
			v[(*n)++] = xstrndup(s, len);
		}
		s = e ? e + 1 : s + strlen(s);
	}
	return v;
}

static void lines_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Whether line is the property `name` ("FN", "FN;CHARSET=…:…"). */
static bool is_prop(const char *line, const char *name)
{
	size_t k = strlen(name);

	return strncasecmp(line, name, k) == 0 &&
	       (line[k] == ':' || line[k] == ';');
}

/* The value of a property line, its escapes undone, on one line. */
static char *prop_value(const char *line)
{
	bool quoted = false;
	const char *s = line;
	struct sbuf b;

	for (; *s && (quoted || *s != ':'); s++)
		if (*s == '"')
			quoted = !quoted;
	sbuf_init(&b);
	for (s = *s ? s + 1 : s; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			sbuf_addc(&b, *s == 'n' || *s == 'N' ? ' ' : *s);
		} else {
			sbuf_addc(&b, *s);
		}
	}
	return str_trim(sbuf_take(&b));
}

/* The value of the first property `name`, inside the first component
 * `within` ("VEVENT") when given; NULL when none. */
static char *find_prop(const char *text, const char *within,
		       const char *name)
{
	size_t n;
	char **v = unfold(text, &n);
	char *r = NULL;
	bool in = !within;

	for (size_t i = 0; i < n && !r; i++) {
		if (within && strncasecmp(v[i], "BEGIN:", 6) == 0 &&
		    strcasecmp(v[i] + 6, within) == 0)
			in = true;
		else if (within && in && strncasecmp(v[i], "END:", 4) == 0 &&
			 strcasecmp(v[i] + 4, within) == 0)
			break;
		else if (in && is_prop(v[i], name))
			r = prop_value(v[i]);
	}
	lines_free(v, n);
	return r;
}

static json_t *parse(const char *text)
{
	json_error_t je;
	json_t *j = text ? json_loads(text, 0, &je) : NULL;

	if (j && !json_is_object(j)) {
		json_decref(j);
		j = NULL;
	}
	return j;
}

static const char *jstr(json_t *j, const char *key)
{
	return json_string_value(json_object_get(j, key));
}

/* What the user calls the record: a contact's name, an appointment's
 * summary, a note's first words.  New string. */
static char *record_name(const char *kind, const char *text)
{
	json_t *j = parse(text);
	char *r = NULL;
	const char *s = NULL;

	if (!j)
		return NULL;
	if (strcmp(kind, "contact") == 0 && jstr(j, "vcard"))
		r = find_prop(jstr(j, "vcard"), NULL, "FN");
	else if (strcmp(kind, "appointment") == 0 && jstr(j, "ical"))
		r = find_prop(jstr(j, "ical"), "VEVENT", "SUMMARY");
	else if (strcmp(kind, "call") == 0)
		s = !str_empty(jstr(j, "peer_name")) ? jstr(j, "peer_name") :
						       jstr(j, "peer");
	else if (strcmp(kind, "crm_note") == 0)
		s = jstr(j, "text");
	else
		s = jstr(j, "name");	/* book, crm */
	if (!r && s) {
		size_t len = strcspn(s, "\r\n");
		r = str_trim(xstrndup(s, len));
	}
	json_decref(j);
	if (r && !*r) {
		free(r);
		r = NULL;
	}
	return r;
}

/* One line of a version, indented, cut short when very long. */
static void add_line(struct sbuf *b, const char *s, size_t len)
{
	size_t k = len;

	if (k > LINE_MAX_BYTES) {
		k = LINE_MAX_BYTES;
		while (k && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
	}
	sbuf_add(b, "  ");
	sbuf_addn(b, s, k);
	if (k < len)
		sbuf_printf(b, "... (%zu more bytes)", len - k);
	sbuf_addc(b, '\n');
}

/* A vCard's lines but its frame (BEGIN, END, VERSION, PRODID); or an
 * iCalendar text's VEVENT lines, a blank line between events. */
static void card_lines(struct sbuf *b, const char *text, bool events)
{
	size_t n;
	char **v = unfold(text, &n);
	bool in = false, first = true;

	for (size_t i = 0; i < n; i++) {
		if (events) {
			if (strcasecmp(v[i], "BEGIN:VEVENT") == 0) {
				if (!first)
					sbuf_addc(b, '\n');
				in = true, first = false;
			} else if (strcasecmp(v[i], "END:VEVENT") == 0) {
				in = false;
			} else if (in) {
				add_line(b, v[i], strlen(v[i]));
			}
			continue;
		}
		if (is_prop(v[i], "BEGIN") || is_prop(v[i], "END") ||
		    is_prop(v[i], "VERSION") || is_prop(v[i], "PRODID"))
			continue;
		add_line(b, v[i], strlen(v[i]));
	}
	lines_free(v, n);
}

/* A JSON value as text: dates for the times, lists joined. */
static char *value_text(const char *key, json_t *v)
{
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_integer(v) && (strcmp(key, "at") == 0 ||
				   strcmp(key, "started") == 0 ||
				   strcmp(key, "created") == 0)) {
		time_t t = (time_t)json_integer_value(v);
		struct tm tm;
		char buf[32];
		localtime_r(&t, &tm);
		strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
		return xstrdup(buf);
	}
	if (json_is_boolean(v))
		return xstrdup(json_is_true(v) ? "yes" : "no");
	if (json_is_array(v)) {
		struct sbuf b;
		size_t i;
		json_t *e;
		sbuf_init(&b);
		json_array_foreach(v, i, e) {
			char *t = value_text("", e);
			sbuf_printf(&b, "%s%s", i ? ", " : "", t);
			free(t);
		}
		return sbuf_take(&b);
	}
	char *t = json_dumps(v, JSON_ENCODE_ANY);
	return t ? t : xstrdup("");
}

/* One version of a record as readable lines. */
static void version_lines(struct sbuf *b, struct db *db, const char *kind,
			  const char *text)
{
	json_t *j = parse(text), *v;
	const char *key;

	if (!j) {		/* not for this version to read: as it is */
		add_line(b, text, strlen(text));
		return;
	}
	json_object_foreach(j, key, v) {
		if (json_is_null(v))
			continue;
		if (strcmp(kind, "contact") == 0 && strcmp(key, "vcard") == 0 &&
		    json_is_string(v)) {
			card_lines(b, json_string_value(v), false);
			continue;
		}
		if (strcmp(kind, "appointment") == 0 &&
		    strcmp(key, "ical") == 0 && json_is_string(v)) {
			card_lines(b, json_string_value(v), true);
			continue;
		}
		char *t = value_text(key, v);
		struct sync_entry e;
		if (strcmp(kind, "contact") == 0 && strcmp(key, "book") == 0 &&
		    sync_get(db, "book", t, &e) == 0) {	/* its name here */
			char *name = e.local_id ? books_name(db, e.local_id) :
						  NULL;
			if (name) {
				free(t);
				t = name;
			}
			sync_entry_clear(&e);
		}
		bool book = strcmp(kind, "contact") == 0 &&
			    strcmp(key, "book") == 0;
		char *line = xasprintf("%s: %s", book ? "Address book" : key,
				       t);
		for (char *s = line, *nl; s; s = nl) {	/* a note's lines */
			nl = strchr(s, '\n');
			size_t len = nl ? (size_t)(nl++ - s) : strlen(s);
			if (s != line)	/* under the value, not the key */
				sbuf_add(b, "  ");
			add_line(b, s, len);
		}
		free(line);
		free(t);
	}
	json_decref(j);
}

/* ---- the list ------------------------------------------------------------ */

static void load(struct conflicts *c)
{
	struct app *a = shell_app(c->v.sh);

	for (size_t i = 0; i < c->n; i++)
		free(c->names[i]);
	free(c->names);
	sync_conflicts_free(c->cs, c->n);
	if (sync_conflicts(a->db, &c->cs, &c->n) < 0)
		shell_error(c->v.sh, "cannot read the sync conflicts from the "
			    "local database");
	c->seen = sync_conflict_count(a->db);
	c->names = xcalloc(c->n ? c->n : 1, sizeof *c->names);
	for (size_t i = 0; i < c->n; i++) {
		const struct sync_conflict *s = &c->cs[i];
		c->names[i] = record_name(s->kind, s->mine ? s->mine :
					  s->theirs);
		if (!c->names[i])
			c->names[i] = xstrdup("(no name)");
	}
	list_set_count(&c->list, c->n);
}

static char *state_text(const struct sync_conflict *s)
{
	return xasprintf("mine: %s, theirs: %s", s->mine ? "changed" :
			 "deleted", s->theirs ? "changed" : "deleted");
}

static void draw_row(void *arg, WINDOW *w, int y, int x, int width,
		     size_t i, bool sel)
{
	struct conflicts *c = arg;
	attr_t a = sel ? ui_attr(c->v.sh, UI_SELECTED) : A_NORMAL;
	char *state = state_text(&c->cs[i]);
	int sw = utf8_width(state), kw = 14;

	ui_text(w, y, x, width, "", a);
	if (width < kw + sw + 10) {	/* narrow: the name only */
		ui_puts(w, y, x, width, c->names[i], a);
	} else {
		ui_puts(w, y, x, kw - 1, kind_label(c->cs[i].kind), a);
		ui_puts(w, y, x + kw, width - kw - sw - 2, c->names[i], a);
		ui_puts(w, y, x + width - sw, sw, state, a);
	}
	free(state);
}

static void cf_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct conflicts *c = (struct conflicts *)v;
	struct app *a = shell_app(v->sh);

	/* a push may have found more while the list is open */
	if (sync_conflict_count(a->db) != c->seen)
		load(c);
	int bw = cols > 104 ? 100 : cols - 2;
	int rows = c->n ? (int)c->n : 1;	/* one for the empty text */
	int bh = rows + 6 < h - 2 ? rows + 6 : h - 2;
	int y = (h - bh) / 2, x = (cols - bw) / 2;

	ui_box(v->sh, w, y, x, bh, bw, "Sync conflicts");
	ui_text(w, y + 1, x + 2, bw - 4, "Changed here and on another "
		"machine: both are kept until you choose.",
		ui_attr(v->sh, UI_DIM));
	list_draw(&c->list, v->sh, w, y + 3, x + 2, bh - 6, bw - 4);
	static const enum action acts[] = { A_OPEN, A_RESOLVE_MINE,
					    A_RESOLVE_THEIRS, A_RESOLVE_BOTH,
					    A_NONE };
	char *help = ui_key_help(v->sh, CTX_CONFLICTS, acts);
	char *line = xasprintf("%s  q: Close", help);
	ui_text(w, y + bh - 2, x + 2, bw - 4, line, ui_attr(v->sh, UI_DIM));
	free(line);
	free(help);
}

/* One version's lines into b, each line that the other version does
 * not have marked with '*' (mine and other: from version_lines). */
static void add_marked(struct sbuf *b, const char *mine, const char *other)
{
	for (const char *s = mine; *s;) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) + 1 : strlen(s);
		bool same = false;
		for (const char *o = other; o && *o && !same;) {
			const char *oe = strchr(o, '\n');
			size_t olen = oe ? (size_t)(oe - o) + 1 : strlen(o);
			same = olen == len && memcmp(o, s, len) == 0;
			o += olen;
		}
		if (!same && *s == ' ' && len > 1) {	/* "  " indents it */
			sbuf_addc(b, '*');
			sbuf_addn(b, s + 1, len - 1);
		} else {
			sbuf_addn(b, s, len);
		}
		s += len;
	}
}

/* Enter: both versions, one under the other, in a pager. */
static void show(struct conflicts *c)
{
	struct app *a = shell_app(c->v.sh);
	const struct sync_conflict *s = &c->cs[c->list.sel];
	const char *label = kind_label(s->kind), *name = c->names[c->list.sel];
	static const enum action acts[] = { A_RESOLVE_MINE, A_RESOLVE_THEIRS,
					    A_RESOLVE_BOTH, A_NONE };
	char *help = ui_key_help(c->v.sh, CTX_CONFLICTS, acts);
	struct sbuf b, mine, theirs;

	sbuf_init(&b);
	sbuf_init(&mine);
	sbuf_init(&theirs);
	if (s->mine)
		version_lines(&mine, a->db, s->kind, s->mine);
	else
		sbuf_add(&mine, "  (deleted on this machine)\n");
	if (s->theirs)
		version_lines(&theirs, a->db, s->kind, s->theirs);
	else
		sbuf_add(&theirs, "  (deleted on the other machine)\n");
	sbuf_printf(&b, "%s %s: changed here and on another machine.\n"
		    "Lines marked * differ between the two versions.\n"
		    "Close this (q) and choose in the list: %s\n\n", label,
		    name, help);
	sbuf_printf(&b, "This machine (%s)\n", s->mine ? "changed" :
		    "deleted");
	add_marked(&b, sbuf_str(&mine), sbuf_str(&theirs));
	sbuf_printf(&b, "\nOther machine (%s)\n", s->theirs ? "changed" :
		    "deleted");
	add_marked(&b, sbuf_str(&theirs), sbuf_str(&mine));
	char *title = xasprintf("Both versions: %s %s", label, name);
	ui_pager(c->v.sh, title, sbuf_str(&b));
	free(title);
	free(help);
	sbuf_free(&b);
	sbuf_free(&mine);
	sbuf_free(&theirs);
}

static void resolve(struct conflicts *c, enum datasync_choice how)
{
	struct shell *sh = c->v.sh;
	struct app *a = shell_app(sh);
	const struct sync_conflict *s = &c->cs[c->list.sel];
	char *what = xasprintf("%s %s", kind_label(s->kind),
			       c->names[c->list.sel]);
	char *err = NULL;

	if (datasync_resolve(a->db, s->id, how, app_region(a), &err) < 0) {
		shell_error(sh, "%s: %s", what, err ? err :
			    "cannot resolve the conflict");
		free(err);
		free(what);
		load(c);	/* it may be gone: resolved elsewhere */
		return;
	}
	if (how == DS_MINE)
		shell_message(sh, "Kept this machine's version of %s", what);
	else if (how == DS_THEIRS)
		shell_message(sh, "Took the other machine's version of %s",
			      what);
	else
		shell_message(sh, "Kept both versions of %s: this machine's is "
			      "a new %s", what, kind_label(s->kind));
	free(what);
	/* "mine" may change only sync_map (a delete here: no row to write),
	 * which the update hook and its push timer do not see: send now
	 * (offline this does nothing; the link's start sends it) */
	if (shell_online(sh))
		online_msg_flush(shell_online(sh));
	shell_reload(sh);	/* this list, and the views that show it */
}

static bool cf_key(struct view *v, const struct ui_key *k)
{
	struct conflicts *c = (struct conflicts *)v;
	enum datasync_choice how;

	if (list_move(&c->list, k->action))
		return true;
	switch (k->action) {
	case A_OPEN:
		load(c);	/* "theirs" may be newer by now */
		if (c->n)
			show(c);
		return true;
	case A_RESOLVE_MINE: how = DS_MINE; break;
	case A_RESOLVE_THEIRS: how = DS_THEIRS; break;
	case A_RESOLVE_BOTH: how = DS_BOTH; break;
	default:
		return ui_close_on(v, k);
	}
	if (c->n)
		resolve(c, how);
	else
		shell_error(v->sh, "no conflict to resolve");
	return true;
}

static void cf_click(struct view *v, int y, int x, bool dbl)
{
	struct conflicts *c = (struct conflicts *)v;
	long i = list_row_at(&c->list, y);

	if (i >= 0) {
		list_select(&c->list, (size_t)i);
		if (dbl)
			cf_key(v, &(struct ui_key){ .action = A_OPEN });
	}
}

static void cf_reload(struct view *v)
{
	load((struct conflicts *)v);
}

static void cf_free(struct view *v)
{
	struct conflicts *c = (struct conflicts *)v;

	for (size_t i = 0; i < c->n; i++)
		free(c->names[i]);
	free(c->names);
	sync_conflicts_free(c->cs, c->n);
	free(c);
}

static const enum action cf_hints[] = { A_OPEN, A_RESOLVE_MINE,
					A_RESOLVE_THEIRS, A_RESOLVE_BOTH,
					A_CLOSE, A_NONE };
static const struct view_ops cf_ops = {
	.name = "conflicts",
	.ctx = CTX_CONFLICTS,
	.list_keys = true,
	.draw = cf_draw,
	.key = cf_key,
	.click = cf_click,
	.reload = cf_reload,
	.free = cf_free,
	.hints = cf_hints,
};

void conflicts_open(struct shell *sh)
{
	struct conflicts *c = xcalloc(1, sizeof *c);

	c->v.ops = &cf_ops;
	c->v.sh = sh;
	c->v.title = "conflicts";
	c->v.modal = true;
	list_init(&c->list, draw_row, c);
	c->list.empty = "No conflicts: every record is the same here and on "
			"the server.";
	load(c);
	shell_push(sh, &c->v);
}
