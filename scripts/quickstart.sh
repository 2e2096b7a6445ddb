#!/usr/bin/env bash
# The main job on the bundled synthetic tool-QA world: generate the world, index it with BM25,
# create a tiny Qwen2-architecture model, warm-start it by SFT on scripted demonstrations, evaluate
# greedy EM on the held-out test split, train DART with GRPO (EM reward), evaluate again, and write
# adapters, metrics, plots and summary.md. Offline, CPU only; sized for 2 cores (docs/results.md).
# Usage: scripts/quickstart.sh [OUT_DIR] [quickstart options, e.g. --budget-minutes 30 or --smoke]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -B -q package -DskipTests
out="runs/quickstart"
if [ $# -gt 0 ] && [[ "$1" != --* ]]; then
  out="$1"
  shift
fi
rm -rf "$out"
mkdir -p "$(dirname "$out")"
scripts/dart4j quickstart --out "$out" "$@"
