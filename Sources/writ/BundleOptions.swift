/// Options shared by every command that loads a bundle.
import ArgumentParser
import WritDriver

struct BundleOptions: ParsableArguments {
    @Option(help: "The bundle to load (made by `writ build`).")
    var bundle: String

    @Option(help: "A trusted public key (DIR/writ.pub); repeatable.")
    var trust: [String] = []

    @Flag(help: "Load an unsigned bundle (development only).")
    var allowUnsigned = false

    @Option(help: "Bind a run-time list: NAME=FILE, one entry per line; repeatable.")
    var bind: [String] = []

    @Flag(help: "Bind every run-time list not given with --bind to an empty list (otherwise reading one rejects: fail closed).")
    var emptyLists = false

    var trustOptions: TrustOptions { TrustOptions(bundle: bundle, trust: trust, allowUnsigned: allowUnsigned) }
}
