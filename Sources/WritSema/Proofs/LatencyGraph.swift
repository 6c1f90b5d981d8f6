/// Shortest one-way latencies between the clusters of a topology, over its
/// links (Floyd–Warshall), with the path that achieves each: what the
/// replication proofs and `writ plan` measure round trips with.

/// The latency graph of a checked program's clusters and links.
public struct LatencyGraph: Sendable {
    /// Cluster names in declaration order; the index of a name is its node.
    public let clusters: [String]
    private let index: [String: Int]
    /// `distance[i][j]`: the shortest one-way latency in nanoseconds, nil when no path.
    private let distance: [[Int64?]]
    /// `next[i][j]`: the node after `i` on a shortest path to `j`.
    private let next: [[Int?]]

    /// Builds the graph of `program`'s clusters and links (links naming an
    /// undeclared cluster are ignored).
    public init(_ program: CheckedProgram) {
        self.init(clusters: program.clusters.map(\.name), links: program.links.map { ($0.from, $0.to, $0.latency) })
    }

    /// Builds the graph of `clusters` joined by symmetric `links` (one-way latency in nanoseconds).
    public init(clusters: [String], links: [(String, String, Int64)]) {
        var index: [String: Int] = [:]
        for (i, c) in clusters.enumerated() where index[c] == nil { index[c] = i }
        let n = clusters.count
        var d = [[Int64?]](repeating: [Int64?](repeating: nil, count: n), count: n)
        var next = [[Int?]](repeating: [Int?](repeating: nil, count: n), count: n)
        for i in 0..<n {
            d[i][i] = 0
            next[i][i] = i
        }
        for (a, b, latency) in links {
            guard let i = index[a], let j = index[b], i != j, latency >= 0 else { continue }
            if d[i][j].map({ latency < $0 }) ?? true {
                d[i][j] = latency
                d[j][i] = latency
                next[i][j] = j
                next[j][i] = i
            }
        }
        for k in 0..<n {
            for i in 0..<n {
                guard let ik = d[i][k] else { continue }
                for j in 0..<n {
                    guard let kj = d[k][j] else { continue }
                    let (sum, overflow) = ik.addingReportingOverflow(kj)
                    if overflow { continue }
                    if d[i][j].map({ sum < $0 }) ?? true {
                        d[i][j] = sum
                        next[i][j] = next[i][k]
                    }
                }
            }
        }
        self.clusters = clusters
        self.index = index
        self.distance = d
        self.next = next
    }

    /// The shortest one-way latency from `a` to `b` in nanoseconds; nil when
    /// no path joins them or either is not a cluster.
    public func latency(_ a: String, _ b: String) -> Int64? {
        guard let i = index[a], let j = index[b] else { return nil }
        return distance[i][j]
    }

    /// The round trip between `a` and `b` (twice the shortest one-way
    /// latency, saturating); nil when no path joins them.
    public func roundTrip(_ a: String, _ b: String) -> Int64? {
        latency(a, b).map { $0 > Int64.max / 2 ? Int64.max : 2 * $0 }
    }

    /// The clusters of a shortest path from `a` to `b`, both ends included;
    /// empty when no path joins them.
    public func path(_ a: String, _ b: String) -> [String] {
        guard let i = index[a], let j = index[b], distance[i][j] != nil else { return [] }
        var out = [clusters[i]]
        var at = i
        while at != j, out.count <= clusters.count, let step = next[at][j] {
            at = step
            out.append(clusters[at])
        }
        return out
    }

    /// The worst round trip between any two of `replicas`, with the pair;
    /// nil when there are fewer than two or some pair has no path (see `disconnected`).
    public func worstRoundTrip(_ replicas: [String]) -> (from: String, to: String, roundTrip: Int64)? {
        var worst: (String, String, Int64)?
        for (i, a) in replicas.enumerated() {
            for b in replicas[(i + 1)...] {
                guard let rt = roundTrip(a, b) else { return nil }
                if worst.map({ rt > $0.2 }) ?? true { worst = (a, b, rt) }
            }
        }
        return worst.map { (from: $0.0, to: $0.1, roundTrip: $0.2) }
    }

    /// A latency in words for messages and tables: whole seconds as `1s`,
    /// else milliseconds with up to three decimals (`0.6ms`, `125.2ms`),
    /// below a microsecond in nanoseconds.
    public static func describe(_ ns: Int64) -> String {
        if ns != 0, ns % 1_000_000_000 == 0 { return "\(ns / 1_000_000_000)s" }
        if ns.magnitude < 1_000 { return "\(ns)ns" }
        let whole = ns / 1_000_000
        var frac = String((ns % 1_000_000).magnitude / 1_000)
        frac = String(repeating: "0", count: 3 - frac.count) + frac
        while frac.hasSuffix("0") { frac.removeLast() }
        return frac.isEmpty ? "\(whole)ms" : "\(ns < 0 && whole == 0 ? "-" : "")\(whole).\(frac)ms"
    }

    /// The first pair of `replicas` that no path joins, if any.
    public func disconnected(_ replicas: [String]) -> (String, String)? {
        for (i, a) in replicas.enumerated() {
            for b in replicas[(i + 1)...] where latency(a, b) == nil { return (a, b) }
        }
        return nil
    }
}
