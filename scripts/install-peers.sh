#!/usr/bin/env bash
# Installs the peer tools that `npm run bench` compares w2v against:
#   gensim (Debian python3-gensim, also the quality evaluator), fastText (Debian fasttext),
#   GNU time (not required by the harness, handy for manual checks).
# C word2vec comes from the npm dev dependency `word2vec` (compiled on `npm install`).
# Runs as root (no sudo); does nothing when everything is already present.
set -euo pipefail

missing=()
/usr/bin/python3 -c 'import gensim' 2>/dev/null || missing+=(python3-gensim)
command -v fasttext >/dev/null 2>&1 || missing+=(fasttext)

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-peers: gensim and fasttext already installed"
  exit 0
fi

echo "install-peers: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"

if [ ! -x node_modules/word2vec/src/word2vec ]; then
  echo "install-peers: note: C word2vec is missing; run 'npm install' (dev dependency 'word2vec')" >&2
fi
