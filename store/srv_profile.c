/* store/srv_profile: what a user keeps in their own profile beyond the
 * account: phones and preferences, each a JSON text checked by confabd
 * (src/server/api_profile.c) before it is stored. */
#include "store/server.h"
#include "store/db.h"

#include <errno.h>
#include <string.h>

int srv_profile_get(struct db *db, int64_t user_id, char **phones,
		    char **prefs)
{
	sqlite3_stmt *s = db_stmt(db, "SELECT phones, prefs FROM "
				  "user_profiles WHERE user_id = ?");

	*phones = *prefs = NULL;
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, user_id);
	if (sqlite3_step(s) == SQLITE_ROW) {
		*phones = db_col_dup(s, 0);
		*prefs = db_col_dup(s, 1);
	}
	sqlite3_reset(s);
	return 0;
}

int srv_profile_set(struct db *db, int64_t user_id, const char *phones,
		    const char *prefs)
{
	sqlite3_stmt *s = db_stmt(db, "INSERT INTO user_profiles(user_id, "
				  "phones, prefs) VALUES (?1, ?2, ?3) ON "
				  "CONFLICT(user_id) DO UPDATE SET phones = "
				  "coalesce(?2, phones), prefs = coalesce(?3, "
				  "prefs)");

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, user_id);
	db_bind_opt(s, 2, phones);
	db_bind_opt(s, 3, prefs);
	return db_step_done(s);
}
