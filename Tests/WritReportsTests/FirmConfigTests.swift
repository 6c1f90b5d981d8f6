/// The firm's configuration: the fixture loads with every section, and each
/// kind of mistake gives an error that names the key and says how to fix it.
import Testing

@testable import WritReports

@Suite struct FirmConfigTests {
    @Test func theFixtureLoads() throws {
        let f = try Fixtures.firm
        #expect(f.lei == "529900WRITFIRM000014" && f.submittingLEI == f.lei && f.euRecipient == "DE")
        #expect(f.cat?.industryMemberID == "123456:WRIT")
        #expect(f.cat?.accountHolderTypes["ACC-US-2"] == "I")
        #expect(f.clients["C-1"] == .lei("549300CLIENTAAAAAA31"))
        guard case .person(let p)? = f.clients["C-2"] else {
            Issue.record("C-2 is a person")
            return
        }
        #expect(p.surname == "Dupont" && p.scheme == "CONCAT" && p.countryOfBranch == "FR")
        #expect(f.people["T-1"]?.id == "DE19800101HANS#MULLE")
    }

    func error(_ json: String) -> ReportError? {
        #expect(throws: ReportError.self) { try FirmConfig.parse(json, path: "firm.json") }
    }

    let firm = #"{"firm": {"lei": "529900WRITFIRM000014", "name": "X", "country": "DE"}"#

    @Test(
        arguments: [
            (
                #"{"firm": {"lei": "529900WRITFIRM000015", "name": "X", "country": "DE"}}"#,
                "`firm.lei` fails its check digits: `529900WRITFIRM000015`", "check the LEI against the GLEIF record"
            ),
            (
                #"{"firm": {"lei": "ABC", "name": "X", "country": "DE"}}"#, "`firm.lei` is not an LEI: `ABC`",
                "an LEI has 20 characters: 18 capital letters or digits, then 2 digits"
            ),
            (#"{"firm": {"lie": "x"}}"#, "unknown key `lie` in `firm`", "did you mean `lei`?"),
            (
                #"{"firm": {"name": "X", "country": "DE"}}"#, "missing `firm.lei`",
                "add `\"lei\": \"529900T8BM49AURSDO55\"` to `firm`"
            ),
            (#"{"firm": {"lei": 5, "name": "X", "country": "DE"}}"#, "`firm.lei` must be a string, not a number", nil),
            (
                #"{"firm": {"lei": "529900WRITFIRM000014", "name": "X", "country": "Germany"}}"#,
                "`firm.country` is not a country code: `Germany`", "use ISO 3166 alpha-2 in capitals, e.g. `DE`"
            ),
            (
                #"{"firm": {"lei": "529900WRITFIRM000014", "name": "X", "country": "DE"}, "cat": {"submitter_id": "1", "crd": "12", "imid": "ABC", "department_type": "Z"}}"#,
                "`cat.department_type` is not one of `A`, `ATS`, `DMA`, `SA`, `T` or `O`: `Z`", nil
            ),
            (
                #"{"firm": {"lei": "529900WRITFIRM000014", "name": "X", "country": "DE"}, "rts22": {"max_transactions_per_file": 600000}}"#,
                "`rts22.max_transactions_per_file` must be a whole number from 1 to 500000: `600000`", nil
            ),
            (
                #"{"firm": {"lei": "529900WRITFIRM000014", "name": "X", "country": "DE"}, "people": {"T-1": {"id": "X", "scheme": "SSN"}}}"#,
                "`people.T-1.scheme` is not one of `NIDN`, `CCPT` or `CONCAT`: `SSN`", nil
            ),
            (
                #"{"firm": {"lei": "529900WRITFIRM000014", "name": "X", "country": "DE"},}"#,
                "not valid JSON: line 1, column 72: expected a member name in quotes",
                "the file must hold one JSON object"
            ),
        ] as [(String, String, String?)])
    func mistakesAreNamed(_ json: String, _ message: String, _ help: String?) {
        guard let e = error(json) else { return }
        #expect(e.description == "firm configuration `firm.json`: \(message)")
        #expect(e.help == help)
    }

    @Test func aMissingFileIsNamed() {
        let e = #expect(throws: ReportError.self) { try FirmConfig.load(path: "/nonexistent/firm.json") }
        #expect(
            e?.description
                == "firm configuration `/nonexistent/firm.json`: cannot read the file: No such file or directory")
    }
}
