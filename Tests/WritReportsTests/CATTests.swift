/// FINRA CAT: the golden file of the sample day, every event checked against
/// reports/schemas/CAT_2d_schema.json (names, required fields, JSON types,
/// allowed values, lengths, digits), the built-in choices against the
/// schema, file naming, problems named by record, an empty day, and
/// byte-identical output.
import Foundation
import Testing
import WritValue

@testable import WritReports

/// CAT's field schema, read with Foundation (independently of the generator).
struct CATSchema {
    let events: [String: [[String: Any]]]
    let dataTypes: [String: [String: Any]]
    let choices: [String: [String]]
    let nameValuePairs: [String: [String: String]]

    init() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: try Fixtures.schemas.catSchema))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var events: [String: [[String: Any]]] = [:]
        for e in root["eventDefinitions"] as? [[String: Any]] ?? [] {
            events[e["eventName"] as! String] = e["fields"] as? [[String: Any]]
        }
        self.events = events
        var types: [String: [String: Any]] = [:]
        for t in root["dataTypes"] as? [[String: Any]] ?? [] { types[t["dataType"] as! String] = t }
        dataTypes = types
        choices = (root["choices"] as? [String: [String]]) ?? [:]
        var pairs: [String: [String: String]] = [:]
        for nv in root["nameValuePairDefinitions"] as? [[String: Any]] ?? [] {
            var fields: [String: String] = [:]
            for f in nv["fields"] as? [[String: Any]] ?? [] { fields[f["name"] as! String] = f["dataType"] as? String }
            pairs[nv["nameValuePair"] as! String] = fields
        }
        nameValuePairs = pairs
    }

    func allowed(_ dataType: String) -> [String]? {
        (dataTypes[dataType]?["allowedValues"] as? [Any])?.compactMap { $0 as? String }
    }

    /// Every problem of one event line (empty when it conforms).
    func problems(_ line: String) -> [String] {
        guard (try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil else { return ["not JSON: \(line)"] }
        guard let value = try? JSONValue.parse(line), case .object(let members) = value else {
            return ["not an object"]
        }
        guard case .string(let type)? = value["type"] else { return ["no `type`"] }
        guard let defs = events[type] else { return ["unknown event type \(type)"] }
        var out: [String] = []
        if allowed("Message Type")?.contains(type) != true { out.append("\(type) is not a Message Type") }
        var byName: [String: [String: Any]] = [:]
        for d in defs { byName[d["name"] as! String] = d }
        for d in defs where d["required"] as? String == "Required" {
            if value[d["name"] as! String] == nil { out.append("\(type): required `\(d["name"]!)` is missing") }
        }
        for (name, v) in members {
            guard let d = byName[name] else {
                out.append("\(type): `\(name)` is not a field of \(type)")
                continue
            }
            out += check(type, name, v, d)
        }
        return out
    }

    func check(_ type: String, _ name: String, _ v: JSONValue, _ d: [String: Any]) -> [String] {
        var out: [String] = []
        let jsonTypes: [String] = (d["JSONDataType"] as? [String]) ?? [(d["JSONDataType"] as? String) ?? ""]
        let kind: String =
            switch v {
            case .string: "STRING"
            case .number: "NUMBER"
            case .bool: "BOOLEAN"
            case .object: "OBJECT"
            case .array: "ARRAY"
            case .null: "NULL"
            }
        if !jsonTypes.contains(kind) { out.append("\(type).\(name): \(kind), expected \(jsonTypes)") }
        let dataTypes: [String] = (d["dataType"] as? [String]) ?? [(d["dataType"] as? String) ?? ""]
        let results = dataTypes.map { dataTypeProblems(type, name, v, $0) }
        if !results.contains(where: \.isEmpty) { out += results.first ?? [] }
        if case .array(let items) = v, let elements = d["arrayElements"] as? [[String: Any]] {
            var byName: [String: [String: Any]] = [:]
            for e in elements { byName[e["name"] as! String] = e }
            for item in items {
                guard case .object(let m) = item else {
                    out.append("\(type).\(name): an element is not an object")
                    continue
                }
                for e in elements where e["required"] as? String == "Required" && item[e["name"] as! String] == nil {
                    out.append("\(type).\(name): element misses required `\(e["name"]!)`")
                }
                for (k, x) in m {
                    guard let e = byName[k] else {
                        out.append("\(type).\(name): `\(k)` is not an element field")
                        continue
                    }
                    out += check(type, "\(name).\(k)", x, e)
                }
            }
        }
        return out
    }

    func dataTypeProblems(_ type: String, _ name: String, _ v: JSONValue, _ dataType: String) -> [String] {
        let field = String(name.split(separator: ".").last!)
        func digits(_ n: String) -> (Int, Int) {
            let t = n.hasPrefix("-") ? String(n.dropFirst()) : n
            let parts = t.split(separator: ".", omittingEmptySubsequences: false)
            return (parts[0].count, parts.count > 1 ? parts[1].count : 0)
        }
        if dataType == "Choice" {
            guard case .string(let s) = v else { return ["\(type).\(name): a choice must be a string"] }
            guard let allowed = choices[field] else { return ["\(type).\(name): no choices for `\(field)`"] }
            return allowed.contains(s) ? [] : ["\(type).\(name): `\(s)` is not one of \(allowed)"]
        }
        if dataType.hasPrefix("Text (") || dataType.hasPrefix("Alphanumeric (") {
            let n = Int(dataType.split(separator: "(")[1].dropLast())!
            guard case .string(let s) = v else { return ["\(type).\(name): text must be a string"] }
            if dataType.hasPrefix("Alphanumeric") && !s.allSatisfy({ $0.isLetter || $0.isNumber }) {
                return ["\(type).\(name): `\(s)` is not alphanumeric"]
            }
            return s.count <= n ? [] : ["\(type).\(name): `\(s)` is longer than \(n)"]
        }
        if dataType == "Name/Value Pairs" {
            guard case .object(let m) = v, let defs = nameValuePairs[field] else {
                return ["\(type).\(name): not a name/value object"]
            }
            var out: [String] = []
            for (k, x) in m {
                guard let t = defs[k] else {
                    out.append("\(type).\(name): `\(k)` is not a pair of \(field)")
                    continue
                }
                out += dataTypeProblems(type, "\(name).\(k)", x, t)
            }
            return out
        }
        if dataType == "Trade Side Details" || dataType == "Aggregated Orders" || dataType == "Array" { return [] }
        guard let t = dataTypes[dataType] else { return ["\(type).\(name): unknown data type \(dataType)"] }
        var out: [String] = []
        let variants: [[String: Any]] = (t["JSONDataType"] as? [[String: Any]]) ?? [t]
        var matched = false
        for variant in variants {
            switch (variant["JSONDataType"] as? String, v) {
            case ("NUMBER", .number(let n)):
                let (i, f) = digits(n)
                let precision = variant["precision"] as? Int ?? 99
                let scale = variant["scale"] as? Int ?? 99
                if i <= precision && f <= scale { matched = true }
            case ("STRING", .string(let s)):
                if s.count <= (variant["maxLength"] as? Int ?? Int.max) { matched = true }
            case ("BOOLEAN", .bool): matched = true
            default: break
            }
        }
        if !matched { out.append("\(type).\(name): \(v) does not fit \(dataType)") }
        if let allowed = allowed(dataType), case .string(let s) = v, !allowed.contains(s) {
            out.append("\(type).\(name): `\(s)` is not an allowed \(dataType)")
        }
        return out
    }
}

@Suite struct CATTests {
    func usDay() throws -> ReportInputs { try Fixtures.day.selecting(venues: Fixtures.usVenues) }

    @Test func goldenFileOfTheSampleDay() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        let report = try CATGenerator(firm: try Fixtures.firm).generate(
            try usDay(), date: Fixtures.date, to: folder.path)
        #expect(report.files.map(\.name) == ["140001_123456_20261127_WRIT_OrderEvents_000001.json"])
        #expect(folder.contents == report.files.map(\.name))
        let text = String(decoding: folder.bytes(report.files[0].name), as: UTF8.self)
        let types = text.split(separator: "\n").compactMap { line -> String? in
            guard case .string(let t)? = try? JSONValue.parse(String(line))["type"] else { return nil }
            return t
        }
        // O-6: new, route, trade; O-7: new, route, trade, cancel; O-8 was rejected: nothing.
        #expect(types == ["MENO", "MEOR", "MEOT", "MENO", "MEOR", "MEOT", "MEOC"])
        #expect(report.records == 7)
        try Fixtures.checkGolden(folder.bytes(report.files[0].name), "cat.json")
    }

    @Test func everyEventConformsToTheCATSchema() throws {
        let schema = try CATSchema()
        var inputs = try usDay()
        inputs.orders[0].timeInForce = "fok"
        // A modification of the first order: more quantity, a new price (MEOM).
        var modify = inputs.orders[0]
        modify.event = .modify
        modify.timestamp += 1_000_000
        modify.quantity = modify.quantity.flatMap { $0.adding(Fixed(100)) }
        inputs.orders.append(modify)
        let bench = ReportBenchmark.catInputs(events: 400, date: Fixtures.date)
        inputs.orders += bench.orders
        inputs.decisions += bench.decisions
        inputs.fills += bench.fills
        let encoded = try CATGenerator(firm: try Fixtures.firm).encode(inputs, date: Fixtures.date)
        let lines = String(decoding: encoded.bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == encoded.events && lines.count > 400)
        var seenTypes = Set<String>()
        for line in lines {
            let problems = schema.problems(line)
            #expect(problems.isEmpty, "\(problems)\n\(line)")
            if case .string(let t)? = try JSONValue.parse(line)["type"] { seenTypes.insert(t) }
        }
        #expect(seenTypes == ["MENO", "MEOR", "MEOT", "MEOC", "MEOM"])
    }

    @Test func aModificationIsAnMEOMWithWhatIsLeftToFill() throws {
        let t0: Int64 = 1_795_770_000_000_000_000
        let new = OrderRecord(
            event: .new, id: "O-M", timestamp: t0, account: "ACC-US-1", symbol: "AAPL", venue: "XNAS", side: .buy,
            quantity: Fixed(1000), price: Fixed(190), orderType: .limit, currency: "USD", timeInForce: "day")
        var modify = new
        modify.event = .modify
        modify.timestamp = t0 + 2_000_000_000
        modify.quantity = Fixed(1200)
        let fill = FillRecord(
            orderID: "O-M", execID: "E-M", timestamp: t0 + 1_000_000_000, quantity: Fixed(400), price: Fixed(190),
            currency: "USD", venue: "XNAS", capacity: .dealing)
        let date = try #require(ReportDate("2026-11-27"))
        let inputs = ReportInputs(orders: [new, modify], fills: [fill])
        let encoded = try CATGenerator(firm: try Fixtures.firm).encode(inputs, date: date)
        let lines = String(decoding: encoded.bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        let meom = try #require(lines.first { $0.contains("\"MEOM\"") })
        let json = try JSONValue.parse(meom)
        #expect(json["quantity"] == .number("1200"))
        #expect(json["leavesQty"] == .number("800"))
        #expect(json["orderID"] == .string("O-M"))
        #expect(try CATSchema().problems(meom).isEmpty)
    }

    @Test func theConformanceCheckCatchesMistakes() throws {
        let schema = try CATSchema()
        let good = try String(
            decoding: CATGenerator(firm: try Fixtures.firm).encode(usDay(), date: Fixtures.date).bytes, as: UTF8.self
        )
        .split(separator: "\n")[0]
        #expect(schema.problems(String(good)).isEmpty)
        let broken = [
            good.replacingOccurrences(of: "\"side\":\"B\"", with: "\"side\":\"BUY\""),
            good.replacingOccurrences(of: "\"manualFlag\":false,", with: ""),
            good.replacingOccurrences(of: "\"quantity\":300", with: "\"quantity\":\"300\""),
            good.replacingOccurrences(of: "\"quantity\":300", with: "\"quantity\":300.1234567"),
            good.replacingOccurrences(of: "\"deptType\"", with: "\"department\""),
        ]
        for b in broken {
            #expect(b != good)
            #expect(!schema.problems(b).isEmpty, "\(b)")
        }
    }

    @Test func builtInChoicesAgreeWithTheSchema() throws {
        let schema = try CATSchema()
        #expect(Set(CATChoices.departmentTypes) == Set(schema.choices["deptType"]!))
        #expect(Set(CATChoices.accountHolderTypes) == Set(schema.choices["accountHolderType"]!))
        #expect(CATChoices.exchangeIDs == schema.allowed("Exchange ID"))
        for (mic, id) in CATChoices.exchangeIDOfMIC { #expect(CATChoices.exchangeIDs.contains(id), "\(mic)") }
        for c in TradingCapacity.allCases { #expect(schema.choices["capacity"]!.contains(c.catCode)) }
        for s in OrderSide.allCases { #expect(schema.choices["side"]!.contains(s.catCode)) }
    }

    @Test func anEmptyDayIsAnEmptyFile() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        let report = try CATGenerator(firm: try Fixtures.firm).generate(
            ReportInputs(), date: Fixtures.date, to: folder.path)
        #expect(report.files.count == 1 && report.files[0].bytes == 0)
        #expect(folder.bytes(report.files[0].name).isEmpty)
        #expect(
            report.notes == [
                "no order events on 2026-11-27: `140001_123456_20261127_WRIT_OrderEvents_000001.json` is empty"
            ])
    }

    @Test func recordsThatCannotBeReportedAreNamedAndNothingIsWritten() throws {
        let folder = TempFolder()
        defer { folder.clean() }
        var inputs = try usDay()
        inputs.orders.append(OrderRecord(event: .cancel, id: "O-OLD", timestamp: ReportDate.ns("2026-11-27T16:00:00Z")))
        inputs.fills[0].capacity = nil
        inputs.orders[0].quantity = Fixed("0.0000001")
        let error = try #require(
            #expect(throws: ReportError.self) {
                try CATGenerator(firm: try Fixtures.firm).generate(inputs, date: Fixtures.date, to: folder.path)
            })
        let text = error.violations.map(\.description)
        #expect(
            text.contains {
                $0.hasPrefix("order `O-OLD`: it cancels an order whose `new` event is not among the inputs")
            })
        #expect(text.contains("fill `E-6`: it has no `capacity`; give `DEAL`, `MTCH` or `AOTC`"))
        #expect(
            text.contains("order `O-6`: its quantity `0.0000001` does not fit CAT's 12 integer and 6 decimal digits"))
        #expect(folder.contents.isEmpty, "\(folder.contents)")
    }

    @Test func aFirmWithoutCATIdentityIsAConfigurationError() throws {
        var firm = try Fixtures.firm
        firm.cat = nil
        let error = try #require(
            #expect(throws: ReportError.self) {
                try CATGenerator(firm: firm).encode(ReportInputs(), date: Fixtures.date)
            })
        #expect(error.description.contains("no `cat` section"))
    }

    @Test func theSameInputsGiveTheSameBytesInAnyOrder() throws {
        let inputs = try usDay()
        var shuffled = inputs
        shuffled.orders.reverse()
        shuffled.decisions.reverse()
        shuffled.fills.reverse()
        let g = CATGenerator(firm: try Fixtures.firm)
        #expect(try g.encode(inputs, date: Fixtures.date).bytes == g.encode(shuffled, date: Fixtures.date).bytes)
    }

    @Test func fileNamesFollowCAT() throws {
        let firm = try Fixtures.firm
        let name = CATGenerator(firm: firm).fileName(firm.cat!, date: Fixtures.date, number: 12)
        #expect(name == "140001_123456_20261127_WRIT_OrderEvents_000012.json")
        let parts = name.dropLast(5).split(separator: "_")
        #expect(parts.count == 6 && parts[2].count == 8 && parts[5].count == 6)
    }
}
