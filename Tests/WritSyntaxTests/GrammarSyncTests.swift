/// Keeps grammar/writ.ebnf and the lexer in step: the grammar's keyword list
/// is the lexer's, every word the productions quote is a keyword or one of
/// the few contextual words, and every operator is listed in the grammar.

import Foundation
import Testing

@testable import WritSyntax

/// The package's root directory, found by walking up from this file.
func packageRoot(from file: String = #filePath) -> URL? {
    var dir = URL(fileURLWithPath: file).deletingLastPathComponent()
    while dir.path != "/" {
        if FileManager.default.fileExists(atPath: dir.appendingPathComponent("grammar/writ.ebnf").path) { return dir }
        dir = dir.deletingLastPathComponent()
    }
    return nil
}

/// The text of a file under the package root.
func packageFile(_ relative: String) -> String? {
    guard let root = packageRoot() else { return nil }
    return try? String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
}

/// The pieces of the grammar the tests compare.
struct Grammar {
    /// The words of the `(* keywords: … *)` comment.
    var keywords: Set<String> = []
    /// Every quoted terminal in the productions (comments removed).
    var terminals: Set<String> = []
    /// The quoted operators of the `operators = …` line of the lexical section.
    var operators: Set<String> = []

    init(_ text: String) {
        if let r = text.range(of: "(* keywords:"), let end = text.range(of: "*)", range: r.upperBound..<text.endIndex) {
            keywords = Set(text[r.upperBound..<end.lowerBound].split(whereSeparator: \.isWhitespace).map(String.init))
        }
        // Productions: the text outside (* … *) comments.
        var productions = ""
        var rest = Substring(text)
        while let open = rest.range(of: "(*") {
            productions += rest[..<open.lowerBound]
            guard let close = rest.range(of: "*)", range: open.upperBound..<rest.endIndex) else { break }
            rest = rest[close.upperBound...]
        }
        productions += rest
        terminals = Grammar.quoted(Substring(productions))
        // The `operators =` line and the continuation lines that start with a quote.
        if let r = text.range(of: "operators =") {
            var lines = text[r.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            var list = String(lines.removeFirst())
            for line in lines {
                guard line.drop(while: \.isWhitespace).first == "\"" else { break }
                list += " " + line
            }
            operators = Grammar.quoted(Substring(list))
        }
    }

    /// The strings between double quotes in `s` (`'"'` is skipped).
    static func quoted(_ s: Substring) -> Set<String> {
        var out: Set<String> = []
        var current: String?
        var previous: Character = " "
        for c in s {
            if c == "\"", previous != "'" {
                if let word = current {
                    out.insert(word)
                    current = nil
                } else {
                    current = ""
                }
            } else if current != nil {
                current?.append(c)
            }
            previous = c
        }
        return out
    }
}

@Suite struct GrammarSyncTests {
    let grammar: Grammar? = packageFile("grammar/writ.ebnf").map(Grammar.init)

    @Test func grammarIsFound() {
        #expect(grammar != nil, "grammar/writ.ebnf not found above \(#filePath)")
    }

    @Test func keywordListEqualsTheLexers() throws {
        let g = try #require(grammar)
        #expect(g.keywords == Set(Keyword.allCases.map(\.rawValue)))
    }

    @Test func everyQuotedWordIsAKeywordOrContextual() throws {
        let g = try #require(grammar)
        // Words the productions quote that are identifiers to the lexer.
        let contextual: Set<String> = ["money", "list", "map", "asc", "desc", "code"]
        let words = g.terminals.filter { $0.first?.isLetter == true }
        #expect(!words.isEmpty)
        let keywords = Set(Keyword.allCases.map(\.rawValue))
        #expect(words.subtracting(keywords).subtracting(contextual) == [])
        // And the contextual words really are not keywords.
        #expect(contextual.intersection(keywords) == [])
    }

    @Test func everyQuotedSymbolIsAnOperator() throws {
        let g = try #require(grammar)
        let symbols = g.terminals.filter { $0.first?.isLetter == false }
        #expect(symbols.subtracting(Punct.allCases.map(\.rawValue)) == [])
    }

    @Test func everyOperatorIsInTheGrammarsList() throws {
        let g = try #require(grammar)
        #expect(Set(Punct.allCases.map(\.rawValue)).subtracting(g.operators) == [])
        #expect(g.operators.subtracting(Punct.allCases.map(\.rawValue)) == [])
    }

    @Test func everyKeywordIsUsedByAProduction() throws {
        let g = try #require(grammar)
        let unused = Set(Keyword.allCases.map(\.rawValue)).subtracting(g.terminals)
        #expect(unused == [])
    }
}
