#!/bin/sh
# tests/ui/test_conflicts.sh: records changed on two machines, resolved in
# the TUI (:conflicts), against a real confabd on loopback.  Machine B is
# driven with the CLI, machine A is the TUI.  Four contacts are changed on
# both machines (one deleted on B, one on A), so A holds four conflicts
# when its TUI starts: the TUI says so, :conflicts lists them with what
# each side did, Enter shows both versions; b keeps both (on A and, after
# B syncs, on B), m sends A's version to B (an edit, and a delete), b is
# refused where one side deleted, and t takes B's delete.
# See tests/ui/lib.sh.

. tests/ui/lib.sh

. tests/ui/server.sh
srv_start
echo 'alice pass 1' >"$tmp/pw"
srv_d admin init --company "Acme Ltd" --admin alice --email alice@acme.test \
	--name "Alice Archer" --password-file "$tmp/pw" >/dev/null 2>&1
printf 'set server = %s\n' "$url" >"$tmp/a.conf"

# A and B: the two machines through the CLI (A only while its TUI is not
# running, or to read)
A() { "$CONFAB" -D "$tmp/a" -C "$tmp/a.conf" "$@" >"$tmp/out" 2>&1; }
B() { "$CONFAB" -D "$tmp/b" -C "$tmp/a.conf" "$@" >"$tmp/out" 2>&1; }
# edit MACHINE NAME ARGS...: edit (or with "delete", delete) the contact
edit() {
	_m=$1 _name=$2
	shift 2
	$_m contacts search "$_name"
	_id=$(cut -f1 "$tmp/out" | head -1)
	if [ "$1" = delete ]; then
		$_m contacts delete "$_id"
	else
		$_m contacts edit "$_id" "$@"
	fi
}
A login --server "$url" --user alice --password-file "$tmp/pw"
B login --server "$url" --user alice --password-file "$tmp/pw"
A contacts add --name "Grace Hopper" --email grace@navy.test
A contacts add --name "Ada Lovelace" --email ada@example.org
A contacts add --name "Bert Sutherland" --email bert@example.org
A contacts add --name "Carl Hewitt" --email carl@example.org
A sync
B sync
edit B "Grace Hopper" --title "Rear Admiral"
edit B "Ada Lovelace" --title "Poet"
edit B "Bert Sutherland" delete
edit B "Carl Hewitt" --org "Planner Inc"
B sync
edit A "Grace Hopper" --title "Professor"
edit A "Ada Lovelace" --title "Mathematician"
edit A "Bert Sutherland" --org "Kept Org"
edit A "Carl Hewitt" delete
A sync
A sync conflicts
check "A holds four conflicts before its TUI starts" \
	test "$(wc -l <"$tmp/out")" = 4

ui_spawn a "$tmp/a" "$tmp/a.conf"
ui_assert_screen "wait for your choice: :conflicts" \
	"the TUI says conflicts wait, and how to see them"

ui_keys :
ui_type conflicts
ui_keys Enter
ui_assert_screen "Sync conflicts" ":conflicts opens the list"
ui_assert_screen "contact +Grace Hopper +mine: changed, theirs: changed" \
	"a row says the kind, the contact's name and what each side did"
ui_assert_screen "contact +Bert Sutherland +mine: changed, theirs: deleted" \
	"a record deleted on the other machine says so"
ui_assert_screen "contact +Carl Hewitt +mine: deleted, theirs: changed" \
	"and one deleted here"
ui_assert_screen "Enter: Open  m: Mine  t: Theirs  b: Both  q: Close" \
	"the list says which keys choose"

# pick NAME: select the row of NAME, going down from the top (the rows are
# in the order A's push met the conflicts; Enter shows which is selected)
pick() {
	ui_keys g
	for _i in 1 2 3 4 5; do
		ui_keys Enter
		# drawn top down: with this line there, the title is complete
		ui_wait_for "Other machine \(" || return 1
		if ui_on_screen "Both versions: contact $1" 0; then
			ui_keys q
			ui_wait_gone "Both versions" || return 1
			return 0
		fi
		ui_keys q
		ui_wait_gone "Both versions" || return 1
		ui_keys j
	done
	not_ok "no row for $1"
	return 1
}

# ---- Enter: both versions --------------------------------------------------
pick "Grace Hopper"
ui_keys Enter
ui_wait_for "Both versions: contact Grace Hopper"
# ordered: the screen shows both headings and titles, in this order
ordered() {
	ui_screen >"$tmp/screen"
	_a=$(grep -n "This machine (changed)" "$tmp/screen" | cut -d: -f1)
	_b=$(grep -n "\* TITLE:Professor" "$tmp/screen" | cut -d: -f1)
	_c=$(grep -n "Other machine (changed)" "$tmp/screen" | cut -d: -f1)
	_d=$(grep -n "\* TITLE:Rear Admiral" "$tmp/screen" | cut -d: -f1)
	[ -n "$_a" ] && [ -n "$_b" ] && [ -n "$_c" ] && [ -n "$_d" ] &&
		[ "$_a" -lt "$_b" ] && [ "$_b" -lt "$_c" ] &&
		[ "$_c" -lt "$_d" ]
}
_n=100
until ordered || [ "$_n" -le 0 ]; do sleep 0.05; _n=$((_n - 1)); done
msg="Enter shows this machine's version, then the other's, changes marked"
if ordered; then ok "$msg"; else not_ok "$msg"; ui_dump; fi
ui_assert_screen "^$B   FN:Grace Hopper" \
	"the versions are the vCard's lines, what is the same unmarked"
ui_assert_not_screen "BEGIN:VCARD|END:VCARD|VERSION:" \
	"without the vCard's frame"
ui_keys q
ui_wait_gone "Both versions"

# ---- b: both versions, here and on B ---------------------------------------
ui_keys b
ui_assert_screen "Kept both versions of contact Grace Hopper" "b keeps both"
ui_assert_not_screen "contact +Grace Hopper +mine" "and the row goes"
ui_keys q
ui_wait_gone "Sync conflicts"
n=0
for i in $(seq 1 40); do
	ui_screen >"$tmp/screen"
	n=$(grep -c "^ Grace Hopper " "$tmp/screen")
	[ "$n" = 2 ] && break
	sleep 0.05
done
if [ "$n" = 2 ]; then
	ok "the address book shows both"
else
	not_ok "the address book shows both"
	ui_dump
fi
check "A has two Grace Hoppers, titled Professor and Rear Admiral" sh -c '
	"$1" -D "$2/a" -C "$2/a.conf" contacts list --json >"$2/list" 2>&1 &&
	python3 -c "
import json, sys
t = sorted(c.get(\"title\") or \"\" for c in json.load(open(sys.argv[1]))
           if \"Grace\" in c[\"name\"])
sys.exit(t != [\"Professor\", \"Rear Admiral\"])" "$2/list"
' sh "$CONFAB" "$tmp"
found=0
for i in $(seq 1 20); do
	B sync
	B contacts search grace
	if [ "$(wc -l <"$tmp/out")" = 2 ]; then found=1; break; fi
	sleep 0.5
done
check "B gets both versions without any command on A" test $found = 1

# ---- m: this machine's version goes to B -----------------------------------
ui_keys '!'
ui_assert_screen "Sync conflicts" "! opens the list too"
pick "Ada Lovelace"
ui_keys m
ui_assert_screen "Kept this machine's version of contact Ada Lovelace" \
	"m keeps this machine's version"
found=0
for i in $(seq 1 20); do
	B sync
	B contacts search "Ada Lovelace"
	B contacts show "$(cut -f1 "$tmp/out" | head -1)"
	if grep -q "Mathematician" "$tmp/out"; then found=1; break; fi
	sleep 0.5
done
check "B gets A's version" test $found = 1

# m where A deleted the record: only the sync bookkeeping changes here, and
# the delete still goes to B
pick "Carl Hewitt"
ui_keys Enter
ui_assert_screen "\\* \\(deleted on this machine\\)" \
	"Enter on a record deleted here says so"
ui_assert_screen "\\* ORG:Planner Inc" "and shows the other machine's version"
ui_keys q
ui_wait_gone "Both versions"
ui_keys m
ui_assert_screen "Kept this machine's version of contact Carl Hewitt" \
	"m keeps the delete"
found=0
for i in $(seq 1 20); do
	B sync
	B contacts search "Carl Hewitt"
	if [ ! -s "$tmp/out" ]; then found=1; break; fi
	sleep 0.5
done
check "the delete reaches B without any command on A" test $found = 1

# ---- deleted on B: b is refused, t takes the delete ------------------------
pick "Bert Sutherland"
ui_keys b
ui_assert_screen "both versions can be kept only of a contact or an" \
	"b where one side deleted the record says why not"
ui_assert_screen "contact +Bert Sutherland +mine: changed, theirs: deleted" \
	"and the conflict stays"
ui_keys t
ui_assert_screen "Took the other machine's version of contact Bert Sutherland" \
	"t takes the other machine's version"
ui_assert_screen "No conflicts: every record is the same here and on the" \
	"with none left the list says so"
ui_keys q
ui_wait_gone "Sync conflicts"
ui_assert_screen "Grace Hopper" "back in the address book"
ui_assert_not_screen "^ Bert Sutherland " "the delete from B is taken"
A sync conflicts
check "no conflict is left on A" test ! -s "$tmp/out"
ui_quit
