/// LEI and ISIN check digits, and the other identifier shapes.
import Testing

@testable import WritReports

@Suite struct IdentifierTests {
    @Test func leis() {
        // Published LEIs (GLEIF) and the fixtures' made-up ones.
        for lei in ["5493001KJTIIGC8Y1R12", "7LTWFZYICNSX8D621K86", "529900WRITFIRM000014", "969500BROKERBBBBBB38"] {
            #expect(Identifiers.isValidLEI(lei), "\(lei)")
        }
        #expect(!Identifiers.isValidLEI("5493001KJTIIGC8Y1R13"))
        #expect(!Identifiers.isValidLEI("5493001kjtiigc8y1r12"))
        #expect(!Identifiers.isValidLEI("5493001KJTIIGC8Y1R1"))
        #expect(Identifiers.hasLEIShape("5493001KJTIIGC8Y1R13") && !Identifiers.hasLEIShape("5493001KJTIIGC8Y1RXX"))
        #expect(Identifiers.leiCheckDigits("529900WRITFIRM0000") == "14")
    }

    @Test func isins() {
        for isin in ["DE0007164600", "US0378331005", "GB0002634946", "AU000000BHP4", "JP3658000009", "INE002A01018"] {
            #expect(Identifiers.isValidISIN(isin), "\(isin)")
        }
        #expect(!Identifiers.isValidISIN("DE0007164601"))
        #expect(!Identifiers.isValidISIN("US0378331006"))
        #expect(!Identifiers.isValidISIN("DE000716460"))
        #expect(Identifiers.hasISINShape("DE0007164601") && !Identifiers.hasISINShape("D10007164601"))
    }

    @Test func shapesAndTransactionIDs() {
        #expect(Identifiers.isMIC("XETR") && !Identifiers.isMIC("xetr") && !Identifiers.isMIC("XET"))
        #expect(Identifiers.isCountryCode("DE") && !Identifiers.isCountryCode("DEU"))
        #expect(Identifiers.isCurrencyCode("EUR") && !Identifiers.isCurrencyCode("eur"))
        #expect(Identifiers.upperAlphanumeric("E-1") == "E1")
        #expect(Identifiers.upperAlphanumeric("exec_9/b") == "EXEC9B")
        #expect(Identifiers.upperAlphanumeric("--") == "")
        #expect(Identifiers.hasControlCharacters("a\nb") && !Identifiers.hasControlCharacters("a b"))
    }
}
