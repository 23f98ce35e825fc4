#!/usr/bin/env bash
# Runs every benchmark and prints its figures (not pass/fail tests). Installs the peers the
# collection benchmark compares against: lemon24/reader (PyPI) and newsboat (Debian).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,bench]'
if ! command -v newsboat >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq newsboat >/dev/null
fi
for bench in bench_collect bench_parse bench_classify classify_ceiling bench_cluster bench_board bench_digest bench_store; do
  [ -f "benchmarks/$bench.py" ] || continue
  echo "=================== $bench"
  .venv/bin/python "benchmarks/$bench.py"
done
