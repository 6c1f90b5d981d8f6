/// Native rule code (docs/native.md): the interface both sides compile
/// against, the `NATV` section, when an engine declines to run it (and
/// says why), that a tampered object is refused with the bundle, and that
/// native and interpreted engines decide alike. (The differential test runs
/// native engines against the oracle on more than 100,000 events.)

import Foundation
import Testing
import WritCrypto
import WritDriver
import WritEngine
import WritIR

@Suite(.serialized) struct NativeCodeTests {
    /// The rulebooks' IR and its native section, compiled once for the suite.
    static let built: Result<(IRProgram, NativeSection), any Error> = Result {
        let ir = try EnginePrograms.rules()
        return (ir, try NativeBuild.section(ir))
    }

    static func program(_ ir: IRProgram, _ native: NativeSection) -> EngineProgram {
        EngineProgram(ir: ir, native: native.encode())
    }

    /// The rules in `text` (with the rulebook's schema), as two engines:
    /// running native code (first) and interpreted.
    static func nativeAndInterpreted(_ text: String, _ config: EngineConfiguration) throws -> [Engine] {
        let ir = try EnginePrograms.fixture(text)
        let native = try NativeBuild.section(ir)
        return [
            Engine(program: program(ir, native), configuration: config),
            Engine(program: EngineProgram(ir: ir), configuration: config),
        ]
    }

    /// A seeded xorshift generator, for streams that are the same on every run.
    struct Xorshift {
        var seed: UInt64
        init(_ seed: UInt64) { self.seed = seed }
        /// A number in 0..<n.
        mutating func next(_ n: Int) -> Int {
            seed ^= seed << 13
            seed ^= seed >> 7
            seed ^= seed << 17
            return Int(seed % UInt64(n))
        }
    }

    @Test func theGeneratedCodeStartsWithTheLoadersHeader() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let header = try String(
            contentsOf: root.appendingPathComponent("Sources/CWritNative/include/writ_native.h"), encoding: .utf8)
        #expect(header == NativeABI.header)
        #expect(header.contains("#define WRIT_NATIVE_ABI \(NativeABI.version)\n"))
        #expect(NativeEmitter.emit(try EnginePrograms.fixture("")).hasPrefix(header))
    }

    @Test func theSectionRoundTripsAndItsFaultsAreNamed() throws {
        let s = NativeSection(
            target: "x86_64-unknown-linux-gnu", abi: 3, compiler: "clang 21", id: Array(0..<32), object: [1, 2, 3, 0xFF])
        let bytes = s.encode()
        #expect(try NativeSection.decode(bytes).get() == s)
        #expect(throws: NativeSectionError.truncated) { try NativeSection.decode(Array(bytes.dropLast())).get() }
        #expect(throws: NativeSectionError.truncated) { try NativeSection.decode(Array(bytes.prefix(40))).get() }
        #expect(throws: NativeSectionError.trailingBytes) { try NativeSection.decode(bytes + [0]).get() }
        var other = bytes
        other[0] = 9
        #expect(throws: NativeSectionError.layout(9)) { try NativeSection.decode(other).get() }
        #expect(NativeSectionError.layout(9).description.contains("layout version 9; this writ reads version 2"))
    }

    @Test func nativeCodeRunsWhenItFitsThisMachine() throws {
        let (ir, native) = try Self.built.get()
        #expect(native.target == NativeSection.hostTarget)
        #expect(Self.program(ir, native).executionMode == .native)
        #expect(EngineProgram(ir: ir).executionMode == .interpreter("the bundle has no native code"))
    }

    @Test func codeForAnotherPlatformOrInterfaceIsNotRun() throws {
        let (ir, native) = try Self.built.get()
        var arm = native
        arm.target = "aarch64-unknown-linux-gnu"
        #expect(
            Self.program(ir, arm).executionMode
                == .interpreter("the native code is for aarch64-unknown-linux-gnu, this machine is \(NativeSection.hostTarget)"))
        var old = native
        old.abi = UInt32(NativeABI.version - 1)
        #expect(
            Self.program(ir, old).executionMode
                == .interpreter(
                    "the native code has interface version \(NativeABI.version - 1); this writ runs version \(NativeABI.version)"))
    }

    @Test func nativeCodeRunsOnlyFromASignedBundle() throws {
        let (ir, native) = try Self.built.get()
        let unsigned = try EngineProgram(
            bundle: BuildRun.bundle(ir, signingKey: nil, native: native), trust: [], allowUnsigned: true)
        #expect(unsigned.executionMode == .interpreter("the bundle is unsigned, and native code runs only from a signed bundle"))
    }

    @Test func anObjectThatDoesNotLoadIsNotRun() throws {
        let (ir, native) = try Self.built.get()
        var garbage = native
        garbage.object = Array(repeating: 0x90, count: 4096)
        guard case .interpreter(let why) = Self.program(ir, garbage).executionMode else {
            Issue.record("a garbage object was taken for native code")
            return
        }
        #expect(why.hasPrefix("dlopen failed:"), "\(why)")
    }

    /// An object that is not the one its section names (its identity
    /// differs) is not run.
    @Test func codeOfAnotherProgramIsNotRun() throws {
        let (ir, native) = try Self.built.get()
        var swapped = native
        swapped.id[0] ^= 0xFF
        #expect(
            Self.program(ir, swapped).executionMode
                == .interpreter("the native code loaded is not the bundle's (its identity differs)"))
    }

    /// dlopen knows an object it has loaded by its path name: while one
    /// program's code is loaded, another program's (or a garbage object)
    /// must still be read from its own bytes — the memory file of a loaded
    /// object stays open, so its /proc/self/fd path is never reused.
    @Test func programsLoadedTogetherRunTheirOwnCode() throws {
        let (ir, native) = try Self.built.get()
        let rules = Self.program(ir, native)
        #expect(rules.executionMode == .native)
        var garbage = native
        garbage.object = Array(repeating: 0x90, count: 4096)
        #expect(Self.program(ir, garbage).executionMode != .native)
        let fixture = try EnginePrograms.fixture(MemoSlotTests.program)
        let fixtureNative = try NativeBuild.section(fixture)
        for _ in 0..<3 {
            // Loaded and unloaded again while the rules' code stays loaded.
            let program = EngineProgram(ir: fixture, native: fixtureNative.encode())
            #expect(program.executionMode == .native)
            let native = Engine(program: program)
            let interpreted = Engine(program: EngineProgram(ir: fixture))
            for line in MemoSlotTests.lines { #expect(native.processLine(line) == interpreted.processLine(line), "\(line)") }
        }
        let engine = Engine(program: rules)
        #expect(engine.processLine(Lines.order("Z-1")) == Engine(program: EngineProgram(ir: ir)).processLine(Lines.order("Z-1")))
    }

    @Test func aChangedByteOfTheNativeCodeRefusesTheBundle() throws {
        let (ir, native) = try Self.built.get()
        let key = try Ed25519PrivateKey.generate()
        var bundle = BuildRun.bundle(ir, signingKey: key, native: native)
        #expect(throws: Never.self) {
            let p = try EngineProgram(bundle: bundle, trust: [key.publicKey], allowUnsigned: false)
            #expect(p.executionMode == .native)
        }
        // A byte in the middle of the object (code, not padding).
        let object = try #require(bundle.indices.first { bundle[$0...].starts(with: native.object.prefix(64)) })
        bundle[object + native.object.count / 2] ^= 0x01
        #expect(throws: EngineLoadError.self) {
            _ = try EngineProgram(bundle: bundle, trust: [key.publicKey], allowUnsigned: false)
        }
        #expect(throws: EngineLoadError.self) {
            _ = try EngineProgram(bundle: bundle, trust: [], allowUnsigned: true)
        }
    }

    /// Native code reads bound lists in place: binding one again changes
    /// what it finds, as it does for the interpreter.
    @Test func aListBoundAgainIsReadAgain() throws {
        let (ir, native) = try Self.built.get()
        let engines = [Engine(program: Self.program(ir, native)), Engine(program: EngineProgram(ir: ir))]
        var lines: [[String?]] = [[], []]
        for (n, e) in engines.enumerated() {
            e.bind("kyc_blocked", symbols: [])
            _ = e.processLine(Lines.market())
            for (round, restricted) in [["SAP"], [], ["BMW", "SAP", "VOW3"], ["BMW"]].enumerated() {
                e.bind("restricted_symbols", symbols: restricted)
                lines[n].append(e.processLine(Lines.order("R-\(round)")))
            }
        }
        #expect(lines[0] == lines[1])
        let restrictedFired = lines[0].map { $0?.contains("restricted") ?? false }
        #expect(restrictedFired == [true, false, true, false], "\(lines[0])")
    }

    @Test func nativeAndInterpretedEnginesDecideAlike() throws {
        let (ir, native) = try Self.built.get()
        let config = EngineConfiguration(
            keysPerSlot: 4096, liveOrders: 4096, idsPerDay: 8192, marketRecords: 1024, killSwitches: 256,
            runtimeSymbols: 65_536)
        let engines = [Engine(program: Self.program(ir, native), configuration: config), Engine(program: EngineProgram(ir: ir), configuration: config)]
        #expect(engines[0].program.executionMode == .native)
        for e in engines {
            e.bind("restricted_symbols", symbols: ["BAD"])
            e.bind("kyc_blocked", symbols: ["C-9"])
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let events = try String(contentsOf: root.appendingPathComponent("samples/events.jsonl"), encoding: .utf8)
        var compared = 0
        for line in events.split(separator: "\n").prefix(4_000) {
            let a = engines[0].processLine(String(line))
            let b = engines[1].processLine(String(line))
            #expect(a == b, "\(line)")
            if a != b { return }
            if a != nil { compared += 1 }
        }
        #expect(compared > 3_000)
        // Explain runs on the interpreter either way, and says the same.
        let order = Lines.order("X-1", qty: "100000000")
        #expect(engines[0].explain(line: order).text == engines[1].explain(line: order).text)
    }

    /// State reads native code does in place (docs/native.md): one rule per
    /// read, each comparing what it reads with the order's own quantity or
    /// price, so that a wrong value changes a decision. Tables of 6 keys for
    /// 12 traders and accounts (full, keys absent: the engine evicts or fails
    /// closed), windows of 1–10 s over a stream crossing midnight, amounts
    /// in three currencies, int, decimal and money sums, open sums, fills, modifies,
    /// cancels, kill switches and latch resets.
    static let stateRules = """
        import "schema.writ"
        jurisdiction N "native state reads" {
          applies when true
          rule burst alert "burst" when rate(order.trader, 1s) > 2
          rule busy alert "busy" when decimal(rate(order.account, 10s)) * 10 > order.qty
          rule qty_sum alert "qty sum" when order.side == buy && window_sum(order.qty, order.account, 2s) > order.qty
          rule value_sum alert "value sum" when window_sum(order.qty * order.price, order.trader, 3s) > order.price * 30
          rule count_sum alert "count sum" when window_sum(int(order.qty), order.symbol, 1s) > 80
          rule long alert "long" when position(order.account, order.symbol) > order.qty
          rule fills alert "fills" when executions(order.trader, 5s) >= 2
          rule no_fills alert "no fills" when executions(order.desk, 1s) == 0
          rule ratio alert "ratio" when otr(order.account, 5s) * 10 > order.qty
          rule seen alert "seen" when order.event == new && duplicate(order.id)
          rule stuck alert "stuck" when latch(rate(order.trader, 1s) > 3, order.trader)
          rule stuck_day alert "stuck today" when latch(executions(order.account, 3s) >= 2, order.account, end_of_day)
          rule off reject "killed" cite "test" when killed(trader, order.trader)
          rule open_value alert "open value" when open_sum(order.qty * order.price, order.symbol) > order.price * 300
          rule open_qty alert "open quantity" when open_sum(order.qty, order.account) > order.qty * 8
          rule thirds alert "two thirds" when otr(order.account, 1h) * 3 > 2 && otr(order.account, 1h) < 1
        }
        """

    /// A stream of `count` events from a fixed seed, from 23:58 on one day into the next.
    static func stateStream(_ count: Int) -> [String] {
        var random = Xorshift(0x9E37_79B9_7F4A_7C15)
        func next(_ n: Int) -> Int { random.next(n) }
        var ns: Int64 = (23 * 3600 + 58 * 60) * 1_000_000_000
        func ts() -> String {
            let day = ns / 86_400_000_000_000
            let t = ns % 86_400_000_000_000
            let s = t / 1_000_000_000
            let frac = String(t % 1_000_000_000)
            return String(format: "2026-11-%02d", 27 + Int(day))
                + String(format: "T%02d:%02d:%02d.", Int(s / 3600), Int(s / 60 % 60), Int(s % 60))
                + String(repeating: "0", count: 9 - frac.count) + frac + "Z"
        }
        let currencies = ["EUR", "USD", "JPY"]
        let symbols = ["SAP", "BMW", "VOW3"]
        var ids: [String] = []
        var live: [String] = []
        var lines: [String] = []
        for n in 0..<count {
            ns += Int64(next(200)) * 1_000_000 + Int64(next(1000))
            let roll = next(100)
            if roll < 20, let id = live.isEmpty ? nil : live[next(live.count)] {
                lines.append(
                    #"{"event":"fill","id":"\#(id)","exec_id":"E-\#(n)","ts":"\#(ts())","qty":"\#(1 + next(40))","price":"123","currency":"EUR","venue":"XETR"}"#
                )
            } else if roll < 21 {
                let action = ["kill", "unkill"][next(2)]
                lines.append(
                    #"{"event":"control","action":"\#(action)","scope":"trader","key":"T-\#(next(8))","ts":"\#(ts())"}"#)
            } else if roll < 22 {
                lines.append(
                    #"{"event":"control","action":"reset","latch":"N.stuck","key":"T-\#(next(8))","ts":"\#(ts())"}"#)
            } else if roll >= 30, roll < 34 || (live.count > 16 && roll < 55), !live.isEmpty {
                // Cancels keep about 16 orders live, so that open sums stay near the thresholds.
                lines.append(#"{"event":"cancel","id":"\#(live.remove(at: next(live.count)))","ts":"\#(ts())"}"#)
            } else {
                let modify = roll < 30 && !live.isEmpty
                let id = modify ? live[next(live.count)] : "O-\(next(20) == 0 && !ids.isEmpty ? next(n) : n)"
                if !modify {
                    ids.append(id)
                    live.append(id)
                }
                lines.append(
                    #"{"event":"\#(modify ? "modify" : "new")","id":"\#(id)","ts":"\#(ts())","account":"A-\#(next(6))","client":"C-1","client_country":"DE","trader":"T-\#(next(8))","desk":"D-\#(next(30))","symbol":"\#(symbols[next(2)])","venue":"XETR","side":"\#(["buy", "sell"][next(2)])","qty":"\#(1 + next(60))","ord_type":"limit","currency":"\#(currencies[next(3)])","price":"\#(10 + next(90)).\#(next(100))"}"#
                )
            }
        }
        return lines
    }

    /// Native state reads decide as the interpreter's, wherever the sample
    /// flow does not go: full tables, rolled windows, money in several
    /// currencies, int overflow-free sums, the latch and duplicate days.
    @Test func stateReadsInPlaceDecideAsTheEngine() throws {
        let engines = try Self.nativeAndInterpreted(
            Self.stateRules,
            EngineConfiguration(
                keysPerSlot: 10, liveOrders: 4096, idsPerDay: 4096, marketRecords: 64, killSwitches: 64,
                runtimeSymbols: 65_536))
        #expect(engines[0].program.executionMode == .native)
        // Two accepted orders and three fills: 2 ÷ 3 reads 0.66666667 (rounded half to even), so × 3 > 2.
        let fill = { (n: Int) in
            #"{"event":"fill","id":"X-1","exec_id":"X-E\#(n)","ts":"2026-11-27T23:00:0\#(n)Z","qty":"1","price":"12","currency":"EUR","venue":"XETR"}"#
        }
        let xOrder = { (id: String, ts: String) in
            #"{"event":"new","id":"\#(id)","ts":"2026-11-27T23:00:\#(ts)Z","account":"A-X","client":"C-1","client_country":"DE","trader":"T-X","desk":"EQ-EU","symbol":"SAP","venue":"XETR","side":"buy","qty":"50","ord_type":"limit","currency":"EUR","price":"12"}"#
        }
        let thirds = [xOrder("X-1", "00"), xOrder("X-2", "01"), fill(2), fill(3), fill(4), xOrder("X-3", "05")].map { line in
            engines.map { $0.processLine(line) }
        }
        #expect(thirds.allSatisfy { $0[0] == $0[1] })
        #expect(thirds.last?[0]?.contains(#""N.thirds""#) == true, "\(thirds)")
        var fired: [String: Int] = [:]
        var full = 0
        for (n, line) in Self.stateStream(6_000).enumerated() {
            // Explain (a dry run: `rate` counts the order itself) reads the same state.
            if n % 50 == 0 && line.contains(#""event":"new""#) {
                #expect(engines[0].explain(line: line).text == engines[1].explain(line: line).text, "\(line)")
            }
            let a = engines[0].processLine(line)
            let b = engines[1].processLine(line)
            #expect(a == b, "\(line)")
            if a != b { return }
            guard let a else { continue }
            if a.contains("state table full") { full += 1 }
            for name in ["burst", "busy", "qty_sum", "value_sum", "count_sum", "long", "fills", "ratio", "seen", "stuck", "stuck_day", "off", "thirds", "open_value", "open_qty", "no_fills"]
            where a.contains("\"N.\(name)\"") {
                fired[name, default: 0] += 1
            }
        }
        // Every read decided both ways, and tables were full for some keys.
        for name in ["burst", "busy", "qty_sum", "value_sum", "count_sum", "long", "fills", "ratio", "seen", "stuck", "stuck_day", "off", "open_value", "open_qty", "no_fills"] {
            #expect(fired[name, default: 0] >= 10, "\(name): \(fired)")
        }
        #expect(full > 0)
    }

    /// Text tests and composite keys native code does in place (docs/native.md):
    /// texts of the bundle and run-time texts, inline and too long for an
    /// entry's inline bytes (the engine reads those), empty ones, and
    /// composite keys of two and three parts, some found lately and some not,
    /// in a symbol table small enough to free and reuse ids.
    static let textRules = """
        import "schema.writ"
        jurisdiction T "native texts and composite keys" {
          applies when true
          rule prefix alert "prefix" when order.trader.startsWith("T-1")
          rule own_prefix alert "own prefix" when order.desk.startsWith(order.trader)
          rule suffix alert "suffix" when order.desk.endsWith("-DESK-WITH-A-NAME-LONGER-THAN-INLINE-9")
          rule own_suffix alert "own suffix" when order.account.endsWith(order.client)
          rule inside alert "inside" when order.desk.contains(order.symbol)
          rule empty alert "empty" when order.client.contains("") && order.client.startsWith(order.symbol)
          rule pair alert "pair" when rate((order.trader, order.venue), 1s) > 2
          rule pair_sum alert "pair sum" when window_sum(order.qty, (order.account, order.symbol), 2s) > order.qty * 3
          rule triple alert "triple" when rate((order.trader, order.venue, order.symbol), 1s) > 1
          rule pair_open alert "pair open" when open_sum(order.qty, (order.desk, order.trader)) > order.qty * 4
          rule churn alert "churn" when window_sum(order.qty, (order.account, order.venue), 1h) > order.qty * 2
        }
        """

    @Test func textTestsAndCompositeKeysDecideAsTheEngine() throws {
        let engines = try Self.nativeAndInterpreted(
            Self.textRules,
            EngineConfiguration(
                keysPerSlot: 64, liveOrders: 64, idsPerDay: 4096, marketRecords: 64, killSwitches: 64, runtimeSymbols: 160))
        #expect(engines[0].program.executionMode == .native)
        var random = Xorshift(0x2545_F491_4F6C_DD1D)
        func next(_ n: Int) -> Int { random.next(n) }
        let long = "-DESK-WITH-A-NAME-LONGER-THAN-INLINE-"
        let desks = ["T-1", "T-12-X", "D" + long + "9", "SAP-D", "E" + long + "8", "T-3" + long + "9", ""]
        let clients = ["C-1", "", "SAP", "1", "C-" + long]
        var live: [String] = []
        var fired: [String: Int] = [:]
        var ms = 0
        for n in 0..<8_000 {
            ms += next(120)
            let ts = String(format: "2026-11-27T10:%02d:%02d.%03dZ", ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
            let line: String
            if next(10) < 3, !live.isEmpty {
                line = #"{"event":"cancel","id":"\#(live.remove(at: next(live.count)))","ts":"\#(ts)"}"#
            } else {
                let id = "O-\(n)"
                live.append(id)
                let client = clients[next(clients.count)]
                // Run-time texts: new ones keep coming, so that ids are freed and
                // reused (a composite key found lately must then be found again).
                let account = next(4) == 0 ? "A-\(next(400))\(client)" : next(3) == 0 ? "N-\(n)" : "A-\(next(5))"
                line =
                    #"{"event":"new","id":"\#(id)","ts":"\#(ts)","account":"\#(account)","client":"\#(client)","client_country":"DE","trader":"T-\#(next(14))","desk":"\#(desks[next(desks.count)])","symbol":"\#(["SAP", "BMW", "1"][next(3)])","venue":"\#(["XETR", "XPAR"][next(2)])","side":"buy","qty":"\#(1 + next(50))","ord_type":"limit","currency":"EUR","price":"12"}"#
            }
            let a = engines[0].processLine(line)
            let b = engines[1].processLine(line)
            #expect(a == b, "\(line)")
            if a != b { return }
            for name in ["prefix", "own_prefix", "suffix", "own_suffix", "inside", "empty", "pair", "pair_sum", "triple", "pair_open", "churn"]
            where a?.contains("\"T.\(name)\"") == true {
                fired[name, default: 0] += 1
            }
        }
        for name in ["prefix", "own_prefix", "suffix", "own_suffix", "inside", "empty", "pair", "pair_sum", "triple", "pair_open", "churn"] {
            #expect(fired[name, default: 0] >= 10, "\(name): \(fired)")
        }
    }

    /// `between` runs in the native code on the zones' transitions, which
    /// the code carries: times of day in zones with and without daylight
    /// saving time, ranges that wrap midnight, across the 2026 changes in
    /// New York and London and before 1970, decide as the engine's.
    static let timeRules = """
        import "schema.writ"
        jurisdiction Z "native time of day" {
          applies when true
          rule ny_open alert "ny open" when between(order.ts, 09:30[America/New_York], 09:45[America/New_York])
          rule ny_day alert "ny day" when between(order.ts, 04:00[America/New_York], 20:00[America/New_York])
          rule london alert "london" when between(order.ts, 07:55[Europe/London], 16:35[Europe/London])
          rule kolkata alert "kolkata" when between(order.ts, 09:15[Asia/Kolkata], 15:30[Asia/Kolkata])
          rule night alert "night" when between(order.ts, 22:00, 02:00)
          rule tokyo_wrap alert "tokyo" when between(order.ts, 23:30[Asia/Tokyo], 00:30[Asia/Tokyo])
        }
        """

    /// Tables for streams whose orders are cancelled at once: few keys and live orders.
    static let fewKeys = EngineConfiguration(
        keysPerSlot: 64, liveOrders: 64, idsPerDay: 65_536, marketRecords: 64, killSwitches: 64, runtimeSymbols: 65_536)

    @Test func timesOfDayDecideAsTheEngine() throws {
        let engines = try Self.nativeAndInterpreted(Self.timeRules, Self.fewKeys)
        try #require(engines[0].program.executionMode == .native)
        var random = Xorshift(0x9E37_79B9_7F4A_7C15)
        let names = ["ny_open", "ny_day", "london", "kolkata", "night", "tokyo_wrap"]
        var fired: [String: Int] = [:]
        var notFired: [String: Int] = [:]
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        // Seconds since the epoch: around 1970, and from 1 March and 20 October 2026 on.
        var n = 0
        for start in [-86_400 * 3, 1_772_323_200, 1_792_454_400] {
            var t = Double(start)
            for _ in 0..<2_500 {
                t += Double(random.next(1_800_000)) / 1000 + 0.001
                let ts = format.string(from: Date(timeIntervalSince1970: t))
                n += 1
                let line = Lines.order("O-\(n)", ts: ts)
                let a = engines[0].processLine(line)
                let b = engines[1].processLine(line)
                #expect(a == b, "\(line)")
                if a != b { return }
                for name in names {
                    if a?.contains("\"Z.\(name)\"") == true { fired[name, default: 0] += 1 } else { notFired[name, default: 0] += 1 }
                }
                // Cancelled at once, so that the live orders stay few.
                _ = engines.map { $0.processLine(#"{"event":"cancel","id":"O-\#(n)","ts":"\#(ts)"}"#) }
            }
        }
        for name in names {
            #expect(fired[name, default: 0] >= 20 && notFired[name, default: 0] >= 20, "\(name): \(fired) \(notFired)")
        }
    }
}
