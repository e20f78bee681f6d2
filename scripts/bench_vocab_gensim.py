#!/usr/bin/env python3
"""Time gensim's vocabulary building on a corpus (for `npm run bench:read`); prints JSON seconds.

The corpus goes through LineSentence with max_sentence_length=10000, the reader `npm run bench`
trains gensim with, so this is the vocabulary pass of that training run.
"""
import argparse
import json
import time

from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", required=True)
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--workers", type=int, default=2)
    a = p.parse_args()
    model = Word2Vec(min_count=a.min_count, workers=a.workers)
    start = time.perf_counter()
    model.build_vocab(corpus_iterable=LineSentence(a.corpus, max_sentence_length=10000))
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "words": len(model.wv.index_to_key)}))


if __name__ == "__main__":
    main()
