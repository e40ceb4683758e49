/* store/import_feed: a vCard file read and parsed on a second thread. */
#include "store/import_feed.h"
#include "store/contacts.h"
#include "store/formats/vcard.h"
#include "common/str.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define FEED_CHUNK (1u << 20)	/* the file is read 1 MiB at a time */
#define FEED_SLOTS 256		/* cards queued at most */
/* Each side sleeps until there is a batch to do, so the two threads do
 * not wake each other at every card. */
#define FEED_BATCH 32

struct feed {
	pthread_t thread;
	int fd;
	const char *region;

	pthread_mutex_t lock;
	pthread_cond_t can_put, can_take;
	struct feed_item q[FEED_SLOTS];
	size_t head, n;
	bool putter_waits, taker_waits;
	bool stop;		/* the taker is done: end early */
	bool done;		/* the reader has put its last item */

	/* the reader's own; read by the taker once it has ended */
	unsigned line_base;	/* lines of the file before this chunk */
	bool any;
	int rc;
	char *err;
};

ssize_t import_read_more(int fd, struct sbuf *b, size_t want)
{
	size_t got = 0;

	while (got < want) {
		char buf[65536];
		size_t n = want - got < sizeof buf ? want - got : sizeof buf;
		ssize_t k = read(fd, buf, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		if (k == 0)
			break;
		sbuf_addn(b, buf, (size_t)k);
		got += (size_t)k;
	}
	return (ssize_t)got;
}

/* ---- the queue ------------------------------------------------------------ */

/* Put one item; false when the taker has stopped (the item is not
 * taken then, and stays the caller's). */
static bool put(struct feed *f, const struct feed_item *it)
{
	bool ok;

	pthread_mutex_lock(&f->lock);
	while (f->n == FEED_SLOTS && !f->stop) {
		f->putter_waits = true;
		pthread_cond_wait(&f->can_put, &f->lock);
	}
	ok = !f->stop;
	if (ok) {
		f->q[(f->head + f->n) % FEED_SLOTS] = *it;
		f->n++;
		if (f->taker_waits && (f->n >= FEED_BATCH ||
				       it->kind == FEED_PROGRESS)) {
			f->taker_waits = false;
			pthread_cond_signal(&f->can_take);
		}
	}
	pthread_mutex_unlock(&f->lock);
	return ok;
}

bool feed_next(struct feed *f, struct feed_item *it)
{
	bool got;

	pthread_mutex_lock(&f->lock);
	while (f->n == 0 && !f->done) {
		f->taker_waits = true;
		pthread_cond_wait(&f->can_take, &f->lock);
	}
	got = f->n > 0;
	if (got) {
		*it = f->q[f->head];
		f->head = (f->head + 1) % FEED_SLOTS;
		f->n--;
		if (f->putter_waits && f->n <= FEED_SLOTS - FEED_BATCH) {
			f->putter_waits = false;
			pthread_cond_signal(&f->can_put);
		}
	}
	pthread_mutex_unlock(&f->lock);
	return got;
}

/* ---- the reader ----------------------------------------------------------- */

/* Lines in s[0..n), counted as the vCard reader counts them. */
static unsigned count_lines(const char *s, size_t n)
{
	unsigned lines = 0;

	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == n ||
							s[i + 1] != '\n')))
			lines++;
	return lines;
}

/* Where the last card that starts in b->s begins, so that everything
 * before it is whole cards; 0 when there is no such place yet. */
static size_t last_card_start(const struct sbuf *b)
{
	for (size_t i = b->len; i-- > 1;)
		if (b->s[i - 1] == '\n' && b->len - i >= 11 &&
		    strncasecmp(b->s + i, "BEGIN:VCARD", 11) == 0)
			return i;
	return 0;
}

static int on_card(void *arg, struct contact *c, unsigned line,
		   const char *why)
{
	struct feed *f = arg;
	struct feed_item it = { .kind = c ? FEED_CARD : FEED_SKIP, .c = c,
				.line = line + f->line_base };

	if (c)
		contacts_normalise(c, f->region);
	else
		it.why = xstrdup(why ? why : "unreadable");
	if (put(f, &it))
		return 0;
	contact_free(c);
	free(it.why);
	return 1;
}

static void *reader_main(void *arg)
{
	struct feed *f = arg;
	struct sbuf b;
	size_t done = 0;
	bool eof = false;

	sbuf_init(&b);
	while (!eof && f->rc == 0) {
		ssize_t k = import_read_more(f->fd, &b, FEED_CHUNK);
		if (k < 0) {
			f->err = xasprintf("cannot read: %s", strerror((int)-k));
			f->rc = (int)k;
			break;
		}
		eof = k == 0 || (size_t)k < FEED_CHUNK;
		size_t cut = eof ? b.len : last_card_start(&b);
		if (cut == 0)
			continue;	/* one card bigger than a chunk */
		int n = vcard_parse(b.s, cut, on_card, f, NULL);
		f->any |= n > 0;
		f->line_base += count_lines(b.s, cut);
		done += cut;
		memmove(b.s, b.s + cut, b.len - cut);
		b.len -= cut;
		b.s[b.len] = '\0';
		if (!put(f, &(struct feed_item){ .kind = FEED_PROGRESS,
						 .done = done }))
			break;
	}
	sbuf_free(&b);
	pthread_mutex_lock(&f->lock);
	f->done = true;
	pthread_cond_signal(&f->can_take);
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

/* ---- life ----------------------------------------------------------------- */

int feed_start(struct feed **fp, int fd, const char *region)
{
	struct feed *f = calloc(1, sizeof *f);
	int rc;

	*fp = NULL;
	if (!f)
		return -ENOMEM;
	f->fd = fd;
	f->region = region;
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->can_put, NULL);
	pthread_cond_init(&f->can_take, NULL);
	rc = pthread_create(&f->thread, NULL, reader_main, f);
	if (rc != 0) {
		pthread_cond_destroy(&f->can_take);
		pthread_cond_destroy(&f->can_put);
		pthread_mutex_destroy(&f->lock);
		free(f);
		return -rc;
	}
	*fp = f;
	return 0;
}

int feed_finish(struct feed *f, bool *any, char **err)
{
	int rc;

	pthread_mutex_lock(&f->lock);
	f->stop = true;
	pthread_cond_signal(&f->can_put);
	pthread_mutex_unlock(&f->lock);
	pthread_join(f->thread, NULL);
	for (size_t i = 0; i < f->n; i++) {	/* left when stopped early */
		struct feed_item *it = &f->q[(f->head + i) % FEED_SLOTS];
		contact_free(it->c);
		free(it->why);
	}
	*any = f->any;
	rc = f->rc;
	if (rc == 0 && !f->any)
		rc = -EINVAL;
	*err = f->err;
	pthread_cond_destroy(&f->can_take);
	pthread_cond_destroy(&f->can_put);
	pthread_mutex_destroy(&f->lock);
	free(f);
	return rc;
}
