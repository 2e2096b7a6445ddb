#!/usr/bin/env bash
# The main job on the bundled synthetic tool-QA world: generate the world, index it with BM25,
# create a tiny Qwen2-architecture model, warm-start it by SFT on scripted demonstrations, evaluate
# greedy EM on the held-out test split, train DART with GRPO (EM reward), evaluate again, and write
# adapters, metrics, plots and summary.md. Offline, CPU only; sized for 2 cores (docs/results.md).
# Usage: scripts/quickstart.sh [OUT_DIR] [quickstart options, e.g. --budget-minutes 30 or --smoke]
# OUT_DIR (default runs/quickstart in the checkout; a relative one is relative to the current
# directory) must be absent or empty: the script refuses anything else and never deletes it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/out-dir.sh
. "$root/scripts/lib/out-dir.sh"
out="$(dart4j_out_dir "$root/runs/quickstart" "$@")"
if dart4j_takes_out_arg "$@"; then
  shift
fi
dart4j_require_new_dir "$out"
dart4j_build "$root"
"$root/scripts/dart4j" quickstart --out "$out" "$@"
