/// The benchmark's honesty and the order path's prefetching: pre-decoded
/// events moved on by whole days are the shifted lines decoded, pre-decoded
/// evaluation decides as processing the lines does, and the state rows an
/// order's prefetch requests are the rows its updates use.

import Foundation
import Testing
@testable import WritEngine

@Suite struct BenchmarkTailTests {
    /// The first `count` lines of samples/events.jsonl.
    func sampleLines(_ count: Int) throws -> [[UInt8]] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("samples/events.jsonl"), encoding: .utf8)
        return text.split(separator: "\n").prefix(count).map { Array($0.utf8) }
    }

    func engine() throws -> Engine {
        let e = try EnginePrograms.rulesEngine()
        #expect(e.bind("restricted_symbols", symbols: []))
        return e
    }

    @Test func shiftingDecodedTimestampsEqualsDecodingShiftedLines() throws {
        let lines = try sampleLines(400)
        // Two fresh engines: decoding leaves other schemas' presence bytes as
        // the previous line left them, so each decodes from the same start.
        let e = try engine()
        let f = try engine()
        var moved = e.predecode(lines)
        let decoded = f.predecode(lines.map { EngineBenchmark.shiftingDays($0, by: 3) })
        #expect(!moved.timestamps.isEmpty)
        #expect(moved.slots != decoded.slots)
        moved.shiftDays(by: 3)
        #expect(moved.kinds == decoded.kinds)
        #expect(moved.presence == decoded.presence)
        #expect(moved.slots == decoded.slots)
        e.release(moved)
        f.release(decoded)
    }

    @Test func preDecodedEvaluationDecidesAsProcessingTheLines() throws {
        let lines = try sampleLines(3000)
        let byLine = try engine()
        let preDecoded = try engine()
        var events = preDecoded.predecode(lines)
        var d = Decision()
        var out: [UInt8] = []
        var expected: [String] = []
        var actual: [String] = []
        // Two days: the second pass runs on moved timestamps, as the benchmark's passes do.
        for day in 0..<2 {
            if day > 0 { events.shiftDays(by: 1) }
            for (i, line) in lines.enumerated() {
                // A bound table's `set`/`remove` control reads its line: not applied pre-decoded.
                let text = String(decoding: line, as: UTF8.self)
                let tableControl = text.contains(#""action":"set""#) || text.contains(#""action":"remove""#)
                byLine.process(line: EngineBenchmark.shiftingDays(line, by: day), into: &d)
                out.removeAll(keepingCapacity: true)
                if d.hasLine { byLine.render(d, into: &out) }
                expected.append(String(decoding: out, as: UTF8.self))
                preDecoded.evaluate(events, i, into: &d)
                out.removeAll(keepingCapacity: true)
                if d.hasLine { preDecoded.render(d, into: &out) }
                actual.append(String(decoding: out, as: UTF8.self))
                if tableControl {
                    expected.removeLast()
                    actual.removeLast()
                }
            }
        }
        preDecoded.release(events)
        let differing = zip(expected, actual).filter { $0 != $1 }
        #expect(differing.isEmpty, "first difference: \(differing.first.map { "\($0.0) vs \($0.1)" } ?? "")")
        #expect(expected.filter { $0.contains("\"reject\"") }.count > 10)
    }

    @Test func prefetchPlanCoversInputKeysOfEveryKind() throws {
        let e = try engine()
        let plan = StatePrefetch.plan(e.program)
        let kinds = e.program.ir.stateSlots.map(\.kind)
        let modes = Set(plan.map(\.mode))
        #expect(modes == [1, 2, 3, 4])
        #expect(plan.contains { $0.mode == 2 && kinds[Int($0.slot)] == .position })
        #expect(plan.contains { $0.mode == 3 && kinds[Int($0.slot)] == .windowSum })
        #expect(plan.contains { $0.mode == 1 && kinds[Int($0.slot)] == .rate })
        // Slots without a key table are never planned.
        #expect(!plan.contains { [.killed, .duplicate, .windowMax, .windowMin].contains(kinds[Int($0.slot)]) })
    }

    /// The rows the prefetch requests are the ones the order's updates
    /// use: after an accepted order, the key the plan forms for each `rate`
    /// and `window_sum` slot is in that slot's table.
    @Test func prefetchedKeysAreTheKeysTheOrderUpdates() throws {
        let e = try engine()
        _ = e.processLine(Lines.market(ts: "2026-11-27T08:00:00Z"))
        let line = e.processLine(Lines.order("O-1", ts: "2026-11-27T09:00:00Z", algo: "VWAP-2"))
        #expect(line?.contains("\"allow\"") == true)
        let m = e.m.pointee
        var checked = 0
        for p in StatePrefetch.plan(e.program) where p.mode != 4 {
            let kind = e.program.ir.stateSlots[Int(p.slot)].kind
            guard kind == .rate || kind == .windowSum else { continue }
            let f = m.frame.base
            let a = f[Int(p.a)]
            let key: UInt64 =
                switch p.mode {
                case 1: stateKey(a)
                case 2: stateKey(a, f[Int(p.b)])
                default: stateKey(a, p.field < 0 || m.present[Int(p.field)] != 0 ? f[Int(p.b)] : f[Int(p.c)])
                }
            #expect(m.slotTables[Int(p.slot)].find(key) != nil, "slot \(p.slot)")
            checked += 1
        }
        #expect(checked >= 8)
    }

    /// Per candidate list, the plan splits into the rows its jurisdictions'
    /// rules and `applies` read (requested as the order starts) and the
    /// rest (requested when it is settled): together the whole plan, and
    /// every slot a rule of the list reads is in the first part.
    @Test func prefetchPlanSplitsByWhatTheCandidateRulesRead() throws {
        let e = try engine()
        let p = e.program
        let ir = p.ir
        let plan = StatePrefetch.plan(p)
        let (entries, ranges) = StatePrefetch.split(plan, p)
        func key(_ x: StatePrefetch) -> [Int32] { [x.slot, x.mode, x.a, x.b, x.c, x.field] }
        var lists = 0
        var listsReading = 0
        var o = 0
        while o < p.candidateLists.count {
            let n = Int(p.candidateLists[o])
            let jurisdictions = Set((0..<n).map { Int(p.candidateLists[o + 1 + $0]) })
            let early = Array(entries[Int(ranges[4 * o])..<Int(ranges[4 * o] + ranges[4 * o + 1])])
            let late = Array(entries[Int(ranges[4 * o + 2])..<Int(ranges[4 * o + 2] + ranges[4 * o + 3])])
            #expect((early + late).map(key).sorted { $0.lexicographicallyPrecedes($1) }
                == plan.map(key).sorted { $0.lexicographicallyPrecedes($1) }, "list at \(o)")
            // What a candidate's rules read, found in the code itself.
            var read = Set<Int>()
            for r in ir.rules where jurisdictions.contains(r.jurisdiction) {
                guard let b = r.block else { continue }
                for pc in ir.blocks[b].start..<ir.blocks[b].end where [.rate, .wsum, .osum, .pos, .otr, .latch].contains(ir.code[pc].op) {
                    read.insert(Int(ir.code[pc].aux))
                }
            }
            for x in late { #expect(!read.contains(Int(x.slot)), "slot \(x.slot) is read by list \(o)'s rules") }
            listsReading += read.isEmpty ? 0 : 1
            // A reused hash is the entry before it in the same part.
            for part in [early, late] {
                for k in part.indices where part[k].sameKey != 0 {
                    #expect(k > 0 && key(part[k - 1]).dropFirst() == key(part[k]).dropFirst())
                }
            }
            lists += 1
            o += n + 1
        }
        #expect(lists > 3)
        #expect(listsReading > 3, "candidate lists whose rules read state")
        // Some list leaves rows to settling.
        #expect(ranges.enumerated().contains { $0.offset % 4 == 3 && $0.element > 0 })
    }

    /// A modify's previous `window_sum` amounts are split as the prefetch
    /// plan is: those a candidate's rules read as it is decided, the rest
    /// when it is settled.
    @Test func previousAmountsSplitByWhatTheCandidateRulesRead() throws {
        let e = try engine()
        let p = e.program
        let ir = p.ir
        let slots = p.windowSumSlots
        let (entries, ranges) = StatePrefetch.byCandidateList(slots, slot: { $0 }, p)
        var o = 0
        var someLate = false
        while o < p.candidateLists.count {
            let n = Int(p.candidateLists[o])
            let jurisdictions = Set((0..<n).map { Int(p.candidateLists[o + 1 + $0]) })
            let early = Array(entries[Int(ranges[4 * o])..<Int(ranges[4 * o] + ranges[4 * o + 1])])
            let late = Array(entries[Int(ranges[4 * o + 2])..<Int(ranges[4 * o + 2] + ranges[4 * o + 3])])
            #expect((early + late).sorted() == slots.sorted(), "list at \(o)")
            var read = Set<Int>()
            for r in ir.rules where jurisdictions.contains(r.jurisdiction) {
                guard let b = r.block else { continue }
                for pc in ir.blocks[b].start..<ir.blocks[b].end where ir.code[pc].op == .wsum {
                    read.insert(Int(ir.code[pc].aux))
                }
            }
            for s in late { #expect(!read.contains(s), "slot \(s) is read by list \(o)'s rules") }
            if !late.isEmpty { someLate = true }
            o += n + 1
        }
        #expect(someLate)
    }

    @Test func pinningRefusesACPUThatDoesNotExist() {
        #expect(!EngineBenchmark.pin(cpu: -1))
        #expect(!EngineBenchmark.pin(cpu: 1_000_000))
    }
}
