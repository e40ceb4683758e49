#!/bin/sh
# tests/bench/bench_call.sh: the call benchmark (run.sh's step 3k), confab
# and baresip side by side, on one machine, in one run.
#
# confab: a real confabd on 127.0.0.1 with the company "Acme Ltd" (alice
# and bob, as tests/it/lib.sh makes it); bob is `confab agent
# --auto-answer`, alice `confab call bob`, both with --local-addr 127.0.0.1
# and WAV files for devices (paced by the engine: a file is read and
# written in real time), the -O2 build ($build/confab, no sanitizer).
# baresip: the Debian package (1.0.0 on Debian 12), two instances in a
# network namespace of their own (see below), calling each other by SIP
# on 127.0.0.1 without a registrar, Opus at 48 kHz mono (opus_stereo no),
# SDES-SRTP (mediaenc=srtp-mand), RTCP multiplexed, everything else as
# baresip's own defaults: 28 kbit/s, jitter_buffer_delay 5-10 frames,
# audio_buffer 20-160 ms.  It is skipped (and says so) when baresip,
# jackd, python3-jack-client, ip or nft are missing (scripts/deps.sh
# installs them).
#
# The figures, for each of the two:
#
# 1. Mouth-to-ear delay, 20 ms and 10 ms frames: BENCH_CALL_RUNS calls
#    (default 4) of 3 s of speech (`wavq gen`) each, direct on loopback.
#    What bob heard is cut into 1 s windows of the sent signal and each
#    window's delay found by cross-correlation (`wavq segments`); the
#    p50 and p90 are over all windows of all calls, so they take in both
#    the drift within a call and the phase between the two sides' audio
#    clocks, which changes from call to call.
#    confab: a window's mouth-to-ear = its lag in bob's file + (bob's
#    audio.out_t0_us - alice's audio.in_t0_us) / 1000 from the stats JSON
#    (CLOCK_MONOTONIC when alice's input sample 0 was captured, when
#    bob's output sample 0 was played), as tests/it/test_call.sh does.
#    baresip has no such timestamps, and its 1.0.0 has no file player
#    (aufile is a source only), so its ends are a sound server's: a JACK
#    server with the dummy driver (a real-time clock, 48 kHz, periods of
#    5 ms) and a measuring client (a python3-jack-client script) that, in
#    the same process cycle, plays the WAV into alice's input port and
#    records bob's output port.  Both ends count frames of one clock, so
#    a window's mouth-to-ear = its lag in the recording + (the frame at
#    which recording began - the frame at which playing began) / 48, plus
#    one period (5 ms): JACK hands a client a period of input at once,
#    as confab's file device hands the engine a frame (whose first sample
#    confab counts as captured one frame before the read returns, and so
#    does this).  On the output side both count a sample as played when
#    the engine hands it to the device (confab's file write; the JACK
#    process callback), so neither includes a sound card's own buffer.
#    baresip's figure includes its jitter buffer (5 frames by default)
#    and its receive buffer; confab's its adaptive jitter buffer.
# 2. CPU per call, % of one core, each side: a 20 s call in which both
#    sides send speech, echo cancellation and noise suppression on
#    (confab: -C with echo_cancel = yes, noise_suppress = yes; baresip:
#    its speex_pp module, noise suppression only: the Debian package has
#    no echo canceller), measured as utime + stime of each process
#    (/proc/PID/stat) from 1 s after the call connected over the next
#    BENCH_CALL_CPU_S seconds (default 15).  confab's includes ICE
#    (libnice) and its signalling connection to confabd; baresip's
#    includes its JACK client threads (baresip's sources: aufile here),
#    not the JACK server's; baresip runs without ICE.
# 3. Quality through tests/tools/udp_relay, 20 ms frames: 8 s of
#    speech at 0, 5, 10 and 20 % random loss (seed 5), scored against
#    the sent signal by `wavq compare` (STOI and segmental SNR, the
#    whole call aligned at one delay), and by `wavq segments` over 2 s
#    windows each aligned at its own delay (the mean STOI): baresip's
#    receive delay grows by a frame or so at each loss and never comes
#    back down (the details show each call's range), which the whole-
#    call score counts against it as distortion and a listener hears as
#    gaps; the windowed score leaves the drift out.  And the delay added
#    at 10, 30 and 60 ms of jitter (the relay's --delay J --jitter J:
#    each packet waits J +- J ms, uniform, so 0..2J ms, as
#    tests/it/test_call_impair.sh does), 6 s of speech: the p50 of the
#    call's windows' mouth-to-ear less the p50 without jitter (the 20 ms
#    delay calls and a clean call through the relay together: one call
#    alone is off by up to a frame, the phase between the two sides'
#    audio clocks), so it includes the network's own mean delay J; with
#    STOI (late packets are concealed).  The details below the table
#    give each call's figures (confab: bob's jitter buffer, alice's
#    bit rate and FEC; the relay's counters).
#    confab reaches the relay by --peer-via; baresip has no such option,
#    so its two instances run in a network namespace of their own where
#    nftables sends each side's RTP to the relay: alice's RTP (to bob's
#    port) is DNATed to the relay's port a, bob's (to alice's) to port
#    b; conntrack undoes it on the way back, so each side sees the
#    other's address.  baresip's loss runs send with aufile (the way a
#    file is sent with it), its jitter runs with the measuring client.
# 4. Informative: baresip's mouth-to-ear with jitter_buffer_delay 1-10
#    (one frame instead of its default five), 2 calls, 20 ms frames.
#
# Environment:
#   BENCH_BUILD=DIR     the build directory (default build)
#   BENCH_CALL_RUNS=N   delay calls per frame size (default 4)
#   BENCH_CALL_CPU_S=S  seconds of CPU measurement (default 15)
#   BENCH_CALL_BARESIP=0  confab only
#   BENCH_KEEP=1        keep the scratch directory
#   CONFAB_BENCH_RESULTS=FILE  add the figures to run.sh's summary
# Exit status: 0, 1 when a call failed to run, 2 when something is missing.
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BENCH_BUILD:-build}
case $build in /*) ;; *) build="$top/$build" ;; esac
confab="$build/confab"
confabd="$build/confabd"
wavq="$build/tools/wavq"
relay="$build/tools/udp_relay"
runs=${BENCH_CALL_RUNS:-4}
cpu_s=${BENCH_CALL_CPU_S:-15}

for b in "$confab" "$confabd"; do
	if [ ! -x "$b" ]; then
		echo "bench_call: $b is missing; run 'make bench'" >&2
		exit 2
	fi
done
# the test tools (make bench builds all and the bench programs only)
if ! make -C "$top" --no-print-directory -s B="$build" tools >/dev/null; then
	echo "bench_call: cannot build $build/tools" >&2
	exit 2
fi

tmp=$(mktemp -d /tmp/confab-callbench.XXXXXX) || exit 2
ns=
pids=
# shellcheck disable=SC2317  # called by the trap
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	[ -n "$ns" ] && ip netns del "$ns" 2>/dev/null
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "bench_call: scratch data kept in $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

results=${CONFAB_BENCH_RESULTS:-$tmp/results}
[ -e "$results" ] || : >"$results"
fail=0

# forget PID: it has been waited for
forget() {
	_np=
	for _p in $pids; do [ "$_p" = "$1" ] || _np="$_np $_p"; done
	pids=$_np
}
# stop PID: SIGTERM, then SIGKILL after 5 s; wait, forget
stop() {
	kill "$1" 2>/dev/null
	_i=0
	while kill -0 "$1" 2>/dev/null && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	forget "$1"
}
# waitfor FILE REGEX TENTHS: until a line of FILE matches (grep -a -E)
waitfor() {
	_i=0
	while ! grep -a -q -E "$2" "$1" 2>/dev/null; do
		_i=$((_i + 1))
		[ $_i -gt "$3" ] && return 1
		sleep 0.1
	done
}
# waitexit PID TENTHS: wait for PID to end by itself, else kill it
waitexit() {
	_i=0
	while kill -0 "$1" 2>/dev/null && [ $_i -lt "$2" ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	kill "$1" 2>/dev/null
	wait "$1"
	_st=$?
	forget "$1"
	return $_st
}
now() { date +%s.%N; }
# ticks PID: utime + stime of PID in clock ticks
ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# ---- the signals --------------------------------------------------------------
"$wavq" gen "$tmp/s3.wav" 3 7 && "$wavq" gen "$tmp/s6.wav" 6 11 &&
"$wavq" gen "$tmp/s8.wav" 8 13 &&
"$wavq" gen "$tmp/s20.wav" 20 3 && "$wavq" gen "$tmp/s20b.wav" 20 4 || exit 2

# ---- confab ---------------------------------------------------------------------
cd "$tmp" || exit 2
printf 'password_cost = min\n' >confabd.conf
echo 'alice pass 1' >alice.pw
echo 'bob pass 22' >bob.pw
: >none.conf
printf 'set echo_cancel = yes\nset noise_suppress = yes\n' >dsp.conf
D() { "$confabd" --config confabd.conf --data-dir data "$@" >/dev/null 2>&1; }
if ! D admin init --company "Acme Ltd" --admin alice --email alice@acme.test \
	--name "Alice Archer" --password-file alice.pw ||
   ! D admin add-user bob --company "Acme Ltd" --email bob@acme.test \
	--name "Bob Baker" --password-file bob.pw; then
	echo "bench_call: confabd admin failed" >&2
	exit 1
fi
"$confabd" --config confabd.conf --data-dir data --listen 127.0.0.1:0 \
	>/dev/null 2>confabd.log &
pids="$pids $!"
waitfor confabd.log 'listening on' 100 || { echo "bench_call: confabd did not start" >&2; exit 1; }
url=http://127.0.0.1:$(sed -n 's/.*(port \([0-9]*\)).*/\1/p' confabd.log)
for u in alice bob; do
	if ! "$confab" -D "$(echo $u | cut -c1)" -C none.conf login --server "$url" \
		--user $u --password-file $u.pw >/dev/null; then
		echo "bench_call: $u cannot sign in" >&2
		exit 1
	fi
done

# relay_start ARGS...: udp_relay on free loopback ports; sets rpid pa pb
relay_start() {
	"$relay" -a 0 -b 0 "$@" >relay.json 2>relay.err &
	rpid=$!
	pids="$pids $rpid"
	waitfor relay.err '^udp_relay: ready' 100 || return 1
	pa=$(sed -n 's/^udp_relay: ready a=[^ ]*:\([0-9]*\) .*/\1/p' relay.err)
	pb=$(sed -n 's/^udp_relay: ready .* b=[^ ]*:\([0-9]*\) .*/\1/p' relay.err)
}

# cf_call NAME FRAME_MS SENT.wav CONF BOB_IN [RELAY-ARGS...]: one call,
# alice sends SENT.wav to bob; leaves NAME.a.json NAME.b.json (stats),
# NAME.wav (what bob heard), NAME.q.json (compare), NAME.seg.json
# (segments) and NAME.m2e (t0 gap, ms).  With CPU=1 also NAME.cpu (% of
# a core: alice bob).
cf_call() {
	_n=$1 _f=$2 _s=$3 _c=$4 _bi=$5
	shift 5
	_pva='' _pvb=''
	if [ $# -gt 0 ]; then
		relay_start "$@" || { echo "  $_n: the relay did not start"; return 1; }
		_pva="--peer-via 127.0.0.1:$pa" _pvb="--peer-via 127.0.0.1:$pb"
	fi
	# shellcheck disable=SC2086  # _pvb and _bi are word lists
	"$confab" -D b -C "$_c" agent --local-addr 127.0.0.1 --auto-answer \
		--count 1 --audio-out "$_n.wav" --stats-json "$_n.b.json" \
		--frame-ms "$_f" $_pvb $_bi >"$_n.agent.out" 2>"$_n.agent.err" &
	_ap=$!
	pids="$pids $_ap"
	waitfor "$_n.agent.out" '^ready bob' 150 || { echo "  $_n: bob's agent did not start"; return 1; }
	# shellcheck disable=SC2086
	"$confab" -D a -C "$_c" call bob --local-addr 127.0.0.1 \
		--audio-in "$_s" --audio-out null --stats-json "$_n.a.json" \
		--frame-ms "$_f" $_pva >"$_n.call.out" 2>"$_n.call.err" &
	_cp=$!
	pids="$pids $_cp"
	if [ "${CPU:-0}" = 1 ] && waitfor "$_n.call.out" '^connected' 100; then
		sleep 1
		_t0=$(now) _a0=$(ticks $_cp) _b0=$(ticks $_ap)
		sleep "$cpu_s"
		_t1=$(now) _a1=$(ticks $_cp) _b1=$(ticks $_ap)
		python3 -c "import sys; t = $_t1 - $_t0
print('%.2f %.2f' % (($_a1 - $_a0) / $hz / t * 100, ($_b1 - $_b0) / $hz / t * 100))" >"$_n.cpu"
	fi
	waitexit $_cp 600
	_cst=$?
	waitexit $_ap 200
	_ast=$?
	if [ -n "$_pva" ]; then
		stop "$rpid"
		cp relay.json "$_n.relay.json"
	fi
	if [ $_cst != 0 ] || [ $_ast != 0 ] || [ ! -s "$_n.b.json" ]; then
		echo "  $_n: the call failed (call exit $_cst, agent exit $_ast)"
		return 1
	fi
	"$wavq" compare "$_s" "$_n.wav" >"$_n.q.json" &&
	"$wavq" segments "$_s" "$_n.wav" 1 >"$_n.seg.json" &&
	python3 -c "import json
a = json.load(open('$_n.a.json'))['audio']; b = json.load(open('$_n.b.json'))['audio']
print('%.3f' % ((b['out_t0_us'] - a['in_t0_us']) / 1000))" >"$_n.m2e"
}

# ---- baresip ----------------------------------------------------------------------
# In its own network namespace ($ns): only lo, up, with a default route
# through it (baresip looks for its address along the default route),
# a JACK server with the dummy driver, the measuring client, and for
# the impaired calls udp_relay on ports 40000+ and nftables DNAT rules.
# Each call k uses RTP ports 20000+2k (alice) and 30000+2k (bob) so
# that no conntrack entry of an earlier call is reused.
bs_py=
bs_ok=0
if [ "${BENCH_CALL_BARESIP:-1}" != 0 ]; then
	for p in /usr/bin/python3 python3; do
		if "$p" -c 'import jack' 2>/dev/null; then bs_py=$p; break; fi
	done
	if ! command -v baresip >/dev/null || ! command -v jackd >/dev/null ||
	   ! command -v ip >/dev/null || ! command -v nft >/dev/null || [ -z "$bs_py" ]; then
		echo "  baresip: skipped: baresip, jackd, python3-jack-client, ip or nft" \
		     "is missing (scripts/deps.sh installs them)"
	elif [ "$(id -u)" != 0 ]; then
		echo "  baresip: skipped: network namespaces need root"
	else
		bs_ok=1
	fi
fi

# The measuring client: RIG SERVER FEED.wav|- OUT.wav.  Plays FEED.wav
# into the first port alice*:input_1 from the process cycle after it
# has connected to it, records bob*:output_1 from the cycle after it has
# connected to that, until SIGTERM; writes OUT.wav and one JSON line:
# {"feed_frame0", "rec_frame0", "period", "xruns", "offset_ms"}.
cat >rig.py <<'EOF'
import array, json, re, signal, sys, time, wave
import jack

server, feed_path, out_path = sys.argv[1:4]
feed = array.array('f')
if feed_path != '-':
    w = wave.open(feed_path)
    feed = array.array('f', (v / 32768.0 for v in
                             array.array('h', w.readframes(w.getnframes()))))
c = jack.Client('rig', servername=server, no_start_server=True)
mic = c.outports.register('mic')
ear = c.inports.register('ear')
period = c.blocksize
st = {'feed': 0, 'rec': 0, 'pos': 0, 'f0': None, 'r0': None, 'xruns': 0}
rec = []
zeros = array.array('f', bytes(4 * 8192))

@c.set_process_callback
def process(n):
    mb = memoryview(mic.get_buffer()).cast('B').cast('f')
    k = 0
    if st['feed'] == 1:
        st['feed'] = 2
        st['f0'] = c.last_frame_time
    if st['feed'] == 2 and st['pos'] < len(feed):
        k = min(n, len(feed) - st['pos'])
        mb[:k] = feed[st['pos']:st['pos'] + k]
        st['pos'] += k
    if k < n:
        mb[k:n] = zeros[:n - k]
    if st['rec'] == 1:
        st['rec'] = 2
        st['r0'] = c.last_frame_time
    if st['rec'] == 2:
        rec.append(bytes(memoryview(ear.get_buffer()).cast('B')))

@c.set_xrun_callback
def xrun(delay):
    st['xruns'] += 1

stop = False
def on_term(*a):
    global stop
    stop = True
signal.signal(signal.SIGTERM, on_term)
c.activate()
print('rig ready', flush=True)
fre = re.compile(r'^alice[^:]*:input_1$')
rre = re.compile(r'^bob[^:]*:output_1$')
while not stop:
    if (st['feed'] == 0 and feed_path != '-') or st['rec'] == 0:
        for p in [p.name for p in c.get_ports()]:
            try:
                if st['feed'] == 0 and feed_path != '-' and fre.match(p):
                    c.connect(mic, p)
                    st['feed'] = 1
                if st['rec'] == 0 and rre.match(p):
                    c.connect(p, ear)
                    st['rec'] = 1
            except jack.JackError:
                pass	# registered, not active yet: next time
    time.sleep(0.002)
c.deactivate()
c.close()
pcm = array.array('f', b''.join(rec))
out = array.array('h', (max(-32768, min(32767, int(round(v * 32768.0))))
                        for v in pcm))
w = wave.open(out_path, 'wb')
w.setnchannels(1)
w.setsampwidth(2)
w.setframerate(48000)
w.writeframes(out.tobytes())
w.close()
res = {'feed_frame0': st['f0'], 'rec_frame0': st['r0'], 'period': period,
       'xruns': st['xruns'], 'recorded_s': len(out) / 48000.0}
if st['f0'] is not None and st['r0'] is not None:
    res['offset_ms'] = (st['r0'] - st['f0']) / 48.0
print(json.dumps(res), flush=True)
EOF

# bs_conf DIR NAME SIP_PORT RTP_PORT PTIME SOURCE [MODULE...]: a config dir
bs_conf() {
	_d=$1 _nm=$2 _sp=$3 _rp=$4 _pt=$5 _src=$6
	shift 6
	mkdir -p "$_d" bs_sounds
	case $_src in
	jack*) _fmt=float ;;
	*) _fmt=s16 ;;		# aufile reads 16-bit samples only
	esac
	{
		printf '%s\t%s\n' poll_method epoll sip_listen "127.0.0.1:$_sp" \
			call_local_timeout 120 call_max_calls 4 \
			audio_path "$tmp/bs_sounds" audio_player jack, \
			audio_alert jack, audio_source "$_src" ausrc_srate 48000 \
			auplay_srate 48000 ausrc_channels 1 auplay_channels 1 \
			ausrc_format "$_fmt" auplay_format float audio_buffer 20-160 \
			rtp_ports "$_rp-$((_rp + 1))" rtcp_mux yes \
			jitter_buffer_delay "${bs_jb:-5-10}" module_path /usr/lib/baresip/modules \
			module opus.so module jack.so module aufile.so module srtp.so
		for _m in "$@"; do printf 'module\t%s\n' "$_m"; done
		printf '%s\t%s\n' module_tmp account.so module_app menu.so \
			opus_bitrate 28000 opus_stereo no opus_sprop_stereo no \
			jack_client_name "$_nm" jack_connect_ports no
	} >"$_d/config"
	echo "<sip:$_nm@127.0.0.1:$_sp>;regint=0;audio_codecs=opus/48000/2;mediaenc=srtp-mand;answermode=auto;ptime=$_pt" \
		>"$_d/accounts"
	: >"$_d/contacts"
}

# bs_call NAME PTIME ALICE_SOURCE FEED.wav|- BOB_SOURCE SECONDS SENT.wav
#         [relay ARGS...] [-- MODULE...]
# One call in $ns: bob auto-answers, alice dials and quits after SECONDS.
# Leaves NAME.wav (bob's output), NAME.rig.json, NAME.q.json,
# NAME.seg.json; with CPU=1 NAME.cpu.
bs_k=0
bs_call() {
	_n=$1 _pt=$2 _as=$3 _fd=$4 _bs=$5 _secs=$6 _s=$7
	shift 7
	bs_k=$((bs_k + 1))
	_ra=$((20000 + 2 * bs_k)) _rb=$((30000 + 2 * bs_k))
	_qa=$((40000 + 2 * bs_k)) _qb=$((40001 + 2 * bs_k))
	_rargs=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do _rargs="$_rargs $1"; shift; done
	[ $# -gt 0 ] && shift
	rm -rf bs_a bs_b
	bs_conf bs_a alice $((5060 + 20 * bs_k)) $_ra "$_pt" "$_as" "$@"
	bs_conf bs_b bob $((5070 + 20 * bs_k)) $_rb "$_pt" "$_bs" "$@"
	_rl=
	if [ -n "$_rargs" ]; then
		nft -f - <<EOF || return 1
table ip cb$bs_k {
	chain out {
		type nat hook output priority -100;
		udp sport $_ra udp dport $_rb dnat to 127.0.0.1:$_qa
		udp sport $_rb udp dport $_ra dnat to 127.0.0.1:$_qb
	}
}
EOF
		# shellcheck disable=SC2086
		ip netns exec "$ns" "$relay" -a $_qa -b $_qb $_rargs \
			>"$_n.relay.json" 2>"$_n.relay.err" &
		_rl=$!
		pids="$pids $_rl"
		waitfor "$_n.relay.err" '^udp_relay: ready' 100 || return 1
	fi
	ip netns exec "$ns" "$bs_py" rig.py "$jsrv" "$_fd" "$_n.wav" \
		>"$_n.rig.out" 2>"$_n.rig.err" &
	_rg=$!
	pids="$pids $_rg"
	waitfor "$_n.rig.out" '^rig ready' 100 || { echo "  $_n: the measuring client did not start"; return 1; }
	ip netns exec "$ns" baresip -f bs_b </dev/null >"$_n.bob.out" 2>&1 &
	_bp=$!
	pids="$pids $_bp"
	waitfor "$_n.bob.out" 'baresip is ready' 100 || { echo "  $_n: baresip (bob) did not start"; return 1; }
	ip netns exec "$ns" baresip -f bs_a -t "$_secs" \
		-e "/dial sip:bob@127.0.0.1:$((5070 + 20 * bs_k))" </dev/null \
		>"$_n.alice.out" 2>&1 &
	_cp=$!
	pids="$pids $_cp"
	if [ "${CPU:-0}" = 1 ] && waitfor "$_n.alice.out" 'Call established' 100; then
		sleep 1
		_t0=$(now) _a0=$(ticks $_cp) _b0=$(ticks $_bp)
		sleep "$cpu_s"
		_t1=$(now) _a1=$(ticks $_cp) _b1=$(ticks $_bp)
		python3 -c "import sys; t = $_t1 - $_t0
print('%.2f %.2f' % (($_a1 - $_a0) / $hz / t * 100, ($_b1 - $_b0) / $hz / t * 100))" >"$_n.cpu"
	fi
	# alice quits after SECONDS (-t); with aufile her call ends sooner,
	# at the end of her file, and then she is stopped
	_i=0
	while kill -0 $_cp 2>/dev/null && [ $_i -lt $((_secs * 10 + 100)) ] &&
	      ! grep -a -q -E 'terminated|session closed' "$_n.alice.out" 2>/dev/null; do
		sleep 0.1
		_i=$((_i + 1))
	done
	sleep 0.3
	stop $_cp
	stop $_bp
	stop $_rg
	tail -1 "$_n.rig.out" >"$_n.rig.json"
	if [ -n "$_rl" ]; then
		stop $_rl
		nft delete table ip "cb$bs_k"
	fi
	if ! grep -a -q 'Call established' "$_n.alice.out"; then
		echo "  $_n: the baresip call failed (see $_n.alice.out)"
		return 1
	fi
	"$wavq" compare "$_s" "$_n.wav" >"$_n.q.json" &&
	"$wavq" segments "$_s" "$_n.wav" 1 >"$_n.seg.json"
}

# pad IN OUT SECONDS: IN with SECONDS of silence after it (aufile hangs
# up at the end of its file: the call then ends like confab's, with the
# sound in flight still played)
pad() {
	python3 -c "import sys, wave
r = wave.open(sys.argv[1]); d = r.readframes(r.getnframes())
w = wave.open(sys.argv[2], 'wb'); w.setnchannels(1); w.setsampwidth(2)
w.setframerate(48000); w.writeframes(d + bytes(int(2 * 48000 * float(sys.argv[3])))); w.close()" "$@"
}

# ---- the runs ------------------------------------------------------------------------
frames="20 10"
losses="0 5 10 20"
jitters="10 30 60"

echo "  confab: $runs calls per frame size, 3 s of speech each (delay)"
for f in $frames; do
	i=1
	while [ $i -le "$runs" ]; do
		cf_call "cf_d${f}_$i" "$f" s3.wav none.conf "" || fail=1
		i=$((i + 1))
	done
done
echo "  confab: 8 s of speech through the relay at each loss, 6 s at each jitter"
for l in $losses; do
	cf_call "cf_l$l" 20 s8.wav none.conf "" --loss "$l" --seed 5 &&
	"$wavq" segments s8.wav "cf_l$l.wav" 2 >"cf_l$l.segq.json" || fail=1
done
for j in $jitters; do
	cf_call "cf_j$j" 20 s6.wav none.conf "" --delay "$j" --jitter "$j" --seed 5 || fail=1
done
echo "  confab: a 20 s call both ways with echo cancellation and noise suppression (CPU)"
CPU=1 cf_call cf_cpu 20 s20.wav dsp.conf "--audio-in s20b.wav" || fail=1

if [ $bs_ok = 1 ]; then
	ns=confab-call-$$
	jsrv=confab-call-$$
	if ! ip netns add "$ns" || ! ip netns exec "$ns" ip link set lo up ||
	   ! ip netns exec "$ns" ip route add default dev lo; then
		echo "  baresip: skipped: cannot set up a network namespace"
		bs_ok=0
	fi
fi
if [ $bs_ok = 1 ]; then
	nft() { ip netns exec "$ns" nft "$@"; }
	export JACK_DEFAULT_SERVER="$jsrv"
	ip netns exec "$ns" jackd -n "$jsrv" -r -d dummy -r 48000 -p 240 -C 2 -P 2 \
		>jackd.log 2>&1 &
	jp=$!
	pids="$pids $jp"
	i=0
	until "$bs_py" -c "import jack; jack.Client('probe', servername='$jsrv', no_start_server=True).close()" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 50 ]; then echo "bench_call: jackd did not start (jackd.log)" >&2; exit 1; fi
		sleep 0.1
	done
	pad s20.wav s20p.wav 1
	pad s20b.wav s20bp.wav 30
	pad s8.wav s8p.wav 1
	"$wavq" gen quiet.wav 0.1 1 && pad quiet.wav silence.wav 60
	bob_src="aufile,$tmp/silence.wav"
	echo "  baresip: the same calls (JACK dummy driver, measuring client)"
	for f in $frames; do
		i=1
		while [ $i -le "$runs" ]; do
			bs_call "bs_d${f}_$i" "$f" jack, s3.wav "$bob_src" 5 s3.wav || fail=1
			i=$((i + 1))
		done
	done
	# baresip's default jitter buffer holds 5 frames: how low it goes
	# with one (informative, 2 calls)
	bs_jb=1-10
	for i in 1 2; do
		bs_call "bs_t20_$i" 20 jack, s3.wav "$bob_src" 5 s3.wav || fail=1
	done
	bs_jb=
	for l in $losses; do
		bs_call "bs_l$l" 20 "aufile,$tmp/s8p.wav" - "$bob_src" 14 s8.wav \
			--loss "$l" --seed 5 &&
		"$wavq" segments s8.wav "bs_l$l.wav" 2 >"bs_l$l.segq.json" || fail=1
	done
	# the jitter runs measure delay: the measuring client plays alice's part
	bs_call "bs_j0" 20 jack, s6.wav "$bob_src" 8 s6.wav --seed 5 || fail=1
	for j in $jitters; do
		bs_call "bs_j$j" 20 jack, s6.wav "$bob_src" 8 s6.wav \
			--delay "$j" --jitter "$j" --seed 5 || fail=1
	done
	CPU=1 bs_call bs_cpu 20 "aufile,$tmp/s20p.wav" - "aufile,$tmp/s20bp.wav" 40 \
		s20.wav -- speex_pp.so || fail=1
	stop $jp
fi

# ---- the figures ----------------------------------------------------------------------
python3 - "$tmp" "$runs" "$bs_ok" "$results" "$losses" "$jitters" <<'EOF' || fail=1
import json, math, os, sys
tmp, runs, bs_ok, results = sys.argv[1], int(sys.argv[2]), sys.argv[3] == '1', sys.argv[4]
losses = sys.argv[5].split()
jitters = sys.argv[6].split()
os.chdir(tmp)

def ld(f):
    try:
        return json.load(open(f))
    except Exception:
        return None

def pct(v, p):
    v = sorted(v)
    return v[max(0, math.ceil(p / 100 * len(v)) - 1)] if v else None

# the windows' mouth-to-ear of one call, ms
def m2e(name):
    s = ld(name + '.seg.json')
    if not s or not s.get('segments'):
        return []
    if name.startswith('cf_'):
        try:
            base = float(open(name + '.m2e').read())
        except Exception:
            return []
    else:
        r = ld(name + '.rig.json')
        if not r or r.get('offset_ms') is None:
            return []
        base = r['offset_ms'] + r['period'] / 48.0
    return [w[1] + base for w in s['segments'] if w[2] >= 0.8]

rows = []	# (label, confab, baresip, unit, target)
def row(label, cf, bs, unit, target=0, fmt='%.1f'):
    rows.append((label, cf, bs, unit, target, fmt))

eng = [('cf', True), ('bs', bs_ok)]
for f in ('20', '10'):
    v = {}
    for e, on in eng:
        w = []
        for i in range(1, runs + 1):
            w += m2e('%s_d%s_%d' % (e, f, i)) if on else []
        v[e] = w
    row('mouth-to-ear p50, %s ms frames' % f, pct(v['cf'], 50), pct(v['bs'], 50), 'ms',
        60 if f == '20' else 40)
    row('mouth-to-ear p90, %s ms frames' % f, pct(v['cf'], 90), pct(v['bs'], 90), 'ms')
for side, k in (('caller', 0), ('callee', 1)):
    val = {}
    for e, on in eng:
        try:
            val[e] = float(open(e + '_cpu.cpu').read().split()[k]) if on else None
        except Exception:
            val[e] = None
    row('CPU per call, %s (%% of a core)' % side, val['cf'], val['bs'], '%', 3, '%.2f')
for l in losses:
    q = {e: (ld('%s_l%s.q.json' % (e, l)) if on else None) for e, on in eng}
    row('STOI at %s %% loss' % l, *(q[e] and q[e]['stoi'] for e in ('cf', 'bs')), '', 0, '%.3f')
    row('segSNR at %s %% loss' % l, *(q[e] and q[e]['segsnr'] for e in ('cf', 'bs')), 'dB')
    q = {e: (ld('%s_l%s.segq.json' % (e, l)) if on else None) for e, on in eng}
    row('STOI at %s %% loss, 2 s windows' % l,
        *(q[e] and q[e].get('stoi_mean') for e in ('cf', 'bs')), '', 0, '%.3f')
if bs_ok:
    row('mouth-to-ear p50, jbuf 1 frame', None,
        pct(m2e('bs_t20_1') + m2e('bs_t20_2'), 50), 'ms')
# the reference for the jitter runs: the 20 ms delay calls and the clean
# call through the relay (one call alone is off by up to a frame: the
# phase between the two sides' audio clocks)
base = {}
for e, on, r0 in (('cf', True, 'cf_l0'), ('bs', bs_ok, 'bs_j0')):
    w = m2e(r0) if on else []
    for i in range(1, runs + 1):
        w += m2e('%s_d20_%d' % (e, i)) if on else []
    base[e] = pct(w, 50)
row('mouth-to-ear p50 via relay', pct(m2e('cf_l0'), 50),
    pct(m2e('bs_j0'), 50) if bs_ok else None, 'ms')
for j in jitters:
    d = {}
    st = {}
    for e, on in eng:
        p = pct(m2e('%s_j%s' % (e, j)), 50) if on else None
        d[e] = p - base[e] if p is not None and base[e] is not None else None
        q = ld('%s_j%s.q.json' % (e, j)) if on else None
        st[e] = q and q['stoi']
    row('delay added at %s ms jitter' % j, d['cf'], d['bs'], 'ms')
    row('STOI at %s ms jitter' % j, st['cf'], st['bs'], '', 0, '%.3f')

def show(v, fmt):
    return '-' if v is None else fmt % v
print()
print('  %-44s %10s %10s  %s' % ('', 'confab', 'baresip', 'target'))
out = open(results, 'a')
for label, cf, bs, unit, target, fmt in rows:
    status = ''
    if target and cf is not None:
        status = 'met' if cf <= target else 'NOT met'
    print('  %-44s %10s %10s  %-4s %s' % (label, show(cf, fmt), show(bs, fmt), unit,
          ('(<= %s %s) %s' % (target, unit, status)) if target else ''))
    t = ('<= %s' % target) if target else '-'
    rf = '%.3f' if fmt == '%.3f' else '%.2f'
    if cf is not None:
        out.write(('call: %s|' + rf + '|%s|%s|%s\n') % (label, cf, unit, t, status or 'info'))
    if bs is not None:
        out.write(('baresip: %s|' + rf + '|%s|-|info\n') % (label, bs, unit))
out.close()

# details
print()
for e, on in eng:
    if not on:
        continue
    names = ['%s_d%s_%d' % (e, f, i) for f in ('20', '10') for i in range(1, runs + 1)]
    if e == 'bs':
        names += ['bs_t20_1', 'bs_t20_2', 'bs_j0']
    names += ['%s_l%s' % (e, l) for l in losses] + ['%s_j%s' % (e, j) for j in jitters]
    for n in names + [e + '_cpu']:
        w = m2e(n)
        s = ld(n + '.seg.json')
        line = '  %-8s' % n
        if w:
            line += ' mouth-to-ear p50 %.1f ms (lag %.1f ms);' % (
                pct(w, 50), pct([x[1] for x in s['segments'] if x[2] >= 0.8], 50))
        s = ld(n + '.segq.json')
        if s and s['segments']:
            line += ' delay %.0f..%.0f ms over the call;' % (
                min(x[1] for x in s['segments']), max(x[1] for x in s['segments']))
        r = ld(n + '.relay.json')
        a = ld(n + '.a.json')
        b = ld(n + '.b.json')
        if r:
            ab = r['a_to_b']
            line += ' relay a->b %d in, %d lost, %d reordered;' % (ab['received'], ab['lost'], ab['reordered'])
        if b:
            j = b['jbuf']
            line += ' bob jbuf delay %d ms target %d, late %d, concealed %d, fec %d;' % (
                j['delay_ms'], j['target_ms'], j['late'], j['concealed'], j['fec'])
        if a:
            line += ' alice sent %.1f kbit/s, FEC for %d %% loss' % (
                a['audio']['bitrate'] / 1000, a['audio']['fec_loss_pct'])
        rg = ld(n + '.rig.json')
        if rg:
            line += ' JACK xruns %d' % rg['xruns']
        print(line)
EOF
exit $fail
