#!/usr/bin/env bash
# DART vs single LoRA vs full fine-tuning vs 2-Agent on the bundled world: per seed one SFT warm
# start shared by every method, then GRPO with the same config, data order, sampling seeds and step
# count per method (a time budget scales the step count down uniformly); writes results.jsonl/csv,
# summary.md (EM per data_source, mean ± std over seeds), plots and every run's metrics.
# Offline, CPU only. Measured numbers and the exact command: docs/results.md ("## compare").
# Usage: scripts/compare.sh [OUT_DIR] [compare options, e.g. --seeds 1,2 --budget-minutes 40 or --smoke]
# OUT_DIR (default runs/compare in the checkout; a relative one is relative to the current
# directory) must be absent or empty: the script refuses anything else and never deletes it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/out-dir.sh
. "$root/scripts/lib/out-dir.sh"
out="$(dart4j_out_dir "$root/runs/compare" "$@")"
if dart4j_takes_out_arg "$@"; then
  shift
fi
dart4j_require_new_dir "$out"
dart4j_build "$root"
"$root/scripts/dart4j" compare --out "$out" "$@"
