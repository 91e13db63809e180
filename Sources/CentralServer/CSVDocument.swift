import CentralStore
import Foundation

/// A small table written as CSV for the clerks' spreadsheets (alerts, hourly counts). Ledgers of
/// entries stream through `CSVExport` with the store's `LedgerCSV` layout instead.
///
/// Format (docs/central-api.md): RFC 4180 as `LedgerCSV.line` writes it — `,` separators, CRLF
/// after every record, fields with `"`, `,`, CR or LF quoted with inner quotes doubled — a header
/// row first, UTF-8 preceded by a byte-order mark (EF BB BF) so that spreadsheet programs take it
/// as UTF-8 without an import dialog. Text cells a spreadsheet would run as a formula (starting
/// with `=`, `@`, tab, CR, or `+`/`-` not followed by a number) get a leading `'`.
public struct CSVDocument: Sendable, Equatable {
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    public static let contentType = "text/csv; charset=utf-8; header=present"

    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// The document's bytes: BOM, header, rows.
    public func encoded() -> Data {
        var text = LedgerCSV.line(header)
        for row in rows { text += LedgerCSV.line(row.map(Self.neutralizeFormula)) }
        return Data(Self.byteOrderMark) + Data(text.utf8)
    }

    /// Prefixes `'` to a cell a spreadsheet would evaluate as a formula; numbers stay as they are.
    public static func neutralizeFormula(_ field: String) -> String {
        guard let first = field.unicodeScalars.first else { return field }
        switch first {
        case "=", "@", "\t", "\r": return "'" + field
        case "+", "-": return Double(field) != nil ? field : "'" + field
        default: return field
        }
    }
}
