/* store/export: writing contacts out as vCard 3.0/4.0, CSV or a vdir. */
#ifndef CONFAB_STORE_EXPORT_H
#define CONFAB_STORE_EXPORT_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

struct db;

enum export_format { EXPORT_VCARD3, EXPORT_VCARD4, EXPORT_CSV };

/* "vcard3", "vcard4", "csv" -> format; -EINVAL when unknown. */
int export_parse_format(const char *name, enum export_format *fmt);

/* Write the contacts `ids` to a stream. */
int export_stream(struct db *db, const int64_t *ids, size_t n,
		  enum export_format fmt, FILE *out, char **err);
/* Write to a file, atomically (temp file + rename). */
int export_file(struct db *db, const int64_t *ids, size_t n,
		enum export_format fmt, const char *path, char **err);
/* One .vcf per contact in `dir` (created if needed), named by UID, each
 * written through a temp file and rename. */
int export_vdir(struct db *db, const int64_t *ids, size_t n,
		enum export_format fmt, const char *dir, char **err);

#endif
