/* tests/bench/bench_messages: message history search over a large local
 * mailbox, through the store library (build/libcore.a).
 *
 *   bench_messages [N] [--data DIR] [--keep] [--search-only] [--queries Q]
 *
 * N (default 1,000,000) realistic messages are generated (fixed seed:
 * subjects and bodies drawn from a vocabulary with a Zipf-like spread of
 * word frequencies, names of about a thousand colleagues, invoice and
 * order numbers, three years of dates, mostly read, inbox/sent/trash) and
 * stored with messages_put() in transactions of 10,000, as a pull from
 * the server stores them, into a fresh DIR/confab.db (timed:
 * informative).  Then Q queries (default 200) are typed a character at a
 * time, each keystroke a messages_search(db, text, 50, …) as the
 * messages view asks for: one word (common or rare), names, two and
 * three words of one message, an order number.  p50/p95 per keystroke
 * (target p95 <= 20 ms at 1M), by kind of query and by the length of the
 * word being typed; the slowest keystrokes; the database's size.
 *
 * --search-only reuses DIR/confab.db and DIR/msg-queries.txt.  DIR
 * defaults to a mkdtemp under /tmp; what this program made is removed at
 * the end unless --keep.  Figures go to $CONFAB_BENCH_RESULTS too (see
 * bench_common.h).
 */
#include "store/db.h"
#include "store/messages.h"
#include "common/log.h"
#include "common/str.h"
#include "bench_common.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define T_P95_1M_MS	20.0	/* search p95 per keystroke at 1M */
#define SEARCH_LIMIT	50	/* what the messages view asks for */
#define TXN		10000	/* messages per transaction */
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- deterministic PRNG (as bench_gen.h) --------------------------------- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

static unsigned rn(unsigned n)	/* 0..n-1 */
{
	return (unsigned)(rnd() % n);
}

static double unit(void)	/* [0, 1) */
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

/* ---- the vocabulary ------------------------------------------------------ */

/* Most frequent first: function words, then the words of business mail.
 * Below them come made-up words (project names, jargon, typos), rarer
 * and rarer, for the long tail a real mailbox has. */
static const char *const common_words[] = {
	"the", "to", "and", "of", "a", "in", "for", "is", "on", "that", "we",
	"you", "it", "with", "this", "be", "are", "have", "will", "at", "as",
	"can", "please", "thanks", "from", "by", "our", "not", "if", "or",
	"all", "me", "let", "know", "your", "i", "an", "would", "do", "just",
	"meeting", "next", "week", "today", "tomorrow", "attached", "see",
	"send", "call", "time", "need", "get", "review", "update", "new",
	"team", "order", "client", "customer", "project", "report", "sales",
	"price", "quote", "invoice", "delivery", "Monday", "Tuesday",
	"Wednesday", "Thursday", "Friday", "morning", "afternoon", "budget",
	"quarter", "figures", "contract", "renewal", "discount", "payment",
	"account", "stock", "warehouse", "supplier", "shipment", "deadline",
	"agenda", "minutes", "draft", "final", "version", "approved",
	"regards", "hello", "hi", "best", "kind", "cheers", "sorry", "late",
	"office", "room", "booked", "lunch", "visit", "site", "trip", "travel",
	"expenses", "claim", "holiday", "leave", "sick", "rota", "shift",
	"training", "course", "safety", "audit", "compliance", "policy",
	"payroll", "pension", "bonus", "target", "forecast", "pipeline",
	"lead", "prospect", "demo", "trial", "proposal", "tender", "bid",
	"margin", "cost", "costs", "saving", "refund", "complaint", "issue",
	"fault", "repair", "engineer", "install", "upgrade", "server", "laptop",
	"printer", "password", "login", "email", "phone", "number", "address",
	"postcode", "London", "Leeds", "Manchester", "Bristol", "Glasgow",
	"Birmingham", "Cardiff", "Dublin", "Paris", "Madrid", "Berlin",
	"Munich", "Lyon", "Milan", "Rotterdam", "warranty", "returns",
	"catalogue", "brochure", "samples", "pallet", "courier", "tracking",
	"customs", "export", "import", "VAT", "credit", "debit", "overdue",
	"reminder", "statement", "balance", "terms", "agreement", "signed",
	"signature", "legal", "solicitor", "board", "director", "manager",
	"assistant", "intern", "recruitment", "interview", "candidate", "CV",
	"offer", "starter", "leaver", "handover", "onboarding", "feedback",
	"appraisal", "objectives", "strategy", "roadmap", "launch", "campaign",
	"newsletter", "website", "social", "media", "press", "release",
	"conference", "exhibition", "stand", "tickets", "hotel", "flight",
	"train", "taxi", "parking", "fuel", "mileage", "van", "fleet",
	"insurance", "renewals", "premium", "broker", "risk", "incident",
	"accident", "fire", "drill", "alarm", "keys", "cleaning", "kitchen",
	"coffee", "cake", "birthday", "farewell", "party", "Christmas",
	"summer", "winter", "spring", "autumn", "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December", "Zoë", "café", "naïve", "résumé", "Müller",
	"Gdańsk", "São", "Paulo", "Kraków", "Malmö", "Zürich", "Ærøskøbing",
};

/* Made-up words from syllables: word i is always the same word. */
static const char *const syl[] = {
	"ka", "lo", "mi", "ra", "ten", "vor", "sel", "ban", "dri", "qua",
	"fen", "zu", "pol", "mar", "gri", "tho", "nex", "sta", "bel", "cor",
	"dun", "ely", "fra", "hol", "jin", "kep", "lum", "nor", "pix", "rud",
	"sko", "tav", "ul", "vey", "wix", "yor",
};

static void made_up(unsigned i, char *out, size_t n)
{
	size_t k = 0;
	unsigned parts = 2 + i % 3;

	for (unsigned p = 0; p < parts; p++) {
		const char *s = syl[i % NELEM(syl)];
		i = i / NELEM(syl) + p * 7919;
		k += (size_t)snprintf(out + k, n - k, "%s", s);
	}
}

#define NTAIL 60000		/* made-up words */
static char **vocab;		/* common words, then the tail */
static size_t nvocab;
static double *cdf;		/* cumulative Zipf weights */

static void vocab_init(void)
{
	char w[64];

	nvocab = NELEM(common_words) + NTAIL;
	vocab = xcalloc(nvocab, sizeof *vocab);
	cdf = xcalloc(nvocab, sizeof *cdf);
	for (size_t i = 0; i < nvocab; i++) {
		if (i < NELEM(common_words)) {
			vocab[i] = xstrdup(common_words[i]);
		} else {
			unsigned k = (unsigned)(i - NELEM(common_words));
			made_up(k * 2654435761u % 2000003u, w, sizeof w);
			vocab[i] = xstrdup(w);
		}
		/* Zipf, s = 1.05: "the" in most messages, the tail in few */
		cdf[i] = (i ? cdf[i - 1] : 0) + 1.0 / pow((double)i + 1, 1.05);
	}
	for (size_t i = 0; i < nvocab; i++)
		cdf[i] /= cdf[nvocab - 1];
}

static size_t zipf(void)
{
	double u = unit();
	size_t lo = 0, hi = nvocab - 1;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* ---- colleagues ---------------------------------------------------------- */

static const char *const given[] = {
	"James", "Oliver", "Harry", "George", "Noah", "Jack", "Leo", "Arthur",
	"Muhammad", "Oscar", "Charlie", "Henry", "Thomas", "William", "Olivia",
	"Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Grace", "Freya",
	"Emily", "Sarah", "Emma", "Laura", "Rachel", "Hannah", "Priya",
	"Arjun", "Aisha", "Omar", "Fatima", "Chen", "Wei", "Yuki", "Kwame",
	"Ngozi", "Mateo", "Lucía", "José", "François", "Jürgen", "Łukasz",
	"Søren", "Björn", "Siobhán", "Niamh", "Dmitri", "Olga", "Giulia",
};
static const char *const family[] = {
	"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson",
	"Davies", "Patel", "Robinson", "Wright", "Thompson", "Evans", "Walker",
	"White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
	"Khan", "Singh", "Ahmed", "Murphy", "O'Brien", "Kelly", "Nowak",
	"Kowalski", "Müller", "Schmidt", "Rossi", "García", "Martínez",
	"Dubois", "Lefèvre", "Nakamura", "Okafor", "Mensah", "Ivanova",
};
#define NCOLL 1000

struct colleague {
	char name[64], user[72];
};
static struct colleague coll[NCOLL];

/* Lower-case ASCII for a username: "Łukasz" -> "ukasz" is fine here. */
static void ascii_lower(char *d, size_t n, const char *s)
{
	size_t k = 0;

	for (; *s && k + 1 < n; s++)
		if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
			d[k++] = (char)(*s | 0x20);
	d[k] = '\0';
}

static void colleagues_init(void)
{
	for (size_t i = 0; i < NCOLL; i++) {
		const char *g = given[rn(NELEM(given))];
		const char *f = family[rn(NELEM(family))];
		char a[32], b[32];
		ascii_lower(a, sizeof a, g);
		ascii_lower(b, sizeof b, f);
		snprintf(coll[i].name, sizeof coll[i].name, "%s %s", g, f);
		if (i % 7)	/* most usernames have no number */
			snprintf(coll[i].user, sizeof coll[i].user, "%s.%s", a,
				 b);
		else
			snprintf(coll[i].user, sizeof coll[i].user, "%s.%s%zu",
				 a, b, i);
	}
}

/* A colleague, the frequent correspondents more often. */
static size_t someone(void)
{
	double u = unit();
	return (size_t)(u * u * u * NCOLL) % NCOLL;
}

/* ---- messages ------------------------------------------------------------ */

struct query {
	char text[96];
	const char *kind;
};

static const char *const query_kinds[] = { "common", "rare", "name",
					   "two", "three", "number" };

/* Words of the message being generated, for queries drawn from it. */
struct gen {
	size_t words[200], nwords;
	char number[16];
	size_t from;
};

static void add_words(struct sbuf *b, struct gen *g, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		size_t w = zipf();
		sbuf_printf(b, "%s%s", b->len ? " " : "", vocab[w]);
		if (g->nwords < NELEM(g->words))
			g->words[g->nwords++] = w;
		if (rn(14) == 0)
			sbuf_addc(b, rn(3) ? ',' : '.');
	}
}

static void gen_message(int64_t id, int64_t created, struct message *m,
			struct gen *g, struct sbuf *subj, struct sbuf *body,
			struct sbuf *rcpt)
{
	unsigned r = rn(100);
	size_t me = 0;		/* the mailbox's owner */

	sbuf_reset(subj);
	sbuf_reset(body);
	sbuf_reset(rcpt);
	g->nwords = 0;
	g->number[0] = '\0';
	memset(m, 0, sizeof *m);
	m->id = id;
	m->message_id = id;
	m->rev = id;
	m->created = created;
	m->kind = "text";
	m->folder = r < 70 ? "inbox" : r < 95 ? "sent" : "trash";
	m->outgoing = r >= 70 && r < 95;
	g->from = m->outgoing ? me : someone();
	m->sender = coll[g->from].user;
	m->sender_name = coll[g->from].name;
	unsigned nto = 1 + (rn(4) == 0) + (rn(8) == 0);
	for (unsigned i = 0; i < nto; i++)	/* received: me first */
		sbuf_printf(rcpt, "%s%s", i ? ", " : "",
			    coll[m->outgoing || i ? someone() : me].user);
	if (rn(10) < 3)
		sbuf_printf(subj, "Re:");
	add_words(subj, g, 2 + rn(5));
	if (rn(6) == 0) {
		snprintf(g->number, sizeof g->number, "%s-%05u",
			 rn(2) ? "INV" : "PO", rn(100000));
		sbuf_printf(subj, " %s", g->number);
	}
	sbuf_printf(body, "Hi %s,\n\n", given[rn(NELEM(given))]);
	add_words(body, g, 10 + rn(70) + (rn(10) == 0 ? rn(300) : 0));
	sbuf_printf(body, "\n\n%s\n%s", rn(2) ? "Thanks," : "Best regards,",
		    coll[g->from].name);
	m->subject = subj->s;
	m->body = body->s;
	m->recipients = rcpt->s;
	m->read = r >= 70 || unit() < 0.97;
}

/* A query drawn from the message just generated (it finds that one). */
static void make_query(struct query *q, size_t kind, const struct gen *g)
{
	const char *k = query_kinds[kind];
	size_t n = g->nwords;

	q->kind = k;
	q->text[0] = '\0';
	if (strcmp(k, "common") == 0) {
		for (size_t i = 0; i < n; i++)
			if (g->words[i] >= 40 && g->words[i] < 300) {
				snprintf(q->text, sizeof q->text, "%s",
					 vocab[g->words[i]]);
				return;
			}
	} else if (strcmp(k, "rare") == 0) {
		size_t best = 0;
		for (size_t i = 0; i < n; i++)
			if (g->words[i] > best)
				best = g->words[i];
		if (best >= 2000) {
			snprintf(q->text, sizeof q->text, "%s", vocab[best]);
			return;
		}
	} else if (strcmp(k, "name") == 0) {
		snprintf(q->text, sizeof q->text, "%s", coll[g->from].name);
		return;
	} else if (strcmp(k, "number") == 0) {
		if (g->number[0]) {
			snprintf(q->text, sizeof q->text, "%s", g->number);
			return;
		}
	} else if (n >= 3) {
		/* words of one message, as someone remembers them */
		size_t want = strcmp(k, "two") == 0 ? 2 : 3, k0 = 0;
		for (size_t i = 0; i < want; i++) {
			size_t w = g->words[rn((unsigned)n)];
			k0 += (size_t)snprintf(q->text + k0, sizeof q->text -
					       k0, "%s%s", i ? " " : "",
					       vocab[w]);
		}
		return;
	}
	q->text[0] = '\0';	/* this message has none of that kind */
}

static long long file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* Generate and store n messages; the queries are drawn on the way. */
static int fill(struct db *db, size_t n, struct query *qs, size_t nq,
		size_t *nqs)
{
	struct sbuf subj, body, rcpt;
	struct message m;
	struct gen g;
	int64_t t = 1672531200;	/* 2023-01-01 */
	size_t every = n / (nq * 2) ? n / (nq * 2) : 1, kind = 0;
	double t0 = bench_now(), c0 = cpu_s(), tlast = t0;
	long long text = 0;

	sbuf_init(&subj);
	sbuf_init(&body);
	sbuf_init(&rcpt);
	*nqs = 0;
	for (size_t i = 0; i < n; i++) {
		if (i % TXN == 0 && db_begin(db) < 0)
			return -1;
		t += 1 + rn(190);
		gen_message((int64_t)i + 1, t, &m, &g, &subj, &body, &rcpt);
		text += (long long)(subj.len + body.len);
		if (messages_put(db, &m) < 0) {
			fprintf(stderr, "bench_messages: messages_put failed "
				"at %zu: %s\n", i, db_errmsg(db));
			db_rollback(db);
			return -1;
		}
		if (i % every == every / 2 && *nqs < nq) {
			make_query(&qs[*nqs], kind, &g);
			if (qs[*nqs].text[0]) {
				(*nqs)++;
				kind = (kind + 1) % NELEM(query_kinds);
			}
		}
		if ((i + 1) % TXN == 0 || i + 1 == n) {
			if (db_commit(db) < 0)
				return -1;
			if (bench_now() - tlast > 10) {
				tlast = bench_now();
				printf("  %zu stored (%.0f/s so far)\n", i + 1,
				       (double)(i + 1) / (tlast - t0));
			}
		}
	}
	double dt = bench_now() - t0, dc = cpu_s() - c0;
	char label[96], sc[32];
	bench_scale((double)n, sc, sizeof sc);
	printf("  %zu messages stored in %.1f s (CPU %.1f s, generation "
	       "included); %.0f MB of subject and body text\n", n, dt, dc,
	       (double)text / 1048576.0);
	snprintf(label, sizeof label, "messages %s: insert rate", sc);
	bench_figure(label, (double)n / dt, "m/s", 0);
	sbuf_free(&subj);
	sbuf_free(&body);
	sbuf_free(&rcpt);
	return 0;
}

static int write_queries(const char *path, const struct query *qs, size_t n)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\t%s\n", qs[i].kind, qs[i].text);
	return fclose(f);
}

static size_t read_queries(const char *path, struct query *qs, size_t max)
{
	char line[256];
	size_t n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (n < max && fgets(line, sizeof line, f)) {
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		tab[1 + strcspn(tab + 1, "\n")] = '\0';
		qs[n].kind = NULL;
		for (size_t k = 0; k < NELEM(query_kinds); k++)
			if (strcmp(line, query_kinds[k]) == 0)
				qs[n].kind = query_kinds[k];
		if (!qs[n].kind)
			continue;
		snprintf(qs[n].text, sizeof qs[n].text, "%s", tab + 1);
		n++;
	}
	fclose(f);
	return n;
}

/* ---- searching ----------------------------------------------------------- */

struct stroke {
	double ms;
	size_t q, len, hits;
};

static int cmp_stroke(const void *a, const void *b)
{
	double x = ((const struct stroke *)a)->ms,
	       y = ((const struct stroke *)b)->ms;
	return x < y ? 1 : x > y ? -1 : 0;	/* slowest first */
}

/* Characters in the word being typed at the end of t[0..end). */
static size_t last_word_chars(const char *t, size_t end)
{
	size_t chars = 0;

	while (end > 0) {
		unsigned char c = (unsigned char)t[end - 1];
		bool wordch = c >= 0x80 || (c >= '0' && c <= '9') ||
			      ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
		if (!wordch)
			break;
		chars += (c & 0xc0) != 0x80;
		end--;
	}
	return chars;
}

static int search(struct db *db, const struct query *qs, size_t nqs,
		  double at)
{
	size_t cap = 0, ns = 0, zero = 0;
	int status = 0;

	for (size_t i = 0; i < nqs; i++)
		cap += strlen(qs[i].text);
	struct stroke *sk = xcalloc(cap + 1, sizeof *sk);
	double *ms = xcalloc(cap + 1, sizeof *ms);
	double *bykind[NELEM(query_kinds)], *bylen[5];
	size_t nbykind[NELEM(query_kinds)] = { 0 }, nbylen[5] = { 0 };
	for (size_t k = 0; k < NELEM(query_kinds); k++)
		bykind[k] = xcalloc(cap + 1, sizeof(double));
	for (size_t k = 0; k < 5; k++)
		bylen[k] = xcalloc(cap + 1, sizeof(double));

	/* one warm-up query: statements prepared, the first pages read */
	struct message *v;
	size_t n;
	if (messages_search(db, "warm", SEARCH_LIMIT, &v, &n) == 0)
		messages_free(v, n);
	double t0 = bench_now();
	for (size_t qi = 0; qi < nqs; qi++) {
		const char *t = qs[qi].text;
		size_t len = strlen(t);
		for (size_t end = 1; end <= len; end++) {
			/* one keystroke = one whole character */
			if (end < len && ((unsigned char)t[end] & 0xc0) == 0x80)
				continue;
			char prefix[sizeof qs[qi].text];
			memcpy(prefix, t, end);
			prefix[end] = '\0';
			double a = bench_now();
			int rc = messages_search(db, prefix, SEARCH_LIMIT, &v,
						 &n);
			double b = bench_now();
			if (rc < 0) {
				fprintf(stderr, "bench_messages: search '%s' "
					"failed\n", prefix);
				status = 1;
				n = 0;
				v = NULL;
			}
			if (end == len && n == 0)
				zero++;
			messages_free(v, n);
			ms[ns] = (b - a) * 1e3;
			sk[ns] = (struct stroke){ ms[ns], qi, end, n };
			for (size_t k = 0; k < NELEM(query_kinds); k++)
				if (qs[qi].kind == query_kinds[k])
					bykind[k][nbykind[k]++] = ms[ns];
			size_t wc = last_word_chars(t, end);
			size_t lb = wc <= 1 ? 0 : wc == 2 ? 1 : wc == 3 ? 2 :
				    wc <= 6 ? 3 : 4;
			bylen[lb][nbylen[lb]++] = ms[ns];
			ns++;
		}
	}
	double ts = bench_now() - t0;
	char label[96], sc[32];
	bench_scale(at, sc, sizeof sc);
	qsort(ms, ns, sizeof *ms, bench_cmp_double);
	printf("  %zu keystrokes over %zu queries in %.1f s; %zu full queries "
	       "found nothing%s\n", ns, nqs, ts, zero, zero ? " (CHECK: every "
	       "query comes from a stored message)" : "");
	snprintf(label, sizeof label, "messages %s: search keystroke p50", sc);
	bench_figure(label, bench_pct(ms, ns, 50), "ms", 0);
	snprintf(label, sizeof label, "messages %s: search keystroke p95", sc);
	bench_figure(label, bench_pct(ms, ns, 95), "ms",
		     at == 1e6 ? T_P95_1M_MS : 0);
	snprintf(label, sizeof label, "messages %s: search keystroke max", sc);
	bench_figure(label, ns ? ms[ns - 1] : 0, "ms", 0);
	printf("  by query kind (p50 / p95 / max ms, keystrokes):\n");
	for (size_t k = 0; k < NELEM(query_kinds); k++) {
		if (!nbykind[k])
			continue;
		qsort(bykind[k], nbykind[k], sizeof(double), bench_cmp_double);
		printf("    %-7s %8.2f %8.2f %8.2f  %zu\n", query_kinds[k],
		       bench_pct(bykind[k], nbykind[k], 50),
		       bench_pct(bykind[k], nbykind[k], 95),
		       bykind[k][nbykind[k] - 1], nbykind[k]);
	}
	static const char *const lens[] = { "1 char", "2 chars", "3 chars",
					    "4-6", "7+" };
	printf("  by length of the word being typed (p50 / p95 / max ms, "
	       "keystrokes):\n");
	for (size_t k = 0; k < 5; k++) {
		if (!nbylen[k])
			continue;
		qsort(bylen[k], nbylen[k], sizeof(double), bench_cmp_double);
		printf("    %-7s %8.2f %8.2f %8.2f  %zu\n", lens[k],
		       bench_pct(bylen[k], nbylen[k], 50),
		       bench_pct(bylen[k], nbylen[k], 95),
		       bylen[k][nbylen[k] - 1], nbylen[k]);
	}
	qsort(sk, ns, sizeof *sk, cmp_stroke);
	printf("  slowest keystrokes:\n");
	for (size_t i = 0; i < ns && i < 10; i++)
		printf("    %8.2f ms  %-6s '%.*s' (%zu hits)\n", sk[i].ms,
		       qs[sk[i].q].kind, (int)sk[i].len, qs[sk[i].q].text,
		       sk[i].hits);
	for (size_t k = 0; k < NELEM(query_kinds); k++)
		free(bykind[k]);
	for (size_t k = 0; k < 5; k++)
		free(bylen[k]);
	free(sk);
	free(ms);
	return status;
}

/* ---- main ---------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr, "usage: bench_messages [N] [--data DIR] [--keep] "
		"[--search-only] [--queries Q]\n");
}

int main(int argc, char **argv)
{
	size_t n = 1000000, nq = 200, nqs = 0;
	const char *data = NULL;
	bool keep = false, search_only = false, made_dir = false;
	char tmpl[] = "/tmp/confab-bench-msg-XXXXXX", *err = NULL;
	struct db *db = NULL;
	int status = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			data = argv[++i];
		else if (strcmp(argv[i], "--keep") == 0)
			keep = true;
		else if (strcmp(argv[i], "--search-only") == 0)
			search_only = true;
		else if (strcmp(argv[i], "--queries") == 0 && i + 1 < argc)
			nq = strtoul(argv[++i], NULL, 10);
		else if (argv[i][0] >= '0' && argv[i][0] <= '9')
			n = strtoul(argv[i], NULL, 10);
		else {
			usage();
			return 2;
		}
	}
	if (nq == 0 || nq > 10000 || n < 100) {
		usage();
		return 2;
	}
	if (search_only && !data) {
		fprintf(stderr, "bench_messages: --search-only needs --data "
			"DIR\n");
		return 2;
	}
	if (!data) {
		if (!(data = mkdtemp(tmpl))) {
			perror("mkdtemp");
			return 1;
		}
		made_dir = true;
	} else if (mkdir(data, 0700) == 0) {
		made_dir = true;
	} else if (errno != EEXIST) {
		perror(data);
		return 1;
	}
	char *dbp = xasprintf("%s/confab.db", data);
	char *wal = xasprintf("%s-wal", dbp), *shm = xasprintf("%s-shm", dbp);
	char *qf = xasprintf("%s/msg-queries.txt", data);
	char *logf = xasprintf("%s/confab.log", data);
	struct query *qs = xcalloc(nq, sizeof *qs);

	setvbuf(stdout, NULL, _IOLBF, 0);
	log_open(logf, LOG_WARN);
	double la[3] = { 0 };
	if (getloadavg(la, 3) < 0)
		la[0] = la[1] = la[2] = 0;
	printf("bench_messages: data in %s (load average %.2f %.2f %.2f, %ld "
	       "CPUs, SQLite %s)\n", data, la[0], la[1], la[2],
	       sysconf(_SC_NPROCESSORS_ONLN), sqlite3_libversion());
	vocab_init();
	colleagues_init();
	if (!search_only) {
		unlink(dbp);
		unlink(wal);
		unlink(shm);
		if (db_open(&db, dbp, db_client_migrations,
			    db_client_nmigrations, &err) < 0) {
			fprintf(stderr, "bench_messages: %s\n", err);
			return 1;
		}
		printf("\n[store] %zu messages, %d a transaction\n", n, TXN);
		if (fill(db, n, qs, nq, &nqs) < 0 ||
		    write_queries(qf, qs, nqs) < 0) {
			fprintf(stderr, "bench_messages: storing failed\n");
			return 1;
		}
		db_close(db);	/* checkpoints the WAL */
		db = NULL;
		printf("  database: %.1f MB (WAL after close: %.1f MB)\n",
		       (double)file_size(dbp) / 1048576.0,
		       (double)(file_size(wal) > 0 ? file_size(wal) : 0) /
		       1048576.0);
	} else {
		nqs = read_queries(qf, qs, nq);
	}
	if (!nqs) {
		fprintf(stderr, "bench_messages: no queries (%s)\n", qf);
		return 1;
	}

	/* as the TUI opens it */
	if (db_open(&db, dbp, db_client_migrations, db_client_nmigrations,
		    &err) < 0) {
		fprintf(stderr, "bench_messages: %s\n", err);
		return 1;
	}
	sqlite3_stmt *st;
	int64_t rows = 0;
	if (sqlite3_prepare_v2(db_handle(db), "SELECT count(*) FROM messages",
			       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		rows = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	char label[96], sc[32];
	double at = bench_scale((double)rows, sc, sizeof sc);
	snprintf(label, sizeof label, "messages %s: database size", sc);
	bench_figure(label, (double)file_size(dbp) / 1048576.0, "MB", 0);
	printf("\n[search] %zu queries typed a character at a time, %lld "
	       "messages, limit %d\n", nqs, (long long)rows, SEARCH_LIMIT);
	status = search(db, qs, nqs, at);
	db_close(db);

	if (!keep && !search_only) {
		unlink(dbp);
		unlink(wal);
		unlink(shm);
		unlink(qf);
		unlink(logf);
		if (made_dir)
			rmdir(data);
	}
	free(dbp), free(wal), free(shm), free(qf), free(logf), free(qs);
	for (size_t i = 0; i < nvocab; i++)
		free(vocab[i]);
	free(vocab);
	free(cdf);
	return status;
}
