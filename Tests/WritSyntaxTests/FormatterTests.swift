/// Tests of the formatter: golden pairs under Fixtures/fmt/ (`NAME.in.writ`
/// formats to `NAME.out.writ`), idempotence, refusal of files with syntax
/// errors, and preservation of meaning (same tokens, same comments), also on
/// whitespace-perturbed variants of every fixture.
import Foundation
import Testing

@testable import WritSyntax

/// The folder of the golden pairs, found from this file's path.
private let fixtureDir: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/fmt")

/// Names of the pairs (`NAME` of `NAME.in.writ`), sorted.
private let fixtureNames: [String] = {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: fixtureDir.path)) ?? []
    return files.filter { $0.hasSuffix(".in.writ") }.map { String($0.dropLast(".in.writ".count)) }.sorted()
}()

/// Inputs for the perturbation test: every fixture input and every rule file
/// under the package's rules/ directory.
private let perturbationCorpus: [String] = {
    var paths = fixtureNames.map { fixtureDir.appendingPathComponent("\($0).in.writ").path }
    let rules = fixtureDir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("rules")
    if let e = FileManager.default.enumerator(atPath: rules.path) {
        while let rel = e.nextObject() as? String {
            if rel.hasSuffix(".writ") { paths.append(rules.appendingPathComponent(rel).path) }
        }
    }
    return paths.sorted()
}()

private func read(_ name: String) throws -> String {
    try String(contentsOf: fixtureDir.appendingPathComponent(name), encoding: .utf8)
}

/// Formats `text`, and records an issue if the formatter's own check of its
/// output failed (`Formatter.format` would then return the input unchanged).
private func format(_ text: String, path: String = "test.writ") throws -> String {
    let result = try Formatter.layout(SourceFile(path: path, text: text))
    #expect(result.verified, "the formatter's self-check failed on \(path)")
    return result.text
}

/// The tokens that carry meaning: kind, value and unit, without the optional
/// separators — every `;`, and a `,` directly inside a declaration's or
/// item's braces (a `{` after a name, a string or `limits`; other braces are
/// map literals). Found independently of the formatter's own bookkeeping.
private func significantTokens(_ text: String) -> [String] {
    let tokens = Lexer.lex(SourceFile(path: "t.writ", text: text)).tokens
    var stack: [Bool] = []  // true = a block's brace
    var out: [String] = []
    for (i, t) in tokens.enumerated() {
        switch t.kind {
        case .punct(.lBrace):
            let p = i > 0 ? tokens[i - 1] : nil
            let isBlock = p.map { $0.kind == .identifier || $0.kind == .string || $0.is(.limits) } ?? false
            stack.append(isBlock)
        case .punct(.lParen), .punct(.lBracket):
            stack.append(false)
        case .punct(.rBrace), .punct(.rParen), .punct(.rBracket):
            _ = stack.popLast()
        case .punct(.semicolon):
            continue
        case .punct(.comma) where stack.last == true:
            continue
        default:
            break
        }
        out.append("\(t.kind) \(t.value) \(t.unit)")
    }
    return out
}

private func commentTexts(_ text: String) -> [String] {
    Lexer.lex(SourceFile(path: "t.writ", text: text)).comments.map(\.text)
}

private func parseErrors(_ text: String) -> [Diagnostic] {
    var ids = NodeIDAllocator()
    return Parser.parse(SourceFile(path: "t.writ", text: text), fileIndex: 0, ids: &ids).diagnostics
}

/// Checks that `formatted` means what `original` meant and is a fixed point.
private func expectPreserved(_ original: String, _ formatted: String, _ label: String) throws {
    #expect(parseErrors(formatted).isEmpty, "\(label): the formatted text does not parse cleanly")
    #expect(significantTokens(formatted) == significantTokens(original), "\(label): tokens changed")
    #expect(commentTexts(formatted) == commentTexts(original), "\(label): comments changed")
    #expect(try format(formatted) == formatted, "\(label): not idempotent")
    #expect(formatted.isEmpty || (formatted.hasSuffix("\n") && !formatted.hasSuffix("\n\n")))
}

/// Variants per fixture (raise locally with WRIT_FMT_ROUNDS for a longer soak).
private let perturbationRounds = ProcessInfo.processInfo.environment["WRIT_FMT_ROUNDS"].flatMap { Int($0) } ?? 12

@Suite struct FormatterTests {
    @Test func thereAreEnoughGoldenPairs() throws {
        #expect(fixtureNames.count >= 12)
        for name in fixtureNames {
            #expect(
                FileManager.default.fileExists(atPath: fixtureDir.appendingPathComponent("\(name).out.writ").path),
                "\(name).out.writ is missing")
        }
    }

    @Test(arguments: fixtureNames) func golden(_ name: String) throws {
        let input = try read("\(name).in.writ")
        let expected = try read("\(name).out.writ")
        let output = try format(input, path: "\(name).in.writ")
        #expect(output == expected)
        try expectPreserved(input, output, name)
        #expect(try format(expected) == expected, "\(name).out.writ is not a fixed point")
    }

    /// Whitespace and comments added at random between tokens (never inside
    /// a token or a comment, never changing which tokens there are): the
    /// result still formats, keeps its tokens and comments, and is a fixed point.
    @Test(arguments: perturbationCorpus) func perturbed(_ path: String) throws {
        let input = try String(contentsOfFile: path, encoding: .utf8)
        let name = URL(fileURLWithPath: path).lastPathComponent
        if path.contains("/rules/"), parseErrors(input).contains(where: { $0.severity == .error }) {
            return  // the rulebooks' own tests report that; fixtures must parse
        }
        let file = SourceFile(path: name, text: input)
        let lexed = Lexer.lex(file)
        var rng = FormatterRNG(seed: UInt64(truncatingIfNeeded: name.utf8.reduce(7) { $0 &* 31 &+ Int($1) }))
        let commentStarts = lexed.comments.map(\.span.start)
        for round in 0..<perturbationRounds {
            var bytes: [UInt8] = []
            var at = 0
            for t in lexed.tokens {
                // Copy the gap before the token, then maybe add whitespace to it.
                bytes += file.bytes[at..<t.span.start]
                let gapHasComment = commentStarts.contains { $0 >= at && $0 < t.span.start }
                if at > 0, !gapHasComment, rng.next() % 4 == 0 {
                    let choices: [String] = [" ", "  ", "\n", "\n\n", "\n    ", "\t", " // p\n", "\n  // q\n\n"]
                    bytes += Array(choices[Int(rng.next() % UInt64(choices.count))].utf8)
                }
                bytes += file.bytes[t.span.start..<t.span.end]
                at = t.span.end
            }
            bytes += file.bytes[at...]
            let variant = String(decoding: bytes, as: UTF8.self)
            #expect(significantTokens(variant) == significantTokens(input), "\(name) #\(round): bad variant")
            let output = try format(variant)
            try expectPreserved(variant, output, "\(name) #\(round)")
        }
    }

    @Test func refusesSyntaxErrors() {
        let bad = [
            "jurisdiction EU {\n  rule r reject \"m\" when\n}\n",
            "const X = 1e5\n",
            "region r { continent = emea\n",
            "const S = \"unterminated\n",
        ]
        for text in bad {
            do {
                _ = try Formatter.format(SourceFile(path: "bad.writ", text: text))
                Issue.record("formatted a file with syntax errors: \(text)")
            } catch {
                guard case .syntaxErrors(let ds) = error else { continue }
                #expect(!ds.isEmpty)
                #expect(ds.allSatisfy { $0.severity == .error })
            }
        }
    }

    @Test func emptyAndCommentOnlyFiles() throws {
        #expect(try format("") == "")
        #expect(try format("\n\n  \n") == "")
        #expect(try format("// only a comment") == "// only a comment\n")
        #expect(try format("\n\n// a\n\n\n// b   \n\n") == "// a\n\n// b\n")
    }

    @Test func lineEndingsAndFinalNewline() throws {
        #expect(try format("const A = 1") == "const A = 1\n")
        #expect(try format("const A = 1\r\nconst B = 2\r\n\r\n\r\n") == "const A = 1\nconst B = 2\n")
        #expect(try format("const A = 1   // c  \n\n\n") == "const A = 1  // c\n")
    }

    /// A trailing comment stays after the token it followed: one after a
    /// second declaration on the same line is that declaration's.
    @Test func aTrailingCommentNeverMovesPastAToken() throws {
        #expect(try format("const A = 1 const B = 2  // about B\n") == "const A = 1\nconst B = 2  // about B\n")
        #expect(
            try format("import \"a.writ\";import \"b.writ\" ;  // after b\n")
                == "import \"a.writ\"\nimport \"b.writ\"  // after b\n")
        #expect(try format("const A = 1  // about A\nconst B = 2\n") == "const A = 1  // about A\nconst B = 2\n")
    }

    @Test func oneLineBlockLimitIsOneHundredColumns() throws {
        // `region r { p = "…" }` is 17 columns plus the string.
        let fits = "region r { p = \"" + String(repeating: "x", count: 81) + "\" }\n"
        let tooLong = "region r { p = \"" + String(repeating: "x", count: 82) + "\" }\n"
        #expect(fits.count == 101)  // 100 columns and the newline
        #expect(try format(fits) == fits)
        #expect(try format(tooLong) == "region r {\n  p = \"" + String(repeating: "x", count: 82) + "\"\n}\n")
    }

    @Test func longLinesBreakOnlyWhenOverTheLimit() throws {
        // `    when ` is 9 columns; the condition is 91 (fits) or 92 (too long).
        func rule(_ last: String) -> String {
            "jurisdiction J {\n  rule r reject \"m\"\n    when a_long_name_number_one > 1 && "
                + "a_long_name_number_two > 2 && \(last) > 3\n}\n"
        }
        let fits = rule(String(repeating: "x", count: 27))
        #expect(fits.split(separator: "\n")[2].count == 100)
        #expect(try format(fits) == fits)
        let broken = try format(rule(String(repeating: "x", count: 28)))
        #expect(
            broken == """
                jurisdiction J {
                  rule r reject "m"
                    when a_long_name_number_one > 1
                      && a_long_name_number_two > 2
                      && xxxxxxxxxxxxxxxxxxxxxxxxxxxx > 3
                }

                """)
    }

    @Test func separatorsAreOptionalOnlyBetweenItems() throws {
        // Commas of lists, calls, maps, types and expect lists are kept.
        let text = "schema s { m: map<string, int>, l: list<int> }\n\nconst L = [1, 2,]\nconst M = {\"a\": f(1, 2)}\n"
        #expect(try format(text) == text)
        #expect(try format("region r { a = 1; b = 2; }") == "region r { a = 1, b = 2 }\n")
    }
}

/// A small deterministic PRNG (SplitMix64), so that failures reproduce.
private struct FormatterRNG {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
