/// A benchmark harness the lead (or `writ-reports-bench`) can call: it makes
/// a deterministic synthetic day of fills and order events, then times the
/// RTS 22 generator (written, validated, on disk) and the CAT encoder.
/// Measure in release builds; times are wall-clock.
import WritValue

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Figures of one benchmark run.
public struct ReportBenchmarkResult: Sendable, CustomStringConvertible {
    /// Fills turned into RTS 22 transactions.
    public var fills: Int
    /// Wall-clock seconds for mapping, writing, validating and writing all RTS 22 files.
    public var rts22Seconds: Double
    /// CPU seconds of the process (all threads) over the same span.
    public var rts22CPUSeconds: Double
    /// Wall-clock seconds of the mapping alone (fills → transactions, checks), measured separately.
    public var mappingSeconds: Double
    /// RTS 22 files written.
    public var rts22Files: Int
    /// Bytes of RTS 22 XML written.
    public var rts22Bytes: Int
    /// CAT events encoded.
    public var catEvents: Int
    /// Wall-clock seconds to encode them and write the file.
    public var catSeconds: Double
    /// CPU seconds over the same span.
    public var catCPUSeconds: Double
    /// Bytes of NDJSON written.
    public var catBytes: Int

    /// RTS 22 transactions per second.
    public var rts22PerSecond: Double { Double(fills) / rts22Seconds }
    /// CAT events per second.
    public var catPerSecond: Double { Double(catEvents) / catSeconds }

    /// A short report of the figures.
    public var description: String {
        func f(_ x: Double, _ digits: Int) -> String {
            var p = 1.0
            for _ in 0..<digits { p *= 10 }
            let v = (x * p).rounded() / p
            return "\(v)"
        }
        return """
            RTS 22: \(fills) fills → \(rts22Files) validated files, \(rts22Bytes / 1_000_000) MB in \(f(rts22Seconds, 2)) s \
            (\(Int(rts22PerSecond)) transactions/s; CPU \(f(rts22CPUSeconds, 2)) s over all threads; \
            the mapping alone \(f(mappingSeconds, 2)) s)
            CAT: \(catEvents) events, \(catBytes / 1_000_000) MB in \(f(catSeconds, 3)) s \
            (\(Int(catPerSecond)) events/s; CPU \(f(catCPUSeconds, 3)) s)
            """
    }
}

/// The benchmark.
public enum ReportBenchmark {
    /// A firm with every identity the generators need.
    public static let firm = FirmConfig(
        lei: "529900WRITFIRM000014", name: "Writ Benchmark Securities", country: "DE",
        cat: CATIdentity(submitterID: "140001", crd: "123456", imid: "WRIT"))

    /// `count` fills on `date`, spread over the trading day, every field set
    /// and valid (half buys, half sales).
    public static func fills(_ count: Int, date: ReportDate) -> [FillRecord] {
        let isins = ["DE0007164600", "FR0000120271", "NL0011272901", "GB0002634946", "US0378331005"]
        let venues = ["XETR", "XPAR", "XAMS", "XLON", "XNAS"]
        let counterparties = ["549300CLIENTAAAAAA31", "969500BROKERBBBBBB38", "5493000CCPCCCCCCCC66"]
        let start = date.startNanoseconds + 8 * 3_600_000_000_000
        let step = max(1, 8 * 3_600_000_000_000 / Int64(max(count, 1)))
        var out: [FillRecord] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            let k = i % 5
            let buy = i % 2 == 0
            let other = counterparties[i % 3]
            out.append(
                FillRecord(
                    orderID: "O-\(i / 2)", execID: "E-\(i)", timestamp: start + Int64(i) * step,
                    quantity: Fixed(100 + (i % 900)),
                    price: Fixed(raw: Int128(10_000_000_000 + (i % 10_000) * 1_000_000)),
                    currency: k == 3 ? "GBP" : (k == 4 ? "USD" : "EUR"), venue: venues[k],
                    venueTransactionID: "V\(i)", isin: isins[k], buyer: buy ? firm.lei : other,
                    seller: buy ? other : firm.lei, capacity: .dealing, decisionMaker: "ALGO\(i % 7)",
                    executor: "SOR1", countryOfBranch: "DE", side: buy ? .buy : (i % 4 == 1 ? .sell : .short),
                    symbol: "SYM\(k)"))
        }
        return out
    }

    /// Order events and decisions that make `events` CAT events: per order a
    /// new order (MENO), its route (MEOR), a fill (MEOT) and, for one order in
    /// four, a cancel of the rest (MEOC).
    public static func catInputs(events: Int, date: ReportDate) -> ReportInputs {
        var inputs = ReportInputs()
        let start = date.startNanoseconds + 14 * 3_600_000_000_000
        var made = 0
        var i = 0
        while made < events {
            let ts = start + Int64(i) * 1_000_000
            let id = "O-\(i)"
            inputs.orders.append(
                OrderRecord(
                    event: .new, id: id, timestamp: ts, account: "ACC-\(i % 50)", client: "C-\(i % 20)",
                    trader: "T-1", desk: "EQ-US", symbol: "SYM\(i % 100)", venue: "XNAS",
                    side: i % 2 == 0 ? .buy : .sell,
                    quantity: Fixed(1000), price: Fixed(raw: 12_345_000_000), orderType: .limit, currency: "USD",
                    timeInForce: "day"))
            inputs.decisions.append(DecisionRecord(orderID: id, timestamp: ts + 1000, verdict: .allow))
            inputs.fills.append(
                FillRecord(
                    orderID: id, execID: "E-\(i)", timestamp: ts + 500_000, quantity: Fixed(400),
                    price: Fixed(raw: 12_340_000_000), currency: "USD", venue: "XNAS", capacity: .anyOther))
            made += 3
            if i % 4 == 0 && made < events {
                inputs.orders.append(OrderRecord(event: .cancel, id: id, timestamp: ts + 900_000))
                inputs.decisions.append(DecisionRecord(orderID: id, timestamp: ts + 900_000, verdict: .allow))
                made += 1
            }
            i += 1
        }
        return inputs
    }

    /// Runs both benchmarks: `fills` fills to RTS 22 files in `folder`, and
    /// `catEvents` CAT events to one NDJSON file there (files removed afterwards).
    public static func run(
        fills count: Int, catEvents: Int, folder: String, schemas: ReportSchemas, perFile: Int = 100_000
    ) throws(ReportError) -> ReportBenchmarkResult {
        let date = ReportDate(year: 2026, month: 11, day: 27)!
        var benchFirm = firm
        benchFirm.maxTransactionsPerFile = perFile
        let fills = fills(count, date: date)
        let generator = RTS22Generator(firm: benchFirm, regime: .eu(authority: "DE"), schemas: schemas)
        let m0 = now()
        _ = RTS22Mapper(firm: benchFirm).map(fills)
        let mapping = now() - m0
        let t0 = now()
        let c0 = cpu()
        let report = try generator.generate(fills: fills, date: date, to: folder)
        let rts22 = now() - t0
        let rts22CPU = cpu() - c0
        for f in report.files { unlink(f.path) }
        let inputs = catInputs(events: catEvents, date: date)
        let t1 = now()
        let c1 = cpu()
        let cat = try CATGenerator(firm: benchFirm).generate(inputs, date: date, to: folder)
        let catTime = now() - t1
        let catCPU = cpu() - c1
        for f in cat.files { unlink(f.path) }
        return ReportBenchmarkResult(
            fills: count, rts22Seconds: rts22, rts22CPUSeconds: rts22CPU, mappingSeconds: mapping,
            rts22Files: report.files.count,
            rts22Bytes: report.files.reduce(0) { $0 + $1.bytes }, catEvents: cat.records, catSeconds: catTime,
            catCPUSeconds: catCPU, catBytes: cat.files.reduce(0) { $0 + $1.bytes })
    }

    private static func now() -> Double { clock(CLOCK_MONOTONIC) }

    private static func cpu() -> Double { clock(CLOCK_PROCESS_CPUTIME_ID) }

    private static func clock(_ id: clockid_t) -> Double {
        var t = timespec()
        clock_gettime(id, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
