#!/usr/bin/env bash
# Soak test: 1000 GRPO steps (DART, searches, a checkpoint every 50 steps) on a tiny model,
# sampling RSS and native memory every 50 steps; writes soak.csv, soak.png and soak.md to OUT_DIR
# and prints PASS if both grew by less than 5% from step 200 to the end (docs/reliability.md).
# The heap is fixed and pre-touched, so RSS changes are memory outside the Java heap.
# Usage: scripts/soak.sh [OUT_DIR] [options, e.g. --steps 1000 --every 50 --warmup 200 --hidden 32]
# OUT_DIR (default runs/soak in the checkout; a relative one is relative to the current
# directory) must be absent or empty: the script refuses anything else and never deletes it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/out-dir.sh
. "$root/scripts/lib/out-dir.sh"
out="$(dart4j_out_dir "$root/runs/soak" "$@")"
if dart4j_takes_out_arg "$@"; then
  shift
fi
dart4j_require_new_dir "$out"
dart4j_build "$root"
export OMP_NUM_THREADS=1
DART4J_MAIN=io.github.dartrl.examples.bench.SoakBenchmark \
  JAVA_OPTS="-Xms256m -Xmx256m -XX:+AlwaysPreTouch -XX:MaxDirectMemorySize=1g \
-Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1" \
  "$root/scripts/dart4j" --out "$out" "$@"
