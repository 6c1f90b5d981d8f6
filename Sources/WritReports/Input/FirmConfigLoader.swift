/// Reading the firm's configuration from JSON, with an error for every
/// mistake that names the key (`firm.lei`), says what is wrong and how to
/// fix it; unknown keys are errors, with a did-you-mean.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension FirmConfig {
    /// Reads the configuration file at `path`.
    public static func load(path: String) throws(ReportError) -> FirmConfig {
        guard let text = readTextFile(path) else {
            throw ReportError.configuration(
                path: path, message: "cannot read the file: \(String(cString: strerror(errno)))",
                help: "pass the path of the firm's JSON configuration (see docs/reports.md)")
        }
        return try parse(text, path: path)
    }

    /// Reads a configuration from its JSON text; `path` names it in errors.
    public static func parse(_ text: String, path: String = "firm.json") throws(ReportError) -> FirmConfig {
        let json: JSONValue
        do {
            json = try JSONValue.parse(text)
        } catch {
            throw ReportError.configuration(
                path: path, message: "not valid JSON: \(error)", help: "the file must hold one JSON object")
        }
        return try ConfigReader(path: path).firmConfig(json)
    }
}

/// Reads a whole file as UTF-8; nil if it cannot be read.
func readTextFile(_ path: String) -> String? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = fread(&chunk, 1, chunk.count, f)
        if n > 0 { bytes.append(contentsOf: chunk[..<n]) }
        if n < chunk.count { break }
    }
    if ferror(f) != 0 { return nil }
    return String(decoding: bytes, as: UTF8.self)
}

private struct ConfigReader {
    let path: String

    func fail(_ message: String, help: String? = nil) -> ReportError {
        .configuration(path: path, message: message, help: help)
    }

    /// The members of an object at `at`, refusing keys outside `allowed`.
    func members(_ v: JSONValue?, at: String, allowed: [String]) throws(ReportError) -> JSONValue {
        guard let v else { throw fail("missing `\(at)`") }
        guard case .object(let m) = v else { throw fail("`\(at)` must be an object, not \(v.kindName)") }
        for (k, _) in m where !allowed.contains(k) {
            let near = Suggest.nearest(k, in: allowed)
            throw fail(
                "unknown key `\(k)` in `\(at)`",
                help: near.map { "did you mean `\($0)`?" } ?? "the keys of `\(at)` are \(Suggest.list(allowed))")
        }
        return v
    }

    func string(_ o: JSONValue, _ key: String, at: String) throws(ReportError) -> String? {
        switch o[key] {
        case nil, .null?: return nil
        case .string(let s)?:
            guard !Identifiers.hasControlCharacters(s) else {
                throw fail("`\(at).\(key)` contains a control character or a line break")
            }
            return s
        case let v?: throw fail("`\(at).\(key)` must be a string, not \(v.kindName)")
        }
    }

    func required(_ o: JSONValue, _ key: String, at: String, example: String) throws(ReportError) -> String {
        guard let s = try string(o, key, at: at) else {
            throw fail("missing `\(at).\(key)`", help: "add `\"\(key)\": \"\(example)\"` to `\(at)`")
        }
        guard !s.isEmpty else { throw fail("`\(at).\(key)` is empty") }
        return s
    }

    func lei(_ s: String, at: String) throws(ReportError) -> String {
        guard Identifiers.hasLEIShape(s) else {
            throw fail(
                "`\(at)` is not an LEI: `\(s)`",
                help: "an LEI has 20 characters: 18 capital letters or digits, then 2 digits")
        }
        guard Identifiers.isValidLEI(s) else {
            throw fail("`\(at)` fails its check digits: `\(s)`", help: "check the LEI against the GLEIF record")
        }
        return s
    }

    func country(_ s: String, at: String) throws(ReportError) -> String {
        guard Identifiers.isCountryCode(s) else {
            throw fail("`\(at)` is not a country code: `\(s)`", help: "use ISO 3166 alpha-2 in capitals, e.g. `DE`")
        }
        return s
    }

    func oneOf(_ s: String, _ allowed: [String], at: String) throws(ReportError) -> String {
        guard allowed.contains(s) else {
            throw fail("`\(at)` is not one of \(Suggest.list(allowed)): `\(s)`")
        }
        return s
    }

    func alphanumeric(_ s: String, at: String, max: Int) throws(ReportError) -> String {
        guard !s.isEmpty, s.utf8.count <= max, s.utf8.allSatisfy({ isAlnum($0) }) else {
            throw fail("`\(at)` must be 1 to \(max) letters or digits: `\(s)`")
        }
        return s
    }

    func isAlnum(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }

    func stringMap(_ o: JSONValue, _ key: String, at: String) throws(ReportError) -> [String: String] {
        switch o[key] {
        case nil, .null?: return [:]
        case .object(let m)?:
            var out: [String: String] = [:]
            for (k, v) in m {
                guard case .string(let s) = v else {
                    throw fail("`\(at).\(key).\(k)` must be a string, not \(v.kindName)")
                }
                out[k] = s
            }
            return out
        case let v?: throw fail("`\(at).\(key)` must be an object, not \(v.kindName)")
        }
    }

    func firmConfig(_ root: JSONValue) throws(ReportError) -> FirmConfig {
        let top = try members(root, at: "the file", allowed: ["firm", "rts22", "cat", "clients", "people"])
        let firm = try members(top["firm"], at: "firm", allowed: ["lei", "name", "country", "investment_firm"])
        let leiText = try lei(try required(firm, "lei", at: "firm", example: "529900T8BM49AURSDO55"), at: "firm.lei")
        let name = try required(firm, "name", at: "firm", example: "Example Securities AG")
        let home = try country(try required(firm, "country", at: "firm", example: "DE"), at: "firm.country")
        var investmentFirm = true
        switch firm["investment_firm"] {
        case nil, .null?: break
        case .bool(let b)?: investmentFirm = b
        case let v?: throw fail("`firm.investment_firm` must be true or false, not \(v.kindName)")
        }
        var config = FirmConfig(lei: leiText, name: name, country: home, investmentFirm: investmentFirm)
        if let r = top["rts22"] {
            let o = try members(
                r, at: "rts22",
                allowed: ["submitting_lei", "eu_recipient", "uk_recipient", "max_transactions_per_file"])
            if let s = try string(o, "submitting_lei", at: "rts22") {
                config.submittingLEI = try lei(s, at: "rts22.submitting_lei")
            }
            if let s = try string(o, "eu_recipient", at: "rts22") {
                config.euRecipient = try country(s, at: "rts22.eu_recipient")
            }
            if let s = try string(o, "uk_recipient", at: "rts22") {
                config.ukRecipient = try country(s, at: "rts22.uk_recipient")
            }
            switch o["max_transactions_per_file"] {
            case nil, .null?: break
            case .number(let n)?:
                guard let v = Int(n), (1...RTS22Limits.maxTransactionsPerFile).contains(v) else {
                    throw fail(
                        "`rts22.max_transactions_per_file` must be a whole number from 1 to "
                            + "\(RTS22Limits.maxTransactionsPerFile): `\(n)`")
                }
                config.maxTransactionsPerFile = v
            case let v?: throw fail("`rts22.max_transactions_per_file` must be a number, not \(v.kindName)")
            }
        }
        if let c = top["cat"] {
            config.cat = try catIdentity(c)
        }
        if let c = top["clients"] {
            guard case .object(let m) = c else { throw fail("`clients` must be an object, not \(c.kindName)") }
            for (code, v) in m {
                let at = "clients.\(code)"
                if case .object = v, v["lei"] != nil {
                    let o = try members(v, at: at, allowed: ["lei"])
                    config.clients[code] = .lei(try lei(try required(o, "lei", at: at, example: ""), at: at + ".lei"))
                } else {
                    config.clients[code] = .person(try person(v, at: at))
                }
            }
        }
        if let p = top["people"] {
            guard case .object(let m) = p else { throw fail("`people` must be an object, not \(p.kindName)") }
            for (code, v) in m { config.people[code] = try person(v, at: "people.\(code)") }
        }
        return config
    }

    func catIdentity(_ c: JSONValue) throws(ReportError) -> CATIdentity {
        let o = try members(
            c, at: "cat",
            allowed: [
                "submitter_id", "crd", "imid", "file_group", "department_type", "account_holder_type",
                "account_holder_types", "exchange_ids",
            ])
        let submitter = try alphanumeric(
            try required(o, "submitter_id", at: "cat", example: "123456"), at: "cat.submitter_id", max: 32)
        let crd = try required(o, "crd", at: "cat", example: "123456")
        guard crd.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), crd.utf8.count <= 10 else {
            throw fail("`cat.crd` must be a CRD number (digits only): `\(crd)`")
        }
        let imid = try alphanumeric(try required(o, "imid", at: "cat", example: "EXSA"), at: "cat.imid", max: 7)
        guard crd.utf8.count + 1 + imid.utf8.count <= 16 else {
            throw fail("`cat.crd` and `cat.imid` make an Industry Member ID longer than 16 characters")
        }
        var id = CATIdentity(submitterID: submitter, crd: crd, imid: imid)
        if let g = try string(o, "file_group", at: "cat") {
            id.fileGroup = try alphanumeric(g, at: "cat.file_group", max: 20)
        }
        if let d = try string(o, "department_type", at: "cat") {
            id.departmentType = try oneOf(d, CATChoices.departmentTypes, at: "cat.department_type")
        }
        if let a = try string(o, "account_holder_type", at: "cat") {
            id.defaultAccountHolderType = try oneOf(a, CATChoices.accountHolderTypes, at: "cat.account_holder_type")
        }
        for (k, v) in try stringMap(o, "account_holder_types", at: "cat") {
            id.accountHolderTypes[k] = try oneOf(v, CATChoices.accountHolderTypes, at: "cat.account_holder_types.\(k)")
        }
        for (k, v) in try stringMap(o, "exchange_ids", at: "cat") {
            id.exchangeIDs[k] = try oneOf(v, CATChoices.exchangeIDs, at: "cat.exchange_ids.\(k)")
        }
        return id
    }

    func person(_ v: JSONValue, at: String) throws(ReportError) -> PersonIdentity {
        let o = try members(
            v, at: at, allowed: ["first_name", "surname", "birth_date", "id", "scheme", "country_of_branch"])
        let id = try required(o, "id", at: at, example: "DE19800101JOHN#SMITH")
        let scheme = try oneOf(
            try required(o, "scheme", at: at, example: "CONCAT"), ["NIDN", "CCPT", "CONCAT"], at: at + ".scheme")
        var p = PersonIdentity(id: id, scheme: scheme)
        p.firstName = try string(o, "first_name", at: at)
        p.surname = try string(o, "surname", at: at)
        if let b = try string(o, "birth_date", at: at) {
            guard ReportDate(b) != nil || isPastDate(b) else {
                throw fail("`\(at).birth_date` is not a date `YYYY-MM-DD`: `\(b)`")
            }
            p.birthDate = b
        }
        if let c = try string(o, "country_of_branch", at: at) {
            p.countryOfBranch = try country(c, at: at + ".country_of_branch")
        }
        return p
    }

    /// Birth dates may precede 1970, which `ReportDate` does not cover.
    func isPastDate(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return false }
        let digits = [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { b[$0] >= 0x30 && b[$0] <= 0x39 }
        guard digits else { return false }
        let y = Int(String(decoding: b[0..<4], as: UTF8.self)) ?? 0
        let m = Int(String(decoding: b[5..<7], as: UTF8.self)) ?? 0
        let d = Int(String(decoding: b[8..<10], as: UTF8.self)) ?? 0
        return y >= 1900 && (1...12).contains(m) && (1...31).contains(d)
    }
}

/// Did-you-mean for keys.
enum Suggest {
    /// The candidate closest to `word` by edit distance, if it is close (at most 2 edits).
    static func nearest(_ word: String, in candidates: [String]) -> String? {
        let w = Array(word)
        var best: (String, Int)?
        for c in candidates {
            let d = distance(w, Array(c))
            if d <= 2, best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }

    /// `` `a`, `b` or `c` ``.
    static func list(_ items: [String]) -> String {
        let q = items.map { "`\($0)`" }
        guard q.count > 1 else { return q.first ?? "" }
        return q.dropLast().joined(separator: ", ") + " or " + q.last!
    }

    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var prev = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var cur = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return a.isEmpty ? b.count : prev[b.count]
    }
}
