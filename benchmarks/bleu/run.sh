#!/usr/bin/env bash
# BLEU benchmark, both sides in the same run on the same deterministic data:
#  1. corpus BLEU on 100k sentence pairs;
#  2. a 1000-resample paired bootstrap test on 2k sentences;
# Conveyor's bleu module (Java) against sacreBLEU 2.6.0 (../shared/peers/sacrebleu), checking the
# numbers are identical. Writes benchmarks/results/bleu.md. Needs root for apt when sacreBLEU's
# Debian dependencies are missing.
# Each round times one Java run then one sacreBLEU run, so both see the same load.
# Usage: benchmarks/bleu/run.sh [ROUNDS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ROUNDS="${1:-5}"
WORK="$(mktemp -d)"
SACREBLEU="${SACREBLEU_PATH:-$ROOT/../shared/peers/sacrebleu}"
OUT="$ROOT/benchmarks/results/bleu.md"
cd "$ROOT"
trap 'rm -rf "$WORK"' EXIT

if ! /usr/bin/python3 -c 'import regex, numpy, tabulate, portalocker, colorama, lxml' 2>/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-regex python3-numpy python3-tabulate \
    python3-portalocker python3-colorama python3-lxml >/dev/null
fi

# Build only the bleu module and compile the harness against it, so the benchmark does not depend
# on the state of the other modules.
./mvnw -q -B -pl bleu package -Dmaven.test.skip=true -Dspotless.skip=true
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" -cp "$ROOT/bleu/target/classes" \
  benchmarks/src/main/java/dev/conveyor/benchmarks/bleu/*.java
mkdir -p "$(dirname "$OUT")"
java -Xmx3g -cp "$WORK/classes:$ROOT/bleu/target/classes" dev.conveyor.benchmarks.bleu.BleuBenchmark \
  --work "$WORK/data" --sacrebleu "$SACREBLEU" --peer "$ROOT/benchmarks/bleu/sacrebleu_peer.py" \
  --rounds "$ROUNDS" --out "$OUT"
echo "wrote $OUT" >&2
