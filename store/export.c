/* store/export: vCard 3.0/4.0, CSV and vdir export. */
#include "store/export.h"
#include "store/contacts.h"
#include "store/formats/csv.h"
#include "store/formats/vcard.h"
#include "common/paths.h"
#include "common/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int export_parse_format(const char *name, enum export_format *fmt)
{
	if (str_ieq(name, "vcard3") || str_ieq(name, "vcard") ||
	    str_ieq(name, "vcf"))
		*fmt = EXPORT_VCARD3;
	else if (str_ieq(name, "vcard4"))
		*fmt = EXPORT_VCARD4;
	else if (str_ieq(name, "csv"))
		*fmt = EXPORT_CSV;
	else
		return -EINVAL;
	return 0;
}

static void format_one(struct sbuf *b, const struct contact *c,
		       enum export_format fmt)
{
	if (fmt == EXPORT_CSV)
		csv_write(b, c);
	else
		vcard_write(b, c, fmt == EXPORT_VCARD4 ? VCARD_40 : VCARD_30);
}

int export_stream(struct db *db, const int64_t *ids, size_t n,
		  enum export_format fmt, FILE *out, char **err)
{
	struct sbuf b;

	sbuf_init(&b);
	if (fmt == EXPORT_CSV)
		csv_write_header(&b);
	for (size_t i = 0; i < n; i++) {
		struct contact *c;
		if (contacts_get(db, ids[i], &c) < 0)
			continue;	/* deleted meanwhile */
		format_one(&b, c, fmt);
		contact_free(c);
		if (b.len > (1u << 16) || i + 1 == n) {
			if (fwrite(b.s, 1, b.len, out) != b.len)
				goto fail;
			sbuf_reset(&b);
		}
	}
	if (b.len && fwrite(b.s, 1, b.len, out) != b.len)
		goto fail;
	sbuf_free(&b);
	if (fflush(out) != 0)
		goto fail_nobuf;
	return 0;
fail:
	sbuf_free(&b);
fail_nobuf:
	*err = xasprintf("cannot write: %s", strerror(errno));
	return -EIO;
}

/* Write through "<path>.tmp-XXXXXX" and rename, so a reader never sees a
 * half-written file. */
static int atomic_open(const char *path, char **tmp, FILE **fp, char **err)
{
	*tmp = xasprintf("%s.tmp-XXXXXX", path);
	int fd = mkstemp(*tmp);

	if (fd < 0 || !(*fp = fdopen(fd, "w"))) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd), unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
		return -EIO;
	}
	return 0;
}

static int atomic_close(const char *path, char *tmp, FILE *fp, int rc,
			char **err)
{
	if (rc == 0 && (fflush(fp) != 0 || fsync(fileno(fp)) != 0)) {
		rc = -EIO;
		*err = xasprintf("%s: %s", path, strerror(errno));
	}
	fclose(fp);
	if (rc == 0 && rename(tmp, path) < 0) {
		rc = -EIO;
		*err = xasprintf("%s: %s", path, strerror(errno));
	}
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

int export_file(struct db *db, const int64_t *ids, size_t n,
		enum export_format fmt, const char *path, char **err)
{
	char *tmp;
	FILE *fp;

	if (atomic_open(path, &tmp, &fp, err) < 0)
		return -EIO;
	int rc = export_stream(db, ids, n, fmt, fp, err);
	return atomic_close(path, tmp, fp, rc, err);
}

/* A file name from a UID: keep it readable, never a path. */
static char *vdir_name(const struct contact *c)
{
	struct sbuf b;

	sbuf_init(&b);
	for (const char *p = c->uid; p && *p && b.len < 120; p++) {
		unsigned char ch = (unsigned char)*p;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
		    ch == '.' || ch == '@')
			sbuf_addc(&b, (char)ch);
		else
			sbuf_printf(&b, "%%%02X", ch);
	}
	if (!b.len || b.s[0] == '.')
		sbuf_printf(&b, "contact-%lld", (long long)c->id);
	sbuf_add(&b, ".vcf");
	return sbuf_take(&b);
}

int export_vdir(struct db *db, const int64_t *ids, size_t n,
		enum export_format fmt, const char *dir, char **err)
{
	int rc = paths_mkdir_p(dir);

	if (rc < 0) {
		*err = xasprintf("%s: %s", dir, strerror(-rc));
		return rc;
	}
	if (fmt == EXPORT_CSV) {
		*err = xstrdup("a vdir holds vCards: use vcard3 or vcard4");
		return -EINVAL;
	}
	struct sbuf b;
	sbuf_init(&b);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct contact *c;
		if (contacts_get(db, ids[i], &c) < 0)
			continue;
		char *name = vdir_name(c);
		char *path = paths_join(dir, name);
		char *tmp;
		FILE *fp;
		sbuf_reset(&b);
		format_one(&b, c, fmt);
		rc = atomic_open(path, &tmp, &fp, err);
		if (rc == 0) {
			int w = fwrite(b.s, 1, b.len, fp) == b.len ? 0 : -EIO;
			if (w < 0)
				*err = xasprintf("%s: %s", path,
						 strerror(errno));
			rc = atomic_close(path, tmp, fp, w, err);
		}
		free(path);
		free(name);
		contact_free(c);
	}
	sbuf_free(&b);
	return rc;
}
