#!/usr/bin/env bash
# JMH micro-benchmarks of single ops and blocks (dart-examples test scope, package
# io.github.dartrl.examples.jmh; surefire never runs them):
#   ProjectionShapeBenchmark  one projection at decode (1-16 rows) and training (2048) row counts
#   DecodeStepBenchmark       batched decode steps, NONE / LoRA / DART, batch 1, 4, 16
# Usage: scripts/jmh.sh [JMH options], e.g. scripts/jmh.sh ProjectionShape -p rows=1,16
#        scripts/jmh.sh -l (list), scripts/jmh.sh -h (JMH's help). Run it on an idle machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -B -q test-compile dependency:build-classpath -pl dart-examples -am \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
export DJL_OFFLINE=true OPT_OUT_TRACKING=true RUST_FLAVOR=cpu
ex=dart-examples/target
exec java -cp "$ex/test-classes:$ex/classes:$(cat "$ex/test.classpath")" org.openjdk.jmh.Main "$@"
