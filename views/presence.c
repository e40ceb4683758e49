/* views/presence: one look for presence everywhere (monitor, directory,
 * address book, profiles). */
#include "views/ui.h"
#include "views/view.h"

#include <string.h>

const char *presence_icon(struct shell *sh, const char *state, attr_t *a)
{
	static const struct {
		const char *state, *utf8, *ascii;
		enum ui_color color;
	} icons[] = {
		{ "online", "\xe2\x97\x8f", "+", UI_ONLINE },	/* ● */
		{ "away", "\xe2\x97\x90", "~", UI_AWAY },	/* ◐ */
		{ "busy", "\xe2\x97\x8f", "*", UI_BUSY },	/* ● */
		{ "dnd", "\xe2\x8a\x98", "!", UI_BUSY },	/* ⊘ */
		{ "offline", "\xe2\x97\x8b", "-", UI_OFFLINE },	/* ○ */
	};

	for (size_t i = 0; state && i < sizeof icons / sizeof *icons; i++)
		if (strcmp(state, icons[i].state) == 0) {
			*a = ui_attr(sh, icons[i].color);
			return ui_ascii(sh) ? icons[i].ascii : icons[i].utf8;
		}
	*a = ui_attr(sh, UI_DIM);
	return " ";
}
