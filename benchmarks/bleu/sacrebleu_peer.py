#!/usr/bin/python3
"""sacreBLEU side of the BLEU benchmark: times one run of the same work on the same files.

Usage: sacrebleu_peer.py WORKDIR corpus|bs   (with sacreBLEU on PYTHONPATH); prints one JSON line.
WORKDIR holds refs.txt/hyps.txt (corpus BLEU) and bs_refs.txt/bs_base.txt/bs_sys.txt (paired bootstrap),
written by BleuBenchmark, which calls this once per round, alternating with its own runs.
"""
import json
import os
import sys
import time

import numpy
import sacrebleu
from sacrebleu.metrics import BLEU
from sacrebleu.significance import PairedTest


def lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip() for line in f]


def main():
    work, mode = sys.argv[1], sys.argv[2]
    out = {"sacrebleu": sacrebleu.__version__, "numpy": numpy.__version__,
           "python": sys.version.split()[0]}
    if mode == "corpus":
        refs, hyps = lines(os.path.join(work, "refs.txt")), lines(os.path.join(work, "hyps.txt"))
        t = time.perf_counter()
        metric = BLEU()
        res = metric.corpus_score(hyps, [refs])
        out["seconds"] = time.perf_counter() - t
        out["corpus_score"] = res.score
        out["corpus_signature"] = metric.get_signature().format()
    else:
        bs_refs = lines(os.path.join(work, "bs_refs.txt"))
        bs_base = lines(os.path.join(work, "bs_base.txt"))
        bs_sys = lines(os.path.join(work, "bs_sys.txt"))
        t = time.perf_counter()
        test = PairedTest([("base", bs_base), ("sys", bs_sys)], {"BLEU": BLEU()}, references=[bs_refs],
                          test_type="bs", n_samples=1000)
        sigs, scores = test()
        out["seconds"] = time.perf_counter() - t
        base, res = scores["BLEU"][0], scores["BLEU"][1]
        out.update({"bs_base_score": base.score, "bs_base_mean": base.mean, "bs_base_ci": base.ci,
                    "bs_sys_score": res.score, "bs_sys_mean": res.mean, "bs_sys_ci": res.ci,
                    "bs_p_value": res.p_value, "bs_signature": sigs["BLEU"].format()})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
