/// Robustness of the whole front end (lexer, parser, checker) on 10,000
/// mutants of the real rule files: random byte edits, truncations, and
/// duplicated, deleted and swapped lines. No input may crash or hang it, and
/// every input it rejects must come with at least one located diagnostic
/// inside the mutated file's text.
import Foundation
import Testing
import WritDriver
import WritSyntax

/// SplitMix64: a tiny deterministic PRNG so that failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum Mutator {
    static let alphabet = Array("{}()[]<>=!&|?:;,.\"'%_ \n\tabcXYZ0123456789@#$\\/-+*é".utf8)

    static func mutate(_ text: String, _ rng: inout SplitMix64) -> String {
        var bytes = Array(text.utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        switch rng.next() % 7 {
        case 0, 1:  // replace up to 3 bytes
            for _ in 0...(rng.next() % 3) where !bytes.isEmpty {
                bytes[Int(rng.next() % UInt64(bytes.count))] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
            }
            return String(decoding: bytes, as: UTF8.self)
        case 2:  // insert a byte
            let i = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
            bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: i)
            return String(decoding: bytes, as: UTF8.self)
        case 3:  // delete a run of bytes
            guard !bytes.isEmpty else { return text }
            let i = Int(rng.next() % UInt64(bytes.count))
            let n = min(bytes.count - i, Int(rng.next() % 8) + 1)
            bytes.removeSubrange(i..<(i + n))
            return String(decoding: bytes, as: UTF8.self)
        case 4:  // truncate
            return String(decoding: bytes.prefix(Int(rng.next() % UInt64(bytes.count + 1))), as: UTF8.self)
        case 5:  // duplicate or delete a line
            guard !lines.isEmpty else { return text }
            let i = Int(rng.next() % UInt64(lines.count))
            if rng.next() % 2 == 0 { lines.insert(lines[i], at: i) } else { lines.remove(at: i) }
            return lines.joined(separator: "\n")
        default:  // swap two lines
            guard lines.count > 1 else { return text }
            let i = Int(rng.next() % UInt64(lines.count))
            let j = Int(rng.next() % UInt64(lines.count))
            lines.swapAt(i, j)
            return lines.joined(separator: "\n")
        }
    }
}

@Suite struct CheckerRobustnessTests {
    static let rulesDir = WritBinary.packageRoot.appendingPathComponent("rules")

    /// Every rule file and data file, by path relative to the package root.
    static func corpus() throws -> [(path: String, text: String)] {
        let fm = FileManager.default
        let e = try #require(fm.enumerator(atPath: rulesDir.path))
        var out: [(String, String)] = []
        while let rel = e.nextObject() as? String {
            guard rel.hasSuffix(".writ") || rel.hasSuffix(".csv") else { continue }
            out.append(("rules/" + rel, try String(contentsOf: rulesDir.appendingPathComponent(rel), encoding: .utf8)))
        }
        return out.sorted { $0.0 < $1.0 }
    }

    @Test func tenThousandMutantsNeverCrashAndAlwaysExplainThemselves() throws {
        let corpus = try Self.corpus()
        let writFiles = corpus.filter { $0.path.hasSuffix(".writ") }
        #expect(writFiles.count >= 10)
        var rng = SplitMix64(state: 0x5752_4954)  // "WRIT"
        var rejected = 0
        let total = 10_000
        for n in 0..<total {
            let target = writFiles[Int(rng.next() % UInt64(writFiles.count))]
            let mutated = Mutator.mutate(target.text, &rng)
            // Check the mutated file with the files it imports (transitively)
            // and the data files; the import closure is computed on the
            // original texts so that a mutated import still finds the rest.
            // Every 10th mutant is checked with its import closure (names
            // resolve, so the checker goes deep); the others alone, where
            // imports are missing (E0701) but every construct still passes
            // through the lexer, parser and checker. Checking the whole
            // closure each time would take minutes in a debug build.
            let others: [(path: String, text: String)]
            if n % 10 == 0 {
                let needed = Self.closure(of: target.path, in: corpus)
                others = corpus.filter { $0.path != target.path && (needed.contains($0.path) || $0.path.hasSuffix(".csv")) }
            } else {
                others = corpus.filter { $0.path.hasSuffix(".csv") }
            }
            let c = Compilation.check(sources: [(target.path, mutated)] + others)
            for d in c.diagnostics {
                #expect(d.span.file >= 0 && d.span.file < c.files.count, "mutant \(n): span of \(d.code) points at no file")
                let f = c.files[d.span.file]
                #expect(d.span.start <= d.span.end && d.span.end <= f.bytes.count, "mutant \(n): \(d.code) span out of bounds")
            }
            if c.hasErrors {
                rejected += 1
                let located = c.diagnostics.contains { $0.severity == .error && c.renderer.position($0.span).location.line >= 1 }
                #expect(located, "mutant \(n) of \(target.path) was rejected without a located error")
            }
        }
        // The mutations are real: most of them break the file.
        #expect(rejected > total / 2, "only \(rejected) of \(total) mutants were rejected")
    }

    /// The files `path` imports, directly or not (by the original texts).
    static func closure(of path: String, in corpus: [(path: String, text: String)]) -> Set<String> {
        var seen: Set<String> = [path]
        var todo = [path]
        while let p = todo.popLast() {
            guard let text = corpus.first(where: { $0.path == p })?.text else { continue }
            let dir = (p as NSString).deletingLastPathComponent
            for line in text.split(separator: "\n") where line.hasPrefix("import \"") {
                let rel = String(line.dropFirst("import \"".count).prefix { $0 != "\"" })
                var parts: [String] = []
                for c in (dir + "/" + rel).split(separator: "/") {
                    if c == "..", !parts.isEmpty { parts.removeLast() } else if c != "." { parts.append(String(c)) }
                }
                let full = parts.joined(separator: "/")
                if seen.insert(full).inserted { todo.append(full) }
            }
        }
        return seen
    }
}
