#!/usr/bin/env bash
# LEAS with controls (issue 17, item 3): `dart4j interference` on the default world (the negative
# control) and on the conflict world (the positive control, docs/world.md), same preset, seed and
# step counts (no time budget: the numbers do not depend on machine load). Each world's summary.md
# reports the fraction of lambda23 < 0 with its bootstrap CI against the identical-models null
# (resampled at the kept questions' pooled rates, same N and smoothing), and the batch-level angle
# distributions (inter-role vs same-role) with the paired test; controls-*.md puts both side by side:
# first the compact tables of `dart4j leas controls` (with their stated readings), then each summary.
#
# Usage: scripts/leas-controls.sh OUT_DIR [--worlds default,conflict] [--seed 1]
#          [--base small|quickstart] [--sft-epochs E] [--grpo-steps N] [--samples N]
#          [--lora-rank R] [--lora-targets q_proj,...] [--reuse-warm-starts DIR] [--smoke]
# --base/--sft-epochs choose the warm start, --grpo-steps the GRPO steps of each variant, --samples
# the CEA samples per question and variant, --lora-rank/--lora-targets the capacity of the variants'
# adapter (interference's options; default: its preset, 10 steps, N = 10, rank 16 on all seven
# projections; `dart4j leas power` says what N buys). The
# conflict world needs a stronger Base than the preset's: docs/leas.md (positive control) used
# --base quickstart --sft-epochs 8.
# Wall time on 2 idle cores, measured 2026-12-07 with --base quickstart --sft-epochs 8: about 19
# minutes per world (SFT 11 min, 3 GRPO variants x 10 steps ~4 min, CEA on 120 questions x 10
# samples x 6 variants ~3 min, probe of 192 queries x G=8 on two targets ~1.5 min); about 8 minutes
# per world with --reuse-warm-starts. --smoke: small world and model, a minute or two per world.
# --reuse-warm-starts DIR: each world copies its Base (world, index, SFT model) from DIR/WORLD, an
# earlier controls directory with the same Base settings, instead of training it again.
#
# Resumable like compare-study.sh: OUT_DIR/leas-controls.args records the settings; a rerun with the
# same settings skips a world whose summary.md exists and retries an unfinished one in a new
# directory (WORLD.retry-K); other settings, or a non-empty OUT_DIR the script did not create, are
# refused. Nothing is ever deleted.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/out-dir.sh
. "$root/scripts/lib/out-dir.sh"
# shellcheck source=lib/attempts.sh
. "$root/scripts/lib/attempts.sh"
if [ $# -eq 0 ] || [[ "$1" == -* ]]; then
  echo "usage: scripts/leas-controls.sh OUT_DIR [--worlds default,conflict] [--seed S]" \
    "[--base small|quickstart] [--sft-epochs E] [--grpo-steps N] [--samples N]" \
    "[--lora-rank R] [--lora-targets q_proj,...] [--reuse-warm-starts DIR] [--smoke]" >&2
  exit 2
fi
out="$(dart4j_out_dir "$root/runs/leas-controls" "$@")"
shift
worlds=default,conflict
seed=1
smoke=0
base=
sft_epochs=
grpo_steps=
samples=
lora_rank=
lora_targets=
reuse=
while [ $# -gt 0 ]; do
  case "$1" in
    --worlds) worlds="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --base) base="$2"; shift 2 ;;
    --sft-epochs) sft_epochs="$2"; shift 2 ;;
    --grpo-steps) grpo_steps="$2"; shift 2 ;;
    --samples) samples="$2"; shift 2 ;;
    --lora-rank) lora_rank="$2"; shift 2 ;;
    --lora-targets) lora_targets="$2"; shift 2 ;;
    --reuse-warm-starts) reuse="$(cd "$2" && pwd)"; shift 2 ;;
    --smoke) smoke=1; shift ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ "$seed" =~ ^[0-9]+$ ]] || { echo "error: --seed must be an integer" >&2; exit 2; }
case "$base" in '' | small | quickstart) ;; *) echo "error: --base must be small or quickstart" >&2; exit 2 ;; esac
[[ -z "$sft_epochs" || "$sft_epochs" =~ ^[1-9][0-9]*$ ]] ||
  { echo "error: --sft-epochs must be a positive integer" >&2; exit 2; }
[[ -z "$grpo_steps" || "$grpo_steps" =~ ^[1-9][0-9]*$ ]] ||
  { echo "error: --grpo-steps must be a positive integer" >&2; exit 2; }
[[ -z "$samples" || "$samples" =~ ^[1-9][0-9]*$ ]] ||
  { echo "error: --samples must be a positive integer" >&2; exit 2; }
[[ -z "$lora_rank" || "$lora_rank" =~ ^[1-9][0-9]*$ ]] ||
  { echo "error: --lora-rank must be a positive integer" >&2; exit 2; }
[[ -z "$lora_targets" || "$lora_targets" =~ ^[a-z_]+(,[a-z_]+)*$ ]] ||
  { echo "error: --lora-targets must be a comma-separated list of projections" >&2; exit 2; }
args="seed=$seed smoke=$smoke"
# recorded only when given, so directories of earlier runs keep matching
[ -z "$base" ] || args="$args base=$base"
[ -z "$sft_epochs" ] || args="$args sft_epochs=$sft_epochs"
[ -z "$grpo_steps" ] || args="$args grpo_steps=$grpo_steps"
[ -z "$samples" ] || args="$args samples=$samples"
[ -z "$lora_rank" ] || args="$args lora_rank=$lora_rank"
[ -z "$lora_targets" ] || args="$args lora_targets=$lora_targets"
[ -z "$reuse" ] || args="$args reuse=$reuse"
marker="$out/leas-controls.args"
if [ -f "$marker" ]; then
  if [ "$(cat "$marker")" != "$args" ]; then
    echo "error: $out holds controls with other settings:" >&2
    echo "  recorded: $(cat "$marker")" >&2
    echo "  now:      $args" >&2
    exit 1
  fi
else
  dart4j_require_new_dir "$out"
  mkdir -p "$out"
  printf '%s\n' "$args" > "$marker.partial"
  mv "$marker.partial" "$marker"
fi
dart4j_build "$root"

if [ "$smoke" = 1 ]; then
  settings=(--smoke)
else
  # the batch-level probe needs many mixed-reward groups: 192 queries x G = 8 on Base (all
  # weights) and on Unified (its LoRA); step-budgeted, so load changes only the wall time
  settings=(--probe-on base-full,unified-lora --probe-queries 192 --group-size 8 --budget-minutes 0)
fi
[ -z "$base" ] || settings+=(--base "$base")
[ -z "$sft_epochs" ] || settings+=(--sft-epochs "$sft_epochs")
[ -z "$grpo_steps" ] || settings+=(--grpo-steps "$grpo_steps")
[ -z "$samples" ] || settings+=(--samples "$samples")
[ -z "$lora_rank" ] || settings+=(--lora-rank "$lora_rank")
[ -z "$lora_targets" ] || settings+=(--lora-targets "$lora_targets")

IFS=, read -r -a world_list <<< "$worlds"
done_dirs=()
for w in "${world_list[@]}"; do
  case "$w" in default | conflict) ;; *) echo "error: unknown world $w" >&2; exit 2 ;; esac
  if d="$(finished "$out/$w" summary.md)"; then
    echo "$w: done ($d)"
  else
    d="$(next_attempt "$out/$w")"
    echo "$w: interference -> $d"
    reuse_args=()
    if [ -n "$reuse" ]; then
      [ -d "$reuse/$w/model-sft" ] ||
        { echo "error: --reuse-warm-starts: $reuse/$w/model-sft is not a warm start" >&2; exit 2; }
      reuse_args=(--reuse-warm-start "$reuse/$w")
    fi
    "$root/scripts/dart4j" interference --out "$d" --world "$w" --seed "$seed" "${settings[@]}" \
      ${reuse_args[@]+"${reuse_args[@]}"}
  fi
  done_dirs+=("$w=$d")
done
report="$out/controls-$(date -u +%Y%m%dT%H%M%S).md"
run_args=()
for wd in "${done_dirs[@]}"; do run_args+=(--run "$wd"); done
# the two tables docs/leas.md quotes: lambda23 against the null, batch angles, each with its reading
tables="$("$root/scripts/dart4j" leas controls "${run_args[@]}")"
{
  echo "# LEAS controls, side by side (seed $seed)"
  echo
  echo "Made by \`scripts/dart4j leas controls ${run_args[*]}\`."
  echo
  printf '%s\n\n' "$tables"
  for wd in "${done_dirs[@]}"; do
    echo "## world: ${wd%%=*} (${wd#*=})"
    echo
    # the run's own report, headings moved one level down
    sed 's/^#/##/' "${wd#*=}/summary.md"
    echo
  done
} > "$report.partial"
mv "$report.partial" "$report"
echo "side by side: $report"
