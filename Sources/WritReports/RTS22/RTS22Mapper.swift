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
        var (out, violations) = map(fills, indices: order[...])
        violations += duplicates(fills, order: order)
        return (out, violations)
    }

    /// The indices of `fills` in report order: by trading time, then execution id.
    func reportOrder(_ fills: [FillRecord]) -> [Int] {
        fills.indices.sorted {
            let a = fills[$0]
            let b = fills[$1]
            return a.timestamp != b.timestamp ? a.timestamp < b.timestamp : (a.execID, $0) < (b.execID, $1)
        }
    }

    /// The transactions of the fills at `indices`, and their problems (but
    /// not duplicate ids: see `duplicates`).
    func map(_ fills: [FillRecord], indices: ArraySlice<Int>) -> (
        transactions: [RTS22Transaction], violations: [ReportViolation]
    ) {
        var out: [RTS22Transaction] = []
        out.reserveCapacity(indices.count)
        var violations: [ReportViolation] = []
        for i in indices {
            let f = fills[i]
            var problems: [String] = []
            if let t = transaction(f, &problems) { out.append(t) }
            for p in problems { violations.append(violation(f, p)) }
        }
        return (out, violations)
    }

    /// A violation of fill `f`, named by its TxId.
    func violation(_ f: FillRecord, _ message: String) -> ReportViolation {
        let id = Identifiers.upperAlphanumeric(f.execID)
        return ReportViolation(
            kind: "transaction", record: id.isEmpty ? f.execID : id, source: f.execID, message: message)
    }

    /// A violation for each fill (in `order`) whose TxId an earlier fill already has.
    func duplicates(_ fills: [FillRecord], order: [Int]) -> [ReportViolation] {
        var seen: [String: String] = [:]
        seen.reserveCapacity(order.count)
        var out: [ReportViolation] = []
        for i in order {
            let f = fills[i]
            let id = Identifiers.upperAlphanumeric(f.execID)
            guard !id.isEmpty else { continue }
            if let first = seen[id] {
                out.append(violation(f, "its TxId is also the TxId of fill `\(first)`; transaction ids must be unique"))
            } else {
                seen[id] = f.execID
            }
        }
        return out
    }

    /// One fill's transaction, appending to `problems` what is wrong.
    func transaction(_ f: FillRecord, _ problems: inout [String]) -> RTS22Transaction? {
        let txID = Identifiers.upperAlphanumeric(f.execID)
        if txID.isEmpty {
            problems.append("its `exec_id` `\(f.execID)` has no letter or digit to make a TxId of")
        } else if txID.utf8.count > 52 {
            problems.append("its TxId `\(txID)` is longer than 52 characters")
        }
        func text(_ name: String, _ value: String?) {
            if let value, Identifiers.hasControlCharacters(value) {
                problems.append("field `\(name)` contains a control character or a line break")
            }
        }
        text("exec_id", f.execID)
        text("venue", f.venue)
        text("currency", f.currency)
        text("venue_tx_id", f.venueTransactionID)
        text("isin", f.isin)
        text("buyer", f.buyer)
        text("seller", f.seller)
        text("decision_maker", f.decisionMaker)
        text("executor", f.executor)
        text("country_of_branch", f.countryOfBranch)
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
