/// Where the report schemas are: the folder `reports/schemas` of the
/// repository (ESMA's XSDs, Writ's envelope schema, the CAT field schema),
/// found through `WRIT_REPORT_SCHEMAS` or by walking up from the current
/// directory.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The folder of report schemas.
public struct ReportSchemas: Sendable, Hashable {
    /// The folder.
    public let folder: String

    /// The schema an RTS 22 file is validated against (it imports ESMA's three).
    public var rts22Envelope: String { folder + "/rts22-envelope.xsd" }

    /// CAT's field-level schema of order events.
    public var catSchema: String { folder + "/CAT_2d_schema.json" }

    /// Uses `folder`; fails if it does not hold the RTS 22 envelope schema.
    public init(folder: String) throws(ReportError) {
        self.folder = folder
        guard access(rts22Envelope, R_OK) == 0 else {
            throw ReportError.schemaUnavailable(path: rts22Envelope, reason: String(cString: strerror(errno)))
        }
    }

    /// `WRIT_REPORT_SCHEMAS` if set; else the first `reports/schemas` found in
    /// the current directory or one of its parents.
    public static func locate() throws(ReportError) -> ReportSchemas {
        try locate(variable: getenv("WRIT_REPORT_SCHEMAS").map { String(cString: $0) }, from: currentDirectory() ?? ".")
    }

    /// `variable` (the value of `WRIT_REPORT_SCHEMAS`) if given; else the
    /// first `reports/schemas` found in `directory` or one of its parents.
    public static func locate(variable: String?, from directory: String) throws(ReportError) -> ReportSchemas {
        if let variable { return try ReportSchemas(folder: variable) }
        var dir = directory
        while true {
            let candidate = dir + "/reports/schemas"
            if access(candidate + "/rts22-envelope.xsd", R_OK) == 0 { return try ReportSchemas(folder: candidate) }
            guard let slash = dir.lastIndex(of: "/"), dir != "/" else { break }
            dir = slash == dir.startIndex ? "/" : String(dir[..<slash])
        }
        throw ReportError.schemaUnavailable(
            path: "reports/schemas", reason: "not found in the current directory or its parents")
    }

    /// The process's current directory.
    private static func currentDirectory() -> String? {
        guard let p = getcwd(nil, 0) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
