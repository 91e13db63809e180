import CheckpointCore
import Foundation

/// Decides one paired entry (pure: the watch list and the wall clock are passed in).
///
/// Order of the rules (the first that decides wins):
/// 1. a code on the deny list or denied by a rule → refuse, `codeDenied`;
/// 2. the watch list: under isolation and the lane goes out → refuse, `isolationExit` (alert);
///    a colour whose decision is refuse → refuse, `watchListed`;
/// 3. a pairing that cannot tell whose reading it is (`PairedEntry.uncertainty`) → refer,
///    `pairingUncertain` (alert when the reading is a fever): never admit on someone else's reading;
/// 4. temperature (when `requireTemperature`): no working thermometer → refer, `thermometerMissing`;
///    no reading in time → `noReading` decision, `noReading`; an ambient reading, or a surface reading
///    without a declared conversion, cannot be judged → refer, `thermometerMissing`; outside the
///    body range → remeasure, `temperatureOutOfRange`; at or above the threshold → `feverDecision`,
///    `fever` (alert);
/// 5. a colour whose decision is refer → refer, `watchListed`;
/// 6. no code at all (a reading alone) → refer, `noCredential`;
/// 7. a code no list or rule accepts → `unrecognizedDecision`, `codeUnrecognized`;
/// 8. otherwise admit, `admitted`.
///
/// An ID card (`idCard`, payload = keyed hash of the citizen number) is judged by the same rules
/// (deny list and watch list by its hash), plus `[policy.idCard]`: after rule 2, a card past its
/// validity on the local date → `expired` decision (default refuse, decided at once), `cardExpired`;
/// at rule 7, a hash on the residents list (or accepted by a list or rule) is admitted, any other
/// card is a visitor: refer, `visitorRegistration` (or refuse, `codeUnrecognized`, with
/// `visitors = "refuse"`).
public struct Policy: Sendable {
    public let configuration: PolicyConfiguration
    public let version: String
    private let classifier: CredentialClassifier
    /// The calendar whose date decides an ID card's expiry (`[policy.idCard] timeZone`).
    private let cardCalendar: Calendar
    /// Declared surface → body conversions, keyed by the thermometer's device identity.
    public let surfaceConversions: [String: SurfaceToBody]
    /// The district digest, to find a scan in a keyed watch list; nil: the gate has no district key
    /// and matches payloads only.
    public let watchListDigest: CredentialDigest?

    public init(_ configuration: PolicyConfiguration, surfaceConversions: [String: SurfaceToBody] = [:],
                watchListDigest: CredentialDigest? = nil) {
        self.configuration = configuration
        self.watchListDigest = watchListDigest
        self.version = PolicyVersion.of(configuration)
        self.classifier = CredentialClassifier(configuration)
        self.surfaceConversions = surfaceConversions
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: configuration.idCard.timeZone) ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .current
        self.cardCalendar = calendar
    }

    /// This policy with `conversion` applied to surface readings from the device with `identity`
    /// (`TemperatureReading.device`).
    public func converting(surfaceReadingsOf identity: String, with conversion: SurfaceToBody) -> Policy {
        var conversions = surfaceConversions
        conversions[identity] = conversion
        return Policy(configuration, surfaceConversions: conversions, watchListDigest: watchListDigest)
    }

    /// This policy finding scans in a keyed watch list by `digest`.
    public func matchingWatchList(by digest: @escaping CredentialDigest) -> Policy {
        Policy(configuration, surfaceConversions: surfaceConversions, watchListDigest: digest)
    }

    /// The body temperature a reading stands for, or nil if it cannot feed the fever rule.
    public func bodyCelsius(of reading: TemperatureReading) -> Double? {
        switch reading.kind {
        case .body: return reading.celsius
        case .surface: return surfaceConversions[reading.device]?.bodyCelsius(fromSurface: reading.celsius)
        case .ambient: return nil
        }
    }

    /// Whether a reading that no scan claimed should become an entry (`noCredential`): only when
    /// configured, and only for a plausible body temperature (a thermometer aimed at a wall is no person).
    public func recordsLoneReading(_ reading: TemperatureReading) -> Bool {
        guard configuration.readingWithoutScan == .record, let body = bodyCelsius(of: reading) else { return false }
        return body >= configuration.bodyMinimumCelsius && body <= configuration.bodyMaximumCelsius
    }

    /// The refusal a code earns on its own (rules 1–2: denied, isolation exit, a refusing watch-list
    /// colour), or nil if the decision depends on the temperature. Such a scan need not wait for a reading.
    public func refusalOnCodeAlone(_ credential: Credential, direction: Direction, watchList: WatchListIndex, now: Date) -> DecisionOutcome? {
        let entry = PairedEntry(credential: credential, reading: nil, thermometerAvailable: true, pairedAt: .zero)
        let outcome = decide(entry, direction: direction, watchList: watchList, now: now)
        switch outcome.reason {
        case .codeDenied, .isolationExit: return outcome
        case .cardExpired where outcome.decision == .refuse: return outcome
        case .watchListed where outcome.decision == .refuse: return outcome
        default: return nil
        }
    }

    public func decide(_ entry: PairedEntry, direction: Direction, watchList: WatchListIndex, now: Date) -> DecisionOutcome {
        let c = configuration
        var credentialClass = CredentialClass.unrecognized
        var watchRefer: WatchListEntry?
        if let credential = entry.credential {
            credentialClass = classifier.classify(credential.payload)
            if case .denied(let by) = credentialClass {
                return DecisionOutcome(decision: .refuse, reason: .codeDenied, detail: "denied by \(by)")
            }
            if let w = watchList.lookup(credential.payload, digest: watchListDigest, at: now) {
                if w.isolation && direction == .out {
                    return DecisionOutcome(decision: .refuse, reason: .isolationExit, alert: true,
                                           detail: "under isolation (\(w.colour.rawValue))" + (w.reason.isEmpty ? "" : ": \(w.reason)"))
                }
                switch c.watchListDecisions[w.colour] ?? .admit {
                case .refuse:
                    return DecisionOutcome(decision: .refuse, reason: .watchListed, detail: "watch list \(w.colour.rawValue)")
                case .refer, .remeasure:
                    watchRefer = w
                case .admit:
                    break
                }
            }
        }
        if let credential = entry.credential, let expired = expiredCard(credential, now: now) { return expired }
        if let why = entry.uncertainty {
            let fever = entry.reading.flatMap(bodyCelsius(of:)).map { $0 >= c.feverThresholdCelsius } ?? false
            return DecisionOutcome(decision: .refer, reason: .pairingUncertain, alert: fever,
                                   detail: fever ? "\(why); the reading is a fever" : why)
        }
        if c.requireTemperature || entry.credential == nil {
            if let t = temperatureOutcome(entry) { return t }
        }
        if let w = watchRefer {
            return DecisionOutcome(decision: .refer, reason: .watchListed, detail: "watch list \(w.colour.rawValue)")
        }
        guard entry.credential != nil else {
            return DecisionOutcome(decision: .refer, reason: .noCredential, detail: "reading without a scan")
        }
        if case .accepted(let by) = credentialClass {
            return DecisionOutcome(decision: .admit, reason: .admitted, detail: "accepted by \(by)")
        }
        if let credential = entry.credential, credential.kind == .idCard {
            if c.idCard.residents.contains(credential.payload) {
                return DecisionOutcome(decision: .admit, reason: .admitted, detail: "resident")
            }
            if c.idCard.visitors == .register {
                return DecisionOutcome(decision: .refer, reason: .visitorRegistration, detail: "visitor: register")
            }
        }
        return DecisionOutcome(decision: c.unrecognizedDecision, reason: .codeUnrecognized, detail: "no rule matched")
    }

    /// An ID card past its last valid day (on the local date of `[policy.idCard] timeZone`).
    private func expiredCard(_ credential: Credential, now: Date) -> DecisionOutcome? {
        guard credential.kind == .idCard, let until = credential.validUntil else { return nil }
        let d = cardCalendar.dateComponents([.year, .month, .day], from: now)
        let today = String(format: "%04d%02d%02d", d.year ?? 0, d.month ?? 0, d.day ?? 0)
        guard today > until else { return nil }
        return DecisionOutcome(decision: configuration.idCard.expiredDecision, reason: .cardExpired, detail: "card valid until \(until)")
    }

    private func temperatureOutcome(_ entry: PairedEntry) -> DecisionOutcome? {
        let c = configuration
        guard let reading = entry.reading else {
            if !entry.thermometerAvailable {
                return DecisionOutcome(decision: .refer, reason: .thermometerMissing, detail: "lane thermometer absent or faulty")
            }
            return DecisionOutcome(decision: c.noReadingDecision, reason: .noReading, detail: "no reading within the window")
        }
        guard let body = bodyCelsius(of: reading) else {
            return DecisionOutcome(decision: .refer, reason: .thermometerMissing,
                                   detail: "\(reading.kind.rawValue) reading from \(reading.device) cannot be judged as body temperature")
        }
        let shown = (body * 100).rounded() / 100
        guard body >= c.bodyMinimumCelsius, body <= c.bodyMaximumCelsius else {
            return DecisionOutcome(decision: .remeasure, reason: .temperatureOutOfRange,
                                   detail: "\(shown) °C outside \(c.bodyMinimumCelsius)…\(c.bodyMaximumCelsius) °C")
        }
        if body >= c.feverThresholdCelsius {
            return DecisionOutcome(decision: c.feverDecision, reason: .fever, alert: true,
                                   detail: "\(shown) °C ≥ \(c.feverThresholdCelsius) °C")
        }
        return nil
    }
}
