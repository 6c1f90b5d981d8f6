/// A busted fill as the reports read it: the input contract's
/// `{"event":"fill_cancel","id":…,"exec_id":…,"ts":…}`. RTS 22 reports it as
/// the cancellation (`Cxl`) of the fill's transaction.

/// One busted fill.
public struct FillCancelRecord: Sendable, Hashable {
    /// The order of the fill (`id`), when given.
    public var orderID: String?
    /// The execution busted (`exec_id`).
    public var execID: String
    /// When it was busted (`ts`), in nanoseconds since the epoch (UTC).
    public var timestamp: Int64

    /// Creates a busted fill.
    public init(orderID: String? = nil, execID: String, timestamp: Int64) {
        self.orderID = orderID
        self.execID = execID
        self.timestamp = timestamp
    }

    /// Reads a `fill_cancel` event (the `event` member is not checked).
    public init(json: JSONValue) throws(ReportError) {
        let r = FieldReader(object: json, what: "fill_cancel event")
        self.init(orderID: try r.string("id"), execID: try r.required("exec_id"), timestamp: try r.requiredTimestamp("ts"))
    }

    /// `fill`, reported as the cancellation of its transaction at this bust's time.
    public func cancelling(_ fill: FillRecord) -> FillRecord {
        var f = fill
        f.isCancellation = true
        f.timestamp = timestamp
        return f
    }
}
