/// `writ build PATH... -o BUNDLE --sign DIR/writ.key`: check, compile and
/// pack the rules into a signed bundle; `--dump-ir` prints the IR.
import ArgumentParser
import WritCrypto
import WritDriver
import WritIR

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Compile rule files into a signed bundle.",
        discussion: "Exit status: 0 built, 1 the rules have errors, 2 usage or I/O problems.")

    @Argument(help: "Rule files or directories (default: rules).")
    var paths: [String] = []

    @Option(name: .shortAndLong, help: "The bundle file to write.")
    var output: String?

    @Option(
        name: .customLong("sign"),
        help: ArgumentHelp("The private key to sign with (DIR/writ.key, from `writ keygen`); given once.", valueName: "sign"))
    var signKeys: [String] = []

    /// The signing key's path (`--sign`, refused when given twice).
    var sign: String? { signKeys.first }

    @Flag(help: "Write an unsigned bundle (development only).")
    var unsigned = false

    @Flag(help: "Print the IR.")
    var dumpIr = false

    @Flag(
        help: ArgumentHelp(
            "Also compile the rules to native code for this machine (needs a C compiler: clang, cc, gcc or $WRIT_CC).",
            discussion: "Engines on the same platform run the rules natively; others interpret them (docs/native.md)."))
    var native = false

    @Flag(help: "Print the C that --native compiles.")
    var dumpC = false

    func validate() throws {
        if signKeys.count > 1 {
            throw ValidationError(
                "`--sign` is given \(signKeys.count) times (\(signKeys.map { "`\($0)`" }.joined(separator: ", "))); sign with one key")
        }
        if output == nil && !dumpIr && !dumpC {
            throw ValidationError("pass `-o BUNDLE` (or `--dump-ir` or `--dump-c` to only print the IR or its C)")
        }
        if output != nil && sign == nil && !unsigned {
            throw ValidationError("pass `--sign DIR/writ.key` (or `--unsigned` for development)")
        }
        if sign != nil && unsigned { throw ValidationError("`--sign` and `--unsigned` cannot be used together") }
    }

    func run() throws {
        var key: Ed25519PrivateKey?
        if let sign {
            do { key = try Ed25519PrivateKey.read(from: sign) } catch {
                throw UsageError(error.description + (error.help.map { "; \($0)" } ?? ""))
            }
        }
        let r = try BuildRun.build(paths: paths.isEmpty ? ["rules"] : paths, signingKey: key)
        let c = r.compilation
        let text = c.renderer.renderAll(c.diagnostics)
        if !text.isEmpty { Console.error(text) }
        if let e = r.compileErrorText { Console.error(e) }
        guard var bundle = r.bundle, let program = r.program else { throw ExitCode(1) }
        if dumpIr, let d = r.dump { Console.out(d) }
        if dumpC { Console.out(NativeEmitter.emit(program)) }
        if native && output != nil {
            do {
                bundle = BuildRun.bundle(program, signingKey: key, native: try NativeBuild.section(program))
            } catch {
                throw UsageError(error.description)
            }
        }
        if let output {
            // The bundle must not replace a rule file, a data file or the signing key it was made from.
            let inputs = c.files.map { ($0.path, "a rule file") } + c.dataFiles.map { ($0, "a data file") }
                + (sign.map { [($0, "the signing key")] } ?? [])
            try OutputPath.check(output, option: "-o", inputs: inputs)
            try AtomicFile.write(bundle, to: output)
            let how = key == nil ? "unsigned" : "signed by key \(key!.publicKey.keyID)"
            Console.error("wrote \(output) (\(bundle.count) bytes, \(how)\(native ? ", with native code" : ""))")
        }
    }
}
