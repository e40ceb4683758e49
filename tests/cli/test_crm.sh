#!/bin/sh
# tests/cli/test_crm.sh: `confab crm` as a user runs it.
#
# Each check runs confab on a test data directory and compares what it
# prints (stdout, stderr, exit status) with what the user should see.
# Prints "ok - ..." / "not ok - ..." per check; exits 1 if any failed.

CONFAB=${CONFAB:-build/asan/confab}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/confab-crm.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0
TAB=$(printf '\t')
: >"$tmp/none.conf"

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

py() {
	python3 -c "import json, sys
v = json.load(open(sys.argv[1]))
$2" "$1"
}

# ---- contacts to work with -------------------------------------------------
run contacts add --name "Ada Lovelace" --email ada@example.com --org Analytical
run contacts add --name "Bob Babbage" --email bob@example.com
run contacts add --name "Bob Marley" --email marley@example.com
run contacts add --name "Cy Clarke" --email cy@example.com

run crm list
expect "an empty CRM lists nothing" 0 ''

# ---- note creates the record ------------------------------------------------
run crm note ada@example.com "Wants a quote for 20 seats"
expect "a note on a contact without a record creates it (first status)" 0 \
	'created a CRM record for Ada Lovelace (lead) and added the note\n'
run crm note 1 "Called back, quote sent"
expect "a second note goes on the same record" 0 \
	"added a note to Ada Lovelace's CRM record\n"
run crm list
expect "list shows the record as a TSV row" 0 \
	"1${TAB}Ada Lovelace${TAB}lead${TAB}${TAB}${TAB}${TAB}\n"

# ---- add ------------------------------------------------------------------------
run crm add "Bob Babbage" --status customer --owner alice --value "1200.50 EUR"
expect "add by name with status, owner and value" 0 \
	'added CRM record for Bob Babbage (customer)\n'
run crm add "Bob Babbage"
expect_err "a second record for a contact is refused" 1 \
	"confab: 'Bob Babbage' already has a CRM record (change it with: confab crm edit 2)"
run crm add bob
check "an ambiguous name fails" test "$status" -eq 1
check "the error lists the candidates" grep -q "^  3${TAB}Bob Marley${TAB}marley@example.com" "$tmp/err"
check "the error says how many matched" grep -q "'bob' matches 2 contacts; give an id:" "$tmp/err"
run crm add nobody-like-this
expect_err "an unknown contact fails" 1 \
	"confab: no contact 'nobody-like-this': give a contact id, a UID, or a name or email that finds one contact (see: confab contacts search)"
run crm add 4 --status won
expect_err "an unknown status is a usage error naming the statuses" 2 \
	"confab: unknown status 'won': use one of lead, prospect, customer, inactive (set crm_statuses in confab.conf to change the list)"
run crm add 4 --value lots
expect_err "a bad value is a usage error" 2 \
	"confab: bad value 'lots': give an amount and a currency, e.g. \"1200.50 EUR\""
run crm list
check "refused adds changed nothing" test "$(wc -l <"$tmp/out")" -eq 2

# ---- filters -----------------------------------------------------------------
run crm list --status customer
expect "list --status filters" 0 \
	"2${TAB}Bob Babbage${TAB}customer${TAB}alice${TAB}1,200.50 EUR${TAB}${TAB}\n"
run crm list --status CUSTOMER --json
check "list --json is one array" py "$tmp/out" \
	"assert len(v) == 1 and v[0]['name'] == 'Bob Babbage' and v[0]['value_cents'] == 120050 and v[0]['currency'] == 'EUR' and v[0]['owner'] == 'alice'"
run crm list --status lead --json
check "list --json of another status" py "$tmp/out" \
	"assert [r['name'] for r in v] == ['Ada Lovelace']"
run crm list --status prospect --json
expect "an empty filter gives an empty JSON array" 0 '[]\n'

# ---- edit, next action in the diary -----------------------------------------
run crm edit ada@example.com --next "Send contract" --next-date 2030-05-06 --tag vip --tag "big deal"
expect "edit sets the next action" 0 'updated CRM record for Ada Lovelace (lead)\n'
run diary list --from 2030-05-01 --to 2030-05-31
check "the next action is an all-day diary appointment" \
	grep -q "CRM: Send contract — Ada Lovelace" "$tmp/out"
run crm edit 1 --next-date 2030-05-09
run diary list --from 2030-05-01 --to 2030-05-31
check "moving the date moves the appointment (one, on the 9th)" \
	sh -c "grep -c 'CRM: Send contract' '$tmp/out' | grep -qx 1 && grep 'CRM: Send contract' '$tmp/out' | grep -q 2030-05-09"
run crm edit 1 --next-date ""
run diary list --from 2030-05-01 --to 2030-05-31
check "clearing the date removes the appointment" \
	sh -c "! grep -q 'CRM:' '$tmp/out'"
run crm edit 1 --next-date 2030-13-01
expect_err "a bad date is a usage error" 2 \
	"confab: bad date '2030-13-01': use YYYY-MM-DD, today or tomorrow"
run crm edit 1
check "edit without options is a usage error" test "$status" -eq 2
run crm edit 4 --owner bob
expect_err "edit of a contact without a record says how to make one" 1 \
	"confab: '4' has no CRM record yet (create one with: confab crm add 4)"
run crm list --tag "big deal" --json
check "list --tag filters" py "$tmp/out" "assert [r['name'] for r in v] == ['Ada Lovelace'] and v[0]['tags'] == ['vip', 'big deal']"

run crm edit 2 --next "Invoice" --next-date 2000-01-01
run crm list --due
expect "list --due shows overdue actions" 0 \
	"2${TAB}Bob Babbage${TAB}customer${TAB}alice${TAB}1,200.50 EUR${TAB}2000-01-01${TAB}Invoice\n"

# ---- show and search -----------------------------------------------------------
run crm show 1 --json
check "show --json has the timeline, newest first" py "$tmp/out" \
	"assert [e['text'] for e in v['timeline']] == ['Called back, quote sent', 'Wants a quote for 20 seats'] and v['timeline'][0]['kind'] == 'note'"
run crm show ada@example.com
check "show prints the fields" grep -q "^status        lead$" "$tmp/out"
check "show prints the notes" grep -q "note    Wants a quote for 20 seats$" "$tmp/out"
run crm search quote
expect "search finds a record by its notes" 0 \
	"1${TAB}Ada Lovelace${TAB}lead${TAB}${TAB}${TAB}${TAB}Send contract\n"
run crm search seat --json
check "search --json, prefix of a note word" py "$tmp/out" "assert [r['name'] for r in v] == ['Ada Lovelace']"
run crm search invoice --status lead
expect "search and a status filter combine" 0 ''
run crm search
check "search without text is a usage error" test "$status" -eq 2

# ---- export ----------------------------------------------------------------------
run crm note 2 'Said "maybe, later"'
run crm export -o "$tmp/crm.csv"
expect "export -o reports the count" 0 "exported 2 CRM records to $tmp/crm.csv\n"
check "export has the header" sh -c "head -1 '$tmp/crm.csv' | grep -q '^kind,record_uid,name,organisation,status,owner,value,currency,source,tags,next_action,next_date,contact_uid,at,text'"
check "export is RFC 4180 (CRLF, quotes doubled) and has records and notes" \
	python3 -c "
import csv, sys
raw = open(sys.argv[1], 'rb').read()
assert raw.count(b'\r\n') == raw.count(b'\n'), 'bare LF'
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
kinds = [r['kind'] for r in rows]
assert kinds.count('record') == 2 and kinds.count('note') == 3, kinds
bob = [r for r in rows if r['kind'] == 'note' and r['name'] == 'Bob Babbage']
assert bob[0]['text'] == 'Said \"maybe, later\"', bob
rec = [r for r in rows if r['kind'] == 'record' and r['name'] == 'Bob Babbage'][0]
assert rec['value'] == '1200.50' and rec['currency'] == 'EUR' and rec['status'] == 'customer'
" "$tmp/crm.csv"
run crm export --status customer
check "export to stdout with a filter has one record" \
	sh -c "grep -c '^record,' '$tmp/out' | grep -qx 1"

# ---- configured statuses ----------------------------------------------------------
printf 'set crm_statuses = "new, won, lost"\n' >"$tmp/none.conf"
run crm note 4 "First contact"
expect "the first configured status is a new record's" 0 \
	'created a CRM record for Cy Clarke (new) and added the note\n'
run crm edit 4 --status WON
expect "statuses match case-insensitively and keep their spelling" 0 \
	'updated CRM record for Cy Clarke (won)\n'
printf 'set crm_statuses = ,\n' >"$tmp/none.conf"
run crm list
check "an empty crm_statuses is reported against the config" \
	grep -q "crm_statuses needs a comma-separated list" "$tmp/err"
: >"$tmp/none.conf"

# ---- delete, usage ---------------------------------------------------------------
run crm delete 2
expect "delete removes the record" 0 "deleted the CRM record for Bob Babbage\n"
run crm show 2
check "the deleted record is gone" test "$status" -eq 1
run contacts show 2
check "the contact stays" test "$status" -eq 0
run crm frobnicate
check "an unknown subcommand is a usage error" test "$status" -eq 2
run crm note 1
check "note without text is a usage error" test "$status" -eq 2
run crm list --bogus
expect_err "an unknown option is a usage error" 2 "confab: unknown option '--bogus'"
run help crm
check "confab help crm prints the usage" grep -q "^usage: confab crm" "$tmp/out"

if [ "$failed" -gt 0 ]; then
	echo "# $failed check(s) failed"
	exit 1
fi
exit 0
