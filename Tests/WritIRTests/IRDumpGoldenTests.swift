/// Golden tests of `writ build --dump-ir`: each fixture under Fixtures/ and
/// the rulebooks of rules/ print exactly as their `.ir` file says. Set
/// `WRIT_UPDATE_GOLDENS=1` to rewrite the goldens after an intended change.

import Foundation
import Testing
import WritIR

@Suite struct IRDumpGoldenTests {
    static let fixtures = ["chains", "collections", "index"]
    static let dir = TestPrograms.root.appendingPathComponent("Tests/WritIRTests/Fixtures")

    func check(_ name: String, _ dump: String) throws {
        let url = IRDumpGoldenTests.dir.appendingPathComponent("\(name).ir")
        if ProcessInfo.processInfo.environment["WRIT_UPDATE_GOLDENS"] == "1" {
            try dump.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        #expect(dump == golden, "\(name).ir differs; run with WRIT_UPDATE_GOLDENS=1 after an intended change")
    }

    @Test(arguments: fixtures)
    func fixture(_ name: String) throws {
        let text = try String(contentsOf: IRDumpGoldenTests.dir.appendingPathComponent("\(name).writ"), encoding: .utf8)
        try check(name, IRDump.dump(try TestPrograms.fixture(text)))
    }

    @Test func rulebooks() throws {
        try check("rules", IRDump.dump(try TestPrograms.rules()))
    }

    /// The C that `writ build --native` compiles (docs/native.md), for one
    /// fixture with chains, handlers and memo slots: `chains.c`.
    @Test func nativeCode() throws {
        let text = try String(contentsOf: IRDumpGoldenTests.dir.appendingPathComponent("chains.writ"), encoding: .utf8)
        let c = NativeEmitter.emit(try TestPrograms.fixture(text))
        let url = IRDumpGoldenTests.dir.appendingPathComponent("chains.c")
        if ProcessInfo.processInfo.environment["WRIT_UPDATE_GOLDENS"] == "1" {
            try c.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(c == (try String(contentsOf: url, encoding: .utf8)), "chains.c differs; run with WRIT_UPDATE_GOLDENS=1 after an intended change")
    }

    @Test func theDumpIsStable() throws {
        #expect(IRDump.dump(try TestPrograms.rules()) == IRDump.dump(try TestPrograms.rules()))
    }
}
