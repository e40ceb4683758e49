/* call/wav: RIFF WAVE 16-bit PCM reader and writer (see wav.h). */
#include "call/wav.h"
#include "common/str.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WAV_HDR_LEN 44		/* the canonical header the writer makes */
#define WAV_MAX_DATA (0xFFFFFFFFu - 36u)
#define WAV_IO_BYTES 8192
/* Sizes streaming writers put in headers they cannot patch: 0xFFFFFFFF,
 * 0x7FFFFFFF (arecord), 0x7FFFF000 (sox). */
#define WAV_SIZE_STREAMING 0x7FFF0000u
/* Samples past a data chunk's declared end are taken when they are at
 * most this long: the tail our writer leaves between two patches (one
 * second), and not a long stretch of something else. */
#define WAV_TAIL_SECONDS 2

enum {
	WAV_FMT_PCM = 0x0001,
	WAV_FMT_EXTENSIBLE = 0xFFFE,
};

struct wav_reader {
	int fd;
	char *path;
	struct wav_info info;
	uint64_t data_off;	/* where the samples start */
	uint64_t data_len;	/* bytes of whole frames */
	uint64_t pos;		/* bytes of data read so far */
	unsigned block;		/* bytes per frame */
};

struct wav_writer {
	int fd;
	char *path;
	unsigned rate, channels;
	uint64_t frames;
	uint64_t next_patch;	/* frame count at which to patch the header */
};

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Read exactly n bytes at off: 0, 1 when the file is shorter, -1 on an
 * error (errno set). */
static int wav_pread(int fd, void *buf, size_t n, uint64_t off)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k = pread(fd, (char *)buf + got, n - got,
				  (off_t)(off + got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			return 1;
		got += (size_t)k;
	}
	return 0;
}

/* ---- reading: the header -------------------------------------------------- */

static const char *wav_format_name(unsigned tag)
{
	switch (tag) {
	case 0x0002: return "Microsoft ADPCM";
	case 0x0003: return "32-bit float";
	case 0x0006: return "A-law";
	case 0x0007: return "mu-law";
	case 0x0011: return "IMA ADPCM";
	case 0x0055: return "MP3";
	default: return "compressed";
	}
}

#define WAV_CONVERT_HINT \
	"; convert it to 16-bit PCM, e.g. sox IN -b 16 -e signed-integer OUT.wav"

/* Check a fmt chunk's body (n bytes): NULL when it will do, else a new
 * message. */
static char *wav_parse_fmt(struct wav_reader *r, const unsigned char *b,
			   uint32_t n)
{
	if (n < 16)
		return xasprintf("fmt chunk of %u bytes is too short (16 "
				 "needed)", n);
	unsigned tag = le16(b), ch = le16(b + 2), bits = le16(b + 14);
	unsigned align = le16(b + 12);
	uint32_t rate = le32(b + 4);

	if (tag == WAV_FMT_EXTENSIBLE) {
		if (n < 40)
			return xasprintf("extensible fmt chunk of %u bytes "
					 "is too short (40 needed)", n);
		tag = le16(b + 24);	/* the sub-format GUID's first word */
	}
	if (tag != WAV_FMT_PCM)
		return xasprintf("WAV format %u (%s) is not supported%s", tag,
				 wav_format_name(tag), WAV_CONVERT_HINT);
	if (bits != 16)
		return xasprintf("%u-bit samples; only 16-bit PCM is "
				 "supported%s", bits, WAV_CONVERT_HINT);
	if (ch != 1 && ch != 2)
		return xasprintf("%u channels; only mono and stereo files are "
				 "supported", ch);
	if (rate == 0 || rate > WAV_MAX_RATE)
		return xasprintf("sample rate %u Hz is out of range (1 to %u)",
				 (unsigned)rate, WAV_MAX_RATE);
	if (align != ch * 2)
		return xasprintf("block align %u does not match %u channel(s) "
				 "of 16 bits (the header is damaged)", align,
				 ch);
	r->info.rate = rate;
	r->info.channels = ch;
	r->block = align;
	return NULL;
}

/* Whether 8 bytes at off look like a chunk header: a printable id and a
 * size that fits in the file. */
static bool wav_chunk_at(struct wav_reader *r, uint64_t off, uint64_t fsize)
{
	unsigned char h[8];

	if (off + 8 > fsize || wav_pread(r->fd, h, 8, off) != 0)
		return false;
	for (int i = 0; i < 4; i++)
		if (h[i] < 0x20 || h[i] > 0x7e)
			return false;
	return le32(h + 4) <= fsize - off - 8;
}

/* The data chunk starts at off (after its header) with the declared
 * size: set how much of it there really is (see wav.h). */
static void wav_data_extent(struct wav_reader *r, uint64_t off,
			    uint32_t declared, uint64_t fsize)
{
	uint64_t avail = fsize - off, len = declared;
	uint64_t tail_max = (uint64_t)WAV_TAIL_SECONDS * r->info.rate * r->block;

	if (len > avail && declared >= WAV_SIZE_STREAMING) {
		len = avail;
		r->info.open_ended = true;
	} else if (len > avail) {
		len = avail;
		r->info.truncated = true;
	} else if (len < avail && (declared == 0 || avail - len <= tail_max) &&
		   !wav_chunk_at(r, off + len + (len & 1), fsize)) {
		len = avail;
		r->info.open_ended = true;
	}
	r->data_off = off;
	r->data_len = len - len % r->block;
	r->info.frames = r->data_len / r->block;
}

/* Walk the chunks after "RIFF....WAVE": NULL, or a new message. */
static char *wav_parse_chunks(struct wav_reader *r, uint64_t fsize)
{
	bool have_fmt = false;
	uint64_t off = 12;
	unsigned char h[8], fmt[40];

	while (off + 8 <= fsize) {
		if (wav_pread(r->fd, h, 8, off) != 0)
			return xasprintf("cannot read chunk header at byte "
					 "%llu", (unsigned long long)off);
		uint32_t size = le32(h + 4);
		off += 8;
		if (memcmp(h, "fmt ", 4) == 0) {
			uint32_t n = size < sizeof fmt ? size : sizeof fmt;
			if (have_fmt)
				return xstrdup("two fmt chunks");
			if (n > fsize - off)
				return xasprintf("fmt chunk cut short at byte "
						 "%llu", (unsigned long long)fsize);
			if (wav_pread(r->fd, fmt, n, off) != 0)
				return xstrdup("cannot read the fmt chunk");
			char *e = wav_parse_fmt(r, fmt, size);
			if (e)
				return e;
			have_fmt = true;
		} else if (memcmp(h, "data", 4) == 0) {
			if (!have_fmt)
				return xstrdup("data chunk before the fmt chunk");
			wav_data_extent(r, off, size, fsize);
			return NULL;
		}
		off += (uint64_t)size + (size & 1);	/* chunks are padded */
	}
	return xstrdup(have_fmt ? "no data chunk" : "no fmt chunk");
}

static char *wav_parse(struct wav_reader *r)
{
	struct stat st;
	unsigned char h[12];

	if (fstat(r->fd, &st) < 0)
		return xasprintf("%s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return xstrdup("not a regular file");
	int rc = wav_pread(r->fd, h, sizeof h, 0);
	if (rc < 0)
		return xasprintf("%s", strerror(errno));
	if (rc > 0)
		return xasprintf("not a WAV file (%lld bytes, too short for "
				 "a header)", (long long)st.st_size);
	if (memcmp(h, "RIFX", 4) == 0 || memcmp(h, "RF64", 4) == 0)
		return xasprintf("%.4s files are not supported; convert it "
				 "to a plain little-endian WAV file", (char *)h);
	if (memcmp(h, "RIFF", 4) != 0 || memcmp(h + 8, "WAVE", 4) != 0)
		return xstrdup("not a WAV file (no RIFF/WAVE header)");
	return wav_parse_chunks(r, (uint64_t)st.st_size);
}

int wav_reader_open(struct wav_reader **out, const char *path, char **err)
{
	struct wav_reader *r = xcalloc(1, sizeof *r);

	*out = NULL;
	r->path = xstrdup(path);
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		wav_reader_free(r);
		return -1;
	}
	char *e = wav_parse(r);
	if (e) {
		*err = xasprintf("%s: %s", path, e);
		free(e);
		wav_reader_free(r);
		return -1;
	}
	*out = r;
	return 0;
}

const struct wav_info *wav_reader_info(const struct wav_reader *r)
{
	return &r->info;
}

void wav_reader_free(struct wav_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r->path);
	free(r);
}

/* ---- reading: the samples ------------------------------------------------- */

static void wav_to_mono(int16_t *dst, const unsigned char *src, size_t frames,
			unsigned channels)
{
	for (size_t i = 0; i < frames; i++) {
		if (channels == 1) {
			dst[i] = (int16_t)le16(src + 2 * i);
		} else {
			int a = (int16_t)le16(src + 4 * i);
			int b = (int16_t)le16(src + 4 * i + 2);
			dst[i] = (int16_t)((a + b) / 2);
		}
	}
}

long wav_read_mono(struct wav_reader *r, int16_t *buf, size_t n, char **err)
{
	unsigned char io[WAV_IO_BYTES];
	size_t done = 0;

	while (done < n && r->pos < r->data_len) {
		uint64_t left = (r->data_len - r->pos) / r->block;
		size_t k = n - done;
		if (k > left)
			k = (size_t)left;
		if (k > sizeof io / r->block)
			k = sizeof io / r->block;
		int rc = wav_pread(r->fd, io, k * r->block,
				   r->data_off + r->pos);
		if (rc < 0) {
			*err = xasprintf("%s: %s", r->path, strerror(errno));
			return -1;
		}
		if (rc > 0) {	/* the file shrank under us: that is the end */
			r->pos = r->data_len;
			break;
		}
		wav_to_mono(buf + done, io, k, r->info.channels);
		r->pos += k * r->block;
		done += k;
	}
	return (long)done;
}

/* ---- writing -------------------------------------------------------------- */

static int wav_write_all(int fd, const void *buf, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, buf, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		buf = (const char *)buf + k;
		n -= (size_t)k;
	}
	return 0;
}

static void wav_header(unsigned char h[WAV_HDR_LEN], unsigned rate,
		       unsigned channels, uint32_t data_bytes)
{
	memcpy(h, "RIFF", 4);
	put32(h + 4, 36 + data_bytes);
	memcpy(h + 8, "WAVEfmt ", 8);
	put32(h + 16, 16);
	put16(h + 20, WAV_FMT_PCM);
	put16(h + 22, (uint16_t)channels);
	put32(h + 24, rate);
	put32(h + 28, rate * channels * 2);
	put16(h + 32, (uint16_t)(channels * 2));
	put16(h + 34, 16);
	memcpy(h + 36, "data", 4);
	put32(h + 40, data_bytes);
}

/* Write the two sizes for what is in the file now. */
static int wav_patch(struct wav_writer *w)
{
	unsigned char h[WAV_HDR_LEN];

	wav_header(h, w->rate, w->channels,
		   (uint32_t)(w->frames * w->channels * 2));
	if (pwrite(w->fd, h + 4, 4, 4) != 4 || pwrite(w->fd, h + 40, 4, 40) != 4)
		return -1;
	return 0;
}

int wav_writer_open(struct wav_writer **out, const char *path,
		    unsigned rate, unsigned channels, char **err)
{
	unsigned char h[WAV_HDR_LEN];

	*out = NULL;
	if (channels < 1 || channels > 2 || rate == 0 || rate > WAV_MAX_RATE) {
		*err = xasprintf("%s: cannot write %u channel(s) at %u Hz",
				 path, channels, rate);
		return -1;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	wav_header(h, rate, channels, 0);
	if (wav_write_all(fd, h, sizeof h) < 0) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	struct wav_writer *w = xcalloc(1, sizeof *w);
	w->fd = fd;
	w->path = xstrdup(path);
	w->rate = rate;
	w->channels = channels;
	w->next_patch = rate;
	*out = w;
	return 0;
}

int wav_write(struct wav_writer *w, const int16_t *samples, size_t frames,
	      char **err)
{
	size_t n = frames * w->channels;
	uint64_t bytes = (w->frames + frames) * w->channels * 2;

	if (bytes > WAV_MAX_DATA) {
		*err = xasprintf("%s: a WAV file holds at most 4 GiB; "
				 "recording stopped", w->path);
		return -1;
	}
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	int rc = wav_write_all(w->fd, samples, n * sizeof *samples);
#else
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; ) {
		unsigned char io[WAV_IO_BYTES];
		size_t k = 0;
		for (; i < n && k + 2 <= sizeof io; i++, k += 2)
			put16(io + k, (uint16_t)samples[i]);
		rc = wav_write_all(w->fd, io, k);
	}
#endif
	if (rc < 0) {
		*err = xasprintf("%s: %s", w->path, strerror(errno));
		return -1;
	}
	w->frames += frames;
	if (w->frames >= w->next_patch) {
		w->next_patch = w->frames + w->rate;
		if (wav_patch(w) < 0) {
			*err = xasprintf("%s: %s", w->path, strerror(errno));
			return -1;
		}
	}
	return 0;
}

uint64_t wav_writer_frames(const struct wav_writer *w)
{
	return w->frames;
}

int wav_writer_close(struct wav_writer *w, char **err)
{
	int rc = 0;

	if (!w)
		return 0;
	int patched = wav_patch(w);
	int e = errno;
	if (close(w->fd) < 0 && patched == 0) {
		patched = -1;
		e = errno;
	}
	if (patched < 0) {
		if (err)
			*err = xasprintf("%s: %s", w->path, strerror(e));
		rc = -1;
	}
	free(w->path);
	free(w);
	return rc;
}
