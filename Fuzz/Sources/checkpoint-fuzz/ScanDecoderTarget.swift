import CheckpointCore
import DeviceCatalog
import DeviceFamilies
import Scanners

/// A scanner model's decoder (serial framing, evdev keyboard wedge or HID POS reports, as the
/// catalog says) fed arbitrary bytes. Contract checked: a scan's payload is never empty and never
/// longer than the model's limit; a rejection's sample is bounded; input cut off by a lost device is
/// never a scan.
enum ScanDecoderTarget {
    static func target(model: CatalogModel) -> FuzzTarget {
        // Built once per target, not per input: a keyboard wedge's profile reads its layout file,
        // which is not what this target tests.
        let profile = try? ScannerFamilies.profile(for: model)
        return FuzzTarget(name: "scanner-\(model.model)",
                          summary: "\(model.family) decoder of catalog model \(model.model): device bytes in, scans out",
                          seeds: { seeds(model: model) },
                          body: { run(model: model, profile: profile, bytes: $0) })
    }

    static func run(model: CatalogModel, profile: ScannerProfile?, bytes: [UInt8]) {
        guard let profile else {
            FuzzCheck.require(false, "catalog model \(model.model) does not build a scanner profile")
            return
        }
        var decoder = profile.makeDecoder(device: "fuzz")
        var now = Duration.zero
        if case .hidPOS(let layout, _) = profile.decoding {
            // hidraw delivers whole reports, one per read.
            var schedule = ArrivalSchedule(bytes)
            var offset = 0
            while offset < bytes.count, let chunk = schedule.next() {
                now += .milliseconds(chunk.gapMs)
                let end = min(offset + max(1, layout.reportLength), bytes.count)
                check(decoder.idle(at: now), profile)
                check(decoder.feed(Array(bytes[offset..<end]), at: now), profile)
                offset = end
            }
        } else {
            for chunk in ArrivalSchedule(bytes) {
                now += .milliseconds(chunk.gapMs)
                if !decoder.usesEventTimestamps { check(decoder.idle(at: now), profile) }
                check(decoder.feed(Array(chunk.bytes), at: now), profile)
            }
        }
        let lost = decoder.deviceLost()
        check(lost, profile)
        FuzzCheck.require(lost.allSatisfy { $0.scan == nil }, "a lost device's partial input became a scan")
    }

    static func check(_ outcomes: [ScanOutcome], _ profile: ScannerProfile) {
        for outcome in outcomes {
            switch outcome {
            case .scan(let scan):
                FuzzCheck.require(!scan.bytes.isEmpty, "an empty scan")
                FuzzCheck.require(scan.bytes.count <= profile.rules.maxBytes,
                                  "a scan of \(scan.bytes.count) bytes over the limit \(profile.rules.maxBytes)")
            case .rejected(let rejection):
                FuzzCheck.require(rejection.sample.count <= ScanRejection.sampleLimit,
                                  "a rejection sample of \(rejection.sample.count) bytes")
            }
        }
    }

    /// Recorded device streams of the model's family (the scanner tests' captures).
    static func seeds(model: CatalogModel) -> [[UInt8]] {
        let directory = "Tests/ScannersTests/Captures"
        switch model.family {
        case ScannerFamilies.keyboardWedge: return RepositoryFiles.files(in: directory, suffix: ".evdev")
        case ScannerFamilies.hidPOS: return RepositoryFiles.files(in: directory, suffix: ".hidraw")
        default: return RepositoryFiles.files(in: directory, suffix: ".serial") + [Array("]Q1CHK-0001-ABCD\r".utf8)]
        }
    }
}
