/// `writ keygen --out DIR`: create a bundle-signing key pair.
import ArgumentParser
import WritDriver

struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create an Ed25519 key pair for signing bundles: DIR/writ.key (mode 0600) and DIR/writ.pub.")

    @Option(help: "Directory for the keys (created if needed).")
    var out: String

    @Flag(help: "Replace an existing key.")
    var force = false

    func run() throws {
        let r = try KeyRun.generate(into: out, force: force)
        Console.out("wrote \(r.keyPath) (private, mode 0600) and \(r.pubPath); key id \(r.keyID)\n")
    }
}
