/* src/server/mail: sending mail over SMTP with libcurl.
 *
 * Requests never talk to the mail server themselves: they queue a message
 * (or the making of one, see codes.c) and one worker thread sends the
 * queue in turn.  So a slow or dead mail server delays no reply, and a
 * reply's timing does not tell whether a mail was made.  The queue is
 * bounded (QUEUE_MAX); at shutdown the mail being sent is aborted within
 * about a second and what is still queued is dropped, each with a log line.
 *
 * TLS comes from the URL (smtps://: TLS from the start) or, for smtp://,
 * from smtp_starttls = yes, which refuses to send unless the server takes
 * STARTTLS.  smtp_user and smtp_password, when set, sign in (SMTP AUTH).
 */
#include "server/server.h"
#include "common/log.h"
#include "common/str.h"

#include <curl/curl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define QUEUE_MAX 200		/* mails waiting; more are dropped */
#define CONNECT_TIMEOUT 15L	/* seconds */
#define SEND_TIMEOUT 60L	/* seconds for a whole mail */

struct job {
	struct job *next;
	mail_make_fn *make;	/* NULL: msg is ready */
	char *arg;
	struct mail_msg msg;
};

struct mailer {
	pthread_mutex_t lock;	/* the queue */
	pthread_cond_t wake;
	struct job *head, **tail;
	size_t n;
	pthread_t thread;
	atomic_bool stop;	/* also read by curl's progress callback */
	bool curl_ready;
};

void mail_msg_clear(struct mail_msg *m)
{
	free(m->to);
	free(m->subject);
	if (m->body)		/* it carries a code */
		sodium_memzero(m->body, strlen(m->body));
	free(m->body);
	memset(m, 0, sizeof *m);
}

bool mail_addr_ok(const char *a)
{
	const char *at;
	size_t n;

	if (!a || (n = strlen(a)) < 3 || n > 254)
		return false;
	/* nothing that could end a header line or an SMTP command */
	for (const unsigned char *p = (const unsigned char *)a; *p; p++)
		if (*p <= ' ' || *p == 0x7f || strchr("<>()[],;:\\\"", *p))
			return false;
	at = strchr(a, '@');
	return at && at != a && at[1] && !strchr(at + 1, '@');
}

char *mail_bare_addr(const char *from)
{
	const char *lt = strrchr(from, '<'), *gt;
	char *a;

	if (lt) {
		gt = strchr(lt, '>');
		if (!gt || gt[1])
			return NULL;
		a = xstrndup(lt + 1, (size_t)(gt - lt - 1));
	} else {
		a = xstrdup(from);
	}
	if (!mail_addr_ok(a)) {
		free(a);
		return NULL;
	}
	return a;
}

/* The URL without a user:password part, for logs. */
static char *url_for_log(const char *url)
{
	const char *host = strstr(url, "://"), *at = NULL;

	if (!host)
		return xstrdup(url);
	host += 3;
	for (const char *p = host; *p && !strchr("/?#", *p); p++)
		if (*p == '@')
			at = p;
	if (!at)
		return xstrdup(url);
	return xasprintf("%.*s%s", (int)(host - url), url, at + 1);
}

/* RFC 5322 date in UTC; names spelt out, not from the locale. */
static void mail_date(char *out, size_t n)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed",
					    "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
					      "May", "Jun", "Jul", "Aug",
					      "Sep", "Oct", "Nov", "Dec" };
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d +0000",
		 days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
		 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The message as it goes over the wire: headers, a blank line and the
 * body, every line ending in CRLF (libcurl dot-stuffs it). */
static char *message(const struct srv_conf *c, const struct mail_msg *m,
		     const char *from_addr)
{
	char date[64], id[33];
	uint8_t rnd[16];
	struct sbuf b;
	const char *p;

	mail_date(date, sizeof date);
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(id, sizeof id, rnd, sizeof rnd);
	sbuf_init(&b);
	sbuf_printf(&b, "Date: %s\r\nFrom: %s\r\nTo: %s\r\nSubject: %s\r\n"
		    "Message-ID: <%s@%s>\r\nMIME-Version: 1.0\r\n"
		    "Content-Type: text/plain; charset=UTF-8\r\n"
		    "Content-Transfer-Encoding: 8bit\r\n"
		    "Auto-Submitted: auto-generated\r\n\r\n", date,
		    c->smtp_from, m->to, m->subject, id,
		    strchr(from_addr, '@') + 1);
	for (p = m->body; *p; p++)
		if (*p == '\n')
			sbuf_add(&b, "\r\n");
		else if (*p != '\r')
			sbuf_addc(&b, *p);
	if (p == m->body || p[-1] != '\n')
		sbuf_add(&b, "\r\n");
	return sbuf_take(&b);
}

struct src {
	const char *p;
	size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *arg)
{
	struct src *s = arg;
	size_t n = size * nmemb < s->left ? size * nmemb : s->left;

	memcpy(buf, s->p, n);
	s->p += n;
	s->left -= n;
	return n;
}

/* Called about once a second while curl works: shutdown aborts it. */
static int progress_cb(void *arg, curl_off_t dt, curl_off_t dn,
		       curl_off_t ut, curl_off_t un)
{
	atomic_bool *stop = arg;

	(void)dt, (void)dn, (void)ut, (void)un;
	return stop && atomic_load(stop);
}

static void set_options(CURL *h, const struct srv_conf *c, atomic_bool *stop)
{
	curl_easy_setopt(h, CURLOPT_URL, c->smtp_url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#endif
	if (c->smtp_user)
		curl_easy_setopt(h, CURLOPT_USERNAME, c->smtp_user);
	if (c->smtp_password)
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->smtp_password);
	if (c->smtp_starttls)
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, SEND_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);	/* threads */
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, progress_cb);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, stop);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
}

/* One SMTP transaction: 0, or -1 with *err saying why. */
static int smtp_send(const struct srv_conf *c, const struct mail_msg *m,
		     atomic_bool *stop, char **err)
{
	char ebuf[CURL_ERROR_SIZE] = "";
	char *from = c->smtp_from ? mail_bare_addr(c->smtp_from) : NULL;
	struct curl_slist *rcpt = NULL;
	CURL *h;

	if (!c->smtp_url || !from) {
		*err = xstrdup("no smtp_url or smtp_from is set");
		free(from);
		return -1;
	}
	if (!mail_addr_ok(m->to)) {
		*err = xasprintf("'%s' is not a mail address", m->to);
		free(from);
		return -1;
	}
	if (!(h = curl_easy_init())) {
		*err = xstrdup("libcurl cannot start");
		free(from);
		return -1;
	}
	char *text = message(c, m, from), *env_from = xasprintf("<%s>", from),
	     *env_to = xasprintf("<%s>", m->to);
	struct src src = { text, strlen(text) };
	rcpt = curl_slist_append(rcpt, env_to);
	set_options(h, c, stop);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, env_from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READDATA, &src);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)src.left);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	CURLcode rc = curl_easy_perform(h);
	if (rc != CURLE_OK)
		*err = *ebuf ? xasprintf("%s (%s)", ebuf,
					 curl_easy_strerror(rc)) :
			       xstrdup(curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	sodium_memzero(text, strlen(text));
	free(text);
	free(env_from);
	free(env_to);
	free(from);
	return rc == CURLE_OK ? 0 : -1;
}

/* Send and log the outcome either way. */
static int deliver(struct srv *s, const struct mail_msg *m, atomic_bool *stop)
{
	char *err = NULL;
	int rc = smtp_send(&s->conf, m, stop, &err);

	if (rc == 0) {
		log_info("mail", "sent '%s' to %s", m->subject, m->to);
	} else {
		char *url = s->conf.smtp_url ? url_for_log(s->conf.smtp_url) :
					       xstrdup("(none)");
		log_err("mail", "cannot send '%s' to %s via %s: %s",
			m->subject, m->to, url, err);
		free(url);
	}
	free(err);
	return rc;
}

static void job_free(struct job *j)
{
	free(j->arg);
	mail_msg_clear(&j->msg);
	free(j);
}

static void run(struct srv *s, struct job *j, atomic_bool *stop)
{
	if (j->make && j->make(s, j->arg, &j->msg) != 0)
		return;		/* nothing to send; make said why */
	deliver(s, &j->msg, stop);
}

static void *worker(void *arg)
{
	struct srv *s = arg;
	struct mailer *m = s->mail;

	pthread_mutex_lock(&m->lock);
	for (;;) {
		while (!m->head && !atomic_load(&m->stop))
			pthread_cond_wait(&m->wake, &m->lock);
		if (atomic_load(&m->stop))
			break;
		struct job *j = m->head;
		m->head = j->next;
		if (!m->head)
			m->tail = &m->head;
		m->n--;
		pthread_mutex_unlock(&m->lock);
		run(s, j, &m->stop);
		job_free(j);
		pthread_mutex_lock(&m->lock);
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

int mail_start(struct srv *s)
{
	struct mailer *m = xcalloc(1, sizeof *m);

	/* before the HTTP threads exist: curl_global_init is not thread-safe */
	if (s->conf.smtp_url) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			log_err("mail", "libcurl cannot start");
			free(m);
			return -1;
		}
		m->curl_ready = true;
	}
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->wake, NULL);
	m->tail = &m->head;
	atomic_init(&m->stop, false);
	s->mail = m;
	if (s->conf.smtp_url) {
		char *url = url_for_log(s->conf.smtp_url);
		log_info("mail", "codes are mailed from %s through %s%s%s",
			 s->conf.smtp_from, url, s->conf.smtp_user ?
			 " (signing in)" : "", s->conf.smtp_starttls ?
			 " (STARTTLS required)" : "");
		free(url);
	} else {
		log_info("mail", "no smtp_url: reset codes are not mailed "
			 "(`confabd admin reset-code` makes one)");
	}
	if (pthread_create(&m->thread, NULL, worker, s) != 0) {
		s->mail = NULL;
		if (m->curl_ready)
			curl_global_cleanup();
		pthread_cond_destroy(&m->wake);
		pthread_mutex_destroy(&m->lock);
		free(m);
		return -1;
	}
	return 0;
}

void mail_stop(struct srv *s)
{
	struct mailer *m = s->mail;

	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	atomic_store(&m->stop, true);
	pthread_cond_signal(&m->wake);
	pthread_mutex_unlock(&m->lock);
	pthread_join(m->thread, NULL);
	while (m->head) {
		struct job *j = m->head;
		m->head = j->next;
		if (j->make)	/* arg is the client's text: not logged */
			log_warn("mail", "stopping: a queued mail (not made "
				 "yet) was dropped");
		else
			log_warn("mail", "stopping: '%s' to %s was not sent",
				 j->msg.subject, j->msg.to);
		job_free(j);
	}
	if (m->curl_ready)
		curl_global_cleanup();
	pthread_cond_destroy(&m->wake);
	pthread_mutex_destroy(&m->lock);
	free(m);
	s->mail = NULL;
}

/* Append j (taken over); -1 when the queue is full or stopping. */
static int push(struct mailer *m, struct job *j)
{
	int rc = -1;

	pthread_mutex_lock(&m->lock);
	if (!atomic_load(&m->stop) && m->n < QUEUE_MAX) {
		*m->tail = j;
		m->tail = &j->next;
		m->n++;
		pthread_cond_signal(&m->wake);
		rc = 0;
	}
	pthread_mutex_unlock(&m->lock);
	if (rc < 0) {
		if (j->make)
			log_err("mail", "the mail queue is full (%d): a "
				"mail not made yet is dropped", QUEUE_MAX);
		else
			log_err("mail", "the mail queue is full (%d): '%s' to "
				"%s is dropped", QUEUE_MAX, j->msg.subject,
				j->msg.to);
		job_free(j);
	}
	return rc;
}

int mail_queue(struct srv *s, struct mail_msg *m)
{
	if (!s->mail) {		/* admin commands: now, and say how it went */
		int rc = deliver(s, m, NULL);
		mail_msg_clear(m);
		return rc;
	}
	struct job *j = xcalloc(1, sizeof *j);
	j->msg = *m;
	memset(m, 0, sizeof *m);
	return push(s->mail, j);
}

int mail_defer(struct srv *s, mail_make_fn *make, const char *arg)
{
	if (!s->mail) {
		struct mail_msg m = { 0 };
		int rc = make(s, arg, &m) == 0 ? deliver(s, &m, NULL) : 0;
		mail_msg_clear(&m);
		return rc;
	}
	struct job *j = xcalloc(1, sizeof *j);
	j->make = make;
	j->arg = xstrdup(arg);
	return push(s->mail, j);
}
