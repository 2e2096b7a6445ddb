#!/usr/bin/env bash
# Soak test: 1000 GRPO steps (DART, searches, a checkpoint every 50 steps) on a tiny model,
# sampling RSS and native memory every 50 steps; writes soak.csv, soak.png and soak.md to OUT_DIR
# and prints PASS if both grew by less than 5% from step 200 to the end (docs/reliability.md).
# The heap is fixed and pre-touched, so RSS changes are memory outside the Java heap.
# Usage: scripts/soak.sh [OUT_DIR] [options, e.g. --steps 1000 --every 50 --warmup 200 --hidden 32]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -B -q package -DskipTests
out="runs/soak"
if [ $# -gt 0 ] && [[ "$1" != --* ]]; then
  out="$1"
  shift
fi
rm -rf "$out"
mkdir -p "$(dirname "$out")"
export OMP_NUM_THREADS=1
DART4J_MAIN=io.github.dartrl.examples.bench.SoakBenchmark \
  JAVA_OPTS="-Xms256m -Xmx256m -XX:+AlwaysPreTouch -XX:MaxDirectMemorySize=1g \
-Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1" \
  scripts/dart4j --out "$out" "$@"
