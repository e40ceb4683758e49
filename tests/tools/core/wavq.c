/* wavq: speech test signals and objective quality for the call tests.
 *
 *   wavq gen OUT.wav SECONDS [SEED]
 *       speech-like sound (call/quality's generator), 48 kHz mono
 *   wavq compare SENT.wav RECEIVED.wav [MAX_LAG_MS]
 *       finds the received signal's delay by cross-correlation and scores
 *       it against the sent one; prints one JSON object:
 *       {"delay_samples", "delay_ms", "corr", "stoi", "segsnr", "compared",
 *        "sent_s", "received_s"}
 *   wavq level FILE.wav
 *       {"samples", "rms_dbfs", "peak"}: is there sound at all
 *   wavq segments SENT.wav RECEIVED.wav SECONDS [MAX_LAG_MS]
 *       the delay and quality over time, for a receiver whose delay may
 *       change during the call: the whole files' delay first (as
 *       compare), then, for each window of SECONDS of the sent file,
 *       that window's own delay, searched within 250 ms of the whole
 *       files' one, and its STOI and segmental SNR at that delay (null
 *       when the window was not all received, or is too quiet).  The
 *       delay percentiles leave out the windows that match poorly
 *       (corr < 0.8: lost or concealed sound); the quality means take
 *       every window scored.  Prints one JSON object:
 *       {"delay_ms", "corr", "window_s", "windows", "segments":
 *        [[START_S, DELAY_MS, CORR, STOI, SEGSNR], ...], "used",
 *        "scored", "p50_ms", "p90_ms", "min_ms", "max_ms", "stoi_mean",
 *        "segsnr_mean"} (the percentiles when a window was used, the
 *       means when one was scored)
 *
 * Exit status 0, or 1 with a message on stderr (unreadable file, nothing
 * to compare).  Links the client's core library (call/quality, call/wav).
 */
#include "call/quality.h"
#include "call/wav.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int16_t *load(const char *path, size_t *n)
{
	struct wav_reader *r;
	char *err = NULL;
	int16_t *s;
	long k;

	if (wav_reader_open(&r, path, &err) < 0) {
		fprintf(stderr, "wavq: %s\n", err);
		exit(1);
	}
	const struct wav_info *wi = wav_reader_info(r);
	if (wi->rate != QUALITY_RATE) {
		fprintf(stderr, "wavq: %s: %u Hz; 48000 Hz expected\n", path,
			wi->rate);
		exit(1);
	}
	s = calloc(wi->frames + 1, sizeof *s);
	if (!s || (k = wav_read_mono(r, s, wi->frames + 1, &err)) < 0) {
		fprintf(stderr, "wavq: %s: %s\n", path, err ? err : "no memory");
		exit(1);
	}
	*n = (size_t)k;
	wav_reader_free(r);
	return s;
}

static int gen(const char *path, double secs, unsigned seed)
{
	size_t n = (size_t)(secs * QUALITY_RATE);
	int16_t *s = calloc(n + 1, sizeof *s);
	struct wav_writer *w;
	char *err = NULL;

	if (!s || !(secs > 0))
		return 1;
	quality_gen_speech(s, n, seed);
	if (wav_writer_open(&w, path, QUALITY_RATE, 1, &err) < 0 ||
	    wav_write(w, s, n, &err) < 0 || wav_writer_close(w, &err) < 0) {
		fprintf(stderr, "wavq: %s\n", err);
		return 1;
	}
	free(s);
	return 0;
}

static int compare(const char *a, const char *b, int max_ms)
{
	size_t na, nb;
	int16_t *x = load(a, &na), *y = load(b, &nb);
	struct quality_report q;
	int rc = quality_compare(x, na, y, nb, max_ms * 48, &q);

	if (rc < 0) {
		fprintf(stderr, "wavq: cannot compare %s with %s (%s)\n", a, b,
			rc == -22 ? "too short or silent" : "error");
		return 1;
	}
	printf("{\"delay_samples\": %d, \"delay_ms\": %.2f, \"corr\": %.4f, "
	       "\"stoi\": %.4f, \"segsnr\": %.2f, \"compared\": %zu, "
	       "\"sent_s\": %.3f, \"received_s\": %.3f}\n", q.delay,
	       q.delay / 48.0, q.corr, q.stoi, q.segsnr, q.compared,
	       na / 48000.0, nb / 48000.0);
	free(x);
	free(y);
	return 0;
}

static int level(const char *path)
{
	size_t n;
	int16_t *s = load(path, &n);
	double sum = 0;
	int peak = 0;

	for (size_t i = 0; i < n; i++) {
		sum += (double)s[i] * s[i];
		if (abs(s[i]) > peak)
			peak = abs(s[i]);
	}
	printf("{\"samples\": %zu, \"rms_dbfs\": %.1f, \"peak\": %d}\n", n,
	       n && sum > 0 ? 10 * log10(sum / n / (32768.0 * 32768.0)) :
	       -100.0, peak);
	free(s);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The p-th percentile (0..100) of n sorted values, by nearest rank. */
static double pct(const double *v, size_t n, double p)
{
	size_t k = (size_t)ceil(p / 100.0 * (double)n);

	return v[k ? k - 1 : 0];
}

#define SEG_REACH (250 * 48)	/* samples either side of the whole delay */
#define SEG_MIN_CORR 0.8

static int segments(const char *a, const char *b, double secs, int max_ms)
{
	size_t na, nb, w = (size_t)(secs * QUALITY_RATE), nw, used = 0;
	size_t found = 0, scored = 0;
	int16_t *x = load(a, &na), *y = load(b, &nb);
	int lag, rc;
	double corr, *d, stoi_sum = 0, snr_sum = 0;

	if (!(secs >= 0.1) || w > na) {
		fprintf(stderr, "wavq: windows of %g s do not fit %s\n", secs, a);
		return 1;
	}
	rc = quality_delay(x, na, y, nb, max_ms * 48, &lag, &corr);
	if (rc < 0) {
		fprintf(stderr, "wavq: cannot compare %s with %s (%s)\n", a, b,
			rc == -22 ? "too short or silent" : "error");
		return 1;
	}
	nw = na / w;
	d = calloc(nw + 1, sizeof *d);
	if (!d)
		return 1;
	printf("{\"delay_ms\": %.2f, \"corr\": %.4f, \"window_s\": %.3f, "
	       "\"windows\": %zu, \"segments\": [", lag / 48.0, corr, secs, nw);
	for (size_t k = 0; k < nw; k++) {
		long s = (long)(k * w), d0 = s + lag - SEG_REACH, l;
		int wl;
		double wc, st, sn;

		if (d0 < 0)
			d0 = 0;
		if (d0 >= (long)nb)
			break;
		l = (long)nb - d0;
		if (l > (long)w + 2 * SEG_REACH)
			l = (long)w + 2 * SEG_REACH;
		if (quality_delay(x + s, w, y + d0, (size_t)l, 2 * SEG_REACH,
				  &wl, &wc) < 0)
			continue;
		printf("%s[%.3f, %.2f, %.4f", found++ ? ", " : "", s / 48000.0,
		       (double)(d0 + wl - s) / 48.0, wc);
		/* the window's quality at its own delay, when all of it
		 * was received */
		if (d0 + wl >= 0 && (size_t)(d0 + wl) + w <= nb &&
		    quality_stoi(x + s, y + d0 + wl, w, &st) == 0 &&
		    quality_segsnr(x + s, y + d0 + wl, w, &sn) == 0) {
			printf(", %.4f, %.2f]", st, sn);
			stoi_sum += st;
			snr_sum += sn;
			scored++;
		} else {
			printf(", null, null]");
		}
		if (wc >= SEG_MIN_CORR)
			d[used++] = (double)(d0 + wl - s) / 48.0;
	}
	printf("], \"used\": %zu, \"scored\": %zu", used, scored);
	if (used) {
		qsort(d, used, sizeof *d, cmp_double);
		printf(", \"p50_ms\": %.2f, \"p90_ms\": %.2f, \"min_ms\": "
		       "%.2f, \"max_ms\": %.2f", pct(d, used, 50),
		       pct(d, used, 90), d[0], d[used - 1]);
	}
	if (scored)
		printf(", \"stoi_mean\": %.4f, \"segsnr_mean\": %.2f",
		       stoi_sum / scored, snr_sum / scored);
	printf("}\n");
	free(d);
	free(x);
	free(y);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && strcmp(argv[1], "gen") == 0)
		return gen(argv[2], atof(argv[3]),
			   argc > 4 ? (unsigned)atoi(argv[4]) : 1);
	if (argc >= 4 && strcmp(argv[1], "compare") == 0)
		return compare(argv[2], argv[3], argc > 4 ? atoi(argv[4]) :
			       1000);
	if (argc == 3 && strcmp(argv[1], "level") == 0)
		return level(argv[2]);
	if (argc >= 5 && strcmp(argv[1], "segments") == 0)
		return segments(argv[2], argv[3], atof(argv[4]),
				argc > 5 ? atoi(argv[5]) : 1000);
	fprintf(stderr, "usage: wavq gen OUT.wav SECONDS [SEED]\n"
		"       wavq compare SENT.wav RECEIVED.wav [MAX_LAG_MS]\n"
		"       wavq level FILE.wav\n"
		"       wavq segments SENT.wav RECEIVED.wav SECONDS "
		"[MAX_LAG_MS]\n");
	return 2;
}
