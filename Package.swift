// swift-tools-version: 6.1
// Writ: rule language, compiler and low-latency policy engine.
// The modules follow the pipeline: text → syntax → checked program → IR →
// bundle → engine → audit → reports (see docs/architecture.md).
import PackageDescription

// WRIT_STRICT=1 (set by .ci/run) turns every warning of our own targets into an error.
let strict: [SwiftSetting] =
    Context.environment["WRIT_STRICT"] == "1" ? [.unsafeFlags(["-warnings-as-errors"])] : []

let package = Package(
    name: "writ",
    products: [
        .executable(name: "writ", targets: ["writ"]),
        // Loaded with LD_PRELOAD by `writ bench` to count heap allocations exactly.
        .library(name: "WritAllocCounter", type: .dynamic, targets: ["WritAllocCounter"]),
        .library(name: "WritSyntax", targets: ["WritSyntax"]),
        .library(name: "WritSema", targets: ["WritSema"]),
        .library(name: "WritEngine", targets: ["WritEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "WritValue", swiftSettings: strict),
        .target(name: "WritAllocCounter"),
        .target(name: "WritSyntax", swiftSettings: strict),
        .target(name: "WritSema", dependencies: ["WritSyntax", "WritValue"], swiftSettings: strict),
        // System libraries, wrapped once each (see Sources/COpenSSL, Sources/CSQLite3).
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSQLite3", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "WritCrypto", dependencies: ["COpenSSL"], swiftSettings: strict),
        .target(
            name: "WritIR", dependencies: ["WritCrypto", "WritSema", "WritSyntax", "WritValue", "CWritNative"],
            swiftSettings: strict),
        // The evaluator, state and decisions; depends on the IR only (and Fixed).
        .target(
            name: "WritEngine", dependencies: ["WritIR", "WritValue", "CMallocInfo", "CWritNative"], swiftSettings: strict),
        // Loads a bundle's native rule code (memfd + dlopen); its header is the native code's interface.
        // DWARF 4: valgrind 3.19 (callgrind, used to count instructions) cannot read clang's DWARF 5.
        // C23 for `#embed` (the header's text, which generated code starts with).
        .target(
            name: "CWritNative", cSettings: [.unsafeFlags(["-gdwarf-4", "-std=c23"])], linkerSettings: [.linkedLibrary("dl")]),
        // glibc's mallinfo2, for the engine's benchmark harness.
        .systemLibrary(name: "CMallocInfo"),
        .target(name: "WritAudit", dependencies: ["CSQLite3", "WritCrypto"], swiftSettings: strict),
        // Report generators: RTS 22 XML (written and XSD-validated with libxml2), CAT NDJSON, CSV, summaries.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "WritReports", dependencies: ["CLibXML2", "WritValue"], swiftSettings: strict),
        // The report generators' benchmark: `swift run -c release writ-reports-bench`.
        .executableTarget(
            name: "writ-reports-bench", dependencies: ["WritReports"], path: "Sources/WritReportsBench",
            swiftSettings: strict),
        // A plain interpreter of the checked program: the oracle of the engine's differential test.
        .target(name: "WritOracle", dependencies: ["WritSema", "WritSyntax", "WritValue"], swiftSettings: strict),
        .target(
            name: "WritDriver",
            dependencies: ["WritSyntax", "WritSema", "WritCrypto", "WritAudit", "WritIR", "WritEngine", "WritReports"],
            swiftSettings: strict),
        // Shared by the IR and engine tests; not a product.
        .target(
            name: "WritTestSupport", dependencies: ["WritDriver", "WritIR", "WritSema", "WritSyntax"],
            swiftSettings: strict),
        .executableTarget(
            name: "writ",
            dependencies: ["WritDriver", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict),
        .testTarget(name: "WritValueTests", dependencies: ["WritValue"], swiftSettings: strict),
        .testTarget(
            name: "WritDriverTests", dependencies: ["WritDriver", "writ"], resources: [.copy("Fixtures")],
            swiftSettings: strict),
        .testTarget(name: "WritCryptoTests", dependencies: ["WritCrypto"], swiftSettings: strict),
        .testTarget(
            name: "WritIRTests", dependencies: ["WritIR", "WritCrypto", "WritDriver", "WritTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: strict),
        .testTarget(
            name: "WritEngineTests", dependencies: ["WritEngine", "WritIR", "WritCrypto", "WritDriver", "WritTestSupport"],
            resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "WritAuditTests", dependencies: ["WritAudit", "WritCrypto"], swiftSettings: strict),
        .testTarget(
            name: "WritReportsTests", dependencies: ["WritReports", "WritValue"], resources: [.copy("Fixtures")],
            swiftSettings: strict),
        .testTarget(
            name: "WritOracleTests",
            dependencies: [
                "WritOracle", "WritSema", "WritSyntax", "WritValue", "WritDriver", "WritEngine", "WritIR", "WritCrypto",
                "WritTestSupport",
            ],
            resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(
            name: "WritSyntaxTests", dependencies: ["WritSyntax"], resources: [.copy("Fixtures")],
            swiftSettings: strict),
        .testTarget(
            name: "WritSemaTests", dependencies: ["WritSema", "WritSyntax", "WritDriver"],
            resources: [.copy("Fixtures")], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
