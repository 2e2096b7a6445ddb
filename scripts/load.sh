#!/usr/bin/env bash
# Bounded loopback load test of the retriever server (docs/reliability.md, "Load").
#
#   scripts/load.sh [--clients 20] [--requests 10000] [--out runs/load] [--max-seconds 600] ...
#
# Builds a BM25 index over a generated corpus, serves it on 127.0.0.1 and sends the requests;
# stops by itself. Writes load.json and latencies.csv to --out. Build first:
# ./mvnw -B -q package -DskipTests
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
DART4J_MAIN=io.github.dartrl.examples.bench.RetrieverLoad exec "$root/scripts/dart4j" "$@"
