#!/usr/bin/env python3
"""Score one vectors file for `npm run bench`; prints one JSON object on stdout.

Every tool's output goes through this same evaluator (gensim's KeyedVectors), so differences come
from the vectors, not from the scoring code:
  - Google analogies: evaluate_word_analogies(restrict_vocab=30000, case_insensitive=True)
  - word pairs: evaluate_word_pairs (Spearman rho), OOV pairs skipped, OOV share reported.
"""
import argparse
import json
import logging
import os
import tempfile

from gensim.models import KeyedVectors


def normalized_pairs(path: str) -> tuple[str, int]:
    """Copy a pair file to LF, tab-separated form (MTurk-771 is CRLF) and count its pairs."""
    with open(path, encoding="utf8", newline="") as f:
        lines = [ln.rstrip("\r\n") for ln in f]
    pairs = [ln for ln in lines if ln and not ln.startswith("#")]
    fd, tmp = tempfile.mkstemp(suffix=".tsv", prefix="bench-pairs-")
    with os.fdopen(fd, "w", encoding="utf8") as out:
        out.write("\n".join(pairs) + "\n")
    return tmp, len(pairs)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("vectors")
    p.add_argument("--binary", type=int, choices=(0, 1), default=1)
    p.add_argument("--analogies", required=True)
    p.add_argument("--pairs", action="append", default=[], metavar="NAME=PATH")
    p.add_argument("--restrict-vocab", type=int, default=30000)
    a = p.parse_args()
    logging.basicConfig(level=logging.WARNING)

    kv = KeyedVectors.load_word2vec_format(a.vectors, binary=bool(a.binary))
    result = {"vocab": len(kv.index_to_key), "dim": kv.vector_size}

    score, sections = kv.evaluate_word_analogies(
        a.analogies, restrict_vocab=a.restrict_vocab, case_insensitive=True)
    total = next(s for s in sections if s["section"] == "Total accuracy")
    result["analogy"] = {"accuracy": score, "correct": len(total["correct"]),
                         "answered": len(total["correct"]) + len(total["incorrect"])}

    for spec in a.pairs:
        name, path = spec.split("=", 1)
        tmp, n = normalized_pairs(path)
        try:
            pearson, spearman, oov = kv.evaluate_word_pairs(tmp, delimiter="\t", case_insensitive=True)
        finally:
            os.unlink(tmp)
        result[name] = {"spearman": float(spearman[0]), "pearson": float(pearson[0]),
                        "pairs": n, "oov_percent": float(oov)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
