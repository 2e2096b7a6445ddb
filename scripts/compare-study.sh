#!/usr/bin/env bash
# A method comparison that can rank (issue 17, item 4): DART, LORA (rank = DART's total), FULL and
# TWO_AGENT on one world, several seeds (each seed its own warm start, shared by that seed's
# methods), a fixed GRPO step count (no time budget: the numbers do not depend on machine load), the
# full test split; every method runs in its own JVM so that its peak RSS is its own. Then
# `dart4j compare-report` pools the finished runs: EM per data_source with 95% paired-bootstrap CIs
# over questions pooled over seeds, the seed spread, DART vs each method (paired bootstrap and
# Wilcoxon), DART's isolated capabilities (θr alone, θa alone), time and peak memory, plots.
#
# Usage: scripts/compare-study.sh OUT_DIR [--world default|conflict] [--seeds 1,2,3]
#            [--methods DART,LORA,FULL,TWO_AGENT] [--grpo-steps 60] [--smoke]
# 60 GRPO steps by default: on both worlds the training reward of every method has flattened by
# then (the report's "Has the reward curve flattened?" table: its last 10% of steps are no better
# than the 10% before), and 200 steps would take about 2.5 hours per seed, beyond the two-hour
# size of one run. Wall time on 2 idle cores, measured 2026-12-07 (AMD EPYC, conflict world, 60
# steps): 47 minutes per seed (warm start 5.5 min, DART 9.0, LORA 8.9, FULL 8.3, TWO_AGENT 15.1,
# each with its evaluations on the 432 test questions), so run one seed per invocation: --seeds 1,
# then --seeds 2, then --seeds 3 into the same OUT_DIR. --smoke: small world and model, 2 steps,
# seed 1, DART and LORA: under a minute.
#
# Resumable: OUT_DIR holds study.args (the settings that define the study); a rerun with the same
# settings skips every finished part (a warm start with warm_starts.json, a run with summary.md) and
# retries an unfinished one in a new directory (RUN.retry-K: nothing is ever deleted); a rerun with
# other settings is refused, as is a non-empty OUT_DIR this script did not create. --seeds may
# differ between invocations (it selects which seeds to run now), the other settings may not. Each
# invocation ends with a fresh report, OUT_DIR/report-YYYYmmddTHHMMSS/study.md, over every finished run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/out-dir.sh
. "$root/scripts/lib/out-dir.sh"
# shellcheck source=lib/attempts.sh
. "$root/scripts/lib/attempts.sh"
if [ $# -eq 0 ] || [[ "$1" == -* ]]; then
  echo "usage: scripts/compare-study.sh OUT_DIR [--world W] [--seeds S,..] [--methods M,..]" \
    "[--grpo-steps N] [--smoke]" >&2
  exit 2
fi
out="$(dart4j_out_dir "$root/runs/compare-study" "$@")"
shift
world=default
seeds=1,2,3
methods=DART,LORA,FULL,TWO_AGENT
steps=60
steps_given=0
smoke=0
while [ $# -gt 0 ]; do
  case "$1" in
    --world) world="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    --methods) methods="$2"; shift 2 ;;
    --grpo-steps) steps="$2"; steps_given=1; shift 2 ;;
    --smoke) smoke=1; shift ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ "$smoke" = 1 ]; then
  # the smoke preset's 2 steps unless --grpo-steps was given
  [ "$steps_given" = 1 ] || steps=2
fi
case "$world" in default | conflict) ;; *) echo "error: --world must be default or conflict" >&2; exit 2 ;; esac
[[ "$steps" =~ ^[1-9][0-9]*$ ]] || { echo "error: --grpo-steps must be a positive integer" >&2; exit 2; }
[[ "$seeds" =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "error: --seeds must be a comma-separated list of integers" >&2; exit 2; }

# the settings that define the study (--seeds only selects which of its seeds run now)
args="world=$world methods=$methods grpo-steps=$steps smoke=$smoke"
marker="$out/study.args"
if [ -f "$marker" ]; then
  if [ "$(cat "$marker")" != "$args" ]; then
    echo "error: $out is a study with other settings:" >&2
    echo "  recorded: $(cat "$marker")" >&2
    echo "  now:      $args" >&2
    echo "  use another OUT_DIR for other settings" >&2
    exit 1
  fi
else
  dart4j_require_new_dir "$out"
  mkdir -p "$out"
  printf '%s\n' "$args" > "$marker.partial"
  mv "$marker.partial" "$marker"
fi
dart4j_build "$root"

smoke_flag=()
eval_flag=(--eval-limit 0) # the full test split
if [ "$smoke" = 1 ]; then
  smoke_flag=(--smoke)
  eval_flag=() # the smoke preset's few questions
fi

IFS=, read -r -a seed_list <<< "$seeds"
IFS=, read -r -a method_list <<< "$methods"
for seed in "${seed_list[@]}"; do
  if warm="$(finished "$out/seed-$seed/warm" warm_starts.json)"; then
    echo "seed $seed: warm start done ($warm)"
  else
    warm="$(next_attempt "$out/seed-$seed/warm")"
    mkdir -p "$out/seed-$seed"
    echo "seed $seed: warm start -> $warm"
    "$root/scripts/dart4j" compare --out "$warm" --warm-start-only --seeds "$seed" \
      --world "$world" "${smoke_flag[@]}"
  fi
  for m in "${method_list[@]}"; do
    if done_dir="$(finished "$out/seed-$seed/$m" summary.md)"; then
      echo "seed $seed: $m done ($done_dir)"
      continue
    fi
    run="$(next_attempt "$out/seed-$seed/$m")"
    echo "seed $seed: $m -> $run"
    "$root/scripts/dart4j" compare --out "$run" --seeds "$seed" --methods "$m" \
      --world "$world" --warm-start "$warm/seed-$seed" --grpo-steps "$steps" \
      --budget-minutes 0 "${eval_flag[@]}" "${smoke_flag[@]}"
  done
done
"$root/scripts/dart4j" compare-report --in "$out" --out "$out/report-$(date -u +%Y%m%dT%H%M%S)"
