#!/usr/bin/env python3
"""Writes samples/events.jsonl: one trading day of the demo firm on the eight
regimes of rules/, in the input contract of docs/engine-semantics.md (decimal
strings, RFC 3339 `ts`), seeded so that the same seed gives the same file.

The flow: market data for every instrument first, then each regime's session
(orders, modifies, cancels, fills, market updates) merged in time order, with
a few kill/unkill controls. About 10 % of the orders break a rule on purpose
(the `BREACHES` of each regime); the others are sized to stay inside every
limit of rules/jurisdictions/.

    scripts/gen-sample-flow.py [--seed N] [--out samples/events.jsonl]
"""

import argparse
import json
import random
from decimal import ROUND_HALF_EVEN, Decimal
from datetime import datetime, timedelta, timezone
from pathlib import Path

DAY = datetime(2026, 11, 27, tzinfo=timezone.utc)

# Each regime: venues, currency, session (UTC, as offsets from DAY), the
# instruments (symbol, venue, reference price, tick) and the firm's people.
REGIMES = {
    "US": dict(cur="USD", country="US", session=("14:30", "21:00"), instruments=[
        ("AAPL", "XNAS", "230.00", "0.01"), ("MSFT", "XNAS", "420.00", "0.01"), ("NVDA", "XNAS", "140.00", "0.01"),
        ("AMZN", "XNAS", "200.00", "0.01"), ("JPM", "XNYS", "240.00", "0.01"), ("XOM", "XNYS", "115.00", "0.01"),
        ("ACME", "ARCX", "12.50", "0.01"), ("MIDC", "BATS", "2.10", "0.01"), ("TINY", "BATS", "0.4200", "0.0001"),
        ("SPY", "ARCX", "600.00", "0.01")],
        restricted="RSTR", etf="SPY", qty=(10, 400)),
    "EU": dict(cur="EUR", country="DE", session=("08:00", "16:30"), instruments=[
        ("SAP", "XETR", "230.00", "0.01"), ("SIE", "XETR", "180.00", "0.01"), ("AIR", "XPAR", "160.00", "0.01"),
        ("MC", "XPAR", "650.00", "0.10"), ("ASML", "XAMS", "680.00", "0.10"), ("ENI", "XMIL", "14.200", "0.002"),
        ("SAN", "XMAD", "4.600", "0.001"), ("EXS1", "XETR", "190.00", "0.02")],
        restricted="RSTX", etf="EXS1", qty=(10, 400)),
    "UK": dict(cur="GBP", country="GB", session=("08:00", "16:30"), instruments=[
        ("VOD", "XLON", "0.7000", "0.0002"), ("HSBA", "XLON", "8.500", "0.001"), ("BP", "XLON", "4.000", "0.001"),
        ("AZN", "XLON", "105.00", "0.02"), ("ISF", "XLON", "8.200", "0.001")],
        restricted="RSTL", etf="ISF", qty=(100, 4000)),
    "JP": dict(cur="JPY", country="JP", session=("00:00", "06:00"), instruments=[
        ("7203", "XTKS", "2800", "1"), ("6758", "XTKS", "3400", "1"), ("9984", "XTKS", "9000", "1"),
        ("8306", "XOSE", "1800", "1"), ("6861", "XTKS", "60000", "10"), ("9990", "XTKS", "500", "1"),
        ("1321", "XTKS", "39000", "10")],
        restricted="9997", etf="1321", qty=(100, 1000)),
    "SG": dict(cur="SGD", country="SG", session=("01:00", "09:00"), instruments=[
        ("D05", "XSES", "43.00", "0.01"), ("O39", "XSES", "16.20", "0.01"), ("U11", "XSES", "35.00", "0.01"),
        ("Z74", "XSES", "3.500", "0.005"), ("ES3", "XSES", "3.800", "0.001")],
        restricted="RSTS", etf="ES3", qty=(100, 900)),
    "IN": dict(cur="INR", country="IN", session=("03:45", "10:00"), instruments=[
        ("RELIANCE", "XNSE", "1300.00", "0.05"), ("TCS", "XNSE", "4100.00", "0.05"), ("INFY", "XNSE", "1900.00", "0.05"),
        ("HDFCBANK", "XBOM", "1750.00", "0.05")],
        restricted="RSTN", etf=None, qty=(1, 200)),
    "CA": dict(cur="CAD", country="CA", session=("14:30", "21:00"), instruments=[
        ("RY", "XTSE", "175.00", "0.01"), ("TD", "XTSE", "80.00", "0.01"), ("SHOP", "XTSE", "150.00", "0.01"),
        ("VNTR", "XTSX", "0.850", "0.005"), ("XIU", "XTSE", "38.00", "0.01")],
        restricted="RSTC", etf="XIU", qty=(10, 500)),
    "AU": dict(cur="AUD", country="AU", session=("00:00", "06:00"), instruments=[
        ("BHP", "XASX", "42.00", "0.01"), ("CBA", "XASX", "155.00", "0.01"), ("CSL", "XASX", "290.00", "0.01"),
        ("STW", "XASX", "78.00", "0.01")],
        restricted="RSTA", etf="STW", qty=(10, 500)),
}

# ISINs of some instruments (the field is optional in the contract).
ISIN = {
    "AAPL": "US0378331005", "MSFT": "US5949181045", "SAP": "DE0007164600", "SIE": "DE0007236101",
    "AIR": "NL0000235190", "MC": "FR0000121014", "ASML": "NL0010273215", "ENI": "IT0003132476",
    "SAN": "ES0113900J37", "7203": "JP3633400001", "RELIANCE": "INE002A01018",
    "SIE": "DE0007236101", "EXS1": "DE0005933931", "VOD": "GB00BH4HKS39", "HSBA": "GB0005405286",
    "BP": "GB0007980591", "AZN": "GB0009895292", "ISF": "IE0005042456",
}

# Market data beyond the reference price: the US prior close and bid, a Rule
# 201 drop for XOM and the feed's SSR flag for TINY, the JP base prices.
PRIOR_CLOSE_US = {"XOM": "130.00"}
SSR_FLAG = {"TINY"}

ORDERS_PER_REGIME = {"US": 1700, "EU": 1700, "UK": 900, "JP": 1000, "SG": 800, "IN": 800, "CA": 700, "AU": 600}


def ts_text(t):
    """RFC 3339 with microseconds, UTC."""
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def at(hhmm):
    h, m = hhmm.split(":")
    return DAY + timedelta(hours=int(h), minutes=int(m))


def quantize(x, tick):
    tick = Decimal(tick)
    return (x / tick).to_integral_value(rounding=ROUND_HALF_EVEN) * tick


class Flow:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.events = []          # (ts, sequence, dict)
        self.seq = 0
        self.next_id = 0
        self.exec_id = 0

    def emit(self, t, obj):
        self.seq += 1
        self.events.append((t, self.seq, obj))

    def new_id(self, regime):
        self.next_id += 1
        return f"{regime}-{self.next_id:06d}"


class Regime:
    """One regime's session: its instruments, people, live orders and breaches."""

    def __init__(self, flow, name, spec):
        self.f, self.rng, self.name, self.spec = flow, flow.rng, name, spec
        self.cur = spec["cur"]
        self.instruments = {s: dict(venue=v, ref=Decimal(r), tick=t) for s, v, r, t in spec["instruments"]}
        n = name
        self.traders = [f"T-{n}-{i}" for i in range(1, 5)]
        self.accounts = [f"A-{n}-{i}" for i in range(1, 9)]
        self.clients = [f"C-{n}-{i}" for i in range(1, 9)]
        self.desks = [f"D-{n}-1", f"D-{n}-2"]
        self.algos = [f"ALG-{n}-VWAP-1", f"ALG-{n}-TWAP-1"] if n != "IN" else ["ALG-IN-REG-1", "ALG-IN-REG-2"]
        self.live = {}            # id -> order fields (orders expected to be accepted)
        self.start, self.end = at(spec["session"][0]), at(spec["session"][1])

    # ---- market data

    def market_fields(self, sym, first=False):
        ins = self.instruments[sym]
        m = {"event": "market", "symbol": sym, "venue": ins["venue"], "reference": str(ins["ref"])}
        if self.name == "US":
            m["nbb"] = str(ins["ref"] - Decimal(ins["tick"]))
            if first:
                m["prior_close"] = PRIOR_CLOSE_US.get(sym, str(ins["ref"]))
                if sym in SSR_FLAG:
                    m["ssr"] = True
        if self.name == "JP" and first:
            m["prior_close"] = str(ins["ref"])
            if sym == "9990":
                m["listed_shares"] = "1000000"
        if first and sym == self.spec["etf"]:
            m["instrument_class"] = "etf"
        return m

    def initial_market(self, t):
        for sym in self.instruments:
            self.f.emit(t, dict(self.market_fields(sym, first=True), ts=ts_text(t)))
        # The restricted instrument has market data too; the firm just may not trade it.
        r = self.spec["restricted"]
        venue = next(iter(self.instruments.values()))["venue"]
        ref = "100" if self.cur == "JPY" else "10.00"
        self.f.emit(t, {"event": "market", "symbol": r, "venue": venue, "reference": ref,
                        **({"prior_close": ref} if self.name in ("US", "JP") else {}),
                        **({"listed_shares": "50000000"} if self.name == "JP" else {}),
                        **({"nbb": "9.99"} if self.name == "US" else {}), "ts": ts_text(t)})

    def market_update(self, t):
        sym = self.rng.choice(list(self.instruments))
        ins = self.instruments[sym]
        move = Decimal(self.rng.randint(-20, 20)) / Decimal(10000)     # ±0.2 %
        ins["ref"] = max(Decimal(ins["tick"]), quantize(ins["ref"] * (1 + move), ins["tick"]))
        self.f.emit(t, dict(self.market_fields(sym), ts=ts_text(t)))

    # ---- orders

    def base_order(self, t, sym=None, trader=None):
        sym = sym or self.rng.choice([s for s in self.instruments if s != self.spec["etf"]])
        ins = self.instruments[sym]
        lo, hi = self.spec["qty"]
        qty = self.rng.randint(lo, hi)
        if self.name == "JP" and sym == "6861":
            qty = self.rng.randint(1, 50)
        if self.name in ("UK", "JP", "SG") and qty >= 100:
            qty -= qty % 100
        side = self.rng.choice(["buy", "buy", "sell", "sell", "short"]) if self.name in ("US", "CA") else \
            self.rng.choice(["buy", "sell"])
        o = {"event": "new", "id": self.f.new_id(self.name), "ts": ts_text(t),
             "account": self.rng.choice(self.accounts), "client": self.rng.choice(self.clients),
             "client_country": self.spec["country"], "trader": trader or self.rng.choice(self.traders),
             "desk": self.rng.choice(self.desks)}
        if self.rng.random() < 0.35:
            o["algo"] = self.rng.choice(self.algos)
        o.update({"symbol": sym})
        if sym in ISIN:
            o["isin"] = ISIN[sym]
        o.update({"venue": ins["venue"], "side": side, "qty": str(qty)})
        market = self.rng.random() < 0.08 and not (self.name == "IN" and "algo" in o)
        if market:
            if side == "short" and self.name == "US" and sym in ("XOM", "TINY"):
                o["side"] = "sell"
        else:
            spread = Decimal(self.rng.randint(-100, 100)) / Decimal(10000)   # ±1 %
            o["price"] = str(quantize(ins["ref"] * (1 + spread), ins["tick"]))
            if o["side"] == "short" and self.name == "US" and sym in ("XOM", "TINY"):
                # Rule 201 in force: a compliant short is priced above the bid.
                o["price"] = str(ins["ref"])
        o["ord_type"] = "market" if market else "limit"
        o["currency"] = self.cur
        if o["side"] == "short":
            o["locate_id"] = f"L-{self.rng.randint(1000, 9999)}"
        if self.rng.random() < 0.3:
            o["tif"] = "day"
        return o

    def breach(self, t):
        """An order that breaks one rule on purpose; returns it (not kept live)."""
        o = self.base_order(t)
        kind = self.rng.choice(self.breach_kinds())
        ins = self.instruments[o["symbol"]]
        ref = ins["ref"]
        if kind == "price":
            o["ord_type"] = "limit"
            o["price"] = str(quantize(ref * Decimal("1.5"), ins["tick"]))
        elif kind == "value":
            o["ord_type"] = "limit"
            o["price"] = str(ref)
            limit = {"US": 10_000_000, "EU": 5_000_000, "UK": 4_000_000, "JP": 1_000_000_000, "SG": 5_000_000,
                     "IN": 100_000_000, "CA": 5_000_000, "AU": 5_000_000}[self.name]
            o["qty"] = str(int(Decimal(limit) / ref) + self.rng.randint(1, 50))
            if self.name == "JP":
                o["symbol"], o["venue"] = "7203", "XTKS"
                o["price"] = str(self.instruments["7203"]["ref"])
                o["qty"] = str(int(Decimal(limit) / self.instruments["7203"]["ref"]) + 100)
                o.pop("isin", None)
        elif kind == "qty":
            cheap = {"US": "ACME", "EU": "SAN", "UK": "VOD", "SG": "Z74"}[self.name]
            o["symbol"], o["venue"] = cheap, self.instruments[cheap]["venue"]
            o.pop("isin", None)
            o["ord_type"], o["price"] = "limit", str(self.instruments[cheap]["ref"])
            o["qty"] = str({"US": 600_000, "EU": 300_000, "UK": 300_000, "SG": 600_000}[self.name])
        elif kind == "restricted":
            o["symbol"] = self.spec["restricted"]
            o.pop("isin", None)
            o["venue"] = next(iter(self.instruments.values()))["venue"]
            o["ord_type"], o["price"] = "limit", "100" if self.cur == "JPY" else "10.00"
            o["qty"] = "100"
            if o["side"] == "short":
                o["side"] = "sell"
                o.pop("locate_id", None)
        elif kind == "kyc":
            o["client"] = self.rng.choice(["C-KYC", "C-BLOCKED-1", "C-EXPIRED-1"])
        elif kind == "unknown_trader":
            o["trader"] = "X-" + str(self.rng.randint(1, 9))
        elif kind == "currency":
            o["currency"] = "USD" if self.cur != "USD" else "EUR"
            o["ord_type"] = "market"
            o.pop("price", None)
            if o["side"] == "short":
                o["side"] = "sell"
                o.pop("locate_id", None)
        elif kind == "unknown_venue":
            o["venue"], o["currency"] = "XHKG", "HKD"
        elif kind == "no_price":
            o["ord_type"] = "limit"
            o.pop("price", None)
        elif kind == "no_reference":
            o["symbol"] = f"NEWCO-{self.name}"
            o.pop("isin", None)
        elif kind == "bad_qty":
            o["qty"] = "0"
        elif kind == "not_permitted":
            etf = self.spec["etf"]
            o["symbol"], o["venue"] = etf, self.instruments[etf]["venue"]
            o.pop("isin", None)
            o["price"] = str(self.instruments[etf]["ref"])
            o["ord_type"] = "limit"
        elif kind == "no_locate":
            o["side"] = "short"
            o.pop("locate_id", None)
            if o["symbol"] in ("XOM", "TINY"):
                o["price"] = str(ref)
                o["ord_type"] = "limit"
        elif kind == "ssr":
            o["symbol"], o["venue"] = "XOM", "XNYS"
            o.pop("isin", None)
            o["side"], o["ord_type"] = "short", "limit"
            o["price"] = str(self.instruments["XOM"]["ref"] - Decimal("0.01"))
            o["locate_id"] = "L-201"
        elif kind == "duplicate":
            o["id"] = self.last_us_id or o["id"]
        elif kind == "too_many_shares":
            o["symbol"], o["venue"], o["ord_type"] = "9990", "XTKS", "limit"
            o["price"], o["qty"] = str(self.instruments["9990"]["ref"]), str(self.rng.choice([350_000, 400_000]))
        elif kind == "large_share":
            o["symbol"], o["venue"], o["ord_type"] = "9990", "XTKS", "limit"
            o["price"], o["qty"] = str(self.instruments["9990"]["ref"]), str(self.rng.choice([60_000, 120_000]))
        elif kind == "pilot_qty":
            o["algo"], o["qty"] = "ALG-PILOT-1", "1500"
        elif kind == "algo_market":
            o["algo"], o["ord_type"] = "ALG-IN-2", "market"
            o.pop("price", None)
        return o, kind

    def breach_kinds(self):
        common = ["price", "price", "value", "restricted", "kyc", "unknown_trader", "currency", "unknown_venue",
                  "no_price", "no_reference", "bad_qty"]
        extra = {
            "US": ["qty", "not_permitted", "no_locate", "no_locate", "ssr", "ssr", "duplicate"],
            "EU": ["qty", "not_permitted", "pilot_qty"],
            "UK": ["qty", "not_permitted", "pilot_qty"],
            "JP": ["too_many_shares", "large_share", "large_share"],
            "SG": ["qty", "not_permitted"],
            "IN": ["algo_market", "algo_market"],
            "CA": ["not_permitted", "no_locate", "no_locate"],
            "AU": [],
        }[self.name]
        return common + extra

    # ---- the session

    def run(self, n_orders, breach_rate):
        t = self.start + timedelta(seconds=5)
        span = (self.end - self.start).total_seconds() - 10
        gap = span / (n_orders * 1.45)
        self.last_us_id = None
        orders = 0
        while orders < n_orders and t < self.end:
            t += timedelta(microseconds=self.rng.randint(1, int(2 * gap * 1_000_000)))
            r = self.rng.random()
            if r < 0.03:
                self.market_update(t)
            elif r < 0.12 and self.live:
                self.fill(t)
            elif r < 0.18 and self.live:
                self.cancel(t)
            elif r < 0.25 and self.live:
                self.modify(t)
                orders += 1
            else:
                if self.rng.random() < breach_rate:
                    o, _ = self.breach(t)
                    self.f.emit(t, o)
                else:
                    o = self.base_order(t, sym=self.spec["etf"], trader="T-ETF-1") \
                        if self.spec["etf"] and self.rng.random() < 0.04 else self.base_order(t)
                    self.f.emit(t, o)
                    if not killed(o, t):
                        self.live[o["id"]] = dict(o, filled=Decimal(0))
                    if self.name == "US":
                        self.last_us_id = o["id"]
                orders += 1
        return t

    def fill(self, t):
        oid = self.rng.choice(sorted(self.live))
        o = self.live[oid]
        remaining = Decimal(o["qty"]) - o["filled"]
        q = min(remaining, Decimal(self.rng.randint(1, max(1, int(remaining)))))
        ins = self.instruments[o["symbol"]]
        price = o.get("price", str(ins["ref"]))
        self.f.exec_id += 1
        fl = {"event": "fill", "id": oid, "exec_id": f"E-{self.f.exec_id:06d}", "ts": ts_text(t), "qty": str(q),
              "price": price, "currency": self.cur, "venue": o["venue"],
              "venue_tx_id": f"{o['venue']}{self.f.exec_id:08d}"}
        if "isin" in o:
            fl["isin"] = o["isin"]
        fl["capacity"] = "AOTC"
        if self.name in ("EU", "UK"):
            # What an RTS 22 transaction report needs (samples/firm.json knows
            # these clients and people): the firm acts as agent (AOTC) for the
            # client against the venue.
            fl["isin"] = ISIN[o["symbol"]]
            client, venue = o["client"], o["venue"]
            fl["buyer"], fl["seller"] = (client, venue) if o["side"] == "buy" else (venue, client)
            if "algo" in o:
                # RTS 22 algorithm codes are [A-Z0-9]{1,50}: the firm registers
                # ALG-EU-VWAP-1 as ALGEUVWAP1.
                fl["decision_maker"] = o["algo"].replace("-", "")
            fl["executor"] = o["trader"]
            fl["country_of_branch"] = self.spec["country"]
        self.f.emit(t, fl)
        o["filled"] += q
        if o["filled"] >= Decimal(o["qty"]):
            del self.live[oid]

    def cancel(self, t):
        oid = self.rng.choice(sorted(self.live))
        self.f.emit(t, {"event": "cancel", "id": oid, "ts": ts_text(t)})
        del self.live[oid]

    def modify(self, t):
        oid = self.rng.choice(sorted(self.live))
        o = self.live[oid]
        m = {k: v for k, v in o.items() if k != "filled"}
        m["event"], m["ts"] = "modify", ts_text(t)
        lo, hi = self.spec["qty"]
        q = max(int(o["filled"]) + 1, self.rng.randint(lo, hi))
        if self.name in ("UK", "JP", "SG") and q >= 100:
            q -= q % 100
        m["qty"] = str(max(q, int(o["filled"]) + 1))
        if "price" in m:
            ins = self.instruments[m["symbol"]]
            spread = Decimal(self.rng.randint(-100, 100)) / Decimal(10000)
            m["price"] = str(quantize(ins["ref"] * (1 + spread), ins["tick"]))
            if m["side"] == "short" and self.name == "US" and m["symbol"] in ("XOM", "TINY"):
                m["price"] = str(ins["ref"])
        self.f.emit(t, m)
        self.live[oid] = dict(m, event="new", filled=o["filled"])

    def burst(self, t, n, **fields):
        """n orders in the same second from one trader or algorithm (a throttle test)."""
        for i in range(n):
            o = self.base_order(t + timedelta(microseconds=1000 * i))
            o.update(fields)
            if o["ord_type"] == "market" and self.name == "IN":
                o["ord_type"], o["price"] = "limit", str(self.instruments[o["symbol"]]["ref"])
            self.f.emit(t + timedelta(microseconds=1000 * i), o)


# Kill switches: (scope, key, from, minutes) — on for a few minutes, then off.
KILLS = [("trader", "T-EU-3", "10:00", 10), ("desk", "D-JP-2", "01:30", 5), ("algo", "ALG-US-VWAP-1", "15:00", 3),
         ("client", "C-AU-3", "02:00", 10), ("venue", "XSES", "03:00", 1)]


def killed(o, t):
    """Whether an order at `t` meets a kill switch that is on."""
    return any(o.get(scope) == key and at(start) <= t < at(start) + timedelta(minutes=minutes)
               for scope, key, start, minutes in KILLS)


def control(flow, t, action, scope, key):
    flow.emit(t, {"event": "control", "action": action, "scope": scope, "key": key, "ts": ts_text(t)})


# samples/lists/sod_positions.csv: every US and CA account of the flow holds
# this many shares of every instrument of its regime at the open, so that
# its long sales are covered (Reg SHO 200(g), UMIR 6.2); A-US-9 and A-CA-9
# hold nothing.
SOD_QTY = 1_000_000


def write_sod_positions(path, regimes):
    with open(path, "w") as fh:
        fh.write("account,symbol,qty\n")
        for r in (regimes["US"], regimes["CA"]):
            for a in r.accounts:
                for sym in r.instruments:
                    fh.write(f"{a},{sym},{SOD_QTY}\n")


def extras(flow, rng, regimes):
    us, sg = regimes["US"], regimes["SG"]
    span = (us.end - us.start).total_seconds()
    for _ in range(3):
        t = us.start + timedelta(seconds=rng.randint(60, int(span) - 60))
        sym = rng.choice(["AAPL", "MSFT", "JPM"])
        ins = us.instruments[sym]
        flow.emit(t, {"event": "new", "id": flow.new_id("US"), "ts": ts_text(t), "account": "A-US-9",
                      "client": "C-US-1", "client_country": "US", "trader": "T-US-1", "desk": "D-US-1",
                      "symbol": sym, "venue": ins["venue"], "side": "sell", "qty": str(rng.randint(10, 400)),
                      "price": str(ins["ref"]), "ord_type": "limit", "currency": "USD"})
    # A-SG-9 starts with 200,000 SGD per order (samples/lists/account_limits.csv).
    def sg_order(t, qty):
        flow.emit(t, {"event": "new", "id": flow.new_id("SG"), "ts": ts_text(t), "account": "A-SG-9",
                      "client": "C-SG-1", "client_country": "SG", "trader": "T-SG-9", "desk": "D-SG-1",
                      "symbol": "Z74", "venue": "XSES", "side": "buy", "qty": str(qty), "price": "3.500",
                      "ord_type": "limit", "currency": "SGD"})
    t = at("03:20")
    sg_order(t, 70_000)                       # 245,000 SGD: above the account's 200,000
    t += timedelta(minutes=5)
    flow.emit(t, {"event": "control", "action": "set", "table": "account_limits", "key": "A-SG-9",
                  "values": {"max_order_value": "300000"}, "ts": ts_text(t)})
    sg_order(t + timedelta(minutes=1), 70_000)  # allowed: the limit is now 300,000
    t += timedelta(hours=2)
    flow.emit(t, {"event": "control", "action": "set", "table": "account_limits", "key": "A-SG-10",
                  "values": {"max_order_value": "100000", "daily_credit": "150000"}, "ts": ts_text(t)})
    flow.emit(t + timedelta(minutes=30), {"event": "control", "action": "remove", "table": "account_limits",
                                          "key": "A-SG-9", "ts": ts_text(t + timedelta(minutes=30))})
    sg_order(t + timedelta(minutes=31), 400_000)  # 1,400,000 SGD: the default 5,000,000 applies again


def more_extras(flow, rng, regimes):
    """Long sales in Canada from A-CA-9, which holds nothing (UMIR 6.2), and
    A-AU-9's own aggregate filter (samples/lists/au_account_limits.csv:
    1,000,000 AUD), raised during the day by a `set` control."""
    ca = regimes["CA"]
    span = (ca.end - ca.start).total_seconds()
    for _ in range(3):
        t = ca.start + timedelta(seconds=rng.randint(60, int(span) - 60))
        sym = rng.choice(sorted(s for s in ca.instruments if s != ca.spec["etf"]))
        ins = ca.instruments[sym]
        flow.emit(t, {"event": "new", "id": flow.new_id("CA"), "ts": ts_text(t), "account": "A-CA-9",
                      "client": "C-CA-1", "client_country": "CA", "trader": "T-CA-1", "desk": "D-CA-1",
                      "symbol": sym, "venue": ins["venue"], "side": "sell", "qty": str(rng.randint(10, 400)),
                      "price": str(ins["ref"]), "ord_type": "limit", "currency": "CAD"})

    bhp = regimes["AU"].instruments["BHP"]["ref"]

    def au_order(t, qty):
        flow.emit(t, {"event": "new", "id": flow.new_id("AU"), "ts": ts_text(t), "account": "A-AU-9",
                      "client": "C-AU-1", "client_country": "AU", "trader": "T-AU-1", "desk": "D-AU-1",
                      "symbol": "BHP", "venue": "XASX", "side": "buy", "qty": str(qty), "price": str(bhp),
                      "ord_type": "limit", "currency": "AUD"})
    t = at("01:10")
    au_order(t, 15_000)                        # 630,000 AUD: within the account's 1,000,000
    au_order(t + timedelta(minutes=2), 10_000)  # 1,050,000 AUD today: above it
    t += timedelta(minutes=10)
    flow.emit(t, {"event": "control", "action": "set", "table": "au_account_limits", "key": "A-AU-9",
                  "values": {"aggregate": "2000000"}, "ts": ts_text(t)})
    au_order(t + timedelta(minutes=1), 10_000)  # 1,050,000 AUD today: within the new 2,000,000


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=20261127)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "samples" / "events.jsonl"))
    ap.add_argument("--breach-rate", type=float, default=0.115)
    args = ap.parse_args()

    flow = Flow(args.seed)
    regimes = {n: Regime(flow, n, s) for n, s in REGIMES.items()}
    # Market data for every instrument first.
    for r in regimes.values():
        r.initial_market(DAY - timedelta(minutes=30))
    for n, r in regimes.items():
        r.run(ORDERS_PER_REGIME[n], args.breach_rate)
    # Throttle tests: one burst past each message limit.
    regimes["EU"].burst(at("11:15") + timedelta(seconds=0.2), 205, algo="ALG-EU-VWAP-1")
    regimes["UK"].burst(at("13:40") + timedelta(seconds=0.1), 203, algo="ALG-UK-TWAP-1")
    regimes["IN"].burst(at("06:00") + timedelta(seconds=0.3), 14, algo="ALG-IN-2")
    regimes["IN"].burst(at("07:30") + timedelta(seconds=0.3), 13, trader="T-IN-4")
    regimes["IN"].burst(at("08:10") + timedelta(seconds=0.3), 12, trader="T-IN-2")
    for scope, key, start, minutes in KILLS:
        control(flow, at(start), "kill", scope, key)
        control(flow, at(start) + timedelta(minutes=minutes), "unkill", scope, key)

    # A few fills on EU and UK venues busted 20 minutes later (RTS 22 reports
    # their cancellation, `Cxl`), drawn with their own generator so that the
    # rest of the flow is as before.
    bust_rng = random.Random(args.seed + 1)
    rts22_fills = [(t, obj) for t, _, obj in flow.events if obj.get("event") == "fill" and "buyer" in obj]
    for t, fl in sorted(bust_rng.sample(rts22_fills, 3), key=lambda e: e[1]["exec_id"]):
        bust = t + timedelta(minutes=20)
        flow.emit(bust, {"event": "fill_cancel", "id": fl["id"], "exec_id": fl["exec_id"], "ts": ts_text(bust)})

    # Bound tables (rules/reference.writ), drawn with their own generator so
    # that the rest of the flow is as before: long sales from an account
    # without a start-of-day position (Reg SHO Rule 200(g)), and the limits
    # of A-SG-9 changed during the day by `set` and `remove` controls.
    extras(flow, random.Random(args.seed + 2), regimes)
    more_extras(flow, random.Random(args.seed + 3), regimes)

    flow.events.sort(key=lambda e: (e[0], e[1]))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w") as fh:
        for _, _, obj in flow.events:
            fh.write(json.dumps(obj, separators=(",", ":")) + "\n")
    print(f"wrote {len(flow.events)} events to {out}")
    sod = out.parent / "lists" / "sod_positions.csv"
    sod.parent.mkdir(parents=True, exist_ok=True)
    write_sod_positions(sod, regimes)
    print(f"wrote {sod}")


if __name__ == "__main__":
    main()
