// Scanner decoding (module Scanners): what a device's file descriptor delivers → scans, through
// the same `ScanDecoder` the daemon feeds. One iteration decodes 1000 scans (scalingFactor .kilo),
// so throughput printed with `--scale` is scans/s; time and allocation counts are per 1000 scans.
import Benchmark
import CheckpointCore
import Scanners

/// Scans per iteration; equals the scaling factor so that scaled metrics read "per scan".
let scansPerIteration = 1_000

/// The payload of scan `i`: 48 characters, mixed case (so the wedge needs Shift), like a signed
/// health-code token.
func payload(_ i: Int) -> String {
    let n = String(i)
    return "HC1:Kp7Qx2Zr9Lm4Tv8Wc3Yb6" + String(repeating: "0", count: 8 - n.count) + n + "-aXbYcZdW5eF6gH"
}

/// The evdev bytes a keyboard-wedge scanner produces for `scansPerIteration` scans (US layout,
/// Enter terminator): per character Shift down/up as needed, key down, key up, each followed by
/// a SYN_REPORT, 1 ms apart; 300 ms between scans. Returned as reads of 64 events.
func wedgeReads() -> [[UInt8]] {
    var events: [InputEvent] = []
    var t = Duration.seconds(1_000)
    func emit(_ code: UInt16, _ value: Int32) {
        events.append(.key(code, value, at: t))
        events.append(InputEvent(time: t, type: InputEvent.typeSync, code: 0, value: 0))
        t += .milliseconds(1)
    }
    for i in 0..<scansPerIteration {
        for c in payload(i) {
            guard let k = KeyboardLayout.us.keystroke(for: c) else { fatalError("no US key for \(c)") }
            if k.shift { emit(EvdevKeyCode.leftShift, InputEvent.pressed) }
            emit(k.code, InputEvent.pressed)
            emit(k.code, InputEvent.released)
            if k.shift { emit(EvdevKeyCode.leftShift, InputEvent.released) }
        }
        emit(EvdevKeyCode.enter, InputEvent.pressed)
        emit(EvdevKeyCode.enter, InputEvent.released)
        t += .milliseconds(300)
    }
    return stride(from: 0, to: events.count, by: 64).map { start in
        events[start..<min(start + 64, events.count)].flatMap(\.bytes)
    }
}

/// Serial/USB-CDC frames `]Q1` + payload + CR, in reads of 64 bytes.
func serialReads() -> [[UInt8]] {
    var bytes: [UInt8] = []
    for i in 0..<scansPerIteration { bytes += Array("]Q1".utf8) + Array(payload(i).utf8) + [0x0D] }
    return stride(from: 0, to: bytes.count, by: 64).map { Array(bytes[$0..<min($0 + 64, bytes.count)]) }
}

/// Honeywell HID POS input reports (one per scan: the 48-byte payload fits one packet).
func hidReports() -> [[UInt8]] {
    (0..<scansPerIteration).map { i in
        let data = Array(payload(i).utf8)
        var report = [UInt8](repeating: 0, count: 64)
        report[0] = 0x02
        report[1] = UInt8(data.count)
        report.replaceSubrange(2..<5, with: Array("]Q1".utf8))
        report.replaceSubrange(5..<(5 + data.count), with: data)
        report[61] = UInt8(ascii: "s")
        return report
    }
}

func benchmarks() {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .kilo, maxDuration: .seconds(1), maxIterations: 5_000,
        // Allocations per scan are deterministic: > 5 % above the recorded baseline is a regression.
        thresholds: [.mallocCountTotal: BenchmarkThresholds(relative: [.p50: 5, .p90: 5])])

    let cases: [(name: String, decoder: ScanDecoder, reads: [[UInt8]])] = [
        ("Wedge-input_event-stream", .keyboardWedge(KeyboardWedgeDecoder(device: "bench-wedge"), InputEventStream()),
         wedgeReads()),
        ("Serial-AIM-frames", .serial(SerialScanDecoder(device: "bench-serial")), serialReads()),
        ("HIDPOS-reports", .hidPOS(HIDPOSDecoder(device: "bench-hidpos", layout: .honeywell)), hidReports()),
    ]
    for c in cases {
        Benchmark(c.name, configuration: configuration) { benchmark in
            var decoder = c.decoder
            var scans = 0
            var now = Duration.seconds(1_000)
            benchmark.startMeasurement()
            for read in c.reads {
                for outcome in decoder.feed(read, at: now) where outcome.scan != nil { scans += 1 }
                now += .milliseconds(1)
            }
            benchmark.stopMeasurement()
            if scans != scansPerIteration { benchmark.error("decoded \(scans) scans, expected \(scansPerIteration)") }
        }
    }
}
