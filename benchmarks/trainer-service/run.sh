#!/usr/bin/env bash
# trainer-service throughput vs the model module's trainer, same run, interleaved.
# Packages the service, compiles the harness against its test classpath (model, storage,
# local-stack, Kafka clients), starts a local stack and the packaged service, and writes
# benchmarks/results/trainer-service.md.
# Usage: benchmarks/trainer-service/run.sh [REPS] [STEPS] [CHECKPOINT_INTERVAL] [extra harness flags]
#   e.g. ... 2 60 30 --layers 2 --width 64 --batch 16 --seq 64 --vocab 1024 (a busy 2-core box)
# Defaults are the model benchmark's shape: --layers 4 --width 128 --batch 32 --seq 128 --vocab 2048.
# --jfr DIR records both JVMs with JFR (DIR/service.jfr, DIR/direct.jfr, DIR/service.log) and
# prints where each training thread spent its time (jfr_summary.py).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
REPS="${1:-2}"
STEPS="${2:-200}"
CKPT="${3:-100}"
shift $(( $# < 3 ? $# : 3 ))
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"

if [ -z "${SKIP_PACKAGE:-}" ]; then
  ./mvnw -q -B -f trainer-service/pom.xml package -DskipTests -DskipFormat
fi
./mvnw -q -B -f trainer-service/pom.xml dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="$(cat "$WORK/cp.txt")"
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" -cp "$CP" benchmarks/trainer-service/TrainerOverhead.java
export DJL_CACHE_DIR="$ROOT/.cache/djl"
java -Xmx2g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Djava.util.logging.config.file=/dev/null \
  -cp "$WORK/classes:$CP" dev.conveyor.benchmarks.trainer.TrainerOverhead \
  --reps "$REPS" --steps "$STEPS" --checkpoint-interval "$CKPT" \
  --jar trainer-service/target/quarkus-app/quarkus-run.jar \
  --out benchmarks/results/trainer-service.md "$@"

JFR_DIR=""
prev=""
for arg in "$@"; do
  if [ "$prev" = "--jfr" ]; then JFR_DIR="$arg"; fi
  prev="$arg"
done
if [ -n "$JFR_DIR" ]; then
  python3 benchmarks/trainer-service/jfr_summary.py "$JFR_DIR/service.jfr" trainer-job
  python3 benchmarks/trainer-service/jfr_summary.py "$JFR_DIR/direct.jfr" main
fi
