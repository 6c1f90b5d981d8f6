#!/usr/bin/env bash
# Writ's main job on its embedded defaults: check and test the rulebooks,
# build a signed bundle, replay the sample flow through the engine, and
# write the decisions. Everything it writes goes under out/.
set -euo pipefail
cd "$(dirname "$0")/.."
WRIT=.build/release/writ
OUT=out
mkdir -p "$OUT"
if [ ! -f "$OUT/keys/writ.key" ]; then
  echo "== writ keygen (a demo signing key under $OUT/keys/)"
  $WRIT keygen --out "$OUT/keys"
fi
echo "== writ check rules/ (worst-case cost per jurisdiction)"
$WRIT check --cost rules
echo "== writ fmt --check rules/"
$WRIT fmt --check rules
echo "== writ test rules/"
$WRIT test rules | tail -2
echo "== writ build rules/ -o $OUT/writ.bundle --native (the rules also compiled to native code: docs/native.md)"
$WRIT build rules -o "$OUT/writ.bundle" --sign "$OUT/keys/writ.key" --native
echo "== writ replay samples/events.jsonl (recorded in the audit trail $OUT/audit.sqlite)"
rm -f "$OUT/audit.sqlite" "$OUT/audit.sqlite-wal" "$OUT/audit.sqlite-shm"
$WRIT replay --bundle "$OUT/writ.bundle" --trust "$OUT/keys/writ.pub" \
  --bind restricted_symbols=samples/lists/restricted_symbols.txt \
  --bind kyc_blocked=samples/lists/kyc_blocked.txt \
  --bind sod_positions=samples/lists/sod_positions.csv \
  --bind account_limits=samples/lists/account_limits.csv \
  --bind au_account_limits=samples/lists/au_account_limits.csv \
  --audit "$OUT/audit.sqlite" --ack-every 100000 \
  samples/events.jsonl -o "$OUT/decisions.jsonl" | grep -v '^durable '
echo "== writ audit verify $OUT/audit.sqlite"
$WRIT audit verify "$OUT/audit.sqlite"
echo "== writ report --all (RTS 22 validated against ESMA's schemas, CAT, CSV, summary)"
$WRIT report --all --db "$OUT/audit.sqlite" --date 2026-11-27 -o "$OUT/reports" \
  --firm samples/firm.json --bundle "$OUT/writ.bundle" --trust "$OUT/keys/writ.pub"
echo "== done: decisions in $OUT/decisions.jsonl, reports in $OUT/reports/"
