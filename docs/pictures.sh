#!/usr/bin/env bash
# Regenerate the README's pictures from the bundled data, with fanpin itself:
#   uv run bash docs/pictures.sh
# A test (tests/writers/test_pipelines_excel.py) checks that the committed pictures are up to date.
set -euo pipefail
out="${1:-$(dirname "$0")/img}"
mkdir -p "$out"
export COLUMNS=120 FANPIN_LANG=zh
fanpin show monitoring -o tsv --svg "$out/show-monitoring.svg" >/dev/null
fanpin compare -o tsv --svg "$out/compare.svg" >/dev/null
fanpin chart monitoring -o tsv --svg "$out/chart-monitoring.svg" >/dev/null
fanpin chart rectification -o tsv --svg "$out/chart-rectification.svg" >/dev/null
