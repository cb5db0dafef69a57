#!/usr/bin/env bash
# Serving benchmark, batching on and off in the same run: the packaged serving-service on the local
# stack (real Kafka, S3), the default model, a bounded load at concurrency 1, 8 and 32; then a
# promotion under load (swap time, failed requests). Writes benchmarks/results/serving-service.md.
# Usage: benchmarks/serving-service/run.sh [PER_CLIENT] [MAX_TOKENS] [TRAIN_STEPS]
# Needs the shared modules installed (./mvnw -B install -DskipTests from the root).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PER_CLIENT="${1:-8}"
MAX_TOKENS="${2:-64}"
STEPS="${3:-1}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"

# SKIP_BUILD=1 reuses an already packaged serving-service
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f serving-service/target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -q -B -f serving-service/pom.xml package -DskipTests -DskipFormat
fi
./mvnw -q -B -f benchmarks/pom.xml dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$WORK/cp-bench.txt" >/dev/null
CP="$(cat "$WORK/cp-bench.txt")"
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" -cp "$CP" benchmarks/src/main/java/dev/conveyor/benchmarks/serving/*.java
export DJL_CACHE_DIR="$ROOT/.cache/djl"
java -Xmx2g -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$WORK/classes:$CP" \
  dev.conveyor.benchmarks.serving.ServingBenchmark \
  --jar serving-service/target/quarkus-app/quarkus-run.jar \
  --out benchmarks/results/serving-service.md \
  --per-client "$PER_CLIENT" --max-tokens "$MAX_TOKENS" --steps "$STEPS"
