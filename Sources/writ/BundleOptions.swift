/// Options shared by every command that loads a bundle.
import ArgumentParser
import WritDriver
import WritEngine

struct BundleOptions: ParsableArguments {
    @Option(help: "The bundle to load (made by `writ build`).")
    var bundle: String

    @Option(help: "A trusted public key (DIR/writ.pub); repeatable.")
    var trust: [String] = []

    @Flag(help: "Load an unsigned bundle (development only).")
    var allowUnsigned = false

    @Option(help: "Bind run-time data: NAME=FILE; a list has one entry per line, a bound table is a CSV file whose header line names its columns; repeatable.")
    var bind: [String] = []

    @Flag(help: "Bind every run-time list not given with --bind to an empty list, without a warning (the default binds them empty with a warning).")
    var emptyLists = false

    @Flag(help: "Leave run-time lists not given with --bind unbound: every order that reads one is rejected (fail closed), as an embedding host that forgot to bind would see.")
    var strictLists = false

    func validate() throws {
        if emptyLists && strictLists {
            throw ValidationError("`--empty-lists` and `--strict-lists` cannot be used together; pass one of them")
        }
    }

    /// The files this command reads besides its own arguments (the bundle,
    /// trusted keys, bound data), for `OutputPath.check`.
    var inputFiles: [(path: String, what: String)] {
        [(bundle, "the bundle")] + trust.map { ($0, "a trusted key") }
            + bind.compactMap { spec in
                spec.firstIndex(of: "=").map { (String(spec[spec.index(after: $0)...]), "the data bound to `\(spec[..<$0])`") }
            }
    }

    /// Binds the lists named with --bind, then the others as the flags say.
    func bindLists(into engine: Engine) throws {
        try BundleLoad.bind(bind, into: engine)
        if strictLists { return }
        let defaulted = BundleLoad.bindRemainingEmpty(bind, into: engine)
        if !emptyLists && !defaulted.isEmpty {
            Console.error(
                "warning: run-time list\(defaulted.count == 1 ? "" : "s") "
                    + defaulted.map { "`\($0)`" }.joined(separator: ", ")
                    + " not bound: treated as empty (bind with --bind NAME=FILE; --strict-lists rejects instead)")
        }
    }

    var trustOptions: TrustOptions { TrustOptions(bundle: bundle, trust: trust, allowUnsigned: allowUnsigned) }
}
