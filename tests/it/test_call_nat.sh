#!/bin/sh
# tests/it/test_call_nat.sh: real calls through NAT, in network namespaces
# made for the run (root, nftables and coturn's turnserver needed):
#
#   alice 10.1.0.2 -- 10.1.0.1 router 1 172.16.0.11 --+ bridge, with confabd
#                                                     | and turnserver on
#   bob   10.2.0.2 -- 10.2.0.1 router 2 172.16.0.12 --+ 172.16.0.1
#
# Each router masquerades what leaves by its WAN side (nftables) and, as
# home routers do, drops what arrives there unasked.  With both keeping
# ports (endpoint-independent mapping) hole punching works and the call
# takes a direct path between the routers' addresses; with router 2
# picking a new port per destination (`masquerade fully-random`) only the
# TURN relay gets through; with router 1 dropping the UDP its LAN
# forwards, alice reaches the relay over TCP.  In each case bob's agent
# records the speech alice sends, intelligible (STOI) and with a short
# mouth-to-ear delay, and the path both report in their stats is the one
# expected.  Each case uses its own media ports, so that the routers'
# connection tracking from one case cannot help the next.  The
# namespaces, and everything started in them, go at exit.
# Prints "ok - ..." / "not ok - ..."; exits 1 on failure.
IT_TMP=confab-nat
IT_SHOW="out err" IT_SHOW_LINES=6 IT_LOG_LINES=0
pubip=172.16.0.1
secret=it-nat-secret-$$
IT_CONFIG="turn_uris = turn:$pubip:3478?transport=udp, turn:$pubip:3478?transport=tcp
stun_uris = stun:$pubip:3478
turn_secret = $secret
turn_ttl = 600"
. "$(dirname "$0")/lib.sh"
trap 'exit 1' PIPE

WAVQ=${WAVQ:-$top/build/tools/wavq}
apid=
cpid=
tpid=
made=
it_at_exit() {
	# TERM first: `timeout` passes it on to the confab it runs
	for _p in $cpid $apid $tpid $pid; do
		kill "$_p" 2>/dev/null
	done
	sleep 0.2
	for _p in $cpid $apid $tpid $pid; do
		kill -9 "$_p" 2>/dev/null
		wait "$_p" 2>/dev/null
	done
	pid=
	for _n in $made; do
		# anything of ours still in there (it should all be gone)
		for _p in $(ip netns pids "$_n" 2>/dev/null); do
			kill -9 "$_p" 2>/dev/null
		done
		ip netns del "$_n" 2>/dev/null
	done
	:
}

if [ "$(id -u)" != 0 ] || ! command -v nft >/dev/null ||
	! command -v turnserver >/dev/null; then
	not_ok "root, nft and turnserver are available"
	exit 1
fi

# ---- the network --------------------------------------------------------------------------------
sfx=$$-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
pub=confab-nat-$sfx-pub
r1=confab-nat-$sfx-r1
r2=confab-nat-$sfx-r2
na=confab-nat-$sfx-alice
nb=confab-nat-$sfx-bob
in_ns() { _n=$1; shift; ip netns exec "$_n" "$@"; }
net() {
	for _n in "$pub" "$r1" "$r2" "$na" "$nb"; do
		ip netns add "$_n" || return 1
		made="$made $_n"
		in_ns "$_n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
			net.ipv6.conf.default.disable_ipv6=1 || return 1
		ip -n "$_n" link set lo up || return 1
	done
	ip -n "$pub" link add br0 type bridge &&
		ip -n "$pub" addr add "$pubip/24" dev br0 &&
		ip -n "$pub" link set br0 up || return 1
	# the rest of the internet: a default route to a gateway that is not
	# there (a veth looped on itself, a made-up neighbour), so packets for
	# nowhere vanish quietly.  Without one, turnserver relaying a check to
	# a client's private (host) address gets ENETUNREACH and closes that
	# client's whole allocation.
	for _n in "$pub" "$r1" "$r2"; do
		ip -n "$_n" link add void type veth peer name voidp &&
			ip -n "$_n" link set void up &&
			ip -n "$_n" link set voidp up &&
			ip -n "$_n" neigh add 192.0.2.1 lladdr 02:00:00:00:00:01 \
				dev void nud permanent &&
			ip -n "$_n" route add default via 192.0.2.1 dev void onlink ||
			return 1
	done
	# router N: WAN 172.16.0.1N on the bridge, LAN 10.N.0.1 to its client
	for _i in 1 2; do
		if [ $_i = 1 ]; then _r=$r1 _c=$na; else _r=$r2 _c=$nb; fi
		ip -n "$pub" link add "p$_i" type veth peer name wan netns "$_r" &&
			ip -n "$pub" link set "p$_i" master br0 &&
			ip -n "$pub" link set "p$_i" up &&
			ip -n "$_r" addr add "172.16.0.1$_i/24" dev wan &&
			ip -n "$_r" link set wan up &&
			ip -n "$_r" link add lan type veth peer name eth0 netns "$_c" &&
			ip -n "$_r" addr add "10.$_i.0.1/24" dev lan &&
			ip -n "$_r" link set lan up &&
			in_ns "$_r" sysctl -qw net.ipv4.ip_forward=1 &&
			ip -n "$_c" addr add "10.$_i.0.2/24" dev eth0 &&
			ip -n "$_c" link set eth0 up &&
			ip -n "$_c" route add default via "10.$_i.0.1" || return 1
	done
}
# router NS eim|random|noudp: masquerade keeping ports; picking a new one
# per destination; keeping ports but dropping the UDP the LAN forwards.
# Like any home router it drops what comes unasked to its WAN address:
# else the first check from the other side, arriving before ours leaves,
# leaves a conntrack entry for that pair of addresses, and masquerade
# then has to give our packets to that peer another port (no hole is
# punched).
router() {
	case $2 in
	random) _nat="masquerade fully-random" _fw= ;;
	noudp) _nat=masquerade _fw='iifname "lan" meta l4proto udp drop' ;;
	*) _nat=masquerade _fw= ;;
	esac
	in_ns "$1" nft -f - <<EOF
flush ruleset
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "wan" $_nat
	}
}
table inet filter {
	chain in {
		type filter hook input priority filter; policy accept;
		iifname "wan" ct state new drop
	}
	chain through {
		type filter hook forward priority filter; policy accept;
		$_fw
	}
}
EOF
}
if net && router "$r1" eim && router "$r2" eim; then
	ok "the namespaces: a public bridge, two NAT routers, alice and bob"
else
	not_ok "the namespaces: a public bridge, two NAT routers, alice and bob"
	exit 1
fi

# ---- confabd and turnserver in the public namespace ------------------------------------------
acme --perm phone
: >"$tmp/log"
in_ns "$pub" "$CONFABD" --config "$conf" --data-dir "$tmp/data" \
	--listen "$pubip:8740" 2>>"$tmp/log" &
pid=$!
i=0
until grep -q 'listening on' "$tmp/log"; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
		not_ok "confabd starts in the public namespace"
		exit 1
	fi
	sleep 0.05
done
url=http://$pubip:8740

mkdir -p "$tmp/turn"
in_ns "$pub" turnserver -n --listening-ip "$pubip" --relay-ip "$pubip" \
	--listening-port 3478 --min-port 49152 --max-port 49300 \
	--use-auth-secret --static-auth-secret "$secret" --realm confab \
	--no-cli --no-tls --no-dtls \
	--userdb "$tmp/turn/turndb" --pidfile "$tmp/turn/pid" \
	--log-file stdout --simple-log >"$tmp/turn/log" 2>&1 &
tpid=$!
i=0
until grep -q 'Total General servers' "$tmp/turn/log" 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$tpid" 2>/dev/null; then
		not_ok "turnserver starts in the public namespace"
		sed 's/^/#   turn: /' "$tmp/turn/log" | tail -5
		exit 1
	fi
	sleep 0.05
done

# nclient NS DIR ARGS...: confab in namespace NS, data dir $tmp/DIR,
# output in $tmp/out and $tmp/err; sets status
nclient() {
	_n=$1 _dir=$2
	shift 2
	in_ns "$_n" "$CONFAB" -D "$tmp/$_dir" -C "$tmp/none.conf" "$@" \
		>"$tmp/out" 2>"$tmp/err"
	status=$?
}
nclient "$na" a login --server "$url" --user alice --password-file "$tmp/alice"
check "alice signs in from behind router 1" [ "$status" = 0 ]
nclient "$nb" b login --server "$url" --user bob --password-file "$tmp/bob"
check "bob signs in from behind router 2" [ "$status" = 0 ]
"$WAVQ" gen "$tmp/speech.wav" 4 11 || not_ok "wavq gen"

# js FILE EXPR: python over a JSON file as j
js() { python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print(($2))" "$1" 2>/dev/null; }

# call CASE PORT: bob's agent takes one call and alice calls him with the
# speech, media ports from PORT; their output in $tmp/CASE.{a,b}.{out,err},
# their stats in $tmp/CASE.{a,b}.json, what bob heard in $tmp/CASE.wav
call() {
	_c=$1
	IT_SHOW="$_c.a.out $_c.a.err $_c.b.out $_c.b.err"
	: >"$tmp/$_c.b.out"
	in_ns "$nb" "$CONFAB" -D "$tmp/b" -C "$tmp/none.conf" agent --auto-answer \
		--count 1 --port "$2" --audio-out "$tmp/$_c.wav" \
		--stats-json "$tmp/$_c.b.json" >"$tmp/$_c.b.out" 2>"$tmp/$_c.b.err" &
	apid=$!
	i=0
	while ! grep -q '^ready bob' "$tmp/$_c.b.out" && [ $i -lt 150 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	check "$_c: bob's agent gets ready" grep -q '^ready bob' "$tmp/$_c.b.out"
	t0=$(now)
	in_ns "$na" timeout 40 "$CONFAB" -D "$tmp/a" -C "$tmp/none.conf" call bob \
		--port "$2" --audio-in "$tmp/speech.wav" --audio-out null \
		--stats-json "$tmp/$_c.a.json" >"$tmp/$_c.a.out" 2>"$tmp/$_c.a.err" &
	cpid=$!
	wait "$cpid"
	status=$?
	cpid=
	took=$(since "$t0")
	check "$_c: the call is answered (exit $status, ${took}s)" [ "$status" = 0 ]
	exit_wait "$apid" 100
	ast=$?
	[ "$ast" = 124 ] && ast="still running, killed"
	apid=
	check "$_c: bob's agent takes the call and exits ($ast)" [ "$ast" = 0 ]
	grep '^connected' "$tmp/$_c.a.out" | sed 's/^/# alice: /'
	grep '^connected' "$tmp/$_c.b.out" | sed 's/^/# bob: /'
	for _w in a b; do
		if grep -q 'Sanitizer\|runtime error' "$tmp/$_c.$_w.err"; then
			not_ok "$_c: no sanitizer report from $(who $_w)"
			grep -A12 'ERROR: AddressSanitizer\|runtime error' "$tmp/$_c.$_w.err" |
				grep -v '^ *#[0-9]* 0x[0-9a-f]* *(' | head -14 | sed 's/^/#   /'
		fi
	done
	# bob's file starts when his side of ICE is ready, alice's speech
	# when hers is, which behind NAT can be seconds later: look for it
	# up to 8 s in
	stoi=0
	m2e=
	if [ -s "$tmp/$_c.wav" ] && "$WAVQ" compare "$tmp/speech.wav" \
		"$tmp/$_c.wav" 8000 >"$tmp/$_c.q.json"; then
		stoi=$(js "$tmp/$_c.q.json" 'j["stoi"]')
		# mouth-to-ear: the lag in the files less the gap between
		# alice's first sample captured and bob's first played
		m2e=$(python3 -c "import json
q = json.load(open('$tmp/$_c.q.json')); a = json.load(open('$tmp/$_c.a.json'))
b = json.load(open('$tmp/$_c.b.json'))
print('%.1f' % (q['delay_ms'] + (b['audio']['out_t0_us'] - a['audio']['in_t0_us']) / 1000))" 2>/dev/null)
	fi
	check "$_c: bob's file holds alice's speech, intelligible (STOI ${stoi:-?} > 0.85)" \
		python3 -c "import sys; sys.exit(0 if ${stoi:-0} > 0.85 else 1)"
	check "$_c: mouth-to-ear delay ${m2e:-?} ms is under 250 ms" \
		python3 -c "import sys; sys.exit(0 if 0 < ${m2e:-0} < 250 else 1)"
}
# path CASE WHO NAME EXPR: a check on WHO's (a, b) stats: p is its "path"
path() {
	_f=$tmp/$1.$2.json
	check "$1: $3" python3 -c "import json,sys
try:
	p = json.load(open(sys.argv[1]))['path']
except (OSError, ValueError, KeyError) as e:
	print('#   %s: no path: %s' % (sys.argv[2], e)); sys.exit(1)
sys.exit(0 if ($4) else 1)" "$_f" "$2"
	python3 -c "import json,sys
p = json.load(open(sys.argv[1]))['path']
print('#   %s: %s %s %s-%s %s -> %s' % ({'a': 'alice', 'b': 'bob'}[sys.argv[2]], 'relayed' if p['relayed'] else 'direct',
	p['transport'], p['local_type'], p['remote_type'], p['local'], p['remote']))" \
		"$_f" "$2" 2>/dev/null
}
who() { if [ "$1" = a ]; then echo alice; else echo bob; fi; }
# diag: the logs' ends, when a case went wrong
diag() {
	for _f in a/confab.log b/confab.log; do
		tail -3 "$tmp/$_f" | sed "s|^|#   $_f: |"
	done
	grep -i 'closed\|error\|unreachable' "$tmp/turn/log" | tail -6 |
		sed 's/^/#   turnserver: /'
}

# ---- 1: both routers endpoint-independent: a direct path ---------------------------------
f0=$failed
call eim 20000
for w in a b; do
	path eim $w "$(who $w)'s path is direct, between reflexive addresses" \
		'p["relayed"] is False and p["local_type"] in ("srflx", "prflx") and p["remote_type"] in ("srflx", "prflx")'
done
[ "$failed" = "$f0" ] || diag

# ---- 2: router 2 port-randomising: relayed ------------------------------------------------
f0=$failed
check "random: router 2 now picks a new port per destination" router "$r2" random
call random 22000
for w in a b; do
	path random $w "$(who $w)'s path goes through the relay" \
		'p["relayed"] is True and "relay" in (p["local_type"], p["remote_type"])'
done
check "random: alice printed a relayed path" grep -q '^connected relayed' "$tmp/random.a.out"
[ "$failed" = "$f0" ] || diag

# ---- 3: router 1 drops forwarded UDP: TURN over TCP ---------------------------------------
f0=$failed
firewall() { router "$r2" eim && router "$r1" noudp; }
check "tcp: router 2 keeps ports again, router 1 drops its LAN's UDP" firewall
call tcp 24000
path tcp a "alice's path is her relay, reached over TCP" \
	'p["relayed"] is True and p["local_type"] == "relay" and p["transport"] == "tcp"'
path tcp b "bob's path goes through the relay" 'p["relayed"] is True'
check "tcp: alice printed a relayed TCP path" grep -q '^connected relayed tcp' "$tmp/tcp.a.out"
[ "$failed" = "$f0" ] || diag

exit $((failed > 0))
