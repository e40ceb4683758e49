/* tests/bench/bench_common.h: small helpers shared by the benchmarks
 * (header-only: the Makefile builds each tests/bench/bench_*.c on its own). */
#ifndef CONFAB_BENCH_COMMON_H
#define CONFAB_BENCH_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array (p in 0..100). */
static inline double bench_pct(const double *v, size_t n, double p)
{
	if (!n)
		return 0;
	size_t k = (size_t)((p / 100.0) * (double)n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

/* Scale label for a contact count: within 5% of a power of ten it is
 * rounded to it (99011 -> "100k", 990482 -> "1M"), else printed as is.
 * Returns the (rounded) count the targets are looked up with. */
static inline double bench_scale(double n, char *out, size_t sz)
{
	double p = 1;

	while (p * 10 <= n / 0.95)
		p *= 10;
	if (n >= p * 0.95 && n <= p * 1.05)
		n = p;
	if (n >= 1e6)
		snprintf(out, sz, "%gM", n / 1e6);
	else if (n >= 1e3)
		snprintf(out, sz, "%.4gk", n / 1e3);
	else
		snprintf(out, sz, "%.0f", n);
	return n;
}

/* One figure: a human line with its target and whether it is met.  When
 * CONFAB_BENCH_RESULTS names a file, a machine line is appended to it too
 * ("name|value|unit|target|met"), for tests/bench/run.sh's summary.
 * `target` <= 0 means informative (no target). */
static inline void bench_figure(const char *name, double value,
				const char *unit, double target)
{
	const char *st = target <= 0 ? "info" :
			 value <= target ? "met" : "NOT met";
	const char *rf = getenv("CONFAB_BENCH_RESULTS");

	if (target > 0)
		printf("  %-44s %10.2f %-4s (target <= %g %s: %s)\n", name,
		       value, unit, target, unit, st);
	else
		printf("  %-44s %10.2f %-4s\n", name, value, unit);
	fflush(stdout);
	if (rf && *rf) {
		FILE *f = fopen(rf, "a");
		if (f) {
			if (target > 0)
				fprintf(f, "%s|%.2f|%s|<= %g|%s\n", name, value,
					unit, target, st);
			else
				fprintf(f, "%s|%.2f|%s|-|info\n", name, value,
					unit);
			fclose(f);
		}
	}
}

#endif
