/* call/quality: delay, STOI and segmental SNR; see quality.h. */
#include "call/quality.h"

#include <errno.h>
#include <math.h>
#include <speex/speex_resampler.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- delay -------------------------------------------------------------- */

#define ENV_BLOCK 32		/* samples per envelope value: 1.5 kHz */
#define FINE_REACH 3		/* blocks either side of the coarse peak */
#define FINE_SPAN (2 * QUALITY_RATE)	/* samples the fine search uses */

/* Mean |x| per block, with the mean removed so that loud passages, not
 * the level itself, make the correlation. */
static double *envelope(const int16_t *x, size_t n, size_t *m)
{
	size_t nb = n / ENV_BLOCK;
	double *e = malloc((nb ? nb : 1) * sizeof *e), mean = 0;

	if (!e)
		return NULL;
	for (size_t b = 0; b < nb; b++) {
		double s = 0;

		for (size_t i = 0; i < ENV_BLOCK; i++)
			s += abs(x[b * ENV_BLOCK + i]);
		e[b] = s / ENV_BLOCK;
		mean += e[b];
	}
	for (size_t b = 0; b < nb; b++)
		e[b] -= mean / (double)nb;
	*m = nb;
	return e;
}

static double sumsq(const double *e, size_t n)
{
	double s = 0;

	for (size_t i = 0; i < n; i++)
		s += e[i] * e[i];
	return s;
}

/* The block lag with the highest envelope correlation. */
static int coarse_lag(const double *er, size_t mr, const double *ed,
		      size_t md, int reach)
{
	double best = -INFINITY;
	int lag = 0;

	for (int l = -reach; l <= reach; l++) {
		double c = 0;

		for (long i = l < 0 ? -l : 0; i < (long)mr && i + l < (long)md;
		     i++)
			c += er[i] * ed[i + l];
		if (c > best) {
			best = c;
			lag = l;
		}
	}
	return lag;
}

static double energy(const int16_t *x, size_t a, size_t span)
{
	double e = 0;

	for (size_t i = a; i < a + span; i += 4)
		e += (double)x[i] * x[i];
	return e;
}

/* Start of the loudest span of `span` samples of x within [lo, hi). */
static size_t loudest(const int16_t *x, size_t lo, size_t hi, size_t span)
{
	size_t best_at = hi - span;
	double best = energy(x, best_at, span);

	for (size_t a = lo; a + span < hi; a += QUALITY_RATE / 10) {
		double e = energy(x, a, span);

		if (e > best) {
			best = e;
			best_at = a;
		}
	}
	return best_at;
}

/* The sample lag near `centre` with the highest normalised correlation,
 * over a span of ref for which every lag tried stays inside deg. */
static int fine_lag(const int16_t *ref, size_t nref, const int16_t *deg,
		    size_t ndeg, long centre, long reach, int *lag,
		    double *corr)
{
	long lmin = centre - reach, lmax = centre + reach;
	long lo = lmin < 0 ? -lmin : 0, hi = (long)ndeg - lmax;
	size_t span, a;

	if (hi > (long)nref)
		hi = (long)nref;
	if (hi - lo < ENV_BLOCK * 4)
		return -EINVAL;
	span = (size_t)(hi - lo) < FINE_SPAN ? (size_t)(hi - lo) : FINE_SPAN;
	a = loudest(ref, (size_t)lo, (size_t)hi, span);
	*corr = -INFINITY;
	*lag = (int)centre;
	for (long l = lmin; l <= lmax; l++) {
		double c = 0, er = 0, ed = 0;

		for (size_t i = a; i < a + span; i++) {
			double r = ref[i], d = deg[(long)i + l];

			c += r * d;
			er += r * r;
			ed += d * d;
		}
		c = er > 0 && ed > 0 ? c / sqrt(er * ed) : 0;
		if (c > *corr) {
			*corr = c;
			*lag = (int)l;
		}
	}
	return 0;
}

int quality_delay(const int16_t *ref, size_t nref, const int16_t *deg,
		  size_t ndeg, int max_lag, int *lag, double *corr)
{
	double *er, *ed;
	size_t mr, md;
	int cl, rc;

	if (!ref || !deg || !lag || !corr || max_lag < 0 || nref < 8 * ENV_BLOCK ||
	    ndeg < 8 * ENV_BLOCK || nref > (1u << 30) || ndeg > (1u << 30))
		return -EINVAL;
	er = envelope(ref, nref, &mr);
	ed = envelope(deg, ndeg, &md);
	if (!er || !ed) {
		free(er);
		free(ed);
		return -ENOMEM;
	}
	if (sumsq(er, mr) == 0 || sumsq(ed, md) == 0) {
		free(er);
		free(ed);
		return -EINVAL;
	}
	cl = coarse_lag(er, mr, ed, md, max_lag / ENV_BLOCK + 1);
	free(er);
	free(ed);
	rc = fine_lag(ref, nref, deg, ndeg, (long)cl * ENV_BLOCK,
		      FINE_REACH * ENV_BLOCK, lag, corr);
	if (rc < 0)
		return rc;
	/* The fine search may step just past the bound: keep to it. */
	if (*lag < -max_lag)
		*lag = -max_lag;
	if (*lag > max_lag)
		*lag = max_lag;
	return 0;
}

/* ---- STOI --------------------------------------------------------------- */

#define STOI_FS 10000
#define STOI_FRAME 256
#define STOI_HOP 128
#define STOI_NFFT 512
#define STOI_BINS (STOI_NFFT / 2 + 1)
#define STOI_BANDS 15
#define STOI_MINF 150.0
#define STOI_SEG 30
#define STOI_BETA (-15.0)
#define STOI_DYN 40.0
#define EPS 1e-12

/* Resample 48 kHz to STOI's 10 kHz; *m gets the length. */
static float *to_10k(const int16_t *x, size_t n, size_t *m)
{
	SpeexResamplerState *rs;
	spx_uint32_t in_len = (spx_uint32_t)n, out_len;
	int16_t *tmp;
	float *y;
	int err;

	out_len = (spx_uint32_t)(n * STOI_FS / QUALITY_RATE + 16);
	tmp = malloc(out_len * sizeof *tmp);
	y = malloc(out_len * sizeof *y);
	rs = speex_resampler_init(1, QUALITY_RATE, STOI_FS, 5, &err);
	if (!tmp || !y || !rs) {
		free(tmp);
		free(y);
		if (rs)
			speex_resampler_destroy(rs);
		return NULL;
	}
	speex_resampler_skip_zeros(rs);
	speex_resampler_process_int(rs, 0, x, &in_len, tmp, &out_len);
	speex_resampler_destroy(rs);
	for (spx_uint32_t i = 0; i < out_len; i++)
		y[i] = tmp[i];
	free(tmp);
	*m = out_len;
	return y;
}

/* STOI's window: numpy's hanning(258) without its two zero ends. */
static double hann(int i)
{
	return 0.5 - 0.5 * cos(2 * M_PI * (i + 1) / (STOI_FRAME + 1));
}

/* Frames of x more than STOI_DYN dB below its loudest are dropped from
 * both signals, which are rebuilt by overlap-adding the windowed frames
 * kept (as the published code does).  Returns the new length. */
static size_t drop_silence(float *x, float *y, size_t n)
{
	size_t nf = n < STOI_FRAME ? 0 : (n - STOI_FRAME) / STOI_HOP + 1;
	double *db = malloc((nf ? nf : 1) * sizeof *db), top = -INFINITY;
	float *ox = calloc(n + STOI_FRAME, sizeof *ox);
	float *oy = calloc(n + STOI_FRAME, sizeof *oy);
	size_t k = 0;

	if (!db || !ox || !oy) {
		nf = 0;
		goto out;
	}
	for (size_t f = 0; f < nf; f++) {
		double e = 0;

		for (int i = 0; i < STOI_FRAME; i++) {
			double v = hann(i) * x[f * STOI_HOP + (size_t)i];

			e += v * v;
		}
		db[f] = 20 * log10(sqrt(e) + EPS);
		if (db[f] > top)
			top = db[f];
	}
	for (size_t f = 0; f < nf; f++) {
		if (db[f] <= top - STOI_DYN)
			continue;
		for (int i = 0; i < STOI_FRAME; i++) {
			ox[k * STOI_HOP + (size_t)i] +=
				(float)(hann(i) * x[f * STOI_HOP + (size_t)i]);
			oy[k * STOI_HOP + (size_t)i] +=
				(float)(hann(i) * y[f * STOI_HOP + (size_t)i]);
		}
		k++;
	}
	memcpy(x, ox, n * sizeof *x);
	memcpy(y, oy, n * sizeof *y);
out:
	free(db);
	free(ox);
	free(oy);
	return k ? (k - 1) * STOI_HOP + STOI_FRAME : 0;
}

/* In-place iterative radix-2 FFT of STOI_NFFT points. */
static void fft(double *re, double *im)
{
	for (int i = 1, j = 0; i < STOI_NFFT; i++) {
		int bit = STOI_NFFT >> 1;

		for (; j & bit; bit >>= 1)
			j ^= bit;
		j ^= bit;
		if (i < j) {
			double t = re[i];

			re[i] = re[j];
			re[j] = t;
			t = im[i];
			im[i] = im[j];
			im[j] = t;
		}
	}
	for (int len = 2; len <= STOI_NFFT; len <<= 1) {
		double a = -2 * M_PI / len;

		for (int i = 0; i < STOI_NFFT; i += len) {
			for (int k = 0; k < len / 2; k++) {
				double wr = cos(a * k), wi = sin(a * k);
				double *ur = &re[i + k], *ui = &im[i + k];
				double vr = re[i + k + len / 2] * wr -
					    im[i + k + len / 2] * wi;
				double vi = re[i + k + len / 2] * wi +
					    im[i + k + len / 2] * wr;

				re[i + k + len / 2] = *ur - vr;
				im[i + k + len / 2] = *ui - vi;
				*ur += vr;
				*ui += vi;
			}
		}
	}
}

/* FFT bins [lo[b], hi[b]) of each third-octave band: the bins nearest
 * the band's edges, centre 150 Hz * 2^(b/3), edges at 2^(+-1/6). */
static void band_bins(int lo[STOI_BANDS], int hi[STOI_BANDS])
{
	for (int b = 0; b < STOI_BANDS; b++) {
		double fl = STOI_MINF * pow(2, (2.0 * b - 1) / 6);
		double fh = STOI_MINF * pow(2, (2.0 * b + 1) / 6);
		double df = (double)STOI_FS / STOI_NFFT;

		lo[b] = (int)lround(fl / df);
		hi[b] = (int)lround(fh / df);
	}
}

/* Band envelopes: env[f * STOI_BANDS + b] of frame f. */
static void band_env(const float *x, size_t nf, double *env)
{
	int lo[STOI_BANDS], hi[STOI_BANDS];
	double re[STOI_NFFT], im[STOI_NFFT];

	band_bins(lo, hi);
	for (size_t f = 0; f < nf; f++) {
		memset(im, 0, sizeof im);
		for (int i = 0; i < STOI_NFFT; i++)
			re[i] = i < STOI_FRAME ?
				hann(i) * x[f * STOI_HOP + (size_t)i] : 0;
		fft(re, im);
		for (int b = 0; b < STOI_BANDS; b++) {
			double e = 0;

			for (int k = lo[b]; k < hi[b]; k++)
				e += re[k] * re[k] + im[k] * im[k];
			env[f * STOI_BANDS + b] = sqrt(e);
		}
	}
}

/* The correlation, in band b, of the window of STOI_SEG frames from f0,
 * after scaling and clipping the received envelope. */
static double seg_corr(const double *ex, const double *ey, size_t f0, int b)
{
	double x[STOI_SEG], y[STOI_SEG], nx = 0, ny = 0, mx = 0, my = 0;
	double clip = 1 + pow(10, -STOI_BETA / 20), alpha, c = 0;

	for (int i = 0; i < STOI_SEG; i++) {
		x[i] = ex[(f0 + (size_t)i) * STOI_BANDS + (size_t)b];
		y[i] = ey[(f0 + (size_t)i) * STOI_BANDS + (size_t)b];
		nx += x[i] * x[i];
		ny += y[i] * y[i];
	}
	alpha = sqrt(nx) / (sqrt(ny) + EPS);
	for (int i = 0; i < STOI_SEG; i++) {
		y[i] = fmin(y[i] * alpha, x[i] * clip);
		mx += x[i] / STOI_SEG;
		my += y[i] / STOI_SEG;
	}
	nx = ny = 0;
	for (int i = 0; i < STOI_SEG; i++) {
		x[i] -= mx;
		y[i] -= my;
		nx += x[i] * x[i];
		ny += y[i] * y[i];
		c += x[i] * y[i];
	}
	return c / ((sqrt(nx) + EPS) * (sqrt(ny) + EPS));
}

static int stoi_10k(float *x, float *y, size_t m, double *score)
{
	size_t n = drop_silence(x, y, m), nf;
	double *ex, *ey, sum = 0;
	size_t nseg;

	nf = n < STOI_FRAME ? 0 : (n - STOI_FRAME) / STOI_HOP + 1;
	if (nf < STOI_SEG)
		return -EINVAL;
	ex = malloc(nf * STOI_BANDS * sizeof *ex);
	ey = malloc(nf * STOI_BANDS * sizeof *ey);
	if (!ex || !ey) {
		free(ex);
		free(ey);
		return -ENOMEM;
	}
	band_env(x, nf, ex);
	band_env(y, nf, ey);
	nseg = nf - STOI_SEG + 1;
	for (size_t s = 0; s < nseg; s++)
		for (int b = 0; b < STOI_BANDS; b++)
			sum += seg_corr(ex, ey, s, b);
	*score = sum / (double)(nseg * STOI_BANDS);
	free(ex);
	free(ey);
	return 0;
}

int quality_stoi(const int16_t *ref, const int16_t *deg, size_t n,
		 double *score)
{
	float *x, *y;
	size_t mx, my;
	int rc;

	if (!ref || !deg || n > (1u << 30))
		return -EINVAL;
	x = to_10k(ref, n, &mx);
	y = to_10k(deg, n, &my);
	if (!x || !y) {
		free(x);
		free(y);
		return -ENOMEM;
	}
	rc = stoi_10k(x, y, mx < my ? mx : my, score);
	free(x);
	free(y);
	return rc;
}

/* ---- segmental SNR ------------------------------------------------------ */

#define SEG_LEN (QUALITY_RATE / 50)	/* 20 ms */

int quality_segsnr(const int16_t *ref, const int16_t *deg, size_t n,
		   double *db)
{
	size_t nf = n / SEG_LEN, used = 0;
	double top = 0, sum = 0;

	if (!ref || !deg || !nf)
		return -EINVAL;
	for (size_t f = 0; f < nf; f++) {
		double e = 0;

		for (size_t i = f * SEG_LEN; i < (f + 1) * SEG_LEN; i++)
			e += (double)ref[i] * ref[i];
		top = e > top ? e : top;
	}
	if (top == 0)
		return -EINVAL;
	for (size_t f = 0; f < nf; f++) {
		double e = 0, d = 0, snr;

		for (size_t i = f * SEG_LEN; i < (f + 1) * SEG_LEN; i++) {
			double r = ref[i], diff = r - deg[i];

			e += r * r;
			d += diff * diff;
		}
		if (e <= top * 1e-4)	/* more than 40 dB down: silence */
			continue;
		snr = d > 0 ? 10 * log10(e / d) : 35;
		sum += fmax(-10, fmin(35, snr));
		used++;
	}
	*db = sum / (double)used;
	return 0;
}

int quality_compare(const int16_t *ref, size_t nref, const int16_t *deg,
		    size_t ndeg, int max_lag, struct quality_report *r)
{
	size_t n;
	int rc;

	memset(r, 0, sizeof *r);
	rc = quality_delay(ref, nref, deg, ndeg, max_lag, &r->delay, &r->corr);
	if (rc < 0)
		return rc;
	/* Align: ref[i] against deg[i + delay]. */
	if (r->delay >= 0) {
		deg += r->delay;
		ndeg -= (size_t)r->delay;
	} else {
		ref += -r->delay;
		nref -= (size_t)-r->delay;
	}
	n = nref < ndeg ? nref : ndeg;
	r->compared = n;
	rc = quality_stoi(ref, deg, n, &r->stoi);
	if (rc < 0)
		return rc;
	return quality_segsnr(ref, deg, n, &r->segsnr);
}

/* ---- the test signal ---------------------------------------------------- */

struct gen {
	uint32_t rng;
	double phase;		/* of the fundamental, radians */
	double lp;		/* fricative noise filter state */
};

static double rnd(struct gen *g)	/* xorshift32, uniform 0..1 */
{
	g->rng ^= g->rng << 13;
	g->rng ^= g->rng >> 17;
	g->rng ^= g->rng << 5;
	return g->rng / 4294967296.0;
}

static double span(struct gen *g, double lo, double hi)
{
	return lo + (hi - lo) * rnd(g);
}

/* Raised-cosine attack and release over `edge` samples. */
static double shape(size_t i, size_t len, size_t edge)
{
	if (i < edge)
		return 0.5 - 0.5 * cos(M_PI * (double)i / (double)edge);
	if (len - i < edge)
		return 0.5 - 0.5 * cos(M_PI * (double)(len - i) / (double)edge);
	return 1;
}

/* Harmonic amplitudes for fundamental f0: a gentle tilt plus three
 * formant peaks.  Returns the number of harmonics below 4 kHz. */
#define HARM_MAX 48
static int harmonics(double f0, const double fm[3], double amp[HARM_MAX])
{
	static const double gain[3] = {1.0, 0.5, 0.25}, bw[3] = {90, 120, 180};
	int h;

	for (h = 1; h <= HARM_MAX && h * f0 < 4000; h++) {
		amp[h - 1] = 0.05 / h;
		for (int k = 0; k < 3; k++) {
			double x = (h * f0 - fm[k]) / bw[k];

			amp[h - 1] += gain[k] * exp(-x * x);
		}
	}
	return h - 1;
}

/* A vowel: harmonics of a gliding F0 weighted by three formants (the
 * weights move slowly, so they are worked out once a millisecond). */
static void voiced(struct gen *g, double *out, size_t len)
{
	double f0a = span(g, 95, 220), f0b = f0a * span(g, 0.8, 1.2);
	double fm[3] = {span(g, 300, 850), span(g, 900, 2300),
			span(g, 2400, 3400)};
	double amp[HARM_MAX], f0 = f0a;
	int nh = 0;

	for (size_t i = 0; i < len; i++) {
		double v = 0;

		if (i % (QUALITY_RATE / 1000) == 0) {
			f0 = f0a + (f0b - f0a) * (double)i / (double)len;
			nh = harmonics(f0, fm, amp);
		}
		g->phase += 2 * M_PI * f0 / QUALITY_RATE;
		if (g->phase > 2 * M_PI)
			g->phase -= 2 * M_PI;
		for (int h = 1; h <= nh; h++)
			v += amp[h - 1] * sin(h * g->phase);
		out[i] = v * shape(i, len, QUALITY_RATE / 50);
	}
}

/* A fricative: noise, its low end thinned by a first-difference. */
static void fricative(struct gen *g, double *out, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		double w = span(g, -1, 1), v = w - g->lp;

		g->lp = w;
		out[i] = 0.35 * v * shape(i, len, QUALITY_RATE / 100);
	}
}

void quality_gen_speech(int16_t *out, size_t n, uint32_t seed)
{
	struct gen g = {.rng = seed ? seed : 0x9e3779b9u};
	size_t at = 0, syl = 0;
	double *buf = malloc(QUALITY_RATE * sizeof *buf);

	memset(out, 0, n * sizeof *out);
	if (!buf)
		return;
	at = (size_t)(span(&g, 0.05, 0.2) * QUALITY_RATE);
	while (at < n) {
		bool fric = rnd(&g) < 0.2;
		size_t len = (size_t)(QUALITY_RATE *
			(fric ? span(&g, 0.06, 0.15) : span(&g, 0.12, 0.35)));
		double level = span(&g, 2500, 6000);

		if (fric)
			fricative(&g, buf, len);
		else
			voiced(&g, buf, len);
		for (size_t i = 0; i < len && at + i < n; i++)
			out[at + i] = (int16_t)lrint(fmax(-32767, fmin(32767,
						      buf[i] * level)));
		at += len;
		/* a short gap between syllables, a long one between words */
		at += (size_t)(QUALITY_RATE * (++syl % 3 == 0 ?
			span(&g, 0.3, 0.7) : span(&g, 0.04, 0.12)));
	}
	free(buf);
}
