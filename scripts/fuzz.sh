#!/usr/bin/env bash
# Fuzzes every Jazzer target (each *FuzzTest class) for longer than the default build does.
#
#   scripts/fuzz.sh [seconds-per-target] [class-pattern]
#   scripts/fuzz.sh 300                       # every target, 5 minutes each
#   scripts/fuzz.sh 600 SafetensorsFuzzTest   # one target
#
# Each target runs in its own JVM (Jazzer fuzzes one @FuzzTest per JVM) with a 512 MB heap, after
# its committed seed corpus has been replayed. A finding fails the build and is written to
# <module>/target/jazzer/crash-*; the inputs the fuzzer found interesting are kept in
# <module>/target/jazzer/.cifuzz-corpus/ (copy a useful one into the target's Inputs directory under
# src/test/resources to keep it as a regression seed). See docs/reliability.md, "Fuzzing".
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-120}"
pattern="${2:-*FuzzTest}"
case "$seconds" in
  '' | *[!0-9]*) echo "usage: $0 [seconds-per-target] [class-pattern]" >&2; exit 2 ;;
esac
cd "$root"
echo "fuzzing '$pattern' for ${seconds}s per target" >&2
exec ./mvnw -B -pl dart-grpo -am verify \
  -Dfuzz.seconds="$seconds" -Dfuzz.seed=0 \
  -Dtest="$pattern" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dspotless.check.skip=true
