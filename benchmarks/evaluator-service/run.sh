#!/usr/bin/env bash
# Evaluation-time benchmark of the evaluator: one promotion-gate evaluation on a 2k-example test
# split (candidate + champion generation, then corpus BLEU + 1000-resample paired bootstrap +
# sentence BLEU), timed with the evaluator's own ScoringService. The BLEU part must stay < 2%.
# Writes benchmarks/results/evaluator-service.md.
# Usage: benchmarks/evaluator-service/run.sh [REPS] [EXAMPLES] [STEPS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
REPS="${1:-3}"
EXAMPLES="${2:-2000}"
STEPS="${3:-120}"
WORK="$(mktemp -d)"
OUT="$ROOT/benchmarks/results/evaluator-service.md"
cd "$ROOT"
trap 'rm -rf "$WORK"' EXIT

# Build the evaluator (no tests) and compile the harness against its classes, so the benchmark
# times the code the service runs, not a copy of it.
./mvnw -q -B -f evaluator-service/pom.xml compile -DskipFormat
./mvnw -q -B -f evaluator-service/pom.xml dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="$ROOT/evaluator-service/target/classes:$(cat "$WORK/cp.txt")"
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" -cp "$CP" benchmarks/evaluator-service/EvaluationBenchmark.java
export DJL_CACHE_DIR="$ROOT/.cache/djl"
java -Xmx3g -Dai.djl.offline=true -cp "$WORK/classes:$CP" \
  dev.conveyor.benchmarks.evaluator.EvaluationBenchmark \
  --examples "$EXAMPLES" --steps "$STEPS" --reps "$REPS" 2> >(grep -v CudaUtils >&2) \
  | grep '^RESULT' | tee "$WORK/results.txt"

CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$WORK/results.txt" "$CPU" "$(nproc)" "$LOAD" "$(java -version 2>&1 | head -1)" \
  > "$OUT" <<'PY'
import json, sys, statistics
rows = [json.loads(l.split(' ', 1)[1]) for l in open(sys.argv[1]) if l.startswith('RESULT')]
cpu, cores, load, jv = sys.argv[2:6]
gen = [r['generationMs'] for r in rows]
bl = [r['bleuMs'] for r in rows]
share = [r['bleuShare'] for r in rows]
r0 = rows[0]
print('# evaluator-service: evaluation time of a promotion gate\n')
print('Produced by `benchmarks/evaluator-service/run.sh` (harness `benchmarks/evaluator-service/EvaluationBenchmark.java`).')
print('It times the evaluator\'s own `ScoringService` (the class the service runs for every gate):')
print('greedy batched generation of a candidate **and** a champion over the test split, then corpus BLEU,')
print('the paired bootstrap (1000 resamples, seed 12345) and sentence BLEU of every example for the report.\n')
print(f'- machine: {cpu}, {cores} cores, load average at the end {load}; {jv}')
print(f"- test split: {r0['examples']} examples (8 spaced digits -> each plus one, 15-character references)")
print(f"- models: `ModelConfig.defaults` ({r0['params']:,} parameters), batch {r0['batch']}, max {r0['maxTokens']} new tokens, greedy, KV cache")
print(f"- candidate BLEU {r0['candidateBleu']:.2f}, champion BLEU {r0['championBleu']:.2f}, p = {r0['pValue']:.4f}\n")
print('| rep | generation (2 models) ms | generated tokens | BLEU + bootstrap + sentence BLEU ms | BLEU share |')
print('|---|---|---|---|---|')
for r in rows:
    print(f"| {r['rep']} | {r['generationMs']:.0f} | {r['generatedTokens']} | {r['bleuMs']:.0f} | {100*r['bleuShare']:.2f}% |")
print(f"\n**Median: generation {statistics.median(gen):.0f} ms, BLEU {statistics.median(bl):.0f} ms, BLEU share {100*statistics.median(share):.2f}%** (requirement: < 2%).")
print('\nThe first repetition includes JIT warm-up of the BLEU code; a service that has evaluated once is warm.')
print('"Generated tokens" are the tokens of the returned texts (re-encoded, end-of-text excluded); a batch')
print('decodes until its last row stops, so the decode steps may be more. The machine is shared with other')
print('builds (see the load average), so absolute generation times are pessimistic; the BLEU part is')
print('single-threaded and small either way.')
PY
cat "$OUT"
