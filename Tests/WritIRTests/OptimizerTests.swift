/// Each optimizer pass, on fixtures whose lowering gives it work.

import Foundation
import Testing
@testable import WritIR

@Suite struct OptimizerTests {
    func fixture(_ name: String, optimize: Bool = true) throws -> IRProgram {
        let url = IRDumpGoldenTests.dir.appendingPathComponent("\(name).writ")
        return try TestPrograms.fixture(try String(contentsOf: url, encoding: .utf8), optimize: optimize)
    }

    func code(_ ir: IRProgram, rule name: String) -> [Instruction] {
        guard let r = ir.rules.first(where: { $0.name == name }), let b = r.block else { return [] }
        return Array(ir.code[ir.blocks[b].start..<ir.blocks[b].end])
    }

    @Test func constantFoldingComputesArithmeticOnConstants() throws {
        // `n * 50` with n bound to 1 and 2 by the unrolled macro.
        let plain = code(try fixture("collections", optimize: false), rule: "divided")
        let folded = code(try fixture("collections"), rule: "divided")
        #expect(plain.contains { $0.op == .imul })
        #expect(!folded.contains { $0.op == .imul })
    }

    @Test func commonSubexpressionsShareGuards() throws {
        let plain = code(try fixture("chains", optimize: false), rule: "guarded")
        let shared = code(try fixture("chains"), rule: "guarded")
        #expect(plain.filter { $0.op == .req }.count == 1)
        #expect(shared.filter { $0.op == .req }.count == 1)
        let rules = try TestPrograms.rules()
        let collar = code(rules, rule: "price_collar")
        let unopt = code(try TestPrograms.rules(optimize: false), rule: "price_collar")
        #expect(collar.filter { $0.op == .req }.count < unopt.filter { $0.op == .req }.count)
        #expect(collar.filter { $0.op == .cur }.count < unopt.filter { $0.op == .cur }.count)
    }

    @Test func deadCodeRemovesHandlersOfOperandsThatCannotFail() throws {
        let ir = try fixture("chains")
        let c = code(ir, rule: "all_cheap")
        #expect(!c.contains { $0.op == .catchErr || $0.op == .clrerr || $0.op == .rethrow })
        #expect(code(try fixture("chains", optimize: false), rule: "all_cheap").contains { $0.op == .catchErr })
    }

    @Test func aConstantFalseRuleLeavesTheIndex() throws {
        let ir = try fixture("collections")
        let dead = try #require(ir.rules.firstIndex { $0.name == "dead" })
        #expect(ir.rules[dead].constant == false)
        let j = ir.rules[dead].jurisdiction
        #expect(ir.index.rules[j].candidates.allSatisfy { !$0.contains(dead) })
    }

    @Test func cheapOperandsComeFirst() throws {
        let c = code(try fixture("chains"), rule: "costly_first")
        let compare = try #require(c.firstIndex { $0.op == .eq || $0.op == .jne || $0.op == .jeq })
        let rate = try #require(c.firstIndex { $0.op == .rate })
        #expect(compare < rate)
        #expect(OperandOrdering.order([5, 1, 3, 1]) == [1, 3, 2, 0])
    }

    @Test func optimizationKeepsEveryBlockWellFormed() throws {
        for ir in [try TestPrograms.rules(), try fixture("chains"), try fixture("collections"), try fixture("index")] {
            let bundle = IRCodec.container(ir).encode(signingKey: nil)
            let back = try IRCodec.decode(BundleContainer.decode(bundle, trust: [], allowUnsigned: true))
            #expect(back == ir)
        }
    }
}
