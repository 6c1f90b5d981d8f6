/// The SQL of an audit store: the append-only `records` table, the `head`
/// row updated in the same transaction as each batch, the triggers that
/// forbid UPDATE and DELETE, and one view per record kind (docs/audit.md).

enum AuditSchema {
    /// The value of `audit_meta.format` in a store this writ can append to.
    /// Format 2 (this one) has the same tables and chain as format 1; it
    /// enforces the sequence with a lighter per-row trigger and checks each
    /// batch when the head moves (docs/audit.md, "Triggers"). A writer opens
    /// only format-2 stores; the verifier and the readers read both.
    static let format = "writ-audit-2"

    /// Connection settings for a writer: 16 KB pages (for a new file; an
    /// existing one keeps its page size), WAL, and FULL sync so a commit is
    /// durable when it returns (see docs/audit.md for why not NORMAL); the
    /// WAL is copied back into the database every 64 MB rather than every
    /// 4 MB, and 64 MB of pages are cached (fewer checkpoints and re-reads;
    /// durability is the WAL's fsync at each commit either way).
    static let writerPragmas = """
        PRAGMA page_size = 16384;
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        PRAGMA wal_autocheckpoint = 16384;
        PRAGMA cache_size = -65536;
        """

    /// Creates whatever is missing; safe to run on an existing store.
    static var create: String {
        // A chain of `=` rather than `IN (…)`: SQLite checks a long IN list
        // through a temporary index on every insert.
        let kinds = AuditKind.allCases.map { "kind = '\($0.rawValue)'" }.joined(separator: " OR ")
        let views = AuditKind.allCases.map {
            "CREATE VIEW IF NOT EXISTS \($0.viewName) AS "
                + "SELECT seq, ts, payload FROM records WHERE kind = '\($0.rawValue)';"
        }.joined(separator: "\n")
        return """
            CREATE TABLE IF NOT EXISTS audit_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            INSERT OR IGNORE INTO audit_meta (key, value) VALUES ('format', '\(format)');
            CREATE TABLE IF NOT EXISTS records (
                seq INTEGER PRIMARY KEY,
                kind TEXT NOT NULL CHECK (\(kinds)),
                ts TEXT NOT NULL,
                payload BLOB NOT NULL,
                prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
                hash BLOB NOT NULL CHECK (length(hash) = 32)
            );
            CREATE TABLE IF NOT EXISTS head (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                seq INTEGER NOT NULL,
                hash BLOB NOT NULL CHECK (length(hash) = 32)
            );
            INSERT OR IGNORE INTO head (id, seq, hash) VALUES (1, 0, zeroblob(32));
            CREATE TRIGGER IF NOT EXISTS records_no_update BEFORE UPDATE ON records
            BEGIN SELECT RAISE(ABORT, 'audit records are append-only: UPDATE is forbidden'); END;
            CREATE TRIGGER IF NOT EXISTS records_no_delete BEFORE DELETE ON records
            BEGIN SELECT RAISE(ABORT, 'audit records are append-only: DELETE is forbidden'); END;
            CREATE TRIGGER IF NOT EXISTS records_in_sequence BEFORE INSERT ON records
            WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM records)
            BEGIN SELECT RAISE(ABORT, 'audit records must be appended in sequence'); END;
            CREATE TRIGGER IF NOT EXISTS head_no_delete BEFORE DELETE ON head
            BEGIN SELECT RAISE(ABORT, 'the audit head cannot be deleted'); END;
            CREATE TRIGGER IF NOT EXISTS head_names_last_record BEFORE UPDATE ON head
            WHEN NEW.id IS NOT 1
              OR NEW.seq IS NOT (SELECT coalesce(max(seq), 0) FROM records)
              OR NEW.hash IS NOT coalesce((SELECT hash FROM records WHERE seq = NEW.seq), zeroblob(32))
              OR (SELECT count(*) FROM records WHERE seq > OLD.seq) IS NOT NEW.seq - OLD.seq
              OR (NEW.seq > OLD.seq AND (SELECT prev_hash FROM records WHERE seq = OLD.seq + 1) IS NOT OLD.hash)
            BEGIN SELECT RAISE(ABORT, 'the audit head must name the last record and move forward over a chained batch'); END;
            \(views)
            """
    }

    static let insertRecord =
        "INSERT INTO records (seq, kind, ts, payload, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    /// How many rows one multi-row INSERT statement appends.
    static let rowsPerInsert = 64
    /// One INSERT of `rowsPerInsert` rows; row `r` binds parameters `6r+1 … 6r+6`.
    static let insertRecords =
        "INSERT INTO records (seq, kind, ts, payload, prev_hash, hash) VALUES "
        + (0..<rowsPerInsert).map { _ in "(?, ?, ?, ?, ?, ?)" }.joined(separator: ", ")
    /// Moves the head from `?3` to `?1`; it changes no row unless the head
    /// still names `?3` (then the batch rolls back).
    static let updateHead = "UPDATE head SET seq = ?1, hash = ?2 WHERE id = 1 AND seq = ?3"
    static let selectHead = "SELECT seq, hash FROM head WHERE id = 1"
    static let selectLast = "SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1"
    static let selectFormat = "SELECT value FROM audit_meta WHERE key = 'format'"
    static let selectAll = "SELECT seq, kind, ts, payload, prev_hash, hash FROM records ORDER BY seq"
    static let selectByHash = "SELECT seq, kind, ts, payload, prev_hash, hash FROM records WHERE hash = ?1 LIMIT 1"
    static let countTables = "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
    static let hasTable = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1"
}
