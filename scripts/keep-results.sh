#!/usr/bin/env bash
# Copies a finished run directory's raw outputs (JSONL, CSV, JSON, Markdown, PNG, args files) into a
# new directory for docs/results, leaving out what is large and re-creatable: model weights and
# tokenizers (model-*, model, reasoner, tool), adapters, checkpoints, the world files and the index.
#
# Usage: scripts/keep-results.sh SRC_DIR DST_DIR
# DST_DIR must be absent or empty: nothing kept earlier is overwritten, nothing is deleted. Relative
# paths are relative to the caller's directory.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=lib/out-dir.sh
. "$root/scripts/lib/out-dir.sh"
if [ $# -ne 2 ]; then
  echo "usage: scripts/keep-results.sh SRC_DIR DST_DIR" >&2
  exit 2
fi
src="$1"
[ -d "$src" ] || { echo "error: $src is not a directory" >&2; exit 2; }
dst="$(dart4j_out_dir "" "$2")"
[ -n "$2" ] || exit 2
dart4j_require_new_dir "$dst"
src="$(cd "$src" && pwd)"
n=0
while IFS= read -r -d '' f; do
  rel="${f#"$src"/}"
  mkdir -p "$dst/$(dirname "$rel")"
  cp -p "$f" "$dst/$rel"
  n=$((n + 1))
done < <(cd "$src" && find "$src" \
  \( -type d \( -name index -o -name world -o -name adapters -o -name checkpoints -o -name model \
     -o -name reasoner -o -name tool -o -name 'model-*' \) -prune \) -o \
  \( -type f \( -name '*.jsonl' -o -name '*.csv' -o -name '*.json' -o -name '*.md' -o -name '*.args' \
     -o -name '*.png' \) -print0 \) | sort -z)
mkdir -p "$dst"
echo "kept $n files of $src in $dst"
