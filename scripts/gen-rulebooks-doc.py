#!/usr/bin/env python3
"""Writes the rule tables of docs/rulebooks.md from the rule files: for each
jurisdiction, every rule with its severity, message, citation, the limits it
reads, and the tests that fire it and the near misses that do not (a test
names the rule it is about at the start of its title, `US.luld_band: …`).

The hand-written parts of the page live in this script's template; the tables
and the sample-flow figures are generated. With `--decisions FILE` (the output
of `writ replay -o FILE`), it adds the replay's counts by regime and rule.

    scripts/gen-rulebooks-doc.py [--decisions /tmp/decisions.jsonl]
"""

import argparse
import collections
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["GLOBAL", "US", "EU", "UK", "JP", "SG", "IN", "CA", "AU"]
FILES = {"GLOBAL": "global", "US": "us", "EU": "eu", "UK": "uk", "JP": "jp", "SG": "sg", "IN": "in", "CA": "ca",
         "AU": "au"}

# FIX OrdRejReason (tag 103): the short names of the values the rules use
# (a rule's `code N`; a reject without one sends 99).
FIX_NAMES = {
    0: "broker credit", 1: "unknown symbol", 2: "exchange closed", 3: "exceeds limit", 6: "duplicate",
    13: "incorrect quantity", 16: "price band", 19: "no reference price", 20: "notional threshold",
    22: "short sell not permitted", 25: "credit limit", 99: "other",
}


def fix_cell(rule):
    """The FIX 103 column: the rule's `code N` with its name; — for a hold or alert."""
    if rule["severity"] != "reject":
        return f"— ({rule['severity']})"
    n = rule["code"] if rule["code"] is not None else 99
    return f"{n} {FIX_NAMES.get(n, '')}".strip()


def trader_text(literal):
    """A limit's literal as `{name}` shows it in a message (`10_000_000 USD` → `10,000,000 USD`)."""
    lit = literal.strip()
    m = re.fullmatch(r"([\d_]+)(\.[\d_]+)? ([A-Z]{3})", lit)
    if m:
        frac = (m.group(2) or "").replace("_", "").rstrip("0").rstrip(".")
        if len(frac) == 2:
            frac += "0"
        return f"{int(m.group(1).replace('_', '')):,}{frac} {m.group(3)}"
    m = re.fullmatch(r"([\d_]+(?:\.[\d_]+)?)%", lit)
    if m:
        return m.group(1).replace("_", "") + "%"
    if re.fullmatch(r"[\d_]+", lit):
        return f"{int(lit.replace('_', '')):,}"
    return lit


# Data a rule reads besides its limits.
DATA = {
    "unknown_venue": "data/venues.csv", "currency_mismatch": "data/venues.csv",
    "unknown_trader": "data/trader_permissions.csv, `T-*`",
    "restricted_symbol": "data/restricted_symbols.csv + bound `restricted_symbols`",
    "kyc_not_cleared": "data/blocked_clients.csv + bound `kyc_blocked`",
    "trader_not_permitted": "data/trader_permissions.csv, data/instrument_classes.csv",
    "luld_band": "data/luld_tiers.csv", "algo_deployment_qty": "data/algo_limits.csv",
    "algo_deployment_messages": "data/algo_limits.csv", "no_listed_shares": "data/listed_shares.csv",
    "too_many_shares": "data/listed_shares.csv", "large_share": "data/listed_shares.csv",
    "daily_price_limit": "data/tse_price_tiers.csv", "unregistered_algo_rate": "data/exchange_algo_ids.csv",
    "long_sale_not_covered": "bound `sod_positions`", "account_max_order_value": "bound `account_limits`",
    "account_credit_check": "bound `account_limits`", "account_aggregate_filter": "bound `au_account_limits`",
}


def parse_rules(path):
    """(jurisdiction, title, limits {name: value}, rules [dict]) of one rulebook."""
    text = path.read_text()
    j = re.search(r'^jurisdiction (\w+) "([^"]*)"', text, re.M)
    limits = {}
    m = re.search(r"limits \{(.*?)\n  \}", text, re.S)
    if m:
        for line in m.group(1).splitlines():
            line = line.strip()
            if "=" in line and not line.startswith("//"):
                k, v = [x.strip() for x in line.split("=", 1)]
                limits[k] = v
    lets = {lm.group(1): lm.group(2) for lm in re.finditer(r"^  let (\w+) = (.*?)(?=\n  \S|\n\n|\n\})", text, re.M | re.S)}

    def expand(expr, seen=()):
        """`expr` with the `let`s it uses replaced by their expressions."""
        for k, v in lets.items():
            if k not in seen and re.search(rf"\b{k}\b", expr):
                expr = re.sub(rf"\b{k}\b", lambda _: "(" + expand(v, seen + (k,)) + ")", expr)
        return expr

    rules = []
    for rm in re.finditer(r'^  rule (\w+) (\w+) "([^"]*)"\n(.*?)(?=\n\n|\n\}|\Z)', text, re.M | re.S):
        body = rm.group(4)
        cite = re.search(r'cite "([^"]*)"', body)
        code = re.search(r"\bcode (\d+)", body)
        when = expand(body.split("when", 1)[1]) if "when" in body else ""
        used = [k for k in limits if re.search(rf"\b{k}\b", when)]
        message = re.sub(r"\{(\w+)\}", lambda m: trader_text(limits.get(m.group(1), m.group(0))), rm.group(3))
        rules.append(dict(name=rm.group(1), severity=rm.group(2), message=message,
                          cite=cite.group(1) if cite else "", code=int(code.group(1)) if code else None,
                          limits=[(k, limits[k]) for k in used]))
    return j.group(1), j.group(2), limits, rules


def parse_tests():
    """[(file, title, expected rules or None)] of rules/tests/*.writ."""
    out = []
    for p in sorted((ROOT / "rules" / "tests").glob("*.writ")):
        text = p.read_text()
        for tm in re.finditer(r'^test "((?:[^"\\]|\\.)*)" \{(.*?)^\}', text, re.M | re.S):
            exp = re.findall(r"expect \w+(?: \[([^\]]*)\])?", tm.group(2))
            rules = [r.strip() for r in exp[-1].split(",") if r.strip()] if exp and exp[-1] else []
            out.append((p.name, tm.group(1).replace('\\"', '"'), rules))
    return out


def cell(names, limit=6):
    if not names:
        return "—"
    shown = names[:limit]
    more = f"<br>… and {len(names) - limit} more" if len(names) > limit else ""
    return "<br>".join(f"“{n}”" for n in shown) + more


def flow_summary(decisions):
    events = [json.loads(line) for line in (ROOT / "samples" / "events.jsonl").open()]
    kinds = collections.Counter(e["event"] for e in events)
    venues = {}
    for line in (ROOT / "rules" / "data" / "venues.csv").read_text().splitlines()[1:]:
        mic, regime = line.split(",")[:2]
        venues[mic] = regime
    by_regime = collections.Counter(venues.get(e.get("venue"), "unknown venue") for e in events
                                    if e["event"] in ("new", "modify"))
    busted = " (fills on EU and UK venues busted 20 minutes later)" if kinds.get("fill_cancel") else ""
    lines = [f"{len(events):,} events: " + ", ".join(f"{n:,} {k}" for k, n in kinds.most_common()) + busted + ".", "",
             "| regime | orders (new + modify) |", "|---|---:|"]
    for r in ORDER[1:] + ["unknown venue"]:
        lines.append(f"| {r} | {by_regime.get(r, 0):,} |")
    if decisions:
        ds = [json.loads(line) for line in Path(decisions).open() if line.startswith("{")]
        verdicts = collections.Counter(d["verdict"] for d in ds)
        regs = collections.defaultdict(collections.Counter)
        fired = collections.Counter()
        for d in ds:
            r = next((j for j in d["jurisdictions"] if j != "GLOBAL"), "none")
            regs[r][d["verdict"]] += 1
            fired.update(d["rules"])
        broken = verdicts["reject"] + verdicts["hold"]
        orders = sum(by_regime.values())
        lines += ["", f"Replayed (`writ replay`): {len(ds):,} decisions — {verdicts['allow']:,} allow, "
                  f"{verdicts['hold']:,} hold, {verdicts['reject']:,} reject; {broken:,} of {orders:,} orders "
                  f"({100 * broken / orders:.1f} %) break a rule.", "",
                  "| regime | decisions | allow | hold | reject |", "|---|---:|---:|---:|---:|"]
        for r in ORDER[1:] + ["none"]:
            c = regs.get(r)
            if c:
                name = r if r != "none" else "none (unknown venue; cancels)"
                lines.append(f"| {name} | {sum(c.values()):,} | {c['allow']:,} | {c['hold']:,} | {c['reject']:,} |")
        lines += ["", "| rule | fired |", "|---|---:|"]
        for r in ORDER:
            for k, n in sorted(fired.items()):
                if k.split(".")[0] == r:
                    lines.append(f"| `{k}` | {n:,} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--decisions", help="decision lines of `writ replay` over samples/events.jsonl")
    ap.add_argument("--out", default=str(ROOT / "docs" / "rulebooks.md"))
    args = ap.parse_args()

    tests = parse_tests()
    total_tests = len(tests)
    sections, total_rules = [], 0
    for code in ORDER:
        name, title, limits, rules = parse_rules(ROOT / "rules" / "jurisdictions" / f"{FILES[code]}.writ")
        total_rules += len(rules)
        rows = ["| rule | severity | message | citation | limit | FIX 103 | fires in | near miss in |",
                "|---|---|---|---|---|---|---|---|"]
        for r in rules:
            rid = f"{name}.{r['name']}"
            fires = [t for _, t, exp in tests if rid in exp]
            near = [t for _, t, exp in tests if t.startswith(rid + ":") and rid not in exp]
            short = lambda ts: [t[len(rid) + 2:] if t.startswith(rid + ":") else t for t in ts]
            lim = "<br>".join(f"`{k} = {v}`" for k, v in r["limits"])
            if r["name"] in DATA:
                lim = (lim + "<br>" if lim else "") + DATA[r["name"]]
            rows.append(f"| `{r['name']}` | {r['severity']} | {r['message']} | {r['cite'] or '—'} | {lim or '—'} | "
                        f"{fix_cell(r)} | {cell(short(fires))} | {cell(short(near))} |")
        n = sum(1 for f, _, _ in tests if f == f"{FILES[code]}.writ")
        sections.append(f"### {name} — {title}\n\nRules: `rules/jurisdictions/{FILES[code]}.writ`; tests: "
                        f"`rules/tests/{FILES[code]}.writ` ({n} tests).\n\n" + "\n".join(rows))

    text = TEMPLATE.format(rules=total_rules, tests=total_tests, tables="\n\n".join(sections),
                           flow=flow_summary(args.decisions))
    Path(args.out).write_text(text)
    print(f"wrote {args.out}: {total_rules} rules, {total_tests} tests")


TEMPLATE = """# The rulebooks of the demo firm

<!-- The tables and figures on this page are generated by
     scripts/gen-rulebooks-doc.py from rules/; edit the rules or the script. -->

`rules/jurisdictions/` holds one rulebook per regime — US (SEC), EU (MiFID II),
UK (FCA), JP (JFSA/TSE), SG (MAS/SGX), IN (SEBI), CA (CSA/CIRO), AU (ASIC) —
and `GLOBAL`, the firm-wide controls every order passes. They express the
pre-trade controls of `REGULATORY.md` (in the shared design folder) with the
demo firm's calibration: {rules} rules, {tests} tests in `rules/tests/`, one
file per regime.

```
writ check rules/            # no errors, no warnings
writ test rules/             # every test passes; rule coverage 100 %
writ fmt --check rules/
writ build rules/ --unsigned -o /tmp/rules.bundle
writ replay --bundle /tmp/rules.bundle --allow-unsigned --empty-lists samples/events.jsonl
```

## How an order is decided

- **Jurisdiction.** A rulebook applies when the order's venue (MIC) has its
  regime in `data/venues.csv` (`venues[order.venue].regime == "EU"`). An
  unknown venue matches none and `GLOBAL.unknown_venue` rejects it; an order
  whose currency is not the venue's is rejected by `GLOBAL.currency_mismatch`.
- **Fail closed.** Reading missing data is an evaluation error, and an error
  rejects: a price check without a reference price, a lookup of an unknown
  key. Where a trader needs words, an explicit rule says it too
  (`GLOBAL.no_reference_price`, `GLOBAL.limit_without_price`,
  `JP.no_listed_shares`, `JP.no_base_price`); the decision then lists both
  the explicit rule and the rules that could not be evaluated.
- **Market orders** are valued at the reference price
  (`order.qty * (has(order.price) ? order.price : market.reference)`), so
  value and credit limits hold for them too; price checks apply to limit
  orders.
- **Windows** are the engine's tumbling windows (docs/engine-semantics.md):
  "today" is the UTC day, "per second" the second of the clock. Credit
  windows add accepted orders only; a `modify` adds its increase. Message
  counts include every message (new, modify, cancel), accepted or not.
- **Verdict**: reject if any reject rule fired or any rule could not be
  evaluated; else hold if a hold rule fired (`JP.large_share`); else allow.

## Demo identities and reference data

Accounts `A-*`, clients `C-*`, traders `T-*`, desks `D-*` and algorithms
`ALG-*` are known, KYC-cleared and permitted for equities on every venue,
unless a file below lists one as blocked, restricted or not permitted.
Instrument data carried by a market event (`instrument_class`, `luld_tier`,
`listed_shares`) takes precedence over the files.

| file | key | what it holds | read by |
|---|---|---|---|
| `data/venues.csv` | MIC | regime, currency, time zone | every `applies`; `GLOBAL.unknown_venue`, `GLOBAL.currency_mismatch` |
| `data/restricted_symbols.csv` | symbol | the restricted list, with a reason | `GLOBAL.restricted_symbol` (plus the run-time list bound as `restricted_symbols`) |
| `data/blocked_clients.csv` | client | clients whose KYC is not cleared | `GLOBAL.kyc_not_cleared` (plus the run-time list `kyc_blocked`) |
| `data/trader_permissions.csv` | trader | may trade equity / etf / bond / derivative | `GLOBAL.unknown_trader`, `*.trader_not_permitted`; a trader not listed: `T-*` may trade equities only |
| `data/instrument_classes.csv` | symbol | instruments that are not equities | `*.trader_not_permitted` (not listed and no class in market data: equity) |
| `data/luld_tiers.csv` | symbol | LULD tier 1 or 2 | `US.luld_band` (not listed: tier 2, as the LULD Plan says) |
| `data/listed_shares.csv` | symbol | listed shares of Japanese stocks | `JP.too_many_shares`, `JP.large_share`, `JP.no_listed_shares` |
| `data/tse_price_tiers.csv` | band | TSE daily price limit by base price | `JP.daily_price_limit` (with `tse_band_starts` in `reference.writ`) |
| `data/algo_limits.csv` | algo | algorithms in controlled deployment: max quantity, messages per day | `EU/UK.algo_deployment_*` |
| `data/exchange_algo_ids.csv` | algo | algorithms registered with an Indian exchange | `IN.unregistered_algo_rate` |
| bound `sod_positions` (`--bind sod_positions=FILE.csv`; demo: `samples/lists/sod_positions.csv`) | (account, symbol) | shares held long at the open | `US.long_sale_not_covered`, `CA.long_sale_not_covered` (no row: nothing held; unbound: every long sale rejected) |
| bound `account_limits` (`--bind account_limits=FILE.csv`; demo: `samples/lists/account_limits.csv`), changed by `set`/`remove` controls | account | the firm's own max order value and daily credit for an account | `SG.account_max_order_value`, `SG.account_credit_check`; an account with a row is exempt from `SG.max_order_value` and `SG.credit_check` (declared `= []`: no row until bound) |
| bound `au_account_limits` (`--bind au_account_limits=FILE.csv`; demo: `samples/lists/au_account_limits.csv`), changed by `set`/`remove` controls | account | the firm's own aggregate filter (AUD per day) for an account; a table of its own, not a column of `account_limits`, whose limits are in SGD and whose rows give every column | `AU.account_aggregate_filter`; an account with a row is exempt from `AU.aggregate_filter` (declared `= []`) |

The run-time lists (`data … bound`) stay: the host binds the day's additions
to the restricted list and to the KYC blocks. `kyc_blocked` declares its
value until then (`bound = []`: no client blocked); `restricted` does not, so
a host that forgets it rejects every order (fail closed), and
`writ replay --empty-lists` binds it empty on purpose.

The schema has one optional field for Rule 201: `market.ssr` (bool), the
feed's Short Sale Restriction flag. The rule also remembers a drop itself:
`latch(…, order.symbol, next_day)` keeps the restriction for the rest of the
UTC day and the next once an order has seen the 10% drop (a drop no order
saw is known only from the flag).

Latches (docs/language.md): `EU/UK.repeated_executions` disable an algorithm
until a person re-enables it (RTS 6 Art. 15(3)) with a control event
`{{"event":"control","action":"reset","latch":"EU.repeated_executions","key":"ALG-1",…}}`;
`US.short_sale_restriction` holds to the end of the next day;
`IN.otr_next_day_block` blocks a trader whose order-to-trade ratio went above
200 (firm-set, twice the alert level, standing in for the exchanges'
"repeated breaches") in 09:15–09:30 IST of the next day.

## Rules, citations, limits and tests

Citations are checked against `REGULATORY.md`; where it names only a rule
family, the citation does too. GLOBAL rules cite the principal source (a
citation cannot depend on the regime that applies); their equivalents are
listed below the GLOBAL table. "FIX 103" is the OrdRejReason (tag 103) that
the rule's `code N` gives a reject: the decision line's `reject_code`, which a
gateway sends (a reject without `code` sends 99). Messages show `{{name}}`
already replaced by the limit, as a trader reads it. Test names are shown
without the `RULE: ` prefix.

{tables}

Calibration of the controls with composite keys (firm-set; REGULATORY.md
gives no number): `IN.trader_venue_rate` allows 50 messages per second per
trader on one exchange (`rate((order.trader, order.venue), 1s)`) — five times
the 10 orders per second above which SEBI asks for an exchange algo id, so it
binds registered algorithms and not a person; `SG.account_security_concentration`
allows 15,000,000 SGD of orders per account in one security per day
(`window_sum(…, (order.account, order.symbol), 1d)`), between the single-order
cap (5,000,000 SGD) and the account's credit limit (20,000,000 SGD), so one
security cannot take the whole credit line, and below the firm-wide limit per
security (25,000,000 SGD).

Open-order limits (`open_sum`, the live orders net of fills): `CA.open_order_value`
allows 15,000,000 CAD of unexecuted orders per account (UMIR 7.1; three
orders at the 5,000,000 CAD single-order cap); `IN.client_open_value` allows
25 crore INR of open orders per client (2.5 orders at the 10 crore cap, half
the client's 50 crore daily value).

Price collars over a period (RTS 6 Art. 15(1)(a): "both on an order-by-order
basis and over a specified period of time"; the period and the percent are the
firm's choice): `EU.price_collar_period` and `UK.price_collar_period` reject a
limit buy priced more than 10% above the lowest reference price of the last 5
minutes, and a limit sell (or short) more than 10% below the highest
(`window_min` / `window_max(market.reference, 5m)`, kept per instrument and
venue in 30-second buckets). The 5% collar compares with the reference now;
this one stops orders that each pass it from walking the price more than 10%
in 5 minutes. A buy far below the recent high is not checked against it (it
does not carry the price further). No reference price rejects, as for the
5% collar.

GLOBAL equivalents by regime — kill switches: RTS 6 Art. 12 (EU, UK),
SEC Rule 15c3-5(c) (US), NI 23-103 s. 3(3) (CA, "stop or cancel at once"),
ASIC MIR Part 5.6 (AU), SGX Rule 4.10.1 (SG), SEBI algorithmic trading
framework (IN, kill switch per algo id), JFSA/FIEA risk-management duties
(JP). Restricted list and KYC: SEC Rule 15c3-5(c)(2)(ii) (US), NI 23-103
s. 3(3)(b) (CA), SGX Practice Note 4.10.1(b) (SG). Authorised users:
SEC Rule 15c3-5(c)(2)(iii), RTS 6 Art. 15(5), NI 23-103 s. 3(3). Duplicate ids
(`GLOBAL.duplicate_order`): SEC Rule 15c3-5(c)(1)(ii) names duplicative
orders (US); REGULATORY.md names no equivalent for the other regimes, where the
rule is the firm's control against erroneous orders — without it a `new`
reusing an id of the day would replace the live order of that id.

## Controls not expressed as rules

| control | regime | why | what would express it |
|---|---|---|---|
| 15c3-5(c)(2)(iv) post-trade feed to surveillance; RTS 6 Art. 13, 16, 17 | US, EU | not a pre-trade decision | the audit trail and reports (issue 6) |
| Reg SHO Rule 200(g) marking long / short / short exempt | US, CA (UMIR 6.2) | every order carries one of `buy`, `sell`, `short`, `short_exempt` (the input contract). **Now rules**, `US.long_sale_not_covered` and `CA.long_sale_not_covered` (UMIR 6.2(1)(b)(vii), 3.1): a `sell` must be covered by the start-of-day position (bound table `sod_positions`, US and CA rows) plus today's net fills (`position`); the order and the account's other live sells in the symbol count at their unfilled quantity (`open_sum`), so two long sales cannot use the same shares | — |
| Reg SHO Rule 204 close-out | US | settlement, after the trade | — |
| FIEA registration of high-speed traders | JP | a registration, not an order check | — |
| SGX "limits adjustable in real time"; ASIC 5.6.3 records of filter changes | SG, AU | SG: **now rules**, `SG.account_max_order_value` and `SG.account_credit_check` over the bound table `account_limits`, changed during the day by `set`/`remove` control events; `writ replay --audit` records each change (as a control record, with the line as received) and snapshots keep them. AU: **now a rule**, `AU.account_aggregate_filter` over the bound table `au_account_limits` (an account with a row has its own aggregate instead of the 25,000,000 AUD default), changed the same way | — |
| ASIC venue-side anomalous order thresholds and extreme cancellation ranges | AU | enforced by the venue; `AU.price_collar` is tighter | — |

## The sample flow

`samples/events.jsonl` is written by `scripts/gen-sample-flow.py` (seeded:
`--seed 20261127` by default; the same seed gives the same file). It is one
trading day of the demo firm: market data for every instrument first, then
each regime's session in UTC (orders, modifies, cancels, partial fills, market
updates), bursts past the EU, UK and IN message limits, and five kill switches
switched on for a few minutes and off again. About one order in ten breaks a
rule on purpose: a price outside the collar or band, too large a value or
quantity, the restricted list, a blocked client, an unknown trader or venue,
a wrong currency, a missing price or market data, an ETF without permission,
a short without a locate or under Rule 201, a duplicate id, 5–30 % or more
than 30 % of the listed shares, a pilot algorithm above its limit, an
algorithmic market order in India, a long sale from an account without a
start-of-day position (A-US-9, and A-CA-9 in Canada). A-SG-9's own limits (samples/lists/account_limits.csv)
are raised by a `set` control at 03:25 UTC and removed at 05:55, with an
order before, between and after; a `set` adds a row for A-SG-10. A-AU-9's
own aggregate of 1,000,000 AUD (samples/lists/au_account_limits.csv) rejects
its second order at 01:12 UTC and is raised to 2,000,000 by a `set` at 01:20.
The US and CA accounts' positions are in samples/lists/sod_positions.csv
(written by the same script). People and accounts are per regime
(`T-US-1`, `A-EU-3`, …) because message and credit counters are keyed by one
symbol across all venues.

{flow}
"""

if __name__ == "__main__":
    main()
