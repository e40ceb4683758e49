/* tests/bench/bench_start: start of the real TUI to its first drawn screen.
 *
 *   bench_start DIR [--runs R] [--confab PATH] [--expect N]
 *
 * Runs `confab -D DIR -C /dev/null` on a pseudo-terminal (forkpty, 120x40,
 * TERM=xterm-256color, LANG=C.UTF-8) R times (default 5) and times from the
 * fork to the moment the status bar's "N contacts" (on one of the bottom
 * three rows) has been drawn.  The
 * output is fed through a small screen model (cursor addressing, erase,
 * REP…), so the text is found however ncurses chose to paint it.  After the
 * first screen the process's peak RSS (VmHWM) is read, then "Q" quits it.
 *
 * "Cold" means a fresh process each run; the OS page cache stays warm
 * (dropping it needs root and would disturb everything else on the box).
 */
#include "store/contacts.h"
#include "store/db.h"
#include "common/str.h"
#include "bench_common.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

#define T_START_MS	100.0	/* first screen at 100k */
#define T_RSS_MB	30.0	/* TUI peak RSS at 100k */
#define COLS		120
#define ROWS		40
#define TIMEOUT_S	20.0
#define STATUS_FROM	(ROWS - 3)	/* status bar: one of the last rows */

/* ---- a minimal terminal screen ------------------------------------------- */
struct vt {
	uint32_t cell[ROWS][COLS];	/* code points; 0 = right half of a wide char */
	int row, col, srow, scol;
	int top, bot;			/* scroll region */
	bool wrap;			/* pending wrap (xterm's xenl) */
	uint32_t last;			/* last printed char, for REP */
	int st;				/* parser state */
	char prm[64];
	size_t nprm;
	uint32_t u8;			/* UTF-8 decoding */
	int u8left;
};

enum { S_GROUND, S_ESC, S_CSI, S_OSC, S_OSC_ESC, S_SKIP1, S_DCS, S_DCS_ESC };

static void vt_clear_row(struct vt *v, int r, int from, int to)
{
	for (int c = from; c < to && c < COLS; c++)
		v->cell[r][c] = ' ';
}

static void vt_init(struct vt *v)
{
	memset(v, 0, sizeof *v);
	for (int r = 0; r < ROWS; r++)
		vt_clear_row(v, r, 0, COLS);
	v->bot = ROWS - 1;
}

static void vt_scroll_up(struct vt *v, int n)
{
	while (n-- > 0) {
		memmove(&v->cell[v->top], &v->cell[v->top + 1],
			sizeof v->cell[0] * (size_t)(v->bot - v->top));
		vt_clear_row(v, v->bot, 0, COLS);
	}
}

static void vt_scroll_down(struct vt *v, int n)
{
	while (n-- > 0) {
		memmove(&v->cell[v->top + 1], &v->cell[v->top],
			sizeof v->cell[0] * (size_t)(v->bot - v->top));
		vt_clear_row(v, v->top, 0, COLS);
	}
}

static void vt_lf(struct vt *v)
{
	if (v->row == v->bot)
		vt_scroll_up(v, 1);
	else if (v->row < ROWS - 1)
		v->row++;
}

static int clampi(int x, int lo, int hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

static void vt_put(struct vt *v, uint32_t ch)
{
	int w = wcwidth((wchar_t)ch);

	if (w < 0)
		w = 1;
	if (w == 0)	/* combining: ignore for matching purposes */
		return;
	if (v->wrap || v->col + w > COLS) {
		v->col = 0;
		vt_lf(v);
		v->wrap = false;
	}
	v->cell[v->row][v->col] = ch;
	if (w == 2 && v->col + 1 < COLS)
		v->cell[v->row][v->col + 1] = 0;
	v->col += w;
	if (v->col >= COLS) {
		v->col = COLS - 1;
		v->wrap = true;
	}
	v->last = ch;
}

static int prm_get(const struct vt *v, int i, int def)
{
	const char *p = v->prm;

	if (*p == '?' || *p == '>' || *p == '=')
		p++;
	for (int k = 0; k < i; k++) {
		p = strchr(p, ';');
		if (!p)
			return def;
		p++;
	}
	if (*p < '0' || *p > '9')
		return def;
	int x = atoi(p);
	return x ? x : def;
}

static void vt_csi(struct vt *v, char f)
{
	int n = prm_get(v, 0, 1);

	if (v->prm[0] == '?' || v->prm[0] == '>' || v->prm[0] == '=')
		return;		/* modes, queries */
	v->wrap = false;
	switch (f) {
	case 'H': case 'f':
		v->row = clampi(prm_get(v, 0, 1) - 1, 0, ROWS - 1);
		v->col = clampi(prm_get(v, 1, 1) - 1, 0, COLS - 1);
		break;
	case 'A': v->row = clampi(v->row - n, 0, ROWS - 1); break;
	case 'B': case 'e': v->row = clampi(v->row + n, 0, ROWS - 1); break;
	case 'C': case 'a': v->col = clampi(v->col + n, 0, COLS - 1); break;
	case 'D': v->col = clampi(v->col - n, 0, COLS - 1); break;
	case 'E': v->row = clampi(v->row + n, 0, ROWS - 1); v->col = 0; break;
	case 'F': v->row = clampi(v->row - n, 0, ROWS - 1); v->col = 0; break;
	case 'G': case '`': v->col = clampi(n - 1, 0, COLS - 1); break;
	case 'd': v->row = clampi(n - 1, 0, ROWS - 1); break;
	case 'J': {
		int m = prm_get(v, 0, 0);
		if (m == 0) {
			vt_clear_row(v, v->row, v->col, COLS);
			for (int r = v->row + 1; r < ROWS; r++)
				vt_clear_row(v, r, 0, COLS);
		} else if (m == 1) {
			for (int r = 0; r < v->row; r++)
				vt_clear_row(v, r, 0, COLS);
			vt_clear_row(v, v->row, 0, v->col + 1);
		} else {
			for (int r = 0; r < ROWS; r++)
				vt_clear_row(v, r, 0, COLS);
		}
		break;
	}
	case 'K': {
		int m = prm_get(v, 0, 0);
		if (m == 0)
			vt_clear_row(v, v->row, v->col, COLS);
		else if (m == 1)
			vt_clear_row(v, v->row, 0, v->col + 1);
		else
			vt_clear_row(v, v->row, 0, COLS);
		break;
	}
	case 'X': vt_clear_row(v, v->row, v->col, v->col + n); break;
	case 'b':
		for (int i = 0; i < n && i < COLS * ROWS; i++)
			vt_put(v, v->last);
		break;
	case '@':
		n = clampi(n, 0, COLS - v->col);
		memmove(&v->cell[v->row][v->col + n], &v->cell[v->row][v->col],
			sizeof(uint32_t) * (size_t)(COLS - v->col - n));
		vt_clear_row(v, v->row, v->col, v->col + n);
		break;
	case 'P':
		n = clampi(n, 0, COLS - v->col);
		memmove(&v->cell[v->row][v->col], &v->cell[v->row][v->col + n],
			sizeof(uint32_t) * (size_t)(COLS - v->col - n));
		vt_clear_row(v, v->row, COLS - n, COLS);
		break;
	case 'L': case 'M': {
		int t = v->top, b = v->bot;
		if (v->row < t || v->row > b)
			break;
		v->top = v->row;
		if (f == 'L')
			vt_scroll_down(v, clampi(n, 0, b - v->row + 1));
		else
			vt_scroll_up(v, clampi(n, 0, b - v->row + 1));
		v->top = t;
		break;
	}
	case 'S': vt_scroll_up(v, n); break;
	case 'T': vt_scroll_down(v, n); break;
	case 'r':
		v->top = clampi(prm_get(v, 0, 1) - 1, 0, ROWS - 1);
		v->bot = clampi(prm_get(v, 1, ROWS) - 1, v->top, ROWS - 1);
		v->row = v->col = 0;
		break;
	case 's': v->srow = v->row; v->scol = v->col; break;
	case 'u': v->row = v->srow; v->col = v->scol; break;
	default: break;	/* m (colours), h/l, t, n… */
	}
}

static void vt_feed(struct vt *v, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		switch (v->st) {
		case S_GROUND:
			if (v->u8left) {
				if ((c & 0xc0) == 0x80) {
					v->u8 = (v->u8 << 6) | (c & 0x3f);
					if (--v->u8left == 0)
						vt_put(v, v->u8);
					continue;
				}
				v->u8left = 0;	/* broken sequence: drop it */
			}
			if (c == 0x1b) {
				v->st = S_ESC;
			} else if (c == '\r') {
				v->col = 0;
				v->wrap = false;
			} else if (c == '\n' || c == 0x0b || c == 0x0c) {
				vt_lf(v);
				v->wrap = false;
			} else if (c == '\b') {
				if (v->col > 0)
					v->col--;
				v->wrap = false;
			} else if (c == '\t') {
				v->col = clampi((v->col / 8 + 1) * 8, 0, COLS - 1);
			} else if (c < 0x20 || c == 0x7f) {
				/* BEL, SO/SI…: nothing to draw */
			} else if (c < 0x80) {
				vt_put(v, c);
			} else if (c >= 0xf0) {
				v->u8 = c & 0x07, v->u8left = 3;
			} else if (c >= 0xe0) {
				v->u8 = c & 0x0f, v->u8left = 2;
			} else if (c >= 0xc0) {
				v->u8 = c & 0x1f, v->u8left = 1;
			}
			break;
		case S_ESC:
			v->st = S_GROUND;
			if (c == '[') {
				v->st = S_CSI;
				v->nprm = 0;
				v->prm[0] = '\0';
			} else if (c == ']') {
				v->st = S_OSC;
			} else if (c == 'P') {
				v->st = S_DCS;
			} else if (c == '(' || c == ')' || c == '*' || c == '+' ||
				   c == '#' || c == '%') {
				v->st = S_SKIP1;
			} else if (c == '7') {
				v->srow = v->row, v->scol = v->col;
			} else if (c == '8') {
				v->row = v->srow, v->col = v->scol;
			} else if (c == 'M') {
				if (v->row == v->top)
					vt_scroll_down(v, 1);
				else if (v->row > 0)
					v->row--;
			} else if (c == 'D') {
				vt_lf(v);
			} else if (c == 'E') {
				v->col = 0;
				vt_lf(v);
			} else if (c == 'c') {
				vt_init(v);
			}
			break;
		case S_CSI:
			if (c >= 0x40 && c <= 0x7e) {
				v->prm[v->nprm] = '\0';
				vt_csi(v, (char)c);
				v->st = S_GROUND;
			} else if (v->nprm + 1 < sizeof v->prm) {
				v->prm[v->nprm++] = (char)c;
				v->prm[v->nprm] = '\0';
			}
			break;
		case S_OSC:
			if (c == 0x07)
				v->st = S_GROUND;
			else if (c == 0x1b)
				v->st = S_OSC_ESC;
			break;
		case S_OSC_ESC:
			v->st = c == '\\' ? S_GROUND : S_OSC;
			break;
		case S_DCS:
			if (c == 0x1b)
				v->st = S_DCS_ESC;
			break;
		case S_DCS_ESC:
			v->st = c == '\\' ? S_GROUND : S_DCS;
			break;
		case S_SKIP1:
			v->st = S_GROUND;
			break;
		}
	}
}

static void vt_row_text(const struct vt *v, int r, char *out, size_t n)
{
	size_t k = 0;

	for (int c = 0; c < COLS; c++) {
		uint32_t ch = v->cell[r][c];
		char b[8];
		size_t bl;
		if (!ch)
			continue;
		if (ch < 0x80) {
			b[0] = (char)ch, bl = 1;
		} else if (ch < 0x800) {
			b[0] = (char)(0xc0 | (ch >> 6));
			b[1] = (char)(0x80 | (ch & 0x3f));
			bl = 2;
		} else if (ch < 0x10000) {
			b[0] = (char)(0xe0 | (ch >> 12));
			b[1] = (char)(0x80 | ((ch >> 6) & 0x3f));
			b[2] = (char)(0x80 | (ch & 0x3f));
			bl = 3;
		} else {
			b[0] = (char)(0xf0 | (ch >> 18));
			b[1] = (char)(0x80 | ((ch >> 12) & 0x3f));
			b[2] = (char)(0x80 | ((ch >> 6) & 0x3f));
			b[3] = (char)(0x80 | (ch & 0x3f));
			bl = 4;
		}
		if (k + bl + 1 >= n)
			break;
		memcpy(out + k, b, bl);
		k += bl;
	}
	out[k] = '\0';
}

/* Row at or below `from` holding `text` (not preceded by a digit), or -1. */
static int vt_find(const struct vt *v, int from, const char *text)
{
	char line[COLS * 4 + 1];

	for (int r = from; r < ROWS; r++) {
		vt_row_text(v, r, line, sizeof line);
		for (char *p = line; (p = strstr(p, text)); p++)
			if (p == line || p[-1] < '0' || p[-1] > '9')
				return r;
	}
	return -1;
}

static void vt_dump(const struct vt *v, FILE *f)
{
	char line[COLS * 4 + 1];

	for (int r = 0; r < ROWS; r++) {
		vt_row_text(v, r, line, sizeof line);
		size_t l = strlen(line);
		while (l && line[l - 1] == ' ')
			line[--l] = '\0';
		fprintf(f, "    |%s\n", line);
	}
}

/* ---- one run ------------------------------------------------------------- */
static long vm_kb(pid_t pid, const char *key)
{
	char path[64], line[256];
	long kb = -1;
	size_t kl = strlen(key);

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, key, kl) == 0 && line[kl] == ':')
			kb = atol(line + kl + 1);
	fclose(f);
	return kb;
}

struct run {
	double first_byte_ms, screen_ms;
	long hwm_kb, hwm_settled_kb;
	int status_row;
	bool ok;
};

/* Read what is there, waiting up to timeout_ms; -1 at EOF/EIO. */
static ssize_t pump(int fd, struct vt *v, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	unsigned char buf[65536];

	int r = poll(&p, 1, timeout_ms);
	if (r < 0)
		return errno == EINTR ? 0 : -1;
	if (r == 0)
		return 0;
	ssize_t k = read(fd, buf, sizeof buf);
	if (k < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (k <= 0)
		return -1;
	vt_feed(v, buf, (size_t)k);
	return k;
}

static int one_run(const char *confab, const char *dir, const char *expect,
		   bool dump, struct run *out)
{
	static struct vt v;
	struct winsize ws = { .ws_row = ROWS, .ws_col = COLS };
	int fd;

	memset(out, 0, sizeof *out);
	vt_init(&v);
	double t0 = bench_now();
	pid_t pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid < 0) {
		perror("forkpty");
		return -1;
	}
	if (pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("LANG", "C.UTF-8", 1);
		unsetenv("LC_ALL");
		unsetenv("LC_CTYPE");
		unsetenv("LC_MESSAGES");
		unsetenv("COLUMNS");
		unsetenv("LINES");
		execl(confab, "confab", "-D", dir, "-C", "/dev/null", (char *)NULL);
		fprintf(stderr, "exec %s: %s\n", confab, strerror(errno));
		_exit(127);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	bool got = false, eof = false;
	while (!got && !eof) {
		double el = bench_now() - t0;
		if (el > TIMEOUT_S)
			break;
		ssize_t k = pump(fd, &v, 100);
		if (k < 0) {
			eof = true;
			break;
		}
		if (k > 0 && out->first_byte_ms == 0)
			out->first_byte_ms = (bench_now() - t0) * 1e3;
		/* the status bar: the bottom rows (the list header above
		 * shows the count too, drawn a little earlier) */
		if (k > 0 && (out->status_row = vt_find(&v, STATUS_FROM,
							 expect)) >= 0) {
			out->screen_ms = (bench_now() - t0) * 1e3;
			got = true;
		}
	}
	if (got) {
		out->hwm_kb = vm_kb(pid, "VmHWM");
		/* let it settle (no output for 300 ms, at most 3 s) and look
		 * again: anything the first screen loads after drawing */
		double ts = bench_now();
		while (bench_now() - ts < 3.0) {
			ssize_t k = pump(fd, &v, 300);
			if (k <= 0)
				break;
		}
		out->hwm_settled_kb = vm_kb(pid, "VmHWM");
		if (dump) {
			printf("  first screen (run 1):\n");
			vt_dump(&v, stdout);
		}
	} else {
		fprintf(stderr, "bench_start: '%s' not drawn in the status bar "
			"within %.0f s%s; "
			"screen:\n", expect, TIMEOUT_S, eof ? " (confab exited)" : "");
		vt_dump(&v, stderr);
	}
	/* quit: "Q", then drain until the pty closes */
	if (!eof)
		(void)!write(fd, "Q", 1);
	double tq = bench_now();
	int wst = 0;
	pid_t w = 0;
	while (bench_now() - tq < 5.0) {
		w = waitpid(pid, &wst, WNOHANG);
		if (w == pid)
			break;
		if (pump(fd, &v, 50) < 0) {
			w = waitpid(pid, &wst, 0);
			break;
		}
	}
	if (w != pid) {
		fprintf(stderr, "bench_start: confab did not quit on Q; "
			"terminating it\n");
		kill(pid, SIGTERM);
		usleep(200000);
		if (waitpid(pid, &wst, WNOHANG) != pid) {
			kill(pid, SIGKILL);
			waitpid(pid, &wst, 0);
		}
		got = false;
	} else if (!WIFEXITED(wst) || WEXITSTATUS(wst) != 0) {
		fprintf(stderr, "bench_start: confab exited with status %d\n",
			WIFEXITED(wst) ? WEXITSTATUS(wst) : 128 + WTERMSIG(wst));
	}
	close(fd);
	out->ok = got;
	return got ? 0 : -1;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_start DIR [--runs R] [--confab PATH] "
		"[--expect N]\n");
}

int main(int argc, char **argv)
{
	const char *dir = NULL, *confab = NULL;
	int runs = 5;
	long long expect = -1;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--confab") == 0 && i + 1 < argc)
			confab = argv[++i];
		else if (strcmp(argv[i], "--expect") == 0 && i + 1 < argc)
			expect = atoll(argv[++i]);
		else if (argv[i][0] != '-' && !dir)
			dir = argv[i];
		else {
			usage();
			return 2;
		}
	}
	if (!dir || runs < 1 || runs > 100) {
		usage();
		return 2;
	}
	setlocale(LC_ALL, "C.UTF-8");
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* confab next to this program's directory: build/bench/.. */
	char buf[PATH_MAX];
	if (!confab) {
		ssize_t k = readlink("/proc/self/exe", buf, sizeof buf - 32);
		if (k > 0) {
			buf[k] = '\0';
			char *s = strrchr(buf, '/');
			if (s) {
				strcpy(s, "/../confab");
				confab = buf;
			}
		}
		if (!confab || access(confab, X_OK) != 0)
			confab = "build/confab";
	}
	if (access(confab, X_OK) != 0) {
		fprintf(stderr, "bench_start: %s: %s\n", confab, strerror(errno));
		return 1;
	}
	if (expect < 0) {
		struct db *db;
		char *err = NULL, *p = xasprintf("%s/confab.db", dir);
		struct stat sb;
		if (stat(p, &sb) < 0) {
			fprintf(stderr, "bench_start: no database %s\n", p);
			return 1;
		}
		if (db_open(&db, p, db_client_migrations, db_client_nmigrations,
			    &err) < 0) {
			fprintf(stderr, "bench_start: %s\n", err);
			return 1;
		}
		expect = contacts_count(db, 0);
		db_close(db);
		free(p);
	}
	char want[64];
	snprintf(want, sizeof want, "%lld contact%s", expect,
		 expect == 1 ? "" : "s");
	printf("bench_start: %s -D %s, %dx%d, waiting for \"%s\"\n", confab,
	       dir, COLS, ROWS, want);
	printf("  (\"cold\" = a fresh process per run; the OS page cache is "
	       "warm)\n");

	double *ms = xcalloc((size_t)runs, sizeof *ms);
	long hwm = 0, hwm_settled = 0;
	int nok = 0;
	for (int i = 0; i < runs; i++) {
		struct run r;
		if (one_run(confab, dir, want, i == 0 && getenv("BENCH_DUMP"),
			    &r) < 0)
			continue;
		printf("  run %d: first output %.1f ms, \"%s\" on row %d at "
		       "%.1f ms, VmHWM %.1f MB (%.1f MB once settled)\n", i + 1,
		       r.first_byte_ms, want, r.status_row + 1, r.screen_ms,
		       (double)r.hwm_kb / 1024.0,
		       (double)r.hwm_settled_kb / 1024.0);
		ms[nok++] = r.screen_ms;
		if (r.hwm_kb > hwm)
			hwm = r.hwm_kb;
		if (r.hwm_settled_kb > hwm_settled)
			hwm_settled = r.hwm_settled_kb;
	}
	if (nok == 0) {
		fprintf(stderr, "bench_start: no run reached the first screen\n");
		return 1;
	}
	qsort(ms, (size_t)nok, sizeof *ms, bench_cmp_double);
	char scale[32], label[96];
	bool at100k = bench_scale((double)expect, scale, sizeof scale) == 1e5;
	snprintf(label, sizeof label, "TUI start %s: first screen median", scale);
	bench_figure(label, ms[(nok - 1) / 2], "ms", at100k ? T_START_MS : 0);
	snprintf(label, sizeof label, "TUI start %s: first screen max", scale);
	bench_figure(label, ms[nok - 1], "ms", at100k ? T_START_MS : 0);
	snprintf(label, sizeof label, "TUI %s: peak RSS (VmHWM)", scale);
	bench_figure(label, (double)(hwm_settled > hwm ? hwm_settled : hwm) /
			    1024.0, "MB", at100k ? T_RSS_MB : 0);
	free(ms);
	return nok == runs ? 0 : 1;
}
