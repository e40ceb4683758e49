#!/bin/sh
# tests/it/test_call_impair.sh: calls between two real confab clients
# through the userspace UDP impairment relay (tests/tools/udp_relay), as in
# test_call.sh: `confab agent --auto-answer` (bob) and `confab call`
# (alice), both with --local-addr 127.0.0.1 and --peer-via, so that all the
# media (and the ICE checks) go through the relay.  Alice is the relay's
# side 1 (port a), bob side 2 (port b); the relay's "a_to_b" is what bob
# receives.
#
# 1. Impairment: 10 % random loss (independent) and 30 ms of jitter in
#    netem's sense (`tc ... netem delay 30ms 30ms`): each packet waits
#    30 ms +- 30 ms, uniform (`--delay 30 --jitter 30`; without the 30 ms
#    base, half the samples would be clipped at 0), so delays spread over
#    0..60 ms and packets 20 ms apart often overtake each other.  A fixed
#    seed, and 8 s of speech so that the buffer has time to settle.
#    Bob's file is still intelligible (STOI from `wavq compare`), Opus
#    in-band FEC rebuilt some of the lost frames, bob measured about the
#    loss the relay made, alice's encoder sized its FEC from bob's RTCP
#    receiver reports, and the jitter buffer settled: its delay and target
#    stay bounded, without restarts and with few late packets.
# 2. SRTP injection, no loss: the relay forges packets (copies of real
#    SRTP/SRTCP packets with payload bytes flipped, sent just before the
#    original) and replays others (exact copies sent again 200 ms later,
#    10 packets behind: inside SRTP's 128-packet replay window, past the
#    jitter buffer's turn).  Bob counts each one as forged or replayed and
#    drops it, so what he hears is as good as in a clean run through the
#    same relay: the same intelligibility, no duplicate reaching the jitter
#    buffer, no more concealment than the clean run.
# Prints "ok - ..." / "not ok - ..."; exits 1 on failure.
IT_TMP=confab-impair
IT_SHOW="out err agent.out agent.err relay.err" IT_SHOW_LINES=8 IT_LOG_LINES=8
. "$(dirname "$0")/lib.sh"

WAVQ=${WAVQ:-$top/build/tools/wavq}
RELAY=${RELAY:-$top/build/tools/udp_relay}
apid=
rpid=
# stop_bg: stop bob's agent and the relay, if running
stop_bg() {
	[ -n "$apid" ] && kill "$apid" 2>/dev/null && wait "$apid" 2>/dev/null
	[ -n "$rpid" ] && kill "$rpid" 2>/dev/null && wait "$rpid" 2>/dev/null
	apid=
	rpid=
}
it_at_exit() { stop_bg; }

# js FILE EXPR: python over a JSON file as j
js() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print(($2))" "$1" 2>/dev/null; }
# py EXPR...: succeeds when the python expression is true; r, a, b, q
# are the last call's relay counters, alice's and bob's stats and the
# comparison of bob's file; c and cq the clean call's bob stats and
# comparison
py() {
	python3 -c "import json,sys
def ld(f):
    try: return json.load(open(f))
    except Exception: return {}
r = ld('$tmp/relay.json'); a = ld('$tmp/a.json'); b = ld('$tmp/b.json')
q = ld('$tmp/q.json'); c = ld('$tmp/clean.b.json'); cq = ld('$tmp/clean.q.json')
sys.exit(0 if ($*) else 1)" 2>/dev/null
}

# impaired_call NAME RELAY-ARGS...: a call from alice (speech.wav) to bob
# through a relay with RELAY-ARGS; leaves relay.json, a.json, b.json, q.json
# (wavq compare of speech.wav and bob's heard.wav), each also kept as
# NAME.*; ok when everything ran and exited 0
impaired_call() {
	_name=$1
	shift
	rm -f "$tmp/relay.json" "$tmp/a.json" "$tmp/b.json" "$tmp/q.json" \
		"$tmp/heard.wav"
	"$RELAY" -a 0 -b 0 "$@" >"$tmp/relay.json" 2>"$tmp/relay.err" &
	rpid=$!
	_i=0
	while ! grep -q '^udp_relay: ready' "$tmp/relay.err" && [ $_i -lt 100 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	_pa=$(sed -n 's/^udp_relay: ready a=[^ ]*:\([0-9]*\) .*/\1/p' "$tmp/relay.err")
	_pb=$(sed -n 's/^udp_relay: ready .* b=[^ ]*:\([0-9]*\) .*/\1/p' "$tmp/relay.err")
	if [ -z "$_pa" ] || [ -z "$_pb" ]; then
		echo "# the relay did not start"
		stop_bg
		return 1
	fi
	: >"$tmp/agent.out"
	"$CONFAB" -D "$tmp/b" -C "$tmp/none.conf" agent --local-addr 127.0.0.1 \
		--auto-answer --count 1 --audio-out "$tmp/heard.wav" \
		--stats-json "$tmp/b.json" --peer-via "127.0.0.1:$_pb" \
		>"$tmp/agent.out" 2>"$tmp/agent.err" &
	apid=$!
	_i=0
	while ! grep -q '^ready bob' "$tmp/agent.out" && [ $_i -lt 150 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	if ! grep -q '^ready bob' "$tmp/agent.out"; then
		echo "# bob's agent did not get ready"
		stop_bg
		return 1
	fi
	client a call --local-addr 127.0.0.1 bob --audio-in "$tmp/speech.wav" \
		--audio-out null --peer-via "127.0.0.1:$_pa" \
		--stats-json "$tmp/a.json"
	_cst=$status
	# the agent exits by itself after its one call (up to 20 s)
	exit_wait "$apid"
	_ast=$?
	apid=
	kill "$rpid"
	wait "$rpid"
	_rst=$?
	rpid=
	"$WAVQ" compare "$tmp/speech.wav" "$tmp/heard.wav" >"$tmp/q.json"
	for _f in relay.json a.json b.json q.json; do
		cp "$tmp/$_f" "$tmp/$_name.$_f" 2>/dev/null
	done
	echo "# $_name: call exit $_cst, agent exit $_ast, relay exit $_rst"
	[ "$_cst" = 0 ] && [ "$_ast" = 0 ] && [ "$_rst" = 0 ] && [ -s "$tmp/b.json" ] &&
		[ -s "$tmp/a.json" ] && [ -s "$tmp/relay.json" ] && [ -s "$tmp/q.json" ]
}

# figures NAME: print what the last call measured, as comment lines
figures() {
	python3 -c "import json
r = json.load(open('$tmp/relay.json')); a = json.load(open('$tmp/a.json'))
b = json.load(open('$tmp/b.json')); q = json.load(open('$tmp/q.json'))
ab = r['a_to_b']; ba, bj, bs = b['audio'], b['jbuf'], b['srtp']
print('# $1: stoi %.3f segsnr %.1f dB lag %.1f ms' % (q['stoi'], q['segsnr'], q['delay_ms']))
print('# $1: relay a_to_b received %d lost %d reordered %d forged %d replayed %d' %
      (ab['received'], ab['lost'], ab['reordered'], ab['forged'], ab['replayed']))
print('# $1: bob audio packets_recv %d lost %d loss %.3f jitter %.1f ms; alice packets_sent %d fec_loss_pct %d peer_loss %.3f' %
      (ba['packets_recv'], ba['lost'], ba['loss'], ba['jitter_ms'], a['audio']['packets_sent'],
       a['audio']['fec_loss_pct'], a['audio']['peer_loss']))
print('# $1: bob jbuf ' + ' '.join('%s %s' % kv for kv in bj.items()))
print('# $1: bob srtp ' + ' '.join('%s %s' % kv for kv in bs.items()))" 2>/dev/null ||
		echo "# $1: no figures (a file is missing)"
}

acme
start
client a login --server "$url" --user alice --password-file "$tmp/alice"
check "alice signs in" [ "$status" = 0 ]
client b login --server "$url" --user bob --password-file "$tmp/bob"
check "bob signs in" [ "$status" = 0 ]

# ---- 1. 10 % loss, 30 ms jitter ------------------------------------------------
"$WAVQ" gen "$tmp/speech.wav" 8 7 || not_ok "wavq gen"
check "a call through the relay at 10 % loss and 30 ms jitter runs to its end" \
	impaired_call lossy --loss 10 --delay 30 --jitter 30 --seed 5
figures lossy
check "the relay lost about 10 % of alice's packets and reordered some" \
	py "0.06 < r['a_to_b']['lost'] / r['a_to_b']['received'] < 0.14 and r['a_to_b']['reordered'] > 0"
stoi=$(js "$tmp/q.json" '"%.3f" % j["stoi"]')
check "bob's file is still intelligible (STOI $stoi > 0.8)" py "q['stoi'] > 0.8"
check "in-band FEC rebuilt some lost frames (jbuf.fec $(js "$tmp/b.json" 'j["jbuf"]["fec"]') > 0)" \
	py "b['jbuf']['fec'] > 0 and b['codec']['fec'] > 0"
check "bob measured about the relay's loss ($(js "$tmp/b.json" '"%.3f" % j["audio"]["loss"]'), 5-15 %)" \
	py "0.05 <= b['audio']['loss'] <= 0.15 and abs(b['audio']['lost'] - r['a_to_b']['lost']) <= 10"
check "alice's FEC was sized from bob's RTCP reports (fec_loss_pct $(js "$tmp/a.json" 'j["audio"]["fec_loss_pct"]') > 0)" \
	py "a['audio']['fec_loss_pct'] > 0 and a['audio']['peer_loss'] > 0 and a['audio']['rtcp_recv'] > 0"
check "bob's jitter buffer settled: delay $(js "$tmp/b.json" 'j["jbuf"]["delay_ms"]') and target $(js "$tmp/b.json" 'j["jbuf"]["target_ms"]') ms <= 120, no restarts" \
	py "0 < b['jbuf']['delay_ms'] <= 120 and 0 < b['jbuf']['target_ms'] <= 120 and b['jbuf']['resets'] == 0"
check "few packets came too late to play ($(js "$tmp/b.json" 'j["jbuf"]["late"]') late of $(js "$tmp/b.json" 'j["jbuf"]["put"]'))" \
	py "b['jbuf']['late'] <= 0.03 * b['jbuf']['put']"
check "nothing was forged or replayed" \
	py "b['srtp']['forged'] == 0 and b['srtp']['replayed'] == 0 and b['jbuf']['dup'] == 0"

# ---- 2. forged and replayed SRTP ------------------------------------------------
"$WAVQ" gen "$tmp/speech.wav" 6 11 || not_ok "wavq gen"
check "a clean call through the relay (the baseline)" impaired_call clean --seed 9
figures clean
cstoi=$(js "$tmp/q.json" '"%.3f" % j["stoi"]')
check "the clean call is clear (STOI $cstoi > 0.95, nothing lost)" \
	py "q['stoi'] > 0.95 and b['audio']['lost'] == 0 and b['jbuf']['lost'] == 0"

check "a call with forged and replayed packets injected runs to its end" \
	impaired_call inject --forge 10 --replay 10 --replay-ms 200 --seed 9
figures inject
nf=$(js "$tmp/relay.json" 'j["a_to_b"]["forged"]')
nr=$(js "$tmp/relay.json" 'j["a_to_b"]["replayed"]')
bf=$(js "$tmp/b.json" 'j["srtp"]["forged"]')
br=$(js "$tmp/b.json" 'j["srtp"]["replayed"]')
check "the relay injected forgeries ($nf) and replays ($nr)" \
	py "r['a_to_b']['forged'] >= 10 and r['a_to_b']['replayed'] >= 10 and r['a_to_b']['lost'] == 0"
# Bob cannot count what reaches him after his media has stopped: a
# forgery travels with its original, so at most one or two at the edges
# (none so far); but the replays trail the call by 200 ms, and alice's
# last 10 packets are each replayed with a chance of 10 %, so a few
# (1 on average; 6 or more has a chance of 1.5e-4) arrive after bob
# hung up.  Nothing else is forged or replayed: the counts cannot exceed
# the relay's.
check "bob refused the forgeries as forged ($bf of $nf)" \
	py "r['a_to_b']['forged'] - 2 <= b['srtp']['forged'] <= r['a_to_b']['forged']"
check "bob refused the replays as replayed ($br of $nr)" \
	py "r['a_to_b']['replayed'] - 5 <= b['srtp']['replayed'] <= r['a_to_b']['replayed']"
# Alice's figures are taken just before her media thread stops, so it may
# send a packet or two more than her packets_sent says: a slack of 2.
check "no injected packet passed SRTP (bad 0, each one received once)" \
	py "b['srtp']['bad'] == 0 and b['audio']['rtp_bad'] == 0 and b['srtp']['unprotected'] == b['audio']['packets_recv'] == b['jbuf']['put'] <= a['audio']['packets_sent'] + 2"
istoi=$(js "$tmp/q.json" '"%.3f" % j["stoi"]')
check "bob heard alice as well as in the clean call (STOI $istoi > 0.95, clean $cstoi)" \
	py "q['stoi'] > 0.95 and q['stoi'] >= cq['stoi'] - 0.01"
check "nothing reached the jitter buffer twice (jbuf.dup 0), nothing lost" \
	py "b['jbuf']['dup'] == 0 and b['jbuf']['lost'] == 0 and b['audio']['lost'] == 0"
check "no more concealment than the clean call ($(js "$tmp/b.json" 'j["jbuf"]["concealed"]'), clean $(js "$tmp/clean.b.json" 'j["jbuf"]["concealed"]'))" \
	py "b['jbuf']['concealed'] <= c['jbuf']['concealed'] + 5 and b['codec']['plc'] <= c['codec']['plc'] + 5"

exit $failed
