/* store/diary_io: iCalendar import and export of the diary.
 *
 * Import reads a .ics file or a vdir (a directory of .ics files) in one
 * transaction: if it fails part-way nothing is stored.  An event whose UID
 * (and RECURRENCE-ID) is already in the diary updates that appointment, or
 * is skipped, as the caller chooses; an override (RECURRENCE-ID) is stored
 * as an override of its series.  Events that cannot be stored are listed
 * in the report with file, line and reason.
 *
 * Export writes one VCALENDAR (store/formats/ical.c), to a file through a
 * temp file and rename, or a vdir: one <uid>.ics per series with its
 * overrides.  A range keeps every series with an occurrence in it.
 */
#ifndef CONFAB_STORE_DIARY_IO_H
#define CONFAB_STORE_DIARY_IO_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct sbuf;

enum diary_dup { DIARY_DUP_UPDATE, DIARY_DUP_SKIP };

struct diary_io_skip {
	char *file;	/* the file (for a vdir, the .ics inside it) */
	unsigned line;	/* line of its BEGIN:VEVENT; 0 = the whole file */
	char *reason;
};

struct diary_io_report {
	size_t imported, updated, skipped;
	struct diary_io_skip *skips;
	size_t nskips;
	const char *format;	/* "iCalendar" or "vdir" */
};

/* Import a .ics file or a vdir.  0 (see the report), or a negative code
 * with *err set ("…; nothing was imported" when a store error ended it). */
int diary_import_path(struct db *db, const char *path, enum diary_dup dup,
		      struct diary_io_report *rep, char **err);
/* Same for bytes in memory; `name` is the file name for the report. */
int diary_import_buffer(struct db *db, const char *name, const char *data,
			size_t len, enum diary_dup dup,
			struct diary_io_report *rep, char **err);
void diary_io_report_clear(struct diary_io_report *rep);

/* A period for export: all of the diary when from_utc == to_utc == 0. */
struct diary_span {
	int64_t from_utc, to_utc;
};

/* Append the calendar to out; *n (if given) is the number of events. */
int diary_export_buffer(struct db *db, const struct diary_span *span,
			struct sbuf *out, size_t *n, char **err);
/* Write it to a file, atomically (temp file + rename). */
int diary_export_file(struct db *db, const struct diary_span *span,
		      const char *path, size_t *n, char **err);
/* One <uid>.ics per series (with its overrides) or single appointment in
 * dir, created if needed, each through a temp file and rename. */
int diary_export_vdir(struct db *db, const struct diary_span *span,
		      const char *dir, size_t *n, char **err);

/* Sync (net/datasync.c): one series or single appointment with its
 * overrides as a VCALENDAR; -ENOENT when there is none, -EINVAL when id
 * is an override. */
int diary_series_write(struct db *db, int64_t id, struct sbuf *out);
/* Make the diary's series `uid` (its row `local`, or found by uid, or
 * new) what `data` holds: the series first, then its changed
 * occurrences; occurrences changed here and not in data are dropped.
 * as_uid (else NULL): store it under that uid instead, as a copy.  *id
 * is the series' row.  -EINVAL with *err when data is not one series
 * of this uid or a field of it is wrong. */
int diary_series_put(struct db *db, const char *uid, const char *data,
		     size_t len, int64_t local, const char *as_uid,
		     int64_t *id, char **err);

#endif
