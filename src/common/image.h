/* common/image: PNG and JPEG pictures (profile photos, company logos),
 * checked and decoded with stb_image.
 *
 * image.c is the one place stb_image is compiled (PNG and JPEG only, its
 * functions static to that file).  Every decode is bounded, because the
 * bytes come from strangers (uploads to confabd, pictures the client gets
 * from a server): at most IMAGE_MAX_BYTES of input, IMAGE_MAX_SIDE pixels
 * a side, at most IMAGE_JPEG_SCANS scans in a JPEG, and a memory budget
 * for the decoder's own buffers (a zlib bomb stops there).  confabd checks
 * uploads with image_check(); the client draws image_decode()'s pixels.
 */
#ifndef CONFAB_COMMON_IMAGE_H
#define CONFAB_COMMON_IMAGE_H

#include <stddef.h>

#define IMAGE_MAX_BYTES (512 * 1024)
#define IMAGE_MAX_SIDE 4096
#define IMAGE_JPEG_SCANS 64
/* what the decoder may hold at once: a 4096x4096 progressive JPEG needs
 * about 210 MiB */
#define IMAGE_MEM_MAX ((size_t)256 << 20)

enum image_type { IMAGE_NONE, IMAGE_PNG, IMAGE_JPEG };

/* The type the magic bytes say: PNG's signature or JPEG's SOI marker. */
enum image_type image_sniff(const void *data, size_t len);
/* "image/png", "image/jpeg" (NULL for IMAGE_NONE) */
const char *image_type_mime(enum image_type t);
/* The type of a MIME type ("image/jpg" too); IMAGE_NONE when other. */
enum image_type image_type_parse(const char *mime);

struct image {
	int width, height;
	unsigned char *rgba;	/* width * height * 4 bytes, rows top down
				 * (malloc memory, image_clear frees it) */
};

/* Check that data is a PNG or JPEG stb_image decodes within the limits:
 * 0 with the type and size, or -1 with *err a new message saying what is
 * wrong ("the image is 100000x100000 pixels; at most 4096x4096"). */
int image_check(const void *data, size_t len, enum image_type *type,
		int *width, int *height, char **err);
/* The same checks, then the pixels as RGBA into *out (image_clear it). */
int image_decode(const void *data, size_t len, struct image *out,
		 char **err);
void image_clear(struct image *img);

#endif
