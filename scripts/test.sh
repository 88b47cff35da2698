#!/usr/bin/env bash
# Set up everything the tests need (system packages, .venv with test extras), then run pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
exec .venv/bin/python -m pytest -q "$@"
