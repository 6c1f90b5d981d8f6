/// Tests of the lowering from checked programs to IR.

import Testing
import WritIR

@Suite struct LoweringTests {
    @Test func rulebooksCompile() throws {
        let ir = try TestPrograms.rules()
        #expect(ir.jurisdictions.map(\.name) == ["AU", "CA", "EU", "GLOBAL", "IN", "JP", "SG", "UK", "US"])
        #expect(ir.rules.count == ir.jurisdictions.reduce(0) { $0 + $1.ruleCount })
        #expect(ir.handlers.count == ir.code.count)
        // Every block returns, and its last instruction does not fall through.
        for b in ir.blocks {
            #expect(ir.code[b.start..<b.end].contains { $0.op == .ret })
            #expect(!ir.code[b.end - 1].fallsThrough)
        }
    }
}
