#!/usr/bin/python3
"""Print gensim's analogy and word-pair scores for a vectors file as one JSON object, in the shape
`w2v evaluate --json` prints, so the two can be compared number by number.

    python3 scripts/gensim-evaluate.py VECTORS [--binary 0|1] --analogies FILE [--pairs FILE ...] [--restrict 30000]

Analogies: evaluate_word_analogies(restrict_vocab=--restrict, case_insensitive=True).
Word pairs: evaluate_word_pairs(delimiter=TAB, case_insensitive=True) with gensim's default
restrict_vocab; each file is first copied with space-separated lines turned into TAB-separated
ones and CRLF into LF, since gensim itself accepts only its one delimiter.
"""
import argparse
import json
import logging
import os
import tempfile

from gensim.models import KeyedVectors


def tab_separated(path):
    with open(path, encoding="utf8", newline="") as f:
        lines = [ln.rstrip("\r\n") for ln in f]
    out = []
    for ln in lines:
        if not ln.strip() or ln.startswith("#"):
            continue
        out.append(ln if "\t" in ln else "\t".join(ln.split()))
    fd, tmp = tempfile.mkstemp(suffix=".tsv", prefix="gensim-pairs-")
    with os.fdopen(fd, "w", encoding="utf8") as f:
        f.write("\n".join(out) + "\n")
    return tmp


def score(section):
    answered = len(section["correct"]) + len(section["incorrect"])
    return {"accuracy": len(section["correct"]) / answered if answered else None,
            "correct": len(section["correct"]), "answered": answered}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("vectors")
    p.add_argument("--binary", type=int, choices=(0, 1), default=1)
    p.add_argument("--analogies")
    p.add_argument("--pairs", action="append", default=[])
    p.add_argument("--restrict", type=int, default=30000)
    a = p.parse_args()
    logging.basicConfig(level=logging.ERROR)
    kv = KeyedVectors.load_word2vec_format(a.vectors, binary=bool(a.binary))
    result = {}
    if a.analogies:
        # gensim logs but does not return the OOV count; recount it with its own rules.
        ok = {k.upper() for k in kv.index_to_key[: a.restrict]}
        questions = oov = 0
        with open(a.analogies, encoding="utf8") as f:
            for line in f:
                if line.startswith(": "):
                    continue
                words = [w.upper() for w in line.split()]
                if len(words) != 4:
                    continue
                questions += 1
                oov += any(w not in ok for w in words)
        total, sections = kv.evaluate_word_analogies(a.analogies, restrict_vocab=a.restrict, case_insensitive=True)
        per = {s["section"]: score(s) for s in sections if s["section"] != "Total accuracy"}
        halves = {}
        for name, syntactic in (("semantic", False), ("syntactic", True)):
            chosen = [s for s in sections if s["section"] != "Total accuracy" and s["section"].startswith("gram") == syntactic]
            correct = sum(len(s["correct"]) for s in chosen)
            answered = sum(len(s["correct"]) + len(s["incorrect"]) for s in chosen)
            halves[name] = {"accuracy": correct / answered if answered else None, "correct": correct, "answered": answered}
        t = next(s for s in sections if s["section"] == "Total accuracy")
        result["analogy"] = {"accuracy": total, "correct": len(t["correct"]),
                             "answered": len(t["correct"]) + len(t["incorrect"]),
                             **halves, "sections": per, "questions": questions, "oov": oov / questions}
    pairs = {}
    for path in a.pairs:
        tmp = tab_separated(path)
        try:
            pearson, spearman, oov = kv.evaluate_word_pairs(tmp, delimiter="\t", case_insensitive=True)
        finally:
            os.unlink(tmp)
        pairs[os.path.basename(path)] = {"spearman": float(spearman[0]), "pearson": float(pearson[0]), "oov": oov / 100}
    result["pairs"] = pairs
    print(json.dumps(result))


if __name__ == "__main__":
    main()
