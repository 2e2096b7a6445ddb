#!/usr/bin/env bash
# The performance suite of docs/benchmarks.md in one unattended run (about 5-10 minutes on an idle
# 2-core machine): builds dart4j, measures this machine's ceilings (fp32 GEMM, GEMV bandwidth) and
# the library against them (training steps per method, decode vs the weight-streaming floor,
# rollout throughput per batch size, multi-turn appends, peak memory per method, share of a decode
# step outside libtorch's kernels), prints PASS/MISS per target and rewrites the generated section
# of docs/benchmarks.md (the hand-written prose around it is kept). The report also goes to
# runs/bench/<date>.md.
# Usage: scripts/bench.sh [dart4j bench options, e.g. --reps 5, --threads 1, --no-memory]
# Run it on an otherwise idle machine: libtorch's OpenMP threads busy-wait when cores are shared.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -B -q package -DskipTests
# The suite's models (41-54 M parameters) run with MKL's CNR kernels (faster few-row products at
# this size) and without libtorch's huge pages (docs/benchmarks.md). JAVA_OPTS="-Ddart4j.mkl.cnr=false"
# measures MKL's default dispatch, JAVA_OPTS="-Ddart4j.huge.pages=true" huge pages.
export JAVA_OPTS="-Ddart4j.mkl.cnr=true ${JAVA_OPTS:--Xmx6g -XX:MaxDirectMemorySize=6g}"
mkdir -p runs/bench
report="runs/bench/$(date -u +%Y%m%dT%H%M%SZ).md"
scripts/dart4j bench --doc docs/benchmarks.md "$@" | tee "$report"
echo "report: $report; generated section of docs/benchmarks.md updated"
