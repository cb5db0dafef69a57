#!/usr/bin/env bash
# Registry benchmark: registration + promotion throughput (10k synthetic versions) and p99 of
# GET champion under 100 concurrent clients, against the real local stack and the packaged service.
# Writes benchmarks/results/registry-service.md. Usage: benchmarks/registry-service/run.sh [args]
#   --versions 10000 --models 10 --clients 100 --seconds 30
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
./mvnw -q -B -pl benchmarks -am install -DskipTests -DskipFormat
./mvnw -q -B -f registry-service/pom.xml package -DskipTests -DskipFormat
exec java -Xmx2g -cp "benchmarks/target/classes:benchmarks/target/lib/*" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  dev.conveyor.benchmarks.registry.RegistryBenchmark \
  --jar registry-service/target/quarkus-app/quarkus-run.jar \
  --out benchmarks/results/registry-service.md "$@"
