/// Writes an RTS 22 file with libxml2's text writer: a `head.003` BizData
/// envelope holding a `head.001` AppHdr and an `auth.016` Document with one
/// `Tx`/`New` per transaction (`Tx`/`Cxl` per cancellation), into memory. Each transaction takes exactly
/// one line of its own (texts with line breaks are refused before), so a
/// line number that the validator reports names its transaction.
internal import CLibXML2
import WritValue

/// The application header of one file.
struct RTS22Header {
    /// `Fr`: the sender's LEI.
    var from: String
    /// `To`: the recipient's code (the authority's country code).
    var to: String
    /// `BizMsgIdr`: the file's unique id (at most 35 characters).
    var messageID: String
    /// `CreDt`: nanoseconds since the epoch.
    var created: Int64
}

/// One document under construction. Not thread-safe.
final class RTS22XMLWriter {
    static let head003 = "urn:iso:std:iso:20022:tech:xsd:head.003.001.01"
    static let head001 = "urn:iso:std:iso:20022:tech:xsd:head.001.001.01"
    static let auth016 = "urn:iso:std:iso:20022:tech:xsd:auth.016.001.01"

    /// The line of the first transaction (lines before: declaration, BizData, Hdr, Pyld).
    static let firstTransactionLine = 5

    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr
    private var scratch = TextBuffer(capacity: 64)
    private var failed = false
    /// The number of transactions written.
    private(set) var count = 0

    /// A writer with room for about `expectedTransactions` transactions.
    init(expectedTransactions: Int) throws(ReportError) {
        _ = LibXML.initialized
        let size = min(max(4096, expectedTransactions * 1000 + 4096), Int(Int32.max) - 1)
        guard let buffer = xmlBufferCreateSize(size) else {
            throw ReportError.cannotWrite(path: "memory", reason: "libxml2 could not allocate \(size) bytes")
        }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
            xmlBufferFree(buffer)
            throw ReportError.cannotWrite(path: "memory", reason: "libxml2 could not create a text writer")
        }
        self.buffer = buffer
        self.writer = writer
    }

    deinit {
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    @inline(__always)
    private func check(_ rc: Int32) { if rc < 0 { failed = true } }

    @inline(__always)
    private func start(_ name: UnsafePointer<CChar>) { check(writ_xml_start(writer, name)) }

    @inline(__always)
    private func end() { check(writ_xml_end(writer)) }

    @inline(__always)
    private func element(_ name: UnsafePointer<CChar>, _ value: UnsafePointer<CChar>) {
        check(writ_xml_element(writer, name, value))
    }

    @inline(__always)
    private func newline() { check(writ_xml_raw(writer, "\n")) }

    private func decimalElement(_ name: UnsafePointer<CChar>, _ value: Fixed) {
        scratch.removeAll()
        scratch.appendDecimal(value.magnitude)
        scratch.withCString { element(name, $0) }
    }

    private func timestampElement(_ name: UnsafePointer<CChar>, _ ns: Int64) {
        scratch.removeAll()
        scratch.appendTimestamp(ns)
        scratch.withCString { element(name, $0) }
    }

    /// Writes the declaration, the envelope, the application header and the
    /// start of the report (lines 1–4).
    func begin(_ header: RTS22Header) {
        check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil))
        check(writ_xml_start_ns(writer, "BizData", RTS22XMLWriter.head003))
        newline()
        start("Hdr")
        check(writ_xml_start_ns(writer, "AppHdr", RTS22XMLWriter.head001))
        for (role, id, scheme) in [("Fr", header.from, "LEI"), ("To", header.to, "ISO 3166-1 alpha-2")] {
            start(role)
            start("OrgId")
            start("Id")
            start("OrgId")
            start("Othr")
            element("Id", id)
            start("SchmeNm")
            element("Prtry", scheme)
            end()
            end()
            end()
            end()
            end()
            end()
        }
        element("BizMsgIdr", header.messageID)
        element("MsgDefIdr", RTS22Limits.messageDefinition)
        timestampElement("CreDt", header.created)
        end()
        end()
        newline()
        start("Pyld")
        check(writ_xml_start_ns(writer, "Document", RTS22XMLWriter.auth016))
        start("FinInstrmRptgTxRpt")
        newline()
    }

    /// Writes one transaction on its own line.
    func write(_ t: RTS22Transaction) {
        if t.isCancellation {
            start("Tx")
            start("Cxl")
            element("TxId", t.transactionID)
            element("ExctgPty", t.executingEntity)
            element("SubmitgPty", t.submittingEntity)
            end()
            end()
            newline()
            count += 1
            return
        }
        start("Tx")
        start("New")
        element("TxId", t.transactionID)
        element("ExctgPty", t.executingEntity)
        element("InvstmtPtyInd", t.investmentFirm ? "true" : "false")
        element("SubmitgPty", t.submittingEntity)
        party("Buyr", t.buyer, branch: t.buyerBranch)
        party("Sellr", t.seller, branch: t.sellerBranch)
        start("OrdrTrnsmssn")
        element("TrnsmssnInd", "false")
        end()
        start("Tx")
        timestampElement("TradDt", t.tradingTime)
        element("TradgCpcty", t.capacity.rawValue)
        start("Qty")
        decimalElement("Unit", t.quantity)
        end()
        start("Pric")
        start("Pric")
        start("MntryVal")
        start("Amt")
        check(writ_xml_attribute(writer, "Ccy", t.currency))
        scratch.removeAll()
        scratch.appendDecimal(t.price.magnitude)
        scratch.withCString { check(writ_xml_string(writer, $0)) }
        end()
        if t.price.raw < 0 { element("Sgn", "false") }
        end()
        end()
        end()
        element("TradVn", t.venue)
        if let c = t.countryOfBranch { element("CtryOfBrnch", c) }
        if let v = t.venueTransactionID { element("TradPlcMtchgId", v) }
        end()
        start("FinInstrm")
        element("Id", t.isin)
        end()
        if let d = t.investmentDecision { actor("InvstmtDcsnPrsn", d) }
        actor("ExctgPrsn", t.executor)
        start("AddtlAttrbts")
        if let s = t.shortSelling { element("ShrtSellgInd", s.rawValue) }
        element("SctiesFincgTxInd", "false")
        end()
        end()
        end()
        newline()
        count += 1
    }

    private func party(_ role: UnsafePointer<CChar>, _ p: RTS22Party, branch: String?) {
        start(role)
        start("AcctOwnr")
        start("Id")
        switch p {
        case .lei(let l): element("LEI", l)
        case .mic(let m): element("MIC", m)
        case .internalAccount: element("Intl", "INTC")
        case .person(let person):
            start("Prsn")
            element("FrstNm", person.firstName ?? "")
            element("Nm", person.surname ?? "")
            element("BirthDt", person.birthDate ?? "")
            start("Othr")
            element("Id", person.id)
            start("SchmeNm")
            if person.scheme == "CONCAT" {
                element("Prtry", person.scheme)
            } else {
                element("Cd", person.scheme)
            }
            end()
            end()
            end()
        }
        end()
        if let branch { element("CtryOfBrnch", branch) }
        end()
        end()
    }

    private func actor(_ role: UnsafePointer<CChar>, _ a: RTS22Actor) {
        start(role)
        switch a {
        case .algorithm(let id): element("Algo", id)
        case .client: element("Clnt", "NORE")
        case .person(let id, let scheme, let country):
            start("Prsn")
            element("CtryOfBrnch", country)
            start("Othr")
            element("Id", id)
            start("SchmeNm")
            if scheme == "CONCAT" {
                element("Prtry", scheme)
            } else {
                element("Cd", scheme)
            }
            end()
            end()
            end()
        }
        end()
    }

    /// Closes the report and the envelope; the document is then complete.
    /// Throws if libxml2 failed at any point (out of memory).
    func finish() throws(ReportError) {
        end()
        end()
        end()
        newline()
        end()
        check(xmlTextWriterEndDocument(writer))
        check(xmlTextWriterFlush(writer))
        if failed { throw ReportError.cannotWrite(path: "memory", reason: "libxml2's text writer failed") }
    }

    /// The document's bytes; valid while the writer lives.
    var bytes: UnsafeRawBufferPointer {
        let n = Int(xmlBufferLength(buffer))
        guard n > 0, let p = writ_xml_buffer_bytes(buffer) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: UnsafeRawPointer(p), count: n)
    }
}
