/* app/app: opening the client's context. */
#include "app/app.h"
#include "store/books.h"
#include "store/db.h"
#include "common/log.h"
#include "common/paths.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int app_open(struct app *a, const char *data_dir, const char *config_path,
	     char **err)
{
	int rc;

	a->data_dir = paths_data_dir(data_dir);
	a->config_path = paths_config_file(config_path);
	config_defaults(&a->cfg);
	rc = config_load(&a->cfg, a->config_path);
	if (rc < 0) {
		*err = xasprintf("cannot read %s: %s", a->config_path,
				 strerror(-rc));
		return rc;
	}
	rc = paths_mkdir_p(a->data_dir);
	if (rc < 0) {
		*err = xasprintf("cannot create data directory %s: %s",
				 a->data_dir, strerror(-rc));
		return rc;
	}
	char *logp = paths_join(a->data_dir, "confab.log");
	log_open(logp, LOG_INFO);
	free(logp);
	a->db_path = paths_join(a->data_dir, "confab.db");
	rc = db_open(&a->db, a->db_path, db_client_migrations,
		     db_client_nmigrations, err);
	if (rc < 0)
		return rc;
	return 0;
}

void app_close(struct app *a)
{
	db_close(a->db);
	config_clear(&a->cfg);
	free(a->data_dir);
	free(a->config_path);
	free(a->db_path);
	log_close();
	memset(a, 0, sizeof *a);
}

const char *app_region(const struct app *a)
{
	return str_empty(a->cfg.region) ? "GB" : a->cfg.region;
}
