#!/usr/bin/env bash
# The main job. Until the bundled tool-QA world lands (issue 7), this is a truthful smaller demo of
# what exists: build, create a tiny random Qwen2-architecture model with a word-level tokenizer,
# generate from it with a DART policy's routing, and score a text. Everything runs offline on a CPU.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
./mvnw -B -q package -DskipTests
out="${1:-runs/quickstart}"
rm -rf "$out"
mkdir -p "$(dirname "$out")"
scripts/dart4j create-tiny --out "$out/tiny-model" --hidden 64 --layers 2 --intermediate 128 --seed 1
echo "--- generate (temperature 1.0, seed 7) ---"
scripts/dart4j generate -m "$out/tiny-model" -p "answer the given question . where was the company founded ?" \
  --max-new-tokens 24 --temperature 1.0 --seed 7 --stop "</search>" --stop "</answer>"
echo "--- score ---"
scripts/dart4j score -m "$out/tiny-model" --text "let me search for it . <search> the company </search>" \
  --prompt-tokens 5 | head -40
