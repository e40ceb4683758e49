/* views/theme: colour themes and `color` lines from confab.conf. */
#include "views/theme.h"
#include "app/config.h"
#include "common/str.h"

#include <stdlib.h>
#include <string.h>

static const char *const element_names[UI_COLOR_COUNT] = {
	"normal", "tabs", "tab_active", "status", "hint", "hint_key",
	"selected", "header", "error", "message", "border", "match", "dim",
	"field", "field_active", "title", "online", "away", "busy", "offline",
};

struct spec {
	short fg, bg;
	attr_t extra;
};

/* -1 is the terminal's default colour. */
static const struct spec theme_default[UI_COLOR_COUNT] = {
	[UI_NORMAL] = { -1, -1, 0 },
	[UI_TABS] = { -1, -1, A_REVERSE },
	[UI_TAB_ACTIVE] = { COLOR_YELLOW, -1, A_BOLD },
	[UI_STATUS] = { -1, -1, A_REVERSE },
	[UI_HINT] = { -1, -1, 0 },
	[UI_HINT_KEY] = { COLOR_CYAN, -1, A_BOLD },
	[UI_SELECTED] = { -1, -1, A_REVERSE },
	[UI_HEADER] = { -1, -1, A_BOLD | A_UNDERLINE },
	[UI_ERROR] = { COLOR_RED, -1, A_BOLD },
	[UI_MESSAGE] = { COLOR_GREEN, -1, 0 },
	[UI_BORDER] = { COLOR_BLUE, -1, 0 },
	[UI_MATCH] = { COLOR_YELLOW, -1, A_BOLD },
	[UI_DIM] = { -1, -1, A_DIM },
	[UI_FIELD] = { -1, -1, A_UNDERLINE },
	[UI_FIELD_ACTIVE] = { -1, -1, A_REVERSE },
	[UI_TITLE] = { -1, -1, A_BOLD },
	[UI_ONLINE] = { COLOR_GREEN, -1, A_BOLD },
	[UI_AWAY] = { COLOR_YELLOW, -1, 0 },
	[UI_BUSY] = { COLOR_RED, -1, A_BOLD },
	[UI_OFFLINE] = { -1, -1, A_DIM },
};

static const struct spec theme_dark[UI_COLOR_COUNT] = {
	[UI_NORMAL] = { COLOR_WHITE, COLOR_BLACK, 0 },
	[UI_TABS] = { COLOR_WHITE, COLOR_BLUE, 0 },
	[UI_TAB_ACTIVE] = { COLOR_YELLOW, COLOR_BLUE, A_BOLD },
	[UI_STATUS] = { COLOR_BLACK, COLOR_CYAN, 0 },
	[UI_HINT] = { COLOR_WHITE, COLOR_BLACK, 0 },
	[UI_HINT_KEY] = { COLOR_CYAN, COLOR_BLACK, A_BOLD },
	[UI_SELECTED] = { COLOR_BLACK, COLOR_CYAN, 0 },
	[UI_HEADER] = { COLOR_CYAN, COLOR_BLACK, A_BOLD },
	[UI_ERROR] = { COLOR_RED, COLOR_BLACK, A_BOLD },
	[UI_MESSAGE] = { COLOR_GREEN, COLOR_BLACK, 0 },
	[UI_BORDER] = { COLOR_BLUE, COLOR_BLACK, 0 },
	[UI_MATCH] = { COLOR_YELLOW, COLOR_BLACK, A_BOLD },
	[UI_DIM] = { COLOR_WHITE, COLOR_BLACK, A_DIM },
	[UI_FIELD] = { COLOR_WHITE, COLOR_BLACK, A_UNDERLINE },
	[UI_FIELD_ACTIVE] = { COLOR_BLACK, COLOR_WHITE, 0 },
	[UI_TITLE] = { COLOR_YELLOW, COLOR_BLACK, A_BOLD },
	[UI_ONLINE] = { COLOR_GREEN, COLOR_BLACK, A_BOLD },
	[UI_AWAY] = { COLOR_YELLOW, COLOR_BLACK, 0 },
	[UI_BUSY] = { COLOR_RED, COLOR_BLACK, A_BOLD },
	[UI_OFFLINE] = { COLOR_WHITE, COLOR_BLACK, A_DIM },
};

static const struct spec theme_light[UI_COLOR_COUNT] = {
	[UI_NORMAL] = { COLOR_BLACK, COLOR_WHITE, 0 },
	[UI_TABS] = { COLOR_WHITE, COLOR_BLUE, 0 },
	[UI_TAB_ACTIVE] = { COLOR_YELLOW, COLOR_BLUE, A_BOLD },
	[UI_STATUS] = { COLOR_WHITE, COLOR_BLUE, 0 },
	[UI_HINT] = { COLOR_BLACK, COLOR_WHITE, 0 },
	[UI_HINT_KEY] = { COLOR_BLUE, COLOR_WHITE, A_BOLD },
	[UI_SELECTED] = { COLOR_WHITE, COLOR_BLUE, 0 },
	[UI_HEADER] = { COLOR_BLUE, COLOR_WHITE, A_BOLD },
	[UI_ERROR] = { COLOR_RED, COLOR_WHITE, A_BOLD },
	[UI_MESSAGE] = { COLOR_GREEN, COLOR_WHITE, 0 },
	[UI_BORDER] = { COLOR_BLUE, COLOR_WHITE, 0 },
	[UI_MATCH] = { COLOR_MAGENTA, COLOR_WHITE, A_BOLD },
	[UI_DIM] = { COLOR_BLACK, COLOR_WHITE, A_DIM },
	[UI_FIELD] = { COLOR_BLACK, COLOR_WHITE, A_UNDERLINE },
	[UI_FIELD_ACTIVE] = { COLOR_WHITE, COLOR_BLACK, 0 },
	[UI_TITLE] = { COLOR_BLUE, COLOR_WHITE, A_BOLD },
	[UI_ONLINE] = { COLOR_GREEN, COLOR_WHITE, A_BOLD },
	[UI_AWAY] = { COLOR_MAGENTA, COLOR_WHITE, 0 },
	[UI_BUSY] = { COLOR_RED, COLOR_WHITE, A_BOLD },
	[UI_OFFLINE] = { COLOR_BLACK, COLOR_WHITE, A_DIM },
};

/* Attributes only: for --no-color and terminals without colour. */
static const attr_t mono[UI_COLOR_COUNT] = {
	[UI_TABS] = A_REVERSE, [UI_TAB_ACTIVE] = A_BOLD,
	[UI_STATUS] = A_REVERSE, [UI_HINT_KEY] = A_BOLD,
	[UI_SELECTED] = A_REVERSE, [UI_HEADER] = A_BOLD | A_UNDERLINE,
	[UI_ERROR] = A_BOLD, [UI_MATCH] = A_BOLD, [UI_DIM] = A_DIM,
	[UI_FIELD] = A_UNDERLINE, [UI_FIELD_ACTIVE] = A_REVERSE,
	[UI_TITLE] = A_BOLD, [UI_ONLINE] = A_BOLD, [UI_BUSY] = A_BOLD,
	[UI_OFFLINE] = A_DIM,
};

static short color_by_name(const char *s, bool *ok)
{
	static const char *const names[] = { "black", "red", "green",
					     "yellow", "blue", "magenta",
					     "cyan", "white" };
	*ok = true;
	if (str_ieq(s, "default"))
		return -1;
	for (short i = 0; i < 8; i++)
		if (str_ieq(s, names[i]))
			return i;
	char *end;
	long n = strtol(s, &end, 10);
	if (*s && !*end && n >= 0 && n < 256)
		return (short)n;
	*ok = false;
	return -1;
}

static int element_by_name(const char *s)
{
	for (int i = 0; i < UI_COLOR_COUNT; i++)
		if (str_ieq(s, element_names[i]))
			return i;
	return -1;
}

void theme_apply(attr_t attrs[UI_COLOR_COUNT], const struct config *cfg,
		 bool color, char ***errs, size_t *nerrs)
{
	const struct spec *t = theme_default;

	if (str_ieq(cfg->theme, "dark"))
		t = theme_dark;
	else if (str_ieq(cfg->theme, "light"))
		t = theme_light;
	if (!color || str_ieq(cfg->theme, "mono") || !has_colors()) {
		memcpy(attrs, mono, sizeof mono);
		return;
	}
	struct spec s[UI_COLOR_COUNT];
	memcpy(s, t, sizeof s);
	for (size_t i = 0; i < cfg->ncolors; i++) {
		const struct config_color *c = &cfg->colors[i];
		int el = element_by_name(c->element);
		bool ok1, ok2;
		short fg = color_by_name(c->fg, &ok1);
		short bg = color_by_name(c->bg, &ok2);
		if (el < 0 || !ok1 || !ok2) {
			*errs = xrealloc(*errs, (*nerrs + 1) * sizeof **errs);
			(*errs)[(*nerrs)++] = xasprintf(
				"%s:%u: %s", cfg->source ? cfg->source :
				"confab.conf", c->line,
				el < 0 ? "unknown colour element" :
					 "unknown colour (black, red, green, "
					 "yellow, blue, magenta, cyan, white, "
					 "default or 0-255)");
			continue;
		}
		s[el].fg = fg;
		s[el].bg = bg;
		s[el].extra &= ~(attr_t)A_REVERSE;
	}
	for (int i = 0; i < UI_COLOR_COUNT; i++) {
		init_pair((short)(i + 1), s[i].fg, s[i].bg);
		attrs[i] = COLOR_PAIR(i + 1) | s[i].extra;
	}
	if (str_ieq(cfg->theme, "dark") || str_ieq(cfg->theme, "light"))
		bkgd(COLOR_PAIR(UI_NORMAL + 1));
}
