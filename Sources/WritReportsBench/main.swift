/// `writ-reports-bench [FILLS] [CAT_EVENTS] [PER_FILE]`: times 1,000,000
/// fills → validated RTS 22 XML and CAT NDJSON encoding (defaults
/// 1,000,000, 1,000,000 and 100,000). Run from the repository root in
/// release: `swift run -c release writ-reports-bench`.
import WritReports

#if canImport(Glibc)
    import Glibc
#endif

let args = CommandLine.arguments.dropFirst().map { Int($0) }
let fills = (args.count > 0 ? args[0] : nil) ?? 1_000_000
let events = (args.count > 1 ? args[1] : nil) ?? 1_000_000
let perFile = (args.count > 2 ? args[2] : nil) ?? 100_000
do {
    let schemas = try ReportSchemas.locate()
    let folder = "/tmp/writ-reports-bench-\(getpid())"
    let result = try ReportBenchmark.run(
        fills: fills, catEvents: events, folder: folder, schemas: schemas, perFile: perFile)
    rmdir(folder)
    print(result)
} catch {
    print("error: \(error)")
    if let help = error.help { print("help: \(help)") }
    exit(1)
}
