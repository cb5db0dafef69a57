#!/usr/bin/env bash
# Ingest pipeline benchmark: validate + dedup + split + write for 1M short records, 2 cores.
# Usage: benchmarks/ingest-service/run.sh [records=1000000] [rounds=3]
# Writes benchmarks/results/ingest-service.md (figures table) after the run.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
./mvnw -q -B -f ingest-service/pom.xml test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="ingest-service/target/test-classes:ingest-service/target/classes:$(cat ingest-service/target/bench.classpath)"
pin=()
if command -v taskset >/dev/null && [ "$(nproc)" -gt 2 ]; then pin=(taskset -c 0,1); fi
"${pin[@]}" java -XX:ActiveProcessorCount=2 -Xmx2g -cp "$cp" \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  dev.conveyor.ingest.bench.IngestBenchmark "${1:-1000000}" "${2:-3}" ingest-service/target/bench-ingest.md
