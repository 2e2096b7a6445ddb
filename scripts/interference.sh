#!/usr/bin/env bash
# LEAS/CEA interference on the bundled synthetic tool-QA world: SFT warm start (Base), GRPO variants
# Reas (loss on reasoning tokens), Tool (tool tokens) and Unified (all tokens) from Base, the
# six-variant attribution (fraction of lambda23 < 0 with a bootstrap CI, histograms) and the
# gradient-angle probe; writes summary.md, plots and full reports (docs/leas.md).
# Usage: scripts/interference.sh [OUT_DIR] [interference options, e.g. --budget-minutes 40 or --smoke]
# On a shared machine, one libtorch thread is faster than two fighting for the cores:
#   OMP_NUM_THREADS=1 JAVA_OPTS="-Xmx6g -Dai.djl.pytorch.num_threads=1" scripts/interference.sh
# OUT_DIR (default runs/interference in the checkout; a relative one is relative to the current
# directory) must be absent or empty: the script refuses anything else and never deletes it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/out-dir.sh
. "$root/scripts/lib/out-dir.sh"
out="$(dart4j_out_dir "$root/runs/interference" "$@")"
if dart4j_takes_out_arg "$@"; then
  shift
fi
dart4j_require_new_dir "$out"
dart4j_build "$root"
"$root/scripts/dart4j" interference --out "$out" "$@"
