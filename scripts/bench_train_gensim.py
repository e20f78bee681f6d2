#!/usr/bin/env python3
"""Train gensim Word2Vec with C word2vec's settings and save word2vec binary (for `npm run bench`).

Input is read with the same rules as the other tools: whitespace tokens, one sentence per line,
lines cut into pieces of at most 10,000 tokens. The default reader is LineSentence with
max_sentence_length=10000, gensim's ordinary path. `--reader corpus_file` is gensim's faster
multi-core mode, but on text8 (one line) it trains on a few thousand words only, and even on the
same text cut into 10,000-token lines it trained about 28% fewer effective words per epoch, with
clearly lower analogy accuracy (0.051 vs 0.083 on the text8 prefix, sg-ns, 5 epochs), so it is
not a like-for-like comparison.
"""
import argparse
import logging

from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence

MAX_SENTENCE = 10000


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", required=True, help="plain-text corpus")
    p.add_argument("--out", required=True, help="output vectors, word2vec binary")
    p.add_argument("--sg", type=int, choices=(0, 1), required=True)
    p.add_argument("--hs", type=int, choices=(0, 1), required=True)
    p.add_argument("--negative", type=int, required=True)
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--window", type=int, default=5)
    p.add_argument("--sample", type=float, default=1e-3)
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--alpha", type=float, default=None,
                   help="default as in C word2vec: 0.025 for skip-gram, 0.05 for CBOW")
    p.add_argument("--reader", choices=("corpus_file", "iterable"), default="iterable")
    a = p.parse_args()

    logging.basicConfig(format="%(asctime)s %(levelname)s %(message)s", level=logging.INFO)
    alpha = a.alpha if a.alpha is not None else (0.025 if a.sg else 0.05)
    settings = dict(
        sg=a.sg, hs=a.hs, negative=a.negative, vector_size=a.dim, window=a.window,
        sample=a.sample, min_count=a.min_count, epochs=a.epochs, workers=a.workers,
        alpha=alpha, min_alpha=alpha * 1e-4,  # C word2vec floors alpha at starting_alpha * 1e-4
        max_vocab_size=None, sorted_vocab=1,
    )
    if a.reader == "corpus_file":
        model = Word2Vec(corpus_file=a.corpus, **settings)
    else:
        model = Word2Vec(LineSentence(a.corpus, max_sentence_length=MAX_SENTENCE), **settings)
    model.wv.save_word2vec_format(a.out, binary=True)


if __name__ == "__main__":
    main()
