/// Why the journal cannot be opened or written. Each is reported; none is ever "fixed" by
/// resetting the file — the entries in it are the gate's only record until the store has them.
public enum JournalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file is not an SQLite database, or SQLite's integrity check failed.
    case corrupt(path: String, detail: String)
    /// Less free space than required at open, or SQLite reported the disk (or database) full.
    case diskFull(path: String, detail: String)
    /// The durability settings could not be established (read back differently than required).
    case notDurable(path: String, detail: String)
    /// A valid SQLite file that is not this gate's journal (another gate's, or another program's).
    case foreign(path: String, detail: String)
    /// A record that breaks the field limits (`EntryRecord.violations()`); nothing was written.
    case invalidRecord([String])
    /// Any other SQLite or file-system failure.
    case io(path: String, detail: String)

    public var description: String {
        switch self {
        case let .corrupt(p, d): return "journal \(p) is corrupt: \(d) (left untouched; restore or move it aside by hand)"
        case let .diskFull(p, d): return "journal \(p): disk full: \(d)"
        case let .notDurable(p, d): return "journal \(p): durability not established: \(d)"
        case let .foreign(p, d): return "journal \(p) is not this gate's journal: \(d)"
        case let .invalidRecord(v): return "record refused by the journal: \(v.joined(separator: "; "))"
        case let .io(p, d): return "journal \(p): \(d)"
        }
    }
}
