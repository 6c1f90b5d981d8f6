/// Native rule code (docs/native.md): the interface both sides compile
/// against, the `NATV` section, when an engine declines to run it (and
/// says why), that a tampered object is refused with the bundle, and that
/// native and interpreted engines decide alike. (The differential test runs
/// native engines against the oracle on more than 100,000 events.)

import Foundation
import Testing
import WritCrypto
import WritDriver
import WritEngine
import WritIR

@Suite(.serialized) struct NativeCodeTests {
    /// The rulebooks' IR and its native section, compiled once for the suite.
    static let built: Result<(IRProgram, NativeSection), any Error> = Result {
        let ir = try EnginePrograms.rules()
        return (ir, try NativeBuild.section(ir))
    }

    static func program(_ ir: IRProgram, _ native: NativeSection) -> EngineProgram {
        EngineProgram(ir: ir, native: native.encode())
    }

    @Test func theGeneratedCodeStartsWithTheLoadersHeader() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let header = try String(
            contentsOf: root.appendingPathComponent("Sources/CWritNative/include/writ_native.h"), encoding: .utf8)
        #expect(header == NativeABI.header)
        #expect(header.contains("#define WRIT_NATIVE_ABI \(NativeABI.version)\n"))
        #expect(NativeEmitter.emit(try EnginePrograms.fixture("")).hasPrefix(header))
    }

    @Test func theSectionRoundTripsAndItsFaultsAreNamed() throws {
        let s = NativeSection(
            target: "x86_64-unknown-linux-gnu", abi: 3, compiler: "clang 21", id: Array(0..<32), object: [1, 2, 3, 0xFF])
        let bytes = s.encode()
        #expect(try NativeSection.decode(bytes).get() == s)
        #expect(throws: NativeSectionError.truncated) { try NativeSection.decode(Array(bytes.dropLast())).get() }
        #expect(throws: NativeSectionError.truncated) { try NativeSection.decode(Array(bytes.prefix(40))).get() }
        #expect(throws: NativeSectionError.trailingBytes) { try NativeSection.decode(bytes + [0]).get() }
        var other = bytes
        other[0] = 9
        #expect(throws: NativeSectionError.layout(9)) { try NativeSection.decode(other).get() }
        #expect(NativeSectionError.layout(9).description.contains("layout version 9; this writ reads version 2"))
    }

    @Test func nativeCodeRunsWhenItFitsThisMachine() throws {
        let (ir, native) = try Self.built.get()
        #expect(native.target == NativeSection.hostTarget)
        #expect(Self.program(ir, native).executionMode == .native)
        #expect(EngineProgram(ir: ir).executionMode == .interpreter("the bundle has no native code"))
    }

    @Test func codeForAnotherPlatformOrInterfaceIsNotRun() throws {
        let (ir, native) = try Self.built.get()
        var arm = native
        arm.target = "aarch64-unknown-linux-gnu"
        #expect(
            Self.program(ir, arm).executionMode
                == .interpreter("the native code is for aarch64-unknown-linux-gnu, this machine is \(NativeSection.hostTarget)"))
        var old = native
        old.abi = UInt32(NativeABI.version - 1)
        #expect(
            Self.program(ir, old).executionMode
                == .interpreter(
                    "the native code has interface version \(NativeABI.version - 1); this writ runs version \(NativeABI.version)"))
    }

    @Test func nativeCodeRunsOnlyFromASignedBundle() throws {
        let (ir, native) = try Self.built.get()
        let unsigned = try EngineProgram(
            bundle: BuildRun.bundle(ir, signingKey: nil, native: native), trust: [], allowUnsigned: true)
        #expect(unsigned.executionMode == .interpreter("the bundle is unsigned, and native code runs only from a signed bundle"))
    }

    @Test func anObjectThatDoesNotLoadIsNotRun() throws {
        let (ir, native) = try Self.built.get()
        var garbage = native
        garbage.object = Array(repeating: 0x90, count: 4096)
        guard case .interpreter(let why) = Self.program(ir, garbage).executionMode else {
            Issue.record("a garbage object was taken for native code")
            return
        }
        #expect(why.hasPrefix("dlopen failed:"), "\(why)")
    }

    /// An object that is not the one its section names (its identity
    /// differs) is not run.
    @Test func codeOfAnotherProgramIsNotRun() throws {
        let (ir, native) = try Self.built.get()
        var swapped = native
        swapped.id[0] ^= 0xFF
        #expect(
            Self.program(ir, swapped).executionMode
                == .interpreter("the native code loaded is not the bundle's (its identity differs)"))
    }

    /// dlopen knows an object it has loaded by its path name: while one
    /// program's code is loaded, another program's (or a garbage object)
    /// must still be read from its own bytes — the memory file of a loaded
    /// object stays open, so its /proc/self/fd path is never reused.
    @Test func programsLoadedTogetherRunTheirOwnCode() throws {
        let (ir, native) = try Self.built.get()
        let rules = Self.program(ir, native)
        #expect(rules.executionMode == .native)
        var garbage = native
        garbage.object = Array(repeating: 0x90, count: 4096)
        #expect(Self.program(ir, garbage).executionMode != .native)
        let fixture = try EnginePrograms.fixture(MemoSlotTests.program)
        let fixtureNative = try NativeBuild.section(fixture)
        for _ in 0..<3 {
            // Loaded and unloaded again while the rules' code stays loaded.
            let program = EngineProgram(ir: fixture, native: fixtureNative.encode())
            #expect(program.executionMode == .native)
            let native = Engine(program: program)
            let interpreted = Engine(program: EngineProgram(ir: fixture))
            for line in MemoSlotTests.lines { #expect(native.processLine(line) == interpreted.processLine(line), "\(line)") }
        }
        let engine = Engine(program: rules)
        #expect(engine.processLine(Lines.order("Z-1")) == Engine(program: EngineProgram(ir: ir)).processLine(Lines.order("Z-1")))
    }

    @Test func aChangedByteOfTheNativeCodeRefusesTheBundle() throws {
        let (ir, native) = try Self.built.get()
        let key = try Ed25519PrivateKey.generate()
        var bundle = BuildRun.bundle(ir, signingKey: key, native: native)
        #expect(throws: Never.self) {
            let p = try EngineProgram(bundle: bundle, trust: [key.publicKey], allowUnsigned: false)
            #expect(p.executionMode == .native)
        }
        // A byte in the middle of the object (code, not padding).
        let object = try #require(bundle.indices.first { bundle[$0...].starts(with: native.object.prefix(64)) })
        bundle[object + native.object.count / 2] ^= 0x01
        #expect(throws: EngineLoadError.self) {
            _ = try EngineProgram(bundle: bundle, trust: [key.publicKey], allowUnsigned: false)
        }
        #expect(throws: EngineLoadError.self) {
            _ = try EngineProgram(bundle: bundle, trust: [], allowUnsigned: true)
        }
    }

    /// Native code reads bound lists in place: binding one again changes
    /// what it finds, as it does for the interpreter.
    @Test func aListBoundAgainIsReadAgain() throws {
        let (ir, native) = try Self.built.get()
        let engines = [Engine(program: Self.program(ir, native)), Engine(program: EngineProgram(ir: ir))]
        var lines: [[String?]] = [[], []]
        for (n, e) in engines.enumerated() {
            e.bind("kyc_blocked", symbols: [])
            _ = e.processLine(Lines.market())
            for (round, restricted) in [["SAP"], [], ["BMW", "SAP", "VOW3"], ["BMW"]].enumerated() {
                e.bind("restricted_symbols", symbols: restricted)
                lines[n].append(e.processLine(Lines.order("R-\(round)")))
            }
        }
        #expect(lines[0] == lines[1])
        let restrictedFired = lines[0].map { $0?.contains("restricted") ?? false }
        #expect(restrictedFired == [true, false, true, false], "\(lines[0])")
    }

    @Test func nativeAndInterpretedEnginesDecideAlike() throws {
        let (ir, native) = try Self.built.get()
        let config = EngineConfiguration(
            keysPerSlot: 4096, liveOrders: 4096, idsPerDay: 8192, marketRecords: 1024, killSwitches: 256,
            runtimeSymbols: 65_536)
        let engines = [Engine(program: Self.program(ir, native), configuration: config), Engine(program: EngineProgram(ir: ir), configuration: config)]
        #expect(engines[0].program.executionMode == .native)
        for e in engines {
            e.bind("restricted_symbols", symbols: ["BAD"])
            e.bind("kyc_blocked", symbols: ["C-9"])
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let events = try String(contentsOf: root.appendingPathComponent("samples/events.jsonl"), encoding: .utf8)
        var compared = 0
        for line in events.split(separator: "\n").prefix(4_000) {
            let a = engines[0].processLine(String(line))
            let b = engines[1].processLine(String(line))
            #expect(a == b, "\(line)")
            if a != b { return }
            if a != nil { compared += 1 }
        }
        #expect(compared > 3_000)
        // Explain runs on the interpreter either way, and says the same.
        let order = Lines.order("X-1", qty: "100000000")
        #expect(engines[0].explain(line: order).text == engines[1].explain(line: order).text)
    }
}
