#!/usr/bin/env bash
# The project's one test command, for contributors and CI alike: format check,
# lint, type check, then the test suite. Extra arguments go to pytest.
#   scripts/test.sh            # everything
#   scripts/test.sh tests/unit # a part
set -euo pipefail
cd "$(dirname "$0")/.."

python -c 'import sys; print("python", sys.version.split()[0])'
ruff --version
ruff format --check .
ruff check .
mypy --version
mypy

status=0
python -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  # pytest's "no tests were collected": say so plainly instead of failing.
  echo "pytest collected no tests"
  exit 0
fi
exit "$status"
