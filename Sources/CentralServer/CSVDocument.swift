import Foundation

/// A table written as CSV for the clerks' spreadsheets.
///
/// Format (documented in docs/central-api.md): RFC 4180 — fields separated by `,`, records ended
/// by CRLF, a field containing `"`, `,`, CR or LF enclosed in double quotes with inner quotes
/// doubled; a header row first; UTF-8 preceded by a byte-order mark (EF BB BF) so that
/// spreadsheet programs recognise UTF-8 (Chinese place names, payloads) without an import dialog.
/// Cells that a spreadsheet would run as a formula (starting with `=`, `@`, tab, CR, or `+`/`-`
/// not followed by a number) get a leading `'`: a QR payload is untrusted text.
public struct CSVDocument: Sendable, Equatable {
    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    public static let contentType = "text/csv; charset=utf-8; header=present"

    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]] = []) {
        self.header = header
        self.rows = rows
    }

    /// The document's bytes: BOM, header, rows, each record ended by CRLF.
    public func encoded() -> Data {
        var text = ""
        Self.appendRecord(header, to: &text)
        for row in rows { Self.appendRecord(row, to: &text) }
        return Data(Self.byteOrderMark) + Data(text.utf8)
    }

    static func appendRecord(_ fields: [String], to text: inout String) {
        text += fields.map { quote(neutralizeFormula($0)) }.joined(separator: ",")
        text += "\r\n"
    }

    /// RFC 4180 quoting: enclose in `"` (doubling inner quotes) when the field needs it.
    public static func quote(_ field: String) -> String {
        let needsQuotes = field.contains { $0 == "\"" || $0 == "," || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Prefixes `'` to a cell a spreadsheet would evaluate as a formula.
    public static func neutralizeFormula(_ field: String) -> String {
        guard let first = field.first else { return field }
        switch first {
        case "=", "@", "\t", "\r", "\r\n":
            return "'" + field
        case "+", "-":
            return Double(field) != nil ? field : "'" + field
        default:
            return field
        }
    }
}
