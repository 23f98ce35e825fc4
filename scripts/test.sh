#!/usr/bin/env bash
# The README's second command: installs what the tests need, then runs lint, types and every test.
#   - Debian packages: postgresql (a throwaway server is started by the tests), chromium (browser test),
#     openssl (the test certificate authority for TLS tests)
#   - a virtualenv in .venv with the project and its [test] extra
# Extra arguments are passed to pytest (e.g. scripts/test.sh -k fetch).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v chromium >/dev/null || missing+=(chromium)
command -v openssl >/dev/null || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

echo "== ruff"
.venv/bin/ruff check watch dashboard tests benchmarks
.venv/bin/ruff format --check watch dashboard tests benchmarks
echo "== mypy"
.venv/bin/mypy watch
echo "== pytest"
.venv/bin/python -m pytest "$@"
