#!/usr/bin/python3
"""Generates the sacreBLEU reference vectors that the Java tests compare against.

Run once from the repository root with Debian's python3 and sacreBLEU on PYTHONPATH:

    PYTHONPATH=../shared/peers/sacrebleu /usr/bin/python3 bleu/src/test/python/gen_vectors.py

It writes into bleu/src/test/resources/vectors/:
  tokenize.jsonl  text -> tokens of each tokenizer, Python lower() and rstrip()
  corpus.jsonl / sentence.jsonl / paired.jsonl  cases in the `conveyor bleu --jsonl` format with `expected`
  numpy.jsonl     numpy.random.default_rng draws (raw words, choice, bool integers)
The test suite only reads these files; it never runs Python.
"""
import json
import os
import random
import sys

import numpy as np

import sacrebleu
from sacrebleu.metrics import BLEU
from sacrebleu.significance import PairedTest
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
from sacrebleu.tokenizers.tokenizer_char import TokenizerChar
from sacrebleu.tokenizers.tokenizer_intl import TokenizerV14International
from sacrebleu.tokenizers.tokenizer_none import NoneTokenizer

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "vectors")

WORDS = ("the a of to and in is it that for on with as was by at be this are from or an not have "
         "but which one all were when we there can been has more if will would their what so out "
         "system model translation quality score test data file license copyright software "
         "Straße Fluß ÄÖÜ äöü İstanbul ΣΟΦΙΑ σοφία ΟΔΟΣ Ελλάδα Москва привет ﬁnance ǅemal "
         "café naïve résumé e\u0301te ǈ ẞ Ω K Å").split()
NUMBERS = ["3.14", "1,000", "2019", "2019-2020", "62.0%", "$1,234.56", "10-20", "5.", ",5", "1.2.3",
           "٣٤٥", "２０２３", "½", "Ⅻ", "x²", "3-", "-4", "0,5", "1 234"]
ASCII_PUNCT = list(".,;:!?\"'()[]{}-/&<>@#$%^*+=~|\\`_") + ["...", "--", "&quot;", "&amp;", "&lt;",
                                                            "&gt;", "&amp;quot;", "<skipped>", "-\n",
                                                            "\n", "p.m.", "e.g.", "O'Neil"]
UNI_PUNCT = list("’‘“”«»—–…¿¡、。「」・！？，：；《》·•‰†‡′″※⁂‐‑‒―〈〉【】〔〕¶§჻༄") + ["„", "‹", "›"]
SYMBOLS = list("€£¥©®™°±×÷→←∞≈≠♥★☺§¤¢₹₿∑√⌘") + ["😀", "🎉", "👍🏽", "🫠", "🇩🇪", "👨\u200d👩\u200d👧",
                                                "🚀", "🥲", "🪿", "🩷", "\U0001FAE8", "\U0001F9CC"]
CJK = ["漢字", "日本語", "中文", "東京は日本の首都です。", "한국어", "ひらがな", "カタカナ", "人口は約千四百万人",
       "我们", "北京。", "（注）", "\u3000", "「引用」"]
SPACES = [" ", "  ", "\t", "\u00a0", "\u3000", "\u2009", "\u200b", "\x0b", "\x0c", "\x1c", "\x85",
          "\u2028", "\ufeff"]


def rand_text(rng, n_tokens, pools):
    out = []
    for _ in range(n_tokens):
        pool = rng.choice(pools)
        tok = rng.choice(pool)
        if rng.random() < 0.15:
            tok = tok.upper() if rng.random() < 0.5 else tok.capitalize()
        out.append(tok)
        out.append(rng.choice(SPACES) if rng.random() < 0.08 else ("" if rng.random() < 0.2 else " "))
    return "".join(out)


ALL_POOLS = [WORDS, WORDS, WORDS, NUMBERS, ASCII_PUNCT, UNI_PUNCT, SYMBOLS, CJK]


def perturb(rng, sent, level):
    toks = sent.split(" ")
    out = []
    for t in toks:
        r = rng.random()
        if r < level * 0.3:
            continue
        if r < level * 0.6:
            out.append(rng.choice(rng.choice(ALL_POOLS)))
        elif r < level * 0.8 and out:
            out.insert(rng.randrange(len(out)), t)
        else:
            out.append(t)
        if rng.random() < level * 0.1:
            out.append(rng.choice(rng.choice(ALL_POOLS)))
    return " ".join(out)


def write(name, rows):
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=True) + "\n")
    print(f"{name}: {len(rows)}", file=sys.stderr)


def tokenize_vectors(rng):
    toks = {"13a": Tokenizer13a(), "intl": TokenizerV14International(), "char": TokenizerChar(),
            "none": NoneTokenizer()}
    texts = ["", " ", "a", "a.", "1.", ".1", "a,b", "1,5", "a.b.c", "1-2", "a-b", "3-4-5", "x...y", "..",
             "&amp;lt;", "&quot;hi&quot;", "a<skipped>b", "line-\nbreak", "two\nlines", "trail  \t\n",
             "Σ", "ΟΔΟΣ", "ΟΔΟΣ.", "ΑΣ Σ ΑΣΑ", "ΑΣ\u0301", "A\u00adΣ", "İ", "ẞ", "ǅ", "ﬁ", "ß",
             "\ud800", "a\udfffb", "😀.", ".😀", "1😀2", "🫠🫠", "a🫠b", "¿Qué?", "«Bonjour»", "1,000.00",
             "U.S.A.", "$5", "5$", "٣٫٥", "٣,٥", "１，０００", "x²,", "½.", "‐-‑", "a\u200db", "\u2028x",
             "e\u0301.", "漢字。漢字", "東京は日本の首都であり、人口は約千四百万人です。", "(test)", "[x]", "{y}",
             "a'b", "`x`", "~!@#$%^&*()_+", "\\", "\x1c\x1d\x1e\x1f", "\x85x\x85"]
    for i in range(1200):
        texts.append(rand_text(rng, rng.randint(1, 25), ALL_POOLS))
    # every punctuation/symbol/number-ish code point around interesting blocks, in context
    for cp in list(range(0x20, 0x250)) + list(range(0x2000, 0x2070)) + list(range(0x3000, 0x3040)) + \
            list(range(0xFF00, 0xFF70)) + list(range(0x1F300, 0x1F320)) + list(range(0x1FA70, 0x1FB00)):
        c = chr(cp)
        texts.append(f"a{c}b 1{c}2 {c}x x{c} {c}")
    rows = []
    for t in texts:
        row = {"text": t}
        for name, tok in toks.items():
            row[name] = tok(t).split()
        row["lower"] = t.lower()
        row["rstrip"] = t.rstrip()
        rows.append(row)
    write("tokenize.jsonl", rows)


def options(rng, kinds=("13a", "intl", "char", "none")):
    method = rng.choice(["exp", "exp", "floor", "add-k", "none"])
    value = None
    if method in ("floor", "add-k") and rng.random() < 0.6:
        value = rng.choice([0.01, 0.1, 0.5, 0.375, 1, 2, 0.125, 0.005])
    elif rng.random() < 0.1:
        value = 0.3
    return {"tokenize": rng.choice(kinds), "lowercase": rng.random() < 0.4,
            "smooth_method": method, "smooth_value": value}


def bleu_for(opts, effective_order):
    return BLEU(tokenize=opts["tokenize"], lowercase=opts["lowercase"],
                smooth_method=opts["smooth_method"], smooth_value=opts["smooth_value"],
                effective_order=effective_order)


def expected(res, sig):
    return {"score": res.score, "counts": list(res.counts), "totals": list(res.totals),
            "precisions": list(res.precisions), "bp": res.bp, "sys_len": res.sys_len,
            "ref_len": res.ref_len, "signature": sig}


def corpus_case(cid, hyps, refs, opts):
    m = bleu_for(opts, False)
    res = m.corpus_score(hyps, refs)
    return {"id": cid, "kind": "corpus", "hyps": hyps, "refs": refs, "options": opts,
            "expected": expected(res, m.get_signature().format())}


def sentence_case(cid, hyp, refs, opts):
    m = bleu_for(opts, True)
    res = m.sentence_score(hyp, refs)
    return {"id": cid, "kind": "sentence", "hyps": [hyp], "refs": [[r] for r in refs], "options": opts,
            "expected": expected(res, m.get_signature().format())}


def corpus_sentences(rng, n):
    return [rand_text(rng, rng.randint(3, 30), ALL_POOLS if rng.random() < 0.3 else [WORDS, WORDS, ASCII_PUNCT, NUMBERS])
            for _ in range(n)]


def bleu_vectors(rng):
    corpus, sentence = [], []
    edge_pairs = [
        ("empty-hyp", "", ["the cat sat"]),
        ("empty-ref", "the cat sat", [""]),
        ("both-empty", "", [""]),
        ("whitespace-hyp", "  \t ", ["the cat"]),
        ("zero-matches", "dog runs fast", ["the cat sat on the mat"]),
        ("one-word", "cat", ["cat"]),
        ("one-word-miss", "cat", ["dog"]),
        ("two-words", "the cat", ["the cat sat"]),
        ("three-words", "the cat sat", ["the cat sat on"]),
        ("longer-hyp", "the cat sat on the mat and more words here", ["the cat sat"]),
        ("identical", "The quick brown fox jumps over the lazy dog.", ["The quick brown fox jumps over the lazy dog."]),
        ("repeats", "the the the the the the the", ["the cat is on the mat"]),
        ("multi-ref-tie", "a b c d e", ["a b c d", "a b c d e f", "x"]),
        ("multi-ref-clip", "the the the cat", ["the cat", "the the dog"]),
        ("unicode-punct", "«Bonjour», dit-il… “Oui!”", ["«Bonjour», a-t-il dit… “Oui !”"]),
        ("cjk", "東京は日本の首都であり、人口は約千四百万人です。", ["東京は日本の首都です。人口は約千四百万人。"]),
        ("emoji", "I love it 😀🎉 👍🏽 🫠!", ["I love it 😀 🎉 👍🏽!"]),
        ("greek-lc", "ΟΔΟΣ ΣΟΦΙΑΣ ΕΙΝΑΙ", ["οδος σοφιας ειναι"]),
        ("turkish-lc", "İSTANBUL İZMİR", ["i̇stanbul i̇zmi̇r"]),
        ("numbers", "It cost $1,234.56 in 2019-2020, i.e. 62.0%.", ["It cost $1,234.56 in 2019-2020, i.e. 62%."]),
        ("entities", "&quot;A &amp; B&quot; &lt;tag&gt;", ["\"A & B\" <tag>"]),
        ("nbsp", "a\u00a0b\u3000c\u200bd", ["a b c d"]),
    ]
    combos = [(t, lc, sm, sv) for t in ("13a", "intl", "char", "none") for lc in (False, True)
              for sm, sv in (("exp", None), ("floor", None), ("floor", 0.05), ("add-k", None),
                             ("add-k", 0.5), ("none", None))]
    for name, hyp, refs in edge_pairs:
        for t, lc, sm, sv in combos:
            opts = {"tokenize": t, "lowercase": lc, "smooth_method": sm, "smooth_value": sv}
            sentence.append(sentence_case(f"gen-sent-{name}-{t}-{int(lc)}-{sm}-{sv}", hyp, refs, opts))
    for i in range(250):
        ref = rand_text(rng, rng.randint(1, 30), ALL_POOLS)
        nref = rng.choice([1, 1, 1, 2, 3])
        refs = [ref] + [perturb(rng, ref, 0.3) for _ in range(nref - 1)]
        hyp = perturb(rng, ref, rng.choice([0.0, 0.1, 0.3, 0.6, 1.0]))
        sentence.append(sentence_case(f"gen-sent-rand-{i:03d}", hyp, refs, options(rng)))
    # corpus: every option combination on one mixed corpus, then random ones and edge corpora
    base_refs = corpus_sentences(rng, 40)
    base_refs2 = [perturb(rng, r, 0.3) for r in base_refs]
    base_hyps = [perturb(rng, r, rng.choice([0.0, 0.2, 0.5])) for r in base_refs]
    for t, lc, sm, sv in combos:
        opts = {"tokenize": t, "lowercase": lc, "smooth_method": sm, "smooth_value": sv}
        corpus.append(corpus_case(f"gen-corpus-grid-{t}-{int(lc)}-{sm}-{sv}", base_hyps, [base_refs], opts))
        corpus.append(corpus_case(f"gen-corpus-grid2-{t}-{int(lc)}-{sm}-{sv}", base_hyps,
                                  [base_refs, base_refs2], opts))
    for i in range(60):
        n = rng.choice([1, 2, 5, 20, 100])
        refs1 = corpus_sentences(rng, n)
        nref = rng.choice([1, 1, 2, 3])
        refs = [refs1] + [[perturb(rng, r, 0.4) for r in refs1] for _ in range(nref - 1)]
        hyps = [perturb(rng, r, rng.choice([0.0, 0.2, 0.5, 0.9])) for r in refs1]
        corpus.append(corpus_case(f"gen-corpus-rand-{i:03d}", hyps, refs, options(rng)))
    edge_corpora = [
        ("all-empty-hyps", ["", "", ""], [["a b", "c d", "e"]]),
        ("all-empty-refs", ["a b", "c d", "e"], [["", "", ""]]),
        ("all-empty", ["", ""], [["", ""]]),
        ("zero-matches", ["x y z", "u v"], [["a b c", "d e"]]),
        ("short-sentences", ["a", "b c", "d"], [["a", "b c", "e"]]),
        ("var-refs", ["the cat sat", "a dog ran", "birds fly"],
         [["the cat sat down", "a dog ran", "birds fly high"], ["the cat", None, "birds can fly"]]),
        ("unicode-mix", ["«Oui» — 東京。😀", "ΟΔΟΣ 1,000.5 €"], [["«Oui» – 東京。 😀", "οδος 1,000.5€"]]),
    ]
    for name, hyps, refs in edge_corpora:
        for t, lc, sm, sv in combos[::3]:
            opts = {"tokenize": t, "lowercase": lc, "smooth_method": sm, "smooth_value": sv}
            corpus.append(corpus_case(f"gen-corpus-{name}-{t}-{int(lc)}-{sm}-{sv}", hyps, refs, opts))
    write("corpus.jsonl", corpus)
    write("sentence.jsonl", sentence)


def paired_vectors(rng):
    rows = []
    specs = [
        ("bs-default", "paired-bs", {"tokenize": "13a", "lowercase": False, "smooth_method": "exp", "smooth_value": None}, 150, 1, 1000, 12345, None),
        ("bs-seed", "paired-bs", {"tokenize": "intl", "lowercase": True, "smooth_method": "floor", "smooth_value": 0.1}, 120, 2, 500, 7, None),
        ("bs-addk", "paired-bs", {"tokenize": "none", "lowercase": False, "smooth_method": "add-k", "smooth_value": 0.3}, 80, 1, 300, 12345, None),
        ("bs-char", "paired-bs", {"tokenize": "char", "lowercase": False, "smooth_method": "none", "smooth_value": None}, 60, 3, 1000, 2024, None),
        ("bs-odd-n", "paired-bs", {"tokenize": "13a", "lowercase": False, "smooth_method": "exp", "smooth_value": None}, 37, 1, 257, 99, None),
        ("ar-default", "paired-ar", {"tokenize": "13a", "lowercase": False, "smooth_method": "exp", "smooth_value": None}, 150, 1, 10000, 12345, -1),
        ("ar-ci", "paired-ar", {"tokenize": "intl", "lowercase": True, "smooth_method": "exp", "smooth_value": None}, 90, 2, 2000, 12345, 1000),
        ("ar-addk", "paired-ar", {"tokenize": "13a", "lowercase": False, "smooth_method": "add-k", "smooth_value": 0.5}, 70, 1, 3000, 31, 200),
        ("ar-floor", "paired-ar", {"tokenize": "char", "lowercase": True, "smooth_method": "floor", "smooth_value": None}, 41, 1, 1001, 5, -1),
    ]
    for name, kind, opts, n, nref, n_samples, seed, n_conf in specs:
        refs1 = corpus_sentences(rng, n)
        refs = [refs1] + [[perturb(rng, r, 0.3) for r in refs1] for _ in range(nref - 1)]
        baseline = [perturb(rng, r, 0.5) for r in refs1]
        systems = {"better": [perturb(rng, r, 0.25) for r in refs1],
                   "similar": [perturb(rng, r, 0.5) for r in refs1],
                   "worse": [perturb(rng, r, 0.8) for r in refs1]}
        os.environ["SACREBLEU_SEED"] = str(seed)
        metric = bleu_for(opts, False)
        named = [("baseline", baseline)] + list(systems.items())
        test = PairedTest(named, {"BLEU": metric}, references=refs, test_type=kind[-2:],
                          n_samples=n_samples, n_ar_confidence=n_conf if n_conf is not None else -1)
        sigs, scores = test()
        results = scores["BLEU"]
        exp = {"baseline": {k: v for k, v in results[0].__dict__.items() if v is not None and k != "p_value"},
               "systems": {}, "signature": sigs["BLEU"].format()}
        for sys_name, res in zip(systems, results[1:]):
            exp["systems"][sys_name] = {k: v for k, v in res.__dict__.items() if v is not None}
        o = dict(opts, n_samples=n_samples, seed=seed)
        if n_conf is not None:
            o["n_ar_confidence"] = n_conf
        rows.append({"id": f"gen-paired-{name}", "kind": kind, "baseline": baseline, "systems": systems,
                     "refs": refs, "options": o, "expected": exp})
    os.environ["SACREBLEU_SEED"] = "12345"
    write("paired.jsonl", rows)


def numpy_vectors():
    rows = []
    for seed in [0, 1, 5, 12345, 2**31 - 1, 2**32 + 7, 2**63 - 1]:
        g = np.random.default_rng(seed)
        st = g.bit_generator.state["state"]
        rows.append({"seed": seed, "op": "state", "state": str(st["state"]), "inc": str(st["inc"]),
                     "raw": [str(x) for x in g.bit_generator.random_raw(5)]})
    for seed, n, size in [(12345, 7, 50), (12345, 1, 5), (3, 2, 100), (12345, 1000, 300),
                          (8, 2**31 - 1, 50), (9, 3 * 2**29 + 5, 200), (10, 100003, 100)]:
        g = np.random.default_rng(seed)
        rows.append({"seed": seed, "op": "choice", "n": n, "values": g.choice(n, size=size, replace=True).tolist()})
    for seed, size in [(12345, 100), (4, 31), (4, 33), (4, 64), (4, 65)]:
        g = np.random.default_rng(seed)
        rows.append({"seed": seed, "op": "bools", "values": g.integers(2, size=size, dtype=bool).astype(int).tolist()})
    # bools then choice from one generator: the 32-bit half left over must carry across calls
    for seed, nb, n in [(12345, 33, 10), (6, 32, 17), (6, 64, 17), (6, 1, 3)]:
        g = np.random.default_rng(seed)
        b = g.integers(2, size=(nb,), dtype=bool).astype(int).tolist()
        c = g.choice(n, size=(20,), replace=True).tolist()
        rows.append({"seed": seed, "op": "bools+choice", "n_bools": nb, "n": n, "bools": b, "values": c})
    write("numpy.jsonl", rows)


def main():
    os.makedirs(OUT, exist_ok=True)
    assert sacrebleu.__version__ == "2.6.0", sacrebleu.__version__
    rng = random.Random(20260101)
    tokenize_vectors(rng)
    bleu_vectors(rng)
    paired_vectors(rng)
    numpy_vectors()


if __name__ == "__main__":
    main()
