#!/usr/bin/env bash
# The whole system as conveyor up runs it: time to first answer, RSS of everything, and the
# pipeline's own overhead per day. Writes benchmarks/results/system.md.
# Usage: benchmarks/system/run.sh [DAYS]     (builds the services first unless SKIP_BUILD=1)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DAYS="${1:-3}"
cd "$ROOT"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -q -B install -Dmaven.test.skip=true -DskipFormat \
    -pl cli,benchmarks,ingest-service,registry-service,trainer-service,evaluator-service,serving-service -am
fi
CPFILE="$(mktemp)"
trap 'rm -f "$CPFILE"' EXIT
./mvnw -q -B -f benchmarks/pom.xml dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$CPFILE" >/dev/null
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "benchmarks/target/classes:$(cat "$CPFILE")" \
  dev.conveyor.benchmarks.system.SystemBenchmark --home "$ROOT" --days "$DAYS" \
  --out benchmarks/results/system.md
