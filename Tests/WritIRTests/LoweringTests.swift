/// Tests of the lowering from checked programs to IR.

import Testing
import WritIR

@Suite struct LoweringTests {
    @Test func rulebooksCompile() throws {
        let ir = try TestPrograms.rules()
        #expect(ir.jurisdictions.map(\.name) == ["AU", "CA", "EU", "GLOBAL", "IN", "JP", "SG", "UK", "US"])
        #expect(ir.rules.count == ir.jurisdictions.reduce(0) { $0 + $1.ruleCount })
        #expect(ir.handlers.count == ir.code.count)
        // Every block returns (a memo block with `mret`), and its last instruction does not fall through.
        for b in ir.blocks {
            #expect(ir.code[b.start..<b.end].contains { $0.op == (b.kind == .memo ? .mret : .ret) })
            #expect(!ir.code[b.end - 1].fallsThrough)
        }
    }

    @Test func whatTheEngineCannotEvaluateIsACompileError() throws {
        let program = """
            import "schema.writ"
            jurisdiction X "x" {
              applies when true
              rule r alert "r" when {"SAP": order.qty}[string(order.symbol)] > 1
            }
            """
        do {
            _ = try TestPrograms.fixture(program)
            Issue.record("compiled a map literal indexed at run time")
        } catch let e as IRCompileError {
            #expect(e.message.contains("the engine cannot evaluate"))
            #expect(e.span != nil)
        }
    }

    @Test func symbolsAreSortedAndConstantsInterned() throws {
        let ir = try TestPrograms.rules()
        #expect(ir.symbols == ir.symbols.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(ir.symbolID("XETR") != nil && ir.symbolID("EUR") != nil)
        #expect(ir.constants.count == ir.constantKinds.count)
    }
}
