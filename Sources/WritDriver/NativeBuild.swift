/// `writ build --native`: the program's IR as C (`NativeEmitter`), compiled
/// by the machine's C compiler into a shared object that goes into the
/// bundle's `NATV` section (docs/native.md). The compiler is `$WRIT_CC`, or
/// the first of `clang`, `cc`, `gcc` on the PATH (Swift's toolchain ships
/// clang). The object links against nothing, so loading it needs nothing.

import Foundation
import WritIR

/// Why native code could not be built.
public struct NativeBuildError: Error, Sendable, CustomStringConvertible {
    /// What went wrong and what to do.
    public let description: String
}

/// Compiles a program's native code.
public enum NativeBuild {
    /// The flags: optimized, position-independent, no C library, every
    /// reference resolved at link time, no build id or symbol table (so the
    /// same compiler gives the same bytes).
    static let flags = [
        "-O2", "-fPIC", "-shared", "-nostdlib", "-fno-stack-protector", "-fvisibility=hidden", "-w",
        "-Wl,--no-undefined", "-Wl,-z,noexecstack", "-Wl,--build-id=none", "-s",
    ]

    /// The C compiler to use: `$WRIT_CC` (a path, or a name looked up on
    /// the PATH), else the first of clang, cc, gcc on the PATH.
    public static func compiler() -> String? {
        let env = ProcessInfo.processInfo.environment
        let path = (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        func find(_ name: String) -> String? {
            if name.contains("/") { return name }
            return path.lazy.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        if let cc = env["WRIT_CC"], !cc.isEmpty { return find(cc) ?? cc }
        return ["clang", "cc", "gcc"].lazy.compactMap(find).first
    }

    /// The `NATV` section of `ir`: its C compiled for this machine.
    public static func section(_ ir: IRProgram) throws(NativeBuildError) -> NativeSection {
        guard let cc = compiler() else {
            throw NativeBuildError(
                description:
                    "no C compiler found for --native; install clang (or gcc), set WRIT_CC, or build without --native")
        }
        let c = NativeEmitter.source(ir)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("writ-native-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appendingPathComponent("rules.c")
        let object = dir.appendingPathComponent("rules.so")
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(c.text.utf8).write(to: source)
        } catch {
            throw NativeBuildError(description: "cannot write the native code's C to \(dir.path): \(error)")
        }
        let (status, output) = run(cc, flags + ["-o", object.path, source.path])
        guard status == 0, let bytes = try? Data(contentsOf: object) else {
            throw NativeBuildError(
                description: "\(cc) could not compile the native code (exit \(status)):\n\(output)"
                    + "\nhelp: build without --native, or set WRIT_CC to another C compiler")
        }
        let version = run(cc, ["--version"]).output.split(separator: "\n").first.map(String.init) ?? cc
        return NativeSection(
            target: NativeSection.hostTarget, abi: UInt32(NativeABI.version), compiler: version, id: c.id,
            object: Array(bytes))
    }

    /// Runs a command; its exit status and its output and errors together.
    private static func run(_ tool: String, _ arguments: [String]) -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        do { try p.run() } catch { return (-1, "cannot run \(tool): \(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
