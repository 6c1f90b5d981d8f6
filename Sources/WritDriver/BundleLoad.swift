/// Loading a bundle for the commands that run one (`eval`, `replay`,
/// `bench`, …): read the file, read the trusted public keys, verify, build
/// the engine. Every failure is a usage error naming the file and the reason.
import Foundation
import WritCrypto
import WritEngine

/// How a command was told to trust bundles.
public struct TrustOptions: Sendable {
    /// The bundle file.
    public var bundle: String
    /// Public key files (`--trust DIR/writ.pub`, repeatable).
    public var trust: [String]
    /// Whether an unsigned bundle may be loaded (development only).
    public var allowUnsigned: Bool
    /// Creates options.
    public init(bundle: String, trust: [String], allowUnsigned: Bool) {
        self.bundle = bundle
        self.trust = trust
        self.allowUnsigned = allowUnsigned
    }
}

/// Loads bundles.
public enum BundleLoad {
    /// Reads, verifies and decodes the bundle; returns the program and how
    /// long loading took (reading the file excluded), in nanoseconds.
    public static func program(_ o: TrustOptions) throws(UsageError) -> (EngineProgram, loadNanos: UInt64) {
        if o.trust.isEmpty && !o.allowUnsigned {
            throw UsageError("no trusted key: pass `--trust DIR/writ.pub` (or `--allow-unsigned` for development)")
        }
        var keys: [Ed25519PublicKey] = []
        for path in o.trust {
            do { keys.append(try Ed25519PublicKey.read(from: path)) } catch {
                throw UsageError(error.description + (error.help.map { "; \($0)" } ?? ""))
            }
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: o.bundle, isDirectory: &isDirectory), isDirectory.boolValue {
            throw UsageError("bundle `\(o.bundle)` is a directory; give the file `writ build -o` wrote")
        }
        // An empty or unreadable-size file (`/dev/null`) is read as what it holds, so the
        // bundle decoder says what is wrong with it; only a file that cannot be opened fails here.
        guard let handle = FileHandle(forReadingAtPath: o.bundle) else {
            throw UsageError("cannot read bundle `\(o.bundle)`; check the path (build one with `writ build`)")
        }
        // Read up to a bound, so that a device without end (`/dev/zero`) cannot exhaust memory.
        let limit = 1 << 30
        var bytes: [UInt8] = []
        do {
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                bytes += chunk
                if bytes.count > limit {
                    throw UsageError("bundle `\(o.bundle)` is larger than 1 GiB, more than any bundle; check the path")
                }
            }
        } catch let e as UsageError {
            throw e
        } catch {
            throw UsageError("cannot read bundle `\(o.bundle)`: \(error.localizedDescription)")
        }
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let p = try EngineProgram(bundle: bytes, trust: keys, allowUnsigned: o.allowUnsigned)
            return (p, DispatchTime.now().uptimeNanoseconds - start)
        } catch {
            throw UsageError("bundle `\(o.bundle)` refused: \(error.description)" + (error.help.map { "; \($0)" } ?? ""))
        }
    }

    /// Binds run-time lists from `NAME=FILE` specs (one entry per line;
    /// blank lines and `#` comments ignored), and bound tables from CSV
    /// files (a header line naming the columns, then one row per line).
    public static func bind(_ specs: [String], into engine: Engine) throws(UsageError) {
        var seen: [String: String] = [:]
        for spec in specs {
            guard let eq = spec.firstIndex(of: "=") else {
                throw UsageError("`--bind \(spec)` is not NAME=FILE; e.g. `--bind restricted_symbols=restricted.txt`")
            }
            let name = String(spec[..<eq])
            // A second binding would silently replace the first (a blocked list by an empty one, say).
            if let first = seen[name] {
                throw UsageError("`\(name)` is bound twice (`--bind \(first)` and `--bind \(spec)`); bind each name once")
            }
            seen[name] = spec
            let path = String(spec[spec.index(after: eq)...])
            let text = try SourceLoader.read(path)
            if engine.isTableBinding(name) {
                // A keyed table: CSV with a header line; every cell read by its column's type.
                do { try engine.bind(name, csv: text, file: path) } catch {
                    throw UsageError("cannot bind `\(name)`: \(error.description)")
                }
                continue
            }
            let items = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            guard engine.bind(name, symbols: items) else {
                let known = engine.program.ir.bindings.map(\.name)
                throw UsageError(
                    "the bundle has no run-time list named `\(name)`"
                        + (known.isEmpty ? "" : "; it has \(known.map { "`\($0)`" }.joined(separator: ", "))"))
            }
        }
    }

    /// Binds every run-time list that `specs` did not name to an empty list;
    /// returns their names.
    @discardableResult
    public static func bindRemainingEmpty(_ specs: [String], into engine: Engine) -> [String] {
        let named = Set(specs.compactMap { $0.split(separator: "=").first.map(String.init) })
        var out: [String] = []
        // A list that declares its value (`bound "x" = []`) has it already: the author's choice.
        for b in engine.program.ir.bindings
        where !named.contains(b.name) && !out.contains(b.name) && b.defaults == nil {
            engine.bind(b.name, symbols: [])
            out.append(b.name)
        }
        return out
    }
}
