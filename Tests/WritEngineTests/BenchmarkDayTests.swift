/// The benchmark's day shifting: pass k of `writ bench` replays the events
/// as day k after their own, so every pass makes the decisions the events
/// make on their day.

import Foundation
import Testing
import WritEngine

@Suite struct BenchmarkDayTests {
    func shifted(_ s: String, _ days: Int) -> String {
        String(decoding: EngineBenchmark.shiftingDays(Array(s.utf8), by: days), as: UTF8.self)
    }

    @Test func movesTheDateOfEveryTsAcrossMonthsYearsAndLeapDays() {
        #expect(shifted(#"{"ts":"2026-11-27T14:30:00Z"}"#, 1) == #"{"ts":"2026-11-28T14:30:00Z"}"#)
        #expect(shifted(#"{"ts":"2026-11-30T00:00:00Z"}"#, 1) == #"{"ts":"2026-12-01T00:00:00Z"}"#)
        #expect(shifted(#"{"ts":"2026-12-31T23:59:59Z"}"#, 1) == #"{"ts":"2027-01-01T23:59:59Z"}"#)
        #expect(shifted(#"{"ts":"2028-02-28T10:00:00Z"}"#, 1) == #"{"ts":"2028-02-29T10:00:00Z"}"#)
        #expect(shifted(#"{"ts":"2027-02-28T10:00:00Z"}"#, 1) == #"{"ts":"2027-03-01T10:00:00Z"}"#)
        #expect(shifted(#"{"ts":"2026-11-27T14:30:00Z"}"#, 400) == #"{"ts":"2028-01-01T14:30:00Z"}"#)
        #expect(
            shifted(#"{"ts" : "2026-11-27T14:30:00Z","id":"O-1"}"#, 2)
                == #"{"ts" : "2026-11-29T14:30:00Z","id":"O-1"}"#)
    }

    @Test func leavesEverythingElseAlone() {
        let line = #"{"event":"new","id":"2026-11-27","note":"ts","tsx":"2026-11-27","ts":"bad"}"#
        #expect(shifted(line, 3) == line)
        #expect(shifted(#"{"ts":"2026-13-01T00:00:00Z"}"#, 1) == #"{"ts":"2026-13-01T00:00:00Z"}"#)
        #expect(shifted(#"{"ts":"2026-11-27T00:00:00Z"}"#, 0) == #"{"ts":"2026-11-27T00:00:00Z"}"#)
    }

    /// The point of the shifting: replayed on the same engine, the next day
    /// makes the same decisions (credit, throttles and ids start again),
    /// where replaying the same day again does not.
    @Test func theNextDayDecidesAsTheFirstAndTheSameDayAgainDoesNot() throws {
        // Six orders of 4,920,000 EUR: within the account's 50,000,000 EUR
        // daily credit (EU.daily_credit) once, not twice in one day.
        let day = [Lines.market()] + (1...6).map { Lines.order("O-\($0)", qty: "40000", price: "123.00") }
        func verdicts(_ engine: Engine, _ lines: [String]) -> [String] {
            lines.compactMap { engine.processLine($0) }.map { line in
                let d = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                return (d?["verdict"] as? String) ?? "?"
            }
        }
        let engine = try EnginePrograms.rulesEngine()
        #expect(engine.bind("restricted_symbols", symbols: []))
        let first = verdicts(engine, day)
        let again = verdicts(engine, day)
        let next = verdicts(engine, day.map { shifted($0, 1) })
        #expect(first == Array(repeating: "allow", count: 6))
        #expect(next == first)
        #expect(again != first)
    }
}
