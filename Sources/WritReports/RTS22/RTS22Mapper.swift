/// From fills to RTS 22 transactions: the transaction id from the execution
/// id, the parties from the fill's codes and the firm's configuration, the
/// short-selling indicator from the order's side. Everything the schema
/// cannot see is checked here (missing fields, LEI and ISIN check digits,
/// unknown client codes, duplicate ids); each problem is a violation naming
/// the transaction.

/// Maps fills to transactions.
public struct RTS22Mapper: Sendable {
    /// The reporting firm.
    public var firm: FirmConfig

    /// Creates a mapper for `firm`.
    public init(firm: FirmConfig) { self.firm = firm }

    /// The transactions of `fills`, sorted by trading time then execution
    /// id, and every problem found. A fill whose problem leaves no value to
    /// write (no ISIN, no capacity, no buyer, …) has no transaction; the
    /// others are kept, so that the schema can name their problems too.
    public func map(_ fills: [FillRecord]) -> (transactions: [RTS22Transaction], violations: [ReportViolation]) {
        let order = reportOrder(fills)
        let chunk = map(fills, indices: order[...])
        let all = (chunk.violations + duplicates(fills, order: order)).enumerated().sorted {
            ($0.element.position, $0.offset) < ($1.element.position, $1.offset)
        }
        return (chunk.transactions, all.map(\.element.violation))
    }

    /// The indices of `fills` in report order: by trading time, then execution id.
    func reportOrder(_ fills: [FillRecord]) -> [Int] {
        // Sort compact keys; execution ids are compared only between fills of the same time.
        var keys = fills.indices.map { (fills[$0].timestamp, $0) }
        keys.sort { a, b in
            if a.0 != b.0 { return a.0 < b.0 }
            let x = fills[a.1].execID
            let y = fills[b.1].execID
            return x != y ? x < y : a.1 < b.1
        }
        return keys.map(\.1)
    }

    /// The transactions of the fills at `indices` (a slice of the report
    /// order, so its indices are report positions), and their problems (but
    /// not duplicate ids: see `duplicates`).
    func map(_ fills: [FillRecord], indices: ArraySlice<Int>) -> MappedTransactions {
        var out = MappedTransactions()
        out.transactions.reserveCapacity(indices.count)
        out.positions.reserveCapacity(indices.count)
        for position in indices.indices {
            let f = fills[indices[position]]
            var problems: [String] = []
            if let t = transaction(f, &problems) {
                out.transactions.append(t)
                out.positions.append(position)
            }
            for p in problems { out.violations.append((position, violation(f, p))) }
        }
        return out
    }

    /// A violation of fill `f`, named by its TxId.
    func violation(_ f: FillRecord, _ message: String) -> ReportViolation {
        let id = Identifiers.upperAlphanumeric(f.execID)
        return ReportViolation(
            kind: "transaction", record: id.isEmpty ? f.execID : id, source: f.execID, message: message)
    }

    /// A violation for each fill (in `order`) whose TxId an earlier fill already has.
    func duplicates(_ fills: [FillRecord], order: [Int]) -> [(position: Int, violation: ReportViolation)] {
        // Sort 64-bit hashes of the ids with their positions; only equal hashes
        // need their ids compared. Much cheaper than a dictionary of a million strings.
        var keys: [(hash: UInt64, position: Int)] = []
        keys.reserveCapacity(order.count)
        for (position, i) in order.enumerated() where !fills[i].isCancellation {
            // A cancellation repeats the TxId of the transaction it cancels.
            keys.append((RTS22Mapper.fnv1a(fills[i].execID), position))
        }
        keys.sort { ($0.hash, $0.position) < ($1.hash, $1.position) }
        var out: [(position: Int, violation: ReportViolation)] = []
        var start = 0
        while start < keys.count {
            var end = start + 1
            while end < keys.count && keys[end].hash == keys[start].hash { end += 1 }
            if end - start > 1 {
                // Same hash: group by the real id, in report order.
                var first: [String: String] = [:]
                for k in keys[start..<end] {
                    let f = fills[order[k.position]]
                    let id = Identifiers.upperAlphanumeric(f.execID)
                    guard !id.isEmpty else { continue }
                    if let earlier = first[id] {
                        out.append(
                            (
                                k.position,
                                violation(
                                    f, "its TxId is also the TxId of fill `\(earlier)`; transaction ids must be unique")
                            ))
                    } else {
                        first[id] = f.execID
                    }
                }
            }
            start = end
        }
        return out.sorted { $0.position < $1.position }
    }

    /// FNV-1a over the TxId an execution id becomes (capitals and digits only).
    static func fnv1a(_ execID: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in execID.utf8 {
            var b = c
            if b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") {
                b -= 32
            } else if !((b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")))
            {
                continue
            }
            h = (h ^ UInt64(b)) &* 0x100_0000_01b3
        }
        return h
    }

    /// One fill's transaction, appending to `problems` what is wrong.
    func transaction(_ input: FillRecord, _ problems: inout [String]) -> RTS22Transaction? {
        var f = input
        let txID = Identifiers.upperAlphanumeric(f.execID)
        if txID.isEmpty {
            problems.append("its `exec_id` `\(f.execID)` has no letter or digit to make a TxId of")
        } else if txID.utf8.count > 52 {
            problems.append("its TxId `\(txID)` is longer than 52 characters")
        }
        if f.isCancellation {
            // A cancellation names the transaction reported before; nothing else is written.
            var t = RTS22Transaction(
                transactionID: txID, sourceID: f.execID, executingEntity: firm.lei, investmentFirm: firm.investmentFirm,
                submittingEntity: firm.submittingLEI, buyer: .internalAccount, seller: .internalAccount,
                tradingTime: f.timestamp, capacity: f.capacity ?? .dealing, quantity: f.quantity, price: f.price,
                currency: f.currency, venue: f.venue, isin: f.isin ?? "", executor: .client)
            t.isCancellation = true
            return t
        }
        var control = false
        let texts: KeyValuePairs<StaticString, String?> = [
            "exec_id": f.execID, "venue": f.venue, "currency": f.currency, "venue_tx_id": f.venueTransactionID,
            "isin": f.isin, "buyer": f.buyer, "seller": f.seller, "decision_maker": f.decisionMaker,
            "executor": f.executor, "country_of_branch": f.countryOfBranch,
        ]
        for (name, value) in texts {
            if let value, Identifiers.hasControlCharacters(value) {
                problems.append("field `\(name)` contains a control character or a line break")
                control = true
            }
        }
        if control {
            // The report fails anyway; keep one transaction per line so that
            // schema problems of other transactions are still named rightly.
            f = RTS22Mapper.withoutControlCharacters(f)
        }
        var isin = ""
        if let i = f.isin {
            isin = i
            if Identifiers.hasISINShape(i) && !Identifiers.isValidISIN(i) {
                problems.append("the ISIN `\(i)` fails its check digit")
            }
        } else {
            problems.append("the fill has no `isin`; an RTS 22 report names the instrument by its ISIN")
        }
        if f.capacity == nil {
            problems.append("the fill has no `capacity`; give `DEAL`, `MTCH` or `AOTC`")
        }
        let buyer = party(f.buyer, role: "buyer", f, &problems)
        let seller = party(f.seller, role: "seller", f, &problems)
        guard let capacity = f.capacity, let buyer, let seller, f.isin != nil else { return nil }
        return RTS22Transaction(
            transactionID: txID, sourceID: f.execID, executingEntity: firm.lei, investmentFirm: firm.investmentFirm,
            submittingEntity: firm.submittingLEI, buyer: buyer.party, buyerBranch: buyer.branch, seller: seller.party,
            sellerBranch: seller.branch, tradingTime: f.timestamp, capacity: capacity, quantity: f.quantity,
            price: f.price, currency: f.currency, venue: f.venue, countryOfBranch: f.countryOfBranch,
            venueTransactionID: f.venueTransactionID, isin: isin,
            investmentDecision: f.decisionMaker.map { actor($0, f) },
            executor: f.executor.map { actor($0, f) } ?? .client,
            shortSelling: ShortSellingIndicator(side: f.side))
    }

    /// A buyer or seller code as a party, with the branch country when it is a client.
    func party(_ code: String?, role: String, _ f: FillRecord, _ problems: inout [String]) -> (
        party: RTS22Party, branch: String?
    )? {
        guard let code, !code.isEmpty else {
            problems.append("the fill has no `\(role)`; give an LEI or a client code")
            return nil
        }
        if let client = firm.clients[code] {
            switch client {
            case .lei(let l): return (.lei(l), f.countryOfBranch)
            case .person(let p): return (.person(p), f.countryOfBranch ?? p.countryOfBranch)
            }
        }
        if code == "INTC" { return (.internalAccount, f.countryOfBranch) }
        if code.utf8.count == 20 && Identifiers.isUpperAlphanumeric(code, maxLength: 20) {
            if Identifiers.hasLEIShape(code) && !Identifiers.isValidLEI(code) {
                problems.append("the LEI `\(code)` of the \(role) fails its check digits")
            }
            // A wrong shape is left to the schema, which names the pattern.
            return (.lei(code), nil)
        }
        if code == f.venue && Identifiers.isMIC(code) { return (.mic(code), nil) }
        problems.append(
            "the \(role) `\(code)` is neither an LEI nor a client code of the firm's configuration; "
                + "add it to `clients`")
        return nil
    }

    /// A decision maker or executor code: a person of the configuration, else an algorithm.
    func actor(_ code: String, _ f: FillRecord) -> RTS22Actor {
        if let p = firm.people[code] {
            return .person(
                id: p.id, scheme: p.scheme, countryOfBranch: p.countryOfBranch ?? f.countryOfBranch ?? firm.country)
        }
        return .algorithm(code)
    }
}

extension RTS22Mapper {
    /// `f` with every control character of its texts replaced by `?`.
    static func withoutControlCharacters(_ f: FillRecord) -> FillRecord {
        func clean(_ s: String) -> String {
            String(decoding: s.utf8.map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: "?") : $0 }, as: UTF8.self)
        }
        var g = f
        g.execID = clean(f.execID)
        g.venue = clean(f.venue)
        g.currency = clean(f.currency)
        g.venueTransactionID = f.venueTransactionID.map(clean)
        g.isin = f.isin.map(clean)
        g.buyer = f.buyer.map(clean)
        g.seller = f.seller.map(clean)
        g.decisionMaker = f.decisionMaker.map(clean)
        g.executor = f.executor.map(clean)
        g.countryOfBranch = f.countryOfBranch.map(clean)
        return g
    }
}

/// Transactions mapped from a range of the report order.
struct MappedTransactions {
    /// The transactions, in report order.
    var transactions: [RTS22Transaction] = []
    /// The report position of each transaction.
    var positions: [Int] = []
    /// Problems, with the report position of their fill.
    var violations: [(position: Int, violation: ReportViolation)] = []
}
