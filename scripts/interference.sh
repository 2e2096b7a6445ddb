#!/usr/bin/env bash
# LEAS/CEA interference on the bundled synthetic tool-QA world: SFT warm start (Base), GRPO variants
# Reas (loss on reasoning tokens), Tool (tool tokens) and Unified (all tokens) from Base, the
# six-variant attribution (fraction of lambda23 < 0 with a bootstrap CI, histograms) and the
# gradient-angle probe; writes summary.md, plots and full reports (docs/leas.md).
# Usage: scripts/interference.sh [OUT_DIR] [interference options, e.g. --budget-minutes 40 or --smoke]
# On a shared machine, one libtorch thread is faster than two fighting for the cores:
#   OMP_NUM_THREADS=1 JAVA_OPTS="-Xmx6g -Dai.djl.pytorch.num_threads=1" scripts/interference.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -B -q package -DskipTests
out="runs/interference"
if [ $# -gt 0 ] && [[ "$1" != --* ]]; then
  out="$1"
  shift
fi
rm -rf "$out"
mkdir -p "$(dirname "$out")"
scripts/dart4j interference --out "$out" "$@"
