/// Appends audit records off the caller's thread: `append` assigns the next
/// sequence number and queues the record (blocking while the bounded queue is
/// full, so nothing is ever dropped); a background thread writes what has
/// queued up in one transaction per batch; `flush` waits until every record
/// appended so far is committed.
import Foundation

/// The audit trail's writer. Safe to share between threads.
///
/// ```swift
/// let writer = try AuditWriter(path: "audit.db")
/// let seq = try writer.append(AuditRecord(kind: .decision, timestamp: AuditTimestamp.now(), payload: bytes))
/// try writer.flush()          // seq is durable now: writer.durableSequence >= seq
/// try writer.close()
/// ```
public final class AuditWriter: Sendable {
    private let state: WriterState

    /// Opens (or creates) the store at `path` and starts the background thread.
    /// - Parameters:
    ///   - capacity: how many records may wait in the queue before `append` blocks
    ///     (at most this many more are being written at the same time).
    ///   - busyTimeoutMilliseconds: how long a batch waits for another
    ///     connection's lock before the writer fails.
    /// - Throws: `AuditError` when the file cannot be opened, is not an audit
    ///   store, or its head does not name its last record.
    public init(path: String, capacity: Int = 4096, busyTimeoutMilliseconds: Int32 = 5000) throws(AuditError) {
        precondition(capacity > 0, "an audit writer needs a queue capacity of at least 1")
        let store = try AuditStore(path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        state = WriterState(store: store, capacity: capacity)
        let thread = Thread { [state] in state.run() }
        thread.name = "writ-audit-writer"
        thread.start()
    }

    deinit { try? close() }

    /// Queues `record` and returns its sequence number. Blocks while the
    /// queue is full; never drops a record.
    /// - Throws: `AuditError.invalidRecord` for a timestamp with a NUL byte,
    ///   `.writerClosed` after `close`, `.writerFailed` once a batch failed.
    @discardableResult
    public func append(_ record: AuditRecord) throws(AuditError) -> Int64 {
        guard !record.timestamp.utf8.contains(0) else {
            throw .invalidRecord(reason: "the timestamp contains a NUL byte")
        }
        var ts = record.timestamp
        var result: Result<Int64, AuditError> = .success(0)
        ts.withUTF8 { t in
            record.payload.withUnsafeBytes { p in
                result = Result { () throws(AuditError) in
                    try state.enqueue(
                        kind: record.kind, timestamp: UnsafeRawBufferPointer(t), payload: p,
                        suffix: UnsafeRawBufferPointer(start: nil, count: 0))
                }
            }
        }
        return try result.get()
    }

    /// Queues a record whose timestamp and payload are given as bytes
    /// (copied before it returns; the payload is `payload` then `suffix`)
    /// and returns its sequence number: `append(_:)` without building an
    /// `AuditRecord`, so the caller allocates nothing per record. Blocks
    /// while the queue is full; never drops a record.
    /// - Throws: as `append(_:)`.
    @discardableResult
    public func append(
        kind: AuditKind, timestamp: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer,
        suffix: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    ) throws(AuditError) -> Int64 {
        guard !timestamp.contains(0) else {
            throw .invalidRecord(reason: "the timestamp contains a NUL byte")
        }
        return try state.enqueue(kind: kind, timestamp: timestamp, payload: payload, suffix: suffix)
    }

    /// Returns once every record appended before the call is committed.
    /// - Throws: `.writerFailed` if the background writer stopped first.
    public func flush() throws(AuditError) { try state.waitUntilDurable() }

    /// The highest sequence number that is committed (0 when none).
    public var durableSequence: Int64 { state.durable }

    /// The most records that were ever waiting in the queue at once (never
    /// more than the capacity).
    public var queueHighWater: Int { state.highWater }

    /// Writes everything queued, stops the thread and closes the database.
    /// Later appends throw `.writerClosed`. Calling it again does nothing.
    /// - Throws: `.writerFailed` if some records could not be written.
    public func close() throws(AuditError) { try state.close() }
}

/// The state shared by the callers and the background thread.
// INVARIANT: every mutable field is read and written only with `condition`
// locked, except `store`, which only the background thread touches after init.
private final class WriterState: @unchecked Sendable {
    let condition = NSCondition()
    let store: AuditStore
    let capacity: Int
    var queue = AuditBatch()
    /// The emptied batch the writer thread hands back, reused as the next queue.
    var spare = AuditBatch()
    var nextSeq: Int64
    var durableSeq: Int64
    var failure: AuditError?
    var closing = false
    var finished = false
    var maxQueued = 0

    init(store: AuditStore, capacity: Int) {
        self.store = store
        self.capacity = capacity
        nextSeq = store.headSeq + 1
        durableSeq = store.headSeq
        queue.entries.reserveCapacity(capacity)
    }

    var durable: Int64 {
        condition.lock()
        defer { condition.unlock() }
        return durableSeq
    }

    var highWater: Int {
        condition.lock()
        defer { condition.unlock() }
        return maxQueued
    }

    func enqueue(
        kind: AuditKind, timestamp: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer,
        suffix: UnsafeRawBufferPointer
    ) throws(AuditError) -> Int64 {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let failure { throw .writerFailed(cause: failure, durableSequence: durableSeq) }
            if closing { throw .writerClosed(path: store.path) }
            if queue.count < capacity { break }
            condition.wait()
        }
        let seq = nextSeq
        nextSeq += 1
        queue.append(kind: kind, timestamp: timestamp, payload: payload, suffix: suffix)
        maxQueued = max(maxQueued, queue.count)
        if queue.count == 1 { condition.broadcast() }  // the writer may be waiting for work
        return seq
    }

    func waitUntilDurable() throws(AuditError) {
        condition.lock()
        defer { condition.unlock() }
        let target = nextSeq - 1
        while durableSeq < target {
            if let failure { throw .writerFailed(cause: failure, durableSequence: durableSeq) }
            if finished { throw .writerClosed(path: store.path) }
            condition.wait()
        }
    }

    func close() throws(AuditError) {
        condition.lock()
        defer { condition.unlock() }
        closing = true
        condition.broadcast()
        while !finished { condition.wait() }
        if let failure { throw .writerFailed(cause: failure, durableSequence: durableSeq) }
    }

    /// The background thread: take what is queued, write it in one
    /// transaction, publish the new durable sequence; repeat until closed.
    func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !closing { condition.wait() }
            if queue.isEmpty {
                finished = true
                store.close()
                condition.broadcast()
                condition.unlock()
                return
            }
            var batch = AuditBatch()
            swap(&batch, &spare)
            swap(&batch, &queue)  // the queue is the emptied spare now
            condition.broadcast()  // room in the queue for blocked appenders
            condition.unlock()

            var error: AuditError?
            do { try store.append(batch) } catch let e { error = e }

            condition.lock()
            if let error {
                failure = error
                finished = true
                queue.removeAll()
                store.close()
                condition.broadcast()
                condition.unlock()
                return
            }
            durableSeq = store.headSeq
            batch.removeAll()
            spare = batch
            condition.broadcast()
            condition.unlock()
        }
    }
}
