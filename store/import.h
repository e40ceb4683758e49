/* store/import: bringing contacts in from vCard, CSV and vdir directories.
 *
 * A whole import runs in one transaction: if it fails part-way, nothing
 * already stored changes.  Duplicates (same UID, email or phone) are merged
 * into the existing contact or skipped, as the caller chooses.  The report
 * lists every skipped card with its file, line and reason.
 */
#ifndef CONFAB_STORE_IMPORT_H
#define CONFAB_STORE_IMPORT_H

#include <stddef.h>
#include <stdint.h>

struct db;

enum import_dup { IMPORT_DUP_MERGE, IMPORT_DUP_SKIP };

struct import_skip {
	char *file;	/* file name (for a vdir, the .vcf inside it) */
	unsigned line;	/* 1-based line where the card/row began; 0 = whole file */
	char *reason;
};

struct import_report {
	size_t imported, merged, skipped;
	struct import_skip *skips;
	size_t nskips;
	const char *format;	/* "vCard", "Google CSV", "Outlook CSV", "vdir"… */
};

/* Progress: bytes of input processed so far out of total. */
typedef void (*import_progress_cb)(void *arg, size_t done, size_t total);

struct import_opts {
	int64_t book_id;
	enum import_dup dup;
	const char *region;		/* for phone normalisation */
	import_progress_cb progress;	/* may be NULL */
	void *arg;
};

/* Import a file (vCard or CSV, told apart by content) or a vdir directory.
 * Returns 0 (see the report) or a negative code with *err set. */
int import_path(struct db *db, const char *path,
		const struct import_opts *opts, struct import_report *rep,
		char **err);
/* Same for bytes already in memory; `name` is used in the report. */
int import_buffer(struct db *db, const char *name, const char *data,
		  size_t len, const struct import_opts *opts,
		  struct import_report *rep, char **err);
void import_report_clear(struct import_report *rep);

#endif
