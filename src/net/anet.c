/* net/anet: libcurl multi on the client's loop. */
#include "net/anet.h"
#include "app/loop.h"
#include "common/log.h"
#include "common/str.h"

#include <curl/curl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

struct xfer {
	struct api_xfer x;
	int id;
	anet_done done;
	void *arg;
	struct xfer *next;
};

struct anet {
	struct loop *loop;
	CURLM *multi;
	struct xfer *list;
	int next_id;
	int timer;		/* loop timer for curl's timeout, 0 = none */
	int running;
};

static struct xfer *find_easy(struct anet *n, CURL *e, struct xfer ***prev)
{
	for (struct xfer **p = &n->list; *p; p = &(*p)->next)
		if ((*p)->x.easy == e) {
			if (prev)
				*prev = p;
			return *p;
		}
	return NULL;
}

static void unlink_free(struct anet *n, struct xfer **p)
{
	struct xfer *x = *p;

	*p = x->next;
	curl_multi_remove_handle(n->multi, x->x.easy);
	api_xfer_free(&x->x);
	free(x);
}

/* Finished transfers: take them off the list first, so a `done` that
 * starts or cancels requests sees a consistent state. */
static void reap(struct anet *n)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(n->multi, &left))) {
		struct xfer **p, *x;
		if (m->msg != CURLMSG_DONE ||
		    !(x = find_easy(n, m->easy_handle, &p)))
			continue;
		CURLcode code = m->data.result;
		*p = x->next;
		curl_multi_remove_handle(n->multi, x->x.easy);
		long status;
		json_t *reply;
		char *err = NULL;
		api_xfer_result(&x->x, code, &status, &reply, &err);
		if (err)
			status = 0;
		x->done(x->arg, status, reply, err);
		json_decref(reply);
		free(err);
		api_xfer_free(&x->x);
		free(x);
	}
}

static void on_timer(void *arg)
{
	struct anet *n = arg;

	n->timer = 0;
	curl_multi_socket_action(n->multi, CURL_SOCKET_TIMEOUT, 0, &n->running);
	reap(n);
}

static int timer_cb(CURLM *m, long ms, void *arg)
{
	struct anet *n = arg;

	(void)m;
	if (n->timer)
		loop_timer_cancel(n->loop, n->timer);
	n->timer = ms < 0 ? 0 : loop_timer_in(n->loop, ms, on_timer, n);
	return 0;
}

static void on_socket(void *arg, int fd, short revents)
{
	struct anet *n = arg;
	int ev = 0;

	if (revents & POLLIN)
		ev |= CURL_CSELECT_IN;
	if (revents & POLLOUT)
		ev |= CURL_CSELECT_OUT;
	if (revents & (POLLERR | POLLHUP | POLLNVAL))
		ev |= CURL_CSELECT_ERR;
	curl_multi_socket_action(n->multi, fd, ev, &n->running);
	reap(n);
}

static int socket_cb(CURL *e, curl_socket_t fd, int what, void *arg,
		     void *sockp)
{
	struct anet *n = arg;
	short ev = 0;

	(void)e;
	(void)sockp;
	loop_remove_fd(n->loop, fd);
	if (what == CURL_POLL_REMOVE)
		return 0;
	if (what & CURL_POLL_IN)
		ev |= POLLIN;
	if (what & CURL_POLL_OUT)
		ev |= POLLOUT;
	loop_add_fd(n->loop, fd, ev, on_socket, n);
	return 0;
}

struct anet *anet_new(struct loop *l)
{
	struct anet *n = xcalloc(1, sizeof *n);
	struct api_xfer probe;
	char *err = NULL;
	struct api a = { .base = "http://localhost" };

	/* api_xfer_init runs curl_global_init once */
	if (api_xfer_init(&probe, &a, "GET", "/", NULL, &err) == 0)
		api_xfer_free(&probe);
	free(err);
	n->loop = l;
	n->multi = curl_multi_init();
	curl_multi_setopt(n->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
	curl_multi_setopt(n->multi, CURLMOPT_SOCKETDATA, n);
	curl_multi_setopt(n->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(n->multi, CURLMOPT_TIMERDATA, n);
	return n;
}

void anet_free(struct anet *n)
{
	if (!n)
		return;
	while (n->list)
		unlink_free(n, &n->list);
	if (n->timer)
		loop_timer_cancel(n->loop, n->timer);
	curl_multi_cleanup(n->multi);
	free(n);
}

int anet_request(struct anet *n, const struct api *a, const char *method,
		 const char *path, json_t *body, anet_done done, void *arg)
{
	struct xfer *x = xcalloc(1, sizeof *x);
	char *err = NULL;

	if (api_xfer_init(&x->x, a, method, path, body, &err) < 0) {
		log_warn("net", "%s", err);
		free(err);
		free(x);
		return -1;
	}
	x->id = ++n->next_id;
	x->done = done;
	x->arg = arg;
	x->next = n->list;
	n->list = x;
	curl_multi_add_handle(n->multi, x->x.easy);
	return x->id;
}

void anet_cancel(struct anet *n, int id)
{
	for (struct xfer **p = &n->list; *p; p = &(*p)->next)
		if ((*p)->id == id) {
			unlink_free(n, p);
			return;
		}
}

int anet_pending(const struct anet *n)
{
	int k = 0;

	for (const struct xfer *x = n->list; x; x = x->next)
		k++;
	return k;
}
