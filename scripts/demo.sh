#!/usr/bin/env bash
# Writ's main job on its embedded defaults. Grows as the pipeline does:
# today it checks the rulebooks (types, units, cost budgets) and their layout.
set -euo pipefail
cd "$(dirname "$0")/.."
WRIT=.build/release/writ
echo "== writ check rules/ (with worst-case cost per jurisdiction)"
$WRIT check --cost rules
echo "== writ fmt --check rules/"
$WRIT fmt --check rules
