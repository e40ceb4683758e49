#!/bin/sh
# tests/it/test_server.sh: a real confabd on loopback, driven with curl:
# health and metrics, the admin CLI, signing in and out, tokens (bad,
# revoked, after a password change), malformed and oversized bodies,
# sign-in throttling, password reset with a code, SIGTERM and SIGKILL.
# Prints "ok - ..." / "not ok - ..."; exits 1 on failure.

IT_TMP=confabd-it
IT_CONFIG='max_body_kb = 4'
IT_SHOW=body IT_SHOW_LINES=5 IT_LOG_LINES=5
. "$(dirname "$0")/lib.sh"

# errmsg: the error message of the last body
errmsg() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"]["message"])' \
		"$tmp/body" 2>/dev/null
}

# ---- admin CLI --------------------------------------------------------------------
echo 'correct horse 1' >"$tmp/pw"
out=$(d admin init --company "Acme Ltd" --admin alice --email alice@acme.test \
	--password-file "$tmp/pw" 2>&1)
check "admin init creates the company and its admin" \
	sh -c 'echo "$1" | grep -q "company Acme Ltd created"' sh "$out"
out=$(d admin init --company "ACME LTD" --admin eve --email e@x.test 2>&1)
check "a second company of the same name is refused" \
	sh -c 'echo "$1" | grep -q "already has a company named ACME LTD"' sh "$out"
out=$(d admin add-user bob --email bob@acme.test --perm phone --perm crm-view 2>&1)
bobpw=$(echo "$out" | sed -n 's/^password: //p')
check "add-user prints a generated password once" test -n "$bobpw"
out=$(d admin add-user bob2 --email bob@acme.test 2>&1)
check "a taken email is refused" \
	sh -c 'echo "$1" | grep -q "is taken"' sh "$out"
out=$(d admin add-user carol --email c@acme.test --perm wizard 2>&1)
check "an unknown permission is refused" \
	sh -c 'echo "$1" | grep -q "unknown permission .wizard."' sh "$out"

start
# ---- health and metrics --------------------------------------------------------------
http GET /healthz
check "GET /healthz is 200 with the version" \
	sh -c '[ "$1" = 200 ] && grep -q "\"version\":\"0.1.0\"" "$2"' sh "$code" "$tmp/body"
http GET /nowhere
check "an unknown path is 404 with a JSON error" \
	sh -c '[ "$1" = 404 ] && grep -q "\"code\":\"not_found\"" "$2"' sh "$code" "$tmp/body"
http GET /v1/login
check "a wrong method is 405" test "$code" = 405

# ---- signing in ----------------------------------------------------------------------
http POST /v1/login '{"username":"alice","password":"correct horse 1"}'
token=$(field token)
check "alice signs in and gets a token" \
	sh -c '[ "$1" = 200 ] && [ ${#2} -eq 43 ]' sh "$code" "$token"
http GET /v1/me "" "$token"
check "/v1/me with the token says who and which company" \
	sh -c '[ "$1" = 200 ] && grep -q "\"username\":\"alice\"" "$2" && grep -q "\"name\":\"Acme Ltd\"" "$2"' \
	sh "$code" "$tmp/body"
http POST /v1/login "{\"username\":\"BOB@acme.test\",\"password\":\"$bobpw\"}"
bobtok=$(field token)
check "bob signs in by email, any case" test "$code" = 200
check "bob's permissions are his own" \
	sh -c 'grep -q "\"perms\":\[\"phone\",\"crm-view\"\]" "$1"' sh "$tmp/body"

http GET /v1/me
check "no token: 401" test "$code" = 401
http GET /v1/me "" "not-a-token"
check "a malformed token: 401" test "$code" = 401
http GET /v1/me "" "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
check "an unknown token: 401" test "$code" = 401

# ---- bad bodies: 400 naming the field, 413 for size -------------------------------------
http POST /v1/login '{"username":"alice"'
check "malformed JSON: 400 bad_json" \
	sh -c '[ "$1" = 400 ] && grep -q bad_json "$2"' sh "$code" "$tmp/body"
http POST /v1/login '["alice"]'
check "not an object: 400" test "$code" = 400
http POST /v1/login '{"username":"alice"}'
check "a missing field is named" \
	sh -c '[ "$1" = 400 ] && [ "$2" = "field '"'"'password'"'"' is missing" ]' sh "$code" "$(errmsg)"
http POST /v1/login '{"username":42,"password":"x"}'
check "a field of the wrong type is named" \
	sh -c '[ "$1" = 400 ] && [ "$2" = "field '"'"'username'"'"' must be a string" ]' sh "$code" "$(errmsg)"
big=$(python3 -c 'print("{\"username\":\"" + "x"*8000 + "\"}")')
http POST /v1/login "$big"
check "a body over max_body_kb: 413" test "$code" = 413

# ---- throttling: same answer for unknown users, then 429 ----------------------------------
http POST /v1/login '{"username":"nobody","password":"whatever1"}'
m1=$(errmsg)
http POST /v1/login '{"username":"alice","password":"wrong one"}'
m2=$(errmsg)
check "a wrong password and an unknown user get the same answer" \
	sh -c '[ "$1" = 401 ] && [ "$2" = "$3" ]' sh "$code" "$m1" "$m2"
http POST /v1/login '{"username":"alice","password":"wrong two"}'
http POST /v1/login '{"username":"alice","password":"wrong three"}'
http POST /v1/login '{"username":"alice","password":"correct horse 1"}'
check "after 3 failures even the right password waits (429)" \
	sh -c '[ "$1" = 429 ] && grep -q "try again in" "$2"' sh "$code" "$tmp/body"
http POST /v1/login "{\"username\":\"bob\",\"password\":\"$bobpw\"}"
check "a colleague at the same address is not held up" test "$code" = 200
retry=$(curl -s -D - -o /dev/null -X POST \
	--data-binary '{"username":"alice","password":"x"}' "$url/v1/login" |
	sed -n 's/^Retry-After: *\([0-9]*\).*/\1/ip')
check "429 carries Retry-After ($retry s)" test -n "$retry"
sleep 2.2
http POST /v1/login '{"username":"alice","password":"correct horse 1"}'
check "after the wait the right password works" test "$code" = 200
token2=$(field token)

# ---- sign out; password change revokes every session ----------------------------------------
http POST /v1/logout "" "$token"
check "sign-out answers 200" test "$code" = 200
http GET /v1/me "" "$token"
check "a signed-out token is refused" test "$code" = 401
http GET /v1/me "" "$token2"
check "the other session still works" test "$code" = 200
http POST /v1/password '{"old_password":"nope nope","new_password":"a new horse 2"}' "$token2"
check "a wrong old password is refused (403)" test "$code" = 403
http POST /v1/password '{"old_password":"correct horse 1","new_password":"short"}' "$token2"
check "a short new password is refused, naming the field" \
	sh -c '[ "$1" = 400 ] && echo "$2" | grep -q "new_password"' sh "$code" "$(errmsg)"
http POST /v1/password '{"old_password":"correct horse 1","new_password":"a new horse 2"}' "$token2"
token3=$(field token)
check "a password change gives a fresh token" \
	sh -c '[ "$1" = 200 ] && [ ${#2} -eq 43 ]' sh "$code" "$token3"
http GET /v1/me "" "$token2"
check "the old session ended with the change" test "$code" = 401
http GET /v1/me "" "$bobtok"
check "another user's session is untouched" test "$code" = 200

# ---- password reset with a code --------------------------------------------------------------
http POST /v1/password/reset '{"user":"nobody@nowhere.test"}'
check "a reset for an unknown user still says 202" test "$code" = 202
code_b=$(d admin reset-code bob 2>/dev/null)
check "admin reset-code prints a 10-character code" test ${#code_b} -eq 10
http POST /v1/password/reset/confirm "{\"code\":\"WRONGCODE2\",\"new_password\":\"bobs new pass\"}"
check "a wrong code is refused" test "$code" = 400
lower=$(echo "$code_b" | tr 'A-Z' 'a-z')
http POST /v1/password/reset/confirm "{\"code\":\"$lower\",\"new_password\":\"bobs new pass\"}"
check "the code (typed in lower case) sets a new password" test "$code" = 200
http POST /v1/password/reset/confirm "{\"code\":\"$code_b\",\"new_password\":\"again again\"}"
check "a used code is refused" test "$code" = 400
http POST /v1/login '{"username":"bob","password":"bobs new pass"}'
check "bob signs in with the new password" test "$code" = 200

# ---- metrics -------------------------------------------------------------------------------------
http GET /metrics
check "/metrics counts sign-ins, failures and throttling" \
	sh -c 'grep -q "^confabd_logins_total [1-9]" "$1" && grep -q "^confabd_login_failures_total [1-9]" "$1" && grep -q "^confabd_login_throttled_total [1-9]" "$1"' \
	sh "$tmp/body"

# ---- stopping: SIGTERM cleanly; SIGKILL loses nothing committed -------------------------------------
stop
check "SIGTERM stops confabd with status 0 ($st)" test "$st" = 0
check "it logged that it stopped" grep -q 'stopped' "$tmp/log"
start
http GET /v1/me "" "$token3"
check "sessions survive a restart" test "$code" = 200
stop KILL
start
http POST /v1/login '{"username":"bob","password":"bobs new pass"}'
check "after SIGKILL and restart the reset password still holds" test "$code" = 200
stop
if grep -q 'runtime error\|Sanitizer' "$tmp/log"; then
	not_ok "no sanitizer reports"
fi
exit $((failed > 0))
