/// Report definitions in the IR: for each `report` of the rules, the event
/// record it reads, its `select` block and one block per `field`, so that a
/// host can evaluate them on a stored event (docs/reports.md, "Report
/// definitions"; docs/bundle-format.md, section `REPT`).

/// A compiled report definition.
public struct IRReport: Sendable, Hashable {
    /// The name (`rts22_eu`).
    public var name: String
    /// The title ("" when none).
    public var title: String
    /// The regulator (`ESMA`).
    public var regulator: String
    /// The schema of the events it reads (`fill`, `order`).
    public var record: String
    /// `xml`, `json` or `csv`.
    public var format: String
    /// The output schema ("" when none), e.g. `auth.016.001.01`.
    public var schema: String
    /// When it is due ("" when none), e.g. `T+1`.
    public var schedule: String
    /// The `select` block (a bool), or nil: every event of `record`.
    public var selectBlock: Int?
    /// The fields in declaration order.
    public var fields: [IRReportField]
    /// Creates a report.
    public init(
        name: String, title: String, regulator: String, record: String, format: String, schema: String,
        schedule: String, selectBlock: Int?, fields: [IRReportField]
    ) {
        self.name = name
        self.title = title
        self.regulator = regulator
        self.record = record
        self.format = format
        self.schema = schema
        self.schedule = schedule
        self.selectBlock = selectBlock
        self.fields = fields
    }
}

/// One field of a compiled report: its target name and the block computing its value.
public struct IRReportField: Sendable, Hashable {
    /// The target name (`TxId`).
    public var name: String
    /// How the value is encoded.
    public var kind: ValueKind
    /// For an enum value: the index of its enumeration in `IRProgram.enums`.
    public var enumIndex: Int?
    /// The block: `ret a` with the value (two slots for money).
    public var block: Int
    /// Creates a field.
    public init(name: String, kind: ValueKind, enumIndex: Int?, block: Int) {
        self.name = name
        self.kind = kind
        self.enumIndex = enumIndex
        self.block = block
    }
}
