import CheckpointConfig
import CheckpointCore
import DeviceCatalog
import Foundation
import Scanners

/// The scanner protocol families of the catalog (`family = "…"` in `Devices/scanners/*.toml`) and
/// the reading of their `[protocol]` tables (format in docs/scanners.md).
public enum ScannerFamilies {
    public static let keyboardWedge = "keyboard-wedge"
    public static let hidPOS = "hid-pos"
    public static let serial = "serial-scanner"

    /// For `Catalog.load(directory:families:)`.
    public static let all: [ProtocolFamily] = [
        ProtocolFamily(name: keyboardWedge, role: .scanner, transports: [.evdev]) { model throws(ConfigError) in _ = try profile(for: model) },
        ProtocolFamily(name: hidPOS, role: .scanner, transports: [.hidraw]) { model throws(ConfigError) in _ = try profile(for: model) },
        ProtocolFamily(name: serial, role: .scanner, transports: [.serial]) { model throws(ConfigError) in _ = try profile(for: model) },
    ]

    static let commonKeys: Set<String> = ["maxPayloadBytes", "encoding", "allowedControlCharacters", "commandSet", "configuration"]

    /// Reads and validates a scanner model's `[protocol]` table.
    public static func profile(for model: CatalogModel) throws(ConfigError) -> ScannerProfile {
        let p = model.protocolParameters
        let rules = try readRules(p)
        let commandSet = try p.enumeration("commandSet", ScannerCommandSet.self)
        let configuration = try p.tableOrEmpty("configuration")
        var profile: ScannerProfile
        switch model.family {
        case keyboardWedge:
            try p.rejectUnknownKeys(commonKeys.union(["layout", "terminator", "interKeyTimeoutMs", "altCodes", "aimIdentifiers", "prefix"]))
            let layout = try readLayout(p, model: model)
            let terminator = try p.enumeration("terminator", WedgeTerminator.self) ?? .enter
            let timeout = try p.int("interKeyTimeoutMs", default: 300, in: 10...10_000)
            let page = try p.enumeration("altCodes", AltCodePage.self) ?? .windows
            let framing = ScanFraming(prefix: try hex(p, "prefix") ?? [], suffix: [], aimIdentifiers: try p.bool("aimIdentifiers", default: true))
            profile = ScannerProfile(model: model.model, decoding: .keyboardWedge(layout: layout, terminator: terminator,
                                     interKeyTimeout: .milliseconds(timeout), altCodePage: page, framing: framing), rules: rules)
        case hidPOS:
            try p.rejectUnknownKeys(commonKeys.union(["reportLayout", "reportID", "reportLength", "lengthOffset", "dataOffset",
                                                      "maxPayloadPerPacket", "aimOffset", "codeIDOffset", "continuationOffset",
                                                      "continuationMask", "codeIDs", "posModeFeatureReport", "packetTimeoutMs"]))
            var layout: HIDPOSLayout
            switch try p.string("reportLayout", default: "honeywell") {
            case "honeywell": layout = .honeywell
            case "newland": layout = .newland
            case let other: throw p.error("reportLayout", "\"\(other)\" is not one of \"honeywell\", \"newland\"")
            }
            if let v = try p.int("reportID", in: 0...255) { layout.reportID = UInt8(v) }
            layout.reportLength = try p.int("reportLength", default: layout.reportLength, in: 2...4096)
            layout.lengthOffset = try p.int("lengthOffset", default: layout.lengthOffset, in: 0...4095)
            layout.dataOffset = try p.int("dataOffset", default: layout.dataOffset, in: 0...4095)
            layout.maxPayloadPerPacket = try p.int("maxPayloadPerPacket", default: layout.maxPayloadPerPacket, in: 1...4096)
            if let v = try p.int("aimOffset", in: -1...4095) { layout.aimOffset = v < 0 ? nil : v }
            if let v = try p.int("codeIDOffset", in: -1...4095) { layout.codeIDOffset = v < 0 ? nil : v }
            if let v = try p.int("continuationOffset", in: -1...4095) { layout.continuationOffset = v < 0 ? nil : v }
            if let v = try p.int("continuationMask", in: 1...255) { layout.continuationMask = UInt8(v) }
            if let ids = try codeIDs(p) { layout.codeIDs = ids }
            layout.posModeFeatureReport = try hex(p, "posModeFeatureReport")
            if let problem = layout.problem { throw p.error(problem) }
            let timeout = try p.int("packetTimeoutMs", default: 1000, in: 10...60_000)
            profile = ScannerProfile(model: model.model, decoding: .hidPOS(layout, packetTimeout: .milliseconds(timeout)), rules: rules)
        case serial:
            try p.rejectUnknownKeys(commonKeys.union(["prefix", "suffix", "aimIdentifiers", "codeIDs", "interByteGapMs"]))
            let framing = ScanFraming(prefix: try hex(p, "prefix") ?? [], suffix: try hex(p, "suffix") ?? [0x0D],
                                      aimIdentifiers: try p.bool("aimIdentifiers", default: true), codeIDs: try codeIDs(p) ?? [:])
            let gap = try p.int("interByteGapMs", default: 50, in: 5...5_000)
            profile = ScannerProfile(model: model.model, decoding: .serial(framing, interByteGap: .milliseconds(gap)), rules: rules)
        default:
            throw model.document.root.error("family", "\"\(model.family)\" is not a scanner family (\(keyboardWedge), \(hidPOS), \(serial))")
        }
        profile.commandSet = commandSet
        try readConfiguration(configuration, commandSet: commandSet, into: &profile)
        return profile
    }

    static func readRules(_ p: ConfigTable) throws(ConfigError) -> PayloadRules {
        let maxBytes = try p.int("maxPayloadBytes", default: FieldLimits.maxCredentialPayloadBytes, in: 1...FieldLimits.maxCredentialPayloadBytes)
        let encoding = try p.enumeration("encoding", ScanTextEncoding.self) ?? .utf8
        var allowed: Set<UInt32> = [0x1D]
        if let list = try p.strings("allowedControlCharacters") {
            allowed = []
            for (i, s) in list.enumerated() {
                guard let b = HexBytes.parse(s), b.count == 1, PayloadRules.isControl(UInt32(b[0])) else {
                    throw p.error("allowedControlCharacters[\(i)]", "\"\(s)\" is not one control character in hex (e.g. \"1D\")")
                }
                allowed.insert(UInt32(b[0]))
            }
        }
        return PayloadRules(maxBytes: maxBytes, encoding: encoding, allowedControlCharacters: allowed)
    }

    static func readLayout(_ p: ConfigTable, model: CatalogModel) throws(ConfigError) -> KeyboardLayout {
        let name = try p.string("layout", default: "us")
        if name == "us" { return .us }
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw p.error("layout", "\"\(name)\" must be \"us\" or the name of a file in layouts/ (letters, digits, - and _)")
        }
        let dir = URL(fileURLWithPath: model.file).deletingLastPathComponent()
        let path = dir.appendingPathComponent("layouts/\(name).layout").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw p.error("layout", "no keyboard layout file \(path)")
        }
        return try KeyboardLayout.load(path: path)
    }

    /// `[protocol.codeIDs]`: one ASCII character → symbology name; nil without the table.
    static func codeIDs(_ p: ConfigTable) throws(ConfigError) -> [UInt8: Symbology]? {
        guard let t = try p.table("codeIDs") else { return nil }
        var ids: [UInt8: Symbology] = [:]
        for key in t.keys {
            guard key.utf8.count == 1, let byte = key.utf8.first, byte < 0x80 else { throw t.error(key, "a code id is one ASCII character") }
            guard let s = try t.enumeration(key, Symbology.self) else { continue }
            ids[byte] = s
        }
        return ids
    }

    static func hex(_ p: ConfigTable, _ key: String) throws(ConfigError) -> [UInt8]? {
        guard let s = try p.string(key) else { return nil }
        guard let b = HexBytes.parse(s) else { throw p.error(key, "\"\(s)\" is not hex bytes (e.g. \"0D 0A\")") }
        return b
    }

    static func readConfiguration(_ t: ConfigTable, commandSet: ScannerCommandSet?, into profile: inout ScannerProfile) throws(ConfigError) {
        guard !t.keys.isEmpty else { return }
        guard let commandSet else { throw t.error("a [protocol.configuration] table needs protocol.commandSet") }
        func byte(_ key: String, _ value: UInt8) throws(ConfigError) -> UInt8 { UInt8(try t.int(key, default: Int(value), in: 0...255)) }
        switch commandSet {
        case .gm65:
            try t.rejectUnknownKeys(["aimZone", "aimMask", "codeIDZone", "codeIDMask", "endMarkZone", "endMarkMask", "endMarks"])
            var g = GM65CommandSet()
            // A zone of -1 says the model has no such setting.
            if let v = try t.int("aimZone", in: -1...0xFFFF) { g.aimZone = v < 0 ? nil : UInt16(v) }
            g.aimMask = try byte("aimMask", g.aimMask)
            if let v = try t.int("codeIDZone", in: -1...0xFFFF) { g.codeIDZone = v < 0 ? nil : UInt16(v) }
            g.codeIDMask = try byte("codeIDMask", g.codeIDMask)
            g.endMarkZone = UInt16(try t.int("endMarkZone", default: Int(g.endMarkZone), in: 0...0xFFFF))
            g.endMarkMask = try byte("endMarkMask", g.endMarkMask)
            if let marks = try t.table("endMarks") {
                var m: [[UInt8]: UInt8] = [:]
                for key in marks.keys {
                    let suffix: [UInt8]
                    if key == "none" { suffix = [] } else if let b = HexBytes.parse(key) { suffix = b } else {
                        throw marks.error(key, "the key is the suffix in hex (e.g. \"0D0A\") or \"none\"")
                    }
                    m[suffix] = UInt8(try marks.int(key, in: 0...255) ?? 0)
                }
                g.endMarks = m
            }
            profile.gm65 = g
        case .honeywell:
            try t.rejectUnknownKeys(["aimPrefixData"])
            profile.honeywell = HoneywellMenuCommandSet(aimPrefixData: try t.string("aimPrefixData", default: profile.honeywell.aimPrefixData))
        case .zebraSSI:
            try t.rejectUnknownKeys(["transmitCodeIDParam", "codeIDNone", "codeIDAIM", "transmissionFormatParam", "suffix1Param", "suffix2Param",
                                     "suffix1KeyCategoryParam", "suffix2KeyCategoryParam", "keyCategoryValue"])
            var z = ZebraSSICommandSet()
            func param(_ key: String, _ value: UInt8) throws(ConfigError) -> UInt8 { UInt8(try t.int(key, default: Int(value), in: 1...0xEF)) }
            z.transmitCodeIDParam = try param("transmitCodeIDParam", z.transmitCodeIDParam)
            z.codeIDNone = try byte("codeIDNone", z.codeIDNone)
            z.codeIDAIM = try byte("codeIDAIM", z.codeIDAIM)
            z.transmissionFormatParam = try param("transmissionFormatParam", z.transmissionFormatParam)
            z.suffix1Param = try param("suffix1Param", z.suffix1Param)
            z.suffix2Param = try param("suffix2Param", z.suffix2Param)
            // 0: the model has no key-category parameter.
            if let v = try t.int("suffix1KeyCategoryParam", in: 0...0xEF) { z.suffix1KeyCategoryParam = v == 0 ? nil : UInt8(v) }
            if let v = try t.int("suffix2KeyCategoryParam", in: 0...0xEF) { z.suffix2KeyCategoryParam = v == 0 ? nil : UInt8(v) }
            z.keyCategoryValue = try byte("keyCategoryValue", z.keyCategoryValue)
            profile.zebraSSI = z
        }
    }
}
