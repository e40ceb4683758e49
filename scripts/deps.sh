#!/bin/sh
# Install the Debian packages confab needs to build and test, but only those
# that are missing; apt-get runs only when something is.
set -eu

PKGS="build-essential pkg-config libncurses-dev libsqlite3-dev libjansson-dev
libcmocka-dev libical-dev tzdata libsodium-dev libmicrohttpd-dev
libcurl4-openssl-dev curl clang tmux groff-base man-db sqlite3 procps
python3 wrk
libcaca-dev libstb-dev
libopus-dev libspeexdsp-dev portaudio19-dev libsrtp2-dev libnice-dev
libopusenc-dev libopusfile-dev libasound2-dev coturn nftables iproute2
baresip-core jackd2 python3-jack-client"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
