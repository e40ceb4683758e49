/* views/callscreen: the call screen, a layer over the tabs while calls
 * are in progress: each call with its state and timer; for the selected
 * one the short authentication string, the microphone and speaker level
 * meters and, with S, the line's figures with sparklines of their last
 * half minute.  m mutes, x holds or resumes, w switches to the next call
 * (holding this one), d switches the microphone or loudspeaker, h hangs
 * up, q hides the screen (the call goes on, `@` brings it back). */
#include "views/callui.h"
#include "views/shell.h"
#include "views/ui.h"
#include "app/callmgr.h"
#include "app/loop.h"
#include "call/audio.h"
#include "common/str.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define METER_W 24

struct callscreen {
	struct view v;
	struct cm_call *sel;
	bool stats;
};

static const char *who(const struct cm_call *c)
{
	return c->peer_name && *c->peer_name ? c->peer_name : c->peer;
}

/* The selected call, if it still exists; else the one to show. */
static struct cm_call *selected(struct callscreen *cs)
{
	struct callmgr *cm = callui_mgr(cs->v.sh);
	struct cm_call *c, *best = NULL;

	for (c = cm ? callmgr_calls(cm) : NULL; c; c = c->next) {
		if (c == cs->sel)
			return c;
		if (!best || (best->held && !c->held))
			best = c;
	}
	return cs->sel = best;
}

static const char *state_text(const struct cm_call *c)
{
	if (c->held)
		return c->peer_held ? "on hold, both" : "on hold";
	if (c->peer_held)
		return "held by them";
	switch (c->state) {
	case CM_STARTING: return "starting";
	case CM_CALLING: return "calling";
	case CM_RINGING: return "ringing";
	case CM_INCOMING: return "incoming";
	case CM_ANSWERING: return "answering";
	case CM_CONNECTING: return "connecting";
	case CM_ACTIVE: return c->muted ? "talking (muted)" : "talking";
	default: return "ended";
	}
}

/* A level meter for dBFS from -60 to 0. */
static void meter(struct shell *sh, WINDOW *w, int y, int x, int cols,
		  const char *label, float dbfs, bool off)
{
	char buf[160], bar[METER_W * 3 + 1];

	ui_bar(sh, ui_level_cells(dbfs, METER_W), METER_W, bar, sizeof bar);
	if (dbfs <= -99)
		snprintf(buf, sizeof buf, "%-11s [%s]  silent%s", label, bar,
			 off ? "  MUTED" : "");
	else
		snprintf(buf, sizeof buf, "%-11s [%s] %4.0f dBFS%s", label, bar,
			 dbfs, off ? "  MUTED" : "");
	ui_text(w, y, x, cols, buf, ui_attr(sh, UI_NORMAL));
}

/* The last samples as a sparkline into out (cells). */
static void spark(struct shell *sh, const float *v, int total, char *out,
		  size_t cap)
{
	static const char *const blocks[] = { "\u2581", "\u2582", "\u2583",
		"\u2584", "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char ascii[] = "_.-:=+*#";
	int n = total < CALLUI_HIST ? total : CALLUI_HIST;
	float max = 0;
	size_t at = 0;

	for (int i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	out[0] = 0;
	for (int k = 0; k < n && at + 4 < cap; k++) {
		int i = (total - n + k) % CALLUI_HIST;
		int lvl = max > 0 ? (int)(v[i] / max * 7 + 0.5f) : 0;
		if (ui_ascii(sh)) {
			out[at++] = ascii[lvl];
		} else {
			memcpy(out + at, blocks[lvl], strlen(blocks[lvl]));
			at += strlen(blocks[lvl]);
		}
		out[at] = 0;
	}
}

static void stats_draw(struct shell *sh, WINDOW *w, int y, int x, int cols,
		       int rows, struct cm_call *c)
{
	struct engine_stats st;
	const struct media_stats *m = &st.m;
	struct callui_hist *h = callui_hist(c);
	char line[256], sp[CALLUI_HIST * 4 + 1];
	attr_t a = ui_attr(sh, UI_NORMAL);
	int r = 0;

	if (!c->eng) {
		ui_text(w, y, x, cols, "No figures yet: the call is not "
			"connected", ui_attr(sh, UI_DIM));
		return;
	}
	engine_stats(c->eng, &st);
	if (!st.media) {
		ui_text(w, y, x, cols, "Looking for a network path...",
			ui_attr(sh, UI_DIM));
		return;
	}
#define ROW(...) do { if (r < rows) { snprintf(line, sizeof line, __VA_ARGS__); \
		ui_text(w, y + r++, x, cols, line, a); } } while (0)
	spark(sh, h->loss, h->n, sp, sizeof sp);
	ROW("Loss        %5.1f %%     %s", m->loss * 100, sp);
	spark(sh, h->jitter, h->n, sp, sizeof sp);
	ROW("Jitter      %5.1f ms    %s", m->jitter_ms, sp);
	spark(sh, h->rtt, h->n, sp, sizeof sp);
	if (m->rtt_ms >= 0)
		ROW("Round trip  %5.0f ms    %s", m->rtt_ms, sp);
	else
		ROW("Round trip      -       (after the first reports)");
	spark(sh, h->jb, h->n, sp, sizeof sp);
	ROW("Buffer      %5d ms    %s  (target %d ms)", m->jb.delay_ms, sp,
	    m->jb.target_ms);
	ROW("Path        %s, %s %s %s -> %s %s",
	    st.path.relayed ? "relayed (TURN)" : "direct", st.path.transport,
	    st.path.local_type, st.path.local, st.path.remote_type,
	    st.path.remote);
	ROW("Codec       Opus 48 kHz, %d ms frames, %d kb/s, FEC for %d %% "
	    "loss", m->frame_ms, m->enc.bitrate / 1000, m->fec_loss_pct);
	ROW("Packets     sent %llu, received %llu, lost %d, concealed %llu, "
	    "FEC %llu", (unsigned long long)m->packets_sent,
	    (unsigned long long)m->packets_recv, m->lost,
	    (unsigned long long)m->jb.concealed,
	    (unsigned long long)m->jb.fec);
	ROW("SRTP        forged %llu, replayed %llu dropped",
	    (unsigned long long)m->sec.forged,
	    (unsigned long long)m->sec.replayed);
	ROW("Quality     MOS %.1f (E-model, delay about %.0f ms)", m->mos,
	    m->delay_ms);
#undef ROW
}

static void cs_draw(struct view *v, WINDOW *w, int h, int cols)
{
	struct callscreen *cs = (struct callscreen *)v;
	struct shell *sh = v->sh;
	struct callmgr *cm = callui_mgr(sh);
	struct cm_call *sel = selected(cs), *c;
	char line[256];
	int y = 1;

	werase(w);
	ui_text(w, 0, 1, cols - 2, "Calls", ui_attr(sh, UI_TITLE) | A_BOLD);
	for (c = cm ? callmgr_calls(cm) : NULL; c && y < h; c = c->next) {
		int64_t s = c->answered_ms ? cm_call_seconds(c) :
			    (loop_now_ms() - c->created_ms) / 1000;
		snprintf(line, sizeof line, "%s %-24s %-16s %02lld:%02lld",
			 c == sel ? ">" : " ", who(c), state_text(c),
			 (long long)s / 60, (long long)s % 60);
		ui_text(w, y++, 1, cols - 2, line, ui_attr(sh, c == sel ?
						UI_SELECTED : UI_NORMAL));
	}
	if (!sel)
		return;
	y++;
	if (sel->peer_held && y < h) {
		snprintf(line, sizeof line, "%s has put the call on hold.",
			 who(sel));
		ui_text(w, y++, 1, cols - 2, line, ui_attr(sh, UI_TITLE) |
			A_BOLD);
	}
	if (sel->sas[0] && y < h) {
		char sas[16];
		size_t n = 0;
		for (const char *p = sel->sas; *p && n + 3 < sizeof sas; p++) {
			sas[n++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
			sas[n++] = ' ';
		}
		sas[n ? n - 1 : 0] = 0;
		snprintf(line, sizeof line, "Authentication string:  %s", sas);
		ui_text(w, y++, 1, cols - 2, line, ui_attr(sh, UI_TITLE));
		snprintf(line, sizeof line, "Read it to %s: their screen must "
			 "show the same, or someone is listening in.", who(sel));
		ui_text(w, y++, 1, cols - 2, line, ui_attr(sh, UI_DIM));
	}
	if (sel->eng && y + 2 < h) {
		struct engine_stats st;
		engine_stats(sel->eng, &st);
		y++;
		meter(sh, w, y++, 1, cols - 2, "Microphone",
		      st.media ? st.m.in_dbfs : -100, sel->muted);
		meter(sh, w, y++, 1, cols - 2, "Speaker",
		      st.media ? st.m.out_dbfs : -100, false);
	}
	y++;
	if (cs->stats && y < h)
		stats_draw(sh, w, y, 1, cols - 2, h - y, sel);
}

/* ---- switching a device mid-call (d) ---------------------------------------- */

struct devpick {
	struct shell *sh;
	struct callscreen *cs;
	struct cm_call *c;
	enum audio_which which;
	char **names;
	int n;
};

static void devpick_free(struct devpick *p)
{
	for (int i = 0; i < p->n; i++)
		free(p->names[i]);
	free(p->names);
	free(p);
}

/* The call still there?  (It may have ended while the menu was up.) */
static bool still_there(struct devpick *p)
{
	struct callmgr *cm = callui_mgr(p->sh);

	for (struct cm_call *c = cm ? callmgr_calls(cm) : NULL; c; c = c->next)
		if (c == p->c)
			return c->eng != NULL;
	return false;
}

static void devpick_use(struct devpick *p, const char *name)
{
	char *err = NULL;

	if (!still_there(p))
		shell_error(p->sh, "The call has ended");
	else if (engine_switch(p->c->eng, p->which, name, &err) < 0)
		shell_error(p->sh, "Cannot switch: %s", err);
	else
		shell_message(p->sh, "%s: %s", p->which == AUDIO_IN ?
			      "Microphone" : "Loudspeaker", name);
	free(err);
}

static void devpick_typed(void *arg, const char *text)
{
	struct devpick *p = arg;

	if (text && *text)
		devpick_use(p, text);
	devpick_free(p);
}

static void devpick_chosen(void *arg, int i)
{
	struct devpick *p = arg;

	if (i < 0) {
		devpick_free(p);
	} else if (i == p->n) {
		ui_prompt(p->sh, "Device (a name, null, or file:PATH.wav):", "",
			  devpick_typed, p);
	} else {
		devpick_use(p, p->names[i]);
		devpick_free(p);
	}
}

static void which_chosen(void *arg, int i)
{
	struct devpick *p = arg;
	struct audio_devinfo *v = NULL;
	size_t n = 0;
	char *err = NULL;
	const char **items;

	if (i < 0) {
		devpick_free(p);
		return;
	}
	p->which = i == 0 ? AUDIO_IN : AUDIO_OUT;
	if (audio_list(&v, &n, &err) < 0) {
		free(err);	/* no PortAudio devices: typing one still works */
		n = 0;
	}
	p->names = xcalloc(n + 1, sizeof *p->names);
	for (size_t k = 0; k < n; k++)
		if (p->which == AUDIO_IN ? v[k].max_in > 0 : v[k].max_out > 0)
			p->names[p->n++] = xstrdup(v[k].name);
	audio_list_free(v, n);
	items = xcalloc((size_t)p->n + 1, sizeof *items);
	for (int k = 0; k < p->n; k++)
		items[k] = p->names[k];
	items[p->n] = "Other: type a device...";
	ui_menu(p->sh, p->which == AUDIO_IN ? "Microphone" : "Loudspeaker",
		items, p->n + 1, 0, devpick_chosen, p);
	free(items);
}

static void device_menu(struct callscreen *cs, struct cm_call *c)
{
	static const char *const items[] = { "Microphone", "Loudspeaker" };
	struct devpick *p = xcalloc(1, sizeof *p);

	if (!c->eng) {
		shell_message(cs->v.sh, "The call has no sound yet");
		free(p);
		return;
	}
	p->sh = cs->v.sh;
	p->cs = cs;
	p->c = c;
	ui_menu(cs->v.sh, "Switch which device?", items, 2, 0, which_chosen, p);
}

static bool cs_key(struct view *v, const struct ui_key *k)
{
	struct callscreen *cs = (struct callscreen *)v;
	struct callmgr *cm = callui_mgr(v->sh);
	struct cm_call *c = selected(cs), *o;
	char *err = NULL;

	if (k->action == A_CLOSE || k->action == A_CANCEL) {
		shell_pop(v->sh, v);
		return true;
	}
	if (k->action == A_CALL_STATS) {
		cs->stats = !cs->stats;
		v->dirty = true;
		return true;
	}
	if (!c || !cm)
		return false;
	switch (k->action) {
	case A_CALL_MUTE:
		callmgr_mute(cm, c, !c->muted);
		shell_message(v->sh, c->muted ? "Microphone muted" :
			      "Microphone on");
		return true;
	case A_CALL_HOLD:
		if (!c->answered_ms)
			return true;
		callmgr_hold(cm, c, !c->held);
		if (!c->held)	/* resuming one holds the others */
			for (o = callmgr_calls(cm); o; o = o->next)
				if (o != c && o->answered_ms)
					callmgr_hold(cm, o, true);
		return true;
	case A_CALL_SWITCH:
		for (o = c->next ? c->next : callmgr_calls(cm); o && o != c;
		     o = o->next ? o->next : callmgr_calls(cm)) {
			cs->sel = o;
			break;
		}
		if (cs->sel != c && cs->sel->answered_ms) {
			callmgr_hold(cm, c, true);
			callmgr_hold(cm, cs->sel, false);
		}
		v->dirty = true;
		return true;
	case A_CALL_ANSWER:
		for (o = callmgr_calls(cm); o; o = o->next)
			if (o->state == CM_INCOMING) {
				if (callmgr_answer(cm, o, &err) < 0) {
					shell_error(v->sh, "%s", err);
					free(err);
				}
				cs->sel = o;
				return true;
			}
		return true;
	case A_CALL_HANGUP:
		callmgr_hangup(cm, c);
		return true;
	case A_CALL_DEVICE:
		device_menu(cs, c);
		return true;
	case A_DOWN:
	case A_UP:
		for (o = callmgr_calls(cm); o; o = o->next)
			if ((k->action == A_DOWN && o == c && o->next) ||
			    (k->action == A_UP && o->next == c)) {
				cs->sel = k->action == A_DOWN ? o->next : o;
				break;
			}
		v->dirty = true;
		return true;
	default:
		return false;
	}
}

static void cs_free(struct view *v)
{
	callui_screen_gone(v->sh);
	free(v);
}

static const enum action cs_hints[] = { A_CALL_MUTE, A_CALL_HOLD,
	A_CALL_STATS, A_CALL_SWITCH, A_CALL_DEVICE, A_CALL_HANGUP, A_CLOSE,
	A_NONE };
static const struct view_ops cs_ops = {
	.name = "calls",
	.ctx = CTX_INCALL,
	.list_keys = true,
	.draw = cs_draw,
	.key = cs_key,
	.free = cs_free,
	.hints = cs_hints,
};

struct view *callscreen_new(struct shell *sh)
{
	struct callscreen *cs = xcalloc(1, sizeof *cs);

	cs->v.ops = &cs_ops;
	cs->v.sh = sh;
	cs->v.title = "calls";
	return &cs->v;
}
