import CheckpointCore

/// Everything needed to decode one scanner model's input and configure it: built from a catalog
/// model by `ScannerFamilies.profile(for:)` (DeviceFamilies).
public struct ScannerProfile: Sendable {
    public enum Decoding: Sendable {
        case keyboardWedge(layout: KeyboardLayout, terminator: WedgeTerminator, interKeyTimeout: Duration, altCodePage: AltCodePage, framing: ScanFraming)
        case hidPOS(HIDPOSLayout, packetTimeout: Duration)
        case serial(ScanFraming, interByteGap: Duration)
    }

    /// The catalog model id.
    public var model: String
    public var decoding: Decoding
    public var rules: PayloadRules
    /// The configuration command set the model speaks over its serial line, if any.
    public var commandSet: ScannerCommandSet?
    public var gm65: GM65CommandSet
    public var honeywell: HoneywellMenuCommandSet
    public var zebraSSI: ZebraSSICommandSet

    public init(model: String, decoding: Decoding, rules: PayloadRules = PayloadRules(), commandSet: ScannerCommandSet? = nil,
                gm65: GM65CommandSet = GM65CommandSet(), honeywell: HoneywellMenuCommandSet = HoneywellMenuCommandSet(),
                zebraSSI: ZebraSSICommandSet = ZebraSSICommandSet()) {
        self.model = model
        self.decoding = decoding
        self.rules = rules
        self.commandSet = commandSet
        self.gm65 = gm65
        self.honeywell = honeywell
        self.zebraSSI = zebraSSI
    }

    /// A fresh decoder for one device of this model.
    public func makeDecoder(device: String) -> ScanDecoder {
        switch decoding {
        case .keyboardWedge(let layout, let terminator, let timeout, let page, let framing):
            return .keyboardWedge(KeyboardWedgeDecoder(device: device, layout: layout, terminator: terminator, interKeyTimeout: timeout,
                                                       altCodePage: page, framing: framing, rules: rules), InputEventStream())
        case .hidPOS(let layout, let timeout):
            return .hidPOS(HIDPOSDecoder(device: device, layout: layout, rules: rules, packetTimeout: timeout))
        case .serial(let framing, let timeout):
            return .serial(SerialScanDecoder(device: device, framing: framing, rules: rules, interByteGap: timeout))
        }
    }

    /// The configuration conversation for `action` in `set` (default: the model's own command set).
    public func configurationSession(_ action: ScannerConfigurationAction, commandSet set: ScannerCommandSet? = nil)
        throws(ScannerConfigurationError) -> any ScannerConfigurationSession {
        guard let chosen = set ?? commandSet else {
            throw .unsupported("model \(model) has no configuration command set; name one with --command-set")
        }
        return try ScannerConfiguration.session(chosen, action, gm65: gm65, honeywell: honeywell, zebraSSI: zebraSSI)
    }
}

/// Builds configuration conversations.
public enum ScannerConfiguration {
    public static func session(_ set: ScannerCommandSet, _ action: ScannerConfigurationAction,
                               gm65: GM65CommandSet = GM65CommandSet(), honeywell: HoneywellMenuCommandSet = HoneywellMenuCommandSet(),
                               zebraSSI: ZebraSSICommandSet = ZebraSSICommandSet()) throws(ScannerConfigurationError) -> any ScannerConfigurationSession {
        switch set {
        case .gm65: return try gm65.session(for: action)
        case .honeywell: return try honeywell.session(for: action)
        case .zebraSSI: return try zebraSSI.session(for: action)
        }
    }
}

/// One device's decoder, whatever its transport: the daemon feeds it what the device's file
/// descriptor delivers. Sans-I/O.
public enum ScanDecoder: Sendable {
    case keyboardWedge(KeyboardWedgeDecoder, InputEventStream)
    case hidPOS(HIDPOSDecoder)
    case serial(SerialScanDecoder)

    /// Feeds what one read returned at `now` (monotonic): evdev bytes (whole or partial events),
    /// one hidraw report, or serial bytes.
    public mutating func feed(_ bytes: [UInt8], at now: Duration) -> [ScanOutcome] {
        switch self {
        case .keyboardWedge(var d, var stream):
            let out = d.feed(events: stream.feed(bytes))
            self = .keyboardWedge(d, stream)
            return out
        case .hidPOS(var d):
            let out = d.feed(report: bytes, at: now)
            self = .hidPOS(d)
            return out
        case .serial(var d):
            let out = d.feed(bytes, at: now)
            self = .serial(d)
            return out
        }
    }

    /// Time passed without input. For a keyboard wedge `now` must be on the kernel's event clock.
    public mutating func idle(at now: Duration) -> [ScanOutcome] {
        switch self {
        case .keyboardWedge(var d, let s): let out = d.idle(at: now); self = .keyboardWedge(d, s); return out
        case .hidPOS(var d): let out = d.idle(at: now); self = .hidPOS(d); return out
        case .serial(var d): let out = d.idle(at: now); self = .serial(d); return out
        }
    }

    /// How long after the last input `idle(at:)` must be called, while input is partial; nil when
    /// nothing is pending (no timer needed).
    public var pendingTimeout: Duration? {
        switch self {
        case .keyboardWedge(let d, _): return d.hasPartialScan ? d.interKeyTimeout : nil
        case .hidPOS(let d): return d.hasPartialScan ? d.packetTimeout : nil
        case .serial(let d): return d.hasPartialFrame ? d.interByteGap : nil
        }
    }

    /// True for keyboard wedges, whose clock is the kernel's event timestamps (CLOCK_REALTIME
    /// unless the reader changed it), not the monotonic clock.
    public var usesEventTimestamps: Bool {
        if case .keyboardWedge = self { return true }
        return false
    }

    /// The device went away: partial input is discarded and counted.
    public mutating func deviceLost() -> [ScanOutcome] {
        switch self {
        case .keyboardWedge(var d, _): let out = d.deviceLost(); self = .keyboardWedge(d, InputEventStream()); return out
        case .hidPOS(var d): let out = d.deviceLost(); self = .hidPOS(d); return out
        case .serial(var d): let out = d.deviceLost(); self = .serial(d); return out
        }
    }
}
