import CheckpointCore
import Scanners

/// One code as a simulated scanner presents it: the text, its symbology, whether the AIM
/// identifier is sent. The encoders below turn it into the bytes each transport really carries.
public struct SimulatedCode: Sendable, Hashable {
    public var text: String
    public var symbology: Symbology

    public init(_ text: String, symbology: Symbology = .qr) {
        self.text = text
        self.symbology = symbology
    }
}

/// Serial / USB-CDC framing as a scanner sends it: `[prefix][AIM id or code id][data][suffix]`,
/// data in the model's encoding.
public enum SerialScanEncoder {
    /// nil if the text cannot be encoded in `encoding`. `codeID`: the vendor's one-character code
    /// id to send instead of an AIM identifier (Grow's Code ID), if any.
    public static func frame(_ code: SimulatedCode, framing: ScanFraming, encoding: ScanTextEncoding, codeID: UInt8? = nil) -> [UInt8]? {
        let data: [UInt8]
        switch encoding {
        case .utf8: data = Array(code.text.utf8)
        case .gbk:
            guard let d = CharsetDecoder.encode(code.text, charset: "GBK") else { return nil }
            data = d
        }
        let aim = framing.aimIdentifiers ? (AIMIdentifier.canonical(for: code.symbology)?.bytes ?? []) : []
        return framing.prefix + (codeID.map { [$0] } ?? aim) + data + framing.suffix
    }
}

/// HID POS input reports as a scanner sends them: the payload split into packets of at most
/// `maxPayloadPerPacket`, with the continuation flag on all but the last.
public enum HIDPOSReportEncoder {
    public static func reports(_ code: SimulatedCode, layout: HIDPOSLayout, sendAIM: Bool = true) -> [[UInt8]] {
        let data = Array(code.text.utf8)
        var chunks: [ArraySlice<UInt8>] = []
        var i = 0
        repeat {
            let end = min(data.count, i + layout.maxPayloadPerPacket)
            chunks.append(data[i..<end])
            i = end
        } while i < data.count
        if layout.continuationOffset == nil { chunks = [data[...]] } // single-packet layouts: caller keeps codes short
        let codeID = layout.codeIDs.first { $0.value == code.symbology }?.key
        return chunks.enumerated().map { index, chunk in
            var r = [UInt8](repeating: 0, count: layout.reportLength)
            if let id = layout.reportID { r[0] = id }
            r[layout.lengthOffset] = UInt8(truncatingIfNeeded: chunk.count)
            for (k, b) in chunk.enumerated() where layout.dataOffset + k < r.count { r[layout.dataOffset + k] = b }
            if sendAIM, let a = layout.aimOffset, let aim = AIMIdentifier.canonical(for: code.symbology) {
                for (k, b) in aim.bytes.prefix(layout.aimLength).enumerated() { r[a + k] = b }
            }
            if let c = layout.codeIDOffset, let codeID { r[c] = codeID }
            if let c = layout.continuationOffset, index < chunks.count - 1 { r[c] |= layout.continuationMask }
            return r
        }
    }
}

/// Key events as a keyboard-wedge scanner types them on a host layout: Shift / AltGr around keys,
/// Alt + keypad digits for characters the layout lacks, then the terminator. Timestamps advance by
/// `keyInterval` per event from `start`.
public struct KeyboardWedgeEncoder: Sendable {
    public var layout: KeyboardLayout
    public var altCodePage: AltCodePage
    public var terminator: WedgeTerminator
    public var keyInterval: Duration
    public var sendAIM: Bool

    public init(layout: KeyboardLayout = .us, altCodePage: AltCodePage = .windows, terminator: WedgeTerminator = .enter,
                keyInterval: Duration = .milliseconds(2), sendAIM: Bool = true) {
        self.layout = layout
        self.altCodePage = altCodePage
        self.terminator = terminator
        self.keyInterval = keyInterval
        self.sendAIM = sendAIM
    }

    /// The events for `code` starting at `start`; nil if a character can be typed neither on the
    /// layout nor as an Alt code. `end` receives the time after the last event.
    public func events(_ code: SimulatedCode, start: Duration) -> (events: [InputEvent], end: Duration)? {
        var t = start
        var out: [InputEvent] = []
        func key(_ c: UInt16, _ v: Int32) {
            out.append(.key(c, v, at: t))
            out.append(InputEvent(time: t, type: InputEvent.typeSync, code: 0, value: 0))
            t += keyInterval
        }
        func tap(_ c: UInt16) { key(c, 1); key(c, 0) }
        var text = code.text
        if sendAIM, let aim = AIMIdentifier.canonical(for: code.symbology) { text = aim.description + text }
        for ch in text {
            if let stroke = layout.keystroke(for: ch) {
                if stroke.shift { key(EvdevKeyCode.leftShift, 1) }
                if stroke.altGr { key(EvdevKeyCode.rightAlt, 1) }
                tap(stroke.code)
                if stroke.altGr { key(EvdevKeyCode.rightAlt, 0) }
                if stroke.shift { key(EvdevKeyCode.leftShift, 0) }
            } else if let digits = altCodePage.digits(for: ch) {
                key(EvdevKeyCode.leftAlt, 1)
                for d in digits {
                    guard let kc = EvdevKeyCode.keypadDigits.first(where: { $0.value == d })?.key else { return nil }
                    tap(kc)
                }
                key(EvdevKeyCode.leftAlt, 0)
            } else {
                return nil
            }
        }
        switch terminator {
        case .enter: tap(EvdevKeyCode.enter)
        case .tab: tap(EvdevKeyCode.tab)
        case .none: break
        }
        return (out, t)
    }

    /// The raw `struct input_event` bytes for several codes in a row, `gap` apart.
    public func stream(_ codes: [SimulatedCode], start: Duration = .seconds(1_700_000_000), gap: Duration = .seconds(1)) -> [UInt8]? {
        var t = start
        var bytes: [UInt8] = []
        for c in codes {
            guard let (events, end) = events(c, start: t) else { return nil }
            bytes += events.flatMap(\.bytes)
            t = end + gap
        }
        return bytes
    }
}
