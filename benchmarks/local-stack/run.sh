#!/usr/bin/env bash
# The local stack as a user meets it: `conveyor up --stack-only` (a real child process) to ready,
# the RSS of everything it runs, and publish->consume latency of 10k events, Conveyor's
# CloudEvents path vs raw kafka-clients in the same run. Writes benchmarks/results/local-stack.md.
# Usage: benchmarks/local-stack/run.sh     (builds cli and benchmarks first unless SKIP_BUILD=1)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -q -B install -Dmaven.test.skip=true -DskipFormat -pl cli,benchmarks -am
fi
CPFILE="$(mktemp)"
trap 'rm -f "$CPFILE"' EXIT
./mvnw -q -B -f benchmarks/pom.xml dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$CPFILE" >/dev/null
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "benchmarks/target/classes:$(cat "$CPFILE")" \
  dev.conveyor.benchmarks.stack.StackBenchmark "$ROOT"
