/* src/server/http: libmicrohttpd glue.
 *
 * Bodies are collected up to conf.max_body, or a route's own limit for
 * pictures (larger ones are drained and answered 413), then the route
 * table picks the handler.  Every reply is
 * JSON ({"error":{"code","message"}} for errors) except /metrics.
 * Up to HTTP_CONN_MAX connections (the open-file limit is raised for
 * them); waiting long-polls are suspended (hub.c) and cost no thread.
 */
#include "server/server.h"
#include "store/server.h"
#include "common/log.h"
#include "common/str.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>

/* ---- libmicrohttpd's epoll loop ---------------------------------------------------- */

/* libmicrohttpd (0.9.75 as packaged; the loop is older) drains epoll with
 *
 *	n = MAX_EVENTS;
 *	while (n == MAX_EVENTS)
 *		n = epoll_wait(fd, ev, MAX_EVENTS, timeout);
 *
 * and handles the ready connections only after the loop.  When one call
 * returns exactly MAX_EVENTS (128) events, the next one blocks for the
 * whole timeout (forever when the thread's other connections are all
 * suspended long-polls) while those 128 requests wait unread.  A presence
 * change makes every watcher poll again at once, so it happens: without
 * this, tests/bench/bench_server's fan-out stalled in three of five runs
 * of 100 rounds (in none of eight with it).  This definition takes the
 * place of libc's for libmicrohttpd (the executable comes first in symbol
 * lookup): right after a full batch on the same descriptor, the thread's
 * next call does not block. */
static __thread int epoll_full_fd = -1;

int epoll_wait(int epfd, struct epoll_event *ev, int maxevents, int timeout)
{
	int n;

	if (epfd == epoll_full_fd)
		timeout = 0;
	n = epoll_pwait(epfd, ev, maxevents, timeout, NULL);
	epoll_full_fd = n == maxevents ? epfd : -1;
	return n;
}

/* One connection's request while its body arrives. */
struct conn {
	struct sbuf body;
	size_t max;		/* the route's body limit */
	bool too_big;
	struct events_wait ev;	/* a long-poll's state across wakeups */
};

void reply_error(struct reply *r, int status, const char *code,
		 const char *fmt, ...)
{
	va_list ap;
	struct sbuf b;

	sbuf_init(&b);
	va_start(ap, fmt);
	sbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	json_decref(r->json);
	r->status = status;
	/* a message may quote the client's bytes: keep it valid UTF-8 */
	if (!utf8_valid(sbuf_str(&b), b.len))
		for (size_t i = 0; i < b.len; i++)
			if ((unsigned char)b.s[i] >= 0x80)
				b.s[i] = '?';
	r->json = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message",
			    sbuf_str(&b));
	sbuf_free(&b);
}

json_t *req_json(struct req *q, struct reply *r)
{
	json_error_t e;
	json_t *j;

	if (!q->len) {
		reply_error(r, 400, "bad_request", "a JSON object was expected "
			    "in the body");
		return NULL;
	}
	j = json_loadb(q->body, q->len, JSON_REJECT_DUPLICATES, &e);
	if (!j) {
		atomic_fetch_add(&q->s->m.bad_json, 1);
		reply_error(r, 400, "bad_json", "the body is not valid JSON: %s "
			    "(at character %d)", e.text, e.position);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		reply_error(r, 400, "bad_request", "the body must be a JSON "
			    "object");
		return NULL;
	}
	return j;
}

int json_field(json_t *o, const char *name, bool required, size_t max,
	       const char **out, struct reply *r)
{
	json_t *v = json_object_get(o, name);

	*out = NULL;
	if (!v || json_is_null(v)) {
		if (!required)
			return 0;
		reply_error(r, 400, "bad_request", "field '%s' is missing",
			    name);
		return -1;
	}
	if (!json_is_string(v)) {
		reply_error(r, 400, "bad_request", "field '%s' must be a string",
			    name);
		return -1;
	}
	if (json_string_length(v) > max) {
		reply_error(r, 400, "bad_request", "field '%s' is longer than "
			    "%zu bytes", name, max);
		return -1;
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		reply_error(r, 400, "bad_request", "field '%s' holds a NUL "
			    "character", name);
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/* ---- the routes ------------------------------------------------------------------- */

static void healthz(struct req *q, struct reply *r)
{
	r->json = json_pack("{s:s,s:s,s:I}", "status", "ok", "version",
			    CONFABD_VERSION, "uptime",
			    (json_int_t)(time(NULL) - q->s->started));
}

static void metrics(struct req *q, struct reply *r)
{
	struct srv_metrics *m = &q->s->m;
	struct sbuf b;

	sbuf_init(&b);
#define C(name, help, v)                                                      \
	sbuf_printf(&b, "# HELP confabd_" name " " help "\n# TYPE confabd_"   \
		    name " counter\nconfabd_" name " %llu\n",                 \
		    (unsigned long long)atomic_load(&(v)))
	C("requests_total", "HTTP requests answered.", m->requests);
	sbuf_printf(&b, "# HELP confabd_responses_total Responses by status "
		    "class.\n# TYPE confabd_responses_total counter\n");
	sbuf_printf(&b, "confabd_responses_total{class=\"2xx\"} %llu\n",
		    (unsigned long long)atomic_load(&m->r2xx));
	sbuf_printf(&b, "confabd_responses_total{class=\"4xx\"} %llu\n",
		    (unsigned long long)atomic_load(&m->r4xx));
	sbuf_printf(&b, "confabd_responses_total{class=\"5xx\"} %llu\n",
		    (unsigned long long)atomic_load(&m->r5xx));
	C("logins_total", "Successful sign-ins.", m->logins_ok);
	C("login_failures_total", "Failed sign-ins.", m->logins_failed);
	C("login_throttled_total", "Sign-ins refused by throttling.",
	  m->logins_throttled);
	C("body_too_large_total", "Requests refused for their size.",
	  m->body_too_large);
	C("bad_json_total", "Requests with malformed JSON.", m->bad_json);
#undef C
	sbuf_printf(&b, "# HELP confabd_uptime_seconds Seconds since start.\n"
		    "# TYPE confabd_uptime_seconds gauge\n"
		    "confabd_uptime_seconds %lld\n",
		    (long long)(time(NULL) - q->s->started));
	sbuf_printf(&b, "# HELP confabd_longpolls_waiting Event long-polls "
		    "held open.\n# TYPE confabd_longpolls_waiting gauge\n"
		    "confabd_longpolls_waiting %zu\n", hub_waiting(q->s));
	r->text = sbuf_take(&b);
	r->content_type = "text/plain; version=0.0.4";
}

static const struct route {
	const char *method, *path;
	void (*fn)(struct req *q, struct reply *r);
} routes[] = {
	{ "GET", "/healthz", healthz },
	{ "GET", "/metrics", metrics },
	{ "GET", "/v1/setup", api_setup_get },
	{ "POST", "/v1/setup", api_setup },
	{ "POST", "/v1/login", api_login },
	{ "POST", "/v1/logout", api_logout },
	{ "POST", "/v1/bye", api_bye },
	{ "GET", "/v1/me", api_me },
	{ "POST", "/v1/password", api_password },
	{ "POST", "/v1/password/reset", api_reset_request },
	{ "POST", "/v1/password/reset/confirm", api_reset_confirm },
	{ "GET", "/v1/users", api_users_list },
	{ "POST", "/v1/users", api_user_add },
	{ "GET", "/v1/users/*", api_user_get },
	{ "PATCH", "/v1/users/*", api_user_edit },
	{ "POST", "/v1/presence", api_presence },
	{ "GET", "/v1/monitor", api_monitor_list },
	{ "POST", "/v1/monitor", api_monitor_request },
	{ "POST", "/v1/monitor/accept", api_monitor_accept },
	{ "POST", "/v1/monitor/decline", api_monitor_decline },
	{ "DELETE", "/v1/monitor/*", api_monitor_remove },
	{ "PUT", "/v1/users/*/photo", api_photo_put },
	{ "GET", "/v1/users/*/photo", api_photo_get },
	{ "DELETE", "/v1/users/*/photo", api_photo_delete },
	{ "GET", "/v1/company", api_company_get },
	{ "PATCH", "/v1/company", api_company_edit },
	{ "PUT", "/v1/company/logo", api_logo_put },
	{ "GET", "/v1/company/logo", api_logo_get },
	{ "DELETE", "/v1/company/logo", api_logo_delete },
	{ "POST", "/v1/messages", api_messages_post },
	{ "GET", "/v1/messages", api_messages_get },
	{ "GET", "/v1/messages/*", api_message_get },
	{ "PATCH", "/v1/messages/*", api_message_patch },
	{ "DELETE", "/v1/messages/*", api_message_delete },
	{ "POST", "/v1/announcements", api_announce },
	{ "POST", "/v1/reminders", api_reminder },
	{ "POST", "/v1/attachments", api_att_post },
	{ "GET", "/v1/attachments/*", api_att_get },
	{ "GET", "/v1/sync", api_sync_get },
	{ "POST", "/v1/sync", api_sync_post },
	{ "POST", "/v1/calls", api_calls_post },
	{ "GET", "/v1/calls", api_calls_list },
	{ "GET", "/v1/calls/*", api_call_get },
	{ "POST", "/v1/calls/*/ringing", api_call_ringing },
	{ "POST", "/v1/calls/*/answer", api_call_answer },
	{ "POST", "/v1/calls/*/reject", api_call_reject },
	{ "POST", "/v1/calls/*/busy", api_call_busy },
	{ "POST", "/v1/calls/*/cancel", api_call_cancel },
	{ "POST", "/v1/calls/*/hangup", api_call_hangup },
	{ "POST", "/v1/calls/*/candidate", api_call_candidate },
	{ "POST", "/v1/calls/*/hold", api_call_hold },
	{ "GET", "/v1/turn", api_turn },
};

const char *req_query(struct req *q, const char *name)
{
	return q->conn ? MHD_lookup_connection_value(q->conn,
			MHD_GET_ARGUMENT_KIND, name) : NULL;
}

/* A star in a pattern matches one path segment (not empty, no slash):
 * "/v1/users/" + star matches "/v1/users/alice" with rest "alice", and
 * "/v1/users/" + star + "/photo" matches "/v1/users/alice/photo" with
 * rest "alice/photo" (rest: from the first star on). */
static bool path_match(const char *pat, const char *path, const char **rest)
{
	*rest = NULL;
	while (*pat) {
		if (*pat == '*') {
			size_t seg = strcspn(path, "/");
			if (!seg)
				return false;
			if (!*rest)
				*rest = path;
			path += seg;
			pat++;
		} else if (*pat++ != *path++) {
			return false;
		}
	}
	return !*path;
}

/* Routes whose bodies may be larger than conf.max_body (pictures). */
static const struct body_limit {
	const char *method, *path;
	size_t max;
} body_limits[] = {
	{ "PUT", "/v1/users/*/photo", MEDIA_BODY_MAX },
	{ "PUT", "/v1/company/logo", MEDIA_BODY_MAX },
	{ "POST", "/v1/attachments", ATTACH_MAX },
	/* a batch of messages */
	{ "POST", "/v1/messages", 500 * (MSG_BODY_MAX / 4) },
	{ "POST", "/v1/sync", 32u << 20 },	/* 500 changes */
};

static size_t body_max(struct srv *s, const char *method, const char *url)
{
	const char *rest;

	for (size_t i = 0; i < sizeof body_limits / sizeof body_limits[0];
	     i++)
		if (strcmp(body_limits[i].method, method) == 0 &&
		    path_match(body_limits[i].path, url, &rest) &&
		    body_limits[i].max > s->conf.max_body)
			return body_limits[i].max;
	return s->conf.max_body;
}

void http_dispatch(struct req *q, struct reply *r)
{
	bool path_known = false;

	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		const char *rest;
		if (!path_match(routes[i].path, q->path, &rest))
			continue;
		path_known = true;
		q->rest = rest;
		if (strcmp(routes[i].method, q->method) == 0) {
			routes[i].fn(q, r);
			return;
		}
	}
	if (path_known)
		reply_error(r, 405, "method_not_allowed", "%s is not allowed "
			    "on %s", q->method, q->path);
	else
		reply_error(r, 404, "not_found", "no such resource: %s",
			    q->path);
}

/* ---- libmicrohttpd ------------------------------------------------------------------ */

static enum MHD_Result send_reply(struct srv *s, struct MHD_Connection *c,
				  struct reply *r)
{
	char *body;
	size_t len;
	struct MHD_Response *resp;
	enum MHD_Result ok;

	if (r->data) {
		body = r->data;
		len = r->data_len;
		r->data = NULL;
		goto ready;
	} else if (r->text) {
		body = r->text;
		r->text = NULL;
	} else {
		if (!r->json)
			reply_error(r, 500, "internal", "no reply was made");
		body = json_dumps(r->json, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (!body) {
			body = xstrdup("{\"error\":{\"code\":\"internal\","
				       "\"message\":\"cannot encode\"}}");
			r->status = 500;
		}
	}
	len = strlen(body);
	body = xrealloc(body, len + 2);
	body[len++] = '\n';
	body[len] = '\0';
ready:
	resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Content-Type", r->content_type ?
				r->content_type : "application/json");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->sha256)
		MHD_add_response_header(resp, "X-Content-SHA256", r->sha256);
	if (r->retry_after > 0) {
		char ra[24];
		snprintf(ra, sizeof ra, "%d", r->retry_after);
		MHD_add_response_header(resp, "Retry-After", ra);
	}
	if (!r->status)
		r->status = 200;
	ok = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	atomic_fetch_add(&s->m.requests, 1);
	if (r->status < 300)
		atomic_fetch_add(&s->m.r2xx, 1);
	else if (r->status < 500)
		atomic_fetch_add(&s->m.r4xx, 1);
	else
		atomic_fetch_add(&s->m.r5xx, 1);
	json_decref(r->json);
	r->json = NULL;
	free(r->sha256);
	free(r->type_owned);
	r->sha256 = r->type_owned = NULL;
	return ok;
}

static void client_addr(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	snprintf(out, n, "?");
	if (!ci || !ci->client_addr)
		return;
	getnameinfo(ci->client_addr, ci->client_addr->sa_family == AF_INET6 ?
		    sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in),
		    out, (socklen_t)n, NULL, 0, NI_NUMERICHOST);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct srv *s = cls;
	struct conn *cn = *con_cls;

	(void)version;
	if (!cn) {		/* headers are in; the body may follow */
		cn = xcalloc(1, sizeof *cn);
		sbuf_init(&cn->body);
		cn->max = body_max(s, method, url);
		*con_cls = cn;
		return MHD_YES;
	}
	if (*upload_size) {
		if (cn->body.len + *upload_size > cn->max)
			cn->too_big = true;	/* drain, answer at the end */
		else
			sbuf_addn(&cn->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	struct reply r = { 0 };
	if (cn->too_big) {
		atomic_fetch_add(&s->m.body_too_large, 1);
		reply_error(&r, 413, "too_large", "the request body is larger "
			    "than %zu bytes", cn->max);
		return send_reply(s, c, &r);
	}
	struct req q = { .s = s, .method = method, .path = url,
			 .body = cn->body.len ? cn->body.s : "",
			 .len = cn->body.len };
	q.auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					     MHD_HTTP_HEADER_AUTHORIZATION);
	q.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					MHD_HTTP_HEADER_CONTENT_TYPE);
	client_addr(c, q.addr, sizeof q.addr);
	q.conn = c;
	if (strcmp(url, "/v1/events") == 0 && strcmp(method, "GET") == 0) {
		if (api_events(&q, &r, &cn->ev) == 1) {
			if (q.user) {
				srv_user_clear(q.user);
				free(q.user);
			}
			return MHD_YES;	/* suspended until woken */
		}
	} else {
		http_dispatch(&q, &r);
	}
	if (q.user) {
		srv_user_clear(q.user);
		free(q.user);
	}
	if (r.status >= 500)
		log_err("http", "%s %s: %d", method, url, r.status);
	else
		log_debug("http", "%s %s: %d", method, url, r.status ? r.status
								    : 200);
	return send_reply(s, c, &r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn *cn = *con_cls;

	(void)cls, (void)c, (void)toe;
	if (cn) {
		sbuf_free(&cn->body);
		free(cn);
		*con_cls = NULL;
	}
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[512];

	(void)cls;
	vsnprintf(buf, sizeof buf, fmt, ap);
	str_trim(buf);
	log_warn("mhd", "%s", buf);
}

static char *slurp(const char *path, char **err)
{
	FILE *f = fopen(path, "rb");
	struct sbuf b;
	char buf[4096];
	size_t n;

	if (!f) {
		*err = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	sbuf_init(&b);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sbuf_addn(&b, buf, n);
	fclose(f);
	return sbuf_take(&b);
}

/* "ADDR:PORT", "[v6]:PORT" or ":PORT" into a socket address. */
static int parse_listen(const char *spec, struct sockaddr_storage *ss,
			char **err)
{
	char host[128] = "", *colon;
	const char *port;

	if (spec[0] == '[') {
		const char *end = strchr(spec, ']');
		if (!end || end[1] != ':')
			goto bad;
		snprintf(host, sizeof host, "%.*s", (int)(end - spec - 1),
			 spec + 1);
		port = end + 2;
	} else {
		snprintf(host, sizeof host, "%s", spec);
		colon = strrchr(host, ':');
		if (!colon)
			goto bad;
		*colon = '\0';
		port = spec + (colon - host) + 1;
	}
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
				  .ai_socktype = SOCK_STREAM }, *ai;
	if (getaddrinfo(*host ? host : "0.0.0.0", port, &hints, &ai) != 0)
		goto bad;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	freeaddrinfo(ai);
	return 0;
bad:
	*err = xasprintf("listen: '%s' is not ADDRESS:PORT (e.g. "
			 "127.0.0.1:8740 or [::1]:8740)", spec);
	return -1;
}

/* Connections: as many as confabd aims to hold (mostly long-polls, which
 * cost memory, not threads), and descriptors kept back for the database,
 * the log, mail and the pool's own epoll and wakeup descriptors. */
#define HTTP_CONN_MAX 65536
#define HTTP_FD_RESERVE 64
/* Idle keep-alive connections are closed after this; a suspended
 * long-poll (at most 60 s, see events.c) is not subject to it. */
#define HTTP_IDLE_TIMEOUT 120

/* The connection limit the open-file limit allows, raising the soft limit
 * towards the hard one first (a service manager's default soft limit of
 * 1024 would cap confabd at about a thousand clients). */
static unsigned conn_limit(void)
{
	const rlim_t want = HTTP_CONN_MAX + HTTP_FD_RESERVE;
	struct rlimit rl;
	rlim_t have;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 1000;
	have = rl.rlim_cur;
	if (have != RLIM_INFINITY && have < want) {
		struct rlimit nl = rl;
		nl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want
			      ? want : rl.rlim_max;
		if (nl.rlim_cur > have && setrlimit(RLIMIT_NOFILE, &nl) == 0) {
			log_info("http", "open-file limit raised from %llu to "
				 "%llu", (unsigned long long)have,
				 (unsigned long long)nl.rlim_cur);
			have = nl.rlim_cur;
		}
	}
	if (have == RLIM_INFINITY || have >= want)
		return HTTP_CONN_MAX;
	unsigned n = have > 2 * HTTP_FD_RESERVE ?
		     (unsigned)(have - HTTP_FD_RESERVE) : (unsigned)have / 2;
	if (n < 10000)
		log_warn("http", "the open-file limit (%llu, hard %llu) allows "
			 "only %u connections: raise it (ulimit -Hn, systemd "
			 "LimitNOFILE=) for more clients",
			 (unsigned long long)have,
			 (unsigned long long)rl.rlim_max, n);
	return n;
}

struct MHD_Daemon *http_start(struct srv *s, char **err)
{
	struct sockaddr_storage ss;
	/* epoll (see epoll_wait() above for the one fix it needs): poll()
	 * would cost every request a scan of all idle keep-alive
	 * connections, and with 8000 of them halved the request rate */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
			 MHD_USE_ITC;
	char *cert = NULL, *key = NULL;
	struct MHD_Daemon *d;

	memset(&ss, 0, sizeof ss);
	if (parse_listen(s->conf.listen, &ss, err) < 0)
		return NULL;
	unsigned limit = conn_limit();
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (s->conf.tls_cert) {
		if (!(cert = slurp(s->conf.tls_cert, err)) ||
		    !(key = slurp(s->conf.tls_key, err))) {
			free(cert);
			return NULL;
		}
		flags |= MHD_USE_TLS;
	}
	if (cert)
		d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
			MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
			MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->conf.threads,
			MHD_OPTION_CONNECTION_TIMEOUT,
			(unsigned)HTTP_IDLE_TIMEOUT,
			MHD_OPTION_CONNECTION_LIMIT, limit,
			MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
			MHD_OPTION_HTTPS_MEM_CERT, cert,
			MHD_OPTION_HTTPS_MEM_KEY, key,
			MHD_OPTION_END);
	else
		d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
			MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
			MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->conf.threads,
			MHD_OPTION_CONNECTION_TIMEOUT,
			(unsigned)HTTP_IDLE_TIMEOUT,
			MHD_OPTION_CONNECTION_LIMIT, limit,
			MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
			MHD_OPTION_END);
	free(cert);
	free(key);
	if (!d)
		*err = xasprintf("cannot listen on %s: %s", s->conf.listen,
				 errno ? strerror(errno) :
					 "the HTTP server did not start");
	return d;
}

int http_port(struct MHD_Daemon *d)
{
	const union MHD_DaemonInfo *i =
		MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);

	return i ? i->port : 0;
}

/* Answer the long-polls, stop taking connections, give the ones in
 * flight up to 5 s, stop. */
void http_stop(struct srv *s, struct MHD_Daemon *d)
{
	hub_drain(s);
	MHD_quiesce_daemon(d);
	for (int i = 0; i < 100; i++) {
		const union MHD_DaemonInfo *n = MHD_get_daemon_info(
			d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
		if (!n || n->num_connections == 0)
			break;
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(d);
}
