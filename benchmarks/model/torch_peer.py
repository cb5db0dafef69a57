#!/usr/bin/env python3
"""PyTorch peer of Conveyor's default GPT model, for the training-throughput comparison.

Same architecture as dev.conveyor.model.nn.GptModel (token + learned position embeddings,
pre-LN blocks with a fused qkv Linear, additive -1e9 causal mask, GELU MLP of 4*width,
final LayerNorm, LM head tied to the token embedding), same init (normal 0.02), same
optimizer (AdamW betas 0.9/0.95, eps 1e-8, weight decay 0.1 on matrices only), gradient
clipping at 1.0, warm-up + cosine schedule, same batch, sequence length and thread count.
Timing covers batch building, forward, backward, clipping and the optimizer step of steps
warmup+1..steps, like the Java harness. Prints one RESULT line (JSON).

Run with Debian's interpreter: /usr/bin/python3 torch_peer.py --vocab 2048
(needs python3-torch and libopenblas0-openmp, see run.sh).
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, 4 * d)
        self.fc2 = nn.Linear(4 * d, d)

    def forward(self, x, mask):
        b, t, d = x.shape
        dh = d // self.h
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q = q.reshape(b, t, self.h, dh).transpose(1, 2)
        k = k.reshape(b, t, self.h, dh).transpose(1, 2)
        v = v.reshape(b, t, self.h, dh).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(dh))
        att = (att + mask).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        return x + self.fc2(F.gelu(self.fc1(self.ln2(x))))


class Gpt(nn.Module):
    def __init__(self, vocab, ctx, layers, heads, width):
        super().__init__()
        self.tok = nn.Embedding(vocab, width)
        self.pos = nn.Embedding(ctx, width)
        self.blocks = nn.ModuleList([Block(width, heads) for _ in range(layers)])
        self.lnf = nn.LayerNorm(width)
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, std=0.02)
            if isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    def forward(self, ids):
        t = ids.shape[1]
        x = self.tok(ids) + self.pos(torch.arange(t))
        blocked = torch.arange(t).view(1, t) > torch.arange(t).view(t, 1)
        mask = (blocked.float() * -1e9).view(1, 1, t, t)
        for blk in self.blocks:
            x = blk(x, mask)
        return F.linear(self.lnf(x), self.tok.weight)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vocab", type=int, default=2048)
    ap.add_argument("--ctx", type=int, default=256)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--width", type=int, default=128)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()

    torch.set_num_threads(a.threads)  # Debian's torch defaults to 1 thread here
    torch.manual_seed(42)
    model = Gpt(a.vocab, a.ctx, a.layers, a.heads, a.width)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    other = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.1}, {"params": other, "weight_decay": 0.0}],
        lr=1e-3, betas=(0.9, 0.95), eps=1e-8)
    warm, total, lr, floor = 10, a.steps, 1e-3, 1e-4

    def lr_at(step):
        if step < warm:
            return lr * (step + 1) / warm
        p = min(1.0, (step - warm) / max(1, total - warm))
        return floor + 0.5 * (lr - floor) * (1 + math.cos(math.pi * p))

    data = torch.randint(0, a.vocab, (4096, a.seq + 1))
    start = None
    loss_value = float("nan")
    for step in range(a.steps):
        if step == a.warmup:
            start = time.perf_counter()
        rows = data[torch.randint(0, data.shape[0], (a.batch,))]
        x, y = rows[:, :-1].contiguous(), rows[:, 1:].contiguous()
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, a.vocab), y.reshape(-1))
        opt.zero_grad(set_to_none=False)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        loss_value = loss.item()
    secs = time.perf_counter() - start
    params = sum(p.numel() for p in model.parameters())
    print("RESULT " + json.dumps({
        "impl": "torch", "torch": torch.__version__, "threads": torch.get_num_threads(),
        "params": params, "vocab": a.vocab, "layers": a.layers, "width": a.width,
        "heads": a.heads, "batch": a.batch, "seq": a.seq, "timed_steps": a.steps - a.warmup,
        "seconds": round(secs, 3),
        "tokens_per_s": round(a.batch * a.seq * (a.steps - a.warmup) / secs, 1),
        "final_loss": round(loss_value, 4)}))


if __name__ == "__main__":
    main()
