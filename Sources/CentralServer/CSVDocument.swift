import Foundation

/// A table written as CSV for the clerks' spreadsheets.
///
/// Format (docs/central-api.md): RFC 4180 — `,` separators, CRLF after every record, a field
/// containing `"`, `,`, CR or LF enclosed in double quotes with inner quotes doubled — a header row
/// first, UTF-8 preceded by a byte-order mark (EF BB BF) so that spreadsheet programs take it as
/// UTF-8 (Chinese place names, payloads) without an import dialog. Cells a spreadsheet would run as
/// a formula (starting with `=`, `@`, tab, CR, or `+`/`-` not followed by a number) get a leading
/// `'`: a QR payload is text anyone can print.
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
        var text = Self.line(header)
        for row in rows { text += Self.line(row) }
        return Data(Self.byteOrderMark) + Data(text.utf8)
    }

    /// One record: every field neutralised and quoted as needed, joined by `,`, ended by CRLF.
    public static func line(_ fields: [String]) -> String {
        fields.map { quote(neutralizeFormula($0)) }.joined(separator: ",") + "\r\n"
    }

    /// RFC 4180 quoting: enclose in `"` (doubling inner quotes) when the field needs it.
    public static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "\"" || $0 == "," || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
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
