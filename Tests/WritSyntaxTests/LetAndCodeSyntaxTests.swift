/// `let NAME = EXPR` in a jurisdiction and `code N` after a rule's citation:
/// what the parser keeps, what it reports, and how the formatter lays them out.

import Testing
import WritSyntax

@Suite struct LetAndCodeSyntaxTests {
    static let source = """
        jurisdiction J {
          applies when true
          let notional = order.qty *   order.price
          rule r reject "m" cite "c"   code 20 when notional > 5
          rule s hold "h" when true
        }

        """

    @Test func theParserKeepsLetsAndCodes() throws {
        let (r, _) = parseFile(Self.source)
        #expect(r.diagnostics.isEmpty)
        guard case .jurisdiction(let j)? = r.unit.decls.first else {
            Issue.record("no jurisdiction")
            return
        }
        #expect(j.lets.map(\.name.text) == ["notional"])
        #expect(j.rules.map(\.code) == [20, nil])
        let dump = dumpOf(Self.source)
        #expect(dump.contains("(let notional "), "\(dump)")
        #expect(dump.contains("(code 20)"), "\(dump)")
    }

    @Test func codeIsANameElsewhere() {
        // A data column or a field may be called `code`.
        #expect(diagnosticsOf(#"data d from "d.csv" key code { code: symbol }"#) == [])
        #expect(diagnosticsOf("jurisdiction J { applies when true\n rule r alert \"m\" when order.code == 1 }") == [])
    }

    @Test func malformedLetsAndCodesAreReported() {
        #expect(diagnosticsOf("jurisdiction J { applies when true\n let 5 = 1 }").first?.hasPrefix("E0203 2:6") == true)
        #expect(diagnosticsOf("jurisdiction J { applies when true\n let x }").isEmpty == false)
        #expect(
            diagnosticsOf("jurisdiction J { applies when true\n rule r reject \"m\" cite \"c\" code x when true }").first?
                .hasPrefix("E02") == true)
    }

    @Test func theFormatterLaysThemOutAndIsIdempotent() throws {
        let once = try Formatter.format(SourceFile(path: "t.writ", text: Self.source))
        #expect(once.contains("  let notional = order.qty * order.price\n"))
        #expect(once.contains("    cite \"c\" code 20\n    when notional > 5\n"))
        #expect(try Formatter.format(SourceFile(path: "t.writ", text: once)) == once)
    }
}
