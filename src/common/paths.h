/* common/paths: where confab keeps its files (XDG base directories). */
#ifndef CONFAB_COMMON_PATHS_H
#define CONFAB_COMMON_PATHS_H

/* Data directory: `override` if given, else $CONFAB_HOME, else
 * $XDG_DATA_HOME/confab, else ~/.local/share/confab.  New string. */
char *paths_data_dir(const char *override);
/* Config file: `override` if given, else $XDG_CONFIG_HOME/confab/confab.conf,
 * else ~/.config/confab/confab.conf.  New string. */
char *paths_config_file(const char *override);
/* mkdir -p with mode 0700 for created components; 0 or -errno. */
int paths_mkdir_p(const char *dir);
/* Join two path components with one '/'.  New string. */
char *paths_join(const char *a, const char *b);

#endif
