#!/bin/sh
# tests/it/test_mail.sh: password reset and invite codes by mail, against a
# real confabd and a small SMTP sink (tests/it/smtp_sink.py): a reset asked
# by username or email mails a single-use code with its expiry in a proper
# message; the code sets the password and is then used up; an unknown user
# gets the same answer and no mail; invites by mail and by hand; a dead or
# slow mail server delays no answer and the failure is logged.
# Prints "ok - ..." / "not ok - ..."; exits 1 on failure.

IT_TMP=confab-mail
IT_SHOW=body IT_SHOW_LINES=5 IT_LOG_LINES=8
. "$(dirname "$0")/lib.sh"
sinks=
it_at_exit() { for p in $sinks; do kill "$p" 2>/dev/null; done; }

# sink DIR [ARGS]: an SMTP sink writing to DIR; sets $sport
sink() {
	_dir=$1
	shift
	python3 "$itdir/smtp_sink.py" "$_dir" "$@" 2>"$_dir.err" &
	sinks="$sinks $!"
	i=0
	until [ -s "$_dir/port" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && { not_ok "the SMTP sink starts"; exit 1; }
		sleep 0.05
	done
	sport=$(cat "$_dir/port")
}

# stop_ok: SIGTERM; it must exit 0 with no sanitizer report
stop_ok() {
	stop
	check "confabd stops with status 0 ($st), no sanitizer report" \
		sh -c '[ "$1" = 0 ] && ! grep -q "runtime error\|Sanitizer" "$2"' \
		sh "$st" "$tmp/log"
}

# wait_file FILE [SECONDS]: until it exists
wait_file() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt $((${2:-10} * 20)) ]; do
		sleep 0.05
		i=$((i + 1))
	done
	[ -e "$1" ]
}
nmail() { ls "$1"/*.eml 2>/dev/null | wc -l; }
# code_of FILE: the code line of a mail ("    ABCDE-FGHJK")
code_of() { sed -n 's/^    \([A-Z2-9]\{5\}-[A-Z2-9]\{5\}\)\r$/\1/p' "$1"; }
# headers FILE: the message parses, with Date, From, To, Subject and a
# Message-ID, CRLF line ends, and To is $2
headers() {
	python3 - "$1" "$2" <<'EOF'
import email, email.utils, re, sys
raw = open(sys.argv[1], "rb").read()
assert b"\n" not in raw.replace(b"\r\n", b""), "bare LF"
m = email.message_from_bytes(raw)
for h in ("Date", "From", "To", "Subject", "Message-ID"):
    assert m[h], "no " + h
assert email.utils.parsedate_to_datetime(m["Date"]), "bad Date"
assert m["To"] == sys.argv[2], m["To"]
assert "confab@acme.test" in m["From"], m["From"]
assert re.fullmatch(r"<[0-9a-f]{32}@acme\.test>", m["Message-ID"]), m["Message-ID"]
assert m.get_content_type() == "text/plain"
EOF
}

# ---- a server that mails through a sink that wants a password ---------------------------
mkdir -p "$tmp/m1"
sink "$tmp/m1" --auth mailer:s3cret
cat >>"$conf" <<EOF
smtp_url = smtp://127.0.0.1:$sport
smtp_from = Confab <confab@acme.test>
smtp_user = mailer
smtp_password = s3cret
EOF
echo 'correct horse 1' >"$tmp/pw"
dq admin init --company "Acme Ltd" --admin alice --email alice@acme.test \
	--name "Alice Archer" --password-file "$tmp/pw"
for u in bob carol; do
	dq admin add-user $u --email $u@acme.test --password-file "$tmp/pw"
done
start
check "the log says where mails go, without the password" \
	sh -c 'grep -q "mailed from Confab <confab@acme.test> through smtp://127.0.0.1:[0-9]* (signing in)" "$1" && ! grep -q s3cret "$1"' \
	sh "$tmp/log"

# ---- reset by username, by email; an unknown user ------------------------------------------
http POST /v1/password/reset '{"user":"alice"}'
cp "$tmp/body" "$tmp/known"
check "a reset asked by username is answered 202 (${secs}s)" \
	sh -c '[ "$1" = 202 ] && [ "$2" = 1 ]' sh "$code" "$fast"
check "the mail arrives" wait_file "$tmp/m1/1.eml"
check "its envelope: from confab@acme.test to alice, signed in as mailer" \
	sh -c 'grep -q "^from <confab@acme.test>" "$1" && grep -qx "rcpt <alice@acme.test>" "$1" && grep -qx "auth mailer" "$1"' \
	sh "$tmp/m1/1.env"
check "it is a proper message (Date, From, To, Subject, Message-ID, CRLF)" \
	headers "$tmp/m1/1.eml" alice@acme.test
code1=$(code_of "$tmp/m1/1.eml")
check "it holds the code ($code1) and when it expires" \
	sh -c '[ -n "$1" ] && grep -q "expires on 20[0-9-]* [0-9:]* UTC (in 24 hours)" "$2" && grep -q "Hello Alice Archer" "$2"' \
	sh "$code1" "$tmp/m1/1.eml"

http POST /v1/password/reset '{"user":"ALICE@acme.test"}'
check "a reset asked by email (any case) is answered 202" test "$code" = 202
check "a second mail arrives" wait_file "$tmp/m1/2.eml"
code2=$(code_of "$tmp/m1/2.eml")
check "to alice, with a new code ($code2)" \
	sh -c 'grep -qx "rcpt <alice@acme.test>" "$1" && [ -n "$2" ] && [ "$2" != "$3" ]' \
	sh "$tmp/m1/2.env" "$code2" "$code1"

http POST /v1/password/reset '{"user":"nobody@nowhere.test"}'
check "an unknown user gets the same answer, as quickly (${secs}s)" \
	sh -c '[ "$1" = 202 ] && cmp -s "$2" "$3" && [ "$4" = 1 ]' \
	sh "$code" "$tmp/body" "$tmp/known" "$fast"
sleep 1.5
check "and no mail" test "$(nmail "$tmp/m1")" = 2
check "the log says why, for the admin" grep -q "'nobody@nowhere.test': no such active account" "$tmp/log"

# ---- the code sets the password once --------------------------------------------------------
http POST /v1/password/reset/confirm "{\"code\":\"$code1\",\"new_password\":\"a new horse 2\"}"
check "the mailed code sets a new password" \
	sh -c '[ "$1" = 200 ] && grep -q "\"token\"" "$2"' sh "$code" "$tmp/body"
http POST /v1/login '{"username":"alice","password":"correct horse 1"}'
check "the old password no longer works" test "$code" = 401
http POST /v1/login '{"username":"alice","password":"a new horse 2"}'
token=$(field token)
check "the new one does" test "$code" = 200
http POST /v1/password/reset/confirm "{\"code\":\"$code1\",\"new_password\":\"third horse 3\"}"
check "the code is single-use" \
	sh -c '[ "$1" = 400 ] && grep -q bad_code "$2"' sh "$code" "$tmp/body"
http POST /v1/password/reset/confirm "{\"code\":\"$code2\",\"new_password\":\"third horse 3\"}"
check "the other code mailed before the reset is used up too" test "$code" = 400

# ---- invites ------------------------------------------------------------------------------------
http POST /v1/users '{"username":"dave","email":"dave@acme.test","name":"Dave Dent"}' "$token"
check "no password and no invite: 400 saying so" \
	sh -c '[ "$1" = 400 ] && grep -q "invite" "$2"' sh "$code" "$tmp/body"
http POST /v1/users '{"username":"dave","email":"dave@acme.test","password":"dave pass 1","invite":true}' "$token"
check "a password and an invite: 400" test "$code" = 400
http POST /v1/users "{\"username\":\"dave\",\"email\":\"dave@acme.test\\r\\nBcc: x@evil.test\",\"invite\":true}" "$token"
check "an email with a line break is refused" test "$code" = 400
http POST /v1/users '{"username":"dave","email":"dave@acme.test","name":"Dave Dent","invite":true}' "$token"
check "an invite: 201, mailed to dave, the code not in the reply" \
	sh -c '[ "$1" = 201 ] && [ "$2" = dave@acme.test ] && ! grep -q invite_code "$3" && [ -n "$4" ]' \
	sh "$code" "$(field invite_mailed_to)" "$tmp/body" "$(field invite_expires)"
check "the invite mail arrives" wait_file "$tmp/m1/3.eml"
icode=$(code_of "$tmp/m1/3.eml")
check "it names the user, the inviter and a code valid 7 days" \
	sh -c 'grep -q "Your username is: dave" "$1" && grep -q "Alice Archer has made you a confab account at Acme Ltd" "$1" && grep -q "(in 7 days)" "$1" && [ -n "$2" ]' \
	sh "$tmp/m1/3.eml" "$icode"
check "with Subject and To" headers "$tmp/m1/3.eml" dave@acme.test
http POST /v1/login '{"username":"dave","password":"whatever 1"}'
check "dave has no password yet" test "$code" = 401
http POST /v1/password/reset/confirm "{\"code\":\"$icode\",\"new_password\":\"daves own pw\"}"
check "the invite code sets dave's password" test "$code" = 200
http POST /v1/login '{"username":"dave","password":"daves own pw"}'
check "and dave signs in" test "$code" = 200
out=$(d admin add-user erin --email erin@acme.test --invite 2>&1)
check "admin add-user --invite mails the code" \
	sh -c 'echo "$1" | grep -q "invite code mailed to erin@acme.test" && ! echo "$1" | grep -q Sanitizer' sh "$out"
wait_file "$tmp/m1/4.eml"
check "erin's mail arrives" grep -qx "rcpt <erin@acme.test>" "$tmp/m1/4.env"

# ---- no more than 3 reset mails in a row to one account ------------------------------------------
for n in 1 2 3 4; do http POST /v1/password/reset '{"user":"carol"}'; done
check "carol's three mails arrive" wait_file "$tmp/m1/7.eml"
sleep 1.5
check "the fourth request mails nothing, and says why in the log" \
	sh -c '[ "$(ls "$1"/*.eml | wc -l)" = 7 ] && grep -q "'"'"'carol'"'"': 3 mails in the last 10 minutes" "$2"' \
	sh "$tmp/m1" "$tmp/log"
stop_ok

# ---- a dead mail server, a slow one, a STARTTLS that is not there --------------------------------
dead=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -i "s|^smtp_url = .*|smtp_url = smtp://mailer:s3cret@127.0.0.1:$dead|" "$conf"
start
http POST /v1/password/reset '{"user":"bob"}'
check "with the mail server down a reset is still answered 202 (${secs}s)" \
	sh -c '[ "$1" = 202 ] && [ "$2" = 1 ]' sh "$code" "$fast"
i=0
until grep -q "cannot send" "$tmp/log" || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "the failure is logged with the reason, without the password" \
	sh -c 'grep -q "mail: cannot send .Your confab password reset code. to bob@acme.test via smtp://127.0.0.1:$2: .*[Cc]onnect" "$1" && ! grep -q s3cret "$1"' \
	sh "$tmp/log" "$dead"
stop_ok

mkdir -p "$tmp/m2"
sink "$tmp/m2" --delay 3
sed -i -e "s|^smtp_url = .*|smtp_url = smtp://127.0.0.1:$sport|" -e '/^smtp_user/d' -e '/^smtp_password/d' "$conf"
start
http POST /v1/password/reset '{"user":"bob"}'
check "a slow mail server delays no answer (${secs}s)" \
	sh -c '[ "$1" = 202 ] && [ "$2" = 1 ]' sh "$code" "$fast"
check "the mail gets there later" wait_file "$tmp/m2/1.eml" 15
http POST /v1/password/reset '{"user":"dave"}'
sleep 0.5
t0=$(now)
stop_ok
dt=$(since "$t0")
check "SIGTERM while a mail waits on the server stops within 2 s (${dt}s)" \
	sh -c 'awk -v x="$1" "BEGIN { exit !(x < 2.0) }" && grep -q "cannot send .* to dave@acme.test .*[Aa]bort" "$2"' \
	sh "$dt" "$tmp/log"

echo 'smtp_starttls = yes' >>"$conf"
start
http POST /v1/password/reset '{"user":"bob"}'
i=0
until grep -q "cannot send" "$tmp/log" || [ $i -gt 150 ]; do sleep 0.1; i=$((i + 1)); done
check "smtp_starttls = yes refuses a server without STARTTLS (logged)" \
	sh -c 'grep -q "mail: cannot send .* to bob@acme.test .*STARTTLS" "$1" && [ "$(ls "$2"/*.eml | wc -l)" = 1 ]' \
	sh "$tmp/log" "$tmp/m2"
stop_ok

# ---- no SMTP at all: the admin hands the codes over ------------------------------------------------
printf 'password_cost = min\n' >"$conf"
start
http POST /v1/login '{"username":"alice","password":"a new horse 2"}'
token=$(field token)
http POST /v1/users '{"username":"frank","email":"frank@acme.test","invite":true}' "$token"
fcode=$(field invite_code)
check "without SMTP the invite code is in the reply to the admin ($fcode)" \
	sh -c '[ "$1" = 201 ] && [ ${#2} -eq 10 ] && ! grep -q invite_mailed_to "$3"' sh "$code" "$fcode" "$tmp/body"
http POST /v1/password/reset/confirm "{\"code\":\"$fcode\",\"new_password\":\"franks own pw\"}"
check "and it works like a mailed one" test "$code" = 200
http POST /v1/password/reset '{"user":"bob"}'
sleep 0.5
check "a reset request without SMTP logs how to make a code" \
	sh -c '[ "$1" = 202 ] && grep -q "no smtp_url is set: give them a code with .confabd admin reset-code bob." "$2"' \
	sh "$code" "$tmp/log"
stop_ok
out=$(d admin add-user gina --email gina@acme.test --invite 2>&1)
check "admin add-user --invite prints the code without SMTP" \
	sh -c 'echo "$1" | grep -q "^invite code: [A-Z2-9]\{10\} (valid 7 days"' sh "$out"

# ---- configuration errors --------------------------------------------------------------------------
printf 'smtp_url = smtp://127.0.0.1:25\n' >"$tmp/bad.conf"
out=$("$CONFABD" --config "$tmp/bad.conf" --data-dir "$tmp/data" admin help 2>&1)
check "smtp_url without smtp_from is a configuration error" \
	sh -c '[ "$1" = 2 ] && echo "$2" | grep -q "smtp_url needs smtp_from"' sh "$?" "$out"
printf 'smtp_url = http://x\n' >"$tmp/bad.conf"
out=$("$CONFABD" --config "$tmp/bad.conf" --data-dir "$tmp/data" admin help 2>&1)
check "an smtp_url that is not smtp:// or smtps:// is refused" \
	sh -c 'echo "$1" | grep -q "bad.conf:1: smtp_url starts with smtp://"' sh "$out"

exit $((failed > 0))
