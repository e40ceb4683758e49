#!/bin/sh
# tests/it/test_sync_reliability.sh: synced records, nothing lost, nothing
# twice.
#
# Alice has two machines, A and B.  Each adds SYNC_N contacts (default
# 1000, 2000 in all) in SYNC_CHUNKS chunks imported from vCard files,
# with an appointment, a CRM record and a CRM note per chunk, and runs
# `confab sync` after each chunk, both machines at once.  Meanwhile
# confabd is killed with SIGKILL and restarted SYNC_KILLS times (default
# 5) and sync processes are killed with SIGKILL mid-flight (one of A's,
# then one of B's: SYNC_CLIENT_KILLS, default 2).
# Then, with the server down, each machine edits contacts (and a CRM
# record) that came from the other and deletes some of its own; the
# edits wait in the outbox (exit 75) and go out once the server is back,
# through one more kill of the server.  Nobody edits what the other
# edits or deletes, so there is nothing to conflict.  Afterwards both
# machines hold the same contacts, appointments and CRM records and
# notes (the records with the same creation time), every one exactly
# once, every edit and delete applied, with no conflict and nothing left
# to send; and a third machine whose first sync is killed, and then the
# server under its second, ends up with the same.
# Prints "ok - ..." / "not ok - ..."; exits 1 on failure.

IT_TMP=confab-syncrel
IT_SHOW="out err" IT_SHOW_LINES=8 IT_LOG_LINES=8
. "$(dirname "$0")/lib.sh"

N=${SYNC_N:-1000}
CHUNKS=${SYNC_CHUNKS:-40}
KILLS=${SYNC_KILLS:-5}
CKILLS=${SYNC_CLIENT_KILLS:-2}	# sync processes killed, A's, B's, A's...
EDITS=${SYNC_EDITS:-20}		# contacts of the other machine edited
DELETES=${SYNC_DELETES:-10}	# of its own deleted

per=$((N / CHUNKS))
N=$((per * CHUNKS))
if [ "$per" -le "$DELETES" ] || [ $((EDITS + DELETES)) -gt "$N" ]; then
	echo "not ok - SYNC_N / SYNC_CHUNKS must be more than SYNC_DELETES"
	exit 1
fi

acme
start
A() { client a "$@"; }
B() { client b "$@"; }
# both machines signed in as alice; A's address book reaches the server
# first, so that B takes it for its own (the usual first sync)
A login --server "$url" --user alice --password-file "$tmp/alice"
A sync
B login --server "$url" --user alice --password-file "$tmp/alice"
B sync

# scripts, so that checks in sh -c can call them: "contacts DIR" the
# machine's contacts without local ids, "diary DIR" its appointments of
# 2027 without ids, "crm DIR [--no-created]" its CRM records and notes
# (every field of `crm export`, or all but the records' creation time),
# each sorted; "pending DIR" what waits to be sent (outbox items
# and records changed here, not yet on the server)
cat >"$tmp/contacts" <<SH
#!/bin/sh
"$CONFAB" -D "$tmp/\$1" -C "$tmp/none.conf" contacts list | cut -f2- | sort
SH
cat >"$tmp/diary" <<SH
#!/bin/sh
"$CONFAB" -D "$tmp/\$1" -C "$tmp/none.conf" diary list --from 2027-01-01 \
	--to 2027-12-31 | cut -f2- | sort
SH
cat >"$tmp/crm" <<SH
#!/bin/sh
"$CONFAB" -D "$tmp/\$1" -C "$tmp/none.conf" crm export |
	python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
at = rows[0].index("at")
for r in sorted(rows[1:]):
    if sys.argv[1:] == ["--no-created"] and r[0] == "record":
        r[at] = ""
    print(",".join(r))' "\$2"
SH
cat >"$tmp/pending" <<SH
#!/bin/sh
python3 - "$tmp/\$1/confab.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
q = lambda s: db.execute(s).fetchone()[0]
print("outbox %d, changed here %d" % (q("SELECT count(*) FROM outbox"),
      q("SELECT count(*) FROM sync_map WHERE dirty OR queued")))
PY
SH
chmod +x "$tmp/contacts" "$tmp/diary" "$tmp/crm" "$tmp/pending"
export PATH="$tmp:$PATH"
# same SCRIPT [ARG]: SCRIPT's output the same for A and B; the
# difference in $tmp/out (which not_ok shows); same_as DIR SCRIPT [ARG]:
# for A and DIR
same_as() {
	"$2" a ${3-} >"$tmp/a.same"
	"$2" "$1" ${3-} >"$tmp/$1.same"
	diff "$tmp/a.same" "$tmp/$1.same" >"$tmp/out"
	_r=$?
	: >"$tmp/err"
	return $_r
}
same() { same_as b "$@"; }

# the vCard chunks: machine m's contact i is "Gen M0000i", m-0000i@gen.test
python3 - "$tmp" "$N" "$CHUNKS" <<'PY'
import sys
tmp, n, chunks = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
per = n // chunks
for m in "ab":
    for c in range(chunks):
        with open("%s/%s.%d.vcf" % (tmp, m, c), "w", newline="") as f:
            for i in range(c * per + 1, (c + 1) * per + 1):
                f.write("BEGIN:VCARD\r\nVERSION:3.0\r\n"
                        "FN:Gen %s%05d\r\nN:%s%05d;Gen;;;\r\n"
                        "EMAIL:%s-%05d@gen.test\r\nEND:VCARD\r\n"
                        % (m.upper(), i, m.upper(), i, m, i))
PY

# maker DIR: a chunk of contacts, an appointment, a CRM record with a
# note, then a sync, again; each sync's pid is kept in $tmp/DIR.pid so
# that the test can kill one
maker() {
	_m=$1
	_M=$(echo "$_m" | tr ab AB)
	_c=0
	while [ $_c -lt "$CHUNKS" ]; do
		_first=$(printf '%s-%05d@gen.test' "$_m" $((_c * per + 1)))
		_day=$(printf '2027-03-%02d' $((_c % 28 + 1)))
		_hour=$(printf '%02d' $((8 + _c / 28)))
		[ "$_m" = b ] && _hour=$((14 + _c / 28))
		{
			"$CONFAB" -D "$tmp/$_m" -C "$tmp/none.conf" contacts \
				import "$tmp/$_m.$_c.vcf" &&
			"$CONFAB" -D "$tmp/$_m" -C "$tmp/none.conf" diary add \
				--title "$_M appointment $_c" --tz UTC \
				--start "$_day $_hour:00" --location "Room $_M" &&
			"$CONFAB" -D "$tmp/$_m" -C "$tmp/none.conf" crm add \
				"$_first" --status customer --value "$_c EUR" \
				--tag "$_m" &&
			"$CONFAB" -D "$tmp/$_m" -C "$tmp/none.conf" crm note \
				"$_first" "$_M note $_c"
		} >>"$tmp/$_m.log" 2>&1 || echo "chunk $_c" >>"$tmp/$_m.fail"
		"$CONFAB" -D "$tmp/$_m" -C "$tmp/none.conf" sync --quiet \
			>>"$tmp/$_m.log" 2>&1 &
		echo $! >"$tmp/$_m.pid"
		wait $!
		_c=$((_c + 1))
	done
	echo done >"$tmp/$_m.done"
}

# at an early exit: the makers still running and their syncs, the
# syncs the test started itself
it_at_exit() {
	for _m in a b; do
		eval "_p=\${mpid_$_m-}"
		[ -n "$_p" ] || continue
		kill "$_p" 2>/dev/null
		[ -e "$tmp/$_m.pid" ] && kill "$(cat "$tmp/$_m.pid")" 2>/dev/null
	done
	for _p in "${spid_a-}" "${spid_b-}"; do
		[ -n "$_p" ] && kill "$_p" 2>/dev/null
	done
}

# ---- both machines add, the server and a client die under them --------------------
t0=$(now)
maker a </dev/null >/dev/null 2>&1 &
mpid_a=$!
maker b </dev/null >/dev/null 2>&1 &
mpid_b=$!

kills=0
ckills=0
while [ ! -e "$tmp/a.done" ] || [ ! -e "$tmp/b.done" ]; do
	sleep 0.$(( ($(od -An -N1 -tu1 /dev/urandom) % 8) + 1 ))
	if [ $kills -lt "$KILLS" ]; then
		stop KILL
		kills=$((kills + 1))
		sleep 0.3
		start "$port"
	fi
	m=a
	[ $((ckills % 2)) = 1 ] && m=b
	if [ $ckills -lt "$CKILLS" ] && [ -e "$tmp/$m.pid" ] &&
	    kill -9 "$(cat "$tmp/$m.pid")" 2>/dev/null; then
		ckills=$((ckills + 1))
	fi
done
wait "$mpid_a" "$mpid_b" 2>/dev/null
mpid_a= mpid_b=
check "confabd was killed $kills times and a client's sync $ckills times, $(since "$t0")s" \
	test "$kills" -ge 3 -a "$ckills" -ge 1
check "some syncs found the server gone and left work queued" \
	grep -q "waiting in the outbox" "$tmp/a.log" "$tmp/b.log"
check "every chunk was stored" test ! -e "$tmp/a.fail" -a ! -e "$tmp/b.fail"

# sync_round: A, B, A; quiet when all three exit 0 with nothing sent
# or changed (sets quiet)
sync_round() {
	quiet=1
	for _m in a b a; do
		client $_m sync
		if [ "$status" != 0 ] ||
		    ! grep -q '^sent 0, refused 0, .* records updated 0$' "$tmp/out"; then
			quiet=0
		fi
	done
}
i=0
while [ $i -lt 5 ]; do
	sync_round
	[ $quiet = 1 ] && break
	i=$((i + 1))
done
check "with the server up, the machines sync until quiet ($((i + 1)) rounds, $(since "$t0")s)" \
	test $quiet = 1
same contacts
sc=$?
check "then both hold the same $((2 * N)) contacts" \
	test "$sc" = 0 -a "$(($(wc -l <"$tmp/a.same")))" = $((2 * N))

# ---- offline edits of the other's contacts, deletes of one's own ----------------------------
stop KILL
# ids DIR FIRST LAST PREFIX: the local ids of PREFIX-FIRST..LAST
ids() {
	"$CONFAB" -D "$tmp/$1" -C "$tmp/none.conf" contacts list |
		awk -F '\t' -v f="$2" -v l="$3" -v p="$4" '
		{ split($3, e, "@"); n = e[1]; sub(".*-", "", n)
		  if (index($3, p "-") == 1 && n + 0 >= f && n + 0 <= l) print $1 }'
}
edit_fail=0
# edit DIR OTHER OWN: DIR edits OTHER's first EDITS contacts, deletes
# its own last DELETES, edits OTHER's first CRM record and notes it
edit() {
	_M=$(echo "$1" | tr ab AB)
	for _id in $(ids "$1" 1 "$EDITS" "$2"); do
		client "$1" contacts edit "$_id" --org "Edited on $_M" \
			--title "Title $_M" || edit_fail=$((edit_fail + 1))
	done
	for _id in $(ids "$1" $((N - DELETES + 1)) "$N" "$3"); do
		client "$1" contacts delete "$_id" || edit_fail=$((edit_fail + 1))
	done
	client "$1" crm edit "$2-00001@gen.test" --status prospect --tag edited ||
		edit_fail=$((edit_fail + 1))
	client "$1" crm note "$2-00001@gen.test" "$_M offline note" ||
		edit_fail=$((edit_fail + 1))
}
t1=$(now)
edit a b a
edit b a b
check "the offline edits and deletes are made ($(since "$t1")s)" test $edit_fail = 0
A sync
sa=$status
cp "$tmp/err" "$tmp/a.err"
B sync
check "with the server down, sync keeps them (exit 75 on both)" \
	sh -c '[ "$1" = 75 ] && [ "$2" = 75 ] && grep -q "waiting in the outbox, not sent" "$3"' \
	sh "$sa" "$status" "$tmp/a.err"

# the server comes back, and dies once more under both machines' syncs
start "$port"
"$CONFAB" -D "$tmp/a" -C "$tmp/none.conf" sync >"$tmp/a.log2" 2>&1 &
spid_a=$!
"$CONFAB" -D "$tmp/b" -C "$tmp/none.conf" sync >"$tmp/b.log2" 2>&1 &
spid_b=$!
sleep 0.$(( ($(od -An -N1 -tu1 /dev/urandom) % 3) + 1 ))5
stop KILL
kills=$((kills + 1))
wait "$spid_a" "$spid_b" 2>/dev/null
spid_a= spid_b=
start "$port"

i=0
while [ $i -lt 5 ]; do
	sync_round
	[ $quiet = 1 ] && break
	i=$((i + 1))
done
check "the edits go out; the machines sync until quiet ($((i + 1)) rounds, $(since "$t0")s)" \
	test $quiet = 1

# ---- the end: the same everywhere, each once -----------------------------------------
check "both machines hold the same contacts" same contacts

# verify DIR: each contact that should be there exactly once, edited or not
cat >"$tmp/verify.py" <<'PY'
import json, sys
cs = json.load(open(sys.argv[1]))
n, edits, deletes = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
got = {}
for c in cs:
    for e in c.get("emails", []):
        got.setdefault(e["value"], []).append(c)
want = set()
for m in "ab":
    for i in range(1, n - deletes + 1):
        want.add("%s-%05d@gen.test" % (m, i))
dups = sum(len(v) - 1 for v in got.values())
missing = len(want - set(got))
extra = len(set(got) - want)
# A edits B's first contacts, B edits A's
bad_edit = 0
for m, by in (("a", "B"), ("b", "A")):
    for i in range(1, n - deletes + 1):
        for c in got.get("%s-%05d@gen.test" % (m, i), []):
            name_ok = c["name"] == "Gen %s%05d" % (m.upper(), i)
            if i <= edits:
                ok = (c.get("org") == "Edited on " + by and
                      c.get("title") == "Title " + by)
            else:
                ok = not c.get("org") and not c.get("title")
            bad_edit += not (ok and name_ok)
print("%d contacts, duplicates %d, missing %d, not deleted or unknown %d, "
      "wrong edits %d" % (len(cs), dups, missing, extra, bad_edit))
sys.exit(0 if (dups, missing, extra, bad_edit) == (0, 0, 0, 0)
         and len(cs) == len(want) else 1)
PY
vcheck() {
	client "$1" contacts list --json
	cp "$tmp/out" "$tmp/$1.json"
	_r=$(python3 "$tmp/verify.py" "$tmp/$1.json" "$N" "$EDITS" "$DELETES")
	if [ $? = 0 ]; then ok "$2: $_r"; else not_ok "$2: $_r"; fi
}
vcheck a "A has every contact once, $EDITS edits and $DELETES deletes of each machine applied"
vcheck b "B has every contact once, $EDITS edits and $DELETES deletes of each machine applied"

_c=0
while [ $_c -lt "$CHUNKS" ]; do
	echo "A appointment $_c"
	echo "B appointment $_c"
	_c=$((_c + 1))
done | sort >"$tmp/titles"
same diary
sd=$?
check "both machines hold the same appointments, all $((2 * CHUNKS)), each once" \
	sh -c '[ "$1" = 0 ] && [ "$(cut -f3 "$2/a.same" | sort)" = "$(cat "$2/titles")" ]' \
	sh "$sd" "$tmp"
check "both machines hold the same CRM records and notes" same crm --no-created
# crmcheck.py CHUNKS PER, the output of "crm DIR" on stdin: a record
# and a note of each machine's chunk once, plus the two offline notes,
# the two records edited offline
cat >"$tmp/crmcheck.py" <<'PY'
import sys
rows = [l.split(",") for l in sys.stdin.read().splitlines()]
chunks = int(sys.argv[1])
recs = [r for r in rows if r[0] == "record"]
notes = sorted(r[14] for r in rows if r[0] == "note")
want = sorted(["%s note %d" % (m, c) for m in "AB" for c in range(chunks)]
              + ["A offline note", "B offline note"])
edited = sorted(r[2] for r in recs if r[4] == "prospect" and r[9] == "edited")
names = sorted(r[2] for r in recs)
want_names = sorted("Gen %s%05d" % (m, c * int(sys.argv[2]) + 1)
                    for m in "AB" for c in range(chunks))
ok = (len(set(r[1] for r in recs)) == len(recs) and names == want_names and
      notes == want and edited == ["Gen A00001", "Gen B00001"])
print("%d records, %d notes, edited %s" % (len(recs), len(notes),
                                           " and ".join(edited)))
sys.exit(0 if ok else 1)
PY
for m in a b; do
	M=$(echo $m | tr ab AB)
	r=$(crm $m | python3 "$tmp/crmcheck.py" "$CHUNKS" "$per")
	if [ $? = 0 ]; then
		ok "$M's CRM: every record and note once, the edits applied: $r"
	else
		not_ok "$M's CRM: every record and note once, the edits applied: $r"
	fi
done
# a record's creation time travels with it (its sync text has it)
same crm
check "the CRM records' creation times are the same on both machines ($(grep -c '^<' "$tmp/out") of $((2 * CHUNKS)) differ)" \
	test ! -s "$tmp/out"
# so do a contact's creation and change times
for m in a b; do
	"$CONFAB" -D "$tmp/$m" -C "$tmp/none.conf" contacts list --json |
		python3 -c 'import json,sys; [print(c["uid"], c.get("created"), c.get("updated")) for c in json.load(sys.stdin)]' |
		sort >"$tmp/times.$m"
done
diff "$tmp/times.a" "$tmp/times.b" >"$tmp/out"
check "the contacts' creation and change times are the same on both machines ($(grep -c '^<' "$tmp/out") differ)" \
	test ! -s "$tmp/out"

A sync conflicts
sa=$(cat "$tmp/out")
B sync conflicts
check "no conflicts on either machine" test -z "$sa$(cat "$tmp/out")"
A sync
sa=$status
B sync
check "sync exits 0 on both" test "$sa$status" = 00
check "nothing pending on either machine ($(pending a); $(pending b))" \
	sh -c '[ "$(pending a)$(pending b)" = "outbox 0, changed here 0outbox 0, changed here 0" ]'
A msg outbox
sa=$(cat "$tmp/out")
B msg outbox
check "confab msg outbox is empty on both" test -z "$sa$(cat "$tmp/out")"

# ---- a third machine from scratch: its first pull killed, the server too ------------------
t2=$(now)
client c login --server "$url" --user alice --password-file "$tmp/alice"
"$CONFAB" -D "$tmp/c" -C "$tmp/none.conf" sync >"$tmp/c.log" 2>&1 &
spid_a=$!
sleep 0.$(( ($(od -An -N1 -tu1 /dev/urandom) % 5) + 1 ))
kill -9 $spid_a 2>/dev/null
{ wait $spid_a; } 2>/dev/null
cst=$?
"$CONFAB" -D "$tmp/c" -C "$tmp/none.conf" sync >>"$tmp/c.log" 2>&1 &
spid_a=$!
sleep 0.$(( ($(od -An -N1 -tu1 /dev/urandom) % 5) + 1 ))
stop KILL
kills=$((kills + 1))
{ wait $spid_a; } 2>/dev/null
spid_a=
start "$port"
for i in 1 2 3; do
	client c sync
	[ "$status" = 0 ] && break
done
check "a third machine's first sync, killed (exit $cst), then again through a killed server, brings it all ($(since "$t2")s)" \
	test "$status" = 0
check "C holds the same contacts as A" same_as c contacts
check "and the same appointments" same_as c diary
check "and the same CRM records and notes" same_as c crm --no-created
client c sync conflicts
check "with no conflict" test ! -s "$tmp/out"
check "no sanitizer reports from the clients" \
	sh -c '! grep -q "Sanitizer" "$1"/a.log "$1"/b.log "$1"/a.log2 "$1"/b.log2 "$1"/c.log' sh "$tmp"
echo "# $(since "$t0")s in all, confabd killed $kills times"
