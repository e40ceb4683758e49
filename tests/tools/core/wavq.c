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
	fprintf(stderr, "usage: wavq gen OUT.wav SECONDS [SEED]\n"
		"       wavq compare SENT.wav RECEIVED.wav [MAX_LAG_MS]\n"
		"       wavq level FILE.wav\n");
	return 2;
}
