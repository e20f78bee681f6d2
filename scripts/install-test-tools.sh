#!/usr/bin/env bash
# The two programs the tests drive besides Node: Debian's chromium (the browser test of
# w2v serve, through puppeteer-core) and tmux (the progress bar in a real terminal).
# `npm test` runs this first. It installs what is missing where it can (root with apt-get),
# and otherwise says in one line what to install; it does nothing when both are present.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "install-test-tools: installing ${missing[*]} (Debian packages) for the browser and terminal tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "install-test-tools: the tests need ${missing[*]}: install them (Debian: sudo apt-get install ${missing[*]}), then run npm test again" >&2
exit 1
