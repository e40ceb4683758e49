/* common/paths: XDG directory resolution and directory creation. */
#include "common/paths.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *home(void)
{
	const char *h = getenv("HOME");

	return str_empty(h) ? "/tmp" : h;
}

char *paths_join(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n && a[n - 1] == '/')
		return xasprintf("%s%s", a, b);
	return xasprintf("%s/%s", a, b);
}

char *paths_data_dir(const char *override)
{
	const char *e;

	if (!str_empty(override))
		return xstrdup(override);
	if (!str_empty(e = getenv("CONFAB_HOME")))
		return xstrdup(e);
	if (!str_empty(e = getenv("XDG_DATA_HOME")))
		return paths_join(e, "confab");
	return xasprintf("%s/.local/share/confab", home());
}

char *paths_config_file(const char *override)
{
	const char *e;

	if (!str_empty(override))
		return xstrdup(override);
	if (!str_empty(e = getenv("XDG_CONFIG_HOME")))
		return xasprintf("%s/confab/confab.conf", e);
	return xasprintf("%s/.config/confab/confab.conf", home());
}

int paths_mkdir_p(const char *dir)
{
	char *p = xstrdup(dir);
	int rc = 0;

	for (char *s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0700) < 0 && errno != EEXIST) {
				rc = -errno;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return rc;
}
