#!/usr/bin/env bash
# Benchmark of the front end: `writ check` of a generated 10,000-rule file
# and of the whole rules/ directory, with a release build, using hyperfine
# (installed from Debian if missing). Goals on the 2-core machine: <= 1 s
# and <= 100 ms. Prints hyperfine's table and writes JSON to out/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
command -v hyperfine >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine >/dev/null; }
swift build -c release --product writ >/dev/null
WRIT=.build/release/writ
mkdir -p out/bench
$WRIT generate-rules --rules 10000 -o out/bench/generated-10000.writ
hyperfine --warmup 3 --runs 30 -N \
  --export-json out/bench/check.json \
  "$WRIT check out/bench/generated-10000.writ" \
  "$WRIT check rules"
python3 - <<'PY'
import json, statistics
d = json.load(open("out/bench/check.json"))
for r in d["results"]:
    t = sorted(r["times"])
    p = lambda q: t[min(len(t) - 1, int(q * len(t)))]
    print(f'{r["command"]}: median {statistics.median(t)*1000:.1f} ms, p90 {p(0.9)*1000:.1f} ms, max {t[-1]*1000:.1f} ms ({len(t)} runs)')
PY
