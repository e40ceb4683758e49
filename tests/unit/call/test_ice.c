/* Unit tests for call/ice: STUN/TURN URIs, and two real libnice agents in
 * this process finding each other over this machine's own addresses with
 * trickled host candidates, then carrying datagrams both ways. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "call/ice.h"
#include "common/str.h"

static void test_parse(void **state)
{
	struct ice_server s;
	bool turn;

	(void)state;
	assert_int_equal(ice_server_parse("stun:stun.example.org", &turn, &s),
			 0);
	assert_false(turn);
	assert_string_equal(s.host, "stun.example.org");
	assert_int_equal(s.port, 3478);
	ice_server_clear(&s);
	assert_int_equal(ice_server_parse("turn:10.0.0.1:3479?transport=tcp",
					  &turn, &s), 0);
	assert_true(turn);
	assert_int_equal(s.port, 3479);
	assert_int_equal(s.transport, ICE_RELAY_TCP);
	ice_server_clear(&s);
	assert_int_equal(ice_server_parse("turns:[2001:db8::1]", &turn, &s), 0);
	assert_string_equal(s.host, "2001:db8::1");
	assert_int_equal(s.port, 443);
	assert_int_equal(s.transport, ICE_RELAY_TLS);
	ice_server_clear(&s);
	assert_int_equal(ice_server_parse("turn:h:99999", &turn, &s), -1);
	assert_int_equal(ice_server_parse("http://x", &turn, &s), -1);
	assert_int_equal(ice_server_parse("turn:", &turn, &s), -1);
	assert_int_equal(ice_server_parse(NULL, &turn, &s), -1);
}

/* One side: what its agent told us, under a lock. */
struct side {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	char *cands[64];
	int ncands;
	bool gathered, connected, failed;
	char got[64];
	size_t ngot;
	struct ice *ice;
};

static void on_cand(void *arg, const char *line)
{
	struct side *s = arg;

	pthread_mutex_lock(&s->lock);
	if (!line)
		s->gathered = true;
	else if (s->ncands < 64)
		s->cands[s->ncands++] = xstrdup(line);
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

static void on_state(void *arg, enum ice_state st)
{
	struct side *s = arg;

	pthread_mutex_lock(&s->lock);
	s->connected = s->connected || st == ICE_CONNECTED;
	s->failed = s->failed || st == ICE_FAILED;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

static void on_recv(void *arg, const uint8_t *buf, size_t len)
{
	struct side *s = arg;

	pthread_mutex_lock(&s->lock);
	if (len < sizeof s->got) {
		memcpy(s->got, buf, len);
		s->ngot = len;
	}
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

/* Wait (up to 10 s) until *flag. */
static bool wait_for(struct side *s, bool *flag)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += 10;
	pthread_mutex_lock(&s->lock);
	while (!*flag &&
	       pthread_cond_timedwait(&s->cond, &s->lock, &t) == 0)
		;
	bool ok = *flag;
	pthread_mutex_unlock(&s->lock);
	return ok;
}

static void side_init(struct side *s, bool controlling, unsigned base)
{
	struct ice_config c = { .controlling = controlling, .port_min = base,
				.port_max = base + 50 };
	struct ice_callbacks cb = { on_cand, on_state, on_recv, s };
	char *err = NULL;

	memset(s, 0, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	s->ice = ice_new(&c, &cb, &err);
	assert_non_null(s->ice);
	assert_null(err);
}

static void side_free(struct side *s)
{
	ice_free(s->ice);
	for (int i = 0; i < s->ncands; i++)
		free(s->cands[i]);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
}

/* Give `to` what `from` gathered. */
static void trickle(struct side *from, struct side *to)
{
	pthread_mutex_lock(&from->lock);
	for (int i = 0; i < from->ncands; i++)
		assert_int_equal(ice_add_remote(to->ice, from->cands[i]), 0);
	pthread_mutex_unlock(&from->lock);
	ice_remote_done(to->ice);
}

static void test_connect(void **state)
{
	struct side a, b;
	struct ice_path p;
	bool got;

	(void)state;
	side_init(&a, true, 42000);
	side_init(&b, false, 42100);
	assert_int_equal(ice_set_remote(a.ice, ice_ufrag(b.ice),
					ice_pwd(b.ice)), 0);
	assert_int_equal(ice_set_remote(b.ice, ice_ufrag(a.ice),
					ice_pwd(a.ice)), 0);
	assert_int_equal(ice_send(a.ice, (const uint8_t *)"x", 1), -1);
	assert_int_equal(ice_gather(a.ice), 0);
	assert_int_equal(ice_gather(b.ice), 0);
	assert_true(wait_for(&a, &a.gathered));
	assert_true(wait_for(&b, &b.gathered));
	assert_true(a.ncands > 0);
	assert_non_null(strstr(a.cands[0], "candidate:"));
	trickle(&a, &b);
	trickle(&b, &a);
	assert_true(wait_for(&a, &a.connected));
	assert_true(wait_for(&b, &b.connected));
	assert_int_equal(ice_add_remote(a.ice, "a=candidate:garbage"), -1);

	/* both ways; the first may go before the peer's side is ready */
	for (int i = 0; i < 50 && !b.ngot; i++) {
		ice_send(a.ice, (const uint8_t *)"ping", 4);
		struct timespec ms = { 0, 20 * 1000000 };
		nanosleep(&ms, NULL);
	}
	got = b.ngot == 4 && memcmp(b.got, "ping", 4) == 0;
	assert_true(got);
	assert_int_equal(ice_send(b.ice, (const uint8_t *)"pong!", 5), 0);
	for (int i = 0; i < 50 && !a.ngot; i++) {
		struct timespec ms = { 0, 20 * 1000000 };
		nanosleep(&ms, NULL);
	}
	assert_int_equal(a.ngot, 5);
	assert_memory_equal(a.got, "pong!", 5);

	assert_int_equal(ice_path(a.ice, &p), 0);
	assert_false(p.relayed);
	assert_string_equal(p.local_type, "host");
	unsigned port = (unsigned)atoi(strrchr(p.local, ':') + 1);
	assert_true(port >= 42000 && port <= 42050);
	side_free(&a);
	side_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_connect),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
