#!/usr/bin/env python3
"""Turns the RESULT lines of run.sh into benchmarks/results/model.md."""
import datetime
import json
import statistics
import sys

path, cpu, cores, java = sys.argv[1:5]
load_before, load_after = (sys.argv[5:7] + ["?", "?"])[:2]
rows = [json.loads(l.split(" ", 1)[1]) for l in open(path) if l.startswith("RESULT ")]
djl = [r for r in rows if r["impl"] == "djl"]
torch = [r for r in rows if r["impl"] == "torch"]
gen = {(r["batch"], r["kv_cache"]): r for r in rows if r["impl"] == "djl-generate"}

def reps(rs):
    return ", ".join(format(r["tokens_per_s"], ",.0f") for r in rs)


now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

print("# Model benchmarks\n")
torch_info = (f"Debian python3-torch {torch[0]['torch']} with OpenBLAS (openmp), "
              f"{torch[0]['threads']} threads; ") if torch else ""
print(f"Machine: {cpu}, {cores} cores; {java}; {torch_info}DJL 0.36.0 / libtorch 2.7.1 "
      f"(default 2 intra-op threads). Date: {now}. Load average (1/5/15 min) before the run "
      f"{load_before}, after it {load_after}. Produced by `benchmarks/model/run.sh`.\n")
if djl and torch:
    print_training = True
else:
    print_training = False
    print("(Training comparison not run this time: `run.sh 0`.)\n")
d_med = statistics.median(r["tokens_per_s"] for r in djl) if djl else 0
t_med = statistics.median(r["tokens_per_s"] for r in torch) if torch else 1
first = djl[0] if djl else None
if print_training:
    print(f"## Training throughput (default model, same run, interleaved, {len(djl)} reps each)\n")
if print_training:
    print(f"Model: {first['layers']} layers, width {first['width']}, {first['heads']} heads, "
          f"vocab {first['vocab']}, {first['params']:,} parameters; batch {first['batch']} x "
          f"seq {first['seq']}; AdamW + clipping + warm-up/cosine; {first['timed_steps']} timed "
          f"steps after 5 warm-up steps.\n")
    print("| implementation | tokens/s per rep | median tokens/s | ratio vs PyTorch |")
    print("|---|---|---|---|")
    print(f"| Conveyor `GptTrainer` (DJL) | {reps(djl)} "
          f"| {d_med:,.0f} | **{d_med / t_med:.2f}x** |")
    print(f"| PyTorch peer (`torch_peer.py`) | {reps(torch)} "
          f"| {t_med:,.0f} | 1.00x |")
    print("\nTarget: >= 1.0x.\n")
print("## Generation throughput (default architecture, context 512, 256 new tokens per prompt)\n")
print("| batch | KV cache tokens/s (best; runs) | re-encoding tokens/s (best; runs) | speed-up |")
print("|---|---|---|---|")
for b in (1, 8):
    c, n = gen[(b, True)], gen[(b, False)]
    print(f"| {b} | {c['tokens_per_s']:,.0f} ({c.get('runs', '')}) "
          f"| {n['tokens_per_s']:,.0f} ({n.get('runs', '')}) | "
          f"**{c['tokens_per_s'] / n['tokens_per_s']:.1f}x** |")
print("\nTarget: KV cache >= 5x faster than re-encoding at 256 generated tokens. Batch 8 uses "
      "prompts of 8 different lengths (left-padded). Greedy decoding, end-of-text ignored so "
      "every run generates exactly 256 tokens per prompt; best of the timed runs after a warm-up "
      "run, the modes alternating. Both modes run the same model code with the same rule for "
      "intra-op threads (a forward feeding fewer than 32 token rows runs on one thread): cached "
      "decode steps of batch 1 and 8 use one thread, re-encoding steps (a whole prefix per token) "
      "mostly two.")
