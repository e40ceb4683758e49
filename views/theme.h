/* views/theme: turning the theme and `color` settings into attributes. */
#ifndef CONFAB_VIEWS_THEME_H
#define CONFAB_VIEWS_THEME_H

#include <stddef.h>
#include "views/ui.h"

struct config;

/* Fill attrs for every element; colour errors go to *errs. */
void theme_apply(attr_t attrs[UI_COLOR_COUNT], const struct config *cfg,
		 bool color, char ***errs, size_t *nerrs);

#endif
