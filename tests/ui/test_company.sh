#!/bin/sh
# tests/ui/test_company.sh: the company profile and your preferences on
# screen (tmux), against a real confabd on 127.0.0.1.  The admin alice
# opens the company profile (C in the Online monitor), edits its address,
# regions and markets (confirmed by `confab company show --json`; a blank
# name is refused by the server and the form opens again) and sets the
# logo from a JPEG with l (the logo box then shows character art; a file
# that is no picture, and one the server cannot decode, are refused).  In
# a second TUI the plain user bob sees the new regions and the logo, and
# is refused the edit; his preferences form (P, then f) sets auto-away
# and the time zone (confirmed by `confab profile show --json`), and a
# bad time zone shows the server's message naming prefs.timezone.  Last,
# `confab profile set`: a phone comes back with its E.164 form, a bad
# country is refused with exit status 1.
# See tests/ui/lib.sh.  Prints "ok - ..." / "not ok - ..."; exits 1 on failure.

. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/server.sh"
photo=$PWD/tests/data/photo.jpg

# ---- a server with a company: alice (admin) and bob (no permissions) ----------
echo 'alice pass 1' >"$tmp/alice"
echo 'bob pass 22' >"$tmp/bob"
srv_d admin init --company "Acme Ltd" --admin alice --email alice@acme.test \
	--name "Alice Archer" --password-file "$tmp/alice" &&
	srv_d admin add-user bob --email bob@acme.test --name "Bob Baker" \
		--password-file "$tmp/bob" || {
	not_ok "confabd admin init/add-user"
	sed 's/^/#   /' "$tmp/d.out"
	exit 1
}
srv_start

# cli DIR ARGS...: confab's CLI with data dir DIR; output in $tmp/out,
# $tmp/err, exit status in $status
cli() {
	_dir=$1
	shift
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$tmp/asan-cli" \
	UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$tmp/asan-cli-ubsan" \
		"$CONFAB" -D "$_dir" -C "$UI_CONF" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}
# json_is FILE PYTHON-EXPR: the expression holds for v, the JSON in FILE
json_is() {
	python3 -c 'import json, sys; v = json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"
}
# logo_art: the logo box (the 32 columns inside its frame, right of the
# screen) holds at least 20 characters of art
logo_art() {
	ui_screen >"$tmp/screen"
	python3 -X utf8 - "$tmp/screen" <<'EOF'
import sys
rows = open(sys.argv[1], encoding="utf-8").read().split("\n")
top = next((i for i, r in enumerate(rows) if " Logo " in r), None)
if top is None:
    sys.exit(1)
x = rows[top].index(" Logo ") - 2   # the corner, then "─ Logo "
n = 0
for r in rows[top + 1:top + 13]:
    inside = r[x + 1:x + 33]
    n += sum(1 for ch in inside if not ch.isspace())
sys.exit(0 if n >= 20 else 1)
EOF
}

cli "$UI_DATA" login --server "$url" --user alice --password-file "$tmp/alice"
check "alice signs in (CLI) for her TUI" grep -q 'as alice' "$tmp/out"
cli "$tmp/bob-data" login --server "$url" --user bob --password-file "$tmp/bob"
check "bob signs in (CLI) for his TUI" grep -q 'as bob' "$tmp/out"

ui_start 120 30
ui_wait_for 'alice @ 127\.0\.0\.1:[0-9]+ . online'
ui_wait_gone 'Connected to' 10

# ---- the company profile ----------------------------------------------------------------
ui_keys 2 C
ui_assert_screen 'Company' "C in the Online monitor opens the company profile"
ui_assert_screen "^$B  Acme Ltd " "it shows the company's name"
ui_assert_screen "^$B  Regions +none " "no regions yet"
ui_assert_screen '\(no logo\)' "the logo box says there is no logo"
ui_assert_screen "^$B  e: Edit  l: Logo  \(in the address form, \" / \" starts a new line\)" \
	"the screen tells an admin the keys and how to break the address"
UI_TIMEOUT=10	# the hint bar shows once the last message has gone
ui_assert_screen '^e:Edit  l:Logo  q:Close' "the hint bar offers edit and logo to an admin"
UI_TIMEOUT=5

# ---- edit: address, regions, markets ------------------------------------------------------
ui_keys e
ui_assert_screen 'Edit the company profile \(address: " / " starts a new line' \
	"e edits the company profile, the form saying how to break the address"
ui_keys Tab
ui_type '1 High Street / London / EC1A 1AA'
ui_keys Tab
ui_type 'EMEA, Americas'
ui_keys Tab
ui_type 'Retail, Banking'
ui_keys C-s
ui_assert_screen 'Company profile saved at' "C-s saves"
ui_assert_screen "^$B  Address +1 High Street " "the address shows"
ui_assert_screen "^$B {14}London " "a line of its own for each of its lines"
ui_assert_screen "^$B {14}EC1A 1AA " "to the last"
ui_assert_screen "^$B  Regions +EMEA, Americas " "the regions show"
ui_assert_screen "^$B  Markets +Retail, Banking " "the markets show"
cli "$UI_DATA" company show --json
check "the server has them (confab company show --json)" \
	json_is "$tmp/out" 'v["address"] == "1 High Street\nLondon\nEC1A 1AA" and v["regions"] == ["EMEA", "Americas"] and v["markets"] == ["Retail", "Banking"] and v["name"] == "Acme Ltd"'

ui_keys e
ui_assert_screen "^$B Address +1 High Street / London / EC1A 1AA " \
	"the form shows the address on one line again"
ui_keys C-u
ui_keys C-s
ui_assert_screen "field 'name' is empty" "a blank name: the server's refusal is shown"
ui_assert_screen 'Edit the company profile' "and the form opens again"
ui_assert_screen "^$B Name +$B\$" "with what was typed (no name)"
ui_keys Escape
ui_wait_gone 'Edit the company profile'
ui_assert_screen "^$B  Acme Ltd " "Esc leaves the name as it was"

# ---- the logo -----------------------------------------------------------------------------
printf 'not a picture\n' >"$tmp/notes.txt"
ui_keys l
ui_assert_screen 'Logo: a PNG or JPEG file of at most 512 KiB' "l asks for the logo's file"
ui_type "$tmp/notes.txt"
ui_keys Enter
ui_assert_screen 'notes\.txt is not a PNG or JPEG image' "a file that is no picture is refused"
printf '\211PNG\r\n\032\nnot really a png at all' >"$tmp/broken.png"
ui_keys l
ui_wait_for 'Logo: a PNG or JPEG file'
ui_keys C-u
ui_type "$tmp/broken.png"
ui_keys Enter
ui_assert_screen 'the logo was not set: ' "one the server cannot decode: its answer is shown"
ui_screen | grep 'the logo was not set' | sed 's/^/#   /'
ui_keys l
ui_wait_for 'Logo: a PNG or JPEG file'
ui_keys C-u
ui_type "$photo"
ui_keys Enter
ui_assert_screen 'Logo set: image/jpeg' "a JPEG becomes the logo"
ui_wait_gone '\((no logo|loading)\)'
check "the logo box shows it as character art" logo_art
cli "$UI_DATA" company show
check "the server has it (confab company show)" grep -q '^Logo: *yes' "$tmp/out"
ui_keys q
ui_wait_gone 'Regions'

# ---- bob: sees the profile, may not change it -------------------------------------------------
ui_spawn b "$tmp/bob-data" "$UI_CONF"
ui_wait_for 'bob @ 127\.0\.0\.1:[0-9]+ . online'
ui_wait_gone 'Connected to' 10
ui_keys 2 C
ui_assert_screen "^$B  Regions +EMEA, Americas " "bob sees the new regions"
ui_wait_gone '\((no logo|loading)\)'
check "and the logo" logo_art
ui_assert_not_screen 'e:Edit  l:Logo' "no edit keys are offered to him"
ui_assert_not_screen 'in the address form' "nor the form's help"
ui_keys e
ui_assert_screen 'changing the company profile takes the admin permission' \
	"e is refused without the admin permission"
ui_assert_not_screen 'Edit the company profile' "and no form opens"
ui_keys l
ui_assert_screen 'changing the company logo takes the admin permission' \
	"so is l"
ui_keys q
ui_wait_gone 'Regions'

# ---- bob's preferences ------------------------------------------------------------------------
ui_keys P
ui_assert_screen 'Your profile' "P shows bob's profile"
UI_TIMEOUT=10
ui_assert_screen '^e:Edit  w:Password  f:Prefs' "the hint bar offers the preferences"
UI_TIMEOUT=5
ui_keys f
ui_assert_screen 'Your preferences' "f opens the preferences form"
ui_assert_screen "^$B Auto-away \(min\) " "with auto-away"
ui_assert_screen "^$B Markets followed " "and the markets followed"
ui_keys Tab
ui_type 5
ui_keys Tab
ui_type Europe/Paris
ui_keys Tab Tab
ui_type Retail
ui_keys C-s
ui_assert_screen 'Preferences saved at' "C-s saves them"
ui_assert_screen "^$B  Auto-away +after 5 idle minutes " "the profile shows the auto-away"
ui_assert_screen "^$B  Time zone +Europe/Paris " "the time zone"
ui_assert_screen "^$B  Markets +Retail " "and the market"
cli "$tmp/bob-data" profile show --json
check "the server has them (confab profile show --json)" \
	json_is "$tmp/out" 'v["prefs"].get("auto_away") == 5 and v["prefs"].get("timezone") == "Europe/Paris" and v["prefs"].get("markets") == ["Retail"] and "notifications" not in v["prefs"]'

ui_keys f
ui_assert_screen "^$B Time zone +Europe/Paris " "the form shows the saved values"
ui_keys Tab Tab C-u
ui_type Mars/Olympus_Mons
ui_keys C-s
ui_assert_screen "prefs\.timezone" "a bad time zone: the server's message names prefs.timezone"
ui_assert_screen 'Your preferences' "and the form opens again"
ui_assert_screen "^$B Time zone +Mars/Olympus_Mons " "with what was typed"
ui_keys Tab Tab C-u
ui_type Europe/Berlin
ui_keys Tab Tab C-u
ui_type Gardening
ui_keys C-s
ui_assert_screen "prefs\.markets" "a market the company is not in is refused too"
ui_assert_screen 'Your preferences' "the form opens again"
ui_keys Tab Tab Tab Tab C-u
ui_keys C-s
ui_assert_screen 'Preferences saved at' "corrected, they save"
ui_assert_screen "^$B  Time zone +Europe/Berlin " "the new time zone shows"
ui_assert_screen "^$B  Markets +none " "and no markets followed"
ui_keys f
ui_wait_for 'Your preferences'
ui_type maybe
ui_keys C-s
ui_assert_screen 'notifications: yes or no' "notifications take yes or no"
ui_keys C-u
ui_type no
ui_keys C-s
ui_assert_screen "^$B  Notifications +off " "and save"
ui_keys q
ui_wait_gone 'Your profile'
ui_quit

ui_use ui1
ui_quit

# ---- confab profile set ----------------------------------------------------------------------------
cli "$tmp/bob-data" profile set --title Buyer --phone 'mobile=07700 900123' \
	--phone '020 7946 0958' --country GB --auto-away 15
check "profile set works (exit status $status)" test "$status" = 0
check "it prints the new title" grep -q '^Title: *Buyer$' "$tmp/out"
check "and the phones with their E.164 form" \
	sh -c 'grep -q "^Phone: *mobile 07700 900123 (+447700900123)$" "$1" && grep -q "^Phone: *work 020 7946 0958 (+442079460958)$" "$1"' sh "$tmp/out"
check "and the preferences" \
	sh -c 'grep -q "^Auto-away: *15 minutes$" "$1" && grep -q "^Country: *GB$" "$1"' sh "$tmp/out"
cli "$tmp/bob-data" profile set --country XX
check "a bad country is refused (exit status $status)" test "$status" = 1
check "with the server's message" grep -q 'prefs.country' "$tmp/err"
cli "$tmp/bob-data" profile set --notifications perhaps
check "a bad --notifications is a usage error (exit status $status)" test "$status" = 2
cli "$tmp/bob-data" profile set
check "no options: usage (exit status $status)" \
	sh -c '[ "$1" = 2 ] && grep -q "usage: confab profile set" "$2"' sh "$status" "$tmp/err"
cli "$tmp/bob-data" profile show --json
check "the server kept the rest (confab profile show --json)" \
	json_is "$tmp/out" 'v["title"] == "Buyer" and v["prefs"]["auto_away"] == 15 and v["prefs"]["timezone"] == "Europe/Berlin" and len(v["phones"]) == 2'
