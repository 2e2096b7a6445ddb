#!/usr/bin/env bash
# DART vs single LoRA vs full fine-tuning vs 2-Agent on the bundled world: per seed one SFT warm
# start shared by every method, then GRPO with the same config, data order, sampling seeds and step
# count per method (a time budget scales the step count down uniformly); writes results.jsonl/csv,
# summary.md (EM per data_source, mean ± std over seeds), plots and every run's metrics.
# Offline, CPU only. Measured numbers and the exact command: docs/results.md ("## compare").
# Usage: scripts/compare.sh [OUT_DIR] [compare options, e.g. --seeds 1,2 --budget-minutes 40 or --smoke]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -B -q package -DskipTests
out="runs/compare"
if [ $# -gt 0 ] && [[ "$1" != --* ]]; then
  out="$1"
  shift
fi
rm -rf "$out"
mkdir -p "$(dirname "$out")"
scripts/dart4j compare --out "$out" "$@"
