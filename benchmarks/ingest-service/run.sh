#!/usr/bin/env bash
# Ingest benchmark: the whole durable ingest (validate + dedup + split + write, upload to S3,
# manifest, PostgreSQL commit) of 1M short records on 2 cores, the current code against the
# pre-#7 path (frozen in dev.conveyor.ingest.bench.baseline), alternating in one JVM on one input.
# Usage: benchmarks/ingest-service/run.sh [records=1000000] [rounds=3]
# Prints the table and writes it to ingest-service/target/bench-ingest.md; copy the figures into
# benchmarks/results/ingest-service.md with the load average and the date.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
uptime
./mvnw -q -B -f ingest-service/pom.xml test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cp="ingest-service/target/test-classes:ingest-service/target/classes:$(cat ingest-service/target/bench.classpath)"
pin=()
if command -v taskset >/dev/null && [ "$(nproc)" -gt 2 ]; then pin=(taskset -c 0,1); fi
"${pin[@]}" java -XX:ActiveProcessorCount=2 -Xmx2g -cp "$cp" \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  dev.conveyor.ingest.bench.IngestBenchmark "${1:-1000000}" "${2:-3}" ingest-service/target/bench-ingest.md
uptime
