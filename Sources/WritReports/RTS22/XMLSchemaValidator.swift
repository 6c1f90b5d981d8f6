/// XSD validation with libxml2: a compiled schema set, and the streaming
/// validation of a document held in memory that returns every problem with
/// its line. Each validator owns its schema and context, so validators on
/// different threads share nothing.
internal import CLibXML2

/// libxml2's one-time initialisation, done before any thread uses it.
enum LibXML {
    /// Runs `xmlInitParser` once.
    static let initialized: Bool = {
        xmlInitParser()
        return true
    }()
}

/// A problem libxml2 found, with the line of the document it found it on.
struct XMLIssue: Sendable, Hashable {
    /// 1-based line of the validated document (0 when libxml2 gives none).
    var line: Int
    /// libxml2's message, namespaces removed, quotes as backticks, no final period.
    var message: String
}

/// Collects libxml2's structured errors.
private final class IssueCollector {
    var issues: [XMLIssue] = []
    /// Stop collecting after this many (a broken generator could produce millions).
    let limit = 10_000
}

/// The structured-error callback: appends the error to the collector `context` points to.
private func collectIssue(_ context: UnsafeMutableRawPointer?, _ error: UnsafeMutablePointer<xmlError>?) {
    guard let context, let error else { return }
    let collector = Unmanaged<IssueCollector>.fromOpaque(context).takeUnretainedValue()
    guard collector.issues.count < collector.limit else { return }
    let text = error.pointee.message.map { String(cString: $0) } ?? "unknown error"
    collector.issues.append(XMLIssue(line: Int(error.pointee.line), message: XMLSchemaValidator.tidy(text)))
}

/// A compiled XSD schema and a validation context for it. Not thread-safe:
/// use one per thread.
final class XMLSchemaValidator {
    private let schema: xmlSchemaPtr
    private let context: xmlSchemaValidCtxtPtr

    /// Compiles the schema at `path` (its imports are read relative to it).
    init(path: String) throws(ReportError) {
        _ = LibXML.initialized
        let collector = IssueCollector()
        let cookie = Unmanaged.passUnretained(collector).toOpaque()
        guard let parser = xmlSchemaNewParserCtxt(path) else {
            throw ReportError.schemaUnavailable(path: path, reason: "libxml2 could not start a schema parser")
        }
        xmlSchemaSetParserStructuredErrors(parser, collectIssue, cookie)
        xmlSetStructuredErrorFunc(cookie, collectIssue)
        let compiled = xmlSchemaParse(parser)
        xmlSetStructuredErrorFunc(nil, nil)
        xmlSchemaFreeParserCtxt(parser)
        guard let compiled else {
            let why = collector.issues.first?.message ?? "the file is missing or not a schema"
            throw ReportError.schemaUnavailable(path: path, reason: why)
        }
        guard let context = xmlSchemaNewValidCtxt(compiled) else {
            xmlSchemaFree(compiled)
            throw ReportError.schemaUnavailable(path: path, reason: "libxml2 could not create a validation context")
        }
        self.schema = compiled
        self.context = context
        withExtendedLifetime(collector) {}
    }

    deinit {
        xmlSchemaFreeValidCtxt(context)
        xmlSchemaFree(schema)
    }

    /// Validates the document in `bytes` (UTF-8) while parsing it, and returns
    /// every problem found (empty when it is valid).
    func validate(_ bytes: UnsafeRawBufferPointer) -> [XMLIssue] {
        let collector = IssueCollector()
        let cookie = Unmanaged.passUnretained(collector).toOpaque()
        xmlSchemaSetValidStructuredErrors(context, collectIssue, cookie)
        // Errors of the parser itself (a document that is not well-formed) go
        // to the thread's handler, not the context's.
        xmlSetStructuredErrorFunc(cookie, collectIssue)
        defer {
            xmlSetStructuredErrorFunc(nil, nil)
            xmlSchemaSetValidStructuredErrors(context, nil, nil)
        }
        guard bytes.count < Int(Int32.max) else {
            return [XMLIssue(line: 0, message: "the document is larger than libxml2 can read from memory (2 GB)")]
        }
        let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
        guard let input = xmlParserInputBufferCreateMem(base, Int32(bytes.count), XML_CHAR_ENCODING_UTF8) else {
            return [XMLIssue(line: 0, message: "libxml2 could not read the document")]
        }
        // xmlSchemaValidateStream frees `input`.
        let rc = xmlSchemaValidateStream(context, input, XML_CHAR_ENCODING_UTF8, nil, nil)
        withExtendedLifetime(collector) {}
        if rc != 0 && collector.issues.isEmpty {
            return [XMLIssue(line: 0, message: "the document is not valid (libxml2 code \(rc))")]
        }
        return collector.issues
    }

    /// libxml2's message in the project's style: `Element '{urn:…}LEI': [facet
    /// 'pattern'] The value 'X' is not accepted by the pattern 'P'.` becomes
    /// ``element `LEI`: [facet `pattern`] the value `X` is not accepted by the pattern `P` ``.
    static func tidy(_ raw: String) -> String {
        var s = raw.trimmingWhitespace()
        // Namespaces: {urn:iso:std:iso:20022:tech:xsd:auth.016.001.01}LEI → LEI
        // (but not the counts of a pattern such as `[0-9]{2,2}`).
        var from = s.startIndex
        while let open = s[from...].firstIndex(of: "{"), let close = s[open...].firstIndex(of: "}") {
            let inside = s[s.index(after: open)..<close]
            if inside.hasPrefix("urn:") || inside.hasPrefix("http:") || inside.hasPrefix("https:") {
                s.removeSubrange(open...close)
                from = open
            } else {
                from = s.index(after: close)
            }
        }
        s = String(s.map { $0 == "'" ? "`" : $0 })
        if s.hasSuffix(".") { s.removeLast() }
        if let first = s.first, first.isUppercase { s = first.lowercased() + s.dropFirst() }
        return s.replacing(": The ", with: ": the ", maxReplacements: 1).replacing(
            "] The ", with: "] the ", maxReplacements: 1)
    }
}

extension String {
    /// Without leading and trailing spaces and line breaks.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }
}
