import Foundation

/// The JSON of one `EntryRecord`, written directly: the same bytes as
/// `CheckpointJSON.encoder().encode(record)` (keys sorted, absent optionals left out, `/` escaped,
/// UUIDs in upper case, dates by `CheckpointJSON.formatTimestamp`, a whole-number Double without
/// ".0"), about twenty times cheaper. The journal writes every record with it. Any field added to
/// `EntryRecord`, `EntryContent`, `Credential`, `Registration` or `TemperatureReading` must be
/// added here too; `EntryRecordJSONTests` compares both encoders on records with every field set.
public enum EntryRecordJSON {
    /// Thrown for a non-finite temperature (`violations()` refuses such a record first).
    public struct NonFiniteNumber: Error, CustomStringConvertible {
        public let field: String
        public var description: String { "\(field) is not a finite number" }
    }

    public static func encode(_ record: EntryRecord) throws -> Data {
        var w = Writer()
        w.bytes.reserveCapacity(512)
        w.open()
        w.key("bootID"); w.string(record.bootID)
        w.key("clockSynced"); w.raw(record.clockSynced ? "true" : "false")
        if let c = record.content.credential {
            w.key("credential"); w.open()
            w.key("kind"); w.string(c.kind.rawValue)
            if let v = c.lastFour { w.key("lastFour"); w.string(v) }
            w.key("payload"); w.string(c.payload)
            if let r = c.registration {
                w.key("registration"); w.open()
                w.key("address"); w.string(r.address)
                w.key("citizenNumber"); w.string(r.citizenNumber)
                if let h = r.host { w.key("host"); w.string(h) }
                w.key("name"); w.string(r.name)
                w.close()
            }
            w.key("symbology"); w.string(c.symbology.rawValue)
            if let v = c.validUntil { w.key("validUntil"); w.string(v) }
            w.close()
        }
        w.key("decision"); w.string(record.content.decision.rawValue)
        w.key("direction"); w.string(record.content.direction.rawValue)
        w.key("gate"); w.string(record.gate)
        w.key("id"); w.string(record.id.uuidString)
        w.key("journalEpoch"); w.string(record.journalEpoch.uuidString)
        w.key("lane"); w.string(record.content.lane)
        w.key("monotonicNanos"); w.raw(String(record.monotonicNanos))
        w.key("occurredAt"); w.string(CheckpointJSON.formatTimestamp(record.occurredAt))
        w.key("policyVersion"); w.string(record.content.policyVersion)
        w.key("reason"); w.string(record.content.reason.rawValue)
        if let v = record.content.recordedBy { w.key("recordedBy"); w.string(v) }
        w.key("seq"); w.raw(String(record.seq))
        if let t = record.content.temperature {
            w.key("temperature"); w.open()
            w.key("celsius"); try w.number(t.celsius, field: "temperature.celsius")
            w.key("device"); w.string(t.device)
            w.key("kind"); w.string(t.kind.rawValue)
            w.key("raw"); try w.number(t.raw, field: "temperature.raw")
            w.close()
        }
        w.close()
        return Data(w.bytes)
    }

    /// Appends JSON tokens; `key` puts the comma between members itself.
    private struct Writer {
        var bytes: [UInt8] = []
        private var first = true

        mutating func open() { bytes.append(UInt8(ascii: "{")); first = true }
        mutating func close() { bytes.append(UInt8(ascii: "}")); first = false }

        mutating func key(_ name: StaticString) {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            bytes.append(UInt8(ascii: "\""))
            name.withUTF8Buffer { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }

        mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

        /// As Foundation writes a Double: its shortest round-trip form, "37" rather than "37.0".
        mutating func number(_ value: Double, field: String) throws {
            guard value.isFinite else { throw NonFiniteNumber(field: field) }
            var text = value.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            raw(text)
        }

        /// A JSON string with Foundation's escapes: `"` `\` `/`, \b \f \n \r \t, other controls as \u00XX.
        mutating func string(_ text: String) {
            bytes.append(UInt8(ascii: "\""))
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
                case UInt8(ascii: "/"): bytes.append(contentsOf: [0x5C, 0x2F])
                case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
                case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
                case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0x00..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
                default: bytes.append(byte)
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }
}
