#!/usr/bin/env bash
# The GPU path, checked on a machine with an NVIDIA GPU (README "GPU"). dart4j's own machines have
# none, so this path is unmeasured there; this script is how a user with a GPU measures it:
#   1. builds with -Dcuda (no CPU libtorch jar; DJL loads its CUDA build of libtorch: from
#      PYTORCH_LIBRARY_PATH if set, else downloaded once by DJL into ~/.djl.ai, PYTORCH_FLAVOR
#      picking the CUDA flavour, cu128 by default),
#   2. runs the numerical-equivalence tests on the GPU: KV cache vs full forward
#      (DecoderModelTest), generation vs training log-probs (GenerationTest), the fp16 backbone
#      (Fp16BackboneTest), CPU vs GPU log-probs within the tolerances CpuGpuEquivalenceTest states
#      and every array of a training run on the GPU (DevicesTest),
#   3. trains a few GRPO steps of the bundled world on the GPU (quickstart --smoke --device gpu),
#   4. runs the decode and training sections of the benchmark suite on the GPU,
# and writes everything to runs/gpu-check/<time>/report.md. Nothing goes into docs/: the figures
# are not comparable with docs/benchmarks.md (CPU).
# On a machine without an NVIDIA GPU it says so and exits 0 without running or claiming anything.
# Usage: scripts/gpu-check.sh [--skip-bench]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

skip_bench=false
for arg in "$@"; do
  case "$arg" in
    --skip-bench) skip_bench=true ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown option $arg (see --help)" >&2; exit 2 ;;
  esac
done

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-check: no NVIDIA GPU found (nvidia-smi is not installed); nothing was checked."
  exit 0
fi
if ! gpus="$(nvidia-smi -L 2>/dev/null)" || [ -z "$gpus" ]; then
  echo "gpu-check: no NVIDIA GPU found (nvidia-smi lists no GPU or fails); nothing was checked."
  exit 0
fi

out="runs/gpu-check/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
report="$out/report.md"
export PYTORCH_FLAVOR="${PYTORCH_FLAVOR:-cu128}"
# with a local CUDA libtorch DJL stays offline; otherwise it may download its CUDA build once
offline=true
if [ -z "${PYTORCH_LIBRARY_PATH:-}" ]; then offline=false; fi

{
  echo "# dart4j GPU check, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Not comparable with docs/benchmarks.md (CPU); do not copy figures into it."
  echo
  echo '```'
  nvidia-smi
  echo '```'
  echo
  echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "- java: $(java -version 2>&1 | head -n 1)"
  echo "- PYTORCH_FLAVOR=$PYTORCH_FLAVOR, PYTORCH_LIBRARY_PATH=${PYTORCH_LIBRARY_PATH:-unset}, DJL offline: $offline"
  echo
} > "$report"

failed=0
step() { # step NAME LOG COMMAND...: runs a step, records PASS/FAIL and its log in the report
  local name="$1" log="$2"
  shift 2
  echo "gpu-check: $name (log: $log)"
  if "$@" > "$log" 2>&1; then
    echo "- **PASS** $name ([log]($(basename "$log")))" >> "$report"
  else
    echo "- **FAIL** $name ([log]($(basename "$log")))" >> "$report"
    failed=1
  fi
}

echo "## Steps" >> "$report"
step "build with the CUDA natives (-Dcuda)" "$out/build.log" \
  ./mvnw -B -Dcuda package -DskipTests
step "numerical equivalence on the GPU" "$out/equivalence.log" \
  ./mvnw -B -Dcuda -Ddjl.offline="$offline" -pl dart-core test -Dfuzz.skip=true \
  -Dtest='DecoderModelTest,GenerationTest,Fp16BackboneTest,CpuGpuEquivalenceTest,DevicesTest' \
  -Dsurefire.failIfNoSpecifiedTests=false
if grep -Eq "Skipped: 1.*CpuGpuEquivalenceTest" "$out/equivalence.log"; then
  echo "- **FAIL** libtorch saw no GPU: CpuGpuEquivalenceTest was skipped" >> "$report"
  failed=1
fi
# the CLI stays offline: the tests above left DJL's CUDA libtorch in its cache
step "GRPO steps of the bundled world on the GPU" "$out/quickstart.log" \
  scripts/dart4j quickstart --smoke --device gpu --out "$out/quickstart"
if [ "$skip_bench" = false ]; then
  step "benchmark: decode and training sections on the GPU" "$out/bench.log" \
    scripts/dart4j bench --device gpu --only DECODE,TRAINING --no-memory
  { echo; echo "## Benchmark output"; echo; echo '```'; cat "$out/bench.log"; echo '```'; } >> "$report"
fi
{
  echo
  echo "## Test summary"
  echo
  echo '```'
  grep -E "Tests run:|FAIL" "$out/equivalence.log" || true
  echo '```'
} >> "$report"

echo "gpu-check: report in $report"
echo "gpu-check: target/lib now lacks the CPU libtorch; run ./mvnw -B -q package -DskipTests before using scripts/dart4j on the CPU again"
exit "$failed"
