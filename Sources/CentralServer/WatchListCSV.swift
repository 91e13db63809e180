import CentralStore
import CheckpointCore
import Foundation

/// A watch list uploaded as CSV by a clerk: `credential,colour,isolation,reason,valid_until`, a header
/// row first (UTF-8, an optional byte-order mark, `,` separators, RFC 4180 quoting, LF or CRLF).
/// Every row is validated on its own, so the preview can show each problem with its line number;
/// nothing is applied unless every row is valid.
///
/// - `colour`: red / orange / yellow / blue / green, or 红 / 橙 / 黄 / 蓝 / 绿;
/// - `isolation`: true / false / 1 / 0 / 是 / 否 / empty (= false);
/// - `valid_until`: empty (no end), RFC 3339, or a day `yyyy-MM-dd` (valid through the end of that
///   day, +08:00).
struct WatchListCSV {
    struct Row {
        /// 1-based line of the file.
        let line: Int
        let change: WatchListChange?
        let error: String?
    }

    static let header = ["credential", "colour", "isolation", "reason", "valid_until"]
    static let maxRows = 50_000
    static let chineseColours: [String: WatchColour] = ["红": .red, "橙": .orange, "黄": .yellow, "蓝": .blue, "绿": .green]

    let rows: [Row]
    /// A problem with the file as a whole (no header, too many rows); nil if none.
    let fileError: String?

    var changes: [WatchListChange] { rows.compactMap(\.change) }
    var isValid: Bool { fileError == nil && !rows.isEmpty && rows.allSatisfy { $0.error == nil } }

    init(_ text: String) {
        var records = Self.records(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        guard let first = records.first,
              first.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) == Self.header else {
            rows = []
            fileError = "the first line must be the header \(Self.header.joined(separator: ","))"
            return
        }
        records.removeFirst()
        guard records.count <= Self.maxRows else {
            rows = []
            fileError = "more than \(Self.maxRows) rows"
            return
        }
        var seen = Set<String>()
        rows = records.map { record in
            do {
                let change = try Self.change(record.fields)
                guard seen.insert(change.credential).inserted else {
                    return Row(line: record.line, change: nil, error: "the credential is listed twice")
                }
                return Row(line: record.line, change: change, error: nil)
            } catch {
                return Row(line: record.line, change: nil, error: "\(error)")
            }
        }
        fileError = nil
    }

    struct FieldError: Error, CustomStringConvertible { let description: String }

    static func change(_ fields: [String]) throws -> WatchListChange {
        guard fields.count == header.count else { throw FieldError(description: "\(fields.count) fields, expected \(header.count)") }
        let credential = fields[0].trimmingCharacters(in: .whitespaces)
        guard !credential.isEmpty, credential.utf8.count <= FieldLimits.maxCredentialPayloadBytes else {
            throw FieldError(description: "credential empty or longer than \(FieldLimits.maxCredentialPayloadBytes) bytes")
        }
        let colourText = fields[1].trimmingCharacters(in: .whitespaces)
        guard let colour = WatchColour(rawValue: colourText.lowercased()) ?? chineseColours[colourText] else {
            throw FieldError(description: "colour \"\(colourText)\" is not red, orange, yellow, blue or green")
        }
        let isolation: Bool
        switch fields[2].trimmingCharacters(in: .whitespaces).lowercased() {
        case "", "false", "0", "否", "no": isolation = false
        case "true", "1", "是", "yes": isolation = true
        case let other: throw FieldError(description: "isolation \"\(other)\" is not true or false")
        }
        let reason = fields[3].trimmingCharacters(in: .whitespaces)
        guard reason.utf8.count <= 500 else { throw FieldError(description: "reason longer than 500 bytes") }
        let until = fields[4].trimmingCharacters(in: .whitespaces)
        var validUntil: Date?
        if !until.isEmpty {
            if let day = WebPage.dayStart(until), until.count == 10 {
                validUntil = day.addingTimeInterval(86_400)
            } else if let time = CheckpointJSON.parseTimestamp(until) {
                validUntil = time
            } else {
                throw FieldError(description: "valid_until \"\(until)\" is neither yyyy-MM-dd nor an RFC 3339 time")
            }
        }
        return WatchListChange(credential: credential, colour: colour, isolation: isolation, reason: reason, validUntil: validUntil)
    }

    /// RFC 4180 records with the line each starts on; blank lines are skipped.
    static func records(_ text: String) -> [(line: Int, fields: [String])] {
        var result: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false, afterQuote = false
        var line = 1, recordLine = 1
        var iterator = Array(text).makeIterator()
        var pending: Character?
        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty) { result.append((recordLine, fields)) }
            fields = []
            field = ""
        }
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; afterQuote = true; pending = next }
                    } else {
                        quoted = false
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty && !afterQuote: quoted = true
            case ",": fields.append(field); field = ""; afterQuote = false
            case "\n", "\r\n", "\r":
                endRecord()
                afterQuote = false
                line += 1
                recordLine = line
            default: field.append(character)
            }
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return result
    }
}
