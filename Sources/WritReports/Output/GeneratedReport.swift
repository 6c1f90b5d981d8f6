/// What a generator produced: the files it wrote (in order) and notes for
/// the person running it (an empty day, a split into several files).

/// A file a generator wrote.
public struct ReportFile: Sendable, Hashable {
    /// The file's name in the output folder.
    public var name: String
    /// Its full path.
    public var path: String
    /// Its size in bytes.
    public var bytes: Int
    /// How many records it holds (transactions, events, rows).
    public var records: Int

    /// Creates a description of a written file.
    public init(name: String, path: String, bytes: Int, records: Int) {
        self.name = name
        self.path = path
        self.bytes = bytes
        self.records = records
    }
}

/// The outcome of one generator run.
public struct GeneratedReport: Sendable {
    /// The report's name, e.g. `rts22_eu`.
    public var report: String
    /// The files written, in name order.
    public var files: [ReportFile]
    /// Messages for the person running it (never errors).
    public var notes: [String]

    /// Creates an outcome.
    public init(report: String, files: [ReportFile], notes: [String] = []) {
        self.report = report
        self.files = files
        self.notes = notes
    }

    /// The records written over all files.
    public var records: Int { files.reduce(0) { $0 + $1.records } }
}

/// Progress of a long generation: records done out of the total.
public typealias ReportProgress = @Sendable (_ done: Int, _ total: Int) -> Void
