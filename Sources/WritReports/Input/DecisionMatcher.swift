/// Pairs order events with the engine's decisions on them, for reports
/// that show both (CAT, the CSV order reports): the decision of an event is
/// the first decision with the order's id at or after the event's time, and
/// each decision pairs with one event only.

/// The decision of each order event.
struct DecisionMatcher {
    private var matched: [Int]
    private let decisions: [DecisionRecord]

    init(_ inputs: ReportInputs) {
        decisions = inputs.decisions
        matched = Array(repeating: -1, count: inputs.orders.count)
        // Per id, its decisions in time order as a chain: head[id] → next[…] → …
        let byTime = inputs.decisions.indices.sorted {
            (inputs.decisions[$0].timestamp, $0) < (inputs.decisions[$1].timestamp, $1)
        }
        var next = Array(repeating: -1, count: inputs.decisions.count)
        var head: [String: Int] = [:]
        head.reserveCapacity(inputs.decisions.count)
        for i in byTime.reversed() {
            let id = inputs.decisions[i].orderID
            next[i] = head[id] ?? -1
            head[id] = i
        }
        let inTime = inputs.orders.indices.sorted {
            (inputs.orders[$0].timestamp, $0) < (inputs.orders[$1].timestamp, $1)
        }
        for i in inTime {
            let o = inputs.orders[i]
            guard let h = head.index(forKey: o.id) else { continue }
            var k = head.values[h]
            while k >= 0 && inputs.decisions[k].timestamp < o.timestamp { k = next[k] }
            if k >= 0 {
                matched[i] = k
                head.values[h] = next[k]
            } else {
                head.values[h] = -1
            }
        }
    }

    /// The decision on order event `index`, if there is one.
    func decision(of index: Int) -> DecisionRecord? {
        let k = matched[index]
        return k >= 0 ? decisions[k] : nil
    }
}
