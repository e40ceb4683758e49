/* Unit tests for call/engine and call/media: two engines in this process,
 * each with its own ICE agent, keys and devices, find each other over
 * loopback with trickled candidates and talk: speech sent from one WAV
 * file arrives in the other side's WAV file, aligned and intelligible,
 * both screens would show the same SAS, RTCP gives the round-trip time,
 * and a device switch mid-call takes effect. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "call/engine.h"
#include "call/quality.h"
#include "common/str.h"
#include "audio_helpers.h"

#define SECONDS 4

struct pair {
	char dir[64], in[96], out[96], out2[96];
	struct engine *a, *b;
};

/* Hand each side's queued events on; returns how many ran. */
static int pump(struct engine *from, struct engine *to, bool *connected)
{
	struct engine_event ev;
	int n = 0;

	while (engine_next(from, &ev)) {
		n++;
		if (ev.kind == ENGINE_EV_CANDIDATE)
			assert_int_equal(engine_candidate(to, ev.line), 0);
		else if (ev.kind == ENGINE_EV_GATHERED)
			engine_candidate(to, NULL);
		else if (ev.kind == ENGINE_EV_CONNECTED)
			*connected = true;
		else if (ev.kind == ENGINE_EV_FAILED)
			fail_msg("ICE failed");
		free(ev.line);
	}
	return n;
}

/* Run the signalling for ms milliseconds, waiting on both engines' fds. */
static void run_for(struct pair *p, long ms, bool *ca, bool *cb)
{
	long long end = th_now_ms() + ms;

	while (th_now_ms() < end) {
		struct pollfd fds[2] = {
			{ engine_fd(p->a), POLLIN, 0 },
			{ engine_fd(p->b), POLLIN, 0 },
		};
		poll(fds, 2, 20);
		pump(p->a, p->b, ca);
		pump(p->b, p->a, cb);
	}
}

static void pair_setup(struct pair *p, int frame_ms)
{
	struct engine_cfg ca = {
		.caller = true, .fec = true, .aec = -1, .ns = -1,
		.name = "Ann", .cname = "ann@test", .port_min = 21000,
		.port_max = 21100,
	}, cb;
	int16_t *speech = calloc(SECONDS * 48000, sizeof *speech);
	char *err = NULL;
	const char *why = NULL;
	json_t *offer, *answer;

	snprintf(p->dir, sizeof p->dir, "/tmp/confab-engine-XXXXXX");
	assert_non_null(mkdtemp(p->dir));
	snprintf(p->in, sizeof p->in, "%s/in.wav", p->dir);
	snprintf(p->out, sizeof p->out, "%s/out.wav", p->dir);
	snprintf(p->out2, sizeof p->out2, "%s/out2.wav", p->dir);
	quality_gen_speech(speech, SECONDS * 48000, 11);
	th_write_wav(p->in, 48000, 1, speech, SECONDS * 48000);
	free(speech);

	char *in = xasprintf("file:%s", p->in), *out = xasprintf("file:%s",
								p->out);
	ca.audio = (struct audio_spec){ .input = in, .output = "null",
					.frame_ms = frame_ms, .paced = true };
	cb = ca;
	cb.caller = false;
	cb.name = "Bob";
	cb.cname = "bob@test";
	cb.audio = (struct audio_spec){ .input = "null", .output = out,
					.frame_ms = frame_ms, .paced = true };
	if (engine_new(&p->a, &ca, &err) < 0 ||
	    engine_new(&p->b, &cb, &err) < 0)
		fail_msg("%s", err);
	free(in);
	free(out);
	/* the offer goes out, the answer comes back */
	offer = engine_offer(p->a);
	assert_int_equal(engine_remote(p->b, offer, &why), 0);
	answer = engine_offer(p->b);
	assert_int_equal(engine_remote(p->a, answer, &why), 0);
	json_decref(offer);
	json_decref(answer);
	/* a second answer is refused */
	answer = engine_offer(p->b);
	assert_int_equal(engine_remote(p->a, answer, &why), -1);
	json_decref(answer);
}

static void pair_free(struct pair *p)
{
	engine_free(p->a);
	engine_free(p->b);
	unlink(p->in);
	unlink(p->out);
	unlink(p->out2);
	rmdir(p->dir);
}

static void call_and_check(int frame_ms)
{
	struct pair p;
	struct engine_stats sa, sb;
	bool ca = false, cb = false;
	size_t nin, nout;
	struct quality_report q;

	pair_setup(&p, frame_ms);
	assert_string_equal(engine_sas(p.a), engine_sas(p.b));
	assert_int_equal(strlen(engine_sas(p.a)), 4);
	assert_string_equal(engine_peer_name(p.a), "Bob");
	assert_string_equal(engine_peer_name(p.b), "Ann");
	run_for(&p, (SECONDS + 1) * 1000, &ca, &cb);
	assert_true(ca && cb);
	engine_stats(p.a, &sa);
	engine_stats(p.b, &sb);
	assert_true(sa.connected && sa.media && sb.media);
	assert_false(sa.path.relayed);
	assert_string_equal(sa.path.local_type, "host");
	assert_true(engine_input_ended(p.a));
	/* RTCP: each side heard the other's reports, RTT known */
	assert_true(sa.m.rtcp_recv > 0 && sb.m.rtcp_recv > 0);
	assert_true(sa.m.rtt_ms >= 0 || sb.m.rtt_ms >= 0);
	assert_int_equal(sb.m.sec.forged + sb.m.sec.replayed, 0);
	assert_true(sb.m.packets_recv >= (uint64_t)(SECONDS * 1000 /
						     frame_ms - 5));
	assert_int_equal(sb.m.lost, 0);
	json_t *j = engine_stats_json(&sb);
	assert_non_null(json_object_get(j, "jbuf"));
	assert_true(json_is_true(json_object_get(j, "connected")));
	json_decref(j);
	int64_t a_in0 = sa.m.in_t0_us, b_out0 = sb.m.out_t0_us;
	engine_free(p.a);
	engine_free(p.b);
	p.a = p.b = NULL;

	int16_t *in = th_read_wav(p.in, &nin, NULL);
	int16_t *out = th_read_wav(p.out, &nout, NULL);
	assert_int_equal(quality_compare(in, nin, out, nout, 48000, &q), 0);
	double delay_ms = q.delay / 48.0 + (double)(b_out0 - a_in0) / 1000;
	print_message("%d ms frames: lag %d samples, mouth-to-ear %.1f ms, "
		      "STOI %.3f, segSNR %.1f dB\n", frame_ms, q.delay,
		      delay_ms, q.stoi, q.segsnr);
	assert_true(q.stoi > 0.9);
	assert_true(delay_ms > frame_ms && delay_ms < 200);
	free(in);
	free(out);
	pair_free(&p);
}

static void test_engine__call__20ms(void **state)
{
	(void)state;
	call_and_check(20);
}

static void test_engine__call__10ms(void **state)
{
	(void)state;
	call_and_check(10);
}

/* Mute sends silence; a switch of the output mid-call moves the sound to
 * the new file. */
static void test_engine__call__mute_and_switch(void **state)
{
	struct pair p;
	bool ca = false, cb = false;
	char *err = NULL, *out2;
	size_t n1, n2;

	(void)state;
	pair_setup(&p, 20);
	run_for(&p, 1500, &ca, &cb);
	assert_true(ca && cb);
	out2 = xasprintf("file:%s", p.out2);
	assert_int_equal(engine_switch(p.b, AUDIO_OUT, out2, &err), 0);
	free(out2);
	run_for(&p, 1000, &ca, &cb);
	engine_mute(p.a, true);
	run_for(&p, 1000, &ca, &cb);
	struct engine_stats sa;
	engine_stats(p.a, &sa);
	assert_true(sa.m.muted);
	engine_free(p.a);
	engine_free(p.b);
	p.a = p.b = NULL;
	int16_t *o1 = th_read_wav(p.out, &n1, NULL);
	int16_t *o2 = th_read_wav(p.out2, &n2, NULL);
	/* about 1.5 s before the switch, 2 s after */
	assert_true(n1 > 48000 && n1 < 48000 * 2);
	assert_true(n2 > 48000 * 3 / 2);
	/* the last second was muted: silent once the jitter buffer has
	 * played what was sent before; the second before it was not */
	double loud = 0, quiet = 0;
	for (size_t i = n2 - 48000 * 2; i < n2 - 48000 * 5 / 4; i++)
		loud += abs(o2[i]);
	for (size_t i = n2 - 48000 * 3 / 4; i < n2 - 48000 / 10; i++)
		quiet += abs(o2[i]);
	print_message("mean level before mute %.1f, muted %.3f\n",
		      loud / 36000, quiet / 31200);
	assert_true(loud > 100 * (quiet + 1));
	free(o1);
	free(o2);
	pair_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine__call__20ms),
		cmocka_unit_test(test_engine__call__10ms),
		cmocka_unit_test(test_engine__call__mute_and_switch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
