#!/usr/bin/env bash
# Model benchmarks, both sides in the same run:
#  1. training tokens/s of the default model: Conveyor (DJL) vs a PyTorch peer of the same
#     architecture, batch, sequence length and thread count, interleaved, REPS times each;
#  2. generation tokens/s with and without the KV cache, batch 1 and 8, 256 new tokens.
# Writes benchmarks/results/model.md. Needs root for apt when python3-torch is missing.
# Usage: benchmarks/model/run.sh [REPS] [STEPS]   (REPS=0: generation only)
# BENCH_NICE=-10 (as root) runs both sides at a higher priority on a shared, busy machine.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
REPS="${1:-3}"
STEPS="${2:-60}"
WORK="$(mktemp -d)"
OUT="$ROOT/benchmarks/results/model.md"
cd "$ROOT"

# Debian's torch links the reference BLAS unless OpenBLAS is installed (about 16x slower);
# install what is missing and remove what we installed when done.
INSTALLED=()
PKGS=(python3-torch libopenblas0-openmp)
[ "$REPS" -gt 0 ] || PKGS=()   # generation only: no PyTorch peer needed
for pkg in "${PKGS[@]}"; do
  if ! dpkg -s "$pkg" >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$pkg" >/dev/null
    INSTALLED+=("$pkg")
  fi
done
cleanup() {
  if [ "${#INSTALLED[@]}" -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -q "${INSTALLED[@]}" >/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Build only the model module and compile the harness against it, so the benchmark does not
# depend on the state of the other modules.
./mvnw -q -B -pl model package -DskipTests -Dspotless.skip=true
./mvnw -q -B -pl model dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="$ROOT/model/target/classes:$(cat "$WORK/cp.txt")"
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" -cp "$CP" benchmarks/src/main/java/dev/conveyor/benchmarks/model/*.java
NICE=(nice -n "${BENCH_NICE:-0}")
JAVA=("${NICE[@]}" java -Xmx2g -Dai.djl.offline=true -cp "$WORK/classes:$CP")
export DJL_CACHE_DIR="$ROOT/.cache/djl"

VOCAB=2048
: > "$WORK/results.txt"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
# REPS=0 skips the training comparison (generation only)
for i in $(seq 1 "$REPS"); do
  echo "training rep $i/$REPS: DJL" >&2
  "${JAVA[@]}" dev.conveyor.benchmarks.model.TrainingThroughput --steps "$STEPS" --vocab "$VOCAB" \
    2>/dev/null | grep '^RESULT' | tee -a "$WORK/results.txt" >&2
  V=$(grep '"impl":"djl"' "$WORK/results.txt" | tail -1 | sed -E 's/.*"vocab":([0-9]+).*/\1/')
  echo "training rep $i/$REPS: PyTorch" >&2
  "${NICE[@]}" /usr/bin/python3 benchmarks/model/torch_peer.py --steps "$STEPS" --vocab "$V" --threads 2 \
    | grep '^RESULT' | tee -a "$WORK/results.txt" >&2
done
echo "generation" >&2
"${JAVA[@]}" dev.conveyor.benchmarks.model.GenerationThroughput --tokens 256 --vocab "$VOCAB" \
  2>/dev/null | grep '^RESULT' | tee -a "$WORK/results.txt" >&2

LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
/usr/bin/python3 benchmarks/model/report.py "$WORK/results.txt" "$CPU" "$(nproc)" \
  "$(java -version 2>&1 | head -1)" "$LOAD_BEFORE" "$LOAD_AFTER" > "$OUT"
cat "$OUT"
