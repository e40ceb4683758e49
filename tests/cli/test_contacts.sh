#!/bin/sh
# tests/cli/test_contacts.sh: `confab contacts` as a user runs it.
#
# Each check runs confab on a fresh data directory and compares what it
# prints (stdout, stderr, exit status) with what the user should see.
# Sample files are written here, so the test does not depend on tests/data.
# Prints "ok - ..." / "not ok - ..." per check; exits 1 if any failed.

CONFAB=${CONFAB:-build/asan/confab}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/confab-contacts.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0
TAB=$(printf '\t')

# run ARGS...: confab on the test data dir; sets $status, $tmp/out, $tmp/err
run() {
	"$CONFAB" -D "$tmp/data" -C "$tmp/none.conf" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

pass() { echo "ok - $1"; }
fail() {
	echo "not ok - $1"
	failed=$((failed + 1))
	sed 's/^/#   stdout: /' "$tmp/out" | head -40
	sed 's/^/#   stderr: /' "$tmp/err" | head -40
	echo "#   status: $status"
}

# check DESC COMMAND...: passes when COMMAND succeeds
check() {
	desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc"; fi
}

# expect DESC STATUS STDOUT: exact stdout (a printf format) and exit status
expect() {
	printf "$3" >"$tmp/want"
	if [ "$status" -eq "$2" ] && cmp -s "$tmp/want" "$tmp/out"; then
		pass "$1"
	else
		sed 's/^/#   want:   /' "$tmp/want"
		fail "$1"
	fi
}

# expect_err DESC STATUS MESSAGE: exit status and one exact stderr line
expect_err() {
	if [ "$status" -eq "$2" ] && grep -qxF "$3" "$tmp/err"; then
		pass "$1"
	else
		echo "#   want stderr: $3"
		fail "$1"
	fi
}

# py FILE CODE: run python3 CODE with the JSON in FILE as `v`
py() {
	python3 -c "import json, sys
v = json.load(open(sys.argv[1]))
$2" "$1"
}

count() { run contacts list; wc -l <"$tmp/out" | tr -d ' '; }

# ---- add, list, search, show ---------------------------------------------

run contacts list
expect "a new data directory lists no contacts" 0 ''

run contacts add --name "Ada Lovelace" --email ada@example.com \
	--phone "+44 20 7946 0958" --org "Analytical Engines" --tag maths \
	--birthday 1815-12-10 --title Countess --note "first programmer"
expect "add prints the new id and name" 0 'added contact 1 (Ada Lovelace)\n'

run contacts list
expect "list shows the contact as one TAB-separated line" 0 \
	'1\tAda Lovelace\tada@example.com\t+44 20 7946 0958\tAnalytical Engines\tPersonal\n'

run contacts add --name "Hopper, Grace" --email grace@navy.example.mil \
	--email grace.hopper@example.org --birthday --12-09
expect "add understands 'Family, Given' and --MM-DD" 0 \
	'added contact 2 (Grace Hopper)\n'

run contacts add --phone "07700 900123"
expect "a phone alone is enough for a contact" 0 \
	'added contact 3 (07700 900123)\n'

run contacts list
expect "list sorts by family name; missing fields are empty" 0 \
'3\t07700 900123\t\t07700 900123\t\tPersonal
2\tGrace Hopper\tgrace@navy.example.mil\t\t\tPersonal
1\tAda Lovelace\tada@example.com\t+44 20 7946 0958\tAnalytical Engines\tPersonal
'

run contacts list --sort given
check "list --sort given orders by name as written" \
	test "$(cut -f1 "$tmp/out" | tr '\n' ' ')" = "3 1 2 "

run contacts search lov
check "search finds a name by prefix" test "$(cut -f1,2 "$tmp/out")" = "1${TAB}Ada Lovelace"

run contacts search grace hop
check "search needs every word to match" test "$(cut -f1 "$tmp/out")" = "2"

run contacts search ada@example.com
check "search finds an email" test "$(cut -f1 "$tmp/out")" = "1"

run contacts search "020 7946"
check "search '020 7946' finds +44 20 7946 0958" test "$(cut -f1 "$tmp/out")" = "1"

run contacts search 7700
check "search by phone digits" test "$(cut -f1 "$tmp/out")" = "3"

run contacts search nobodyatall
expect "a search without matches prints nothing and succeeds" 0 ''

run contacts search
check "search without text is a usage error" test "$status" -eq 2

run contacts list --json
check "list --json is one array with every field" py "$tmp/out" '
assert isinstance(v, list) and len(v) == 3, v
ada = [c for c in v if c["id"] == 1][0]
for k, want in [("name", "Ada Lovelace"), ("given", "Ada"),
                ("family", "Lovelace"), ("org", "Analytical Engines"),
                ("title", "Countess"), ("birthday", "1815-12-10"),
                ("notes", "first programmer"), ("book", "Personal"),
                ("tags", ["maths"])]:
    assert ada[k] == want, (k, ada.get(k))
assert ada["phones"] == [{"value": "+44 20 7946 0958",
                          "e164": "+442079460958", "pref": False}], ada["phones"]
assert ada["emails"][0]["value"] == "ada@example.com"
assert ada["addresses"] == [] and ada["urls"] == []
assert len(ada["uid"]) > 0
import re
assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", ada["created"])
assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", ada["updated"])
grace = [c for c in v if c["id"] == 2][0]
assert grace["given"] == "Grace" and grace["family"] == "Hopper"
assert grace["birthday"] == "--12-09"
assert [e["value"] for e in grace["emails"]] == ["grace@navy.example.mil",
                                                 "grace.hopper@example.org"]
assert "org" not in grace and "notes" not in grace   # absent: omitted
'

run contacts search hopper --json
check "search --json is an array of the matches" py "$tmp/out" '
assert [c["name"] for c in v] == ["Grace Hopper"], v'

run contacts show 1
if [ "$status" -eq 0 ] && grep -qx "name:         Ada Lovelace" "$tmp/out" &&
   grep -qx "email:        ada@example.com" "$tmp/out" &&
   grep -qx "birthday:     1815-12-10" "$tmp/out"; then
	pass "show prints the contact's fields"
else
	fail "show prints the contact's fields"
fi

run contacts show 1 --json
uid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["uid"])' "$tmp/out")
check "show --json prints one object" py "$tmp/out" '
assert v["id"] == 1 and v["name"] == "Ada Lovelace"'

run contacts show "$uid"
check "show finds a contact by UID" grep -qx "id:           1" "$tmp/out"

run contacts show 99
expect_err "show of a missing id fails" 1 \
	"confab: no contact '99': give an id or UID as shown by confab contacts list or show"

# ---- rejected input ------------------------------------------------------

run contacts add --name "Bad Mail" --email foo
expect_err "a bad email is rejected" 1 \
	"confab: bad email 'foo': expected name@example.com"
check "a rejected email stores nothing" test "$(count)" = 3

run contacts add --name "Bad Day" --birthday 1990-13-40
expect_err "a bad birthday is rejected" 1 \
	"confab: bad birthday '1990-13-40': use YYYY-MM-DD or --MM-DD"
check "a rejected birthday stores nothing" test "$(count)" = 3

run contacts add --title Nobody
check "add without name, email, phone or org is a usage error" \
	test "$status" -eq 2
check "the refused contact is not stored" test "$(count)" = 3

run contacts add --name X --frobnicate
if [ "$status" -eq 2 ] && grep -qxF "confab: unknown option '--frobnicate'" "$tmp/err" &&
   grep -q "^confab: usage: confab contacts add" "$tmp/err"; then
	pass "an unknown option is a usage error with a usage line"
else
	fail "an unknown option is a usage error with a usage line"
fi

run contacts add --name
expect_err "an option without its value is a usage error" 2 \
	"confab: option '--name' needs a value"

run contacts add --name "Nowhere Man" --book Nope
expect_err "add to a missing book fails" 1 \
	"confab: no address book 'Nope' (create it with: confab books add Nope)"

run contacts frob
check "an unknown contacts command is a usage error" test "$status" -eq 2

# ---- edit, delete --------------------------------------------------------

run contacts edit 2 --email grace@example.com --org "US Navy"
expect "edit reports the change" 0 'updated contact 2 (Grace Hopper)\n'
run contacts show 2 --json
check "edit replaces the email list and sets the organisation" py "$tmp/out" '
assert [e["value"] for e in v["emails"]] == ["grace@example.com"], v
assert v["org"] == "US Navy" and v["birthday"] == "--12-09"'

run contacts edit 2 --org ""
run contacts show 2 --json
check "edit with an empty value clears a field" py "$tmp/out" '
assert "org" not in v, v'

run contacts edit 2 --email nope
expect_err "edit rejects a bad email" 1 \
	"confab: bad email 'nope': expected name@example.com"

run contacts edit 2
check "edit with nothing to change is a usage error" test "$status" -eq 2

run contacts delete 3
expect "delete reports the contact" 0 'deleted contact 3 (07700 900123)\n'
run contacts show 3
check "a deleted contact is gone" test "$status" -eq 1

# ---- import --------------------------------------------------------------

printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Charles Babbage\r\nN:Babbage;Charles;;;\r\nEMAIL;TYPE=WORK:charles@example.org\r\nTEL;TYPE=CELL:07700 900123\r\nORG:Difference Engines Ltd\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:nobody at all\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nFN:Mary Somerville\r\nEMAIL:mary@example.org\r\nBDAY:17801226\r\nCATEGORIES:science,astronomy\r\nEND:VCARD\r\n' >"$tmp/cards.vcf"

run contacts import "$tmp/cards.vcf"
if [ "$status" -eq 0 ] &&
   [ "$(head -1 "$tmp/out")" = "imported 2, merged 0, skipped 1 (vCard)" ] &&
   grep -q "^  cards.vcf:9: ." "$tmp/out" && [ "$(wc -l <"$tmp/out")" -eq 2 ]; then
	pass "import reports imported/merged/skipped and each skip's line"
else
	fail "import reports imported/merged/skipped and each skip's line"
fi

run contacts search babbage --json
check "imported fields are stored" py "$tmp/out" '
c = v[0]
assert c["name"] == "Charles Babbage" and c["org"] == "Difference Engines Ltd"
assert c["phones"][0]["e164"] == "+447700900123", c["phones"]
assert c["emails"][0]["value"] == "charles@example.org"'

printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Charles Babbage\r\nEMAIL:Charles@Example.org\r\nTEL:020 7946 0001\r\nEND:VCARD\r\n' >"$tmp/dup.vcf"
run contacts import "$tmp/dup.vcf" --on-duplicate skip
if [ "$status" -eq 0 ] &&
   [ "$(head -1 "$tmp/out")" = "imported 0, merged 0, skipped 1 (vCard)" ] &&
   grep -q "^  dup.vcf:1: duplicate" "$tmp/out"; then
	pass "import --on-duplicate skip skips a duplicate and says so"
else
	fail "import --on-duplicate skip skips a duplicate and says so"
fi
run contacts search babbage --json
check "a skipped duplicate changes nothing" py "$tmp/out" '
assert len(v) == 1 and len(v[0]["phones"]) == 1, v'

run contacts import "$tmp/dup.vcf"
expect "import merges a duplicate by default" 0 \
	'imported 0, merged 1, skipped 0 (vCard)\n'
run contacts search babbage --json
check "the merged contact gained the new phone" py "$tmp/out" '
assert len(v) == 1, v
assert sorted(p["e164"] for p in v[0]["phones"]) == ["+442079460001", "+447700900123"], v'

run contacts import "$tmp/dup.vcf" --on-duplicate maybe
check "a bad --on-duplicate is a usage error" test "$status" -eq 2

run contacts list
cp "$tmp/out" "$tmp/before"
printf 'Colour,Shape,Size\nred,round,3\nblue,square,4\n' >"$tmp/bad.csv"
run contacts import "$tmp/bad.csv"
if [ "$status" -eq 1 ] && grep -q "^confab: bad.csv: .*nothing was imported" "$tmp/err" &&
   [ ! -s "$tmp/out" ]; then
	pass "a CSV with an unknown header fails with a message"
else
	fail "a CSV with an unknown header fails with a message"
fi
run contacts list
check "a failed import leaves the data untouched" cmp -s "$tmp/before" "$tmp/out"

run contacts import "$tmp/missing.vcf"
if [ "$status" -eq 1 ] && grep -q "^confab: $tmp/missing.vcf: No such file or directory" "$tmp/err"; then
	pass "importing a missing file fails with a message"
else
	fail "importing a missing file fails with a message"
fi

run contacts import "$tmp/cards.vcf" --book Nope
expect_err "import into a missing book fails" 1 \
	"confab: no address book 'Nope' (create it with: confab books add Nope)"
run contacts list
check "a refused import leaves the data untouched" cmp -s "$tmp/before" "$tmp/out"

# ---- query (mutt) --------------------------------------------------------

run contacts query lovelace
expect "query prints a status line then EMAIL TAB NAME TAB ORG" 0 \
	'confab: 1 match\nada@example.com\tAda Lovelace\tAnalytical Engines\n'

run contacts add --name "Phone Only" --phone "01632 960123"
phone_only=$(sed -n 's/^added contact \([0-9]*\) .*/\1/p' "$tmp/out")
run contacts query "phone only"
expect "query lists no contact without email, and exits 1" 1 \
	'confab: no matches\n'
run contacts delete "$phone_only"

run contacts query zzzzz
expect "query without matches exits 1" 1 'confab: no matches\n'

run contacts edit 2 --email grace@example.com --email amazing@example.com
run contacts query grace
expect "query lists a contact once per email" 0 \
	'confab: 2 matches\ngrace@example.com\tGrace Hopper\t\namazing@example.com\tGrace Hopper\t\n'

# ---- export and re-import ------------------------------------------------

# the contacts of a book, as comparable records
snapshot() {
	run contacts list --book "$1" --json
	python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
rows = []
for c in v:
    rows.append((c.get("name"), c.get("org"), c.get("birthday"),
                 sorted(e["value"].lower() for e in c["emails"]),
                 sorted(p.get("e164", p["value"]) for p in c["phones"]),
                 sorted(c["tags"]) if sys.argv[2] == "tags" else None))
for r in sorted(rows, key=str):
    print(r)
' "$tmp/out" "$2" >"$tmp/snap-$1"
}

for fmt in vcard3 vcard4 csv; do
	run contacts export --book Personal --format $fmt
	cp "$tmp/out" "$tmp/export.$fmt"
	case $fmt in
	vcard3) check "export vcard3 writes vCard 3.0" grep -q "^VERSION:3.0" "$tmp/out" ;;
	vcard4) check "export vcard4 writes vCard 4.0" grep -q "^VERSION:4.0" "$tmp/out" ;;
	csv) check "export csv writes a header and one row per contact" \
		test "$(python3 -c 'import csv,sys; print(len(list(csv.reader(open(sys.argv[1])))))' "$tmp/out")" -eq 5 ;;
	esac
	run books add "Back $fmt"
	run contacts import "$tmp/export.$fmt" --book "Back $fmt"
	check "$fmt export imports back cleanly" \
		grep -qx "imported 4, merged 0, skipped 0 (.*)" "$tmp/out"
	tags=tags
	[ $fmt = csv ] && tags=notags
	snapshot Personal $tags
	snapshot "Back $fmt" $tags
	check "$fmt round trip gives the same contacts" \
		cmp -s "$tmp/snap-Personal" "$tmp/snap-Back $fmt"
done

run contacts export --book Personal --search babbage
check "export --search exports only the matches" \
	test "$(grep -c '^BEGIN:VCARD' "$tmp/out")" -eq 1

run contacts export --book Personal -o "$tmp/all.vcf"
if [ "$status" -eq 0 ] && [ ! -s "$tmp/out" ] &&
   grep -qxF "confab: exported 4 contacts to $tmp/all.vcf" "$tmp/err" &&
   [ "$(grep -c '^BEGIN:VCARD' "$tmp/all.vcf")" -eq 4 ]; then
	pass "export -o FILE writes the file and reports on stderr"
else
	fail "export -o FILE writes the file and reports on stderr"
fi
check "export -o leaves no temporary file behind" \
	test "$(ls "$tmp" | grep -c 'all.vcf.tmp')" -eq 0

run contacts export --book Personal -o "$tmp/vdir/"
check "export -o DIR/ writes one .vcf per contact" \
	test "$(ls "$tmp/vdir" | grep -c '\.vcf$')" -eq 4
mkdir "$tmp/vdir2"
run contacts export --book Personal --format vcard4 -o "$tmp/vdir2"
check "export -o an existing directory writes a vdir" \
	test "$(ls "$tmp/vdir2" | grep -c '\.vcf$')" -eq 4

run books add FromDir
run contacts import "$tmp/vdir" --book FromDir
expect "import of a vdir reads every card" 0 \
	'imported 4, merged 0, skipped 0 (vdir)\n'
snapshot Personal tags
snapshot FromDir tags
check "vdir round trip gives the same contacts" \
	cmp -s "$tmp/snap-Personal" "$tmp/snap-FromDir"

run contacts export --format pdf
check "an unknown export format is a usage error" test "$status" -eq 2

run help contacts
check "confab help contacts prints the usage" \
	grep -q "^usage: confab contacts" "$tmp/out"

if [ "$failed" -gt 0 ]; then
	echo "# $failed check(s) failed"
	exit 1
fi
exit 0
