import CheckpointCore

/// How a keyboard-wedge scanner ends a scan.
public enum WedgeTerminator: String, Sendable, Hashable, CaseIterable, Codable {
    /// Enter (main or keypad).
    case enter
    case tab
    /// No terminator key: the scan ends after the inter-key timeout without key events.
    case none
}

/// Decodes the key events of a USB HID keyboard-wedge scanner (`/dev/input/eventN`) into scans.
/// Sans-I/O: `InputEvent`s in (their kernel timestamps are the clock), outcomes out.
///
/// - Shift (either), Caps Lock (toggles on press, letters only) and AltGr levels go through the
///   `KeyboardLayout`. Ctrl + letter types the C0 control character (Ctrl+] is GS).
/// - Left Alt held while keypad digits are typed, then released, types the character the number
///   names in `altCodePage`.
/// - A key the layout has no character for makes the scan a counted `unknownKey` rejection when it
///   ends; nothing is guessed.
/// - Key repeat (value 2) of a character key types it again, as the console would.
/// - `SYN_DROPPED` (the kernel discarded events because the reader fell behind a fast scanner):
///   the scan in progress, or the next one if none is, has lost keys — it ends as a counted
///   `incomplete` rejection at its terminator, never as a shortened scan; modifiers are taken as
///   released.
/// - The text (UTF-8) then goes through `framing` (prefix, AIM identifier) and `rules`.
public struct KeyboardWedgeDecoder: Sendable {
    public let device: String
    public var layout: KeyboardLayout
    public var terminator: WedgeTerminator
    /// Silence between key events that ends a scan (`terminator == .none`) or abandons a partial one.
    public var interKeyTimeout: Duration
    public var altCodePage: AltCodePage
    public var framing: ScanFraming
    public var rules: PayloadRules

    private var leftShift = false, rightShift = false, leftCtrl = false, rightCtrl = false
    private var leftAlt = false, altGr = false, capsLock = false
    private var altDigits: [UInt8] = []
    private var text = ""
    private var error: ScanRejectionReason?
    private var keysInScan = 0
    private var lastEventAt: Duration?
    /// The kernel dropped events during the scan being typed.
    private var dropped = false

    public init(device: String, layout: KeyboardLayout = .us, terminator: WedgeTerminator = .enter,
                interKeyTimeout: Duration = .milliseconds(300), altCodePage: AltCodePage = .windows,
                framing: ScanFraming = ScanFraming(prefix: [], suffix: [], aimIdentifiers: true),
                rules: PayloadRules = PayloadRules()) {
        self.device = device
        self.layout = layout
        self.terminator = terminator
        self.interKeyTimeout = interKeyTimeout
        self.altCodePage = altCodePage
        self.framing = framing
        self.rules = rules
    }

    /// True while a scan is being typed.
    public var hasPartialScan: Bool { keysInScan > 0 }

    /// Feeds raw bytes of `struct input_event`s (whole events).
    public mutating func feed(events: [InputEvent]) -> [ScanOutcome] {
        var out: [ScanOutcome] = []
        for e in events { out += feed(e) }
        return out
    }

    public mutating func feed(_ event: InputEvent) -> [ScanOutcome] {
        if event.type == InputEvent.typeSync && event.code == InputEvent.synDropped {
            dropped = true
            keysInScan += 1
            leftShift = false; rightShift = false; leftCtrl = false; rightCtrl = false
            leftAlt = false; altGr = false
            return []
        }
        guard event.type == InputEvent.typeKey else { return [] }
        var out = idle(at: event.time)
        lastEventAt = event.time
        let code = event.code
        let down = event.value != InputEvent.released
        let isRepeat = event.value == InputEvent.repeated
        switch code {
        case EvdevKeyCode.leftShift: leftShift = down; return out
        case EvdevKeyCode.rightShift: rightShift = down; return out
        case EvdevKeyCode.leftCtrl: leftCtrl = down; return out
        case EvdevKeyCode.rightCtrl: rightCtrl = down; return out
        case EvdevKeyCode.rightAlt: altGr = down; return out
        case EvdevKeyCode.numLock: return out
        case EvdevKeyCode.capsLock:
            if event.value == InputEvent.pressed { capsLock.toggle() }
            return out
        case EvdevKeyCode.leftAlt:
            leftAlt = down
            if !down && !altDigits.isEmpty {
                let digits = altDigits
                altDigits = []
                switch altCodePage.character(digits: digits) {
                case .success(let c): append(c)
                case .failure(let reason): fail(reason)
                }
            }
            return out
        default: break
        }
        guard down else { return out }

        if leftAlt, let digit = EvdevKeyCode.keypadDigits[code] {
            if !isRepeat { altDigits.append(digit); keysInScan += 1 }
            return out
        }
        if code == EvdevKeyCode.enter || code == EvdevKeyCode.keypadEnter {
            if terminator == .enter { out += finish() } else { append("\r") }
            return out
        }
        if code == EvdevKeyCode.tab {
            if terminator == .tab { out += finish() } else { append("\t") }
            return out
        }
        if let c = EvdevKeyCode.keypadCharacters[code] {
            append(c)
            return out
        }
        let shift = leftShift || rightShift
        if leftCtrl || rightCtrl {
            if let plain = layout.character(for: code, shift: false, capsLock: false, altGr: false),
               let control = Self.controlCharacter(for: plain) {
                append(control)
            } else {
                fail(.unknownKey(code: code))
            }
            return out
        }
        if let c = layout.character(for: code, shift: shift, capsLock: capsLock, altGr: altGr) {
            append(c)
        } else {
            fail(.unknownKey(code: code))
        }
        return out
    }

    /// Called when time passes without events (the event loop's timer, or the next event's time).
    public mutating func idle(at now: Duration) -> [ScanOutcome] {
        guard hasPartialScan, let last = lastEventAt, now - last >= interKeyTimeout else { return [] }
        if terminator == .none && altDigits.isEmpty { return finish() }
        return discard(cause: "no key for \(interKeyTimeout) before the terminator")
    }

    /// The device went away: a partial scan is discarded and counted; modifier state is cleared.
    public mutating func deviceLost() -> [ScanOutcome] {
        let out = discard(cause: "device lost")
        leftShift = false; rightShift = false; leftCtrl = false; rightCtrl = false
        leftAlt = false; altGr = false; capsLock = false
        return out
    }

    private mutating func append(_ c: Character) {
        text.append(c)
        keysInScan += 1
    }

    private mutating func fail(_ reason: ScanRejectionReason) {
        if error == nil { error = reason }
        keysInScan += 1
    }

    private mutating func resetScan() {
        text = ""
        error = nil
        dropped = false
        keysInScan = 0
        altDigits = []
    }

    private mutating func discard(cause: String) -> [ScanOutcome] {
        defer { resetScan() }
        guard hasPartialScan else { return [] }
        let bytes = Array(text.utf8)
        return [.rejected(ScanRejection(reason: .incomplete(bytes: bytes.count, cause: cause), device: device, bytes: bytes))]
    }

    private mutating func finish() -> [ScanOutcome] {
        defer { resetScan() }
        let bytes = Array(text.utf8)
        if dropped {
            return [.rejected(ScanRejection(reason: .incomplete(bytes: bytes.count, cause: Self.droppedCause), device: device, bytes: bytes))]
        }
        if let error {
            return [.rejected(ScanRejection(reason: error, device: device, bytes: bytes))]
        }
        switch framing.split(frame: bytes) {
        case .failure(let reason):
            return [.rejected(ScanRejection(reason: reason, device: device, bytes: bytes))]
        case .success(let (payload, aim)):
            return [rules.evaluate(payload: payload, aim: aim, device: device)]
        }
    }

    /// The cause of the rejection of a scan during which the kernel dropped events.
    public static let droppedCause = "the kernel dropped key events (SYN_DROPPED): the reader fell behind"

    /// Ctrl + key → C0 control: letters → 0x01…0x1A, `[` ESC, `\` FS, `]` GS.
    static func controlCharacter(for plain: Character) -> Character? {
        guard let a = plain.asciiValue else { return nil }
        let lower = a | 0x20
        if lower >= 0x61 && lower <= 0x7A { return Character(Unicode.Scalar(lower - 0x60)) }
        switch a {
        case 0x5B: return "\u{1B}"
        case 0x5C: return "\u{1C}"
        case 0x5D: return "\u{1D}"
        default: return nil
        }
    }
}
