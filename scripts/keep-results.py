#!/usr/bin/env python3
"""Copies a finished run directory's raw outputs (JSONL, CSV, JSON, Markdown, PNG, args files) into
a new directory for docs/results, leaving out what is large and re-creatable: model weights and
tokenizers (model-*, model, reasoner, tool), adapters, checkpoints, the world files and the index.

Usage: scripts/keep-results.py SRC_DIR DST_DIR   (DST_DIR must not exist or be empty: nothing kept
earlier is overwritten)
"""
import os
import shutil
import sys

SKIP_DIRS = {"index", "world", "adapters", "checkpoints", "model", "reasoner", "tool"}
KEEP = (".jsonl", ".csv", ".json", ".md", ".args", ".png")


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    src, dst = argv[1], argv[2]
    if not os.path.isdir(src):
        print(f"error: {src} is not a directory", file=sys.stderr)
        return 2
    if os.path.exists(dst) and (not os.path.isdir(dst) or os.listdir(dst)):
        print(f"error: {dst} exists and is not an empty directory; it is never overwritten",
              file=sys.stderr)
        return 1
    n = 0
    for root, dirs, files in os.walk(src):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("model-"))
        for f in sorted(files):
            if f.endswith(KEEP):
                rel = os.path.relpath(os.path.join(root, f), src)
                os.makedirs(os.path.dirname(os.path.join(dst, rel)), exist_ok=True)
                shutil.copy2(os.path.join(root, f), os.path.join(dst, rel))
                n += 1
    print(f"kept {n} files of {src} in {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
