/* common/image: checking and decoding PNG and JPEG with stb_image (see
 * common/image.h for the limits and why). */
#include "common/image.h"
#include "common/str.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* stb_image's allocations go through a budget.  Its hooks take no
 * context, so the count is per thread: a decode runs on one thread and
 * resets it first.  Each block carries its size in a 16-byte header
 * (which keeps malloc's alignment). */
static _Thread_local size_t mem_used;
static _Thread_local bool mem_over;

#define MEM_HDR 16

static void *mem_alloc(size_t n)
{
	unsigned char *p;

	if (n > IMAGE_MEM_MAX || mem_used + n > IMAGE_MEM_MAX) {
		mem_over = true;
		return NULL;
	}
	/* zeroed: stb_image's JPEG decoder reads parts of its state it
	 * never wrote when a file is malformed */
	if (!(p = calloc(1, n + MEM_HDR)))
		return NULL;
	memcpy(p, &n, sizeof n);
	mem_used += n;
	return p + MEM_HDR;
}

static void mem_free(void *q)
{
	unsigned char *p = q;
	size_t n;

	if (!p)
		return;
	p -= MEM_HDR;
	memcpy(&n, p, sizeof n);
	mem_used -= n;
	free(p);
}

static void *mem_realloc(void *q, size_t n)
{
	unsigned char *p = q, *np;
	size_t old;

	if (!p)
		return mem_alloc(n);
	p -= MEM_HDR;
	memcpy(&old, p, sizeof old);
	if (n > IMAGE_MEM_MAX || mem_used - old + n > IMAGE_MEM_MAX) {
		mem_over = true;
		return NULL;
	}
	if (!(np = realloc(p, n + MEM_HDR)))
		return NULL;
	memcpy(np, &n, sizeof n);
	mem_used = mem_used - old + n;
	return np + MEM_HDR;
}

/* A block as plain malloc memory (the caller frees it with free()):
 * the data slides over the header, no copy of the pixels is made. */
static void *mem_take(void *q)
{
	unsigned char *p = (unsigned char *)q - MEM_HDR, *np;
	size_t n;

	memcpy(&n, p, sizeof n);
	mem_used -= n;
	memmove(p, q, n);
	np = realloc(p, n ? n : 1);
	return np ? np : p;
}

/* stb_image 2.27 as Debian 12 ships it.  Fuzzing (tests/fuzz/fuzz_image.c)
 * found memory errors on malformed JPEGs and PNGs, which jpeg_walk and
 * png_walk below keep from it, and an over-wide shift in its JPEG bit
 * reader, which only garbles a broken picture's pixels: the Makefile
 * compiles this file without that one sanitizer check. */
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
/* its asserts check its own invariants, some on bad input: an abort in
 * confabd would let any upload stop the server */
#define STBI_ASSERT(x) ((void)0)
#define STBI_MAX_DIMENSIONS (1 << 24)
#define STBI_MALLOC(n) mem_alloc(n)
#define STBI_REALLOC(p, n) mem_realloc((p), (n))
#define STBI_FREE(p) mem_free(p)
/* stb's unused functions (static here) are reported at the end of the
 * file, so that warning stays off for all of it. */
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wtype-limits"
#include <stb_image.h>
#pragma GCC diagnostic pop

static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
					  0x1a, '\n' };

enum image_type image_sniff(const void *data, size_t len)
{
	const unsigned char *p = data;

	if (len >= sizeof png_sig && memcmp(p, png_sig, sizeof png_sig) == 0)
		return IMAGE_PNG;
	if (len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return IMAGE_JPEG;
	return IMAGE_NONE;
}

const char *image_type_mime(enum image_type t)
{
	return t == IMAGE_PNG ? "image/png" : t == IMAGE_JPEG ? "image/jpeg"
							     : NULL;
}

enum image_type image_type_parse(const char *mime)
{
	if (!mime)
		return IMAGE_NONE;
	if (str_ieq(mime, "image/png"))
		return IMAGE_PNG;
	if (str_ieq(mime, "image/jpeg") || str_ieq(mime, "image/jpg"))
		return IMAGE_JPEG;
	return IMAGE_NONE;
}

/* What stb_image (2.27, Debian 12) trusts in a JPEG and must not be
 * given: a Huffman table of more than 256 codes or whose codes overflow
 * their lengths (it writes past its tables), and a scan using a Huffman
 * or quantisation table never defined (it reads one uninitialised and
 * indexes with garbage).  Fuzzing found both; this walk over the marker
 * segments refuses such files, and counts the scans (each costs a pass
 * over the whole image).  Scan data that ends early passes (stb_image
 * reads zeros past the end).  NULL, or what is wrong. */
static const char *jpeg_walk(const unsigned char *p, size_t len)
{
	unsigned dht = 0, dqt = 0;	/* bits: table class * 4 + id */
	unsigned char comp_id[4], comp_tq[4];
	int ncomp = 0, progressive = -1;	/* -1: no frame yet */
	size_t scans = 0;

	for (size_t i = 2; i + 4 <= len;) {
		if (p[i] != 0xff) {	/* stray bytes: stb_image skips them */
			i++;
			continue;
		}
		while (i < len && p[i] == 0xff)
			i++;
		if (i + 3 > len)
			return NULL;
		unsigned m = p[i++];
		if (m == 0xd9)
			return NULL;	/* end of image */
		if (m == 0x00)
			return "it has a malformed marker";
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd8))
			continue;	/* no length */
		size_t n = (size_t)p[i] << 8 | p[i + 1];
		if (n < 2 || i + n > len)
			return "it ends inside a header segment";
		const unsigned char *g = p + i + 2;
		size_t gl = n - 2;
		i += n;
		if (m == 0xc4) {	/* DHT: one or more tables */
			while (gl) {
				unsigned cls = g[0] >> 4, id = g[0] & 15;
				unsigned code = 0, total = 0;
				if (cls > 1 || id > 3 || gl < 17)
					return "a Huffman table is malformed";
				for (int b = 1; b <= 16; b++) {
					code += g[b];
					total += g[b];
					if (code > 1u << b)
						return "a Huffman table has more "
						       "codes than fit";
					code <<= 1;
				}
				if (total > 256 || gl < 17 + total)
					return "a Huffman table is malformed";
				dht |= 1u << (cls * 4 + id);
				g += 17 + total;
				gl -= 17 + total;
			}
		} else if (m == 0xdb) {	/* DQT */
			while (gl) {
				unsigned id = g[0] & 15;
				size_t tl = (g[0] >> 4) ? 129 : 65;
				if (id > 3 || (g[0] >> 4) > 1 || gl < tl)
					return "a quantisation table is "
					       "malformed";
				dqt |= 1u << id;
				g += tl;
				gl -= tl;
			}
		} else if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 &&
			   m != 0xcc) {	/* SOFn */
			if (progressive >= 0)
				return "it has two frame headers";
			if (gl < 6 || (g[5] != 1 && g[5] != 3 && g[5] != 4) ||
			    gl != 6 + 3u * g[5])
				return "its frame header is malformed";
			ncomp = g[5];
			for (int c = 0; c < ncomp; c++) {
				comp_id[c] = g[6 + 3 * c];
				comp_tq[c] = g[8 + 3 * c];
			}
			progressive = m == 0xc2;
		} else if (m == 0xda) {	/* SOS, then the scan's data */
			if (progressive < 0)
				return "a scan comes before the frame header";
			if (++scans > IMAGE_JPEG_SCANS)
				return "it has too many scans";
			unsigned ns = gl ? g[0] : 0;
			if (ns < 1 || ns > 4 || gl != 4 + 2 * ns)
				return "a scan header is malformed";
			unsigned ss = g[1 + 2 * ns], ah = g[3 + 2 * ns] >> 4;
			for (unsigned k = 0; k < ns; k++) {
				unsigned td = g[2 + 2 * k] >> 4;
				unsigned ta = g[2 + 2 * k] & 15;
				int c = 0;
				while (c < ncomp && comp_id[c] != g[1 + 2 * k])
					c++;
				if (c == ncomp || td > 3 || ta > 3)
					return "a scan names an unknown "
					       "component or table";
				if (comp_tq[c] > 3 || !(dqt & 1u << comp_tq[c]))
					return "a quantisation table is used "
					       "before it is defined";
				bool dc = !progressive || (ss == 0 && ah == 0);
				bool ac = !progressive || ss > 0;
				if ((dc && !(dht & 1u << td)) ||
				    (ac && !(dht & 1u << (4 + ta))))
					return "a Huffman table is used before "
					       "it is defined";
			}
			/* the scan's data, read as stb_image's bit reader
			 * reads it: 0xFF bytes then 0x00 are data, a restart
			 * marker goes on with the scan, and 0xFF bytes then
			 * anything else end it: that marker comes next */
			while (i < len) {
				size_t k = i + 1;
				if (p[i] != 0xff) {
					i++;
					continue;
				}
				while (k < len && p[k] == 0xff)
					k++;
				if (k < len && (p[k] == 0x00 ||
						(p[k] >= 0xd0 && p[k] <= 0xd7))) {
					i = k + 1;
					continue;
				}
				break;
			}
		}
	}
	return NULL;
}

/* The same for PNG: stb_image does pointer arithmetic on its NULL
 * buffer when the first IDAT chunk is empty (undefined behaviour, found
 * by fuzzing).  No encoder writes one; refuse it. */
static const char *png_walk(const unsigned char *p, size_t len)
{
	for (size_t i = sizeof png_sig; i + 8 <= len;) {
		uint32_t n = (uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 |
			     (uint32_t)p[i + 2] << 8 | p[i + 3];
		if (n == 0 && memcmp(p + i + 4, "IDAT", 4) == 0)
			return "it has an empty IDAT chunk";
		if (n > len - i - 8 || len - i - 8 - n < 4)
			return NULL;	/* cut short: stb_image says so */
		i += 12 + (size_t)n;
	}
	return NULL;
}

/* The size a PNG's IHDR or a JPEG's frame header states, read here so
 * that the message names it even where stb_image refuses early. */
static int header_size(const unsigned char *p, size_t len,
		       enum image_type type, long *w, long *h)
{
	if (type == IMAGE_PNG) {
		if (len < 24 || memcmp(p + 12, "IHDR", 4) != 0)
			return -1;
		*w = (long)((uint32_t)p[16] << 24 | (uint32_t)p[17] << 16 |
			    (uint32_t)p[18] << 8 | p[19]);
		*h = (long)((uint32_t)p[20] << 24 | (uint32_t)p[21] << 16 |
			    (uint32_t)p[22] << 8 | p[23]);
		return 0;
	}
	for (size_t i = 2; i < len;) {	/* JPEG: marker segments to SOFn */
		if (p[i] != 0xff)
			return -1;
		while (i < len && p[i] == 0xff)
			i++;
		if (i + 2 >= len)
			return -1;
		unsigned m = p[i++];
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd8))
			continue;	/* no length */
		if (m == 0xd9 || m == 0xda)
			return -1;	/* end, or scan data before a frame */
		size_t n = (size_t)p[i] << 8 | p[i + 1];
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 &&
		    m != 0xcc) {
			if (n < 7 || i + 7 > len)
				return -1;
			*h = (long)p[i + 3] << 8 | p[i + 4];
			*w = (long)p[i + 5] << 8 | p[i + 6];
			return 0;
		}
		if (n < 2)
			return -1;
		i += n;
	}
	return -1;
}

/* Everything but the pixel decode: type, bytes, header, size.  0, or -1
 * with *err set. */
static int precheck(const unsigned char *p, size_t len, enum image_type *type,
		    int *w, int *h, char **err)
{
	const char *name;
	int comp;

	*type = image_sniff(p, len);
	if (*type == IMAGE_NONE) {
		*err = xstrdup("it is not a PNG or JPEG image");
		return -1;
	}
	name = *type == IMAGE_PNG ? "PNG" : "JPEG";
	if (len > IMAGE_MAX_BYTES) {
		*err = xasprintf("the image is %zu bytes; at most %d", len,
				 IMAGE_MAX_BYTES);
		return -1;
	}
	long hw, hh;
	if (header_size(p, len, *type, &hw, &hh) == 0 &&
	    (hw > IMAGE_MAX_SIDE || hh > IMAGE_MAX_SIDE)) {
		*err = xasprintf("the image is %ldx%ld pixels; at most %dx%d",
				 hw, hh, IMAGE_MAX_SIDE, IMAGE_MAX_SIDE);
		return -1;
	}
	/* before stb_image reads a byte */
	const char *why = *type == IMAGE_JPEG ? jpeg_walk(p, len)
					      : png_walk(p, len);
	if (why) {
		*err = xasprintf("the %s image cannot be decoded: %s", name,
				 why);
		return -1;
	}
	mem_used = 0;
	mem_over = false;
	if (!stbi_info_from_memory(p, (int)len, w, h, &comp)) {
		*err = xasprintf("the %s image cannot be read (%s)", name,
				 stbi_failure_reason());
		return -1;
	}
	if (*w <= 0 || *h <= 0 || *w > IMAGE_MAX_SIDE || *h > IMAGE_MAX_SIDE) {
		*err = xasprintf("the image is %dx%d pixels; at most %dx%d",
				 *w, *h, IMAGE_MAX_SIDE, IMAGE_MAX_SIDE);
		return -1;
	}
	if (*type == IMAGE_JPEG) {
		/* a real JPEG spends a bit or more on every 8x8 block; a
		 * short one claiming many pixels only costs time */
		if ((uint64_t)*w * (uint64_t)*h > (uint64_t)len * 1024) {
			*err = xasprintf("the JPEG image claims %dx%d pixels, "
					 "more than its %zu bytes can hold",
					 *w, *h, len);
			return -1;
		}
	}
	return 0;
}

/* Decode with stb_image into `comp` channels (0: the image's own). */
static unsigned char *decode(const unsigned char *p, size_t len,
			     enum image_type type, int comp, int *w, int *h,
			     char **err)
{
	unsigned char *px;
	int n;

	mem_used = 0;
	mem_over = false;
	px = stbi_load_from_memory(p, (int)len, w, h, &n, comp);
	if (!px) {
		const char *name = type == IMAGE_PNG ? "PNG" : "JPEG";
		if (mem_over)
			*err = xasprintf("the %s image needs more than %zu MiB "
					 "to decode", name, IMAGE_MEM_MAX >> 20);
		else if (str_eq(stbi_failure_reason(), "outofdata"))
			*err = xasprintf("the %s image cannot be decoded: it "
					 "ends too early", name);
		else
			*err = xasprintf("the %s image cannot be decoded (%s)",
					 name, stbi_failure_reason());
	}
	return px;
}

int image_check(const void *data, size_t len, enum image_type *type,
		int *width, int *height, char **err)
{
	unsigned char *px;
	int w, h;

	*err = NULL;
	if (precheck(data, len, type, width, height, err) < 0)
		return -1;
	if (!(px = decode(data, len, *type, 0, &w, &h, err)))
		return -1;
	stbi_image_free(px);
	return 0;
}

int image_decode(const void *data, size_t len, struct image *out, char **err)
{
	enum image_type type;
	unsigned char *px;
	int w, h;

	memset(out, 0, sizeof *out);
	*err = NULL;
	if (precheck(data, len, &type, &w, &h, err) < 0)
		return -1;
	if (!(px = decode(data, len, type, 4, &w, &h, err)))
		return -1;
	out->rgba = mem_take(px);
	out->width = w;
	out->height = h;
	return 0;
}

void image_clear(struct image *img)
{
	if (!img)
		return;
	free(img->rgba);
	memset(img, 0, sizeof *img);
}
