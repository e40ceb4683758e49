#!/bin/sh
# tests/it/test_msg_reliability.sh: nothing lost, nothing twice.
#
# Alice and Bob each send the other MSG_N messages (default 5000, 10,000
# in all), numbered, in chunks queued with `confab msg send --each-line
# --no-send` and flushed by `confab sync`, from two real clients at once.
# Meanwhile confabd is killed with SIGKILL and restarted several times,
# and one of Alice's sync processes is killed with SIGKILL mid-flush.
# Afterwards each inbox must hold every message of the other exactly
# once, in the order sent (by the server's message ids).
# Prints "ok - ..." / "not ok - ..."; exits 1 on failure.

IT_TMP=confab-rel
IT_SHOW="out err" IT_SHOW_LINES=8 IT_LOG_LINES=8
. "$(dirname "$0")/lib.sh"

N=${MSG_N:-5000}
CHUNKS=${MSG_CHUNKS:-50}
KILLS=${MSG_KILLS:-5}

acme
start
A() { client a "$@"; }
B() { client b "$@"; }
A login --server "$url" --user alice --password-file "$tmp/alice"
B login --server "$url" --user bob --password-file "$tmp/bob"

per=$((N / CHUNKS))
# sender WHO TO DIR: queue a chunk, flush it, again; each sync's pid is
# kept in $tmp/DIR.pid so that the test can kill one
sender() {
	_who=$1 _to=$2 _dir=$3
	_c=0
	while [ $_c -lt $CHUNKS ]; do
		_from=$((_c * per + 1))
		seq -f "$_who-%05g" $_from $((_from + per - 1)) >"$tmp/$_dir.chunk"
		"$CONFAB" -D "$tmp/$_dir" -C "$tmp/none.conf" msg send --to "$_to" \
			--each-line --no-send - <"$tmp/$_dir.chunk" \
			>>"$tmp/$_dir.log" 2>&1 || echo "queue failed" >>"$tmp/$_dir.fail"
		"$CONFAB" -D "$tmp/$_dir" -C "$tmp/none.conf" sync --quiet \
			>>"$tmp/$_dir.log" 2>&1 &
		echo $! >"$tmp/$_dir.pid"
		wait $!
		_c=$((_c + 1))
	done
	echo done >"$tmp/$_dir.done"
}

it_at_exit() {
	for _p in "${spid_a-}" "${spid_b-}"; do
		[ -n "$_p" ] && kill "$_p" 2>/dev/null
	done
}

t0=$(now)
sender a bob a </dev/null >/dev/null 2>&1 &
spid_a=$!
sender b alice b </dev/null >/dev/null 2>&1 &
spid_b=$!

# the chaos: confabd killed and restarted, one client killed mid-sync
kills=0
client_killed=0
while [ ! -e "$tmp/a.done" ] || [ ! -e "$tmp/b.done" ]; do
	sleep 0.$(( ($(od -An -N1 -tu1 /dev/urandom) % 4) + 1 ))
	if [ $kills -lt "$KILLS" ]; then
		stop KILL
		kills=$((kills + 1))
		sleep 0.3
		start "$port"
	fi
	if [ $client_killed = 0 ] && [ -e "$tmp/a.pid" ]; then
		_p=$(cat "$tmp/a.pid")
		if kill -9 "$_p" 2>/dev/null; then
			client_killed=1
		fi
	fi
done
wait "$spid_a" "$spid_b" 2>/dev/null
spid_a= spid_b=
check "confabd was killed $kills times and a client once ($client_killed)" \
	test "$kills" -ge 3 -a "$client_killed" = 1
check "some flushes found the server gone and left work queued" \
	grep -q "waiting in the outbox" "$tmp/a.log" "$tmp/b.log"
check "every chunk was queued" test ! -e "$tmp/a.fail" -a ! -e "$tmp/b.fail"

# with the server up for good, sync until both outboxes are empty
for i in 1 2 3 4 5; do
	A sync
	sa=$status
	B sync
	[ "$sa" = 0 ] && [ "$status" = 0 ] && break
done
check "both outboxes are sent ($(since "$t0")s after the start)" \
	sh -c 'A=$("$1" -D "$2/a" -C "$2/none.conf" msg outbox | wc -l); B=$("$1" -D "$2/b" -C "$2/none.conf" msg outbox | wc -l); [ "$A$B" = 00 ]' \
	sh "$CONFAB" "$tmp"

# verify INBOX_JSON PREFIX: every PREFIX-n once, in order of message id
verify() {
	python3 - "$1" "$2" "$N" <<'EOF'
import json, sys
msgs = json.load(open(sys.argv[1]))
prefix, n = sys.argv[2], int(sys.argv[3])
mine = sorted((m["message"], m["body"]) for m in msgs
              if m["body"].startswith(prefix + "-"))
bodies = [b for _, b in mine]
want = ["%s-%05d" % (prefix, i) for i in range(1, n + 1)]
dups = len(bodies) - len(set(bodies))
missing = len(set(want) - set(bodies))
order = bodies == want
print("got %d, duplicates %d, missing %d, in order %s"
      % (len(bodies), dups, missing, order))
sys.exit(0 if (dups, missing, order) == (0, 0, True) else 1)
EOF
}
# vcheck MSG FILE PREFIX
vcheck() {
	_r=$(verify "$2" "$3")
	if [ $? = 0 ]; then ok "$1: $_r"; else not_ok "$1: $_r"; fi
}
B msg list --json
cp "$tmp/out" "$tmp/bob.json"
vcheck "bob has alice's $N messages exactly once, in order" "$tmp/bob.json" a
A msg list --json
cp "$tmp/out" "$tmp/alice.json"
vcheck "alice has bob's $N messages exactly once, in order" "$tmp/alice.json" b

# a second machine of bob's gets the same, from scratch
client b2 login --server "$url" --user bob --password-file "$tmp/bob"
client b2 msg list --json
cp "$tmp/out" "$tmp/bob2.json"
vcheck "bob's second machine pulls the same $N" "$tmp/bob2.json" a
