// Policy decision per entry (module Gate): `Policy.decide` for a paired entry against a watch list
// of 10,000 entries. One iteration decides 1000 entries (scalingFactor .kilo): throughput printed
// with `--scale` is decisions/s; time and allocation counts are per 1000 decisions.
import Benchmark
import CheckpointConfig
import CheckpointCore
import Foundation
import Gate

/// Decisions per iteration; equals the scaling factor so that scaled metrics read "per decision".
let decisionsPerIteration = 1_000
let now = Date(timeIntervalSince1970: 1_795_478_400)

/// A district-sized configuration: a deny list, an allow list, a prefix rule and an ICU pattern rule.
func configuration() -> PolicyConfiguration {
    var c = PolicyConfiguration()
    c.deny = (0..<200).map { "DENY-\($0)" }
    c.allow = (0..<1_000).map { "GUEST-\($0)" }
    c.credentialRules = [
        .init(name: "health code", match: .prefix("HC1:"), action: .accept),
        .init(name: "staff badge", match: .pattern("STAFF-[0-9]{6}"), action: .accept),
    ]
    return c
}

/// 10,000 watch-list entries: codes `HC1:W<n>`, colours cycling through all five, every 10th under isolation.
func watchList() -> WatchListIndex {
    let colours: [WatchColour] = WatchColour.allCases
    let entries = (0..<10_000).map { n in
        WatchListEntry(credential: "HC1:W\(n)", colour: colours[n % colours.count], isolation: n % 10 == 0,
                       reason: "bench", validUntil: nil, version: 1)
    }
    return WatchListIndex(version: 1, entries: entries)
}

func entry(_ payload: String, celsius: Double) -> PairedEntry {
    PairedEntry(credential: Credential(kind: .code, payload: payload, symbology: .qr),
                reading: TemperatureReading(celsius: celsius, kind: .body, raw: celsius * 100, device: "usb:1a86:7523@1-1.2"),
                thermometerAvailable: true, pairedAt: .seconds(1))
}

/// The common case: a health code admitted by the prefix rule at a normal temperature.
func admittedEntries() -> [PairedEntry] {
    (0..<decisionsPerIteration).map { entry("HC1:Kp7Qx2Zr9Lm4Tv8Wc3Yb6\($0)", celsius: 36.0 + Double($0 % 10) / 10) }
}

/// A mix: prefix-rule codes, staff badges (pattern rule), allow-list guests, denied codes,
/// watch-listed codes, fevers and unrecognised codes.
func mixedEntries() -> [PairedEntry] {
    (0..<decisionsPerIteration).map { i in
        switch i % 8 {
        case 0, 1: entry("HC1:Kp7Qx2Zr9Lm4Tv8Wc3Yb6\(i)", celsius: 36.6)
        case 2: entry("STAFF-\(100_000 + i)", celsius: 36.4)
        case 3: entry("GUEST-\(i % 1_000)", celsius: 36.8)
        case 4: entry("DENY-\(i % 200)", celsius: 36.5)
        case 5: entry("HC1:W\(i)", celsius: 36.5)
        case 6: entry("HC1:Fever\(i)", celsius: 38.2)
        default: entry("UNKNOWN-\(i)", celsius: 36.5)
        }
    }
}

func benchmarks() {
    let policy = Policy(configuration())
    let list = watchList()
    let benchmarkConfiguration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .kilo, maxDuration: .seconds(1), maxIterations: 5_000,
        // Allocations per decision are deterministic: > 5 % above the recorded baseline is a regression.
        thresholds: [.mallocCountTotal: BenchmarkThresholds(relative: [.p50: 5, .p90: 5])])

    for (name, entries) in [("Decide-health-code-admitted", admittedEntries()), ("Decide-mixed-rules-watchlist-fever", mixedEntries())] {
        Benchmark(name, configuration: benchmarkConfiguration) { benchmark in
            for (i, e) in entries.enumerated() {
                blackHole(policy.decide(e, direction: i % 2 == 0 ? .in : .out, watchList: list, now: now))
            }
        }
    }
}
