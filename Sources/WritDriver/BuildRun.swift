/// The work behind `writ build`: check the rule files, compile the checked
/// program to IR, and pack the IR into a (signed) bundle; `--dump-ir` prints
/// the IR. The bundle is deterministic: the same sources and key give the
/// same bytes (no timestamps; everything that could be unordered is sorted).

import WritCrypto
import WritIR
import WritSema
import WritSyntax

/// The outcome of a build.
public struct BuildResult: Sendable {
    /// The front end's result (diagnostics included).
    public let compilation: Compilation
    /// The IR, when the sources checked and compiled.
    public let program: IRProgram?
    /// Why the IR compiler refused the program, if it did.
    public let compileError: IRCompileError?
    /// The bundle's bytes, when there is a program.
    public let bundle: [UInt8]?

    /// Whether a bundle was produced.
    public var succeeded: Bool { bundle != nil }
    /// The IR as text (`writ build --dump-ir`).
    public var dump: String? { program.map(IRDump.dump) }

    /// The IR compiler's refusal as `file:line:col: error: …` plus a `help:` line.
    public var compileErrorText: String? {
        guard let e = compileError else { return nil }
        var where_ = ""
        if let s = e.span, s.file < compilation.files.count {
            let f = compilation.files[s.file]
            where_ = "\(f.path):\(f.location(of: s.start)): "
        }
        return "\(where_)error[\(DiagnosticCode.engineRefusal.id)]: \(e.message)" + (e.help.map { "\nhelp: \($0)" } ?? "")
    }
}

/// Builds bundles.
public enum BuildRun {
    /// Checks and compiles the rule files at `paths` and packs a bundle,
    /// signed with `signingKey` (unsigned when nil).
    /// - Throws: `UsageError` for a missing or unreadable path.
    public static func build(paths: [String], signingKey: Ed25519PrivateKey?) throws(UsageError) -> BuildResult {
        build(try Compilation.check(paths: paths), signingKey: signingKey)
    }

    /// Compiles an already checked compilation and packs a bundle.
    public static func build(_ c: Compilation, signingKey: Ed25519PrivateKey?) -> BuildResult {
        guard !c.hasErrors, let checked = c.checked else {
            return BuildResult(compilation: c, program: nil, compileError: nil, bundle: nil)
        }
        do {
            let ir = try IRCompiler.compile(checked.program, files: c.files)
            return BuildResult(compilation: c, program: ir, compileError: nil, bundle: bundle(ir, signingKey: signingKey))
        } catch {
            return BuildResult(compilation: c, program: nil, compileError: error, bundle: nil)
        }
    }

    /// The bundle of an IR program, with its native code when given (`NativeBuild`).
    public static func bundle(_ ir: IRProgram, signingKey: Ed25519PrivateKey?, native: NativeSection? = nil) -> [UInt8] {
        var c = IRCodec.container(ir, metadata: ["writ.version": WritVersion.string])
        if let native {
            c.sections.append(BundleSection(tag: NativeSection.tag, bytes: native.encode()))
            c.metadata["native.target"] = native.target
            c.metadata["native.compiler"] = native.compiler
        }
        return c.encode(signingKey: signingKey)
    }
}
